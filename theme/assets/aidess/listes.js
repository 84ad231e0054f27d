// Precomputed per-territory listings (generator/listing_files.py, docs/interfaces.md §5): a
// department, region or commune choice draws its results from its listing
// (/donnees/listes/departement-59.json, and france.json for the national aids, shared by
// every territory) instead of Pagefind's filter files, which hold every aid × every
// territory, and of a fragment per result. The other facets and the deadline sort apply
// here, on that list; words keep the entries Pagefind found for them (each entry carries
// its Pagefind result id). sources.js asks `source(state)` whether a search can be answered
// this way, then `search(source, state, ids)`: the answer has the shape of a Pagefind search
// (results whose `data()` gives { url, meta }, and `filters` counts), so the same code draws
// the cards.
window.AidessListes = (function () {
  "use strict";
  var FACETS = ["secteur", "besoin", "structure", "effectif", "etape", "nature"];
  var OPEN = ["a-venir", "ouverte", "cloture-proche", "a-confirmer"];  // what a listing holds
  var cache = {};

  function values(state, name) {
    return (state.filters && state.filters[name]) || [];
  }
  // The listing that answers this search, or null (several territories, closed aids asked
  // for, the newest first: Pagefind answers). A commune (`state.commune`, its department in
  // the `departement` filter: facettes.js) uses its department's listing.
  function source(state) {
    if (state.tri && state.tri !== "echeance") return null;
    var statut = values(state, "statut");
    if (statut.some(function (s) { return OPEN.indexOf(s) < 0; })) return null;
    var deps = values(state, "departement"), regs = values(state, "region");
    if (deps.length === 1 && !regs.length) {
      return { kind: "departement", code: deps[0], commune: state.commune || "" };
    }
    if (state.commune) return null;
    if (regs.length === 1 && !deps.length) return { kind: "region", code: regs[0] };
    return null;
  }
  function fetchJson(name) {
    var path = "/donnees/listes/" + encodeURIComponent(name) + ".json";
    if (!cache[path]) {
      cache[path] = fetch(path).then(function (response) {
        if (!response.ok) throw new Error("liste " + path + " : " + response.status);
        return response.json();
      });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }
  // Each entry's Pagefind result id (the file's `pagefind`, in `aides` order), as `pagefind`.
  function identify(file) {
    if (!file.identified) {
      (file.pagefind || []).forEach(function (id, i) { file.aides[i].pagefind = id; });
      file.identified = true;
    }
    return file.aides;
  }
  // A territory's whole listing: its own aids and the national ones (france.json, fetched
  // once for every territory), in its `ordre` (-(k + 1) is france.json's k-th aid).
  function fetchListing(kind, code) {
    return Promise.all([fetchJson(kind + "-" + code), fetchJson("france")]).then(function (both) {
      var own = identify(both[0]), france = identify(both[1]);
      return both[0].ordre.map(function (i) { return i >= 0 ? own[i] : france[-i - 1]; });
    });
  }
  function inCommune(entry, commune) {
    if (!commune) return true;
    if (entry.communes && entry.communes.indexOf(commune) < 0) return false;
    return !(entry.sauf && entry.sauf.indexOf(commune) >= 0);
  }
  // OR inside a facet, AND across facets (as the Pagefind filters of moteur.js).
  function keeps(entry, state, skip) {
    var statut = values(state, "statut");
    if (skip !== "statut" && statut.length && statut.indexOf(entry.etat) < 0) return false;
    return FACETS.every(function (name) {
      var asked = values(state, name);
      if (name === skip || !asked.length) return true;
      var own = entry.filtres[name] || [];
      return asked.some(function (v) { return own.indexOf(v) >= 0; });
    });
  }
  function counts(entries) {
    var found = { statut: {} };
    FACETS.forEach(function (name) { found[name] = {}; });
    entries.forEach(function (entry) {
      found.statut[entry.etat] = (found.statut[entry.etat] || 0) + 1;
      FACETS.forEach(function (name) {
        (entry.filtres[name] || []).forEach(function (v) {
          found[name][v] = (found[name][v] || 0) + 1;
        });
      });
    });
    return found;
  }
  // The pertinence features the home page ranks with (what the `classement` meta of a
  // Pagefind result says): the entry's `classement` holds those it does not already say
  // (generator/listing_files.py `DERIVED`).
  function features(entry) {
    var f = entry.filtres, all = {
      slug: entry.url.replace(/^\/aides\//, "").replace(/\/$/, ""),
      besoins: f.besoin || [], structures: f.structure || [], natures: f.nature || [],
      effectifs: f.effectif || [], statut: entry.etat,
      cloture: entry.cloture === "9999-12-31" ? "" : entry.cloture
    };
    return Object.assign(all, entry.classement || {});
  }
  // A result: its data ({url, meta} as Pagefind's, and `features`) made once per entry, which
  // answers every search within its territory.
  function result(entry) {
    if (!entry.result) {
      var meta = Object.assign({}, entry), data = { url: entry.url, meta: meta };
      delete meta.pagefind;
      data.features = features(entry);
      entry.result = { data: function () { return Promise.resolve(data); } };
    }
    return entry.result;
  }
  // `ids` (or a promise of them): the Pagefind result ids the words found ({id: true}),
  // null without words.
  function search(from, state, ids) {
    return Promise.all([fetchListing(from.kind, from.code), ids]).then(function (both) {
      var listing = both[0], found = both[1];
      var here = listing.filter(function (e) {
        return inCommune(e, from.commune) && (!found || found[e.pagefind] === true);
      });
      var kept = here.filter(function (e) { return keeps(e, state); });
      if (state.tri === "echeance") {  // stable: the listing's order among equal deadlines
        kept = kept.map(function (e, i) { return [e, i]; }).sort(function (a, b) {
          return a[0].cloture < b[0].cloture ? -1 : a[0].cloture > b[0].cloture ? 1 : a[1] - b[1];
        }).map(function (pair) { return pair[0]; });
      }
      return { results: kept.map(result), filters: counts(kept), listing: true };
    });
  }
  return { source: source, search: search };
})();
