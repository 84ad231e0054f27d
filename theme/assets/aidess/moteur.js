// Pagefind from the home search (docs/interfaces.md §5): loading it (~160 KB before any
// result, so only when the visitor turns to the search), one call at a time, and the search's
// state as Pagefind's filters and sorts (generator/indexing.py, generator/listings.py).
// sources.js decides when Pagefind answers instead of a territory's listing.
window.AidessMoteur = (function () {
  "use strict";
  var Etat = window.AidessEtat;

  // Territory D (department or region): its own aids (`<facet>-local`, exclusions applied at
  // build time), or a national aid not excluding it (`<facet>-hors`). The full `departement`
  // and `region` filters list each national aid under every territory: only the live counts
  // load them (generator/listings.py `territory_filters`).
  function territory(name, code) {
    var local = {}, hors = {};
    local[name + "-local"] = code;
    hors[name + "-hors"] = code;
    return { any: [local, { all: [{ national: "oui" }, { not: hors }] }] };
  }

  // `sigles`: the carriers' acronyms the catalog knows; `shown`: the statuses shown when none
  // is asked (closed aids hidden).
  function create(sigles, shown) {
    var pagefind = null, loading = null;
    // One Pagefind call at a time: overlapping searches, fragment loads and filter loads (a
    // facet clicked while results load) could leave a search unanswered under load.
    var chain = Promise.resolve();
    function serial(task) {
      var next = chain.then(task);
      chain = next.then(function () {}, function () {});
      return next;
    }
    function load() {
      if (loading) return loading;
      loading = import("/pagefind/pagefind.js").then(function (module) {
        return module.options({ excerptLength: 20 }).then(function () {
          return module.init ? module.init() : null;
        }).then(function () { pagefind = module; return module; });
      });
      loading.catch(function () { loading = null; });
      return loading;
    }
    // An acronym typed in capitals that the catalog knows (« ANS ») filters on the carriers'
    // acronyms instead of matching the word « ans » (generator/search_terms.py).
    function split(q) {
      var words = [], acronyms = [];
      q.split(/\s+/).filter(Boolean).forEach(function (word) {
        if (/^[A-Z][A-Z0-9]{1,7}$/.test(word) && sigles.indexOf(word) >= 0) acronyms.push(word);
        else words.push(word);
      });
      return { term: words.join(" ") || null, sigles: acronyms };
    }
    // A commune C: the aids with a territory covering C (FR, its region, department, EPCI, C)
    // and no exclusion covering it (generator/listings.py `territory_filters`).
    function filters(eff, acronyms, commune) {
      var out = {}, territories = [];
      if (commune) {
        territories.push({ zone: { any: commune.keys } }, { "zone-hors": { none: commune.keys } });
      }
      Etat.FACETS.forEach(function (name) {
        var values = eff.filters[name];
        if (name === "statut" && !values.length) values = shown;  // closed: hidden
        if (!values.length) return;
        if (name === "region" || name === "departement") {  // OR inside a facet, AND across
          territories.push({ any: values.map(function (code) { return territory(name, code); }) });
        } else {
          out[name] = { any: values };
        }
      });
      if (acronyms.length) out.sigle = { all: acronyms };
      if (territories.length) out.all = territories;
      return out;
    }
    function search(term, options) {
      return load().then(function () {
        return serial(function () { return pagefind.search(term, options); });
      });
    }
    // The search `eff` (etat.js `effective`) within `commune` (communes.js, or null). The sorts
    // of generator/indexing.py; without words, pertinence starts from the server's order (the
    // listing without filters), which the re-ranking then adapts to the filters.
    function query(eff, commune) {
      var parts = split(eff.q), options = { filters: filters(eff, parts.sigles, commune) };
      if (eff.tri === "echeance") options.sort = { cloture: "asc" };
      else if (eff.tri === "nouveautes") options.sort = { nouveautes: "desc" };
      else if (!parts.term) options.sort = { pertinence: "asc" };
      return search(parts.term, options);
    }
    // The result ids of the pages the words `q` find ({id: true}), with no other filter: a
    // territory's listing (listes.js) keeps its entries among them and does the rest.
    function ids(q) {
      var parts = split(q), options = { filters: {} };
      if (parts.sigles.length) options.filters.sigle = { all: parts.sigles };
      return search(parts.term, options).then(function (found) {
        var out = {};
        found.results.forEach(function (r) { out[r.id] = true; });
        return out;
      });
    }
    // Nothing matches every word: each word (and each need or sector the words named) is
    // searched alone, with the visitor's other filters; an aid found by more of them comes
    // first; `missing` lists the words no aid holds. `state` is the visitor's, `eff` what
    // their words were read as.
    function relaxed(state, eff) {
      var parts = split(eff.q), base = Etat.blank();
      Etat.FACETS.forEach(function (name) {
        base.filters[name] = (name === "besoin" || name === "secteur") ? state.filters[name].slice()
          : eff.filters[name].slice();
      });
      var units = (parts.term ? parts.term.split(/\s+/) : []).map(function (w) { return { term: w }; });
      eff.compris.forEach(function (pair) {
        if (pair[0] === "besoin" || pair[0] === "secteur") units.push({ facet: pair[0], value: pair[1] });
      });
      if (units.length < 2) return Promise.resolve(null);
      return Promise.all(units.map(function (unit) {
        var one = Etat.blank();
        Etat.FACETS.forEach(function (name) { one.filters[name] = base.filters[name].slice(); });
        if (unit.facet && one.filters[unit.facet].indexOf(unit.value) < 0) {
          one.filters[unit.facet].push(unit.value);
        }
        var options = { filters: filters(one, parts.sigles, null) };
        if (state.tri === "echeance") options.sort = { cloture: "asc" };
        return search(unit.term || null, options);
      })).then(function (searches) {
        var counts = {}, byId = {}, ids = [];
        searches.forEach(function (found) {
          (found ? found.results : []).forEach(function (r) {
            if (!counts[r.id]) { ids.push(r.id); byId[r.id] = r; }
            counts[r.id] = (counts[r.id] || 0) + 1;
          });
        });
        ids.sort(function (a, b) { return counts[b] - counts[a]; });
        // The typed words no aid holds (with the other filters): said, then left out.
        var missing = units.filter(function (unit, i) {
          return unit.term && !(searches[i] && searches[i].results.length);
        }).map(function (unit) { return unit.term; });
        return { results: ids.map(function (id) { return byId[id]; }), matched: counts,
          missing: missing };
      });
    }
    // Every filter file (~400 KB at 10,000 aids): the live counts, once the visitor turns to
    // the filters.
    function loadFilters() {
      return load().then(function () { return serial(function () { return pagefind.filters(); }); });
    }
    // The data of results, one call at a time.
    function data(results) {
      return serial(function () {
        return Promise.all(results.map(function (r) { return r.data(); }));
      });
    }
    return { load: load, split: split, query: query, ids: ids, relaxed: relaxed,
      loadFilters: loadFilters, data: data };
  }
  return { create: create };
})();
