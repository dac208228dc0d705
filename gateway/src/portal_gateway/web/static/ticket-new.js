// The new-ticket form: help articles suggested while the title is typed, and only the
// subtypes of the chosen subject area. The form works the same without this script.
(function () {
  "use strict";
  var WAIT_MS = 250;
  var MAX_SUGGESTIONS = 5;

  function suggestions(input, box) {
    var timer = null;
    var asked = "";
    var latest = 0;

    function show(items) {
      box.replaceChildren();
      if (!items.length) return;
      var heading = document.createElement("h3");
      heading.textContent = box.dataset.heading;
      var list = document.createElement("ul");
      items.slice(0, MAX_SUGGESTIONS).forEach(function (article) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "/faq/" + encodeURIComponent(article.id) + "?language=" + encodeURIComponent(article.language);
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = article.title;
        var note = document.createElement("span");
        note.className = "sr-only";
        note.textContent = " (" + box.dataset.newTab + ")";
        link.appendChild(note);
        item.appendChild(link);
        list.appendChild(item);
      });
      box.append(heading, list);
    }

    function ask() {
      var q = input.value.trim();
      if (q === asked) return;
      asked = q;
      var mine = ++latest;
      if (q.length < 3) { show([]); return; }
      fetch("/api/v1/faq/suggest?q=" + encodeURIComponent(q), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (body) { if (mine === latest) show(body.items || []); })
        .catch(function () { if (mine === latest) show([]); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, WAIT_MS);
    });
    if (input.value.trim()) ask();  // a title given by a deep link
  }

  function subtypes(area, select) {
    function sync() {
      var chosen = area.value;
      select.querySelectorAll("optgroup").forEach(function (group) {
        var fits = group.dataset.area === chosen;
        group.hidden = !fits;
        group.disabled = !fits;
      });
      var current = select.options[select.selectedIndex];
      if (current && current.parentElement.disabled) select.value = "";
    }
    area.addEventListener("change", sync);
    sync();
  }

  // The contact list holds the first colleagues; a search asks the service for others.
  // The chosen person and "me" stay in the list whatever is searched.
  function contactSearch(input, select) {
    var timer = null;
    var latest = 0;
    var me = select.options[0];

    function fill(people) {
      var chosen = select.options[select.selectedIndex];
      var keep = [me];
      if (chosen && chosen !== me) keep.push(chosen);
      select.replaceChildren.apply(select, keep);
      people.forEach(function (person) {
        if (chosen && person.id === chosen.value) return;
        var option = document.createElement("option");
        option.value = person.id;
        option.textContent = (person.display_name || person.username) + " (" + person.username + ")";
        select.appendChild(option);
      });
      if (!people.length) {
        var none = document.createElement("option");
        none.disabled = true;
        none.textContent = input.dataset.none;
        select.appendChild(none);
      }
    }

    function ask() {
      var mine = ++latest;
      var q = input.value.trim();
      fetch("/api/v1/ticket-contacts?q=" + encodeURIComponent(q), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (body && mine === latest) {
            fill((body.items || []).filter(function (p) { return p.id !== select.dataset.me; }));
          }
        })
        .catch(function () { /* keep the list as it is */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, WAIT_MS);
    });
  }

  var title = document.getElementById("title");
  var box = document.getElementById("faq-suggestions");
  if (title && box && window.fetch) suggestions(title, box);
  var area = document.getElementById("subject_area");
  var subtype = document.getElementById("subtype");
  if (area && subtype) subtypes(area, subtype);
  var contactBox = document.getElementById("contact-search-box");
  var contact = document.getElementById("contact_id");
  if (contactBox && contact && window.fetch) {
    contactBox.hidden = false;
    contactSearch(document.getElementById("contact-search"), contact);
  }
})();
