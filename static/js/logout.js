// Logging out on a shared office PC leaves nothing typed behind: the copies
// of unsaved pages that static/js/keep.js keeps in this browser go.
(function () {
  "use strict";
  document.addEventListener("submit", (event) => {
    if (!event.target.matches("form[data-logout]")) return;
    Object.keys(localStorage)
      .filter((key) => key.startsWith("jixiao-draft:"))
      .forEach((key) => localStorage.removeItem(key));
  });
})();
