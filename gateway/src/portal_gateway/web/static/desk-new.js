// Opening a ticket for a caller: the contacts are searched while a name, organization or
// e-mail address is typed. Without this script the search form finds them the same way.
(function () {
  "use strict";
  var WAIT_MS = 200;

  function finder(input, results) {
    var timer = null;
    var asked = input.value.trim();
    var latest = 0;
    var least = parseInt(input.dataset.min || "2", 10);

    function line(caller) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "/desk/new?contact=" + encodeURIComponent(caller.id);
      link.id = "caller-" + caller.id;
      link.textContent = caller.name + " (" + caller.username + ")";
      var more = document.createElement("span");
      more.className = "muted";
      more.textContent = " · " + caller.email + " · " + caller.organization;
      item.append(link, more);
      return item;
    }

    function show(callers) {
      results.replaceChildren();
      if (!callers.length) {
        var none = document.createElement("p");
        none.className = "empty";
        none.textContent = results.dataset.none;
        results.appendChild(none);
        return;
      }
      var list = document.createElement("ul");
      callers.forEach(function (caller) { list.appendChild(line(caller)); });
      results.appendChild(list);
    }

    function ask() {
      var q = input.value.trim();
      if (q === asked) return;
      asked = q;
      var mine = ++latest;
      if (q.length < least) { results.replaceChildren(); return; }
      fetch(input.dataset.source + "?q=" + encodeURIComponent(q), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) { if (body && mine === latest) show(body.items || []); })
        .catch(function () { /* the search button still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, WAIT_MS);
    });
  }

  var input = document.getElementById("contact-search");
  var results = document.getElementById("contact-results");
  if (input && results && input.dataset.source && window.fetch) finder(input, results);
})();
