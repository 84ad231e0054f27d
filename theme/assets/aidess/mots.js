// The visitor's words read as the directory's vocabulary (the lexicon of generator/lexicon.py,
// written into the home page at build time from content/synonymes.yml and the territories):
// an expression of the lexicon becomes a filter (« asso » → structure association, « Nord »
// → department 59, « difficultés financières » → need trésorerie; a nature only ranks), a
// size (« 1 salarié ») the size filter, a stop word counts for nothing, and the other words
// are searched as typed. Accents, capitals, a final « s » and one typo in a long word
// (« subvension »; not in a place's name) do not prevent a match.
(function (root) {
  "use strict";
  var BUCKETS = [[0, "0"], [1, "1-3"], [4, "4-10"], [11, "11-49"], [50, "50+"]];

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  // The visitor's words, each with its folded form (« Trésorerie » → « tresorerie »).
  function tokens(text) {
    var out = [];
    String(text || "").replace(/[\p{L}\p{N}]+/gu, function (word) {
      var folded = fold(word).replace(/[^a-z0-9]/g, "");
      if (folded) out.push({ word: word, key: folded });
      return word;
    });
    return out;
  }
  function singular(word) {
    return word.length > 3 && /[sx]$/.test(word) ? word.slice(0, -1) : word;
  }
  // At most one edit (insertion, deletion, substitution, or two letters swapped).
  function oneEdit(a, b) {
    if (a === b) return true;
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }
  function same(typed, known, fuzzy) {
    if (typed === known || singular(typed) === singular(known)) return true;
    return fuzzy && typed.length >= 5 && known.length >= 5 && /^[a-z]+$/.test(typed) &&
      oneEdit(singular(typed), singular(known));
  }
  function bucket(n) {
    var found = "0";
    BUCKETS.forEach(function (b) { if (n >= b[0]) found = b[1]; });
    return found;
  }
  function add(into, facet, value) {
    into[facet] = into[facet] || [];
    if (into[facet].indexOf(value) < 0) into[facet].push(value);
  }

  // {filtres: {facet: [values]}, mots: [words searched as typed], compris: [[facet, value]]}
  function parse(q, lexicon) {
    var list = tokens(q), stop = (lexicon && lexicon.vides) || [];
    var expressions = (lexicon && lexicon.expressions) || [];
    var result = { filtres: {}, mots: [], compris: [] };
    function keep(facet, value) {
      var before = (result.filtres[facet] || []).length;
      add(result.filtres, facet, value);
      if (result.filtres[facet].length > before) result.compris.push([facet, value]);
    }
    var i = 0;
    while (i < list.length) {
      var key = list[i].key, next = list[i + 1] ? list[i + 1].key : "";
      if (/^\d+$/.test(key) && (/^salari/.test(next) || next === "etp")) {  // « 3 salariés »
        keep("effectif", bucket(Number(key)));
        i += 2;
        continue;
      }
      var matched = null;
      for (var e = 0; e < expressions.length && !matched; e++) {
        var words = expressions[e][0];
        if (i + words.length > list.length) continue;
        // No typo allowed in a place's name: « savoir » is not Savoie.
        var all = true, fuzzy = !expressions[e][1].departement && !expressions[e][1].region;
        for (var w = 0; w < words.length && all; w++) all = same(list[i + w].key, words[w], fuzzy);
        if (all) matched = expressions[e];
      }
      if (matched) {
        Object.keys(matched[1]).forEach(function (facet) {
          matched[1][facet].forEach(function (value) { keep(facet, value); });
        });
        i += matched[0].length;
        continue;
      }
      if (stop.indexOf(key) < 0) result.mots.push(list[i].word);
      i += 1;
    }
    return result;
  }

  var api = { parse: parse, fold: fold, tokens: tokens, same: same };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.AidessMots = api;
})(this);
