/* Themes of earlier versions load assets/gaps.js on their gap index: the filters and
   sorting live in filters.js now (shared with the portfolio's priority table), so this
   only loads it, from the same folder. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || document.querySelector("script[src$='filters.js']")) return;
  var script = document.createElement("script");
  script.src = me.src.replace(/gaps\.js([?#].*)?$/, "filters.js");
  document.head.appendChild(script);
})();
