// Callback form: focus the error summary; carry the aid the visitor comes from (?aide=slug) and show its title.
// Without JavaScript the form still works; the `aide` field is simply empty.
(function () {
  "use strict";
  // A form sent back with mistakes: move focus to the summary so it is read first.
  var summary = document.getElementById("erreurs");
  if (summary) summary.focus();
  var input = document.getElementById("aide");
  if (!input) return;
  var slug = new URLSearchParams(window.location.search).get("aide") || input.value;
  if (!slug || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) return;
  // The aid page is usually in the browser cache: the visitor just came from it.
  fetch("/aides/" + slug + "/")
    .then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    })
    .then(function (html) {
      var h1 = new DOMParser().parseFromString(html, "text/html").querySelector("h1");
      if (!h1) return;
      input.value = slug;
      document.getElementById("aide-titre").textContent = h1.textContent.trim();
      document.getElementById("aide-choisie").hidden = false;
    })
    .catch(function () {
      /* unknown aid: the request is sent without it */
    });
})();

// Pre-fill from the search filters (?departement=59&forme=association&effectif=1-3&secteur=…
// &besoins=emploi&besoins=tresorerie, or besoins=a,b), then what « Votre structure » keeps on
// this device (profil.js, read here: it never travels in an address) for the fields still
// empty. Only values the form offers are taken.
(function () {
  "use strict";
  var form = document.querySelector("form.aidess-form");
  if (!form) return;
  var params = new URLSearchParams(window.location.search);
  var told = {};
  try {  // profil.js KEY and VERSION; storage may be refused
    var stored = JSON.parse(window.localStorage.getItem("aidess.structure") || "null");
    if (stored && stored.version === 1) told = stored;
  } catch (e) { told = {}; }
  function choose(name, wanted) {
    var select = form.elements.namedItem(name);
    if (!select || !wanted || select.value) return;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === wanted) select.value = wanted;
    }
  }
  ["departement", "forme", "effectif", "secteur", "etape"].forEach(function (name) {
    choose(name, params.get(name));
  });
  choose("forme", told.structure);
  choose("effectif", told.effectif);
  choose("secteur", told.secteur);
  params.getAll("besoins").join(",").split(",").forEach(function (slug) {
    var box = document.getElementById("besoins-" + slug);
    if (slug && box && box.type === "checkbox") box.checked = true;
  });
  // The structure's place when the search named none, or its commune within the department
  // the search named.
  var select = form.elements.namedItem("departement");
  var commune = params.get("commune");
  if (!commune && told.departement && select && (!select.value || select.value === told.departement)) {
    choose("departement", told.departement);
    commune = told.commune || "";
  }
  // A commune (an INSEE code, as the search writes it): its name in the field, and its
  // department when none is chosen (communes.js reads it).
  var field = form.elements.namedItem("commune");
  if (commune && field && !field.value && window.AidessCommunes) {
    window.AidessCommunes.find(commune).then(function (c) {
      if (!c || field.value) return;
      field.value = c.label;
      if (select && !select.value) select.value = c.departement;
      form.dispatchEvent(new Event("change"));
    });
  }
})();

// Who will receive the request: asked to the service (GET /demandes/apercu) whenever the
// profile changes, shown in a polite live region. Without JavaScript, the confirmation page
// names the networks.
(function () {
  "use strict";
  var form = document.querySelector("form.aidess-form");
  var box = document.getElementById("apercu");
  if (!form || !box || !window.fetch) return;
  var url = form.action.replace(/\/demandes\/?$/, "/demandes/apercu");
  var timer = null;
  var last = "";
  function query() {
    var params = new URLSearchParams();
    ["departement", "commune", "forme", "effectif", "secteur", "etape", "aide"].forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && field.value) params.append(name, field.value);
    });
    form.querySelectorAll("input[name=besoins]:checked").forEach(function (box) {
      params.append("besoins", box.value);
    });
    return params.toString();
  }
  function show(data) {
    box.textContent = "";
    var title = document.createElement("p");
    var strong = document.createElement("strong");
    title.appendChild(strong);
    box.appendChild(title);
    if (data.fallback) {
      strong.textContent = "Aucun réseau ne correspond directement : l'équipe AidESS recevra votre demande et vous orientera.";
    } else {
      strong.textContent = data.reseaux.length > 1
        ? "Votre demande sera envoyée à ces réseaux, qui se coordonnent :"
        : "Votre demande sera envoyée à ce réseau :";
      var list = document.createElement("ul");
      data.reseaux.forEach(function (r) {
        var item = document.createElement("li");
        item.textContent = r.nom + " (pour : " + r.besoins.join(", ") + ")";
        list.appendChild(item);
      });
      box.appendChild(list);
      if (data.besoins_non_couverts.length) {
        var gap = document.createElement("p");
        gap.textContent = "Aucun réseau trouvé pour : " + data.besoins_non_couverts.join(", ") + ".";
        box.appendChild(gap);
      }
    }
    box.hidden = false;
  }
  function refresh() {
    var q = query();
    if (q === last) return;
    last = q;
    fetch(url + "?" + q, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 422) return null;
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        if (q !== last) return;
        if (data) show(data);
        else box.hidden = true;
      })
      .catch(function () {
        box.hidden = true;
      });
  }
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  });
  // A commune picked among the suggestions changes who receives the request.
  var commune = form.elements.namedItem("commune");
  if (commune) {
    commune.addEventListener("input", function (event) {
      if (event.inputType && event.inputType !== "insertReplacementText") return;
      clearTimeout(timer);
      timer = setTimeout(refresh, 150);
    });
  }
  refresh();
})();
