// The review page: a button with data-fill and data-text puts its text into
// the box whose id data-fill names — a warning's ready comment into that
// row's comment, a ready opinion into its question's opinion, a general
// warning into the 总体意见. An empty box takes the text; a box already
// written in keeps what is there and gets the text on a new line, once.
(function () {
  "use strict";
  const form = document.getElementById("review-form");
  if (!form) return;

  function fill(box, text) {
    const current = box.value.trim();
    if (current.split("\n").some((line) => line.trim() === text)) return;
    box.value = current ? `${current}\n${text}` : text;
    box.rows = Math.max(box.rows, Math.min(box.value.split("\n").length, 6));
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.focus();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-fill]");
    if (!button) return;
    const box = document.getElementById(button.dataset.fill);
    if (!box) return;
    event.preventDefault();
    fill(box, button.dataset.text || "");
    button.setAttribute("aria-pressed", "true");
  });
})();
