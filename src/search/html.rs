//! The scanner that reads a rendered page for the index: the element marked
//! `data-search-body` less what is marked `data-search-ignore`, its title (the first `<h1>`),
//! its headings (which weigh more) and its text, with the tags a minifier leaves out closed
//! as a browser would. It is a scanner, not a parser: whatever the markup, it never fails
//! and never panics. The words themselves are left to [`super::text`].

use std::borrow::Cow;

use super::elements::{
    DD, DT, ENDS_P, H1, HEADINGS, IMG, INLINE, LI, Name, OPTION, P, SKIPPED, TBODY, TD, TFOOT, TH,
    THEAD, TIME, TR, VOID, class,
};
use super::facets::Facets;
use super::format::MAX_EXCERPT_TEXT;
use super::text::{Collapsed, words};

/// Set in a word's weight when the word is in the page's title (its first `<h1>`).
pub(super) const TITLE: u32 = 1 << 31;

/// What a page gives besides its words.
#[derive(Debug, Default)]
pub(super) struct PageText {
    /// The first `<h1>`'s text.
    pub(super) title: String,
    /// The rest of the text, white space collapsed, cut at the length asked for.
    pub(super) text: String,
    /// Its first `<time datetime>` not ignored, as `yyyymmdd` (0 when it has none).
    pub(super) date: u32,
    /// What the indexed element's attributes say of the page.
    pub(super) facets: Facets,
    /// The headings with an `id` that begin within the text kept: (where in `text`, in
    /// bytes, the id, the heading's text), so that a result can link to the one nearest
    /// its match.
    pub(super) headings: Vec<(usize, String, String)>,
}

/// A heading being read: where it begins in the text, its id, its text so far, its name.
struct OpenHeading<'a> {
    at: usize,
    id: String,
    text: Collapsed,
    name: Name<'a>,
}

/// An element open around the text being read.
struct Open<'a> {
    name: Name<'a>,
    /// Whether it is marked `data-search-ignore`.
    ignored: bool,
    /// The weight of its text: its heading's (the nearest around it), or 1.
    weight: u32,
}

/// Takes the indexed part of a rendered page apart: the element marked `data-search-body`
/// (the whole `<body>` when there is none), less what is marked `data-search-ignore`.
/// Tags the minifier left out (`</p>`, `</li>`, `</dd>` …) are closed as a browser would.
///
/// Each word is handed to `word` as it comes: (folded, as written, weight), the weight with
/// [`TITLE`] set for a word of the title.
/// Returns the title, the rest of the text cut at `keep_text` bytes (the browser takes the
/// same text from the page for an excerpt: see `textOf` in search.js), the date, the facets
/// and the headings (see [`PageText`]).
pub(super) fn extract_with(
    html: &str,
    keep_text: usize,
    mut word: impl FnMut(&str, &str, u32),
) -> PageText {
    let (start, end, body_attrs) = body_range(html);
    let facets = Facets::from_attributes(|name| attr(body_attrs, name));
    let src = &html[start..end];
    let mut headings: Vec<(usize, String, String)> = Vec::new();
    let mut heading: Option<OpenHeading> = None;
    let mut title = Collapsed::new(usize::MAX);
    let mut text = Collapsed::new(keep_text.min(MAX_EXCERPT_TEXT));
    let mut date = 0u32;
    let mut open: Vec<Open> = Vec::new();
    let mut ignoring = 0usize;
    let mut in_title = false;
    let mut title_done = false;
    let weight = |open: &[Open]| open.last().map_or(1, |e| e.weight);
    let mut add_text = |title: &mut Collapsed,
                        text: &mut Collapsed,
                        heading: &mut Option<OpenHeading>,
                        raw: &str,
                        w: u32,
                        in_title: bool| {
        let decoded = decode(raw);
        // The title is shown above the excerpt: the excerpt is cut from the rest.
        if in_title {
            title.push(&decoded);
        } else {
            text.push(&decoded);
            if let Some(h) = heading.as_mut() {
                h.text.push(&decoded);
            }
        }
        let w = if in_title { w | TITLE } else { w };
        words(&decoded, |folded, written| word(folded, written, w));
    };
    let mut i = 0;
    let bytes = src.as_bytes();
    while i < src.len() {
        let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|p| p + i) else {
            if ignoring == 0 {
                add_text(
                    &mut title,
                    &mut text,
                    &mut heading,
                    &src[i..],
                    weight(&open),
                    in_title,
                );
            }
            break;
        };
        if lt > i && ignoring == 0 {
            add_text(
                &mut title,
                &mut text,
                &mut heading,
                &src[i..lt],
                weight(&open),
                in_title,
            );
        }
        let rest = &src[lt..];
        if rest.starts_with("<!--") {
            i = memchr::memmem::find(rest.as_bytes(), b"-->").map_or(src.len(), |p| lt + p + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = memchr::memchr(b'>', rest.as_bytes()).map_or(src.len(), |p| lt + p + 1);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = lt + if closing { 2 } else { 1 };
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 {
            // A lone `<` in text.
            if ignoring == 0 {
                add_text(
                    &mut title,
                    &mut text,
                    &mut heading,
                    "<",
                    weight(&open),
                    in_title,
                );
            }
            i = lt + 1;
            continue;
        }
        let raw_name = &src[name_start..name_start + name_len];
        let name = Name::of(raw_name);
        let key = name.key();
        let kind = class(&name);
        let (tag_end, attrs) = tag_end(src, name_start + name_len);
        i = tag_end;
        if kind & INLINE == 0 {
            text.space();
        }
        if closing {
            if let Some(at) = open.iter().rposition(|e| e.name == name) {
                for e in open.drain(at..) {
                    if e.ignored {
                        ignoring -= 1;
                    }
                    if e.name == Name::Short(H1) && in_title {
                        in_title = false;
                        title_done = true;
                    }
                    if heading.as_ref().is_some_and(|h| h.name == e.name) {
                        finish(heading.take(), &mut headings);
                    }
                }
            }
            continue;
        }
        // Implied end tags.
        let implied: &[u128] = match key {
            _ if kind & ENDS_P != 0 => &[P],
            LI => &[LI],
            DT | DD => &[DT, DD],
            TR => &[TR, TD, TH],
            TD | TH => &[TD, TH],
            THEAD | TBODY | TFOOT => &[THEAD, TBODY, TFOOT, TR, TD, TH],
            OPTION => &[OPTION],
            _ => &[],
        };
        while let Some(top) = open.last() {
            if !matches!(top.name, Name::Short(k) if implied.contains(&k)) {
                break;
            }
            if open.pop().is_some_and(|e| e.ignored) {
                ignoring -= 1;
            }
        }
        let ignored = marked_ignored(attrs);
        if key == TIME
            && date == 0
            && ignoring == 0
            && !ignored
            && let Some(d) = attr(attrs, "datetime")
        {
            date = day(&d);
        }
        if kind & VOID != 0 || attrs.ends_with('/') {
            if key == IMG
                && ignoring == 0
                && !ignored
                && let Some(alt) = attr(attrs, "alt")
            {
                add_text(
                    &mut title,
                    &mut text,
                    &mut heading,
                    &format!(" {alt} "),
                    weight(&open),
                    false,
                );
            }
            continue;
        }
        if kind & SKIPPED != 0 {
            i = end_tag(src, i, raw_name)
                .and_then(|p| memchr::memchr(b'>', &bytes[p..]).map(|q| p + q + 1))
                .unwrap_or(src.len());
            continue;
        }
        let heading_level = HEADINGS
            .iter()
            .position(|&h| h == key)
            .map_or(0, |l| l as u32 + 1);
        if key == H1 && !title_done && ignoring == 0 && !ignored {
            in_title = true;
        }
        if heading_level > 1
            && ignoring == 0
            && !ignored
            && heading.is_none()
            && let Some(id) = attr(attrs, "id").filter(|id| !id.is_empty())
            && let Some(at) = text.next_at()
        {
            heading = Some(OpenHeading {
                at,
                id,
                text: Collapsed::new(MAX_HEADING),
                name: name.clone(),
            });
        }
        if ignored {
            ignoring += 1;
        }
        // Headings weigh more, the higher the more.
        let inner_weight = if heading_level > 0 {
            8 - heading_level
        } else {
            weight(&open)
        };
        open.push(Open {
            name,
            ignored,
            weight: inner_weight,
        });
    }
    finish(heading, &mut headings);
    PageText {
        title: title.done(),
        text: text.done(),
        date,
        facets,
        headings,
    }
}

/// A search for `mark` in bytes, made once: making one costs more than most searches in a
/// tag's attributes (one per tag of every page).
fn finder(
    once: &'static std::sync::OnceLock<memchr::memmem::Finder<'static>>,
    mark: &'static str,
) -> &'static memchr::memmem::Finder<'static> {
    once.get_or_init(|| memchr::memmem::Finder::new(mark))
}

/// Whether a start tag's attributes mark its element `data-search-ignore`.
fn marked_ignored(attrs: &str) -> bool {
    const MARK: &str = "data-search-ignore";
    static FINDER: std::sync::OnceLock<memchr::memmem::Finder<'static>> =
        std::sync::OnceLock::new();
    attrs.len() >= MARK.len()
        && finder(&FINDER, MARK).find(attrs.as_bytes()).is_some()
        && has_attr(attrs, MARK)
}

/// The longest heading text kept for a result's link to it.
const MAX_HEADING: usize = 200;

/// Keeps a heading read to its end, when it has text.
fn finish(heading: Option<OpenHeading>, into: &mut Vec<(usize, String, String)>) {
    if let Some(h) = heading {
        let text = h.text.done();
        if !text.is_empty() {
            into.push((h.at, h.id, text));
        }
    }
}

/// A `datetime` value's day as `yyyymmdd` (`2022-05-12T10:00` → 20220512), a month as
/// `yyyymm00` (`2023-03` → 20230300: a news item known only to its month sorts before
/// that month's days, and the browser shows it as a month), or 0.
fn day(value: &str) -> u32 {
    let value = value.trim();
    let digits: String = value
        .chars()
        .take(10)
        .filter(char::is_ascii_digit)
        .collect();
    match digits.len() {
        8 => digits.parse().unwrap_or(0),
        6 if value.len() == 7 => digits.parse::<u32>().map_or(0, |m| m * 100),
        _ => 0,
    }
}

/// Where the element marked `data-search-body` is in a page, in bytes.
struct Marked {
    /// Its start tag's `<`.
    open: usize,
    /// Its start tag's attributes (before they are trimmed).
    attrs: std::ops::Range<usize>,
    /// Its content.
    content: std::ops::Range<usize>,
    /// Just past its end tag.
    close: usize,
}

/// The element marked `data-search-body`, if a page has one that ends. Read as bytes, so
/// that a build checks as UTF-8 only the part of a page the index reads.
fn marked_element(html: &[u8]) -> Option<Marked> {
    static FINDER: std::sync::OnceLock<memchr::memmem::Finder<'static>> =
        std::sync::OnceLock::new();
    let at = finder(&FINDER, "data-search-body").find(html)?;
    let open = memchr::memrchr(b'<', &html[..at])?;
    let name_len = html[open + 1..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let name = &html[open + 1..open + 1 + name_len];
    let attrs_from = open + 1 + name_len;
    let gt = tag_close(html, attrs_from)?;
    let mut end_tag = Vec::with_capacity(name_len + 3);
    end_tag.extend_from_slice(b"</");
    end_tag.extend_from_slice(name);
    end_tag.push(b'>');
    let end = memchr::memmem::rfind(html, &end_tag)?;
    (end > gt).then_some(Marked {
        open,
        attrs: attrs_from..gt,
        content: gt + 1..end,
        close: end + end_tag.len(),
    })
}

/// Where the indexed element's content starts and ends in a page, and the attributes of
/// its start tag (none for the `<body>` taken when no element is marked).
fn body_range(html: &str) -> (usize, usize, &str) {
    if let Some(m) = marked_element(html.as_bytes()) {
        return (m.content.start, m.content.end, html[m.attrs].trim());
    }
    let start = html
        .find("<body")
        .and_then(|b| html[b..].find('>').map(|e| b + e + 1))
        .unwrap_or(0);
    let end = html.rfind("</body>").unwrap_or(html.len());
    (start, end.max(start), "")
}

/// The part of a page the index reads: its marked element, start and end tags included
/// (what [`extract_with`] finds in it is what it finds in the whole page), or the whole
/// page when none is marked. A build keeps only this part of a page until it is indexed.
pub(super) fn indexed_part(html: &[u8]) -> &[u8] {
    match marked_element(html) {
        Some(m) => &html[m.open..m.close],
        None => html,
    }
}

/// Where the `>` that ends a tag whose name ends at `from` is (a `>` inside a quoted value
/// does not end it), if the tag ends.
fn tag_close(bytes: &[u8], from: usize) -> Option<usize> {
    let mut j = from;
    while let Some(p) = memchr::memchr3(b'>', b'"', b'\'', &bytes[j..]) {
        let at = j + p;
        let quote = bytes[at];
        if quote == b'>' {
            return Some(at);
        }
        j = at + 1 + memchr::memchr(quote, &bytes[at + 1..])? + 1;
    }
    None
}

/// The end of a tag whose name ends at `from` (just past its `>`), and its attributes' text.
fn tag_end(src: &str, from: usize) -> (usize, &str) {
    match tag_close(src.as_bytes(), from) {
        Some(gt) => (gt + 1, src[from..gt].trim()),
        None => (src.len(), src[from..].trim()),
    }
}

/// Whether the attributes' text has the attribute `name` (not as part of another's value).
fn has_attr(attrs: &str, name: &str) -> bool {
    attr_values(attrs).any(|(n, _)| n.eq_ignore_ascii_case(name))
}

/// The value of the attribute `name`, entities decoded.
fn attr(attrs: &str, name: &str) -> Option<String> {
    attr_values(attrs)
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| decode(v).into_owned())
}

/// The attributes of a tag: (name, raw value).
fn attr_values(attrs: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = attrs;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let name_len = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        rest = rest[name_len..].trim_start();
        let mut value = "";
        if let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            if let Some(q) = r.chars().next().filter(|c| *c == '"' || *c == '\'') {
                let end = r[1..].find(q).map_or(r.len(), |e| e + 1);
                value = &r[1..end];
                rest = r.get(end + 1..).unwrap_or("");
            } else {
                let end = r.find(|c: char| c.is_ascii_whitespace()).unwrap_or(r.len());
                value = &r[..end];
                rest = &r[end..];
            }
        }
        Some((name, value))
    })
}

/// Where the end tag of the element `name` begins (`</name`, in any case), at or after
/// `from`.
fn end_tag(src: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut at = from;
    while let Some(p) = memchr::memmem::find(&bytes[at..], b"</") {
        let p = at + p;
        let after = p + 2;
        if bytes
            .get(after..after + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
        {
            return Some(p);
        }
        at = after;
    }
    None
}

/// Text with its character references decoded: the ones a minifier or Markdown writes
/// (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;`, numeric), with or without `;`.
fn decode(s: &str) -> Cow<'_, str> {
    if memchr::memchr(b'&', s.as_bytes()).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let body = &rest[1..];
        let (ch, used) = if let Some(num) = body.strip_prefix('#') {
            let (digits, radix) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (h, 16),
                None => (num, 10),
            };
            let len = digits
                .bytes()
                .take_while(|b| (*b as char).is_digit(radix))
                .count();
            let c = u32::from_str_radix(&digits[..len], radix)
                .ok()
                .and_then(char::from_u32);
            let prefix = 2 + (num.len() - digits.len()) + len;
            (c, prefix + usize::from(rest[prefix..].starts_with(';')))
        } else {
            let named = [
                ("amp", '&'),
                ("lt", '<'),
                ("gt", '>'),
                ("quot", '"'),
                ("apos", '\''),
                ("nbsp", '\u{a0}'),
            ];
            named
                .iter()
                .find(|(n, _)| body.starts_with(n))
                .map_or((None, 0), |(n, c)| {
                    let used = 1 + n.len();
                    (Some(*c), used + usize::from(rest[used..].starts_with(';')))
                })
        };
        match ch {
            Some(c) if used > 1 => {
                out.push(c);
                rest = &rest[used..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::super::text::lower_case;
    use super::*;

    /// What a page gives the index, as the tests look at it.
    #[derive(Debug, Default, PartialEq)]
    struct Extracted {
        url: String,
        title: String,
        /// The indexed text but the title, spaces collapsed: what excerpts are cut from.
        text: String,
        /// (folded word, as first written in lower case when that differs, weighted count).
        terms: Vec<(String, String, u32)>,
    }

    /// Takes the indexed part of a rendered page apart (see [`extract_with`]), for the tests.
    fn extract(html: &str, url: &str) -> Extracted {
        let mut terms: Vec<(String, String, u32)> = Vec::new();
        let PageText { title, text, .. } = extract_with(html, usize::MAX, |folded, written, w| {
            let w = w & !TITLE;
            let lower = lower_case(written);
            match terms.iter_mut().find(|t| t.0 == folded) {
                Some(t) => t.2 += w,
                None => terms.push((
                    folded.to_string(),
                    if lower == folded {
                        String::new()
                    } else {
                        lower.to_string()
                    },
                    w,
                )),
            }
        });
        Extracted {
            url: url.to_string(),
            title,
            text,
            terms,
        }
    }

    /// A story page as the minifier leaves it: `</p>`, `</li>`, `</dd>` left out, attributes
    /// unquoted.
    const STORY: &str = "<!DOCTYPE html><html lang=it dir=ltr><head><meta charset=utf-8><title>Tirocinio – Vetrina</title></head><body><a href=#main>Salta</a><header><nav><a href=/>Home</a><a href=/storie/>Storie di lavoro</a></nav><div class=band><svg><title>Bandiera europea</title></svg><p>Cofinanziato dall'Unione europea</div></header><main id=main class=wrap data-search-body><p class=kicker>Storia<h1>Tirocinio in <em>Lombardia</em></h1><p>Un percorso di <em>inserimento</em> lavorativo a Brescia &amp; Bergamo.<p data-search-ignore><a href=feed.xml>Feed RSS</a><ul data-search-ignore><li>Calendario<li>Altro</ul><dl><dt>Stato<dd>concluso</dl><svg role=img><title>Grafico</title><text>4.776</text></svg><img alt=\"Una cucina\" src=a.jpg><h2 id=esiti>Esiti</h2><p>Contratto a tempo determinato; città di Brescia.</main><footer><p>Fondo Sociale Europeo Plus</footer></body></html>";

    #[test]
    fn a_page_gives_its_indexed_element_less_what_is_marked_ignored() {
        let x = extract(STORY, "/storie/a/");
        assert_eq!(x.title, "Tirocinio in Lombardia");
        assert_eq!(
            x.text,
            "Storia Un percorso di inserimento lavorativo a Brescia & Bergamo. Stato concluso Una cucina Esiti Contratto a tempo determinato; città di Brescia."
        );
        let count = |w: &str| x.terms.iter().find(|t| t.0 == w).map(|t| t.2);
        // Headings weigh more than the text; a word in both counts both.
        assert_eq!(count("tirocinio"), Some(7));
        assert_eq!(count("lombardia"), Some(7));
        assert_eq!(count("esiti"), Some(6));
        assert_eq!(count("brescia"), Some(2));
        // Accents folded, the form as written kept for the stemmer.
        let citta = x.terms.iter().find(|t| t.0 == "citta").unwrap();
        assert_eq!(citta.1, "città");
        assert_eq!(x.terms.iter().find(|t| t.0 == "esiti").unwrap().1, "");
        for outside in [
            "salta",
            "home",
            "cofinanziato",
            "feed",
            "calendario",
            "grafico",
            "fondo",
            "bandiera",
        ] {
            assert_eq!(count(outside), None, "{outside} is indexed");
        }
        // One-letter words are not.
        assert_eq!(count("a"), None);
    }

    #[test]
    fn the_minified_and_the_written_page_give_the_same_index() {
        let written = "<html lang=it><body><main data-search-body><h1>Titolo</h1><p>Primo paragrafo.</p><p data-search-ignore>Nascosto</p><ul><li>Uno</li><li>Due</li></ul><p>Ultimo</p></main></body></html>";
        let minified = "<html lang=it><body><main data-search-body><h1>Titolo</h1><p>Primo paragrafo.<p data-search-ignore>Nascosto<ul><li>Uno<li>Due</ul><p>Ultimo</main>";
        assert_eq!(extract(written, "/a/"), extract(minified, "/a/"));
        assert!(!extract(minified, "/a/").text.contains("Nascosto"));
    }

    #[test]
    fn odd_or_broken_markup_never_stops_the_index() {
        let odd = [
            "",
            "<",
            "</",
            "<a",
            "<a href='x",
            "&",
            "&#",
            "&#x",
            "&#x110000;",
            "&amp",
            "<!--",
            "<!-- x",
            "<!",
            "<?x",
            "<main data-search-body",
            "<main data-search-body>",
            "</main><main data-search-body>",
            "<p>città<script>x",
            "<svg><title>x",
            "<h1>é</h1></h1></p></li>",
            "<img alt=\"é",
            "<img alt=é/>",
            "<b>\u{640}\u{64b}</b>",
            "<p data-search-ignore>x",
            "<ul data-search-ignore><li>a</ul>b",
            "<<<>>>",
            "a<1b>c",
            "<BODY><MAIN DATA-SEARCH-BODY><H1>T</H1></MAIN>",
            "\u{10ffff}<p>\u{1f600}x",
            "</body><body>x",
            "<main data-search-body title=\"a>b\">x</main>",
            "<main data-search-body title=\"x></main>",
        ];
        for html in odd {
            let x = extract(html, "/x/");
            assert!(x.text.len() <= html.len() * 3, "{html}");
        }
        // The part of a page a build keeps for the index gives what the whole page gives.
        for html in odd.iter().copied().chain([STORY]) {
            let part = std::str::from_utf8(indexed_part(html.as_bytes())).unwrap();
            assert_eq!(extract(part, "/x/"), extract(html, "/x/"), "{html}");
        }
        // Where a tag is cut short, what follows is not text; where the element never ends,
        // the rest of the page is in it.
        assert_eq!(extract("<body><p>a<b", "/").text, "a");
        assert_eq!(extract("<body><h1>Titolo", "/").title, "Titolo");
    }

    /// Pieces of markup, well and badly formed, that pages are made of.
    const PIECES: &[&str] = &[
        "<main data-search-body>",
        "<main data-search-body data-search-section=news>",
        "</main>",
        "<body>",
        "</body>",
        "<p>",
        "</p>",
        "<h1>",
        "</h1>",
        "<h2 id=a>",
        "</h2>",
        "<H3 ID='b'>",
        "<em>",
        "</em>",
        "<div data-search-ignore>",
        "</div>",
        "<ul>",
        "<li>",
        "</ul>",
        "<dl><dt>",
        "<dd>",
        "<svg><title>",
        "</svg>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<!x>",
        "<?x",
        "<time datetime=2022-05-12>",
        "<img alt=\"una foto\">",
        "<img alt=x/>",
        "<a title=\"x>y\">",
        "\"",
        "'",
        "<",
        ">",
        "&amp;",
        "&#1575;",
        "&",
        "lavoro ",
        "Città ",
        "العمل ",
        "مُعَلِّم ",
        "東京 ",
        " ",
        "\u{a0}",
        "<custom-element-with-long-name>",
        "</custom-element-with-long-name>",
        "<table><tr><td>",
        "<option>",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// No markup stops the scanner, and the part of a page a build keeps for the index
        /// gives what the whole page gives.
        #[test]
        fn any_markup_is_read_and_its_indexed_part_reads_the_same(
            picks in proptest::collection::vec(0..PIECES.len(), 0..40)
        ) {
            let html: String = picks.iter().map(|&i| PIECES[i]).collect();
            let part = std::str::from_utf8(indexed_part(html.as_bytes())).unwrap();
            proptest::prop_assert_eq!(extract(part, "/x/"), extract(&html, "/x/"));
        }
    }

    #[test]
    fn character_references_are_decoded() {
        assert_eq!(
            decode("a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#x27; &amp"),
            "a & b <c> \"d\" 'e' &"
        );
        assert_eq!(decode("R&D &unknown; 5 & 6"), "R&D &unknown; 5 & 6");
        assert_eq!(decode("&#1;&#xZZ;"), "\u{1}&#xZZ;");
    }

    #[test]
    fn headings_with_an_id_are_found_where_they_begin() {
        let html = "<main data-search-body data-search-section=\"news\"><h1>T</h1><p>uno due<h2 id=a>Prima <b>parte</b></h2><p>tre<h3 id=\"\">vuoto</h3><h4 id=b>   </h4><div data-search-ignore><h2 id=c>No</h2></div><h2 id=\"d&amp;e\">Seconda</h2></main>";
        let p = extract_with(html, usize::MAX, |_, _, _| {});
        let found: Vec<(usize, &str, &str)> = p
            .headings
            .iter()
            .map(|(at, id, t)| (*at, id.as_str(), t.as_str()))
            .collect();
        assert_eq!(p.text, "uno due Prima parte tre vuoto Seconda");
        assert_eq!(found, vec![(8, "a", "Prima parte"), (30, "d&e", "Seconda")]);
        assert_eq!(p.facets.section.as_deref(), Some("news"));
        // Nothing kept past the text kept.
        let p = extract_with(html, 10, |_, _, _| {});
        assert_eq!(
            p.headings,
            vec![(8, "a".to_string(), "Prima parte".to_string())]
        );
    }

    #[test]
    fn a_day_or_a_month_is_a_date_of_the_page() {
        assert_eq!(super::day("2022-05-12T10:00:00+02:00"), 20220512);
        assert_eq!(super::day("2022-05-12"), 20220512);
        assert_eq!(super::day("2023-03"), 20230300);
        for not in ["2023", "P2D", "10:00", "2023-03-1", ""] {
            assert_eq!(super::day(not), 0, "{not}");
        }
    }
}
