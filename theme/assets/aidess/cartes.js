// The home search's result cards (docs/interfaces.md §5, « Cards »), drawn with the markup of
// the server's first cards (generator/templates/home.html, generator/result_cards.py), and
// the help shown when nothing is found. A card says why an aid fits, or why it is probably
// not for the visitor, for the demand it was ranked for (sources.js `annotate`: the search,
// completed by « Votre structure », profil.js). `page` gives what they need of the page: `label`
// (a filter value's French label), `callbackUrl(state, slug, departement)` and
// `drop(name, value)` (a handler removing one filter).
window.AidessCartes = (function () {
  "use strict";
  var FACETS = window.AidessEtat.FACETS;

  function text(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  function create(page) {
    var label = page.label;
    // Why an aid is listed apart, in French: the wording of generator/content/reasons.py,
    // written into the page (#aidess-raisons), each value named from its own vocabulary and
    // lower-cased at its first letter only, keeping its acronyms (« … (ESUS) »).
    var REASONS = {};
    try { REASONS = JSON.parse(document.getElementById("aidess-raisons").textContent); } catch (e) { REASONS = {}; }
    function apart(code, values, meta) {
      if (code === "partie") return (meta.territoire || "Une partie du territoire") + " seulement";
      var kind = { agrement: "agrement", secteur: "secteur" }[code] || "structure";
      var named = values.map(function (v) {
        var text = label(kind, v);
        return text.charAt(0).toLowerCase() + text.slice(1);
      }).join(", ");
      var wording = REASONS[code === "agrement" && values.length > 1 ? "agrements" : code];
      return wording ? "Probablement pas pour vous : " + wording.replace("{}", named) : "";
    }
    // Why an aid fits the visitor's profile: « Pour vous : Trésorerie, difficultés
    // financières · Roubaix (59) · Association · Bénévoles seulement ». The place, type and
    // size are the search's, else those of « Votre structure ».
    function why(features, state, demand) {
      var f = state.filters, parts = [];
      var mine = (window.AidessProfil && window.AidessProfil.read()) || {};
      (demand.besoins || f.besoin).filter(function (b) { return (features.besoins || []).indexOf(b) >= 0; })
        .forEach(function (b) { parts.push(label("besoin", b)); });
      var where = state.commune ? state.communeLabel || ""
        : f.departement.length === 1 ? label("departement", f.departement[0]).replace(/^\S+ – /, "")
        : f.region.length === 1 ? label("region", f.region[0]) : "";
      if (mine.lieu && demand.departement === mine.departement && (!where || mine.commune)) {
        where = mine.lieu;
      }
      if (where) parts.push(where);
      [["structure", "structures"], ["effectif", "effectifs"]].forEach(function (pair) {
        var asked = demand[pair[1]] || [];
        if (asked.length === 1 && (features[pair[1]] || []).indexOf(asked[0]) >= 0) {
          parts.push(label(pair[0], asked[0]));
        }
      });
      return parts.length ? "Pour vous : " + parts.join(" · ") : "";
    }
    // An aid the visitor may get that asks for agreements they did not say they hold (§5:
    // « À vérifier, agrément requis : … » on the card, as the aid page's « Agréments requis »).
    function agreementNeeded(features, demand) {
      var held = demand.agrements || [];
      var missing = (features.agrements || []).filter(function (a) { return held.indexOf(a) < 0; });
      if (!missing.length) return "";
      var wording = REASONS[missing.length > 1 ? "agrements" : "agrement"] || "{}";
      return "À vérifier, " + wording.replace("{}",
        missing.map(function (a) { return label("agrement", a); }).join(", "));
    }
    // One result (`data`: {url, meta}, with the standing sources.js ranked it with) for the
    // search `state`.
    function card(data, state) {
      var meta = data.meta, slug = data.url.replace(/^\/aides\//, "").replace(/\/$/, "");
      var standing = data.aidessStanding;
      var li = text("li", "aidess-card");
      var title = text("a", "", meta.title || data.url);
      title.href = data.url + window.location.search;  // the answers travel (parcours.js)
      li.appendChild(text("h3")).appendChild(title);
      var status = text("p", "aidess-card-status aidess-status--" + (meta.etat || "ouverte"));
      status.appendChild(text("span", "aidess-badge", meta.statut || ""));
      if (meta.echeance) status.appendChild(document.createTextNode(" " + meta.echeance));
      li.appendChild(status);
      var demand = data.aidessDemand;
      var away = standing && standing[0] ? apart(standing[1], standing[2], meta) : "";
      var fits = standing && !standing[0] ? why(data.aidessFeatures, state, demand) : "";
      var needed = standing && standing[0] !== 2 ? agreementNeeded(data.aidessFeatures, demand) : "";
      if (away) li.appendChild(text("p", "aidess-card-apart", away));
      if (fits) li.appendChild(text("p", "aidess-card-why", fits));
      if (needed) li.appendChild(text("p", "aidess-card-agrement", needed));
      if (meta.resume) li.appendChild(text("p", "aidess-card-resume", meta.resume));
      var facts = text("dl", "aidess-card-facts");
      [["Pour qui", meta.pour_qui], ["Où", meta.territoire], ["Montant", meta.montant],
        ["Porteurs", meta.porteurs]]
        .forEach(function (pair) {
          if (!pair[1]) return;
          var row = text("div");
          row.appendChild(text("dt", "", pair[0]));
          row.appendChild(text("dd", "", pair[1]));
          facts.appendChild(row);
        });
      li.appendChild(facts);
      var action = text("p", "aidess-card-action");
      var link = text("a", "", "Être rappelé");
      link.href = page.callbackUrl(state, slug, meta.departement);
      link.appendChild(text("span", "aidess-sr", " pour «\u00a0" + (meta.title || slug) + "\u00a0»"));
      action.appendChild(link);
      li.appendChild(action);
      return li;
    }

    // Nothing found: say which criteria, and offer the nearest ways out, into `empty`.
    function noResult(empty, state) {
      empty.textContent = "";
      var criteria = [];
      if (state.q) criteria.push("«\u00a0" + state.q + "\u00a0»");
      FACETS.forEach(function (name) {
        state.filters[name].forEach(function (value) { criteria.push(label(name, value)); });
      });
      empty.appendChild(text("p", "", criteria.length
        ? "Aucune aide ne réunit tous ces critères : " + criteria.join(", ") + "."
        : "Aucune aide ouverte pour l'instant."));
      var ways = text("ul", "aidess-ways");
      function way(node) { ways.appendChild(text("li")).appendChild(node); }
      if (state.q) {
        var words = text("button", "aidess-link", "Chercher sans les mots «\u00a0" + state.q + "\u00a0»");
        words.type = "button";
        words.addEventListener("click", page.drop("q"));
        way(words);
      }
      FACETS.forEach(function (name) {
        if (name === "departement") return;
        state.filters[name].forEach(function (value) {
          var b = text("button", "aidess-link", "Retirer le filtre «\u00a0" + label(name, value) + "\u00a0»");
          b.type = "button";
          b.addEventListener("click", page.drop(name, value));
          way(b);
        });
      });
      state.filters.departement.forEach(function (code) {
        var all = text("a", "", "Toutes les aides du département " + label("departement", code));
        all.href = "/?departement=" + encodeURIComponent(code);
        way(all);
      });
      var call = text("a", "", "Être rappelé par un réseau d'accompagnement, qui connaît les aides de votre territoire");
      call.href = page.callbackUrl(state);
      way(call);
      empty.appendChild(ways);
    }
    return { card: card, noResult: noResult };
  }
  return { create: create, text: text };
})();
