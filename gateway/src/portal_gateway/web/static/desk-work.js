// The work page's reply box: text modules are searched while a word is typed (in the
// chosen language) and the chosen one, filled in for this ticket, is inserted where the
// cursor is; the status and priority it sets appear as ticked boxes next to the reply.
// Without this script a choice of modules and an "insert" button do the same.
(function () {
  "use strict";
  var WAIT_MS = 200;

  var box = document.getElementById("text-modules");
  var search = document.getElementById("tm-search-box");
  var fallback = document.getElementById("tm-fallback");
  var input = document.getElementById("tm-search");
  var language = document.getElementById("tm-language");
  var results = document.getElementById("tm-results");
  var status = document.getElementById("tm-status");
  var body = document.getElementById("body");
  if (!box || !search || !fallback || !input || !language || !results || !body || !window.fetch) {
    return;
  }

  // Until the agent was in the reply box, its cursor is nowhere: insert at the end.
  var touched = false;
  body.addEventListener("focus", function () { touched = true; });

  function ask(path) {
    return fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (answer) {
          return { ok: response.ok, answer: answer };
        });
      });
  }

  function insert(text) {
    var start = body.value.length;
    var end = start;
    if (touched) {
      start = body.selectionStart;
      end = body.selectionEnd;
    } else if (start > 0) {
      text = (/\n$/.test(body.value) ? "\n" : "\n\n") + text;
    }
    body.setRangeText(text, start, end, "end");
    body.focus();
    touched = true;
  }

  // The facts form words each status and priority; the boxes use the same words.
  function word(selectId, value) {
    var option = document.querySelector("#" + selectId + " option[value='" + value + "']");
    return option ? option.textContent : value;
  }

  function offer(kind, value, selectId) {
    var row = document.getElementById("module-" + kind + "-row");
    var tick = document.getElementById("module_" + kind);
    var shown = document.getElementById("module-" + kind + "-word");
    if (!row || !tick || !shown || !value) return;
    tick.value = value;
    tick.disabled = false;
    tick.checked = true;
    shown.textContent = word(selectId, value);
    row.hidden = false;
    document.getElementById("module-changes").hidden = false;
  }

  function choose(module) {
    // A search still on its way must not redraw the list (and clear what the choice says).
    clearTimeout(timer);
    latest++;
    status.textContent = "";
    ask(box.dataset.source + "/" + encodeURIComponent(module.id))
      .then(function (reply) {
        if (!reply.ok) {
          status.textContent = reply.answer.error || "";
          return;
        }
        insert(reply.answer.body);
        offer("status", reply.answer.set_status, "status");
        offer("priority", reply.answer.set_priority, "priority");
        status.textContent = box.dataset.inserted.replace("{name}", module.name);
      })
      .catch(function () { /* the choice without script is gone; nothing was changed */ });
  }

  function line(module) {
    var item = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "small secondary tm-choice";
    button.id = "tm-" + module.id;
    button.textContent = module.name + (module.sets ? " (" + module.sets + ")" : "");
    button.addEventListener("click", function () { choose(module); });
    var preview = document.createElement("span");
    preview.className = "muted";
    preview.textContent = " " + module.preview;
    item.append(button, preview);
    return item;
  }

  var latest = 0;
  var found = [];

  function show(modules) {
    found = modules;
    results.replaceChildren();
    modules.forEach(function (module) { results.appendChild(line(module)); });
    status.textContent = modules.length ? "" : box.dataset.none;
  }

  function find() {
    var mine = ++latest;
    var query = "?q=" + encodeURIComponent(input.value.trim()) +
      "&language=" + encodeURIComponent(language.value);
    ask(box.dataset.source + query)
      .then(function (reply) {
        if (reply.ok && mine === latest) show(reply.answer.items || []);
      })
      .catch(function () { /* the list stays as it was */ });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(find, WAIT_MS);
  });
  language.addEventListener("change", find);
  // Enter in the search box chooses the first module found, and never sends the reply.
  input.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    if (found.length) choose(found[0]);
  });

  fallback.hidden = true;
  fallback.querySelectorAll("select, button").forEach(function (control) {
    control.disabled = true;
  });
  search.hidden = false;
  find();
})();
