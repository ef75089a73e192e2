//! Property-based tests over front matter and calendar values: whatever an author types into a
//! title, a summary, a name or an address, the build does not panic, and no page, feed or
//! calendar it writes carries an event handler, a script that is not the theme's own, an
//! address that runs code, a picture from another site, or a control character.
//!
//! Each case builds the small site of `vetrina init`, so `cargo test` tries a few dozen;
//! `VETRINA_PROPTEST_CASES` (divided by 200) sets more (`tests/hardening/props.sh`).

mod common;

use common::*;
use proptest::prelude::*;
use std::fs;
use std::path::Path;

fn cases() -> u32 {
    std::env::var("VETRINA_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .map(|n| (n / 200).max(1))
        .unwrap_or(24)
}

const PIECES: &[&str] = &[
    "<script>alert(1)</script>",
    "</script><script>alert(2)</script>",
    "<!--",
    "-->",
    "<!--<script>",
    "</title>",
    "<img src=x onerror=alert(3)>",
    "\" onmouseover=\"alert(4)",
    "' onfocus='alert(5)",
    "javascript:alert(6)",
    "JaVaScRiPt:alert(7)",
    "data:text/html,x",
    "//evil.example/x",
    "https://evil.example/p.jpg",
    "]]>",
    "<![CDATA[",
    "&",
    "&amp;",
    "&#0;",
    "\\",
    "{{",
    "}}",
    "{%",
    "%}",
    "\r\nBEGIN:VEVENT\r\n",
    "\r\n",
    "\n",
    "\u{0}",
    "\u{1b}[2J",
    "\u{b}",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{202e}",
    "\u{feff}",
    "é",
    "ة",
    "漢字",
    "  ",
    ",",
    ";",
    ":",
    "\"",
];

fn value() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::sample::select(PIECES).prop_map(str::to_string),
            1 => "\\PC{1,6}",
        ],
        1..8,
    )
    .prop_map(|parts| parts.concat())
}

/// A YAML double-quoted scalar for `s`: control characters written as escapes, which YAML
/// turns back into the characters themselves.
fn yaml(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || c == '\u{feff}' || c == '\u{2028}' => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Replaces the value of the first line starting with `key` (after indentation) in `rel`.
fn set(root: &Path, rel: &str, key: &str, value: &str) {
    let p = root.join(rel);
    let text = fs::read_to_string(&p).unwrap();
    let mut done = false;
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            let indent = l.len() - l.trim_start().len();
            if !done && l.trim_start().starts_with(key) {
                done = true;
                format!("{}{key} {value}", &l[..indent])
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(done, "{rel} has no {key}");
    fs::write(p, lines.join("\n") + "\n").unwrap();
}

fn small_site() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    vetrina::scaffold::init(&t.path().join("s")).unwrap();
    t
}

fn single(dir: &Path, sub: &str) -> String {
    let d = dir.join(sub);
    let e = fs::read_dir(&d).unwrap().next().unwrap().unwrap();
    format!("{sub}/{}/index.it.md", e.file_name().to_string_lossy())
}

/// Control characters in a calendar or XML file, other than the line ends.
fn controls(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(bytes)
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\r' | '\n' | '\t'))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn no_front_matter_puts_script_or_control_characters_in_the_output(
        title in value(), summary in value(), name in value(), event_title in value(),
        platform in value(),
        url in (0..4u8, value()).prop_map(|(how, v)| match how {
            0 => v,
            1 => format!("https://example.org/{v}"),
            _ => "https://example.org/riunione".to_string(),
        }),
    ) {
        let t = small_site();
        let root = t.path().join("s");
        let content = root.join("content");
        let story = format!("content/{}", single(&content, "stories"));
        set(&root, &story, "title:", &yaml(&title));
        set(&root, &story, "summary:", &yaml(&summary));
        set(&root, &story, "display_name:", &yaml(&name));
        let events = "data/events/progetto-di-esempio.yaml";
        set(&root, events, "it:", &yaml(&event_title));
        set(&root, events, "online:", &format!("{{platform: {}, url: {}}}", yaml(&platform), yaml(&url)));
        let mut o = opts(&root);
        o.minify = Some(true);
        let r = vetrina::build(&o);
        if std::env::var_os("VETRINA_PROPTEST_SHOW").is_some() {
            eprintln!("built: {} url={url:?}", r.ok());
        }
        if !r.ok() {
            // Refused: every problem is reported at a file, and nothing was written.
            prop_assert!(!root.join("public/index.html").exists());
            return Ok(());
        }
        let out = root.join("public");
        let found = active_content_in(&out);
        prop_assert!(found.is_empty(), "{found:#?}");
        for (path, bytes) in tree(&out) {
            let p = path.display().to_string();
            if p.ends_with(".ics") || p.ends_with(".xml") {
                prop_assert!(!controls(&bytes), "control character in {p}");
            }
            if p.ends_with(".ics") {
                // Every line is a property of its own: a title cannot start one.
                let text = String::from_utf8_lossy(&bytes);
                let lines: Vec<&str> = text.split("\r\n").collect();
                let begins = lines.iter().filter(|l| **l == "BEGIN:VEVENT").count();
                let ends = lines.iter().filter(|l| **l == "END:VEVENT").count();
                let summaries = lines.iter().filter(|l| l.starts_with("SUMMARY")).count();
                prop_assert_eq!(begins, ends, "{}", p);
                prop_assert_eq!(begins, summaries, "{}", p);
                prop_assert!(!text.replace("\r\n", "").contains(['\r', '\n']), "{}", p);
            }
        }
    }
}
