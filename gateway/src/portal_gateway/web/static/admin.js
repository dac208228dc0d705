// The guide editor: "Add question" copies the row template with the next free number,
// "Remove" takes a row out. Without script the page shows a few empty rows instead.
(function () {
  "use strict";
  var list = document.querySelector("[data-guide]");
  var template = document.getElementById("question-template");
  var add = document.getElementById("add-question");
  if (!list || !template || !add) return;
  var next = parseInt(list.dataset.next || "0", 10);

  function renumber() {
    list.querySelectorAll("[data-question] > legend").forEach(function (legend, i) {
      legend.textContent = legend.textContent.replace(/\d+|__n__/, String(i + 1));
    });
  }

  function enable(row) {
    var remove = row.querySelector("[data-remove-question]");
    if (!remove) return;
    remove.hidden = false;
    remove.addEventListener("click", function () {
      row.remove();
      renumber();
      add.focus();
    });
  }

  add.hidden = false;
  list.querySelectorAll("[data-question]").forEach(enable);
  add.addEventListener("click", function () {
    var html = template.innerHTML.replace(/__i__/g, String(next));
    next += 1;
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.querySelector("[data-question]");
    list.appendChild(row);
    enable(row);
    renumber();
    var first = row.querySelector("input:not([type=hidden])");
    if (first) first.focus();
  });
})();
