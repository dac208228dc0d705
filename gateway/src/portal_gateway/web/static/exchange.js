// File exchange pages: copy a new share's link to the clipboard, and upload files with a
// progress bar each. Without script the page keeps its plain upload form.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var lang = document.body.dataset.lang === "de" ? "de" : "en";
  var words = {
    en: {
      done: "uploaded", failed: "Upload failed.", tooLarge: "The file is too large.",
      type: "This kind of file is not accepted.", password: "The link needs its password: reload the page.",
      gone: "The link no longer works.", busy: "Too many attempts. Wait a few minutes.",
      choose: "Choose a file to upload."
    },
    de: {
      done: "hochgeladen", failed: "Hochladen fehlgeschlagen.", tooLarge: "Die Datei ist zu groß.",
      type: "Diese Art von Datei wird nicht angenommen.", password: "Der Link braucht sein Passwort: Laden Sie die Seite neu.",
      gone: "Der Link funktioniert nicht mehr.", busy: "Zu viele Versuche. Warten Sie einige Minuten.",
      choose: "Wählen Sie eine Datei zum Hochladen."
    }
  }[lang];

  function size(bytes) {
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1048576) return (bytes / 1024).toFixed(0) + " KB";
    if (bytes < 1073741824) return (bytes / 1048576).toFixed(1) + " MB";
    return (bytes / 1073741824).toFixed(1) + " GB";
  }

  function problem(status) {
    if (status === 413) return words.tooLarge;
    if (status === 415) return words.type;
    if (status === 401) return words.password;
    if (status === 404 || status === 410) return words.gone;
    if (status === 429) return words.busy;
    return words.failed;
  }

  // -- copy the link ---------------------------------------------------------------------
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = button.closest(".new-link").querySelector(".copy-status");
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () { status.textContent = status.dataset.copied; },
        function () { field.select(); status.textContent = status.dataset.copyFailed; }
      );
    });
  });

  // -- uploads with progress -------------------------------------------------------------
  function setUp(form) {
    var input = form.querySelector('input[type="file"]');
    var list = form.querySelector(".exchange-progress");
    var submit = form.querySelector('button[type="submit"]');
    var pending = 0;
    var failures = 0;
    input.multiple = true;

    function finished(ok) {
      pending -= 1;
      if (!ok) failures += 1;
      if (pending > 0) return;
      submit.disabled = false;
      // All stored: show the page again, now with the new files.
      if (failures === 0) window.location.assign(form.dataset.done);
    }

    function send(file) {
      var item = document.createElement("li");
      var label = document.createElement("span");
      label.textContent = file.name + " (" + size(file.size) + ")";
      var bar = document.createElement("progress");
      bar.max = 100; bar.value = 0;
      bar.setAttribute("aria-label", file.name);
      item.append(label, bar);
      list.appendChild(item);

      var xhr = new XMLHttpRequest();
      var body = file;
      if (form.dataset.mode === "multipart") {
        xhr.open("POST", form.dataset.url);
        body = new FormData();
        body.append("file", file, file.name);
      } else {
        xhr.open("PUT", form.dataset.url.replace("{name}", encodeURIComponent(file.name)));
        xhr.setRequestHeader("Content-Type", "application/octet-stream");
      }
      xhr.setRequestHeader("X-CSRF-Token", csrf ? csrf.content : "");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      });
      xhr.addEventListener("load", function () {
        var ok = xhr.status === 201;
        bar.remove();
        var state = document.createElement("span");
        state.className = ok ? "done" : "field-error";
        if (!ok) state.setAttribute("role", "alert");
        state.textContent = ok ? " ✓ " + words.done : " " + problem(xhr.status);
        item.appendChild(state);
        finished(ok);
      });
      xhr.addEventListener("error", function () {
        bar.remove();
        var state = document.createElement("span");
        state.className = "field-error"; state.setAttribute("role", "alert");
        state.textContent = " " + words.failed;
        item.appendChild(state);
        finished(false);
      });
      xhr.send(body);
    }

    function take(files) {
      if (!files || files.length === 0) return;
      failures = 0;
      pending += files.length;
      submit.disabled = true;
      Array.prototype.forEach.call(files, send);
      input.value = "";
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!input.files || input.files.length === 0) {
        var note = document.createElement("li");
        note.className = "field-error"; note.setAttribute("role", "alert");
        note.textContent = words.choose;
        list.appendChild(note);
        return;
      }
      take(input.files);
    });
    form.addEventListener("dragover", function (e) { e.preventDefault(); form.classList.add("over"); });
    form.addEventListener("dragleave", function () { form.classList.remove("over"); });
    form.addEventListener("drop", function (e) {
      e.preventDefault(); form.classList.remove("over");
      if (e.dataTransfer) take(e.dataTransfer.files);
    });
  }

  document.querySelectorAll("form[data-exchange-upload]").forEach(setUp);
})();
