// Live notifications for a signed-in page: the unread badge in the header, a short
// notice for each new notification, new entries at the top of the notifications page,
// and a reload of a ticket page when its ticket changes. The browser's EventSource
// reconnects by itself and sends Last-Event-ID, so nothing is missed in between.
(function () {
  "use strict";
  var body = document.body;
  if (body.dataset.signedIn !== "1" || !window.EventSource) return;
  var badge = document.getElementById("unread-badge");
  var list = document.getElementById("notification-list");
  var unread = 0;

  function showUnread(count) {
    unread = count;
    if (!badge) return;
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.hidden = count === 0;
  }

  function notice(text, href) {
    // The live region announces the link; the link keeps its own role and name (a link
    // with role="status" would have no name for assistive technology).
    var region = document.createElement("div");
    region.setAttribute("role", "status");
    var box = document.createElement("a");
    box.className = "toast";
    box.href = href || "/notifications";
    box.textContent = text || href || "/notifications";
    region.appendChild(box);
    document.body.appendChild(region);
    setTimeout(function () { region.remove(); }, 6000);
  }

  function prepend(n) {
    if (!list) return;
    var empty = list.querySelector(".empty");
    if (empty) empty.remove();
    var item = document.createElement("li");
    item.className = "unread";
    var link = document.createElement("a");
    link.href = n.link || "#";
    link.textContent = (n.ticket_number ? n.ticket_number + " " : "") + n.title;
    item.appendChild(link);
    if (n.body) {
      var excerpt = document.createElement("p");
      excerpt.className = "excerpt";
      excerpt.textContent = n.body;
      item.appendChild(excerpt);
    }
    list.insertBefore(item, list.firstChild);
  }

  fetch("/api/v1/notifications?limit=1", { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (page) { if (page) showUnread(page.unread_count); });

  var stream = new EventSource("/api/v1/notifications/stream");
  stream.addEventListener("notification", function (event) {
    var n = JSON.parse(event.data);
    // A read entry (the receipt of one's own mail) counts as nothing new.
    if (!n.read) showUnread(unread + 1);
    prepend(n);
    var ticket = body.dataset.ticket;
    if (ticket && ticket === n.ticket_number) {
      // The page may keep what its reader is typing and reload in its own way.
      var changed = new CustomEvent("portal:ticket-changed", { cancelable: true, detail: n });
      if (document.dispatchEvent(changed)) window.location.reload();
      return;
    }
    if (!n.read) notice(n.title, n.link);
  });
  // Who else of the service desk has a ticket open: for the desk's work page
  // (presence.js), which needs no stream of its own.
  stream.addEventListener("presence", function (event) {
    var change = JSON.parse(event.data);
    document.dispatchEvent(new CustomEvent("portal:presence", { detail: change }));
  });
})();
