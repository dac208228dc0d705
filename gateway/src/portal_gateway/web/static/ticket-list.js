// The Excel export of a ticket list: fetched as a file in the background so the link can
// say that the workbook is being prepared; without script the link downloads it directly.
(function () {
  "use strict";
  var link = document.getElementById("export-link");
  if (!link || !window.fetch || !window.URL || !URL.createObjectURL) return;
  var status = document.getElementById("export-status");
  var label = link.textContent;

  function say(text) { if (status) status.textContent = text; }

  function fileName(header) {
    var match = /filename="?([^";]+)"?/.exec(header || "");
    return match ? match[1] : "tickets.xlsx";
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = name;
    anchor.hidden = true;
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function done() {
    link.removeAttribute("aria-busy");
    link.textContent = label;
  }

  link.addEventListener("click", function (event) {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;
    link.setAttribute("aria-busy", "true");
    link.textContent = link.dataset.preparing;
    say(link.dataset.preparing);
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("export " + response.status);
        var name = fileName(response.headers.get("Content-Disposition"));
        return response.blob().then(function (blob) { save(blob, name); });
      })
      .then(function () { done(); say(link.dataset.ready); })
      .catch(function () { done(); say(link.dataset.failed); });
  });
})();
