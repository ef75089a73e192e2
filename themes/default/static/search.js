/* Vetrina search page: progressive enhancement over a plain form.
 *
 * Loads the search index published with the site (one per language: the form's data-index
 * names this page's, data-bundle the script that reads it), runs the query given in the
 * form or in ?q=, and lists the results with their excerpts, their date, and a link to the
 * heading nearest the match on a long page. The result count is announced through a status
 * region, with the words left out (found nowhere) and those taken for a word of the site
 * one letter apart; "show more" moves the focus to the first new result.
 *
 * Once there are results, the filters show: section, region, project and year (each
 * result carries what its page says of itself), and the order, by relevance or by date
 * (stories, news and events newest first, then the other pages by relevance).
 * A choice narrows the list at once; each option gives how many results it would leave,
 * and the count is announced again. The query and the choices are kept in the address
 * (?q=tirocinio&regione=puglia&progetto=puoi), read back when the page opens, so that a
 * search can be shared. Interface strings come from the site's i18n, embedded as JSON in
 * the page. Without JavaScript, or opened from disk, the page says that search needs a
 * web server and JavaScript. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-search]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var unavailable = document.getElementById("search-unavailable");
  var filterBox = document.getElementById("search-filters");
  var facets = filterBox ? Array.prototype.slice.call(filterBox.querySelectorAll("select[data-facet]")) : [];
  var sorter = filterBox ? filterBox.querySelector("select[data-sort]") : null;
  var yearSelect = filterBox ? filterBox.querySelector('select[data-facet="year"]') : null;
  var strings = JSON.parse(document.getElementById("search-strings").textContent);
  var locale = form.getAttribute("data-locale") || document.documentElement.lang;
  var bundle = new URL(form.getAttribute("data-bundle"), document.baseURI);
  var siteRoot = new URL("../", bundle);
  var plural = new Intl.PluralRules(locale);
  var numbers = new Intl.NumberFormat(locale);
  var dates = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" });
  var months = new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" });
  var PAGE = 10;
  // The sections whose pages carry a date of their own (a project sheet's or a region
  // hub's first date is only one of many on it): shown with the result, and the order
  // "by date".
  var DATED = { stories: true, news: true, events: true };
  var loading = null;
  var found = null;
  var query = "";
  var all = [];
  var results = [];
  var shown = 0;
  var current = 0;
  // A year asked for in the address before the results (and so the years) are known.
  var pendingYear = "";

  function load() {
    if (!loading) {
      loading = import(bundle.href).then(function (engine) {
        var index = new URL(form.getAttribute("data-index"), document.baseURI).href;
        return engine.options({ baseUrl: siteRoot.pathname, index: index }).then(function () {
          return engine;
        });
      });
    }
    return loading;
  }

  function fill(text, values) {
    Object.keys(values).forEach(function (k) {
      var v = typeof values[k] === "number" ? numbers.format(values[k]) : values[k];
      text = text.split("{" + k + "}").join(v);
    });
    return text;
  }

  function countText(n) {
    if (n === 0) return fill(strings.search_none, { n: n, query: query });
    var forms = strings.search_results;
    var text = typeof forms === "string" ? forms : forms[plural.select(n)] || forms.other;
    return fill(text, { n: n, query: query });
  }

  // A date as yyyymmdd, or yyyymm00 for a page dated by its month only ("marzo 2023").
  function dateText(day) {
    var s = String(day);
    var d = +s.slice(6, 8);
    var date = new Date(Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, d || 1));
    return d ? dates.format(date) : months.format(date);
  }

  function item(r, data) {
    var li = document.createElement("li");
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = data.url;
    a.textContent = (data.meta && data.meta.title) || data.url;
    h.appendChild(a);
    li.appendChild(h);
    if (dayOf(r)) {
      var d = document.createElement("p");
      d.className = "search__date";
      var t = document.createElement("time");
      var s = String(r.date);
      t.dateTime = s.slice(0, 4) + "-" + s.slice(4, 6) + (s.slice(6, 8) === "00" ? "" : "-" + s.slice(6, 8));
      t.textContent = dateText(r.date);
      d.appendChild(t);
      li.appendChild(d);
    }
    if (data.sub && strings.search_sub) {
      var sub = document.createElement("p");
      sub.className = "search__sub";
      var link = document.createElement("a");
      link.href = data.sub.url;
      link.textContent = fill(strings.search_sub, { heading: data.sub.title });
      sub.appendChild(link);
      li.appendChild(sub);
    }
    if (data.excerpt) {
      var p = document.createElement("p");
      // The excerpt is text from our own pages, escaped, with <mark> around matches.
      p.innerHTML = data.excerpt;
      li.appendChild(p);
    }
    return li;
  }

  // Lists the next results; the list is marked busy (aria-busy) until they are there.
  function showMore(focus) {
    var batch = results.slice(shown, shown + PAGE);
    var run = current;
    list.setAttribute("aria-busy", "true");
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (run !== current) return;
      var first = null;
      items.forEach(function (data, i) {
        var li = item(batch[i], data);
        if (!first) first = li;
        list.appendChild(li);
      });
      shown += batch.length;
      list.hidden = shown === 0;
      more.hidden = shown >= results.length;
      list.removeAttribute("aria-busy");
      if (focus && first) first.querySelector("a").focus();
    });
  }

  // A result's date (yyyymmdd), when its page is dated; else 0.
  function dayOf(r) {
    return r.facets && DATED[r.facets.section] ? r.date || 0 : 0;
  }

  // The value of a result's facet: a list of keys (regions, projects) or one key.
  // The year is a dated page's only.
  function valuesOf(r, facet) {
    if (facet === "year") return dayOf(r) ? [String(dayOf(r)).slice(0, 4)] : [];
    var v = r.facets ? r.facets[facet] : null;
    if (Array.isArray(v)) return v;
    return v ? [v] : [];
  }

  // Whether a result matches every chosen filter but `except`'s.
  function matches(r, except) {
    return facets.every(function (s) {
      return s === except || !s.value || valuesOf(r, s.getAttribute("data-facet")).indexOf(s.value) !== -1;
    });
  }

  // The years of the results, newest first, as the year filter's options.
  function fillYears() {
    if (!yearSelect) return;
    var years = {};
    all.forEach(function (r) {
      valuesOf(r, "year").forEach(function (y) { years[y] = true; });
    });
    var keep = yearSelect.value || pendingYear;
    pendingYear = "";
    while (yearSelect.options.length > 1) yearSelect.remove(1);
    Object.keys(years).sort().reverse().forEach(function (y) {
      yearSelect.add(new Option(y, y));
    });
    yearSelect.value = years[keep] ? keep : "";
  }

  // Each option says how many results it would leave, given the other filters; one that
  // would leave none is disabled (unless chosen).
  function updateCounts() {
    facets.forEach(function (s) {
      var counts = {};
      all.forEach(function (r) {
        if (!matches(r, s)) return;
        valuesOf(r, s.getAttribute("data-facet")).forEach(function (v) {
          counts[v] = (counts[v] || 0) + 1;
        });
      });
      Array.prototype.forEach.call(s.options, function (o) {
        if (!o.value) return;
        if (!o.hasAttribute("data-label")) o.setAttribute("data-label", o.textContent);
        var n = counts[o.value] || 0;
        o.textContent = o.getAttribute("data-label") + " (" + numbers.format(n) + ")";
        o.disabled = n === 0 && s.value !== o.value;
      });
    });
  }

  // The address of this search: the query and every choice, by the fields' names.
  function keepInAddress() {
    var url = new URL(location.href);
    url.searchParams.set("q", query);
    facets.concat(sorter ? [sorter] : []).forEach(function (s) {
      if (s.value) url.searchParams.set(s.name, s.value);
      else url.searchParams.delete(s.name);
    });
    history.replaceState(null, "", url);
  }

  // Narrows and orders the results by the choices, and shows the first of them.
  function apply() {
    current++;
    results = all.filter(function (r) { return matches(r, null); });
    if (sorter && sorter.value === "date") {
      results = results.map(function (r, i) { return [r, i]; }).sort(function (a, b) {
        return dayOf(b[0]) - dayOf(a[0]) || a[1] - b[1];
      }).map(function (x) { return x[0]; });
    }
    updateCounts();
    var notes = [countText(results.length)];
    var filtered = facets.some(function (s) { return s.value; });
    if (filtered && strings.search_filtered) {
      notes.push(fill(strings.search_filtered, { n: results.length, total: all.length }));
    }
    // Words that matched nothing are left out, and named; words taken for a word of the
    // site one letter apart are named too.
    if (found.dropped && found.dropped.length && strings.search_dropped) {
      notes.push(strings.search_dropped.split("{words}").join(found.dropped.join(", ")));
    }
    if (found.corrected && found.corrected.length && strings.search_corrected) {
      notes.push(strings.search_corrected.split("{words}").join(found.corrected.map(function (c) { return c[1]; }).join(", ")));
    }
    status.textContent = notes.join(" ");
    list.textContent = "";
    list.hidden = true;
    more.hidden = true;
    shown = 0;
    return showMore(false);
  }

  function search(text) {
    var run = ++current;
    list.textContent = "";
    list.hidden = true;
    more.hidden = true;
    all = [];
    results = [];
    shown = 0;
    query = text.trim();
    if (!query) {
      status.textContent = strings.search_empty;
      if (filterBox) filterBox.hidden = true;
      return;
    }
    status.textContent = strings.search_loading;
    load().then(function (engine) {
      return engine.search(query);
    }).then(function (f) {
      if (run !== current) return;
      found = f;
      all = f.results;
      fillYears();
      if (filterBox) filterBox.hidden = all.length === 0;
      return apply();
    }).catch(function () {
      status.textContent = "";
      unavailable.hidden = false;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    query = input.value.trim();
    keepInAddress();
    search(input.value);
  });
  facets.concat(sorter ? [sorter] : []).forEach(function (s) {
    s.addEventListener("change", function () {
      if (!found) return;
      keepInAddress();
      apply();
    });
  });
  more.addEventListener("click", function () { showMore(true); });

  // The index loads in the background; until it does, the form stays usable.
  load().then(function () {
    unavailable.hidden = true;
  }, function () {
    unavailable.hidden = false;
  });
  var params = new URLSearchParams(location.search);
  facets.concat(sorter ? [sorter] : []).forEach(function (s) {
    var v = params.get(s.name);
    if (!v) return;
    if (s === yearSelect) pendingYear = v;
    else if (Array.prototype.some.call(s.options, function (o) { return o.value === v; })) s.value = v;
  });
  var initial = params.get("q");
  if (initial) {
    input.value = initial;
    search(initial);
  }
})();
