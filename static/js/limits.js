// A form that would post more than the server takes (bytes or fields) is
// stopped here, before it leaves the page: the server would refuse it and
// what was typed would be gone. The limits come from the server's settings.
// The forms with long texts post multipart, where a Chinese character is 3
// bytes (form-encoded it is 9, and costs the server far more to decode);
// uploaded files have limits of their own.
(function () {
  "use strict";
  const script = document.currentScript;
  const maxBytes = Number(script.dataset.maxBytes);
  const maxFields = Number(script.dataset.maxFields);

  // 4 MB, 1.5 MB, 800 KB: as the server's messages say sizes.
  function size(bytes) {
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1).replace(/\.0$/, "") + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  // What the server counts of a multipart post: each field's name and value.
  function multipartBytes(data) {
    const encoder = new TextEncoder();
    let bytes = 0;
    for (const [name, value] of data.entries()) {
      if (typeof value !== "string") continue;
      bytes += encoder.encode(name).length + 2 + encoder.encode(value).length;
    }
    return bytes;
  }

  function problem(form) {
    const data = new FormData(form);
    const fields = Array.from(data.keys()).length;
    if (fields > maxFields) {
      return `这一页有 ${fields} 项内容，超过了一次最多 ${maxFields} 项的上限，没有提交。` +
        "您填写的内容都还在页面上：请删去多余的行后再保存。";
    }
    const bytes = form.enctype === "multipart/form-data" ? multipartBytes(data)
      : new URLSearchParams(data).toString().length;
    if (bytes > maxBytes) {
      return `这次要保存的内容约 ${size(bytes)}，超过了一次最多 ${size(maxBytes)} 的上限，没有提交。` +
        "您填写的内容都还在页面上：请删减较长的文字或多余的行后再保存。";
    }
    return null;
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.method.toLowerCase() !== "post") return;
    const message = problem(form);
    let alert = form.querySelector("[data-post-limit-alert]");
    if (!message) {
      if (alert) alert.remove();
      return;
    }
    event.preventDefault();
    if (!alert) {
      alert = document.createElement("div");
      alert.className = "alert alert-danger";
      alert.setAttribute("role", "alert");
      alert.dataset.postLimitAlert = "";
      form.prepend(alert);
    }
    alert.textContent = message;
    alert.scrollIntoView({ block: "center" });
  });
})();
