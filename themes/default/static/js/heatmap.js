// Crosswalk heat map: recolour the cells for the chosen level and obligation.
// Each cell carries its state under every filter in data-states ("a3=f r1=n ..."), computed by
// kijun at build time; without JavaScript the map shows coverage by all measures.
(function () {
  "use strict";
  var form = document.getElementById("heatmap-filters");
  if (!form) return;
  var status = document.getElementById("heatmap-status");
  var names = { f: "full", p: "partial", n: "none" };
  var labels = {};
  document.querySelectorAll(".heat-legend .heat-swatch").forEach(function (swatch) {
    var state = swatch.className.replace(/.*cov-/, "");
    labels[state] = swatch.parentNode.textContent.trim();
  });

  function apply() {
    var key = form.elements.obligation.value + form.elements.level.value;
    var counts = { full: 0, partial: 0, none: 0 };
    document.querySelectorAll(".heat-cell").forEach(function (cell) {
      var match = new RegExp("(?:^| )" + key + "=(\\w)").exec(cell.dataset.states);
      var state = names[match ? match[1] : "n"];
      cell.className = "heat-cell cov-" + state;
      cell.querySelector(".heat-state").textContent = labels[state] || state;
      counts[state] += 1;
    });
    status.textContent = Object.keys(counts).map(function (s) {
      return (labels[s] || s) + " " + counts[s];
    }).join(", ");
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
})();
