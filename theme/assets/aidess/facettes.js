// The home search's filters as the page shows them (generator/templates/home.html): the form
// read into a state and set from one (etat.js), the commune typed resolved to its code
// (communes.js), the chips of the active filters, the French labels, and the counts beside
// each facet's values.
window.AidessFacettes = (function () {
  "use strict";
  var Etat = window.AidessEtat;
  var COMMUNES = window.AidessCommunes;
  // Values ticked within one facet widen the search (OR), so the counts beside that facet's
  // values are those of the search without it (as faceted search does): otherwise, once
  // « Trésorerie » is ticked, every other need reads (0). Territories are single choices
  // (selects) and keep the search's own counts.
  var TICKED = ["secteur", "besoin", "structure", "effectif", "etape", "nature", "statut"];

  // `form`: the search form; `chips`: the list of active filters; `opener`: the phone's
  // « Filtres » button; `callback`: the « Être rappelé » link beside the results (or null).
  function create(form, chips, opener, callback) {
    var place = form.elements.commune;

    function fields(name) {
      return document.querySelectorAll("[name='" + name + "'][form='recherche'], #recherche [name='" + name + "']");
    }
    function fromForm() {
      var data = new FormData(form);
      var state = Etat.blank();
      state.q = String(data.get("q") || "").trim();
      state.tri = Etat.SORTS.indexOf(String(data.get("tri"))) >= 0 ? String(data.get("tri")) : "";
      Etat.FACETS.forEach(function (name) {
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
    function toForm(state) {
      form.elements.q.value = state.q;
      document.getElementById("tri").value = state.tri;
      Etat.FACETS.forEach(function (name) {
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

    // Active filters as chips; each one removes its filter (`drop(name, value)`: a handler).
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
    function renderChips(state, drop, callbackUrl) {
      chips.textContent = "";
      if (state.q) chips.appendChild(chip("« " + state.q + " »", "mots-clés « " + state.q + " »", drop("q")));
      Etat.FACETS.forEach(function (name) {
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
      if (state.q || Etat.activeCount(state)) {
        var li = document.createElement("li");
        var clear = document.createElement("a");
        clear.href = "/";
        clear.className = "aidess-effacer";
        clear.textContent = "Effacer les filtres";
        li.appendChild(clear);
        chips.appendChild(li);
      }
      var n = Etat.activeCount(state, Etat.FACETS.filter(function (f) { return f !== "departement"; }));
      opener.textContent = n ? "Filtres (" + n + ")" : "Filtres";
      if (callback) callback.href = callbackUrl(state);
    }

    // The counts beside the facets' values, from a search's `filters` (Pagefind's shape).
    function updateCounts(counts) {
      if (!counts) return;
      Etat.FACETS.forEach(function (name) {
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
    // The counts of the search `state` (`counts`), then those of each ticked facet from the
    // same search without it (`find`: sources.js), while `still()` says it is current.
    function refreshCounts(state, counts, find, still) {
      updateCounts(counts);
      if (!counts) return;
      TICKED.forEach(function (name) {
        if (!state.filters[name] || !state.filters[name].length) return;
        var wider = Etat.copy(state);
        wider.filters[name] = [];
        find(wider).then(function (search) {
          if (!still() || !search || !search.filters || !search.filters[name]) return;
          var one = {};
          one[name] = search.filters[name];
          updateCounts(one);
        }).catch(function () {});
      });
    }
    return { fromForm: fromForm, toForm: toForm, resolvePlace: resolvePlace, label: label,
      facetName: facetName, renderChips: renderChips, updateCounts: updateCounts,
      refreshCounts: refreshCounts };
  }
  return { create: create };
})();
