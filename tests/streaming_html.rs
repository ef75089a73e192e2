//! The published pages as a streaming HTML tool reads them. Pagefind, link checkers and HTML
//! rewriters such as lol_html read a page as a stream of tags with a stack of open elements
//! that an element leaves only at its own end tag: none of the end tags a browser infers
//! (`</head>` before `<body>`, `</p>` before a block, `</li>` before the next `<li>`). A page
//! that leaves one out is another document to them: without `</head>` Pagefind finds no body
//! and indexes nothing; without the `</p>` of a `<p data-search-ignore>` the rest of the page
//! is inside what is ignored.
//!
//! The demo site is built minified, as published, and every page is read by such a reader
//! (written here, strict: a mismatched or missing end tag is an error, not something to
//! repair). Every element must be closed by its own end tag, and the document it reads must
//! be the document a browser builds (html5ever, through `scraper`).

mod common;
use common::*;

use std::fs;
use std::path::Path;

/// Elements that have no content and no end tag.
const VOID: [&str; 13] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];
/// Elements whose content is text up to their own end tag.
const RAW_TEXT: [&str; 4] = ["script", "style", "textarea", "title"];

/// What the strict reader learnt of a page.
#[derive(Debug, Default)]
struct Read {
    /// Every element, in document order, with its depth (the `<html>` element at 1).
    elements: Vec<(usize, String)>,
    /// The byte offsets of the `</head>` end tags.
    head_ends: Vec<usize>,
    /// Elements marked `data-search-ignore`, each closed by its own end tag.
    ignored_closed: usize,
}

/// The open element: its name and whether it is marked `data-search-ignore`.
struct Open {
    name: String,
    ignored: bool,
}

/// Reads `html` as a strict streaming parser does. `Err` names the first end tag that does not
/// close the element open at that point, or the elements still open at the end.
fn read_strictly(html: &str) -> Result<Read, String> {
    let b = html.as_bytes();
    let mut read = Read::default();
    let mut stack: Vec<Open> = Vec::new();
    let mut i = 0;
    let around = |at: usize| {
        let (mut from, mut to) = (at.saturating_sub(60), (at + 60).min(html.len()));
        while !html.is_char_boundary(from) {
            from -= 1;
        }
        while !html.is_char_boundary(to) {
            to += 1;
        }
        html[from..to].to_string()
    };
    let name_at = |from: usize| -> (String, usize) {
        let len = b[from..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b':')
            .count();
        (html[from..from + len].to_ascii_lowercase(), from + len)
    };
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i + 4..]
                .find("-->")
                .map(|e| i + 4 + e + 3)
                .ok_or_else(|| format!("a comment left open: {}", around(i)))?;
        } else if b.get(i + 1) == Some(&b'!') || b.get(i + 1) == Some(&b'?') {
            i = html[i..].find('>').map_or(b.len(), |e| i + e + 1);
        } else if b.get(i + 1) == Some(&b'/') && b.get(i + 2).is_some_and(u8::is_ascii_alphabetic) {
            let (name, end) = name_at(i + 2);
            let Some(open) = stack.pop() else {
                return Err(format!("</{name}> with no element open: {}", around(i)));
            };
            if open.name != name {
                return Err(format!(
                    "</{name}> where <{}> is open (its end tag left out): {}",
                    open.name,
                    around(i)
                ));
            }
            if name == "head" {
                read.head_ends.push(i);
            }
            read.ignored_closed += usize::from(open.ignored);
            i = html[end..].find('>').map_or(b.len(), |e| end + e + 1);
        } else if b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            let (name, mut j) = name_at(i + 1);
            // The attributes, quoted values read whole (they may hold `>`).
            let mut ignored = false;
            let mut self_closing = false;
            loop {
                while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                    j += 1;
                }
                match b.get(j) {
                    None => return Err(format!("<{name} left open at the end")),
                    Some(b'>') => break,
                    Some(b'/') if b.get(j + 1) == Some(&b'>') => {
                        self_closing = true;
                        j += 1;
                        break;
                    }
                    _ => {}
                }
                let start = j;
                while b
                    .get(j)
                    .is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b'=' | b'>'))
                {
                    j += 1;
                }
                // A lone `/` between attributes is nothing.
                j = j.max(start + 1);
                ignored |= &html[start..j] == "data-search-ignore";
                while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                    j += 1;
                }
                if b.get(j) != Some(&b'=') {
                    continue;
                }
                j += 1;
                while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                    j += 1;
                }
                match b.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        j = html[j + 1..]
                            .find(q as char)
                            .map(|e| j + 1 + e + 1)
                            .ok_or_else(|| format!("a value left open: {}", around(i)))?;
                    }
                    _ => {
                        while b
                            .get(j)
                            .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'>')
                        {
                            j += 1;
                        }
                    }
                }
            }
            i = j + 1;
            read.elements.push((stack.len() + 1, name.clone()));
            let foreign = stack.iter().any(|o| o.name == "svg" || o.name == "math");
            if VOID.contains(&name.as_str()) || (self_closing && foreign) {
                continue;
            }
            if self_closing {
                return Err(format!("<{name}/> is not closed in HTML: {}", around(i)));
            }
            if RAW_TEXT.contains(&name.as_str()) {
                // Up to its own end tag, which the next round reads.
                let close = format!("</{name}");
                i = html[i..]
                    .to_ascii_lowercase()
                    .find(&close)
                    .map(|e| i + e)
                    .ok_or_else(|| format!("<{name}> with no end tag: {}", around(i)))?;
            }
            stack.push(Open { name, ignored });
        } else {
            i += 1;
        }
    }
    if !stack.is_empty() {
        let open: Vec<&str> = stack.iter().map(|o| o.name.as_str()).collect();
        return Err(format!("still open at the end: {open:?}"));
    }
    Ok(read)
}

/// Every element of the document a browser builds of `html`, in order, with its depth.
fn browser_elements(html: &str) -> Vec<(usize, String)> {
    let doc = scraper::Html::parse_document(html);
    doc.tree
        .root()
        .descendants()
        .filter_map(|n| {
            let el = n.value().as_element()?;
            Some((n.ancestors().count(), el.name().to_string()))
        })
        .collect()
}

fn html_pages(dir: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn the_strict_reader_sees_what_a_browser_infers_as_errors() {
    let ok = read_strictly(
        "<!doctype html><html><head><title>a<b</title></head><body><p class=\"x>y\">a</p>\
         <svg><path d=\"M0\"/></svg><br><script>if (a</b) {}</script></body></html>",
    )
    .unwrap();
    assert_eq!(ok.head_ends.len(), 1);
    assert_eq!(ok.elements.len(), 9, "{:?}", ok.elements);
    // What browsers (and minifiers) leave implied, a streaming reader cannot follow.
    for bad in [
        "<html><head><title>a</title><body></body></html>",
        "<ul><li>a<li>b</ul>",
        "<main><p data-search-ignore>a<section>b</section></main>",
        "<p>a",
        "<div/>",
    ] {
        assert!(read_strictly(bad).is_err(), "{bad}");
    }
}

/// Every page of the demo site, minified as published, closes every element with its own end
/// tag (`</head>` once, before `<body>`; every `<p>`, `<li>`, `<dt>`, `<dd>`, `<td>`…), and so
/// a streaming reader builds the same document as a browser; what is marked
/// `data-search-ignore` ends where the browser ends it.
#[test]
fn every_published_page_closes_its_elements_for_streaming_readers() {
    let t = demo_copy();
    let mut o = opts(t.path());
    o.minify = None; // as site.yaml says: on, as published
    let out = t.path().join("public");
    o.output = Some(out.clone());
    let report = vetrina::build(&o);
    assert!(report.ok(), "{}", rendered(&report));
    let pages = html_pages(&out);
    assert!(pages.len() > 150, "{} pages", pages.len());
    let mut failures = Vec::new();
    let mut ignored = 0;
    for (rel, html) in &pages {
        let read = match read_strictly(html) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{rel}: {e}"));
                continue;
            }
        };
        match &read.head_ends[..] {
            [at] if html[*at + "</head>".len()..]
                .trim_start()
                .starts_with("<body") => {}
            ends => failures.push(format!(
                "{rel}: {} `</head>`, not before <body>",
                ends.len()
            )),
        }
        let browser = browser_elements(html);
        if read.elements != browser {
            let at = read
                .elements
                .iter()
                .zip(&browser)
                .position(|(a, b)| a != b)
                .unwrap_or(read.elements.len().min(browser.len()));
            failures.push(format!(
                "{rel}: the streaming reader's document differs from the browser's at element \
                 {at}: {:?} / {:?}",
                read.elements.get(at),
                browser.get(at)
            ));
        }
        ignored += read.ignored_closed;
    }
    assert!(
        failures.is_empty(),
        "{} of {} pages:\n{}",
        failures.len(),
        pages.len(),
        failures.join("\n")
    );
    // The demo marks feed and calendar links, tag lists and story lists so.
    assert!(ignored > 100, "{ignored} data-search-ignore elements");
}
