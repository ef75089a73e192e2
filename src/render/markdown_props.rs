//! Property-based tests of `markdown::render`: whatever an author writes, the rendering does
//! not panic, and what it gives — even for a text with errors — has no event handler
//! attribute, no `<script>` or embedding element, no address that runs code and no picture
//! from another site, as a browser parses it.
//!
//! The texts are made of pieces that hostile HTML and Markdown are made of. `cargo test` runs
//! a bounded number of cases; `VETRINA_PROPTEST_CASES` sets more (`tests/hardening/props.sh`).

use proptest::prelude::*;

use super::markdown::{MdInput, SiteLink, render};
use crate::diag::{Diagnostics, SourceText};

/// How many texts to try: a bounded number in `cargo test`, more from the environment.
pub fn cases() -> u32 {
    std::env::var("VETRINA_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

const PIECES: &[&str] = &[
    "## ",
    "# ",
    "{",
    "}",
    "{#id}",
    "{onfocus=alert(1)}",
    "{.c style=x}",
    "{tabindex=0 autofocus=}",
    "<",
    ">",
    "</",
    "/>",
    "<!--",
    "-->",
    "--!>",
    "<!-->",
    "<!--->",
    "<![CDATA[",
    "]]>",
    "<?",
    "<!DOCTYPE html>",
    "script",
    "b",
    "img",
    "svg",
    "iframe",
    "a",
    "sup",
    "style",
    "math",
    "details",
    "object",
    "embed",
    " onerror=alert(1)",
    " src=//evil.example/x",
    " href=javascript:alert(1)",
    "/onclick=x",
    " style=x",
    "=",
    "\"",
    "'",
    "`",
    "```\n",
    "    ",
    "\\",
    "[x](",
    "![x](",
    "](",
    ")",
    "[r]: ",
    "[x][r]",
    "javascript:alert(1)",
    "java\tscript:",
    "JaVaScRiPt:",
    "&#106;avascript:",
    "java&#x09;script:",
    "&colon;",
    "data:text/html,",
    "vbscript:",
    "//evil.example/p.jpg",
    "http:evil.example/p",
    "https:evil.example/p.jpg",
    "\\\\evil.example\\p.jpg",
    "p.jpg",
    "doc.pdf",
    "../p.jpg",
    "/p.jpg",
    "&#x3c;",
    "&lt;",
    "&#9;",
    "&amp;",
    "\n",
    "\n\n",
    " ",
    "*",
    "_",
    "|",
    "-|-",
    "[^1]",
    "[^1]: ",
    "<javascript:alert(1)>",
    "<https://example.org/>",
    "mailto:a@b.c",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => "\\PC{0,6}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..40).prop_map(|parts| parts.concat())
}

fn rendered(body: &str) -> (String, Diagnostics) {
    let src = SourceText::new("s.md", format!("---\nt: 1\n---\n{body}"));
    let mut d = Diagnostics::new();
    let href = |n: &str| format!("/storie/x/{n}");
    let picture = |n: &str, alt: &str| {
        (n == "p.jpg").then(|| {
            format!(
                "<picture><img src=\"/storie/x/p-480.jpg\" alt=\"{}\"></picture>",
                alt.replace('&', "&amp;")
                    .replace('"', "&quot;")
                    .replace('<', "&lt;")
            )
        })
    };
    let out = render(
        &MdInput {
            body,
            body_offset: 13,
            src: &src,
            assets: &["p.jpg", "doc.pdf"],
            asset_href: &href,
            picture: &picture,
            site_link: &|_: &str| SiteLink::Other,
        },
        &mut d,
    );
    (out, d)
}

/// What in an HTML fragment could run script or fetch from elsewhere, as a browser parses it.
fn active(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_fragment(html);
    let mut found = Vec::new();
    for node in doc.root_element().descendants() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let name = el.name();
        if matches!(
            name,
            "script"
                | "iframe"
                | "object"
                | "embed"
                | "frame"
                | "base"
                | "style"
                | "link"
                | "meta"
                | "form"
                | "svg"
                | "math"
                | "template"
        ) {
            found.push(format!("<{name}>"));
        }
        for (attr, value) in el.attrs() {
            let v: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if attr.starts_with("on") {
                found.push(format!("{attr}= on <{name}>"));
            }
            // An attribute a browser only shows as text may say anything; every other one
            // is read as if it could be an address.
            let shown_as_text = matches!(attr, "title" | "alt" | "aria-label" | "lang" | "dir");
            if !shown_as_text
                && ["javascript:", "vbscript:", "data:"]
                    .iter()
                    .any(|s| v.starts_with(s))
            {
                found.push(format!("{attr}={value}"));
            }
            if matches!(attr, "src" | "srcset") && !v.starts_with("/storie/x/") {
                found.push(format!("{attr}={value} (not a picture of the bundle)"));
            }
        }
    }
    let lower = html.to_ascii_lowercase();
    for raw in ["<script", "<iframe", "<!--"] {
        if lower.contains(raw) {
            found.push(format!("{raw} in the text"));
        }
    }
    found
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn no_text_puts_script_or_another_sites_picture_on_the_page(body in text()) {
        let (html, _) = rendered(&body);
        let found = active(&html);
        prop_assert!(found.is_empty(), "{body:?} gave {html:?}: {found:?}");
    }
}

#[test]
fn the_checker_sees_what_it_looks_for() {
    // A check that cannot fail proves nothing: each of these must be seen.
    for bad in [
        "<b onclick=x>b</b>",
        "<script>x</script>",
        "<a href=\" java\tscript:x\">a</a>",
        "<img src=\"https://evil.example/p.jpg\">",
        "<iframe></iframe>",
        "x <!-- y -->",
        "<a href=\"/\" class=\"javascript:x\">a</a>",
    ] {
        assert!(!active(bad).is_empty(), "{bad}");
    }
    // A title is text: the words "javascript:" in it run nothing.
    assert!(active("<a href=\"%3E\" title=\"javascript:alert(1)\">x</a>").is_empty());
    assert!(active("<picture><img src=\"/storie/x/p-480.jpg\" alt=\"a\"></picture> <a href=\"https://example.org/\">x</a>").is_empty());
}
