// The desk's work page: says every 20 s that its agent has the ticket open (and, while
// they type a reply, that they are writing), and shows who else of the service desk
// has it open. Changes come from the page's one live stream, which live.js passes on
// as `portal:presence`. The words are the notice's data attributes, in the page's
// language; `{name}` stands for the colleague's name.
(function () {
  "use strict";
  var BEAT_MS = 20000;
  // Writing counts as stopped this long after the last keystroke.
  var TYPING_MS = 10000;

  var notice = document.getElementById("presence");
  if (!notice || !window.fetch) return;
  var ticket = notice.dataset.ticket;
  var path = "/api/v1/notifications/presence/" + encodeURIComponent(ticket);
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var token = csrf ? csrf.content : "";
  var reply = document.getElementById("body");
  var typing = false;
  var typingTimer = null;
  var here = true;

  function show(viewers) {
    notice.replaceChildren();
    viewers.forEach(function (viewer) {
      var line = document.createElement("p");
      var words = viewer.typing ? notice.dataset.typing : notice.dataset.viewing;
      line.textContent = words.replace("{name}", viewer.name);
      notice.appendChild(line);
    });
    notice.hidden = viewers.length === 0;
  }

  function say() {
    if (!here) return;
    fetch(path, {
      method: "PUT",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRF-Token": token
      },
      body: JSON.stringify({ typing: typing })
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) { if (answer) show(answer.viewers || []); })
      .catch(function () { /* the next beat tries again */ });
  }

  function stoppedTyping() {
    typingTimer = null;
    typing = false;
    say();
  }

  if (reply) {
    reply.addEventListener("input", function () {
      if (typingTimer) clearTimeout(typingTimer);
      typingTimer = setTimeout(stoppedTyping, TYPING_MS);
      if (!typing) {
        typing = true;
        say();
      }
    });
  }

  document.addEventListener("portal:presence", function (event) {
    var change = event.detail;
    if (change && change.ticket === ticket) show(change.viewers || []);
  });

  // Leaving the page: the others hear of it at once, not only when the beat is missed.
  // keepalive lets the request outlive the page.
  window.addEventListener("pagehide", function () {
    here = false;
    fetch(path + "/leave", {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "X-CSRF-Token": token }
    }).catch(function () { /* the row goes stale by itself */ });
  });
  // Back from the browser's page cache: there again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    here = true;
    say();
  });

  say();
  setInterval(say, BEAT_MS);
})();
