// Reading a wide journey map: the lane labels stay in view while the map scrolls sideways
// (the label column is one SVG group, moved by the scroll offset), and a button scales
// the whole map into the page and back. Without this script the map simply scrolls.
// `cjmsite serve` updates a page in place and then fires "cjmsite:updated": a map seen
// before only has its button brought up to date, a new one is set up.
(function () {
  "use strict";
  function setup(box) {
    if (box.cjmsiteRefresh) { box.cjmsiteRefresh(); return; }
    var svg = box.querySelector("svg.cjm-map");
    var labels = svg && svg.querySelector(".lane-labels");
    if (!svg || !labels) return;
    var pending = false;
    function follow() {
      pending = false;
      var width = svg.viewBox.baseVal && svg.viewBox.baseVal.width;
      var scale = width ? svg.getBoundingClientRect().width / width : 1;
      var x = box.scrollLeft / (scale || 1);
      if (x) labels.setAttribute("transform", "translate(" + x.toFixed(1) + " 0)");
      else labels.removeAttribute("transform");
    }
    box.addEventListener("scroll", function () {
      if (!pending) { pending = true; window.requestAnimationFrame(follow); }
    }, { passive: true });
    var button = document.querySelector("[data-fit='" + box.id + "']");
    if (!button) return;
    function wide() { return svg.getBoundingClientRect().width > box.clientWidth + 1; }
    function label() {
      var fitted = box.classList.contains("fit");
      button.textContent = fitted ? button.dataset.actual : button.dataset.fitLabel;
      button.setAttribute("aria-pressed", fitted ? "true" : "false");
    }
    box.cjmsiteRefresh = function () {
      svg = box.querySelector("svg.cjm-map");
      labels = svg && svg.querySelector(".lane-labels");
      if (!svg || !labels) return;
      button.hidden = !wide();
      label();
      follow();
    };
    button.hidden = !wide();
    label();
    button.addEventListener("click", function () {
      box.classList.toggle("fit");
      box.scrollLeft = 0;
      follow();
      label();
    });
  }
  function all() { document.querySelectorAll(".map-scroll").forEach(setup); }
  all();
  document.addEventListener("cjmsite:updated", all);
})();
