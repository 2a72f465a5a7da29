/* The portfolio's priority table: filter by status, journey and owner, sort by any column
   (the gap index's pattern: filters in a form above the table, "Showing N of M", sortable
   headers). Without JavaScript the whole table shows. `cjmsite serve` fires
   "cjmsite:updated" after patching a page: all of it runs again. */
(function () {
  "use strict";
  function init() {
    var form = document.getElementById("opp-filters");
    var table = document.getElementById("opp-table");
    if (!form || !table) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = form.querySelector("output");
    var selects = form.querySelectorAll("select[data-filter]");
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = true;
        selects.forEach(function (s) {
          if (!s.value) return;
          var data = row.getAttribute("data-" + s.name) || "";
          ok = ok && data.split("|").indexOf(s.value) !== -1;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = table.dataset.showing + " " + shown + " " + table.dataset.of + " " + rows.length;
    }
    selects.forEach(function (s) { s.onchange = apply; });
    form.onreset = function () { setTimeout(apply, 0); };
    table.querySelectorAll("th[data-sort]").forEach(function (th) {
      if (th.querySelector("button.sort")) return;
      var index = Array.prototype.indexOf.call(th.parentNode.children, th);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.onclick = function () {
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
      };
    });
    apply();
  }
  init();
  document.addEventListener("cjmsite:updated", init);
})();
