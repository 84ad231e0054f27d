// Alerts (form_service/alerts/, generator/content/forms/templates/alertes_form.html): the home page's alert
// form takes the search's current filters (docs/interfaces.md §8): the search
// keeps them in the query string (recherche.js), so this reads them from there, shows them
// under the form, and copies them into hidden fields when the form is sent. Without
// JavaScript the form still works, with the department chosen in its own select.
(function () {
  "use strict";
  var form = document.querySelector("form[data-alertes-filtres]");
  if (!form) return;
  var FACETS = ["besoin", "secteur", "structure", "effectif"];
  var labels = JSON.parse(form.getAttribute("data-libelles") || "{}");
  var summary = document.getElementById("alerte-filtres");
  var select = document.getElementById("alerte-departement");

  function current() {
    var params = new URLSearchParams(window.location.search);
    var filters = {};
    FACETS.concat(["region", "departement", "commune"]).forEach(function (name) {
      var values = params.getAll(name).filter(function (v) { return v; });
      if (values.length) filters[name] = values;
    });
    return filters;
  }

  function label(name, value) {
    return (labels[name] && labels[name][value]) || value;
  }

  function show() {
    var filters = current();
    var parts = [];
    if (filters.region && !filters.departement) parts.push(label("region", filters.region[0]));
    FACETS.forEach(function (name) {
      if (filters[name]) parts.push(filters[name].map(function (v) { return label(name, v); }).join(" ou "));
    });
    if (filters.departement && select && !select.dataset.touched) select.value = filters.departement[0];
    var place = document.getElementById("alerte-commune");
    if (place && !place.dataset.touched && window.AidessCommunes) {
      var code = filters.commune ? filters.commune[0] : "";
      if (!code) place.value = "";
      else window.AidessCommunes.find(code).then(function (c) { if (c) place.value = c.label; });
    }
    if (summary) {
      summary.hidden = parts.length === 0;
      summary.textContent = parts.length ? "Avec les filtres de votre recherche : " + parts.join(" ; ") + "." : "";
    }
  }

  function copy() {
    form.querySelectorAll("input[data-alertes-copie]").forEach(function (input) { input.remove(); });
    var filters = current();
    var names = FACETS.slice();
    if (filters.region && !(select && select.value)) names.push("region");
    names.forEach(function (name) {
      (filters[name] || []).forEach(function (value) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        input.setAttribute("data-alertes-copie", "");
        form.appendChild(input);
      });
    });
  }

  if (select) select.addEventListener("change", function () { select.dataset.touched = "1"; });
  var typed = document.getElementById("alerte-commune");
  if (typed) typed.addEventListener("input", function () { typed.dataset.touched = "1"; });
  // The search updates the address after its own handlers: read it once they ran.
  document.addEventListener("change", function () { window.setTimeout(show, 0); });
  document.addEventListener("input", function () { window.setTimeout(show, 0); });
  window.addEventListener("popstate", show);
  form.addEventListener("focusin", show);
  form.addEventListener("submit", copy);
  show();
})();
