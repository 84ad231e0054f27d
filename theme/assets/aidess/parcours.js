// The visitor's answers travel with them (docs/interfaces.md §5): a result card links to the
// aid page with the search's query (recherche.js); here, on the aid page, « Être rappelé »
// then carries them to the form (with the aid's own needs), and a link goes back to the
// results; on the form, a link goes back with what it holds. One mapping between the
// search's names and the form's: generator/content/urls.py SEARCH_TO_FORM, which the build
// writes into the page (theme/main.html).
(function () {
  "use strict";
  var SEARCH_TO_FORM = {};
  try { SEARCH_TO_FORM = JSON.parse(document.getElementById("aidess-reponses").textContent); } catch (e) { return; }
  var MAX_BESOINS = 5;
  var FORM_PATH = "/demande/";
  var query = new URLSearchParams(window.location.search);
  var onForm = window.location.pathname === FORM_PATH;

  function backLink(href, text) {
    var p = document.createElement("p");
    p.className = "aidess-retour";
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    p.appendChild(a);
    var h1 = document.querySelector(".md-content h1");
    if (h1) h1.parentNode.insertBefore(p, h1);
  }

  if (!onForm) {
    // An aid page reached from the search: its « Être rappelé » links take the answers.
    var given = Object.keys(SEARCH_TO_FORM).some(function (name) { return query.get(name); });
    if (!given) return;
    document.querySelectorAll("a[href^='" + FORM_PATH + "']").forEach(function (link) {
      var url = new URL(link.href, window.location.href), params = url.searchParams;
      var needs = query.getAll("besoin").concat(params.getAll("besoins"));
      Object.keys(SEARCH_TO_FORM).forEach(function (name) {
        var field = SEARCH_TO_FORM[name], values = query.getAll(name).filter(Boolean);
        if (name === "besoin" || !values.length) return;
        if (values.length === 1) params.set(field, values[0]);  // several: the visitor chooses
      });
      params.delete("besoins");
      needs.filter(function (b, i) { return b && needs.indexOf(b) === i; })
        .slice(0, MAX_BESOINS).forEach(function (b) { params.append("besoins", b); });
      link.href = url.pathname + "?" + params.toString();
    });
    backLink("/?" + query.toString(), "← Revenir aux résultats de votre recherche");
    return;
  }

  // The form: back to the aid (or the search) with the answers it was given, under the
  // search's names.
  var back = new URLSearchParams();
  Object.keys(SEARCH_TO_FORM).forEach(function (name) {
    query.getAll(SEARCH_TO_FORM[name]).join(",").split(",").filter(Boolean).forEach(function (v) {
      back.append(name, v);
    });
  });
  var aide = query.get("aide");
  var slug = aide && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(aide) ? aide : "";
  if (!slug && !back.toString()) return;
  var rest = back.toString() ? "?" + back.toString() : "";
  backLink(slug ? "/aides/" + slug + "/" + rest : "/" + rest,
    slug ? "← Revenir à la fiche de l'aide" : "← Revenir aux aides de votre recherche");
})();
