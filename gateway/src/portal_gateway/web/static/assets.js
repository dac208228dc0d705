// Installations (assets): on the new-ticket form, the organization's installations are
// searched while a name or serial number is typed, and the chosen one is named; on the
// CSV import page, the button shows that the file is being uploaded. Without this
// script the asset field still takes a serial number, and the import works the same.
(function () {
  "use strict";
  var WAIT_MS = 200;

  function picker(input, list, chosen) {
    var timer = null;
    var latest = 0;
    var known = {};

    function remember(options) {
      Array.prototype.forEach.call(options, function (option) {
        known[option.value.toLowerCase()] = option.dataset.name || option.textContent;
      });
    }

    function name() {
      var found = known[input.value.trim().toLowerCase()];
      if (!found) { chosen.replaceChildren(); return; }
      chosen.replaceChildren(chosen.dataset.label + ": ");
      var strong = document.createElement("strong");
      strong.id = "asset-chosen-name";
      strong.textContent = found;
      chosen.appendChild(strong);
    }

    function fill(items) {
      list.replaceChildren();
      items.forEach(function (asset) {
        var option = document.createElement("option");
        option.value = asset.serial_number;
        option.dataset.name = asset.name;
        option.textContent = asset.name + (asset.product ? " · " + asset.product : "");
        list.appendChild(option);
      });
      remember(list.options);
      name();
    }

    function ask() {
      var q = input.value.trim();
      var mine = ++latest;
      // The desk's forms name the organization in the address already.
      var joiner = input.dataset.suggest.indexOf("?") < 0 ? "?" : "&";
      fetch(input.dataset.suggest + joiner + "q=" + encodeURIComponent(q), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (body) { if (mine === latest) fill(body.items || []); })
        .catch(function () { /* the typed serial number still counts */ });
    }

    remember(list.options);
    input.addEventListener("input", function () {
      name();
      clearTimeout(timer);
      timer = setTimeout(ask, WAIT_MS);
    });
    input.addEventListener("change", name);
  }

  function busy(form, button, progress) {
    form.addEventListener("submit", function () {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      progress.textContent = button.dataset.busy;
    });
    // Back from the report by the browser's history: the button works again.
    window.addEventListener("pageshow", function () {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      progress.textContent = "";
    });
  }

  var input = document.getElementById("asset_id");
  var list = document.getElementById("asset-options");
  var chosen = document.getElementById("asset-chosen");
  if (input && list && chosen && input.dataset.suggest) picker(input, list, chosen);

  var form = document.getElementById("import-form");
  var button = document.getElementById("import-submit");
  var progress = document.getElementById("import-progress");
  if (form && button && progress) busy(form, button, progress);
})();
