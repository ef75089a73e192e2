//! An HTML text written again, smaller, from the tokens a browser's tokenizer reads in it
//! (html5ever, the WHATWG tokenizer of Servo): the document a browser builds and shows is the
//! same, with fewer bytes.
//!
//! - White space a browser does not show is left out: beside the tag of an element that is
//!   not phrasing content (`<p>`, `<li>`, `<div>`…), a run of spaces starts or ends a line
//!   box, and CSS's `white-space: normal` drops it. Between words and phrasing elements
//!   (`<a>`, `<span>`, `<img>`…) a run of white space becomes one space.
//! - Text in `<pre>` and `<textarea>`, and the raw text of `<script>` and `<style>`, is
//!   written as it is.
//! - Comments are left out.
//! - An attribute value is written without quotes when HTML allows it, an empty one as the
//!   attribute's name alone.
//! - Every tag written is kept, end tags included, though HTML lets most of them be left
//!   out. Browsers infer them; streaming tools do not: a rewriter such as lol_html (what
//!   Pagefind and many link checkers parse with) applies no tree-construction rules, so
//!   without `</head>` it never sees a `<body>` element, and a `<p data-search-ignore>`
//!   whose `</p>` is inferred stays open to the end of the page.
//!
//! Text the tokenizer reports an error in is not minified (`None`): what it means to a
//! browser is better left as written.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The HTML text minified, or `None` when the tokenizer reported an error in it.
pub fn minify(html: &str) -> Option<String> {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(
        Writer {
            state: RefCell::new(State {
                out: String::with_capacity(html.len()),
                ..State::default()
            }),
        },
        TokenizerOpts {
            discard_bom: false,
            ..Default::default()
        },
    );
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let state = tokenizer.sink.state.into_inner();
    (!state.failed).then_some(state.out)
}

/// Elements whose tags white space beside may be shown: HTML's phrasing content (and SVG's
/// text). White space beside any other element's tag starts or ends a line and is dropped.
const PHRASING: &[&str] = &[
    "a", "abbr", "audio", "b", "bdi", "bdo", "br", "button", "canvas", "cite", "code", "data",
    "datalist", "del", "dfn", "em", "embed", "i", "iframe", "img", "input", "ins", "kbd", "label",
    "map", "mark", "math", "meter", "object", "output", "picture", "progress", "q", "ruby", "rp",
    "rt", "s", "samp", "select", "slot", "small", "span", "strong", "sub", "sup", "svg",
    "template", "text", "textarea", "time", "tspan", "u", "var", "video", "wbr",
];

/// Elements without content: a start tag only, and a `/` before its `>` means nothing.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Whether white space beside this element's tags may be dropped. Custom elements (a name
/// with `-`) may be styled as anything: their white space is kept.
fn drops_space_beside(name: &str) -> bool {
    !PHRASING.contains(&name) && !name.contains('-')
}

struct Writer {
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    out: String,
    /// Text read since the last tag, written when the next one shows what stands beside it.
    text: String,
    /// The token before `text` is the start of the text or a tag whose white space drops.
    space_drops_before: bool,
    /// Inside `<pre>` or `<textarea>`: their white space is shown as written.
    preformatted: usize,
    /// Inside `<svg>` or `<math>`, where `<style>` and `<title>` hold elements, not text.
    foreign: usize,
    /// In the raw text of a `<script>` or `<style>`: written as it is.
    raw: bool,
    /// In a `<title>`: the text is shown with its white space collapsed and trimmed.
    title: bool,
    failed: bool,
}

impl State {
    /// Writes the text read so far; `space_drops_after` tells whether the tag after it
    /// (or the end of the text) drops the white space beside it.
    fn flush_text(&mut self, space_drops_after: bool) {
        if self.text.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.text);
        if self.raw {
            self.out.push_str(&text);
        } else if self.preformatted > 0 {
            escape_text(&mut self.out, &text);
        } else {
            let collapsed = collapse_white_space(&text);
            let mut shown = collapsed.as_str();
            if self.space_drops_before || self.title {
                shown = shown.strip_prefix(' ').unwrap_or(shown);
            }
            if space_drops_after || self.title {
                shown = shown.strip_suffix(' ').unwrap_or(shown);
            }
            escape_text(&mut self.out, shown);
        }
        self.text = text;
        self.text.clear();
    }

    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let drops = drops_space_beside(name);
        self.flush_text(drops);
        self.space_drops_before = drops;
        match tag.kind {
            TagKind::StartTag => {
                self.start_tag(tag);
                if tag.self_closing && (self.foreign > 0 || VOID.contains(&name)) {
                    return TokenSinkResult::Continue;
                }
                match name {
                    "pre" | "textarea" | "listing" => self.preformatted += 1,
                    "svg" | "math" => self.foreign += 1,
                    _ => {}
                }
                if self.foreign > 0 {
                    return TokenSinkResult::Continue;
                }
                let raw = match name {
                    "script" => RawKind::ScriptData,
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" => RawKind::Rawtext,
                    "title" | "textarea" => RawKind::Rcdata,
                    _ => return TokenSinkResult::Continue,
                };
                self.raw = !matches!(raw, RawKind::Rcdata);
                self.title = name == "title";
                TokenSinkResult::RawData(raw)
            }
            TagKind::EndTag => {
                match name {
                    "pre" | "textarea" | "listing" => {
                        self.preformatted = self.preformatted.saturating_sub(1)
                    }
                    "svg" | "math" => self.foreign = self.foreign.saturating_sub(1),
                    _ => {}
                }
                self.raw = false;
                self.title = false;
                self.out.push_str("</");
                self.out.push_str(name);
                self.out.push('>');
                TokenSinkResult::Continue
            }
        }
    }

    fn start_tag(&mut self, tag: &Tag) {
        let name: &str = &tag.name;
        self.out.push('<');
        self.out.push_str(name);
        let mut last_unquoted = false;
        for attr in &tag.attrs {
            self.out.push(' ');
            self.out.push_str(&attr.name.local);
            let value: &str = &attr.value;
            last_unquoted = false;
            if value.is_empty() {
                continue;
            }
            self.out.push('=');
            if value.bytes().any(|b| {
                matches!(
                    b,
                    b'\t'
                        | b'\n'
                        | b'\x0C'
                        | b'\r'
                        | b' '
                        | b'"'
                        | b'\''
                        | b'='
                        | b'<'
                        | b'>'
                        | b'`'
                        | b'&'
                )
            }) {
                self.out.push('"');
                for c in value.chars() {
                    match c {
                        '&' => self.out.push_str("&amp;"),
                        '"' => self.out.push_str("&quot;"),
                        c => self.out.push(c),
                    }
                }
                self.out.push('"');
            } else {
                self.out.push_str(value);
                last_unquoted = true;
            }
        }
        // In SVG and MathML, `/>` closes the element; in HTML it means nothing.
        if tag.self_closing && self.foreign > 0 {
            if last_unquoted {
                // `d=M0/>` would read the `/` as the value's.
                self.out.push(' ');
            }
            self.out.push('/');
        }
        self.out.push('>');
    }
}

impl TokenSink for Writer {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => return state.tag(&tag),
            Token::CharacterTokens(text) => state.text.push_str(&text),
            // Notes for whoever reads the source: not shown, not needed.
            Token::CommentToken(_) => {}
            Token::DoctypeToken(d) => {
                state.flush_text(true);
                state.space_drops_before = true;
                match (&d.name, &d.public_id, &d.system_id) {
                    (Some(name), None, None) => {
                        state.out.push_str("<!doctype ");
                        state.out.push_str(name);
                        state.out.push('>');
                    }
                    // A legacy document type: left as written.
                    _ => state.failed = true,
                }
            }
            Token::EOFToken => state.flush_text(true),
            Token::NullCharacterToken | Token::ParseError(_) => state.failed = true,
        }
        TokenSinkResult::Continue
    }
}

/// Runs of HTML's white space (space, tab, line feed, form feed, carriage return) as one
/// space. A no-break space is not white space to HTML, and stays.
fn collapse_white_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\x0C' | '\r') {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// Text escaped where a browser would otherwise read markup or a character reference.
fn escape_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn min(html: &str) -> String {
        minify(html).unwrap_or_else(|| panic!("not minified: {html}"))
    }

    #[test]
    fn white_space_beside_blocks_goes_between_words_stays_one_space() {
        assert_eq!(
            min(
                "<!DOCTYPE html>\n<html lang=\"it\">\n<body>\n  <p>\n    Un  <a href=\"/x/\">link</a>\n    e <em>altro</em>.\n  </p>\n</body>\n</html>\n"
            ),
            "<!doctype html><html lang=it><body><p>Un <a href=/x/>link</a> e <em>altro</em>.</p></body></html>"
        );
        assert_eq!(
            min("<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>"),
            "<ul><li>a</li><li>b</li></ul>"
        );
        // A no-break space is text.
        assert_eq!(min("<p>a&nbsp; b</p>"), "<p>a\u{a0} b</p>");
        // A custom element may be inline: its white space stays.
        assert_eq!(min("<p>a <x-y>b</x-y> c</p>"), "<p>a <x-y>b</x-y> c</p>");
    }

    #[test]
    fn preformatted_and_raw_text_is_written_as_it_is() {
        assert_eq!(
            min("<pre>\n  a  &lt;b&gt;\n</pre>\n<p> x </p>"),
            "<pre>\n  a  &lt;b>\n</pre><p>x</p>"
        );
        assert_eq!(
            min("<script type=\"application/json\">\n {\"a\": \"</p>  &amp;\"}\n</script>"),
            "<script type=application/json>\n {\"a\": \"</p>  &amp;\"}\n</script>"
        );
        assert_eq!(
            min("<style>\n a  { color: red }\n</style>"),
            "<style>\n a  { color: red }\n</style>"
        );
        assert_eq!(
            min("<title>\n  A  &amp; B\n</title>"),
            "<title>A &amp; B</title>"
        );
        assert_eq!(
            min("<textarea>  a\n</textarea>"),
            "<textarea>  a\n</textarea>"
        );
    }

    #[test]
    fn attribute_values_lose_only_the_quotes_they_do_not_need() {
        assert_eq!(
            min("<a href=\"/a b/\" title='x\"y' class=\"c\" data-q=\"a&amp;b\" hidden=\"\">z</a>"),
            "<a href=\"/a b/\" title=\"x&quot;y\" class=c data-q=\"a&amp;b\" hidden>z</a>"
        );
        // `/>` closes an SVG element, after a space when the value is unquoted.
        assert_eq!(
            min("<svg viewBox=\"0 0 1 1\"><path d=\"M0\" /><g></g></svg><br/>"),
            "<svg viewbox=\"0 0 1 1\"><path d=M0 /><g></g></svg><br>"
        );
    }

    #[test]
    fn every_end_tag_is_kept_comments_go() {
        assert_eq!(
            min("<head><title>t</title></head><body><!-- a note --><p>a</p><p>b</p></body>"),
            "<head><title>t</title></head><body><p>a</p><p>b</p></body>"
        );
    }

    #[test]
    fn malformed_html_is_left_as_written() {
        for bad in [
            "<p a=\"1\" a=\"2\">",
            "<!-- open",
            "<p>\0</p>",
            "<a b='c'd>",
        ] {
            assert_eq!(minify(bad), None, "{bad:?}");
        }
    }
}
