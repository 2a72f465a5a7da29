/* Gap index (and the portfolio's priority table, the same pattern): filter and sort in the
   browser. A form.filters names its table in data-table. Without JavaScript the full table
   still shows.
   `cjmsite serve` morphs a changed page into place, undoing what this did, and then fires
   "cjmsite:updated": all of it runs again (handlers are properties, so never twice). */
(function () {
  "use strict";
  function init() {
    document.querySelectorAll("form.filters[data-table]").forEach(function (form) {
      setup(form, document.getElementById(form.getAttribute("data-table")));
    });
  }

  function setup(form, table) {
    if (!table) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = form.querySelector("output");
    var selects = form.querySelectorAll("select[data-filter]");

    // Overdue actions, from today's date in the reader's browser (the built files stay the
    // same whatever the day): highlighted in place, without moving anything on the page.
    var now = new Date();
    var today = now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" +
      String(now.getDate()).padStart(2, "0");
    document.querySelectorAll("time[datetime]").forEach(function (time) {
      var item = time.closest("li, tr");
      if (!item || time.getAttribute("datetime") >= today) return;
      var badge = item.querySelector(".badge[class*='status-']");
      var status = item.getAttribute("data-status") ||
        (badge ? badge.className.replace(/.*status-(\S+).*/, "$1") : "");
      if (status === "done" || status === "dropped") return;
      time.classList.add("overdue");
      time.title = table.dataset.overdue;
      var note = document.createElement("span");
      note.className = "visually-hidden";
      note.textContent = " (" + table.dataset.overdue + ")";
      time.appendChild(note);
    });

    function matches(row, key, value, select) {
      if (!value) return true;
      var data = row.getAttribute("data-" + key) || "";
      var sep = select.getAttribute("data-sep") ||
        (key === "owner" ? "|" : (key === "status" ? " " : null));
      return sep ? data.split(sep).indexOf(value) !== -1 : data === value;
    }

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = true;
        selects.forEach(function (s) { ok = ok && matches(row, s.name, s.value, s); });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = table.dataset.showing + " " + shown + " " + table.dataset.of + " " + rows.length;
      var params = new URLSearchParams();
      selects.forEach(function (s) { if (s.value) params.set(s.name, s.value); });
      var query = params.toString();
      if (window.history && location.protocol !== "file:") {
        history.replaceState(null, "", query ? "?" + query + location.hash : location.pathname + location.hash);
      }
    }

    var initial = new URLSearchParams(location.search);
    selects.forEach(function (s) {
      if (initial.get(s.name)) s.value = initial.get(s.name);
      s.onchange = apply;
    });
    form.onreset = function () { setTimeout(apply, 0); };

    table.querySelectorAll("th[data-sort]").forEach(function (th, _i) {
      var index = Array.prototype.indexOf.call(th.parentNode.children, th);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th[data-sort]").forEach(function (o) { o.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.dataset.sort === "rank";
        rows.sort(function (a, b) {
          var x = a.cells[index].dataset.value || a.cells[index].textContent.trim();
          var y = b.cells[index].dataset.value || b.cells[index].textContent.trim();
          var r = numeric ? Number(x) - Number(y) : x.localeCompare(y, document.documentElement.lang, { sensitivity: "base", numeric: true });
          return ascending ? r : -r;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    apply();
  }
  init();
  document.addEventListener("cjmsite:updated", init);
})();
