/* Vetrina search page: progressive enhancement over a plain form.
 *
 * Loads the search index published with the site (one per language: the form's data-index
 * names this page's, data-bundle the script that reads it), runs the query given in the
 * form or in ?q=, and lists the results with their excerpts. The result count is announced
 * through a status region, with the words left out (found nowhere) and those taken for a
 * word of the site one letter apart; "show more" moves
 * the focus to the first new result. Interface strings come from the site's i18n, embedded
 * as JSON in the page. Without JavaScript, or opened from disk, the page says that search
 * needs a web server and JavaScript. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-search]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var unavailable = document.getElementById("search-unavailable");
  var strings = JSON.parse(document.getElementById("search-strings").textContent);
  var locale = form.getAttribute("data-locale") || document.documentElement.lang;
  var bundle = new URL(form.getAttribute("data-bundle"), document.baseURI);
  var siteRoot = new URL("../", bundle);
  var plural = new Intl.PluralRules(locale);
  var numbers = new Intl.NumberFormat(locale);
  var PAGE = 10;
  var loading = null;
  var results = [];
  var shown = 0;
  var current = 0;

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

  function fill(text, n, query) {
    return text.split("{n}").join(numbers.format(n)).split("{query}").join(query);
  }

  function countText(n, query) {
    if (n === 0) return fill(strings.search_none, n, query);
    var forms = strings.search_results;
    var text = typeof forms === "string" ? forms : forms[plural.select(n)] || forms.other;
    return fill(text, n, query);
  }

  function item(data) {
    var li = document.createElement("li");
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = data.url;
    a.textContent = (data.meta && data.meta.title) || data.url;
    h.appendChild(a);
    li.appendChild(h);
    if (data.excerpt) {
      var p = document.createElement("p");
      // The excerpt is text from our own pages, escaped, with <mark> around matches.
      p.innerHTML = data.excerpt;
      li.appendChild(p);
    }
    return li;
  }

  function showMore(focus) {
    var batch = results.slice(shown, shown + PAGE);
    var run = current;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (run !== current) return;
      var first = null;
      items.forEach(function (data) {
        var li = item(data);
        if (!first) first = li;
        list.appendChild(li);
      });
      shown += batch.length;
      list.hidden = shown === 0;
      more.hidden = shown >= results.length;
      if (focus && first) first.querySelector("a").focus();
    });
  }

  function search(query) {
    var run = ++current;
    list.textContent = "";
    list.hidden = true;
    more.hidden = true;
    results = [];
    shown = 0;
    query = query.trim();
    if (!query) {
      status.textContent = strings.search_empty;
      return;
    }
    status.textContent = strings.search_loading;
    load().then(function (engine) {
      return engine.search(query);
    }).then(function (found) {
      if (run !== current) return;
      results = found.results;
      // Words that matched nothing are left out, and named; words taken for a word of the
      // site one letter apart are named too.
      var notes = [countText(results.length, query)];
      if (found.dropped && found.dropped.length && strings.search_dropped) {
        notes.push(strings.search_dropped.split("{words}").join(found.dropped.join(", ")));
      }
      if (found.corrected && found.corrected.length && strings.search_corrected) {
        notes.push(strings.search_corrected.split("{words}").join(found.corrected.map(function (c) { return c[1]; }).join(", ")));
      }
      status.textContent = notes.join(" ");
      return showMore(false);
    }).catch(function () {
      status.textContent = "";
      unavailable.hidden = false;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(location.href);
    url.searchParams.set("q", input.value.trim());
    history.replaceState(null, "", url);
    search(input.value);
  });
  more.addEventListener("click", function () { showMore(true); });

  // The index loads in the background; until it does, the form stays usable.
  load().then(function () {
    unavailable.hidden = true;
  }, function () {
    unavailable.hidden = false;
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    search(initial);
  }
})();
