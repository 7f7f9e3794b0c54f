// Suggested indicators under the 三级指标 box of the indicator step: asked
// for (declarations/<pk>/suggestions/) once a second level is chosen and as
// the name is typed; a click fills the row. Text goes in as textContent and
// values, never as HTML.
(function () {
  "use strict";
  const table = document.querySelector("[data-suggest-url]");
  if (!table) return;
  const url = table.dataset.suggestUrl;
  let timer = null;
  let asked = 0;

  function field(row, name) {
    return row.querySelector(`[name$='-${name}']`);
  }

  function close(row) {
    const list = row.querySelector(".suggestions");
    if (list) list.remove();
  }

  function set(row, name, value) {
    const input = field(row, name);
    if (!input || value === undefined || value === null || value === "") return;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function fill(row, s) {
    const level1 = field(row, "level1");
    if (level1 && !level1.value && s.level1_id) {
      level1.value = String(s.level1_id);
      level1.dispatchEvent(new Event("change", { bubbles: true }));
      set(row, "level2", String(s.level2_id));
    }
    set(row, "level3", s.name);
    if (field(row, "number")) {
      // The layout splits the value into 符号 / 指标值 / 计量单位.
      const m = /^([≥≤＞＜=]?)\s*(-?\d+(?:\.\d+)?)\s*(.*)$/.exec(s.value || "");
      if (m) {
        set(row, "operator", m[1]);
        set(row, "number", m[2]);
        set(row, "unit", m[3] || s.unit);
      }
    } else {
      set(row, "value", s.value);
    }
    set(row, "description", s.description);
    set(row, "basis", s.basis);
    set(row, "explanation", s.explanation);
    close(row);
  }

  function show(row, box, suggestions) {
    close(row);
    if (!suggestions.length) return;
    const list = document.createElement("div");
    list.className = "suggestions list-group shadow-sm";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "推荐的指标");
    list.dataset.testid = "suggestions";
    for (const s of suggestions) {
      const item = document.createElement("button");
      item.type = "button";
      item.className = "list-group-item list-group-item-action py-1";
      item.setAttribute("role", "option");
      const name = document.createElement("span");
      name.className = "fw-semibold";
      name.textContent = s.name;
      const value = document.createElement("span");
      value.className = "ms-2";
      value.textContent = s.value;
      const source = document.createElement("div");
      source.className = "small text-body-secondary";
      source.textContent = s.source;
      item.append(name, value, source);
      item.addEventListener("mousedown", (event) => event.preventDefault());
      item.addEventListener("click", () => {
        fill(row, s);
        field(row, "level3").focus();
      });
      list.append(item);
    }
    box.after(list);
  }

  function ask(row, box) {
    const level2 = field(row, "level2");
    if (!level2 || !level2.value) return;
    const number = ++asked;
    const query = new URLSearchParams({ level2: level2.value, q: box.value.trim() });
    fetch(`${url}?${query}`, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { suggestions: [] }))
      .then((data) => {
        // A slower answer to an earlier question is dropped.
        if (number === asked && document.activeElement === box) {
          show(row, box, data.suggestions || []);
        }
      })
      .catch(() => close(row));
  }

  // 按相似项目生成指标: a whole first draft, into the empty rows and new ones.
  const draftButton = document.querySelector("[data-indicator-draft-url]");
  const addButton = document.querySelector("[data-add-row]");
  const note = document.querySelector("[data-draft-note]");

  function emptyRow() {
    return Array.from(table.querySelectorAll("[data-form-row]")).find(
      (row) => !field(row, "level1").value && !field(row, "level3").value.trim()
    );
  }

  if (draftButton && addButton) {
    draftButton.addEventListener("click", () => {
      draftButton.disabled = true;
      fetch(draftButton.dataset.indicatorDraftUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then((response) => (response.ok ? response.json() : { rows: [] }))
        .then((data) => {
          for (const s of data.rows || []) {
            let row = emptyRow();
            if (!row) {
              addButton.click();
              row = emptyRow();
            }
            fill(row, s);
          }
          if (note) {
            note.textContent = data.rows && data.rows.length
              ? `已按相似项目和指标库填入 ${data.rows.length} 行，请逐行核对修改后保存。`
              : data.message || "没有可参考的内容，请逐行填写。";
          }
        })
        .finally(() => {
          draftButton.disabled = false;
        });
    });
  }

  table.addEventListener("input", (event) => {
    const box = event.target;
    if (!box.matches("[name$='-level3']") || !event.isTrusted) return;
    const row = box.closest("[data-form-row]");
    asked++; // what was asked before this keystroke is out of date
    clearTimeout(timer);
    timer = setTimeout(() => ask(row, box), 250);
  });
  table.addEventListener("focusin", (event) => {
    const box = event.target;
    if (!box.matches("[name$='-level3']")) return;
    ask(box.closest("[data-form-row]"), box);
  });
  table.addEventListener("focusout", (event) => {
    const row = event.target.closest("[data-form-row]");
    if (row && !row.contains(event.relatedTarget)) close(row);
  });
  table.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      const row = event.target.closest("[data-form-row]");
      if (row) close(row);
    }
  });
})();
