// The home search's filter panel on a phone (generator/templates/home.html): « Filtres » opens
// it as a dialog over the results; Escape or « Fermer » closes it, « Voir les aides » applies
// and closes (recherche.js); focus goes in, stays in, and comes back. Also the department
// list's type-ahead: departments come by number of aids (generator/home.py), and typing « 59 »
// or « Nord » on the closed list jumps to it, the search running once the typing pauses.
window.AidessPanneau = (function () {
  "use strict";
  var WIDE = window.matchMedia("(min-width: 60em)");  // side panel; narrower: « Filtres »
  var fold = window.AidessClassement.fold;

  // `turned()`: called when the visitor turns to the filters (recherche.js loads their
  // live counts then); `heading`: where focus goes when the panel closes as the page widens.
  function create(panel, opener, heading, turned) {
    var closer = document.getElementById("fermer-filtres");
    function isOpen() { return panel.classList.contains("is-open"); }
    function focusables() {
      return Array.prototype.filter.call(
        panel.querySelectorAll("a[href], button, input, select, [tabindex='-1']"),
        function (el) { return el.offsetParent !== null || el === document.activeElement; });
    }
    function open() {
      panel.classList.add("is-open");
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-modal", "true");
      opener.setAttribute("aria-expanded", "true");
      document.documentElement.classList.add("aidess-noscroll");
      turned();
      document.getElementById("filtres-titre").focus();
    }
    function close(focusTo) {
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
    opener.addEventListener("click", function (event) { event.preventDefault(); open(); });
    opener.addEventListener("keydown", function (event) {
      if (event.key === " ") { event.preventDefault(); open(); }
    });
    closer.addEventListener("click", function (event) {
      if (!isOpen()) return;
      event.preventDefault();
      close();
    });
    panel.addEventListener("keydown", function (event) {
      if (!isOpen()) return;
      if (event.key === "Escape") { event.preventDefault(); close(); return; }
      if (event.key !== "Tab") return;
      var items = focusables(), first = items[0], last = items[items.length - 1];
      if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
      else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
    });
    WIDE.addEventListener("change", function () { if (WIDE.matches) close(heading); });
    panel.addEventListener("focusin", function () { if (WIDE.matches) turned(); });
    panel.addEventListener("pointerdown", turned);
    return { isOpen: isOpen, close: close };
  }

  // The department select (`select`): « 59 » or « Nord » typed on it selects that department.
  function typeAhead(select) {
    var typed = "", typedAt = 0, typedTimer = 0;
    select.addEventListener("keydown", function (event) {
      if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
      var now = Date.now();
      typed = (now - typedAt < 1200 ? typed : "") + event.key;
      typedAt = now;
      var wanted = fold(typed).replace(/^\s+/, "");
      if (!wanted) return;
      var options = Array.prototype.slice.call(select.options, 1), hit = null;
      options.some(function (o) { return fold(o.value).lastIndexOf(wanted, 0) === 0 && (hit = o); });
      if (!hit) options.some(function (o) {
        return fold(o.dataset.nom).replace(/-/g, " ").lastIndexOf(wanted.replace(/-/g, " "), 0) === 0 && (hit = o);
      });
      event.preventDefault();
      if (!hit) return;
      select.value = hit.value;
      window.clearTimeout(typedTimer);
      typedTimer = window.setTimeout(function () {
        typed = "";
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }, 700);
    });
    select.addEventListener("focus", function () { typed = ""; });
  }
  return { create: create, typeAhead: typeAhead };
})();
