// The ticket page. When the ticket changes elsewhere (static/live.js hears of it), the
// page is loaded again only if nothing typed here would be lost; otherwise a notice
// offers to reload. A form sent back with messages gets the focus, and previews that
// are not made yet give way to the file's name.
(function () {
  "use strict";
  var body = document.body;
  var ticket = body.dataset.ticket;
  var changed = document.querySelector("#ticket-changed .notice");
  var reload = document.getElementById("ticket-reload");

  function unsaved() {
    var fields = document.querySelectorAll("main textarea, main input[type=text], main input:not([type])");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value.trim() !== "") return true;
    }
    return document.querySelectorAll("main .uploads li").length > 0;
  }

  function fresh() {
    // The page address, not a form's: reloading a refused form would post it again.
    window.location.assign("/tickets/" + encodeURIComponent(ticket));
  }

  document.addEventListener("portal:ticket-changed", function (event) {
    event.preventDefault();
    if (!unsaved()) { fresh(); return; }
    if (changed) changed.hidden = false;
  });
  if (reload) reload.addEventListener("click", fresh);

  var alert = document.getElementById("form-alert");
  if (alert) {
    var details = alert.closest("details");
    if (details) details.open = true;
    alert.focus();
  }

  document.querySelectorAll("img.thumb").forEach(function (img) {
    var shown = img.closest("a") || img;
    function hide() { shown.hidden = true; }
    if (img.complete && img.naturalWidth === 0) hide();
    else img.addEventListener("error", hide);
  });
})();
