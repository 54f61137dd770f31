// Governors' open escalations: when a new one is raised, fetch the list again and announce the
// new rows. Without JavaScript (or EventSource) the page keeps its "Refresh the list" link.
(function () {
  "use strict";
  var list = document.getElementById("escalations-list");
  var announcer = document.getElementById("escalations-announcer");
  if (!list || !announcer || !window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }

  function rowIds() {
    var ids = {};
    list.querySelectorAll("tr[id^='escalation-']").forEach(function (row) {
      ids[row.id] = true;
    });
    return ids;
  }

  function describe(row) {
    var link = row.querySelector("a");
    var cells = row.querySelectorAll("td");
    var due = cells.length > 2 ? cells[2].textContent.replace(/\s+/g, " ").trim() : "";
    return "New escalation: " + (link ? link.textContent.trim() : "") + (due ? ". Respond by " + due + "." : ".");
  }

  var fetching = null;
  var again = false;

  function refresh() {
    // One fetch at a time; a message arriving meanwhile asks for one more afterwards.
    if (fetching) {
      again = true;
      return fetching;
    }
    var before = rowIds();
    fetching = fetch(list.getAttribute("data-fragment"), {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      cache: "no-store"
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("list not fetched: " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var parsed = new DOMParser().parseFromString(html, "text/html");
        list.replaceChildren.apply(list, Array.prototype.slice.call(parsed.body.childNodes));
        var news = [];
        list.querySelectorAll("tr[id^='escalation-']").forEach(function (row) {
          if (!before[row.id]) {
            news.push(describe(row));
          }
        });
        if (news.length) {
          announcer.textContent = news.join(" ");
        }
      })
      .catch(function () {
        announcer.textContent = "The list could not be updated. Use the Refresh the list link.";
      })
      .then(function () {
        fetching = null;
        if (again) {
          again = false;
          refresh();
        }
      });
    return fetching;
  }

  var source = new EventSource(list.getAttribute("data-events"));
  source.addEventListener("open", function () {
    list.setAttribute("data-live", "connected");
  });
  // A new escalation; or "refresh" when the server cannot tell what was missed while reconnecting.
  source.addEventListener("escalation", refresh);
  source.addEventListener("refresh", refresh);
  window.addEventListener("pagehide", function () {
    source.close();
  });
})();
