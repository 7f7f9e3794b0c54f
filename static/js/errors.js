// A page that comes back with errors shows the first one: scrolled into
// view and its field focused, never 1,500 px below the top. A link from the
// 核对 page (…/edit/indicators/#id_indicators-3-value) lands on its field.
(function () {
  "use strict";
  function show(target) {
    const field = target.matches("input, select, textarea")
      ? target
      : target.closest("td, .mb-3, form")?.querySelector("input:not([type=hidden]), select, textarea");
    (field || target).scrollIntoView({ block: "center" });
    if (field) field.focus({ preventScroll: true });
    const marked = field || target;
    marked.classList.add("fix-here");
    setTimeout(() => marked.classList.remove("fix-here"), 2500);
  }
  window.addEventListener("load", () => {
    const anchor = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (anchor) {
      show(anchor);
      return;
    }
    const first = document.querySelector(
      "main .is-invalid, main .invalid-feedback.d-block, main form .alert-danger"
    );
    if (first) show(first);
  });
})();
