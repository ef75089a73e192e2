/* Vetrina story and event lists: filters by region, project, year (and, for events, upcoming
 * or past), as progressive enhancement over lists that work without JavaScript.
 *
 * The form is hidden in the page and shown here. Each card carries its facets as data
 * attributes (data-region, data-project, data-year, data-period; several keys are separated
 * by spaces). When the page holds the whole list, the cards that do not match are hidden.
 * When the list is shown over several pages (the form's data-cards names a JSON of every
 * card of the list, written beside it by the build), the matching cards of the whole list
 * are built from that file in place of the page's own (with their pictures, in the same
 * markup as the page's cards), and the page links are hidden while
 * a filter is on. The count is announced in the list's status (#list-count), and the choice
 * is kept in the address (?regione=puglia&progetto=puoi), read back when the page opens, so
 * that it can be shared. If the file cannot be read, the form hides again and the list stays
 * as it came. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-list-filters]");
  if (!form) return;
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
  var lists = Array.prototype.slice.call(document.querySelectorAll("[data-filter-list]"));
  var status = document.getElementById("list-count");
  var stringsEl = document.getElementById("list-filter-strings");
  if (!selects.length || !lists.length || !status || !stringsEl) return;
  var strings = JSON.parse(stringsEl.textContent);
  var locale = form.getAttribute("data-locale") || document.documentElement.lang;
  var plural = new Intl.PluralRules(locale);
  var numbers = new Intl.NumberFormat(locale);
  var initialCount = status.textContent;
  var cardsAttr = form.getAttribute("data-cards");
  var cardsUrl = cardsAttr ? new URL(cardsAttr, document.baseURI) : null;
  var pager = document.querySelector("nav.pagination");
  // "— Page 2" in the heading: while a filter shows the matching cards of the whole list,
  // the page's number no longer says what is shown.
  var pageNumber = document.querySelector("h1 [data-page-number]");
  var loading = null;
  var run = 0;

  function countText(n) {
    var forms = strings.count || "{n}";
    var text = typeof forms === "string" ? forms : forms[plural.select(n)] || forms.other;
    return text.split("{n}").join(numbers.format(n));
  }

  // The filters chosen: [{facet, value}], empty when the whole list is shown.
  function chosen() {
    return selects.filter(function (s) { return s.value; }).map(function (s) {
      return { facet: s.getAttribute("data-facet"), value: s.value };
    });
  }

  // Whether facets (facet name → space-separated keys) match every chosen filter.
  function matches(facets, state) {
    return state.every(function (f) {
      return String(facets(f.facet) || "").split(" ").indexOf(f.value) !== -1;
    });
  }

  function announce(text) {
    // The same text twice is not announced again by some screen readers: clear it first.
    if (status.textContent === text) status.textContent = "";
    status.textContent = text;
  }

  function keepInAddress() {
    var url = new URL(location.href);
    selects.forEach(function (s) {
      if (s.value) url.searchParams.set(s.name, s.value);
      else url.searchParams.delete(s.name);
    });
    history.replaceState(history.state, "", url);
  }

  // The page holds every card: hide those that do not match, and the groups left empty.
  function filterPage(state) {
    var shown = 0;
    lists.forEach(function (list) {
      var inList = 0;
      list.querySelectorAll("ul.cards").forEach(function (ul) {
        var inGroup = 0;
        ul.querySelectorAll("li.card").forEach(function (li) {
          var ok = matches(function (f) { return li.getAttribute("data-" + f); }, state);
          li.hidden = !ok;
          if (ok) inGroup++;
        });
        ul.hidden = state.length > 0 && inGroup === 0;
        var heading = ul.previousElementSibling;
        if (heading && heading.tagName === "H3") heading.hidden = ul.hidden;
        inList += inGroup;
      });
      list.hidden = state.length > 0 && inList === 0;
      shown += inList;
    });
    return shown;
  }

  // A srcset written relative to the JSON file, made absolute ("a-480.webp 480w, …").
  function absoluteSet(set) {
    return set.split(", ").map(function (candidate) {
      var at = candidate.lastIndexOf(" ");
      return new URL(candidate.slice(0, at), cardsUrl).href + candidate.slice(at);
    }).join(", ");
  }

  // The card's picture, the element the page's own cards carry (see images/markup.rs).
  // Lazy before any address is set, so that a card filtered in loads its picture only
  // when it comes near the screen.
  function picture(p) {
    var el = document.createElement("picture");
    if (p.webp) {
      var source = document.createElement("source");
      source.type = "image/webp";
      source.setAttribute("srcset", absoluteSet(p.webp));
      source.setAttribute("sizes", p.sizes);
      el.appendChild(source);
    }
    var img = document.createElement("img");
    if (p.lazy) img.loading = "lazy";
    img.decoding = "async";
    img.width = p.width;
    img.height = p.height;
    img.alt = p.alt;
    el.appendChild(img);
    img.setAttribute("srcset", absoluteSet(p.srcset));
    img.setAttribute("sizes", p.sizes);
    img.src = new URL(p.src, cardsUrl).href;
    return el;
  }

  function card(entry) {
    var li = document.createElement("li");
    li.className = "card";
    li.setAttribute("data-region", entry.region);
    li.setAttribute("data-project", entry.project);
    li.setAttribute("data-year", String(entry.year));
    var h = document.createElement("h3");
    h.className = "card__title";
    var a = document.createElement("a");
    a.href = new URL(entry.href, cardsUrl).href;
    a.textContent = entry.title;
    h.appendChild(a);
    var meta = document.createElement("p");
    meta.className = "card__meta";
    var time = document.createElement("time");
    time.setAttribute("datetime", entry.date);
    time.textContent = entry.date_text;
    meta.appendChild(time);
    meta.appendChild(document.createTextNode(entry.meta));
    if (entry.example) {
      meta.appendChild(document.createTextNode(" · "));
      var badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = strings.example;
      meta.appendChild(badge);
    }
    var summary = document.createElement("p");
    summary.className = "card__summary";
    summary.textContent = entry.summary;
    // An untranslated story: its text keeps its own language and direction.
    if (entry.lang) {
      [h, summary].forEach(function (el) {
        el.setAttribute("lang", entry.lang);
        el.setAttribute("dir", entry.dir || "ltr");
      });
    }
    li.appendChild(h);
    if (entry.picture) li.appendChild(picture(entry.picture));
    li.appendChild(meta);
    li.appendChild(summary);
    return li;
  }

  // The list is shown over several pages: the matching cards of the whole list, from the
  // JSON, in place of this page's.
  function filterAll(state, entries) {
    var list = lists[0];
    var own = list.querySelector("ul.cards:not([data-filtered])");
    var old = list.querySelector("ul[data-filtered]");
    if (old) old.remove();
    if (own) own.hidden = state.length > 0;
    list.querySelectorAll(":scope > p").forEach(function (p) { p.hidden = state.length > 0; });
    if (pager) pager.hidden = state.length > 0;
    if (pageNumber) pageNumber.hidden = state.length > 0;
    if (!state.length) return null;
    var ul = document.createElement("ul");
    ul.className = "cards";
    ul.setAttribute("data-filtered", "");
    var shown = 0;
    entries.forEach(function (e) {
      if (matches(function (f) { return e[f]; }, state)) {
        ul.appendChild(card(e));
        shown++;
      }
    });
    list.appendChild(ul);
    return shown;
  }

  function load() {
    if (!loading) {
      loading = fetch(cardsUrl.href).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
    }
    return loading;
  }

  function apply() {
    var state = chosen();
    var mine = ++run;
    keepInAddress();
    if (!cardsUrl) {
      var n = filterPage(state);
      announce(state.length ? countText(n) : initialCount);
      return;
    }
    if (!state.length) {
      lists[0].removeAttribute("aria-busy");
      filterAll(state, []);
      announce(initialCount);
      return;
    }
    lists[0].setAttribute("aria-busy", "true");
    load().then(function (entries) {
      if (mine !== run) return;
      lists[0].removeAttribute("aria-busy");
      announce(countText(filterAll(chosen(), entries)));
    }, function () {
      lists[0].removeAttribute("aria-busy");
      // Without the file the filters cannot be honest about the whole list: the list stays
      // as it came, as without JavaScript.
      selects.forEach(function (s) { s.value = ""; });
      filterAll([], []);
      status.textContent = initialCount;
      keepInAddress();
      form.hidden = true;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply();
  });
  // The "show all" button resets the form; the list follows once the reset is done.
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  selects.forEach(function (s) { s.addEventListener("change", apply); });

  var params = new URLSearchParams(location.search);
  var fromAddress = false;
  selects.forEach(function (s) {
    var v = params.get(s.name);
    if (v && Array.prototype.some.call(s.options, function (o) { return o.value === v; })) {
      s.value = v;
      fromAddress = true;
    }
  });
  form.hidden = false;
  if (fromAddress) apply();
})();
