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
