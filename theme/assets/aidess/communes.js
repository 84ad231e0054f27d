// The commune fields (docs/interfaces.md §5): suggestions while the visitor types a name or a
// postcode, read from the small files the build writes (generator/commune_files.py: one per
// department, one per name's first letters), never the 35,000 communes at once. The field
// stays a plain text input that the service reads without JavaScript
// (generator/content/places.py): a suggestion fills it with « Roubaix (59) ».
// window.AidessCommunes also gives the search a commune's territories (sources.js).
(function () {
  "use strict";
  var BASE = "/donnees/communes/";
  var LIMIT = 12;
  var files = {};

  function getJson(path) {
    if (!files[path]) {
      files[path] = fetch(BASE + path).then(function (r) {
        if (!r.ok) throw new Error(path + " : " + r.status);
        return r.json();
      });
      files[path].catch(function () { delete files[path]; });
    }
    return files[path];
  }
  // As generator/content/hints.py `fold`: ASCII without accents, lower case, single spaces.
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase()
      .replace(/[-_'’.,()]/g, " ").replace(/\s+/g, " ").trim();
  }
  function spelling(text) {  // « St Omer », « Ste Marie »: as places.py reads them
    return fold(text).replace(/\bste\b/g, "sainte").replace(/\bst\b/g, "saint");
  }
  // As generator/commune_files.py `name_key`; null while too short to choose a file.
  function nameKey(folded) {
    var saint = /^(sainte|saint) (.*)$/.exec(folded);
    if (saint) {
      var rest = saint[2].replace(/ /g, "");
      return rest.length >= 2 ? "st-" + rest.slice(0, 2) : null;
    }
    var key = folded.replace(/ /g, "").slice(0, 2);
    return key.length === 2 ? key : null;
  }
  function departmentOf(code) {
    return code.slice(0, 2) === "97" ? code.slice(0, 3) : code.slice(0, 2);
  }
  function postcodeDepartments(digits) {
    if (digits.slice(0, 2) === "20") return ["2A", "2B"];
    if (digits.slice(0, 2) === "97") return digits.length >= 3 ? [digits.slice(0, 3)] : [];
    return [digits.slice(0, 2)];
  }
  function label(c) { return c.nom + " (" + c.departement + ")"; }

  function department(code) {
    return getJson(encodeURIComponent(code) + ".json").then(function (data) {
      return data.communes.map(function (row) {
        return { code: row[0], nom: row[1], postcodes: row[2], epci: row[3],
          departement: data.departement, region: data.region };
      });
    });
  }
  function departments(codes) {
    return Promise.all(codes.map(function (code) {
      return department(code).catch(function () { return []; });
    })).then(function (lists) { return [].concat.apply([], lists); });
  }
  // One commune by INSEE code, with the territory keys that cover it (widest first), or null.
  function find(code) {
    return department(departmentOf(code)).then(function (list) {
      var c = list.filter(function (x) { return x.code === code; })[0];
      if (!c) return null;
      c.label = label(c);
      c.keys = ["FR", "REG-" + c.region, "DEP-" + c.departement]
        .concat(c.epci ? ["EPCI-" + c.epci] : [], ["COM-" + c.code]);
      return c;
    }).catch(function () { return null; });
  }
  function byName(folded, dep) {
    if (dep) {
      return department(dep).then(function (list) {
        return list.filter(function (c) { return spelling(c.nom).indexOf(folded) === 0; });
      });
    }
    var key = nameKey(folded);
    if (!key) return Promise.resolve([]);
    return getJson("noms/" + key + ".json").then(function (rows) {
      return rows.filter(function (r) { return spelling(r[1]).indexOf(folded) === 0; })
        .map(function (r) { return { code: r[0], nom: r[1], departement: r[2] }; });
    }).catch(function () { return []; });
  }
  // Suggestions for what is typed so far (in the department chosen, when one is).
  function suggest(text, dep) {
    var value = text.trim();
    if (/^\d{2,5}$/.test(value)) {
      var deps = postcodeDepartments(value).filter(function (d) { return !dep || d === dep; });
      return departments(deps).then(function (list) {
        list.forEach(function (c) {
          c.postcode = c.postcodes.filter(function (p) { return p.indexOf(value) === 0; })[0];
        });
        return list.filter(function (c) { return c.postcode; }).sort(function (a, b) {
          return a.postcode < b.postcode ? -1 : a.postcode > b.postcode ? 1 : 0;
        });
      });
    }
    var folded = spelling(value.replace(/\s*\([^)]*\)?\s*$/, ""));
    if (folded.length < 2) return Promise.resolve([]);
    return byName(folded, dep);
  }
  // The commune a finished text names, as the service reads it (a postcode first, then a
  // name, « Nom (59) », « 59100 Nom », an INSEE code): {commune} or {error} in French.
  function resolve(text, dep) {
    var value = text.trim(), m;
    var done = function (list, what) {
      if (list.length === 1) return find(list[0].code).then(function (c) { return { commune: c }; });
      if (list.length > 1) {
        return { error: "plusieurs communes " + what + " : choisissez dans la liste" };
      }
      return { error: "commune inconnue : « " + value + " » (écrivez son nom ou son code postal)" };
    };
    if ((m = /^COM-([0-9][0-9AB][0-9]{3})$/i.exec(value))) {
      return find(m[1].toUpperCase()).then(function (c) { return c ? { commune: c } : done([], ""); });
    }
    if ((m = /^([0-9][0-9AB][0-9]{3})$/i.exec(value))) {
      var digits = m[1].toUpperCase();
      return suggest(digits, dep).then(function (list) {
        var exact = list.filter(function (c) { return c.postcodes.indexOf(digits) >= 0; });
        if (exact.length) return done(exact, "ont ce code postal");
        return find(digits).then(function (c) {
          return c ? { commune: c } : done([], "");
        });
      });
    }
    var name = value, hint = "";
    if ((m = /^(\d{5})\s+(\D.*)$/.exec(value))) { name = m[2]; hint = m[1]; }
    else if ((m = /^(.+?)\s*\(\s*([0-9][0-9AB][0-9]{0,3})\s*\)$/i.exec(value))) { name = m[1]; hint = m[2].toUpperCase(); }
    var folded = spelling(name);
    var where = hint && hint.length < 5 ? hint : dep;
    return byName(folded, where).then(function (list) {
      var same = list.filter(function (c) { return spelling(c.nom) === folded; });
      if (hint.length === 5) {
        return departments(postcodeDepartments(hint)).then(function (all) {
          return done(all.filter(function (c) {
            return spelling(c.nom) === folded && c.postcodes.indexOf(hint) >= 0;
          }), "portent ce nom");
        });
      }
      return done(same, "portent ce nom");
    });
  }

  // A text field with suggestions (a native <datalist>: keyboard and screen readers work as
  // with any list). `departement()` gives the department chosen beside it, if any. `base`, the
  // list the field had in the page (« Proposer une aide »: France, the regions, the
  // departments), stays: those of its names that match come before the communes.
  function attach(input, departement, base) {
    var names = base ? Array.prototype.map.call(base.options, function (o) { return o.value; }) : [];
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    function show(values) {
      list.textContent = "";
      values.forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        list.appendChild(option);
      });
    }
    show(names);
    var token = 0;
    input.addEventListener("input", function () {
      var mine = ++token, value = input.value, folded = spelling(value);
      var named = names.filter(function (n) { return spelling(n).indexOf(folded) >= 0; });
      suggest(value, departement ? departement() : "").then(function (found) {
        if (mine !== token) return;
        var digits = /^\d/.test(value.trim());
        // A postcode typed: « 59100 Roubaix », which a browser keeps among the options
        // matching « 591… »; a name: « Roubaix (59) ».
        var communes = found.slice(0, LIMIT).map(function (c) {
          return digits ? c.postcode + " " + c.nom : label(c);
        });
        show(named.slice(0, LIMIT).concat(communes.filter(function (c) {
          return named.indexOf(c) < 0;
        })));
      });
    });
  }

  // A department named instead of a commune (« Nord », « 59 », « Nord (59) »), read from the
  // options of a department <select> (« 59 – Nord »): its code, or "".
  function departmentNamed(text, select) {
    if (!select) return "";
    var value = text.trim().toUpperCase().replace(/^DEP-/, ""), folded = spelling(text);
    var found = Array.prototype.filter.call(select.options, function (o) {
      if (!o.value) return false;
      var name = (o.dataset.label || o.textContent).replace(/^\S+ – /, "").replace(/ \(\d+\)$/, "");
      return o.value === value || spelling(name) === folded || spelling(name + " (" + o.value + ")") === folded;
    })[0];
    return found ? found.value : "";
  }

  window.AidessCommunes = {
    find: find, resolve: resolve, suggest: suggest, attach: attach, label: label,
    departmentOf: departmentOf, departmentNamed: departmentNamed
  };

  // Every field marked data-communes: the home's, the callback form's, the alert form's, the
  // territories of « Proposer une aide » (with the list they had).
  document.querySelectorAll("input[data-communes]").forEach(function (input) {
    var select = input.form && input.form.elements.departement;
    var base = input.list;
    attach(input, select && select.tagName === "SELECT" ? function () { return select.value; } : null,
      base);
  });
})();
