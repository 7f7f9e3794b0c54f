// Typed work is never lost. Leaving an entry page with unsaved changes
// (a step tab, a menu, closing the tab) asks first; and what is typed is kept
// in this browser until the server says it saved it, so that after a login
// that expired, an error page or a refused save the page offers it back.
(function () {
  "use strict";
  const form = document.querySelector("form[data-keep]");
  if (!form) return;
  // Each user's own: on a shared office PC nobody is offered another's typing
  // (and logging out forgets them all, static/js/logout.js).
  const key = `jixiao-draft:${document.body.dataset.user}:${location.pathname}`;
  const PENDING = "jixiao-pending-save";

  // The page that follows a successful save says so ("已保存"): the copy of
  // the page that was saved is no longer needed.
  const pending = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (pending && document.querySelector("[data-saved]")) {
    localStorage.removeItem(pending);
  }

  function fields() {
    return Array.from(new FormData(form).entries()).filter(
      ([name, value]) => typeof value === "string" && name !== "csrfmiddlewaretoken"
    );
  }
  const initial = JSON.stringify(fields());
  let dirty = false;

  function keep() {
    const now = fields();
    dirty = JSON.stringify(now) !== initial;
    if (dirty) {
      localStorage.setItem(key, JSON.stringify({ at: Date.now(), fields: now }));
    }
  }
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  form.addEventListener("click", (event) => {
    // Rows added, moved or removed change the form without an input event.
    if (event.target.closest("button[type=button]")) setTimeout(keep, 0);
  });
  // On the document, after static/js/limits.js: a post it stopped as too
  // large is not a save, and the page still has unsaved changes.
  document.addEventListener("submit", (event) => {
    if (event.target !== form || event.defaultPrevented) return;
    keep();
    dirty = false;
    sessionStorage.setItem(PENDING, key);
  });
  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });

  function addRowsFor(prefix, wanted) {
    const total = form.querySelector(`input[name='${prefix}-TOTAL_FORMS']`);
    const table = form.querySelector(`[data-formset='${prefix}']`);
    if (!total || !table) return;
    const button = Array.from(form.querySelectorAll("[data-add-row]")).find(
      (b) => table.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING
    );
    while (button && Number(total.value) < wanted) button.click();
  }

  function restore(kept) {
    kept.forEach(([name, value]) => {
      const match = name.match(/^(.*)-TOTAL_FORMS$/);
      if (match) addRowsFor(match[1], Number(value));
    });
    const values = new Map();
    kept.forEach(([name, value]) => {
      if (!values.has(name)) values.set(name, value);
    });
    Array.from(form.elements).forEach((el) => {
      // The version stays the page's own: the next save is checked against
      // what is stored now, and refused if someone saved in between.
      if (!el.name || el.name === "version" || el.name === "csrfmiddlewaretoken") return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.get(el.name) === el.value;
      } else if (values.has(el.name) && el.type !== "file") {
        el.value = values.get(el.name);
      } else {
        return;
      }
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
    keep();
  }

  const stored = JSON.parse(localStorage.getItem(key) || "null");
  if (!stored || JSON.stringify(stored.fields) === initial) return;
  const when = new Date(stored.at);
  const time = `${when.getMonth() + 1}月${when.getDate()}日 ${String(when.getHours()).padStart(2, "0")}:${String(when.getMinutes()).padStart(2, "0")}`;
  const banner = document.createElement("div");
  banner.className = "alert alert-warning d-flex flex-wrap align-items-center gap-2";
  banner.setAttribute("role", "alert");
  banner.dataset.testid = "kept-draft";
  const text = document.createElement("span");
  text.className = "me-auto";
  text.textContent =
    `这台电脑上保留着本页 ${time} 填写但没有保存的内容（可能因为登录已过期、保存出错或未保存就离开）。` +
    "恢复后请核对，再点“保存”。";
  const use = document.createElement("button");
  use.type = "button";
  use.className = "btn btn-sm btn-warning";
  use.textContent = "恢复这些内容";
  const drop = document.createElement("button");
  drop.type = "button";
  drop.className = "btn btn-sm btn-outline-secondary";
  drop.textContent = "丢弃";
  banner.append(text, use, drop);
  form.insertAdjacentElement("beforebegin", banner);
  use.addEventListener("click", () => {
    restore(stored.fields);
    banner.remove();
  });
  drop.addEventListener("click", () => {
    localStorage.removeItem(key);
    banner.remove();
  });
})();
