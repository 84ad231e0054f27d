// « Votre structure » (docs/interfaces.md §5): what the visitor's structure is — its type,
// size, sector, place and the agreements it holds —, told once (the guided entry, or this
// panel: generator/templates/home.html) and kept in this browser only (localStorage, never
// sent to any server). Every ranking then puts the aids it cannot get apart (classement.js
// `withProfile`); it never filters, and a ticked facet wins over it. sources.js asks
// `ranking()` for it; recherche.js `rememberGuide()`s the guided entry's answers and re-runs
// on `onChange`; demande.js pre-fills the callback form with it, on this device.
window.AidessProfil = (function () {
  "use strict";
  var KEY = "aidess.structure";
  var VERSION = 1;
  var FIELDS = ["structure", "effectif", "secteur"];
  var COMMUNES = window.AidessCommunes;
  var listeners = [];
  var resolved = { text: null, promise: null };

  function store() {
    try { return window.localStorage; } catch (e) { return null; }  // storage refused
  }
  // The stored profile: {version, structure, effectif, secteur, departement, region, commune,
  // lieu, agrements}; `agrements` an array ([] « aucun »), null « je ne sais pas », absent
  // when not answered. Null when nothing was told.
  function read() {
    var s = store(), data = null;
    try { data = s ? JSON.parse(s.getItem(KEY) || "null") : null; } catch (e) { data = null; }
    return data && data.version === VERSION ? data : null;
  }
  function given(p) {
    return !!p && (FIELDS.some(function (f) { return p[f]; }) || !!p.departement ||
      p.agrements !== undefined);
  }
  function write(p) {
    var s = store(), clean = { version: VERSION };
    if (!s) return false;
    FIELDS.concat(["departement", "region", "commune", "lieu"]).forEach(function (f) {
      if (p[f]) clean[f] = String(p[f]);
    });
    if (p.agrements === null || Array.isArray(p.agrements)) clean.agrements = p.agrements;
    try {
      if (given(clean)) s.setItem(KEY, JSON.stringify(clean));
      else s.removeItem(KEY);
    } catch (e) { return false; }
    return true;
  }
  function changed() {
    resolved = { text: null, promise: null };
    show();
    listeners.forEach(function (fn) { fn(read()); });
  }

  // The profile as pertinence reads it (classement.js `profile`): a commune becomes the
  // territory keys that cover it. Null without a profile.
  function ranking() {
    var p = read(), text = JSON.stringify(p);
    if (!p) return Promise.resolve(null);
    if (resolved.text === text) return resolved.promise;
    var keys = p.commune && COMMUNES ? COMMUNES.find(p.commune).then(function (c) {
      return c ? c.keys : [];
    }) : Promise.resolve([]);
    resolved = { text: text, promise: keys.then(function (commune) {
      var out = { structure: p.structure || "", effectif: p.effectif || "", secteur: p.secteur || "",
        departement: p.departement || "", region: p.region || "", commune: commune };
      if (p.agrements !== undefined) out.agrements = p.agrements;
      return out;
    }) };
    return resolved.promise;
  }

  // French labels, read from the panel the server rendered.
  function label(name, value) {
    var field = document.querySelector("#profil-form [name='" + name + "'] option[value='" + value + "']") ||
      document.querySelector("#profil-form [name='" + name + "'][value='" + value + "']");
    return field ? (field.dataset.label || field.textContent) : value;
  }
  // « Association · Bénévoles seulement · Hazebrouck (59) · Culture · sans agrément »
  function describe(p) {
    if (!given(p)) return "";
    var parts = [];
    FIELDS.forEach(function (f) { if (p[f]) parts.push(label(f, p[f])); });
    if (p.lieu) parts.splice(Math.min(parts.length, 2), 0, p.lieu);
    if (Array.isArray(p.agrements)) {
      parts.push(p.agrements.length ? p.agrements.map(function (a) { return label("agrement", a); }).join(", ")
        : "sans agrément");
    }
    return parts.join(" · ");
  }

  // The agreements answered in a form: a list, [] (« Aucun »), null (« Je ne sais pas »),
  // undefined (nothing ticked).
  function agreementsOf(form) {
    var ticked = Array.prototype.filter.call(form.querySelectorAll("input[data-agrement]"),
      function (box) { return box.checked; }).map(function (box) { return box.value; });
    if (ticked.indexOf("inconnu") >= 0) return null;
    if (ticked.indexOf("aucun") >= 0) return [];
    return ticked.length ? ticked : undefined;
  }
  function setAgreements(form, agrements) {
    form.querySelectorAll("input[data-agrement]").forEach(function (box) {
      box.checked = agrements === null ? box.value === "inconnu"
        : Array.isArray(agrements) ? (agrements.length ? agrements.indexOf(box.value) >= 0 : box.value === "aucun")
        : false;
    });
  }
  // « Aucun » and « Je ne sais pas » exclude the other answers, and an agreement excludes them.
  function exclusive(form) {
    form.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.hasAttribute("data-agrement") || !box.checked) return;
      form.querySelectorAll("input[data-agrement]").forEach(function (other) {
        if (other !== box && (box.hasAttribute("data-seul") || other.hasAttribute("data-seul"))) {
          other.checked = false;
        }
      });
    });
  }
  // A place typed (a department's name or number, or a commune): {departement, region,
  // commune, lieu}, {} when empty, or {error} in French.
  function place(text, select) {
    var value = String(text || "").trim();
    if (!value || !COMMUNES) return Promise.resolve({});
    var dep = COMMUNES.departmentNamed(value, select);
    if (dep) {
      var option = select.querySelector("option[value='" + dep + "']");
      var nom = option ? (option.dataset.nom || dep) : dep;
      var region = option ? (option.dataset.region || "") : "";  // written by the build
      return Promise.resolve({ departement: dep, region: region, lieu: nom + " (" + dep + ")" });
    }
    return COMMUNES.resolve(value, "").then(function (found) {
      if (!found.commune) return { error: found.error };
      var c = found.commune;
      return { departement: c.departement, region: c.region, commune: c.code, lieu: c.label };
    });
  }
  // The guided entry's answers, saved over the stored profile (an unanswered question keeps
  // what was told before), once the search has read its place: `state.commune`, or `dep`
  // (a department named). Quietly: the guided entry runs its search itself.
  function rememberGuide(form, state, dep) {
    var p = read() || {}, data = new FormData(form);
    FIELDS.forEach(function (f) { if (data.get(f)) p[f] = String(data.get(f)); });
    var agrements = agreementsOf(form);
    if (agrements !== undefined) p.agrements = agrements;
    var where = !COMMUNES ? Promise.resolve(null)
      : state.commune ? COMMUNES.find(state.commune).then(function (c) {
        return c && { departement: c.departement, region: c.region, commune: c.code, lieu: c.label };
      })
      : dep ? place(dep, document.getElementById("f-departement")) : Promise.resolve(null);
    return where.then(function (at) {
      if (at && at.departement) {
        ["departement", "region", "commune", "lieu"].forEach(function (f) { p[f] = at[f] || ""; });
      }
      write(p);
      resolved = { text: null, promise: null };
      show();
    });
  }
  // The panel: its summary line, its form filled from the profile when opened.
  var zone = document.getElementById("profil-zone");
  var form = document.getElementById("profil-form");
  var summary = document.getElementById("profil-resume");
  var action = document.getElementById("profil-action");
  var forgetButton = document.getElementById("profil-oublier");
  var status = document.getElementById("profil-etat");
  var departements = document.getElementById("f-departement");
  function show() {
    if (!summary) return;
    var p = read(), text = describe(p);
    summary.textContent = "Votre structure : " + (text || "non décrite");
    if (action) action.textContent = text ? "· Modifier" : "· Décrire";
    if (forgetButton) forgetButton.hidden = !text;
  }
  function fill(target, p) {
    p = p || {};
    FIELDS.forEach(function (f) {
      var field = target.elements[f];
      if (field && p[f]) field.value = p[f];
    });
    if (target.elements.commune && p.lieu && !target.elements.commune.value) target.elements.commune.value = p.lieu;
    if (p.agrements !== undefined) setAgreements(target, p.agrements);
  }
  function error(field, text) {
    var old = document.getElementById(field.id + "-erreur");
    if (old) old.remove();
    field.removeAttribute("aria-invalid");
    if (!text) return;
    var p = document.createElement("p");
    p.id = field.id + "-erreur";
    p.className = "aidess-error";
    p.textContent = "Commune ou département : " + text;
    field.parentNode.appendChild(p);
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", p.id);
  }
  if (form && zone) {
    exclusive(form);
    zone.addEventListener("toggle", function () {
      if (!zone.open) return;
      if (status) status.textContent = "";  // the last save's word, said until reopened
      form.reset();
      fill(form, read());
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var field = form.elements.commune;
      var before = read() || {};
      var text = field.value.trim();
      var same = text && text === before.lieu;
      (same ? Promise.resolve(before) : place(text, departements)).then(function (where) {
        if (where.error) { error(field, where.error); field.focus(); return; }
        error(field, "");
        var p = {};  // write() adds the version; an empty place (« ») clears the stored one
        FIELDS.forEach(function (f) { if (form.elements[f].value) p[f] = form.elements[f].value; });
        ["departement", "region", "commune", "lieu"].forEach(function (f) { if (where[f]) p[f] = where[f]; });
        var agrements = agreementsOf(form);
        if (agrements !== undefined) p.agrements = agrements;
        var ok = write(p);
        zone.open = false;
        changed();
        if (status) status.textContent = ok ? "Votre structure est enregistrée sur cet appareil."
          : "Votre navigateur refuse d'enregistrer : votre structure ne sera pas retenue.";
        zone.querySelector("summary").focus();
      });
    });
    forgetButton.addEventListener("click", function () {
      var s = store();
      try { if (s) s.removeItem(KEY); } catch (e) { /* nothing kept anyway */ }
      form.reset();
      zone.open = false;
      changed();
      if (status) status.textContent = "Votre structure est oubliée : rien n'est plus enregistré sur cet appareil.";
      zone.querySelector("summary").focus();
    });
  }
  var guide = document.getElementById("guide");
  if (guide) {
    exclusive(guide);
    fill(guide, read());
  }
  show();

  return {
    read: read, ranking: ranking, rememberGuide: rememberGuide,
    onChange: function (fn) { listeners.push(fn); }
  };
})();
