// The home search's state and its address (docs/interfaces.md §5): the words, the sort, the
// commune and one list of values per facet, kept in the query string under the names of
// generator/content/urls.py; what the visitor's words were read as (mots.js); and the
// callback form's address carrying the same answers under the form's names (one mapping,
// urls.py SEARCH_TO_FORM, which the build writes into the page). Pure functions: the page's
// scripts (recherche.js, sources.js, cartes.js) pass in what they read from the DOM.
(function (root) {
  "use strict";
  var FACETS = ["region", "departement", "secteur", "besoin", "structure", "effectif",
    "etape", "nature", "statut"];
  var SORTS = ["echeance", "nouveautes"];  // « tri » besides the default, pertinence
  var COMMUNE = /^[0-9][0-9AB][0-9]{3}$/;  // an INSEE code
  var MAX_BESOINS = 5;  // needs carried to the callback form

  function blank() {
    var state = { q: "", tri: "", commune: "", filters: {} };
    FACETS.forEach(function (name) { state.filters[name] = []; });
    return state;
  }
  // The state of a query string; a commune brings its department (`departmentOf`, from
  // communes.js) into the `departement` filter.
  function read(search, departmentOf) {
    var params = new URLSearchParams(search);
    var state = blank();
    state.q = params.get("q") || "";
    state.tri = SORTS.indexOf(params.get("tri")) >= 0 ? params.get("tri") : "";
    FACETS.forEach(function (name) { state.filters[name] = params.getAll(name).filter(Boolean); });
    state.commune = COMMUNE.test(params.get("commune") || "") ? params.get("commune") : "";
    if (state.commune && departmentOf) state.filters.departement = [departmentOf(state.commune)];
    return state;
  }
  function write(state) {
    var params = new URLSearchParams();
    if (state.q) params.append("q", state.q);
    FACETS.forEach(function (name) {
      state.filters[name].forEach(function (value) { params.append(name, value); });
    });
    if (state.commune) params.append("commune", state.commune);
    if (state.tri) params.append("tri", state.tri);
    return params.toString();
  }
  // How many filters are given (the commune counts as one when `names` is not given).
  function activeCount(state, names) {
    return (names || FACETS).reduce(function (n, name) { return n + state.filters[name].length; },
      state.commune && !names ? 1 : 0);
  }
  function copy(state) {
    return JSON.parse(JSON.stringify(state));
  }

  // The search as it runs: the visitor's filters plus those their words name (mots.js with
  // the lexicon: « asso », « Nord », « 1 salarié », « trésorerie »); the other words are
  // searched as typed (`q`); natures named by words only rank (`natures`); `compris` lists
  // what the words were read as.
  function effective(state, reader, lexicon) {
    var read = reader && lexicon ? reader.parse(state.q, lexicon)
      : { filtres: {}, mots: state.q ? [state.q] : [], compris: [] };
    var eff = { q: read.mots.join(" "), tri: state.tri, filters: {}, compris: read.compris,
      natures: read.filtres.nature || [] };
    FACETS.forEach(function (name) {
      var mine = state.filters[name].slice();
      if (name !== "nature") (read.filtres[name] || []).forEach(function (v) {
        if (mine.indexOf(v) < 0) mine.push(v);
      });
      eff.filters[name] = mine;
    });
    return eff;
  }

  // The callback form's address with what the visitor already told the search: `mapping` is
  // urls.py SEARCH_TO_FORM (search name → form name). A facet goes when it has one value (the
  // visitor chooses among several on the form), the needs up to 5, the department of the aid
  // (`departement`) when the search has not one.
  function callbackUrl(state, mapping, formUrl, slug, departement) {
    var params = new URLSearchParams(), f = state.filters;
    if (slug) params.append("aide", slug);
    Object.keys(mapping).forEach(function (name) {
      var field = mapping[name];
      if (name === "commune") {
        if (state.commune) params.append(field, state.commune);
      } else if (name === "besoin") {
        f.besoin.slice(0, MAX_BESOINS).forEach(function (b) { params.append(field, b); });
      } else if (f[name] && f[name].length === 1) {
        params.append(field, f[name][0]);
      } else if (name === "departement" && departement) {
        params.append(field, departement);
      }
    });
    var query = params.toString();
    return formUrl + (query ? "?" + query : "");
  }

  var api = { FACETS: FACETS, SORTS: SORTS, blank: blank, read: read, write: write,
    activeCount: activeCount, copy: copy, effective: effective, callbackUrl: callbackUrl };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.AidessEtat = api;
})(this);
