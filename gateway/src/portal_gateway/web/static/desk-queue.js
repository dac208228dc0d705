// The desk's queue with a keyboard: j/k move the current row, x ticks it for the bulk
// bar, o or Enter work on it, a assigns it to me, / goes to the search, ? shows the help.
// Select-all and the count of ticked rows for the bulk bar. Without script the page works
// as it is: the row checkboxes belong to the bulk form all the same.
(function () {
  "use strict";
  var table = document.getElementById("queue");
  var help = document.getElementById("shortcuts");
  var search = document.getElementById("filter-q");
  var rows = table ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
  var current = -1;

  function picks() {
    return rows.map(function (row) { return row.querySelector("input.pick"); })
      .filter(function (box) { return box; });
  }

  // --- ticking rows ---------------------------------------------------------------
  var all = document.getElementById("select-all");
  var count = document.getElementById("bulk-count");

  function showCount() {
    var boxes = picks();
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    if (all) {
      all.checked = ticked > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    if (count) {
      count.hidden = ticked === 0;
      var words = ticked === 1 ? count.dataset.one : count.dataset.other;
      count.textContent = (words || "").replace("{n}", String(ticked));
    }
  }

  if (all) {
    all.hidden = false;
    all.addEventListener("change", function () {
      picks().forEach(function (box) { box.checked = all.checked; });
      showCount();
    });
  }
  picks().forEach(function (box) { box.addEventListener("change", showCount); });
  showCount();

  // --- the keyboard ---------------------------------------------------------------
  var TEXT_INPUTS = /^(text|search|email|number|password|tel|url|date|datetime-local|month|time|week)$/;

  function typing(target) {
    if (!target || !target.tagName) return false;
    if (target.isContentEditable) return true;
    var tag = target.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select") return true;
    return tag === "input" && TEXT_INPUTS.test((target.type || "text").toLowerCase());
  }

  function workLink(row) { return row && row.querySelector("a.work-link"); }

  function move(to) {
    if (!rows.length) return;
    var next = Math.max(0, Math.min(rows.length - 1, to));
    if (current >= 0) rows[current].classList.remove("current");
    current = next;
    var row = rows[current];
    row.classList.add("current");
    var link = workLink(row);
    if (link) link.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function currentRow() { return current >= 0 ? rows[current] : null; }

  function toggleHelp() {
    if (!help) return;
    help.open = !help.open;
    if (help.open) help.querySelector("summary").focus();
  }

  var keys = {
    j: function () { move(current + 1); },
    k: function () { move(current < 0 ? 0 : current - 1); },
    x: function () {
      var row = currentRow();
      var box = row && row.querySelector("input.pick");
      if (box) { box.checked = !box.checked; showCount(); }
    },
    o: function () {
      var link = workLink(currentRow());
      if (link) window.location.assign(link.href);
    },
    a: function () {
      var row = currentRow();
      var form = row && row.querySelector("form.assign");
      if (form) form.submit();
    },
    "/": function () { if (search) { search.focus(); search.select(); } },
    "?": toggleHelp
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.isComposing || typing(event.target)) return;
    if (event.key === "Escape" && help && help.open) {
      help.open = false;
      return;
    }
    if (event.key === "Enter") {
      // A focused link or button does its own thing; Enter elsewhere opens the row.
      var tag = event.target && event.target.tagName ? event.target.tagName.toLowerCase() : "";
      if (tag === "a" || tag === "button" || tag === "input" || tag === "summary") return;
      if (currentRow()) { event.preventDefault(); keys.o(); }
      return;
    }
    var action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  // A click in a row makes it the current one, so the keys go on from there.
  rows.forEach(function (row, index) {
    row.addEventListener("click", function () {
      if (current >= 0) rows[current].classList.remove("current");
      current = index;
      row.classList.add("current");
    });
  });
})();
