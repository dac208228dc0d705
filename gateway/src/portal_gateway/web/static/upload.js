// Drag-and-drop uploads with progress for every `[data-upload]` zone (templates/macros.html).
// Each file goes to POST /api/v1/files at once; when stored, a hidden input carrying its
// id joins the surrounding form, so the form itself only sends ids.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var lang = document.body.dataset.lang || "en";
  var words = {
    en: { remove: "Remove", failed: "Upload failed", tooMany: "At most {n} files.", done: "uploaded" },
    de: { remove: "Entfernen", failed: "Hochladen fehlgeschlagen", tooMany: "Höchstens {n} Dateien.", done: "hochgeladen" }
  }[lang === "de" ? "de" : "en"];

  function size(bytes) {
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1048576) return (bytes / 1024).toFixed(0) + " KB";
    return (bytes / 1048576).toFixed(1) + " MB";
  }

  function setUp(zone) {
    var input = zone.querySelector('input[type="file"]');
    var list = zone.querySelector(".uploads");
    var form = zone.closest("form");
    var max = parseInt(zone.dataset.max || "4", 10);
    var pending = 0;

    function count() { return list.querySelectorAll("li:not(.failed)").length; }

    function busy(delta) {
      pending += delta;
      if (!form) return;
      form.querySelectorAll('button[type="submit"]').forEach(function (b) { b.disabled = pending > 0; });
    }

    function upload(file) {
      var item = document.createElement("li");
      var label = document.createElement("span");
      label.textContent = file.name + " (" + size(file.size) + ")";
      var bar = document.createElement("progress");
      bar.max = 100; bar.value = 0;
      bar.setAttribute("aria-label", file.name);
      item.append(label, bar);
      list.appendChild(item);
      if (count() > max) {
        fail(item, bar, words.tooMany.replace("{n}", max));
        return;
      }
      var body = new FormData();
      body.append("file", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/v1/files");
      xhr.setRequestHeader("X-CSRF-Token", csrf ? csrf.content : "");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      });
      xhr.addEventListener("load", function () {
        busy(-1);
        var answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = {}; }
        if (xhr.status !== 201) {
          fail(item, bar, answer.detail || answer.title || words.failed);
          return;
        }
        bar.value = 100;
        bar.remove();
        var hidden = document.createElement("input");
        hidden.type = "hidden"; hidden.name = zone.dataset.name; hidden.value = answer.id;
        item.appendChild(hidden);
        item.dataset.fileId = answer.id;
        var state = document.createElement("span");
        state.className = "done"; state.textContent = " ✓ " + words.done;
        item.appendChild(state);
        addRemove(item);
      });
      xhr.addEventListener("error", function () { busy(-1); fail(item, bar, words.failed); });
      busy(1);
      xhr.send(body);
    }

    function fail(item, bar, message) {
      item.classList.add("failed");
      bar.remove();
      var text = document.createElement("span");
      text.className = "field-error"; text.setAttribute("role", "alert");
      text.textContent = " " + message;
      item.appendChild(text);
      addRemove(item);
    }

    function addRemove(item) {
      var remove = document.createElement("button");
      remove.type = "button"; remove.className = "link"; remove.textContent = words.remove;
      remove.addEventListener("click", function () { item.remove(); input.focus(); });
      item.appendChild(remove);
    }

    function take(files) { Array.prototype.forEach.call(files, upload); input.value = ""; }

    input.addEventListener("change", function () { take(input.files); });
    zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
    zone.addEventListener("drop", function (e) {
      e.preventDefault(); zone.classList.remove("over");
      if (e.dataTransfer && e.dataTransfer.files) take(e.dataTransfer.files);
    });
  }

  document.querySelectorAll("[data-upload]").forEach(setUp);
})();
