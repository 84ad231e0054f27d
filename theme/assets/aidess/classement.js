// Pertinence in the browser: the same function as generator/content/ranking.py (its
// docstring documents the order), passing the same vectors (tests/data/classement.json).
// sources.js re-ranks Pagefind's results with it; each result's features are its
// `classement` meta (generator/content/rank_features.py) plus its title and summary.
(function (root) {
  "use strict";
  var ELIGIBLE = 0, IN_PART = 1, BARRED = 2;
  var NATIONAL = 1, INSIDE = 4, EPCI = 5, COMMUNE = 6;
  var STATUS_RANK = { "ouverte": 0, "cloture-proche": 0, "a-venir": 1, "a-confirmer": 2, "cloturee": 3 };
  var NO_DEADLINE = "9999-12-31";

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function wordsOf(text) { return fold(text).match(/[a-z0-9]+/g) || []; }
  function meets(a, b) {
    for (var i = 0; i < a.length; i++) if (b.indexOf(a[i]) >= 0) return true;
    return false;
  }
  function demandOf(data) {
    data = data || {};
    return {
      besoins: data.besoins || [], secteurs: data.secteurs || [], natures: data.natures || [],
      structures: data.structures || [],
      effectifs: data.effectifs || [], departement: data.departement || "", region: data.region || "",
      commune: data.commune || [],
      agrements: data.agrements === undefined ? null : data.agrements, words: data.words || []
    };
  }
  // ranking.py `Profile`: the structure its visitor described (profil.js stores it).
  function profileOf(data) {
    data = data || {};
    return {
      structure: data.structure || "", effectif: data.effectif || "", secteur: data.secteur || "",
      departement: data.departement || "", region: data.region || "", commune: data.commune || [],
      agrements: data.agrements === undefined ? null : data.agrements
    };
  }
  function one(asked, given) { return asked.length || !given ? asked : [given]; }
  // ranking.py `with_profile`: what the search asked wins; the profile fills the rest, and
  // narrows an asked place that holds its own.
  function withProfile(demand, profile) {
    var out = {}, key;
    for (key in demand) out[key] = demand[key];
    var own = !!profile.departement, narrow = false;
    if (!demand.departement && !demand.region && !demand.commune.length) {
      narrow = own || !!profile.region;
    } else if (!demand.commune.length && own) {
      narrow = demand.departement === profile.departement ||
        (!demand.departement && demand.region === profile.region);
    }
    if (narrow) {
      out.departement = profile.departement;
      out.region = profile.region;
      out.commune = profile.commune;
    }
    out.structures = one(demand.structures, profile.structure);
    out.effectifs = one(demand.effectifs, profile.effectif);
    out.secteurs = one(demand.secteurs, profile.secteur);
    out.agrements = demand.agrements !== null ? demand.agrements : profile.agrements;
    return out;
  }
  function grain(aide, demand) {
    var national = !!aide.national;
    if (demand.commune.length) {
      if (meets(aide.exclus || [], demand.commune)) return 0;
      var fine = (aide.locaux || []).filter(function (k) { return demand.commune.indexOf(k) >= 0; });
      if (fine.length) return fine.some(function (k) { return k.lastIndexOf("COM-", 0) === 0; }) ? COMMUNE : EPCI;
      if (national) return (aide.hors || []).indexOf(demand.departement) >= 0 ? 0 : NATIONAL;
      var level = Number((aide.lieux || {})[demand.departement] || 0);
      return level === INSIDE ? 0 : level;
    }
    if (demand.departement) {
      if (national && (aide.hors || []).indexOf(demand.departement) < 0) return NATIONAL;
      return Number((aide.lieux || {})[demand.departement] || 0);
    }
    if (demand.region) {
      if (national && (aide.hors_regions || []).indexOf(demand.region) < 0) return NATIONAL;
      return Number((aide.regions || {})[demand.region] || 0);
    }
    return national ? NATIONAL : 0;
  }
  // [partition, reason code, values]: the codes of ranking.py `standing`.
  function standing(aide, demand) {
    if (demand.structures.length && !meets(demand.structures, aide.structures || []))
      return [BARRED, "structure", aide.structures || []];
    if (demand.effectifs.length && !meets(demand.effectifs, aide.effectifs || [])) {
      if (demand.effectifs.length === 1 && demand.effectifs[0] === "0") return [BARRED, "employeur", []];
      return [BARRED, "effectif", []];
    }
    var held = demand.agrements || [];
    var missing = (aide.agrements || []).filter(function (a) { return held.indexOf(a) < 0; });
    if (demand.agrements !== null && missing.length) return [BARRED, "agrement", missing];
    var required = aide.secteurs_requis || [];
    if (demand.secteurs.length && required.length && !meets(demand.secteurs, required))
      return [BARRED, "secteur", required];
    if (demand.departement || demand.region) {
      var level = grain(aide, demand);
      if (level === 0) return [BARRED, "territoire", []];
      if (level === INSIDE) return [IN_PART, "partie", []];
    }
    return [ELIGIBLE, "", []];
  }
  function titleWords(aide, words) {
    var own = wordsOf((aide.titre || "") + " " + (aide.resume || ""));
    return words.filter(function (w) {
      return own.some(function (o) { return o.lastIndexOf(w, 0) === 0; });
    }).length;
  }
  // ranking.py `restrictions`: the aid's conditions the visitor said nothing about.
  function restrictions(aide, demand) {
    var strong = 0, weak = 0;
    if (!demand.secteurs.length && (aide.secteurs || []).length) strong++;
    if (demand.agrements === null && (aide.agrements || []).length) strong++;
    if (!demand.structures.length && (aide.structures || []).length < 5) weak++;
    if (!demand.effectifs.length && (aide.effectifs || []).length < 5) weak++;
    return [strong, weak];
  }
  function sortKey(aide, demand) {
    var needs = (aide.besoins || []).filter(function (b, i, all) {
      return demand.besoins.indexOf(b) >= 0 && all.indexOf(b) === i;
    }).length;
    var named = meets(demand.secteurs, aide.secteurs || []) ? 1 : 0;
    var nature = meets(demand.natures, aide.natures || []) ? 1 : 0;
    var main = (aide.besoins || []).length && demand.besoins.indexOf(aide.besoins[0]) >= 0 ? 1 : 0;
    var status = STATUS_RANK[aide.statut];
    var conditions = restrictions(aide, demand);
    return [standing(aide, demand)[0], -needs, -titleWords(aide, demand.words),
      -grain(aide, demand), conditions[0], -main, -named, -nature, conditions[1], status === undefined ? 3 : status,
      aide.cloture || NO_DEADLINE, fold(aide.titre), String(aide.slug)];
  }
  function compare(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] < b[i]) return -1;
      if (a[i] > b[i]) return 1;
    }
    return 0;
  }
  // The aids in pertinence order (a new array; Array.prototype.sort is stable).
  function order(aides, demand) {
    var keyed = aides.map(function (aide) { return [sortKey(aide, demand), aide]; });
    keyed.sort(function (a, b) { return compare(a[0], b[0]); });
    return keyed.map(function (pair) { return pair[1]; });
  }

  var api = { fold: fold, wordsOf: wordsOf, demand: demandOf, profile: profileOf,
    withProfile: withProfile, grain: grain, standing: standing,
    sortKey: sortKey, order: order, ELIGIBLE: ELIGIBLE, IN_PART: IN_PART, BARRED: BARRED };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.AidessClassement = api;
})(this);
