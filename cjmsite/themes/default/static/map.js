// Reading a wide journey map: the lane labels stay in view while the map scrolls sideways
// (the label column is one SVG group, moved by the scroll offset), and a button scales
// the whole map into the page and back. Without this script the map simply scrolls.
(function () {
  "use strict";
  document.querySelectorAll(".map-scroll").forEach(function (box) {
    var svg = box.querySelector("svg.cjm-map");
    var labels = svg && svg.querySelector(".lane-labels");
    if (!svg || !labels) return;
    var pending = false;
    function follow() {
      pending = false;
      var width = svg.viewBox.baseVal && svg.viewBox.baseVal.width;
      var scale = width ? svg.getBoundingClientRect().width / width : 1;
      var x = box.scrollLeft / (scale || 1);
      labels.setAttribute("transform", x ? "translate(" + x.toFixed(1) + " 0)" : "");
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
    button.hidden = !wide();
    label();
    button.addEventListener("click", function () {
      box.classList.toggle("fit");
      box.scrollLeft = 0;
      follow();
      label();
    });
  });
})();
