//! Minifying the theme's templates once, instead of every page they render.
//!
//! A template is minified with its Tera syntax held aside: each `{{ … }}`, `{% … %}`,
//! `{# … #}` and `{% raw %}` block is replaced by a marker the minifier keeps as it is, the
//! template is minified like a page ([`super::html_min`]: white space, optional quotes,
//! comments; every end tag kept), and the markers are put back. Every page then comes out of
//! the templates minified: at 1,000 stories in four languages, minifying each page took a
//! third of the build (issue 10), for pages a few per cent smaller than these.
//!
//! What the template's Tera syntax stands for is unknown until a page is rendered, so:
//! - a marker is text to the minifier: it never drops the white space beside it that a
//!   value may need (`{{ a }} {{ b }}`);
//! - a marker in an attribute's value carries a `'`, which keeps the value in quotes (a value
//!   rendered with a space in it stays one value);
//! - a start tag with Tera syntax between its attributes (`<p{% if x %} lang="…"{% endif %}>`)
//!   is kept as written but for its name;
//! - a marker is added at the end of every template, so that the template's last text is
//!   never taken for the end of a page.
//!
//! The result is checked: every marker must come out once, and the Tera tags (`{% %}`,
//! comments, raw blocks) in their order. A template that fails the check, or whose syntax
//! the scan cannot follow (a tag name or a comment made by Tera, an unclosed tag), is used
//! as written: correct, only not minified.

/// Text and attribute-value markers: `\u{E000}` number `'` `\u{E001}`.
const TEXT_OPEN: char = '\u{E000}';
const TEXT_CLOSE: char = '\u{E001}';
/// Markers standing for a start tag's attributes: `\u{E002}` number `\u{E003}`.
const TAG_OPEN: char = '\u{E002}';
const TAG_CLOSE: char = '\u{E003}';

/// A piece of a template's source.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Html(&'a str),
    /// `{{ … }}`: a value, with no effect on the template's structure.
    Value(&'a str),
    /// `{% … %}`, `{# … #}` or a whole `{% raw %} … {% endraw %}`.
    Tag(&'a str),
}

/// The template's source minified, or `None` when it is better used as written.
pub fn template(src: &str) -> Option<String> {
    let pieces = lex(src)?;
    if !pieces
        .iter()
        .any(|p| matches!(p, Piece::Html(h) if h.contains('<')))
    {
        // No markup to minify (a text or XML-free template).
        return None;
    }
    let masked = mask(&pieces)?;
    let out = super::html_min::minify(&masked.text)?;
    unmask(&out, &pieces, &masked.tags)
}

/// Splits a template into its HTML and its Tera syntax, as Tera's lexer does (strings in
/// tags may hold `%}` or `}}`). `None` for syntax left open: Tera will report it.
fn lex(src: &str) -> Option<Vec<Piece<'_>>> {
    let mut pieces = Vec::new();
    let bytes = src.as_bytes();
    let mut text_from = 0;
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] != b'{' || !matches!(bytes[i + 1], b'{' | b'%' | b'#') {
            i += 1;
            continue;
        }
        if i > text_from {
            pieces.push(Piece::Html(&src[text_from..i]));
        }
        let end = match (bytes[i + 1], raw_open(&src[i + 2..])) {
            (b'#', _) => src[i + 2..].find("#}").map(|e| i + 2 + e + 2)?,
            (b'%', Some(open)) => end_of_raw(src, i + 2 + open)?,
            (b'%', None) => close_of(src, i + 2, "%}")?,
            _ => close_of(src, i + 2, "}}")?,
        };
        let text = &src[i..end];
        pieces.push(if bytes[i + 1] == b'{' {
            Piece::Value(text)
        } else {
            Piece::Tag(text)
        });
        i = end;
        text_from = end;
    }
    if text_from < src.len() {
        pieces.push(Piece::Html(&src[text_from..]));
    }
    Some(pieces)
}

/// After `{%`: the length of `- raw -%}` when the tag is `raw`.
fn raw_open(after: &str) -> Option<usize> {
    let rest = after.strip_prefix('-').unwrap_or(after).trim_start();
    let rest = rest.strip_prefix("raw")?;
    let rest = rest.trim_start();
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let rest = rest.strip_prefix("%}")?;
    Some(after.len() - rest.len())
}

/// The end of the `{% endraw %}` closing a raw block whose body starts at `from`.
fn end_of_raw(src: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(p) = src[at..].find("{%") {
        let tag = at + p + 2;
        let rest = src[tag..]
            .strip_prefix('-')
            .unwrap_or(&src[tag..])
            .trim_start();
        if let Some(rest) = rest.strip_prefix("endraw") {
            let rest = rest.trim_start();
            let rest = rest.strip_prefix('-').unwrap_or(rest);
            if let Some(rest) = rest.strip_prefix("%}") {
                return Some(src.len() - rest.len());
            }
        }
        at = tag;
    }
    None
}

/// The end (past `close`) of a tag whose content starts at `from`, past its strings.
fn close_of(src: &str, from: usize, close: &str) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut i = from;
    let mut quote = 0u8;
    while i < bytes.len() {
        let b = bytes[i];
        if quote != 0 {
            if b == b'\\' {
                i += 1;
            } else if b == quote {
                quote = 0;
            }
        } else if matches!(b, b'"' | b'\'' | b'`') {
            quote = b;
        } else if src[i..].starts_with(close) {
            return Some(i + close.len());
        }
        i += 1;
    }
    None
}

struct Masked {
    text: String,
    /// For each tag marker: the attributes' source it stands for (from the end of the name
    /// to the `>`, Tera syntax as written) and the numbers of the pieces of Tera syntax in it.
    tags: Vec<(String, Vec<usize>)>,
}

/// Where the scan of the HTML is.
#[derive(Clone, Copy, PartialEq)]
enum At {
    Text,
    /// In a start tag, between attributes or in a name.
    Tag,
    /// In an attribute value quoted with this byte.
    Quoted(u8),
    /// In an unquoted attribute value.
    Unquoted,
    /// In an end tag.
    EndTag,
    Comment,
}

/// The start tag being read.
#[derive(Default)]
struct OpenTag {
    /// Where its name ends in the masked text.
    name_end: usize,
    name: String,
    /// Tera syntax stands between its attributes.
    dirty: bool,
    /// Its source from the name's end, Tera syntax as written.
    src: String,
    /// The pieces of Tera syntax in it.
    pieces: Vec<usize>,
}

/// The template with its Tera syntax replaced by markers.
fn mask(pieces: &[Piece]) -> Option<Masked> {
    let mut m = Masked {
        text: String::new(),
        tags: Vec::new(),
    };
    let mut at = At::Text;
    let mut tag = OpenTag::default();
    // Inside the raw text of `<script>`, `<style>`, `<textarea>` or `<title>`: its name.
    let mut raw_text: Option<String> = None;
    for (n, piece) in pieces.iter().enumerate() {
        let html = match piece {
            Piece::Html(h) => *h,
            Piece::Value(_) | Piece::Tag(_) => {
                m.text.push_str(&format!("{TEXT_OPEN}{n}'{TEXT_CLOSE}"));
                match at {
                    At::Text => {}
                    At::Quoted(_) | At::Tag | At::Unquoted => {
                        if !matches!(at, At::Quoted(_)) {
                            tag.dirty = true;
                        }
                        tag.src.push_str(piece_text(piece));
                        tag.pieces.push(n);
                    }
                    // A tag name or a comment made by Tera.
                    At::EndTag | At::Comment => return None,
                }
                continue;
            }
        };
        let bytes = html.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match at {
                At::Text if b == b'<' => {
                    if let Some(name) = &raw_text {
                        let close = format!("</{name}");
                        if html.len() - i >= close.len()
                            && html.as_bytes()[i..i + close.len()]
                                .eq_ignore_ascii_case(close.as_bytes())
                        {
                            raw_text = None;
                            at = At::EndTag;
                            m.text.push_str(&html[i..i + close.len()]);
                            i += close.len();
                            continue;
                        }
                    } else if html[i..].starts_with("<!--") {
                        at = At::Comment;
                        m.text.push_str("<!--");
                        i += 4;
                        continue;
                    } else {
                        let next = bytes.get(i + 1).copied();
                        if next == Some(b'/') {
                            match bytes.get(i + 2) {
                                Some(c) if c.is_ascii_alphabetic() => at = At::EndTag,
                                // `</` then Tera syntax: a tag name made by the template.
                                None => return None,
                                _ => {}
                            }
                        } else if next.is_some_and(|c| c.is_ascii_alphabetic()) {
                            let len = html[i + 1..]
                                .bytes()
                                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-')
                                .count();
                            let name = html[i + 1..i + 1 + len].to_ascii_lowercase();
                            // A name followed at once by Tera syntax may go on in it
                            // (`<h{{ level }}>`): only known elements are read so.
                            if i + 1 + len == bytes.len() && !known_element(&name) {
                                return None;
                            }
                            m.text.push_str(&html[i..i + 1 + len]);
                            tag = OpenTag {
                                name_end: m.text.len(),
                                name,
                                ..OpenTag::default()
                            };
                            at = At::Tag;
                            i += 1 + len;
                            continue;
                        } else if next.is_none() {
                            // `<` then Tera syntax.
                            return None;
                        }
                    }
                }
                At::Text => {}
                At::Comment => {
                    if html[i..].starts_with("-->") {
                        m.text.push_str("-->");
                        at = At::Text;
                        i += 3;
                        continue;
                    }
                }
                At::EndTag => {
                    if b == b'>' {
                        at = At::Text;
                    }
                }
                At::Tag => {
                    if b == b'>' {
                        if tag.dirty {
                            m.text.truncate(tag.name_end);
                            let k = m.tags.len();
                            m.text.push_str(&format!(" {TAG_OPEN}{k}{TAG_CLOSE}>"));
                            m.tags.push((
                                std::mem::take(&mut tag.src),
                                std::mem::take(&mut tag.pieces),
                            ));
                        } else {
                            m.text.push('>');
                        }
                        at = At::Text;
                        if matches!(&*tag.name, "script" | "style" | "textarea" | "title") {
                            raw_text = Some(tag.name.clone());
                        }
                        i += 1;
                        continue;
                    }
                    if b == b'"' || b == b'\'' {
                        at = At::Quoted(b);
                    } else if b == b'=' {
                        let rest = html[i + 1..].trim_start();
                        if rest
                            .bytes()
                            .next()
                            .is_some_and(|c| c != b'"' && c != b'\'' && c != b'>')
                        {
                            at = At::Unquoted;
                        }
                    }
                    push_char(&mut tag.src, html, i);
                }
                At::Quoted(q) => {
                    if b == q {
                        at = At::Tag;
                    }
                    push_char(&mut tag.src, html, i);
                }
                At::Unquoted => {
                    if b == b'>' {
                        at = At::Tag;
                        continue;
                    }
                    if b.is_ascii_whitespace() {
                        at = At::Tag;
                    }
                    push_char(&mut tag.src, html, i);
                }
            }
            // Copy the character as it is.
            let len = utf8_len(b);
            m.text.push_str(&html[i..i + len]);
            i += len;
        }
    }
    if at != At::Text {
        return None;
    }
    // An end marker: nothing of the template is the last thing of its parent.
    m.text
        .push_str(&format!("{TEXT_OPEN}{}'{TEXT_CLOSE}", pieces.len()));
    Some(m)
}

/// Pushes the character starting at byte `i` of `s` to `out`.
fn push_char(out: &mut String, s: &str, i: usize) {
    let len = utf8_len(s.as_bytes()[i]);
    out.push_str(&s[i..i + len]);
}

fn utf8_len(b: u8) -> usize {
    match b {
        0xf0.. => 4,
        0xe0.. => 3,
        0xc0.. => 2,
        _ => 1,
    }
}

fn piece_text<'a>(p: &Piece<'a>) -> &'a str {
    match p {
        Piece::Html(s) | Piece::Value(s) | Piece::Tag(s) => s,
    }
}

/// HTML's elements (and SVG's most common), whose names never go on in Tera syntax.
fn known_element(name: &str) -> bool {
    name.contains('-')
        || matches!(
            name,
            "a" | "abbr"
                | "address"
                | "area"
                | "article"
                | "aside"
                | "audio"
                | "b"
                | "base"
                | "bdi"
                | "bdo"
                | "blockquote"
                | "body"
                | "br"
                | "button"
                | "canvas"
                | "caption"
                | "cite"
                | "code"
                | "col"
                | "colgroup"
                | "data"
                | "datalist"
                | "dd"
                | "del"
                | "details"
                | "dfn"
                | "dialog"
                | "div"
                | "dl"
                | "dt"
                | "em"
                | "embed"
                | "fieldset"
                | "figcaption"
                | "figure"
                | "footer"
                | "form"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "head"
                | "header"
                | "hgroup"
                | "hr"
                | "html"
                | "i"
                | "iframe"
                | "img"
                | "input"
                | "ins"
                | "kbd"
                | "label"
                | "legend"
                | "li"
                | "link"
                | "main"
                | "map"
                | "mark"
                | "menu"
                | "meta"
                | "meter"
                | "nav"
                | "noscript"
                | "object"
                | "ol"
                | "optgroup"
                | "option"
                | "output"
                | "p"
                | "picture"
                | "pre"
                | "progress"
                | "q"
                | "rp"
                | "rt"
                | "ruby"
                | "s"
                | "samp"
                | "script"
                | "search"
                | "section"
                | "select"
                | "slot"
                | "small"
                | "source"
                | "span"
                | "strong"
                | "style"
                | "sub"
                | "summary"
                | "sup"
                | "table"
                | "tbody"
                | "td"
                | "template"
                | "textarea"
                | "tfoot"
                | "th"
                | "thead"
                | "time"
                | "title"
                | "tr"
                | "track"
                | "u"
                | "ul"
                | "var"
                | "video"
                | "wbr"
                | "svg"
                | "path"
                | "g"
                | "rect"
                | "circle"
                | "line"
                | "polyline"
                | "polygon"
                | "text"
                | "tspan"
                | "use"
                | "defs"
                | "symbol"
        )
}

/// The minified template with the markers made Tera syntax again; `None` when a marker is
/// missing or repeated, or a Tera tag moved.
fn unmask(out: &str, pieces: &[Piece], tags: &[(String, Vec<usize>)]) -> Option<String> {
    let mut seen = vec![false; pieces.len() + 1];
    let mut tag_seen = vec![false; tags.len()];
    let mut last_tag: Option<usize> = None;
    let mut in_order = |n: usize, seen: &mut Vec<bool>| -> Option<()> {
        if std::mem::replace(seen.get_mut(n)?, true) {
            return None;
        }
        if matches!(pieces.get(n), Some(Piece::Tag(_))) {
            if last_tag.is_some_and(|l| l > n) {
                return None;
            }
            last_tag = Some(n);
        }
        Some(())
    };
    let mut result = String::with_capacity(out.len() + 256);
    let mut rest = out;
    while let Some(at) = rest.find([TEXT_OPEN, TAG_OPEN]) {
        result.push_str(&rest[..at]);
        let open = rest[at..].chars().next()?;
        let body = &rest[at + open.len_utf8()..];
        if open == TEXT_OPEN {
            let end = body.find(TEXT_CLOSE)?;
            let n: usize = body[..end].strip_suffix('\'')?.parse().ok()?;
            in_order(n, &mut seen)?;
            if let Some(piece) = pieces.get(n) {
                result.push_str(piece_text(piece));
            }
            rest = &body[end + TEXT_CLOSE.len_utf8()..];
        } else {
            let end = body.find(TAG_CLOSE)?;
            let k: usize = body[..end].parse().ok()?;
            if std::mem::replace(tag_seen.get_mut(k)?, true) {
                return None;
            }
            let (src, inside) = &tags[k];
            for &n in inside {
                in_order(n, &mut seen)?;
            }
            // The minifier wrote a space before the marker; the source has its own, or
            // none (`<p{% if … %} lang="…"{% endif %}>`).
            if result.ends_with(' ') {
                result.pop();
            }
            result.push_str(src);
            rest = &body[end + TAG_CLOSE.len_utf8()..];
        }
    }
    result.push_str(rest);
    let all = pieces
        .iter()
        .enumerate()
        .all(|(n, p)| matches!(p, Piece::Html(_)) || seen[n]);
    (all && seen[pieces.len()] && tag_seen.iter().all(|&s| s)).then_some(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn min(src: &str) -> String {
        template(src).unwrap_or_else(|| panic!("not minified: {src}"))
    }

    #[test]
    fn white_space_and_quotes_go_tera_syntax_stays() {
        assert_eq!(
            min(
                "<ul class=\"cards\">\n  {% for s in list %}\n  <li>\n    <a href=\"{{ s.href }}\">{{ s.title }}</a>\n  </li>\n{% endfor %}\n</ul>\n"
            ),
            "<ul class=cards>{% for s in list %}<li><a href=\"{{ s.href }}\">{{ s.title }}</a></li>{% endfor %}</ul>"
        );
        // Two values side by side keep the space between them.
        assert_eq!(
            min("<p>\n  {{ a }} {{ b }}\n</p>"),
            "<p>{{ a }} {{ b }}</p>"
        );
        // Strings in Tera syntax may hold what closes a tag.
        assert_eq!(
            min("<p title=\"{{ \"}}\" ~ x }}\">{% if y == \"%}\" %}z{% endif %}</p>"),
            "<p title=\"{{ \"}}\" ~ x }}\">{% if y == \"%}\" %}z{% endif %}</p>"
        );
    }

    #[test]
    fn a_value_in_an_attribute_stays_quoted() {
        // Rendered, `{{ label }}` may hold spaces: the quotes are needed.
        assert_eq!(
            min("<a   aria-label=\"{{ label }}\"  class=\"x\">y</a>"),
            "<a aria-label=\"{{ label }}\" class=x>y</a>"
        );
    }

    #[test]
    fn tera_syntax_between_attributes_keeps_the_tag_as_written() {
        assert_eq!(
            min(
                "<div>\n<h1{% if f %} lang=\"{{ l }}\"  dir=\"auto\"{% endif %}>{{ t }}</h1>\n</div>"
            ),
            "<div><h1{% if f %} lang=\"{{ l }}\"  dir=\"auto\"{% endif %}>{{ t }}</h1></div>"
        );
        assert_eq!(
            min("<p class=\"a\" {{ attrs | safe }}>x</p>"),
            "<p class=\"a\" {{ attrs | safe }}>x</p>"
        );
    }

    #[test]
    fn the_last_end_tag_of_a_partial_is_kept() {
        // Included where more follows, a `<li>` left open would swallow it.
        assert!(min("<li>\n  {{ x }}\n</li>\n").contains("</li>"));
        assert!(min("<p>{{ x }}</p>").ends_with("</p>"));
    }

    #[test]
    fn every_end_tag_written_is_kept() {
        // HTML lets all of these be left out; streaming readers need them.
        assert_eq!(
            min(
                "<html lang=\"{{ l }}\">\n<head>\n  <title>{{ t }}</title>\n</head>\n<body>\n<p data-search-ignore>{{ a }}</p>\n<p>b</p>\n<ul>\n  <li>c</li>\n  <li>d</li>\n</ul>\n<dl><dt>e</dt><dd>f</dd></dl>\n<table><tbody><tr><td>g</td></tr></tbody></table>\n</body>\n</html>\n"
            ),
            "<html lang=\"{{ l }}\"><head><title>{{ t }}</title></head><body><p data-search-ignore>{{ a }}</p><p>b</p><ul><li>c</li><li>d</li></ul><dl><dt>e</dt><dd>f</dd></dl><table><tbody><tr><td>g</td></tr></tbody></table></body></html>"
        );
    }

    #[test]
    fn raw_blocks_and_comments_of_tera_are_kept_whole() {
        assert_eq!(
            min("<pre>{% raw %}{{ not a value }}{% endraw %}</pre>\n{# a note #}\n<p>x</p>"),
            "<pre>{% raw %}{{ not a value }}{% endraw %}</pre>{# a note #}<p>x</p>"
        );
    }

    #[test]
    fn scripts_and_styles_are_written_as_they_are() {
        let m = min("<script>\n  var  x = {{ v | safe }};\n</script><p>  a  </p>");
        assert_eq!(m, "<script>\n  var  x = {{ v | safe }};\n</script><p>a</p>");
        let m = min("<p style=\"color:  {{ c }}\">a</p>");
        assert_eq!(m, "<p style=\"color:  {{ c }}\">a</p>");
        let m = min("<style>\n  p {  color: red; }\n</style><p>{{ x }}</p>");
        assert_eq!(m, "<style>\n  p {  color: red; }\n</style><p>{{ x }}</p>");
    }

    #[test]
    fn what_cannot_be_minified_safely_is_used_as_written() {
        // A tag name made by Tera.
        assert_eq!(template("<h{{ level }}>x</h{{ level }}>"), None);
        assert_eq!(template("<{{ tag }}>x</{{ tag }}>"), None);
        // Tera syntax in an HTML comment (the minifier drops comments).
        assert_eq!(template("<!-- {{ x }} --><p>a</p>"), None);
        // Syntax left open: Tera reports it, from the template as written.
        assert_eq!(template("<p>{{ x </p>"), None);
        assert_eq!(template("<p>{% if x %}</p"), None);
        // Not HTML.
        assert_eq!(template("{{ x }} and {{ y }}"), None);
    }

    #[test]
    fn any_text_comes_through_unchanged_or_not_at_all() {
        // Odd inputs never panic, and whatever comes out has every piece of Tera syntax.
        for src in [
            "<p>{{ a }}<",
            "<p {{",
            "<a href='{{ x }}'>{{ y }}</a>",
            "<p>é{{ x }}è</p><p title=\"à{{ y }}ü\">ö</p>",
            "<img alt=\"{{ a }}\" src={{ b }}>",
            "<textarea>{{ x }}  </textarea>",
            "<svg><text x=\"{{ x }}\">{{ y }}</text></svg>",
            "{% raw %}<p>{% endraw",
            "<table><tr>{% for c in cs %}<td>{{ c }}{% endfor %}</table>",
        ] {
            if let Some(m) = template(src) {
                for piece in lex(src).unwrap() {
                    if let Piece::Value(t) | Piece::Tag(t) = piece {
                        assert!(m.contains(t), "{src} -> {m}: lost {t}");
                    }
                }
            }
        }
    }

    /// Every template of the default theme is minified.
    #[test]
    fn the_default_themes_templates_are_all_minified() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let mut failed = Vec::new();
        for e in walkdir::WalkDir::new(&dir) {
            let e = e.unwrap();
            if !e.file_type().is_file() {
                continue;
            }
            let src = std::fs::read_to_string(e.path()).unwrap();
            match template(&src) {
                Some(m) => {
                    if std::env::var("SHOW").is_ok() {
                        eprintln!("== {}\n{m}\n", e.path().display());
                    }
                    assert!(m.len() < src.len(), "{}", e.path().display());
                }
                None => failed.push(e.path().display().to_string()),
            }
        }
        assert!(failed.is_empty(), "not minified: {failed:?}");
    }
}
