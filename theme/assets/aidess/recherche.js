// Home page search over the page the server sent (generator/templates/home.html). Nothing is
// revealed or moved: the script fills the results area, the chips and the counts in place.
// The server sends the first cards of the listing without words or filters
// (generator/result_cards.py): on that page Pagefind (~160 KB before any result) loads only
// when the visitor turns to the search, or asks for more cards; a URL with words or filters
// searches at once. Its parts, loaded before it: etat.js (the state in the URL), facettes.js
// (the form, chips and counts), sources.js (a territory's listing or Pagefind, moteur.js),
// cartes.js (the cards), panneau.js (the phone's filter panel, the department type-ahead),
// profil.js (« Votre structure », remembered on this device: it ranks, never filters).
(function () {
  "use strict";
  var Etat = window.AidessEtat;
  var PAGE = 10;  // each Pagefind result fetches its fragment: fewer bytes before the first results
  var LEXICON = null;  // generator/lexicon.py, written into the page at build time
  try { LEXICON = JSON.parse(document.getElementById("aidess-lexique").textContent); } catch (e) { LEXICON = null; }
  var ANSWERS = {};  // generator/content/urls.py SEARCH_TO_FORM, written into the page
  try { ANSWERS = JSON.parse(document.getElementById("aidess-reponses").textContent); } catch (e) { ANSWERS = {}; }
  var form = document.getElementById("recherche");
  var guide = document.getElementById("guide");
  var panel = document.getElementById("filtres");
  var list = document.getElementById("resultats");
  // The aids the visitor cannot get are listed apart, under their own heading (§5).
  var apartZone = document.getElementById("resultats-apart");
  var apartList = document.getElementById("resultats-apart-liste");
  var PROFILE = window.AidessProfil;
  var count = document.getElementById("resultats-nombre");
  var heading = document.getElementById("resultats-titre");
  var announce = document.getElementById("annonce");
  var understood = document.getElementById("compris");
  var chips = document.getElementById("filtres-actifs");
  var empty = document.getElementById("sans-resultat");
  var more = document.getElementById("plus");
  var opener = document.getElementById("ouvrir-filtres");
  var callback = document.getElementById("rappel-accueil");
  var apply_ = document.getElementById("appliquer");
  if (!form || !list || !panel) return;
  var FORM_URL = callback ? callback.getAttribute("href").split("?")[0] : "/demande/";
  var SIGLES = (form.dataset.sigles || "").split(" ").filter(Boolean);
  var SHOWN_BY_DEFAULT = Array.prototype.map.call(
    panel.querySelectorAll("input[name='statut'][data-defaut]"), function (i) { return i.value; });
  var ALL_LABEL = count.textContent;
  var zone = document.getElementById("resultats-zone");
  var COMMUNES = window.AidessCommunes;
  var place = form.elements.commune;
  var moteur = window.AidessMoteur.create(SIGLES, SHOWN_BY_DEFAULT);
  var sources = window.AidessSources.create(moteur, window.AidessMots, LEXICON);
  var facettes = window.AidessFacettes.create(form, chips, opener, callback);
  var label = facettes.label;
  // For tests and the bench: « chargement » while a search runs, « pret » once its first
  // results (or the no-result help) are drawn, « erreur » if Pagefind could not load.
  function done(state, total) {
    zone.dataset.etat = state;
    if (total !== undefined) zone.dataset.total = String(total);
  }

  var filtersLoaded = false, sequence = 0;
  var results = [], shown = 0, timer = 0, current = null, demand = null;
  // The server-drawn cards of the default listing, until a search replaces them.
  var prerendered = list.children.length > 0;

  // The callback form, pre-filled with what the search says (demande.js adds « Votre
  // structure » there, from this device).
  function callbackUrl(state, slug, departement) {
    return Etat.callbackUrl(state, ANSWERS, FORM_URL, slug, departement);
  }
  function drop(name, value) {
    return function () {
      var state = current || facettes.fromForm();
      if (name === "q") state.q = "";
      else if (name === "commune") state.commune = "";
      else state.filters[name] = state.filters[name].filter(function (v) { return v !== value; });
      if (name === "departement") state.commune = "";
      apply(state);
      heading.focus();
    };
  }
  var cartes = window.AidessCartes.create({ label: label,
    callbackUrl: callbackUrl, drop: drop });

  function showUnderstood(eff) {
    var parts = (eff.compris || []).map(function (pair) { return label(pair[0], pair[1]); });
    understood.hidden = !parts.length;
    understood.textContent = parts.length ? "Recherche comprise comme : " + parts.join(" · ") : "";
  }
  function showMore(replace) {
    var token = sequence, batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    return moteur.data(batch).then(function (all) {
      if (token !== sequence) return;  // a newer search replaced these results
      if (replace) {
        list.textContent = "";
        clearApart();
      }
      all.forEach(function (data) {
        if (!data.aidessStanding && demand) data = sources.annotate(data, demand);  // not re-ranked
        var barred = data.aidessStanding && data.aidessStanding[0] === window.AidessClassement.BARRED;
        (barred && apartList ? apartList : list).appendChild(cartes.card(data, current || Etat.blank()));
        if (barred && apartZone) apartZone.hidden = false;
      });
      more.hidden = shown >= results.length;
      if (!list.children.length && apartList && apartList.children.length) {
        empty.textContent = "";
        empty.appendChild(window.AidessCartes.text("p", "", "Aucune de ces aides ne semble " +
          "ouverte à votre structure : les voici plus bas, chacune avec la raison."));
      }
    });
  }
  function clearApart() {
    if (!apartList) return;
    apartList.textContent = "";
    apartZone.hidden = true;
  }
  // « Voir les aides (12) »: how many the panel's current choices give.
  function seeAll(n) {
    if (apply_) apply_.textContent = "Voir les aides" + (n === undefined ? "" : " (" + n + ")");
  }
  // The phone panel applies its choices with « Voir les aides » only: meanwhile each change
  // counts what they would give, and every facet's counts follow, from the same source as
  // the results (sources.js).
  var previewing = 0;
  function preview() {
    var token = ++previewing, state = facettes.fromForm();
    function still() { return token === previewing; }
    return sources.find(state).then(function (search) {
      if (!still() || !search) return;
      facettes.refreshCounts(state, search.filters, sources.find, still);
      seeAll(search.results.length);
    }).catch(function () {});
  }
  function sentence(n, state) {
    if (!n) return "Aucune aide ne correspond";
    if (!state.q && !Etat.activeCount(state)) return ALL_LABEL;
    return n + (n > 1 ? " aides correspondent" : " aide correspond");
  }
  function failed() {
    done("erreur");
    count.textContent = "La recherche n'a pas pu se charger";
    empty.textContent = "";
    var help = window.AidessCartes.text("p", "", "Parcourez les aides ");
    var link = window.AidessCartes.text("a", "", "par territoire");
    link.href = "#territoires";
    help.appendChild(link);
    empty.appendChild(help);
  }
  function run(state) {
    var token = ++sequence;
    function still() { return token === sequence; }
    current = state;
    done("chargement");
    if (state.q || Etat.activeCount(state)) count.textContent = "Recherche en cours…";
    prerendered = false;  // from now on « Afficher plus » continues this search
    showUnderstood(sources.effective(state));
    return sources.answer(state, still).then(function (found) {
      if (!still() || !found) return null;
      results = found.results;
      demand = found.demand;
      shown = 0;
      var n = results.length;
      seeAll(n);
      var absent = (found.missing || []).map(function (w) { return "« " + w + " »"; }).join(", ");
      count.textContent = found.partial
        ? "Aucune aide ne réunit tous vos mots : " + n + (n > 1 ? " aides en réunissent" : " aide en réunit") + " une partie, les plus proches d'abord"
        : absent ? "Aucun résultat pour " + absent + " : recherche sur les autres mots, " +
          n + (n > 1 ? " aides correspondent" : " aide correspond")
        : sentence(n, state);
      announce.textContent = count.textContent + (n ? "." : " : voir les propositions.");
      facettes.refreshCounts(state, found.filters, sources.find, still);
      if (!n) {
        list.textContent = "";
        clearApart();
        more.hidden = true;
        cartes.noResult(empty, state);
        done("pret", 0);
        return null;
      }
      empty.textContent = "";
      return showMore(true).then(function () { if (still()) done("pret", n); });
    }).catch(failed);
  }
  // « Afficher plus » under the server-drawn cards: the same listing from Pagefind, sorted
  // the same way, continued after the cards already there.
  function continueDefault() {
    var token = sequence;
    more.disabled = true;
    done("chargement");
    return sources.find(current).then(function (search) {
      if (token !== sequence) return null;
      prerendered = false;
      results = search.results;
      shown = list.children.length;
      facettes.updateCounts(search.filters);
      return showMore(false).then(function () {
        if (token === sequence) done("pret", results.length);
      });
    }).catch(failed).then(function () { more.disabled = false; });
  }
  function warm() {
    moteur.load().catch(function () {});  // a failure shows when a search runs
  }
  function apply(state) {
    facettes.toForm(state);
    facettes.renderChips(state, drop, callbackUrl);
    var query = Etat.write(state);
    window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
    return run(state);
  }
  function update() {
    return facettes.resolvePlace(facettes.fromForm()).then(apply);
  }

  // Live counts need every filter file (~400 KB at 10,000 aids): fetch them when the visitor
  // turns to the filters, not with the results; then refresh the counts only. A territory's
  // listing counts its own.
  function liveCounts() {
    if (filtersLoaded || sources.listing(current || facettes.fromForm())) return;
    filtersLoaded = true;
    var token = sequence;
    function still() { return token === sequence; }
    moteur.loadFilters().then(function () {
      return still() ? sources.find(facettes.fromForm()) : null;
    }).then(function (again) {
      if (again && still()) facettes.refreshCounts(facettes.fromForm(), again.filters, sources.find, still);
    }).catch(function () { filtersLoaded = false; });
  }

  var panneau = window.AidessPanneau.create(panel, opener, heading, liveCounts);
  // Filters in the side panel apply at once; in the phone dialog, with « Voir les aides ».
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.form || target.form !== form || target === form.elements.q) return;
    if (panneau.isOpen()) { preview(); return; }
    window.clearTimeout(timer);
    update();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);  // Enter: search now, not once more 300 ms later
    var wasOpen = panneau.isOpen();
    update();
    if (wasOpen) panneau.close(heading);
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
      if (target.id === "f-departement" ||
        (target.id !== "q" && sources.listing(current || facettes.fromForm()))) return;
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
      var state = current || facettes.fromForm(), where = "";
      new FormData(guide).forEach(function (value, name) {
        if (name === "commune") where = String(value).trim();
        else if (Etat.FACETS.indexOf(name) >= 0) state.filters[name] = value ? [String(value)] : [];
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
      // Its answers on the structure are « Votre structure » from now on (profil.js).
      (dep || !where ? Promise.resolve(state) : facettes.resolvePlace(state)).then(function (state) {
        return PROFILE ? PROFILE.rememberGuide(guide, state, dep).then(function () { return state; }) : state;
      }).then(apply).then(function () { heading.focus(); });
    });
  }

  var departement = document.getElementById("f-departement");
  if (departement) window.AidessPanneau.typeAhead(departement);

  var initial = Etat.read(window.location.search, COMMUNES && COMMUNES.departmentOf);
  facettes.toForm(initial);
  facettes.renderChips(initial, drop, callbackUrl);
  // A structure told on an earlier visit re-ranks even the default listing.
  var told = PROFILE && PROFILE.read();
  if (PROFILE) PROFILE.onChange(function () { run(current || initial); });
  if (prerendered && !told && !initial.q && !initial.tri && !Etat.activeCount(initial)) {
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
