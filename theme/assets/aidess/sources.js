// Where the home search's results come from, decided in one place (docs/interfaces.md §5): a
// territory's precomputed listing (listes.js) when it can answer, else Pagefind (moteur.js);
// then their order, pertinence (classement.js, the same function as
// generator/content/ranking.py) for what the visitor asked. The results, the « Voir les
// aides (N) » preview and the counts beside the facets all ask `find`, so they agree.
window.AidessSources = (function () {
  "use strict";
  var Etat = window.AidessEtat;
  var ranking = window.AidessClassement;
  var COMMUNES = window.AidessCommunes;
  // « Votre structure », remembered on this device (profil.js): it ranks, never filters.
  var PROFILE = window.AidessProfil;
  // Pertinence re-ranks the first results Pagefind returns with their features (their
  // `classement` meta); the rest follow in Pagefind's order.
  var RERANK = 150;

  // `moteur`: moteur.js's Pagefind; `reader` and `lexicon`: mots.js and the page's lexicon.
  function create(moteur, reader, lexicon) {
    var listes = window.AidessListes;
    function effective(state) {
      return Etat.effective(state, reader, lexicon);
    }
    // The search a listing answers: the visitor's filters and those their words named
    // (« emploi » is the need, « Nord » the department), the words left as typed.
    function asked(state) {
      var eff = effective(state);
      return { q: eff.q, tri: state.tri, commune: state.commune, filters: eff.filters };
    }
    // The territory listing answering `state`, or null (listes.js `source`).
    function listing(state) {
      return listes ? listes.source(asked(state)) : null;
    }
    // The commune's territories (for Pagefind's filters and pertinence) and its name (for the
    // cards), kept on the state.
    function place(state) {
      var found = state.commune && COMMUNES ? COMMUNES.find(state.commune) : Promise.resolve(null);
      return found.then(function (commune) {
        state.communeKeys = commune ? commune.keys : [];
        state.communeLabel = commune ? commune.label : "";
        return commune;
      });
    }
    // The search's results ({results, filters}: Pagefind's shape, whatever answers), in the
    // order of their source. Within one territory, its listing, and for words only the ids
    // of the pages Pagefind finds for them (no fragment, no filter file); else Pagefind.
    function find(state) {
      // The territory listing answering it, or null (listes.js `source`).
      var ask = asked(state), from = listes ? listes.source(ask) : null;
      return place(state).then(function (commune) {
        function pagefind() { return moteur.query(effective(state), commune); }
        if (!from) return pagefind();
        return listes.search(from, ask, ask.q ? moteur.ids(ask.q) : null).catch(pagefind);
      });
    }

    // What the visitor asked, as pertinence reads it (generator/content/ranking.py `Demand`),
    // completed by their structure's profile when they told it (`with_profile`).
    function demandOf(state, profile) {
      var eff = effective(state), f = eff.filters, parts = moteur.split(eff.q);
      var asked = ranking.demand({
        besoins: f.besoin, secteurs: f.secteur, structures: f.structure, effectifs: f.effectif,
        natures: f.nature.concat(eff.natures),
        departement: f.departement.length === 1 ? f.departement[0] : "",
        commune: state.communeKeys || [],
        region: !f.departement.length && f.region.length === 1 ? f.region[0] : "",
        words: ranking.wordsOf(parts.term || "")
      });
      return profile ? ranking.withProfile(asked, ranking.profile(profile)) : asked;
    }
    // A result's features: a listing's entry gives them (`features`), a Pagefind result as
    // its `classement` meta; with its title and summary.
    function featuresOf(data) {
      var features = {};
      if (data.features) features = Object.assign({}, data.features);
      else try { features = JSON.parse(data.meta.classement || "{}"); } catch (e) { features = {}; }
      features.slug = data.url.replace(/^\/aides\//, "").replace(/\/$/, "");
      features.titre = data.meta.title || "";
      features.resume = data.meta.resume || "";
      return features;
    }
    // What a card says of a result, for the demand its search was ranked for: its
    // `aidessStanding` (ranking.py `standing`), `aidessFeatures` and `aidessDemand`. A result
    // past RERANK, or sorted by date, gets it as it is drawn (a copy: Pagefind keeps its own).
    function annotate(data, demand, features) {
      var out = Object.assign({}, data);
      out.aidessFeatures = features || featuresOf(data);
      out.aidessDemand = demand;
      out.aidessStanding = demand && ranking ? ranking.standing(out.aidessFeatures, demand) : null;
      return out;
    }
    // The results in pertinence order: the first RERANK of Pagefind's (each fetches its
    // fragment), all of a listing's (`whole`). Each one's features are its `classement` meta
    // (generator/content/rank_features.py; a listing's entry gives them as `features`) with
    // its title and summary. `matched` (relaxed
    // searches): how many of the words found each result, most first. Each result's data
    // gets `aidessStanding` (ranking.py `standing`) and `aidessFeatures`, which its card
    // says, for the demand completed by « Votre structure ». Resolves to [results, demand].
    function rank(state, found, matched, whole) {
      if (!ranking) return Promise.resolve([found, null]);
      var head = whole ? found : found.slice(0, RERANK), demand = null;
      return (PROFILE ? PROFILE.ranking() : Promise.resolve(null)).then(function (profile) {
        demand = demandOf(state, profile);
        if (!found.length || (state.tri && !matched)) return null;
        return moteur.data(head);
      }).then(function (all) {
        if (!all) return [found, demand];
        var aides = all.map(function (raw, i) {
          var data = Object.assign({}, raw, { id: head[i].id }), features = featuresOf(data);
          features.fragment = data;
          return features;
        });
        var ordered = state.tri ? aides : ranking.order(aides, demand);
        if (matched) {  // most of the words first (stable: pertinence among equals), the aids
          // the visitor cannot get still apart
          var barred = function (a) { return ranking.standing(a, demand)[0] === ranking.BARRED ? 1 : 0; };
          ordered = ordered.map(function (a, i) { return [a, i, barred(a)]; }).sort(function (x, y) {
            return x[2] - y[2] ||
              (matched[y[0].fragment.id] || 0) - (matched[x[0].fragment.id] || 0) || x[1] - y[1];
          }).map(function (pair) { return pair[0]; });
        }
        return [ordered.map(function (features) {
          var data = annotate(features.fragment, demand, features);
          return { data: function () { return Promise.resolve(data); } };
        }).concat(found.slice(head.length)), demand];
      });
    }
    // The search's answer, ranked: {results, filters, partial, demand, missing}. When no aid
    // matches every word: if some words are in no aid, the search on the others (`missing`
    // names them); else the aids matching most of them (moteur.js `relaxed`), `partial` true.
    // Null once `still()` says a newer search replaced this one.
    function answer(state, still) {
      var filters = null;
      return find(state).then(function (search) {
        if (!still() || !search) return null;
        filters = search.filters;
        if (search.results.length || !state.q) {
          return rank(state, search.results, null, search.listing).then(function (r) {
            return r.concat([false]);
          });
        }
        return moteur.relaxed(state, effective(state)).then(function (most) {
          var rest = most && most.missing.length ? without(state, most.missing) : null;
          if (!rest || !rest.q) return relaxedRank(most, search);
          // « Aucun résultat pour “xyz” » : the search on the other words.
          return find(rest).then(function (again) {
            if (!again || !again.results.length) return relaxedRank(most, search);
            filters = again.filters;
            return rank(rest, again.results, null, again.listing).then(function (r) {
              return r.concat([false, most.missing]);
            });
          });
        });
      }).then(function (got) {
        return got && { results: got[0], demand: got[1], filters: filters, partial: got[2],
          missing: got[3] || [] };
      });
      // The aids matching most of the words, or none (`search`'s empty results).
      function relaxedRank(most, search) {
        if (!most || !most.results.length) {
          return rank(state, []).then(function (r) { return [search.results, r[1], false]; });
        }
        return rank(state, most.results, most.matched).then(function (r) { return r.concat([true]); });
      }
    }
    // The search without the words no aid holds.
    function without(state, missing) {
      var gone = missing.map(ranking.fold), rest = Etat.copy(state);
      rest.q = state.q.split(/\s+/).filter(function (word) {
        return word && gone.indexOf(ranking.fold(word)) < 0;
      }).join(" ");
      return rest;
    }
    return { find: find, answer: answer, listing: listing, effective: effective, annotate: annotate };
  }
  return { create: create };
})();
