// Home page search: Pagefind's JS API over the page the server sent (generator/templates/
// home.html). Nothing is revealed or moved: the script fills the results area, the chips and
// the counts in place. State lives in the URL query string (names of generator/content/urls.py).
// The server sends the first cards of the listing without words or filters
// (generator/result_cards.py): on that page Pagefind (~160 KB before any result) loads only
// when the visitor turns to the search, or asks for more cards; a URL with words or filters
// loads it at once.
(function () {
  "use strict";
  var FACETS = ["region", "departement", "secteur", "besoin", "structure", "effectif",
    "etape", "nature", "statut"];
  var PAGE = 10;  // each result fetches its fragment: fewer bytes before the first results
  // Pertinence re-ranks the first results Pagefind returns with their features (their
  // `classement` meta, theme/assets/aidess/classement.js); the rest follow in Pagefind's order.
  var RERANK = 150;
  var SORTS = ["echeance", "nouveautes"];  // « tri » besides the default, pertinence
  var ranking = window.AidessClassement;
  var reader = window.AidessMots;
  var LEXICON = null;  // generator/lexicon.py, written into the page at build time
  try { LEXICON = JSON.parse(document.getElementById("aidess-lexique").textContent); } catch (e) { LEXICON = null; }
  var WIDE = window.matchMedia("(min-width: 60em)");  // side panel; narrower: « Filtres »
  var form = document.getElementById("recherche");
  var guide = document.getElementById("guide");
  var panel = document.getElementById("filtres");
  var list = document.getElementById("resultats");
  var count = document.getElementById("resultats-nombre");
  var heading = document.getElementById("resultats-titre");
  var announce = document.getElementById("annonce");
  var understood = document.getElementById("compris");
  var chips = document.getElementById("filtres-actifs");
  var empty = document.getElementById("sans-resultat");
  var more = document.getElementById("plus");
  var opener = document.getElementById("ouvrir-filtres");
  var closer = document.getElementById("fermer-filtres");
  var callback = document.getElementById("rappel-accueil");
  var apply_ = document.getElementById("appliquer");
  var departement = document.getElementById("f-departement");
  if (!form || !list || !panel) return;
  var FORM_URL = callback ? callback.getAttribute("href").split("?")[0] : "/demande/";
  var SIGLES = (form.dataset.sigles || "").split(" ").filter(Boolean);
  var SHOWN_BY_DEFAULT = Array.prototype.map.call(
    panel.querySelectorAll("input[name='statut'][data-defaut]"), function (i) { return i.value; });
  var ALL_LABEL = count.textContent;
  var zone = document.getElementById("resultats-zone");
  // For tests and the bench: « chargement » while a search runs, « pret » once its first
  // results (or the no-result help) are drawn, « erreur » if Pagefind could not load.
  function done(state, total) {
    zone.dataset.etat = state;
    if (total !== undefined) zone.dataset.total = String(total);
  }

  var pagefind = null, loading = null, filtersLoaded = false, sequence = 0;
  var results = [], shown = 0, timer = 0, current = null;
  // The server-drawn cards of the default listing, until a search replaces them.
  var prerendered = list.children.length > 0;

  // The commune (docs/interfaces.md §5, `?commune=` INSEE code) and its department's filter;
  // its field and suggestions are communes.js (window.AidessCommunes).
  var COMMUNES = window.AidessCommunes;
  var place = form.elements.commune;
  function blank() {
    var state = { q: "", tri: "", commune: "", filters: {} };
    FACETS.forEach(function (name) { state.filters[name] = []; });
    return state;
  }
  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var state = blank();
    state.q = params.get("q") || "";
    state.tri = SORTS.indexOf(params.get("tri")) >= 0 ? params.get("tri") : "";
    FACETS.forEach(function (name) { state.filters[name] = params.getAll(name).filter(Boolean); });
    state.commune = /^[0-9][0-9AB][0-9]{3}$/.test(params.get("commune") || "") ? params.get("commune") : "";
    if (state.commune && COMMUNES) state.filters.departement = [COMMUNES.departmentOf(state.commune)];
    return state;
  }
  function activeCount(state, names) {
    return (names || FACETS).reduce(function (n, name) { return n + state.filters[name].length; },
      state.commune && !names ? 1 : 0);
  }
  function writeUrl(state) {
    var params = new URLSearchParams();
    if (state.q) params.append("q", state.q);
    FACETS.forEach(function (name) {
      state.filters[name].forEach(function (value) { params.append(name, value); });
    });
    if (state.commune) params.append("commune", state.commune);
    if (state.tri) params.append("tri", state.tri);
    var query = params.toString();
    window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
  }
  function fromForm() {
    var data = new FormData(form);
    var state = blank();
    state.q = String(data.get("q") || "").trim();
    state.tri = SORTS.indexOf(String(data.get("tri"))) >= 0 ? String(data.get("tri")) : "";
    FACETS.forEach(function (name) {
      state.filters[name] = data.getAll(name).map(String).filter(Boolean);
    });
    // The commune shown in its field is kept while the department stays its own.
    var text = place ? place.value.trim() : "";
    if (text && text === place.dataset.label && state.filters.departement.indexOf(place.dataset.dep) >= 0) {
      state.commune = place.dataset.code;
    }
    return state;
  }
  // A commune typed (a name, a postcode: not yet a code) → its code and department, or its
  // French error beside the field (the search then runs without it).
  function resolvePlace(state) {
    var text = place ? place.value.trim() : "";
    function clear() {
      document.querySelectorAll("#f-commune-erreur").forEach(function (p) { p.remove(); });
      if (place) place.removeAttribute("aria-invalid");
    }
    clear();
    if (!text || state.commune || !COMMUNES) return Promise.resolve(state);
    var dep = state.filters.departement[0] || "";
    return COMMUNES.resolve(text, dep).then(function (found) {
      return found.commune || !dep ? found : COMMUNES.resolve(text, "");
    }).then(function (found) {
      if (found.commune) {
        state.commune = found.commune.code;
        state.filters.departement = [found.commune.departement];
      } else {
        clear();
        var p = document.createElement("p");
        p.id = "f-commune-erreur";
        p.className = "aidess-error";
        p.textContent = "Commune : " + found.error;
        place.parentNode.appendChild(p);
        place.setAttribute("aria-invalid", "true");
        place.setAttribute("aria-describedby", p.id);
      }
      return state;
    });
  }
  function fields(name) {
    return document.querySelectorAll("[name='" + name + "'][form='recherche'], #recherche [name='" + name + "']");
  }
  function toForm(state) {
    form.elements.q.value = state.q;
    document.getElementById("tri").value = state.tri;
    FACETS.forEach(function (name) {
      var chosen = state.filters[name];
      fields(name).forEach(function (field) {
        if (field.tagName === "SELECT") field.value = chosen[0] || "";
        else field.checked = chosen.indexOf(field.value) >= 0;
      });
    });
    if (!place) return;
    if (!state.commune) {  // a commune typed but not found stays, with its error
      if (place.dataset.code && place.value.trim() === place.dataset.label) place.value = "";
      place.dataset.code = place.dataset.label = place.dataset.dep = "";
      return;
    }
    if (place.dataset.code === state.commune || !COMMUNES) return;
    COMMUNES.find(state.commune).then(function (c) {
      if (!c) return;
      place.value = place.dataset.label = c.label;
      place.dataset.code = c.code;
      place.dataset.dep = c.departement;
    });
  }

  // French label of a filter value, read from the form the server rendered.
  function label(name, value) {
    var field = document.querySelector("[name='" + name + "'][value='" + value + "']") ||
      document.querySelector("select[name='" + name + "'] option[value='" + value + "']");
    return field ? (field.dataset.label || field.textContent) : value;
  }
  function facetName(name) {
    var legend = document.querySelector("#facette-" + name + " legend");
    if (legend) return legend.textContent;
    var select = document.querySelector("label[for='f-" + name + "']");
    return select ? select.textContent : name;
  }

  // The callback form, pre-filled with what the visitor already told us (h11's parameters).
  function callbackUrl(state, slug, departement) {
    var params = new URLSearchParams(), f = state.filters;
    if (slug) params.append("aide", slug);
    var dep = f.departement.length === 1 ? f.departement[0] : (departement || "");
    if (dep) params.append("departement", dep);
    if (f.structure.length === 1) params.append("forme", f.structure[0]);
    if (f.effectif.length === 1) params.append("effectif", f.effectif[0]);
    if (f.secteur.length === 1) params.append("secteur", f.secteur[0]);
    f.besoin.slice(0, 5).forEach(function (b) { params.append("besoins", b); });
    if (state.commune) params.append("commune", state.commune);
    var query = params.toString();
    return FORM_URL + (query ? "?" + query : "");
  }

  // Active filters as chips; each one removes its filter.
  function chip(text, title, onClick) {
    var li = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "aidess-chip";
    button.setAttribute("aria-label", "Retirer le filtre " + title);
    button.textContent = text;
    var cross = document.createElement("span");
    cross.setAttribute("aria-hidden", "true");
    cross.textContent = " ×";
    button.appendChild(cross);
    button.addEventListener("click", onClick);
    li.appendChild(button);
    return li;
  }
  function drop(name, value) {
    return function () {
      var state = current || fromForm();
      if (name === "q") state.q = "";
      else if (name === "commune") state.commune = "";
      else state.filters[name] = state.filters[name].filter(function (v) { return v !== value; });
      if (name === "departement") state.commune = "";
      apply(state);
      heading.focus();
    };
  }
  function renderChips(state) {
    chips.textContent = "";
    if (state.q) chips.appendChild(chip("« " + state.q + " »", "mots-clés « " + state.q + " »", drop("q")));
    FACETS.forEach(function (name) {
      state.filters[name].forEach(function (value) {
        var text = label(name, value);
        chips.appendChild(chip(text, facetName(name) + " : " + text, drop(name, value)));
      });
    });
    if (state.commune && COMMUNES) {
      var item = chip(state.commune, "commune", drop("commune"));
      chips.appendChild(item);
      COMMUNES.find(state.commune).then(function (c) {
        if (!c) return;
        item.firstChild.firstChild.nodeValue = c.label;
        item.firstChild.setAttribute("aria-label", "Retirer le filtre commune : " + c.label);
      });
    }
    if (state.q || activeCount(state)) {
      var li = document.createElement("li");
      var clear = document.createElement("a");
      clear.href = "/";
      clear.className = "aidess-effacer";
      clear.textContent = "Effacer les filtres";
      li.appendChild(clear);
      chips.appendChild(li);
    }
    var n = activeCount(state, FACETS.filter(function (f) { return f !== "departement"; }));
    opener.textContent = n ? "Filtres (" + n + ")" : "Filtres";
    if (callback) callback.href = callbackUrl(state);
  }

  // The search as it runs: the visitor's filters plus those their words name (mots.js:
  // « asso », « Nord », « 1 salarié », « trésorerie »); the other words are searched as
  // typed; natures named by words only rank. `compris` lists what the words were read as.
  function effective(state) {
    var read = reader && LEXICON ? reader.parse(state.q, LEXICON)
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
  function showUnderstood(eff) {
    var parts = (eff.compris || []).map(function (pair) { return label(pair[0], pair[1]); });
    understood.hidden = !parts.length;
    understood.textContent = parts.length ? "Recherche comprise comme : " + parts.join(" · ") : "";
  }

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
  // An acronym typed in capitals that the catalog knows (« ANS ») filters on the carriers'
  // acronyms instead of matching the word « ans » (generator/search_terms.py).
  function split(q) {
    var words = [], sigles = [];
    q.split(/\s+/).filter(Boolean).forEach(function (word) {
      if (/^[A-Z][A-Z0-9]{1,7}$/.test(word) && SIGLES.indexOf(word) >= 0) sigles.push(word);
      else words.push(word);
    });
    return { term: words.join(" ") || null, sigles: sigles };
  }
  // A commune C: the aids with a territory covering C (FR, its region, department, EPCI, C)
  // and no exclusion covering it (generator/listings.py `territory_filters`).
  function pagefindFilters(state, sigles, commune) {
    var filters = {}, territories = [];
    if (commune) {
      territories.push({ zone: { any: commune.keys } }, { "zone-hors": { none: commune.keys } });
    }
    FACETS.forEach(function (name) {
      var values = state.filters[name];
      if (name === "statut" && !values.length) values = SHOWN_BY_DEFAULT;  // closed: hidden
      if (!values.length) return;
      if (name === "region" || name === "departement") {  // OR inside a facet, AND across
        territories.push({ any: values.map(function (code) { return territory(name, code); }) });
      } else {
        filters[name] = { any: values };
      }
    });
    if (sigles.length) filters.sigle = { all: sigles };
    if (territories.length) filters.all = territories;
    return filters;
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
  function updateCounts(counts) {
    if (!counts) return;
    FACETS.forEach(function (name) {
      if (!counts[name]) return;  // filter files not loaded yet: keep the build-time counts
      var values = counts[name];
      document.querySelectorAll("[data-facet='" + name + "']").forEach(function (span) {
        span.textContent = String(values[span.dataset.value] || 0);
      });
      document.querySelectorAll("select[name='" + name + "'] option[data-label]").forEach(function (o) {
        o.textContent = o.dataset.label + " (" + (values[o.value] || 0) + ")";
      });
    });
  }

  // Values ticked within one facet widen the search (OR), so the counts beside that facet's
  // values are those of the search without it (as faceted search does): otherwise, once
  // « Trésorerie » is ticked, every other need reads (0). Territories are single choices
  // (selects) and keep the search's own counts.
  var TICKED = ["secteur", "besoin", "structure", "effectif", "etape", "nature", "statut"];
  function refreshCounts(state, counts, still) {
    updateCounts(counts);
    if (!counts) return;
    TICKED.forEach(function (name) {
      if (!state.filters[name] || !state.filters[name].length) return;
      var wider = JSON.parse(JSON.stringify(state));
      wider.filters[name] = [];
      var listing = window.AidessListes ? window.AidessListes.source(wider) : null;
      var counted = listing ? window.AidessListes.search(listing, wider)
        : load().then(function () { return query(wider); });
      counted.then(function (search) {
        if (!still() || !search || !search.filters || !search.filters[name]) return;
        var one = {};
        one[name] = search.filters[name];
        updateCounts(one);
      }).catch(function () {});
    });
  }

  function text(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }
  function card(data) {
    var meta = data.meta, slug = data.url.replace(/^\/aides\//, "").replace(/\/$/, "");
    var li = text("li", "aidess-card");
    var title = text("a", "", meta.title || data.url);
    title.href = data.url + window.location.search;  // the answers travel (parcours.js)
    li.appendChild(text("h3")).appendChild(title);
    var status = text("p", "aidess-card-status aidess-status--" + (meta.etat || "ouverte"));
    status.appendChild(text("span", "aidess-badge", meta.statut || ""));
    if (meta.echeance) status.appendChild(document.createTextNode(" " + meta.echeance));
    li.appendChild(status);
    if (data.aidessApart) li.appendChild(text("p", "aidess-card-apart", data.aidessApart));
    if (data.aidessWhy) li.appendChild(text("p", "aidess-card-why", data.aidessWhy));
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
    link.href = callbackUrl(current || blank(), slug, meta.departement);
    link.appendChild(text("span", "aidess-sr", " pour « " + (meta.title || slug) + " »"));
    action.appendChild(link);
    li.appendChild(action);
    return li;
  }

  // Nothing found: say which criteria, and offer the nearest ways out.
  function noResult(state) {
    empty.textContent = "";
    var criteria = [];
    if (state.q) criteria.push("« " + state.q + " »");
    FACETS.forEach(function (name) {
      state.filters[name].forEach(function (value) { criteria.push(label(name, value)); });
    });
    empty.appendChild(text("p", "", criteria.length
      ? "Aucune aide ne réunit tous ces critères : " + criteria.join(", ") + "."
      : "Aucune aide ouverte pour l'instant."));
    var ways = text("ul", "aidess-ways");
    function way(node) { ways.appendChild(text("li")).appendChild(node); }
    if (state.q) {
      var words = text("button", "aidess-link", "Chercher sans les mots « " + state.q + " »");
      words.type = "button";
      words.addEventListener("click", drop("q"));
      way(words);
    }
    FACETS.forEach(function (name) {
      if (name === "departement") return;
      state.filters[name].forEach(function (value) {
        var b = text("button", "aidess-link", "Retirer le filtre « " + label(name, value) + " »");
        b.type = "button";
        b.addEventListener("click", drop(name, value));
        way(b);
      });
    });
    state.filters.departement.forEach(function (code) {
      var all = text("a", "", "Toutes les aides du département " + label("departement", code));
      all.href = "/?departement=" + encodeURIComponent(code);
      way(all);
    });
    var call = text("a", "", "Être rappelé par un réseau d'accompagnement, qui connaît les aides de votre territoire");
    call.href = callbackUrl(state);
    way(call);
    empty.appendChild(ways);
  }

  // One Pagefind call at a time: overlapping searches, fragment loads and filter loads (a
  // facet clicked while results load) could leave a search unanswered under load.
  var chain = Promise.resolve();
  function serial(task) {
    var next = chain.then(task);
    chain = next.then(function () {}, function () {});
    return next;
  }
  function showMore(replace) {
    var token = sequence, batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    return serial(function () {
      return Promise.all(batch.map(function (r) { return r.data(); }));
    }).then(function (all) {
      if (token !== sequence) return;  // a newer search replaced these results
      if (replace) list.textContent = "";
      all.forEach(function (data) { list.appendChild(card(data)); });
      more.hidden = shown >= results.length;
    });
  }
  function query(state) {
    var eff = effective(state), parts = split(eff.q);
    var commune = state.commune && COMMUNES ? COMMUNES.find(state.commune) : Promise.resolve(null);
    return commune.then(function (found) {
      state.communeKeys = found ? found.keys : [];  // for pertinence (demandOf)
      state.communeLabel = found ? found.label : "";  // for the cards (why)
      var options = { filters: pagefindFilters(eff, parts.sigles, found) };
      // The sorts of generator/indexing.py; without words, pertinence starts from the server's
      // order (the listing without filters), which `rerank` then adapts to the filters.
      if (state.tri === "echeance") options.sort = { cloture: "asc" };
      else if (state.tri === "nouveautes") options.sort = { nouveautes: "desc" };
      else if (!parts.term) options.sort = { pertinence: "asc" };
      return serial(function () { return pagefind.search(parts.term, options); });
    });
  }

  // What the visitor asked, as pertinence reads it (generator/content/ranking.py `Demand`).
  function demandOf(state) {
    var eff = effective(state), f = eff.filters, parts = split(eff.q);
    return ranking.demand({
      besoins: f.besoin, secteurs: f.secteur, structures: f.structure, effectifs: f.effectif,
      natures: f.nature.concat(eff.natures),
      departement: f.departement.length === 1 ? f.departement[0] : "",
      commune: state.communeKeys || [],
      region: !f.departement.length && f.region.length === 1 ? f.region[0] : "",
      words: ranking.wordsOf(parts.term || "")
    });
  }
  // Why an aid is listed apart, in French (the wording of ranking.py `REASONS`).
  function apart(code, values, meta) {
    var named = values.map(function (v) { return label("structure", v).toLowerCase(); }).join(", ");
    return {
      structure: "Probablement pas pour vous : réservée aux structures : " + named,
      employeur: "Probablement pas pour vous : réservée aux structures employeuses",
      effectif: "Probablement pas pour vous : pas pour votre nombre de salariés",
      territoire: "Probablement pas pour vous : pas sur votre territoire",
      partie: (meta.territoire || "Une partie du territoire") + " seulement"
    }[code] || "";
  }
  // Why an aid fits the visitor's profile, on its card (docs/interfaces.md §5): « Pour vous :
  // Trésorerie, difficultés financières · Roubaix (59) · Association · Bénévoles seulement ».
  function why(features, state) {
    var f = state.filters, parts = [];
    f.besoin.filter(function (b) { return (features.besoins || []).indexOf(b) >= 0; })
      .forEach(function (b) { parts.push(label("besoin", b)); });
    var where = state.commune ? state.communeLabel || ""
      : f.departement.length === 1 ? label("departement", f.departement[0]).replace(/^\S+ – /, "")
      : f.region.length === 1 ? label("region", f.region[0]) : "";
    if (where) parts.push(where);
    [["structure", "structures"], ["effectif", "effectifs"]].forEach(function (pair) {
      var asked = f[pair[0]];
      if (asked.length === 1 && (features[pair[1]] || []).indexOf(asked[0]) >= 0) {
        parts.push(label(pair[0], asked[0]));
      }
    });
    return parts.length ? "Pour vous : " + parts.join(" · ") : "";
  }
  // The first results in pertinence order: each one's features are its `classement` meta
  // (generator/content/rank_features.py) with its title and summary.
  function rerank(state, found, matched) {
    if (!ranking || !found.length || (state.tri && !matched)) return Promise.resolve(found);
    var head = found.slice(0, RERANK);
    return serial(function () {
      return Promise.all(head.map(function (r) { return r.data(); }));
    }).then(function (all) {
      var demand = demandOf(state);
      var aides = all.map(function (raw, i) {
        var data = Object.assign({}, raw, { id: head[i].id }), features = {};
        try { features = JSON.parse(data.meta.classement || "{}"); } catch (e) { features = {}; }
        features.slug = data.url.replace(/^\/aides\//, "").replace(/\/$/, "");
        features.titre = data.meta.title || "";
        features.resume = data.meta.resume || "";
        features.fragment = data;
        return features;
      });
      var ordered = state.tri ? aides : ranking.order(aides, demand);
      if (matched) {  // most of the words first (stable: pertinence among equals)
        ordered = ordered.map(function (a, i) { return [a, i]; }).sort(function (x, y) {
          return (matched[y[0].fragment.id] || 0) - (matched[x[0].fragment.id] || 0) || x[1] - y[1];
        }).map(function (pair) { return pair[0]; });
      }
      return ordered.map(function (features) {
        var data = features.fragment, standing = ranking.standing(features, demand);
        data.aidessApart = standing[0] ? apart(standing[1], standing[2], data.meta) : "";
        data.aidessWhy = standing[0] ? "" : why(features, state);
        return { data: function () { return Promise.resolve(data); } };
      }).concat(found.slice(RERANK));
    });
  }
  // Nothing matches every word: each word (and each need or sector the words named) is
  // searched alone, with the visitor's other filters; an aid found by more of them comes first.
  function relaxed(state) {
    var eff = effective(state), parts = split(eff.q), base = effective(blank());
    FACETS.forEach(function (name) {
      base.filters[name] = (name === "besoin" || name === "secteur") ? state.filters[name].slice()
        : eff.filters[name].slice();
    });
    var units = (parts.term ? parts.term.split(/\s+/) : []).map(function (w) { return { term: w }; });
    eff.compris.forEach(function (pair) {
      if (pair[0] === "besoin" || pair[0] === "secteur") units.push({ facet: pair[0], value: pair[1] });
    });
    if (units.length < 2) return Promise.resolve(null);
    return Promise.all(units.map(function (unit) {
      var filters = {};
      FACETS.forEach(function (name) { filters[name] = base.filters[name].slice(); });
      if (unit.facet && filters[unit.facet].indexOf(unit.value) < 0) filters[unit.facet].push(unit.value);
      var options = { filters: pagefindFilters({ filters: filters }, parts.sigles) };
      if (state.tri === "echeance") options.sort = { cloture: "asc" };
      return serial(function () { return pagefind.search(unit.term || null, options); });
    })).then(function (searches) {
      var counts = {}, byId = {}, ids = [];
      searches.forEach(function (search) {
        (search ? search.results : []).forEach(function (r) {
          if (!counts[r.id]) { ids.push(r.id); byId[r.id] = r; }
          counts[r.id] = (counts[r.id] || 0) + 1;
        });
      });
      ids.sort(function (a, b) { return counts[b] - counts[a]; });
      return { results: ids.map(function (id) { return byId[id]; }), matched: counts };
    });
  }
  // « Voir les aides (12) »: how many the panel's current choices give.
  function seeAll(n) {
    if (apply_) apply_.textContent = "Voir les aides" + (n === undefined ? "" : " (" + n + ")");
  }
  // The phone panel applies its choices with « Voir les aides » only: meanwhile each change
  // counts what they would give, and every facet's counts follow (the filter files are
  // loaded when the panel opens: liveCounts).
  var previewing = 0;
  function preview() {
    var token = ++previewing, state = fromForm();
    // The same source as `run`: a territory's listing (listes.js) without words, else Pagefind.
    var listing = window.AidessListes ? window.AidessListes.source(state) : null;
    var counted = listing ? window.AidessListes.search(listing, state)
      : load().then(function () { return query(state); });
    return counted.then(function (search) {
      if (token !== previewing || !search) return;
      refreshCounts(state, search.filters, function () { return token === previewing; });
      seeAll(search.results.length);
    }).catch(function () {});
  }
  function sentence(n, state) {
    if (!n) return "Aucune aide ne correspond";
    if (!state.q && !activeCount(state)) return ALL_LABEL;
    return n + (n > 1 ? " aides correspondent" : " aide correspond");
  }
  function failed() {
    done("erreur");
    count.textContent = "La recherche n'a pas pu se charger";
    empty.textContent = "";
    var help = text("p", "", "Parcourez les aides ");
    var link = text("a", "", "par territoire");
    link.href = "#territoires";
    help.appendChild(link);
    empty.appendChild(help);
  }
  function run(state) {
    var token = ++sequence;
    current = state;
    done("chargement");
    if (state.q || activeCount(state)) count.textContent = "Recherche en cours…";
    prerendered = false;  // from now on « Afficher plus » continues this search
    var filters = null, partial = false;
    showUnderstood(effective(state));
    // A territory without words: its precomputed listing (listes.js), not Pagefind.
    var listing = window.AidessListes ? window.AidessListes.source(state) : null;
    function pagefindSearch() { return load().then(function () { return query(state); }); }
    function listingSearch() {  // a commune's keys first, for pertinence (demandOf)
      var commune = state.commune && COMMUNES ? COMMUNES.find(state.commune) : Promise.resolve(null);
      return commune.then(function (found) {
        state.communeKeys = found ? found.keys : [];
        state.communeLabel = found ? found.label : "";
        return window.AidessListes.search(listing, state);
      });
    }
    return (listing ? listingSearch().catch(pagefindSearch)
      : pagefindSearch()).then(function (search) {
      if (token !== sequence || !search) return null;
      filters = search.filters;
      if (search.results.length || !state.q) return rerank(state, search.results);
      return relaxed(state).then(function (most) {
        if (!most || !most.results.length) return search.results;
        partial = true;
        return rerank(state, most.results, most.matched);
      });
    }).then(function (found) {
      if (token !== sequence || !found) return;
      results = found;
      shown = 0;
      var n = results.length;
      seeAll(n);
      count.textContent = partial
        ? "Aucune aide ne réunit tous vos mots : " + n + (n > 1 ? " aides en réunissent" : " aide en réunit") + " une partie, les plus proches d'abord"
        : sentence(n, state);
      announce.textContent = count.textContent + (n ? "." : " : voir les propositions.");
      refreshCounts(state, filters, function () { return token === sequence; });
      if (!n) {
        list.textContent = "";
        more.hidden = true;
        noResult(state);
        done("pret", 0);
        return null;
      }
      empty.textContent = "";
      return showMore(true).then(function () { if (token === sequence) done("pret", n); });
    }).catch(failed);
  }
  // « Afficher plus » under the server-drawn cards: the same listing from Pagefind, sorted
  // the same way, continued after the cards already there.
  function continueDefault() {
    var token = sequence;
    more.disabled = true;
    done("chargement");
    return load().then(function () {
      return query(current);
    }).then(function (search) {
      if (token !== sequence) return null;
      prerendered = false;
      results = search.results;
      shown = list.children.length;
      updateCounts(search.filters);
      return showMore(false).then(function () {
        if (token === sequence) done("pret", results.length);
      });
    }).catch(failed).then(function () { more.disabled = false; });
  }
  function warm() {
    load().catch(function () {});  // a failure shows when a search runs
  }
  function apply(state) {
    toForm(state);
    renderChips(state);
    writeUrl(state);
    return run(state);
  }
  function update() {
    return resolvePlace(fromForm()).then(apply);
  }

  // Live counts need every filter file (~400 KB at 10,000 aids): fetch them when the visitor
  // turns to the filters, not with the results; then refresh the counts only.
  function liveCounts() {
    if (filtersLoaded) return;
    if (window.AidessListes && window.AidessListes.source(current || fromForm())) return;
    filtersLoaded = true;
    var token = sequence;
    load().then(function () { return serial(function () { return pagefind.filters(); }); })
      .then(function () {
        return token === sequence ? query(fromForm()) : null;
      }).then(function (again) {
        if (again && token === sequence) {
          refreshCounts(fromForm(), again.filters, function () { return token === sequence; });
        }
      }).catch(function () { filtersLoaded = false; });
  }

  // Phone: the filters open as a dialog over the results; Escape or « Fermer » closes it,
  // « Voir les aides » applies and closes; focus goes in, stays in, and comes back.
  function isOpen() { return panel.classList.contains("is-open"); }
  function focusables() {
    return Array.prototype.filter.call(
      panel.querySelectorAll("a[href], button, input, select, [tabindex='-1']"),
      function (el) { return el.offsetParent !== null || el === document.activeElement; });
  }
  function openPanel() {
    panel.classList.add("is-open");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "true");
    opener.setAttribute("aria-expanded", "true");
    document.documentElement.classList.add("aidess-noscroll");
    liveCounts();
    document.getElementById("filtres-titre").focus();
  }
  function closePanel(focusTo) {
    if (!isOpen()) return;
    panel.classList.remove("is-open");
    panel.removeAttribute("role");
    panel.removeAttribute("aria-modal");
    opener.setAttribute("aria-expanded", "false");
    document.documentElement.classList.remove("aidess-noscroll");
    (focusTo || opener).focus();
  }
  opener.setAttribute("role", "button");
  opener.setAttribute("aria-controls", "filtres");
  opener.setAttribute("aria-expanded", "false");
  opener.addEventListener("click", function (event) { event.preventDefault(); openPanel(); });
  opener.addEventListener("keydown", function (event) {
    if (event.key === " ") { event.preventDefault(); openPanel(); }
  });
  closer.addEventListener("click", function (event) {
    if (!isOpen()) return;
    event.preventDefault();
    closePanel();
  });
  panel.addEventListener("keydown", function (event) {
    if (!isOpen()) return;
    if (event.key === "Escape") { event.preventDefault(); closePanel(); return; }
    if (event.key !== "Tab") return;
    var items = focusables(), first = items[0], last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
  });
  WIDE.addEventListener("change", function () { if (WIDE.matches) closePanel(heading); });
  panel.addEventListener("focusin", function () { if (WIDE.matches) liveCounts(); });
  panel.addEventListener("pointerdown", liveCounts);

  // Filters in the side panel apply at once; in the phone dialog, with « Voir les aides ».
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.form || target.form !== form || target === form.elements.q) return;
    if (isOpen()) { preview(); return; }
    window.clearTimeout(timer);
    update();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);  // Enter: search now, not once more 300 ms later
    var wasOpen = isOpen();
    update();
    if (wasOpen) closePanel(heading);
  });
  form.elements.q.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 300);
  });
  // The visitor turns to the search (a field, the filters, the sort, the guide): load
  // Pagefind now, so the search they are about to run does not wait for it.
  ["focusin", "pointerdown"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var target = event.target;
      if (!target || !target.closest) return;
      // A department, or another facet within a territory, is answered by its listing
      // (listes.js): only words need Pagefind then.
      if (target.id === "f-departement" || (target.id !== "q" && window.AidessListes &&
        window.AidessListes.source(current || fromForm()))) return;
      if ((target.form && (target.form === form || target.form === guide)) ||
        target.closest("#recherche, #filtres, #guide-zone, .aidess-results-bar")) warm();
    });
  });
  // A suggestion picked in the commune field searches at once (typing waits for Enter).
  if (place) {
    place.addEventListener("input", function (event) {
      if (!event.inputType || event.inputType === "insertReplacementText") update();
    });
  }
  more.addEventListener("click", function () {
    if (prerendered) continueDefault();
    else showMore(false);
  });
  if (guide) {
    guide.addEventListener("submit", function (event) {
      event.preventDefault();
      var state = current || fromForm(), where = "";
      new FormData(guide).forEach(function (value, name) {
        if (name === "commune") where = String(value).trim();
        else state.filters[name] = value ? [String(value)] : [];
      });
      document.getElementById("guide-zone").open = false;
      // « Commune ou département »: a department's name or number, else a commune.
      var dep = where && COMMUNES ? COMMUNES.departmentNamed(where, form.elements.departement) : "";
      if (dep) {
        state.filters.departement = [dep];
        state.commune = "";
      } else if (where && place) {
        place.value = where;
        state.commune = "";
      }
      (dep || !where ? Promise.resolve(state) : resolvePlace(state)).then(apply)
        .then(function () { heading.focus(); });
    });
  }

  // Departments come by number of aids (generator/home.py); typing « 59 » or « Nord » on the
  // closed list jumps to it, and the search runs once the typing pauses.
  var typed = "", typedAt = 0, typedTimer = 0;
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function typeAhead(event) {
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
    var now = Date.now();
    typed = (now - typedAt < 1200 ? typed : "") + event.key;
    typedAt = now;
    var wanted = fold(typed).replace(/^\s+/, "");
    if (!wanted) return;
    var options = Array.prototype.slice.call(departement.options, 1), hit = null;
    options.some(function (o) { return fold(o.value).lastIndexOf(wanted, 0) === 0 && (hit = o); });
    if (!hit) options.some(function (o) {
      return fold(o.dataset.nom).replace(/-/g, " ").lastIndexOf(wanted.replace(/-/g, " "), 0) === 0 && (hit = o);
    });
    event.preventDefault();
    if (!hit) return;
    departement.value = hit.value;
    window.clearTimeout(typedTimer);
    typedTimer = window.setTimeout(function () {
      typed = "";
      departement.dispatchEvent(new Event("change", { bubbles: true }));
    }, 700);
  }
  if (departement) {
    departement.addEventListener("keydown", typeAhead);
    departement.addEventListener("focus", function () { typed = ""; });
  }

  var initial = readUrl();
  toForm(initial);
  renderChips(initial);
  if (prerendered && !initial.q && !initial.tri && !activeCount(initial)) {
    current = initial;
    more.hidden = Number(zone.dataset.total || 0) <= list.children.length;
    done("pret");  // the server sent these cards (and data-total): nothing to load yet
  } else {
    if (prerendered) {  // not this search's cards: the zone keeps its height (min-height)
      list.textContent = "";
      more.hidden = true;
    }
    run(initial);  // words or filters in the URL: search at once
  }
})();

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
