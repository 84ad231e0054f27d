// Home page search: Pagefind's JS API, facets with French labels rendered at build time,
// state kept in the URL query string (same names as generator/urls.py `search`).
(function () {
  "use strict";
  var FACETS = ["region", "departement", "secteur", "besoin", "structure", "effectif",
    "etape", "nature", "statut"];
  var SHOWN_BY_DEFAULT = ["a-venir", "ouverte", "cloture-proche", "a-confirmer"];
  var PAGE = 10;  // each result fetches its fragment: fewer bytes before the first results
  var form = document.getElementById("recherche");
  var guide = document.getElementById("guide");
  var zone = document.getElementById("resultats-zone");
  var list = document.getElementById("resultats");
  var status = document.getElementById("resultats-nombre");
  var more = document.getElementById("plus");
  if (!form || !guide) return;
  document.getElementById("sans-js").hidden = true;
  form.hidden = false;
  guide.hidden = false;

  var pagefind = null, filtersLoaded = false, sequence = 0, results = [], shown = 0, timer = 0;

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get("q") || "", filters: {} };
    FACETS.forEach(function (name) { state.filters[name] = params.getAll(name).filter(Boolean); });
    return state;
  }
  function isEmpty(state) {
    return !state.q && FACETS.every(function (name) { return !state.filters[name].length; });
  }
  function writeUrl(state) {
    var params = new URLSearchParams();
    if (state.q) params.append("q", state.q);
    FACETS.forEach(function (name) {
      state.filters[name].forEach(function (value) { params.append(name, value); });
    });
    var query = params.toString();
    window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
  }
  function fromForm() {
    var data = new FormData(form);
    var state = { q: String(data.get("q") || "").trim(), filters: {} };
    FACETS.forEach(function (name) {
      state.filters[name] = data.getAll(name).map(String).filter(Boolean);
    });
    return state;
  }
  function toForm(state) {
    form.elements.q.value = state.q;
    FACETS.forEach(function (name) {
      var chosen = state.filters[name];
      form.querySelectorAll("[name='" + name + "']").forEach(function (field) {
        if (field.tagName === "SELECT") field.value = chosen[0] || "";
        else field.checked = chosen.indexOf(field.value) >= 0;
      });
    });
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
  function pagefindFilters(state) {
    var filters = {}, territories = [];
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
    if (territories.length) filters.all = territories;
    return filters;
  }
  function load() {
    if (pagefind) return Promise.resolve(pagefind);
    return import("/pagefind/pagefind.js").then(function (module) {
      pagefind = module;
      return pagefind.options({ excerptLength: 20 }).then(function () { return pagefind; });
    });
  }
  function updateCounts(counts) {
    if (!counts) return;
    FACETS.forEach(function (name) {
      if (!counts[name]) return;  // filter files not loaded yet: keep the build-time counts
      var values = counts[name];
      form.querySelectorAll("[data-facet='" + name + "']").forEach(function (span) {
        span.textContent = String(values[span.dataset.value] || 0);
      });
      form.querySelectorAll("select[name='" + name + "'] option[data-label]").forEach(function (o) {
        o.textContent = o.dataset.label + " (" + (values[o.value] || 0) + ")";
      });
    });
  }
  function item(data) {
    var li = document.createElement("li");
    var title = document.createElement("a");
    title.href = data.url;
    title.textContent = data.meta.title || data.url;
    var heading = document.createElement("h3");
    heading.appendChild(title);
    li.appendChild(heading);
    var facts = document.createElement("p");
    facts.className = "aidess-result-facts";
    var badge = document.createElement("span");
    badge.className = "aidess-badge";
    badge.textContent = data.meta.statut || "";
    facts.appendChild(badge);
    facts.appendChild(document.createTextNode(" " + [data.meta.echeance, data.meta.territoire]
      .filter(Boolean).join(" · ")));
    li.appendChild(facts);
    var resume = document.createElement("p");
    resume.textContent = data.meta.resume || "";
    li.appendChild(resume);
    return li;
  }
  // One Pagefind call at a time: overlapping searches, fragment loads and filter loads (a
  // facet clicked while results load) could leave a search unanswered under load.
  var chain = Promise.resolve();
  function serial(task) {
    var next = chain.then(task);
    chain = next.then(function () {}, function () {});
    return next;
  }
  function showMore() {
    var token = sequence, batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    more.hidden = shown >= results.length;
    return serial(function () {
      return Promise.all(batch.map(function (r) { return r.data(); }));
    }).then(function (all) {
      if (token !== sequence) return;  // a newer search replaced these results
      all.forEach(function (data) { list.appendChild(item(data)); });
    });
  }
  function query(state) {
    return serial(function () {
      return pagefind.search(state.q || null, { filters: pagefindFilters(state) });
    });
  }
  function run(state) {
    var token = ++sequence;
    zone.hidden = false;
    status.textContent = "Recherche en cours…";
    return load().then(function () {
      return query(state);
    }).then(function (search) {
      if (token !== sequence || !search) return;
      results = search.results;
      shown = 0;
      list.textContent = "";
      var n = results.length;
      status.textContent = n === 0 ? "Aucune aide ne correspond : retirez un filtre."
        : n + (n > 1 ? " aides correspondent" : " aide correspond") + " à votre recherche.";
      updateCounts(search.filters);
      return showMore();
    }).catch(function () {
      status.textContent = "La recherche n'a pas pu se charger. Parcourez les aides par territoire.";
    });
  }
  function update() {
    var state = fromForm();
    writeUrl(state);
    run(state);
  }

  // Live counts need every filter file (~400 KB at 10,000 aids): fetch them when the visitor
  // turns to the filters, not with the results; then refresh the counts only.
  function liveCounts() {
    if (filtersLoaded) return;
    filtersLoaded = true;
    var token = sequence;
    load().then(function () { return serial(function () { return pagefind.filters(); }); })
      .then(function () {
      return token === sequence ? query(fromForm()) : null;
    }).then(function (again) {
      if (again && token === sequence) updateCounts(again.filters);
    }).catch(function () { filtersLoaded = false; });
  }
  var facetsPanel = form.querySelector(".aidess-facets");
  facetsPanel.addEventListener("focusin", liveCounts);
  facetsPanel.addEventListener("pointerdown", liveCounts);
  form.addEventListener("change", function (event) {
    if (event.target === form.elements.q) return;  // typing is handled below, debounced
    window.clearTimeout(timer);
    update();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);  // Enter: search now, not once more 300 ms later
    update();
  });
  form.elements.q.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 300);
  });
  more.addEventListener("click", function () { showMore(); });
  guide.addEventListener("submit", function (event) {
    event.preventDefault();
    var state = { q: "", filters: {} };
    FACETS.forEach(function (name) { state.filters[name] = []; });
    new FormData(guide).forEach(function (value, name) {
      if (value) state.filters[name] = [String(value)];
    });
    toForm(state);
    writeUrl(state);
    run(state).then(function () { document.getElementById("resultats-titre").focus(); });
  });
  document.getElementById("resultats-titre").tabIndex = -1;

  var initial = readUrl();
  toForm(initial);
  if (!isEmpty(initial)) run(initial);  // a shared or reloaded search
})();
