/* The journeys list as a tree: journeys below the first level start collapsed under a
   button on their parent's row. Without JavaScript every journey shows, indented.
   `cjmsite serve` morphs a changed page into place and fires "cjmsite:updated". */
(function () {
  "use strict";
  function rowsUnder(table, id) {
    var out = [];
    table.querySelectorAll("tr[data-parent='" + id + "']").forEach(function (row) {
      out.push(row);
      out = out.concat(rowsUnder(table, row.getAttribute("data-journey")));
    });
    return out;
  }
  function init() {
    document.querySelectorAll("table.data").forEach(function (table) {
      table.querySelectorAll("button.tree-toggle").forEach(function (button) {
        var row = button.closest("tr");
        var id = row.getAttribute("data-journey");
        function show(open) {
          button.setAttribute("aria-expanded", open ? "true" : "false");
          rowsUnder(table, id).forEach(function (r) { r.hidden = !open; });
          if (open) {  // open only one level: deeper rows stay as their own buttons say
            rowsUnder(table, id).forEach(function (r) {
              var b = r.querySelector("button.tree-toggle");
              if (b && b.getAttribute("aria-expanded") === "false") {
                rowsUnder(table, r.getAttribute("data-journey")).forEach(function (d) { d.hidden = true; });
              }
            });
          }
        }
        button.hidden = false;
        button.onclick = function () { show(button.getAttribute("aria-expanded") !== "true"); };
        show(false);
      });
    });
  }
  init();
  document.addEventListener("cjmsite:updated", init);
})();
