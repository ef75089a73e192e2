//! The scanner that reads a rendered page for the index: the element marked
//! `data-search-body` less what is marked `data-search-ignore`, its title (the first `<h1>`),
//! its headings (which weigh more) and its text, with the tags a minifier leaves out closed
//! as a browser would. It is a scanner, not a parser: whatever the markup, it never fails
//! and never panics. The words themselves are left to [`super::text`].

use std::borrow::Cow;

use super::facets::Facets;
use super::format::MAX_EXCERPT_TEXT;
use super::text::{Collapsed, words};

/// Part of a line of text: no space is put where the element begins or ends.
const INLINE: u8 = 1;
/// No end tag.
const VOID: u8 = 2;
/// Content that is never text of the page.
const SKIPPED: u8 = 4;
/// A start tag that ends an open `<p>` (HTML's rule, for pages whose `</p>` the minifier
/// left out).
const ENDS_P: u8 = 8;

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
    name: Cow<'a, str>,
}

/// What the extractor needs to know of an element, by its (lower-case) name.
fn class(name: &str) -> u8 {
    match name {
        "a" | "abbr" | "b" | "bdi" | "bdo" | "cite" | "code" | "data" | "dfn" | "em" | "i"
        | "kbd" | "mark" | "q" | "s" | "samp" | "small" | "span" | "strong" | "sub" | "sup"
        | "time" | "u" | "var" => INLINE,
        "area" | "base" | "br" | "col" | "embed" | "img" | "input" | "link" | "meta" | "source"
        | "track" | "wbr" => VOID,
        "hr" => VOID | ENDS_P,
        "script" | "style" | "svg" | "template" | "noscript" | "textarea" | "math" | "iframe"
        | "object" | "select" | "button" => SKIPPED,
        "address" | "article" | "aside" | "blockquote" | "details" | "div" | "dl" | "fieldset"
        | "figcaption" | "figure" | "footer" | "form" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
        | "header" | "hgroup" | "main" | "menu" | "nav" | "ol" | "p" | "pre" | "section"
        | "table" | "ul" => ENDS_P,
        _ => 0,
    }
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
    // Open elements: (name, ignored, heading weight).
    let mut open: Vec<(Cow<str>, bool, u32)> = Vec::new();
    let mut ignoring = 0usize;
    let mut in_title = false;
    let mut title_done = false;
    let weight =
        |open: &[(Cow<str>, bool, u32)]| open.iter().rev().find(|e| e.2 > 0).map_or(1, |e| e.2);
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
        let Some(lt) = src[i..].find('<').map(|p| p + i) else {
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
            i = rest.find("-->").map_or(src.len(), |p| lt + p + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = rest.find('>').map_or(src.len(), |p| lt + p + 1);
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
        let name: Cow<str> = if raw_name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(raw_name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(raw_name)
        };
        let kind = class(&name);
        let (tag_end, attrs) = tag_end(src, name_start + name_len);
        i = tag_end;
        if kind & INLINE == 0 {
            text.space();
        }
        if closing {
            if let Some(at) = open.iter().rposition(|e| e.0 == name) {
                for e in open.drain(at..) {
                    if e.1 {
                        ignoring -= 1;
                    }
                    if e.0 == "h1" && in_title {
                        in_title = false;
                        title_done = true;
                    }
                    if heading.as_ref().is_some_and(|h| h.name == e.0) {
                        finish(heading.take(), &mut headings);
                    }
                }
            }
            continue;
        }
        // Implied end tags.
        let implied: &[&str] = match &*name {
            _ if kind & ENDS_P != 0 => &["p"],
            "li" => &["li"],
            "dt" | "dd" => &["dt", "dd"],
            "tr" => &["tr", "td", "th"],
            "td" | "th" => &["td", "th"],
            "thead" | "tbody" | "tfoot" => &["thead", "tbody", "tfoot", "tr", "td", "th"],
            "option" => &["option"],
            _ => &[],
        };
        while let Some(top) = open.last() {
            if !implied.contains(&&*top.0) {
                break;
            }
            let e = open.pop().unwrap_or_default();
            if e.1 {
                ignoring -= 1;
            }
        }
        let ignored = attrs.contains("data-search-ignore") && has_attr(attrs, "data-search-ignore");
        if name == "time"
            && date == 0
            && ignoring == 0
            && !ignored
            && let Some(d) = attr(attrs, "datetime")
        {
            date = day(&d);
        }
        if kind & VOID != 0 || attrs.ends_with('/') {
            if name == "img"
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
            let close = format!("</{name}");
            i = find_ci(src, i, &close)
                .and_then(|p| src[p..].find('>').map(|q| p + q + 1))
                .unwrap_or(src.len());
            continue;
        }
        let heading_level = match &*name {
            "h1" => 1,
            "h2" => 2,
            "h3" => 3,
            "h4" => 4,
            "h5" => 5,
            "h6" => 6,
            _ => 0,
        };
        // Headings weigh more, the higher the more.
        let heading_weight = if heading_level > 0 {
            8 - heading_level
        } else {
            0
        };
        if name == "h1" && !title_done && ignoring == 0 && !ignored {
            in_title = true;
        }
        if heading_level > 1
            && heading_level < 7
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
        open.push((name, ignored, heading_weight));
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

/// Where the indexed element's content starts and ends in a page, and the attributes of
/// its start tag (none for the `<body>` taken when no element is marked).
fn body_range(html: &str) -> (usize, usize, &str) {
    let marked = html.find("data-search-body").and_then(|at| {
        let open = html[..at].rfind('<')?;
        let name_len = html[open + 1..]
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        let name = &html[open + 1..open + 1 + name_len];
        let (start, attrs) = tag_end(html, open + 1 + name_len);
        let end = html.rfind(&format!("</{name}>"))?;
        (end >= start).then_some((start, end, attrs))
    });
    marked.unwrap_or_else(|| {
        let start = html
            .find("<body")
            .and_then(|b| html[b..].find('>').map(|e| b + e + 1))
            .unwrap_or(0);
        (start, html.rfind("</body>").unwrap_or(html.len()), "")
    })
}

/// The end of a tag whose name ends at `from` (just past its `>`), and its attributes' text.
fn tag_end(src: &str, from: usize) -> (usize, &str) {
    let bytes = src.as_bytes();
    let mut quote = 0u8;
    let mut j = from;
    while j < bytes.len() {
        let b = bytes[j];
        if quote != 0 {
            if b == quote {
                quote = 0;
            }
        } else if b == b'"' || b == b'\'' {
            quote = b;
        } else if b == b'>' {
            return (j + 1, src[from..j].trim());
        }
        j += 1;
    }
    (src.len(), src[from..].trim())
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

/// The first place at or after `from` where `needle` (ASCII) appears, in any case.
fn find_ci(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let n = needle.len();
    let h = hay.as_bytes();
    (from..h.len().saturating_sub(n - 1))
        .find(|&i| h[i..i + n].eq_ignore_ascii_case(needle.as_bytes()))
}

/// Text with its character references decoded: the ones a minifier or Markdown writes
/// (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;`, numeric), with or without `;`.
fn decode(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
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
        ];
        for html in odd {
            let x = extract(html, "/x/");
            assert!(x.text.len() <= html.len() * 3, "{html}");
        }
        // Where a tag is cut short, what follows is not text; where the element never ends,
        // the rest of the page is in it.
        assert_eq!(extract("<body><p>a<b", "/").text, "a");
        assert_eq!(extract("<body><h1>Titolo", "/").title, "Titolo");
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
