// The declaration list: a box in the header ticks every box of the page,
// and a batch button asks before it approves or returns several at once.
(function () {
  "use strict";
  document.querySelectorAll("[data-select-all]").forEach(function (all) {
    var name = all.getAttribute("data-select-all");
    var boxes = function () {
      return document.querySelectorAll('input[type=checkbox][name="' + name + '"]');
    };
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
    });
  });
  var batch = document.getElementById("batch");
  if (!batch) return;
  batch.addEventListener("submit", function (event) {
    var button = event.submitter;
    var ticked = document.querySelectorAll('input[name="declaration"][form="batch"]:checked').length;
    if (!button || button.value === "pdfs") return;
    var what = button.value === "approve" ? "审核通过" : "退回修改";
    if (!window.confirm("确定将所选的 " + ticked + " 份申报表" + what + "吗？")) {
      event.preventDefault();
    }
  });
})();
