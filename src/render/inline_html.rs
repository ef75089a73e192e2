//! HTML written inside a Markdown text, decided by a browser's own tokenizer (html5ever, the
//! WHATWG tokenizer of Servo) rather than by pattern matching.
//!
//! Only the plain inline tags of [`ALLOWED_TAGS`], without attributes, are published; comments
//! are dropped; the text between tags is escaped again. What reaches the page is written here
//! from the tokens, never copied from the author's text, so a tag or comment that a browser
//! would read differently from a quick look (`<!-- x --!> <script>`, `<b/onclick=…>`) cannot
//! slip through: it either tokenizes as an allowed tag without attributes, or it is refused.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Inline elements an author may write as HTML, without attributes: they only mark text up.
pub const ALLOWED_TAGS: &[&str] = &[
    "abbr", "b", "bdi", "br", "cite", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q", "s",
    "small", "strong", "sub", "sup", "u", "wbr",
];

/// Elements without content: written without an end tag.
const VOID_TAGS: &[&str] = &["br", "wbr"];

/// Why a piece of HTML is not published, in words for the author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

/// The piece of HTML as it is published: the allowed tags without attributes, the text
/// between them escaped, comments left out. `Err` names the first thing that is not allowed.
pub fn clean(html: &str) -> Result<String, Refused> {
    let sink = Collect::default();
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(
        sink,
        TokenizerOpts {
            // Every error the standard describes, so that a malformed tag or comment is
            // refused rather than guessed at.
            exact_errors: true,
            discard_bom: false,
            ..Default::default()
        },
    );
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let Collect { out, refused } = tokenizer.sink;
    match refused.into_inner() {
        Some(r) => Err(r),
        None => Ok(out.into_inner()),
    }
}

#[derive(Default)]
struct Collect {
    out: RefCell<String>,
    refused: RefCell<Option<Refused>>,
}

impl Collect {
    fn refuse(&self, why: String) {
        let mut r = self.refused.borrow_mut();
        if r.is_none() {
            *r = Some(Refused(why));
        }
    }

    fn tag(&self, tag: &Tag) {
        let name: &str = &tag.name;
        if !ALLOWED_TAGS.contains(&name) {
            self.refuse(format!("the element <{name}> is not allowed"));
            return;
        }
        if let Some(a) = tag.attrs.first() {
            self.refuse(format!(
                "attributes are not allowed (`{}` on <{name}>)",
                &*a.name.local
            ));
            return;
        }
        let mut out = self.out.borrow_mut();
        match tag.kind {
            TagKind::StartTag => {
                out.push('<');
                out.push_str(name);
                out.push('>');
            }
            // A void element has no end tag; browsers read `</br>` as `<br>`.
            TagKind::EndTag if VOID_TAGS.contains(&name) => out.push_str("<br>"),
            TagKind::EndTag => {
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
        }
    }
}

impl TokenSink for Collect {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => self.tag(&tag),
            Token::CharacterTokens(text) => escape_into(&mut self.out.borrow_mut(), &text),
            // Notes for the authors, not for readers: never published.
            Token::CommentToken(_) => {}
            Token::EOFToken => {}
            Token::DoctypeToken(_) => self.refuse("a document type (<!DOCTYPE …>)".into()),
            Token::NullCharacterToken => self.refuse("a NUL character".into()),
            Token::ParseError(e) => self.refuse(format!("malformed HTML ({e})")),
        }
        TokenSinkResult::Continue
    }
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_tags_are_kept_as_the_tokenizer_reads_them() {
        assert_eq!(clean("<sup>").as_deref(), Ok("<sup>"));
        assert_eq!(clean("</SUP>").as_deref(), Ok("</sup>"));
        assert_eq!(clean("<br />").as_deref(), Ok("<br>"));
        assert_eq!(
            clean("<b>AT&amp;T &lt;x&gt;</b>").as_deref(),
            Ok("<b>AT&amp;T &lt;x&gt;</b>")
        );
    }

    #[test]
    fn comments_are_dropped() {
        assert_eq!(clean("a<!-- nota -->b").as_deref(), Ok("ab"));
        assert_eq!(clean("<!--\nnota\n-->").as_deref(), Ok(""));
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "x <!-- y --!> <script>alert(1)</script> -->",
            "<!-- y --!>",
            "<b onclick=x()>",
            "<b/onclick=x()>",
            "<b\tstyle=x>",
            "<script>",
            "<svg><script>alert(1)</script></svg>",
            "<img src=x onerror=alert(1)>",
            "<!DOCTYPE html>",
            "<b",
            "<!-- open",
            "<a href=javascript:alert(1)>x</a>",
            "<iframe src=//evil.example>",
            "<math><mi xlink:href=javascript:alert(1)>",
            "<b \0>",
            "<?xml version=1?>",
            "<![CDATA[<script>]]>",
            "</b onclick=x>",
        ] {
            assert!(
                clean(bad).is_err(),
                "{bad:?} was accepted: {:?}",
                clean(bad)
            );
        }
    }
}
