// Live filtering of the measure list by level, obligation and sector.
// Without JavaScript the full list stays readable; the links above it give static views.
(function () {
  "use strict";
  var form = document.getElementById("measure-filters");
  if (!form) return;
  var status = document.getElementById("filter-status");
  var template = status.textContent.replace(/\d+/, "{n}");
  var params = new URLSearchParams(window.location.search);
  ["level", "obligation", "sector"].forEach(function (name) {
    var value = params.get(name);
    if (value !== null && form.elements[name]) form.elements[name].value = value;
  });

  function apply() {
    var level = form.elements.level.value;
    var obligation = form.elements.obligation.value;
    var sector = form.elements.sector.value;
    var shown = 0;
    document.querySelectorAll(".measure-table tbody tr").forEach(function (row) {
      var sectors = row.dataset.sectors.split(" ");
      var visible = (!level || row.dataset.level === level) &&
        (!obligation || row.dataset.obligation === obligation) &&
        (!sector || sectors.indexOf("all") >= 0 || sectors.indexOf(sector) >= 0);
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    document.querySelectorAll(".category-group").forEach(function (group) {
      group.hidden = group.querySelectorAll("tbody tr:not([hidden])").length === 0;
    });
    status.textContent = template.replace("{n}", String(shown));
  }

  form.addEventListener("change", function () {
    apply();
    var query = new URLSearchParams();
    ["level", "obligation", "sector"].forEach(function (name) {
      if (form.elements[name].value) query.set(name, form.elements[name].value);
    });
    var qs = query.toString();
    if (window.history && window.location.protocol !== "file:") {
      window.history.replaceState(null, "", qs ? "?" + qs : window.location.pathname);
    }
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
})();
