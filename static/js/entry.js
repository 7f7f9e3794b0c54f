// Guided entry: rows added, removed and reordered in the page, level-2 choices
// following level 1, and a live check of the funds. Everything still works
// without JavaScript: spare rows, typed order numbers and server-side checks.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function rows(table) {
    return Array.from(table.querySelectorAll("[data-form-row]"));
  }

  function isBlank(row) {
    const id = row.querySelector("input[name$='-id']");
    if (id && id.value) return false;
    return Array.from(row.querySelectorAll("input[type=text], textarea, select"))
      .every((el) => !el.value);
  }

  // Number the visible rows 1, 2, … and write that order into ORDER fields,
  // leaving untouched spare rows unnumbered so that they stay "unchanged".
  function renumber(table) {
    let n = 0;
    rows(table).forEach((row) => {
      const order = row.querySelector("input[name$='-ORDER']");
      const deleted = row.querySelector("input[name$='-DELETE']");
      const label = row.querySelector(".row-number");
      if (deleted && deleted.checked) {
        if (label) label.textContent = "—";
        return;
      }
      if (isBlank(row)) {
        if (order) order.value = "";
        if (label) label.textContent = "";
        return;
      }
      n += 1;
      if (order) order.value = n;
      if (label) label.textContent = n;
    });
  }

  function followLevel1(row) {
    const level1 = row.querySelector("select[name$='-level1']");
    const level2 = row.querySelector("select[name$='-level2']");
    if (!level1 || !level2) return;
    const chosen = level1.options[level1.selectedIndex];
    const name = chosen && chosen.value ? chosen.text : null;
    Array.from(level2.querySelectorAll("optgroup")).forEach((group) => {
      const match = name === null || group.label === name;
      group.hidden = !match;
      group.disabled = !match;
    });
    const selected = level2.options[level2.selectedIndex];
    if (selected && selected.parentElement.tagName === "OPTGROUP" &&
        selected.parentElement.disabled) {
      level2.value = "";
    }
  }

  // Paste like a spreadsheet: cells copied from Excel or Word (tabs between
  // cells, a line a row, Excel's quotes around a cell with line breaks) fill
  // the rows from the field pasted into, adding rows as needed; a whole row
  // copied fills the row from its first column. Lines pasted into a list of
  // goals become goals, without the numbers typed before them.
  function cellsOf(text) {
    const grid = [];
    let row = [];
    let cell = "";
    let quoted = false;
    for (let i = 0; i < text.length; i += 1) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else if (c === '"') {
          quoted = false;
        } else {
          cell += c;
        }
      } else if (c === '"' && cell === "") {
        quoted = true;
      } else if (c === "\t") {
        row.push(cell);
        cell = "";
      } else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i += 1;
        row.push(cell);
        grid.push(row);
        row = [];
        cell = "";
      } else {
        cell += c;
      }
    }
    if (cell !== "" || row.length) {
      row.push(cell);
      grid.push(row);
    }
    return grid.filter((cells) => cells.some((c) => c.trim() !== ""));
  }

  const ITEM_NUMBER = new RegExp(
    "^\\s*(?:[（(]\\s*[0-9一二三四五六七八九十]{1,3}\\s*[)）]" +
    "|[0-9]{1,3}\\s*(?:[、)）]|[.．](?![0-9]))" +
    "|[一二三四五六七八九十]{1,3}\\s*[、.．]|[①-⑳]" +
    "|目标\\s*[0-9一二三四五六七八九十]{1,3}\\s*[:：、.．]?)\\s*"
  );

  function fieldsOf(row) {
    return Array.from(row.querySelectorAll("select, textarea, input[type=text]"));
  }

  function setCell(field, text) {
    const value = text.trim();
    if (field.tagName === "SELECT") {
      const options = Array.from(field.options).filter(
        (o) => o.value && !(o.parentElement.tagName === "OPTGROUP" && o.parentElement.disabled)
      );
      const aliases = JSON.parse(field.dataset.aliases || "{}")[value] || [];
      const option = options.find((o) => o.text.trim() === value) ||
        options.find((o) => aliases.includes(Number(o.value))) ||
        options.find((o) => value && o.text.startsWith(value));
      if (!option) return;
      field.value = option.value;
    } else {
      field.value = value;
    }
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function pasteCells(table, addButton, event) {
    const target = event.target;
    const row = target.closest("[data-form-row]");
    if (!row || !target.matches("textarea, input[type=text]")) return;
    const grid = cellsOf(event.clipboardData.getData("text/plain"));
    if (grid.length === 0 || (grid.length === 1 && grid[0].length === 1)) return;
    event.preventDefault();
    const columns = fieldsOf(row);
    const list = columns.length === 1;
    const start = grid[0].length === columns.length ? 0 : columns.indexOf(target);
    let current = row;
    grid.forEach((cells, i) => {
      if (i > 0) {
        current = current.nextElementSibling;
        while (current && current.classList.contains("row-deleted")) {
          current = current.nextElementSibling;
        }
        if (!current && addButton) {
          addButton.click();
          current = table.querySelector("[data-formset-body]").lastElementChild;
        }
        if (!current) return;
      }
      const fields = fieldsOf(current);
      cells.forEach((cell, j) => {
        const field = fields[start + j];
        if (field) setCell(field, list ? cell.replace(ITEM_NUMBER, "") : cell);
      });
    });
    renumber(table);
  }

  function setUpFormset(table) {
    const form = table.closest("form");
    // A page with two lists (中期 and 年度 goals) keeps each in its block.
    const block = table.closest("[data-formset-block]") || form;
    const body = table.querySelector("[data-formset-body]");
    const prefix = table.dataset.formset;
    const total = form.querySelector(`input[name='${prefix}-TOTAL_FORMS']`);
    const template = block.querySelector("template[data-empty-form]");
    const addButton = block.querySelector("[data-add-row]");

    if (addButton && template) {
      addButton.addEventListener("click", () => {
        const index = Number(total.value);
        const html = template.innerHTML.replace(/__prefix__/g, String(index));
        body.insertAdjacentHTML("beforeend", html);
        total.value = index + 1;
        const row = body.lastElementChild;
        followLevel1(row);
        setUpCounters(row);
        setUpOperators(row);
        const first = row.querySelector("select, input[type=text], textarea");
        if (first) first.focus();
      });
    }

    table.addEventListener("click", (event) => {
      const button = event.target.closest("[data-move]");
      if (!button) return;
      const row = button.closest("[data-form-row]");
      if (button.dataset.move === "up" && row.previousElementSibling) {
        body.insertBefore(row, row.previousElementSibling);
      } else if (button.dataset.move === "down" && row.nextElementSibling) {
        body.insertBefore(row.nextElementSibling, row);
      }
      renumber(table);
      button.focus();
    });

    table.addEventListener("change", (event) => {
      const row = event.target.closest("[data-form-row]");
      if (event.target.matches("select[name$='-level1']")) followLevel1(row);
      if (event.target.matches("input[name$='-DELETE']")) {
        row.classList.toggle("row-deleted", event.target.checked);
      }
      renumber(table);
    });
    table.addEventListener("input", () => renumber(table));
    table.addEventListener("paste", (event) => pasteCells(table, addButton, event));
    form.addEventListener("submit", () => renumber(table));
    rows(table).forEach(followLevel1);
    renumber(table);
  }

  function setUpFunds(form) {
    const out = form.querySelector("[data-funds-sum]");
    const read = (name) => {
      const el = form.querySelector(`input[name='${name}']`);
      return el && el.value.trim() !== "" ? Number(el.value) : null;
    };
    function update() {
      const total = read("total");
      const parts = (read("fiscal") || 0) + (read("other") || 0);
      if (total === null || Number.isNaN(total)) {
        out.textContent = "";
        return;
      }
      const diff = Math.round((total - parts) * 100) / 100;
      out.className = "col-12 small " + (diff === 0 ? "text-success" : "text-danger");
      out.textContent = diff === 0
        ? "✓ 预算数等于财政资金与其他资金之和。"
        : `预算数与财政资金、其他资金之和（${parts.toFixed(2)}）相差 ${diff.toFixed(2)} ${form.dataset.unit || "万元"}，请核对。`;
    }
    form.addEventListener("input", update);
    update();
  }

  // A counter under each limited text area: typed / limit, red past it. The
  // browser's own maxlength would silently cut a long paste; without it the
  // server names the field that is too long and keeps the text.
  function setUpCounter(area) {
    const limit = Number(area.getAttribute("maxlength"));
    area.removeAttribute("maxlength");
    area.dataset.limit = limit;
    const counter = document.createElement("div");
    counter.className = "form-text text-end text-counter";
    area.insertAdjacentElement("afterend", counter);
    function update() {
      const length = area.value.length;
      const over = length > limit;
      counter.classList.toggle("text-danger", over);
      counter.textContent = over
        ? `${length} / ${limit} 字，超出 ${length - limit} 字，请删减后再保存。`
        : `${length} / ${limit} 字`;
    }
    area.addEventListener("input", update);
    update();
  }

  // Long one-line fields too (项目名称, 200): a paste past the limit is
  // named, not cut.
  function setUpCounters(root) {
    root
      .querySelectorAll("textarea[maxlength], input[type=text][maxlength]")
      .forEach((field) => {
        // Not under each value of the indicator rows: 200 is ample there.
        const long = Number(field.maxLength) >= 100 && !field.closest("[data-form-row]");
        if (field.tagName === "TEXTAREA" || long) {
          setUpCounter(field);
        }
      });
  }

  // ≥ and ≤, which an office keyboard lacks: two buttons beside each value,
  // and >= or <= typed become ≥ and ≤ on leaving the field, as the server
  // stores them (indicators/values.normalised).
  function normalised(text) {
    return text
      .replace(/[>＞›]\s*[=＝]|[=＝]\s*[>＞]|[≧⩾]/g, "≥")
      .replace(/[<＜‹]\s*[=＝]|[=＝]\s*[<＜]|[≦⩽]/g, "≤");
  }

  function setUpOperators(root) {
    root.querySelectorAll("input[name$='-value'], input[name$='-term_value']").forEach((input) => {
      if (input.name.includes("__prefix__") || input.dataset.operators) return;
      input.dataset.operators = "1";
      const group = document.createElement("div");
      group.className = "operator-buttons";
      ["≥", "≤"].forEach((symbol) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-sm btn-outline-secondary";
        button.textContent = symbol;
        button.title = `在指标值前加上 ${symbol}`;
        button.setAttribute("aria-label", `在指标值前加上 ${symbol}`);
        button.addEventListener("click", () => {
          const rest = input.value.replace(/^\s*[≥≤><＞＜=＝≧≦]+\s*/, "");
          input.value = symbol + rest;
          input.dispatchEvent(new Event("input", { bubbles: true }));
          input.focus();
        });
        group.append(button);
      });
      input.insertAdjacentElement("afterend", group);
      input.addEventListener("blur", () => {
        const typed = normalised(input.value);
        if (typed === input.value) return;
        input.value = typed;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
  }

  document.querySelectorAll("[data-formset]").forEach(setUpFormset);
  setUpOperators(document);
  document.querySelectorAll("[data-funds-form]").forEach(setUpFunds);
  setUpCounters(document);
})();
