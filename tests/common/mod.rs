//! Shared helpers of the end-to-end tests: copy the demo site (or a part of it), or one of the
//! small fixture sites of tests/fixtures/, into a temporary folder, change a file, build, and
//! read the output and the diagnostics.
#![allow(dead_code)]

pub mod http;

use std::fs;
use std::path::{Path, PathBuf};

use vetrina::{BuildOptions, Date, Report};

/// The repository root, which is also the demo site.
pub fn demo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The build date of the tests, so that consent expiry and events do not depend on the day.
pub fn test_date() -> Date {
    "2026-11-25".parse().unwrap()
}

/// A copy of the demo site's sources in a temporary folder.
pub fn demo_copy() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    for part in ["site.yaml", "content", "data", "themes"] {
        copy(&demo_root().join(part), &t.path().join(part));
    }
    t
}

/// The fixture sites: small sites under tests/fixtures/, one feature or one mistake each.
pub fn fixtures_root() -> PathBuf {
    demo_root().join("tests/fixtures")
}

/// A copy of the fixture site `tests/fixtures/<name>` in a temporary folder, with the demo's
/// theme as `themes/default`, so that a fixture holds only the files its case needs. A file
/// the fixture has under `themes/default/` replaces the demo theme's file of that name (a
/// fixture with a broken template carries just that template).
pub fn fixture(name: &str) -> tempfile::TempDir {
    let src = fixtures_root().join(name);
    assert!(src.is_dir(), "no fixture {name} in tests/fixtures");
    let t = tempfile::tempdir().unwrap();
    copy(
        &demo_root().join("themes/default"),
        &t.path().join("themes/default"),
    );
    copy(&src, t.path());
    t
}

/// The diagnostics of a report as [`rendered`] prints them, with the temporary folder's path
/// replaced by `[site]`, so that the text is the same on every run (for snapshots).
pub fn rendered_in(r: &Report, root: &Path) -> String {
    let text = rendered(r);
    let root = root.display().to_string();
    let canonical = root_canonical(Path::new(&root));
    text.replace(&canonical, "[site]").replace(&root, "[site]")
}

fn root_canonical(root: &Path) -> String {
    fs::canonicalize(root)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| root.display().to_string())
}

pub fn copy(src: &Path, dst: &Path) {
    if src.is_dir() {
        fs::create_dir_all(dst).unwrap();
        for e in fs::read_dir(src).unwrap() {
            let e = e.unwrap();
            copy(&e.path(), &dst.join(e.file_name()));
        }
    } else {
        fs::copy(src, dst).unwrap();
    }
}

/// The tests share one picture cache, so that the demo's pictures are processed once per
/// test run rather than once per test.
pub fn shared_cache() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("vetrina-test-cache")
}

pub fn opts(root: &Path) -> BuildOptions {
    let mut o = BuildOptions::new(root);
    o.today = Some(test_date());
    o.cache_dir = Some(shared_cache());
    // Assertions read pages as the templates write them; tests/build.rs checks minified
    // output on its own.
    o.minify = Some(false);
    o
}

/// Options for a build that takes a story down: such a build deletes the story's pictures
/// from the picture cache, so it gets its own, inside the copy; tests running at the same
/// time keep reading the shared one.
pub fn opts_own_cache(root: &Path) -> BuildOptions {
    let mut o = opts(root);
    o.cache_dir = Some(root.join(".vetrina-cache"));
    o
}

pub fn build_own_cache(root: &Path) -> Report {
    vetrina::build(&opts_own_cache(root))
}

pub fn build(root: &Path) -> Report {
    vetrina::build(&opts(root))
}

pub fn check(root: &Path) -> Report {
    vetrina::check(&opts(root))
}

/// All diagnostics rendered as plain text, in report order.
pub fn rendered(r: &Report) -> String {
    r.diagnostics
        .sorted()
        .iter()
        .map(|d| d.render(false))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Replaces `from` with `to` in the file at `rel`; panics if `from` is not there, so that a
/// test cannot silently stop testing what it claims to.
pub fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let p = root.join(rel);
    let s = fs::read_to_string(&p).unwrap();
    assert!(s.contains(from), "{rel} does not contain {from:?}");
    fs::write(&p, s.replacen(from, to, 1)).unwrap();
}

pub fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

pub fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The 1-based number of the first line of `root/rel` that `is_it` picks.
pub fn line_of(root: &Path, rel: &str, is_it: impl Fn(&str) -> bool) -> usize {
    read(root, rel)
        .lines()
        .position(is_it)
        .unwrap_or_else(|| panic!("{rel} has no such line"))
        + 1
}

/// Changes a published page by hand the way no build would notice from its size and time:
/// its last 8 bytes become `<!--x-->`, its length and modification time stay. Only a page
/// taken as the last build left it, without building its context or reading it, keeps
/// these bytes. Returns them.
pub fn mark_by_hand(page: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(page).unwrap();
    let time = std::fs::metadata(page).unwrap().modified().unwrap();
    let at = bytes.len() - 8;
    bytes[at..].copy_from_slice(b"<!--x-->");
    std::fs::write(page, &bytes).unwrap();
    let f = std::fs::File::options().write(true).open(page).unwrap();
    f.set_modified(time).unwrap();
    bytes
}

/// Asserts that the output `out` of the site at `root` is, file for file and byte for byte,
/// what a build into an empty folder, with an empty cache folder, gives: a build that takes
/// nothing from an earlier one (no parse cache, no source snapshot, no ledger).
pub fn assert_same_as_uncached(root: &Path, out: &Path, step: &str) {
    let fresh = tempfile::tempdir().unwrap();
    let mut o = opts_own_cache(root);
    o.output = Some(fresh.path().join("public"));
    o.cache_dir = Some(fresh.path().join("cache"));
    let r = vetrina::build(&o);
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.front_matters_reused, 0);
    assert_eq!(r.sources_reused, 0);
    assert_same_tree(out, &fresh.path().join("public"), step);
}

/// Asserts that the folders `a` and `b` hold the same files, byte for byte; `step` names
/// the moment in the message.
pub fn assert_same_tree(a: &Path, b: &Path, step: &str) {
    let (a, b) = (tree(a), tree(b));
    let names = |t: &[(PathBuf, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "{step}: the same files");
    for ((p, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{step}: {} differs from a fresh build", p.display());
    }
}

/// Every file of a tree with its bytes, for byte-for-byte comparisons.
pub fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push((
                    p.strip_prefix(base).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                ));
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// The single error of a report (fails if there is not exactly one), rendered.
pub fn one_error(r: &Report) -> String {
    let errs: Vec<String> = r.diagnostics.errors().map(|d| d.render(false)).collect();
    assert_eq!(
        errs.len(),
        1,
        "expected one error, got:\n{}",
        errs.join("\n\n")
    );
    errs.into_iter().next().unwrap()
}

/// A file's text; gzip-compressed files are decompressed first, so that a search for a word
/// in the output also searches compressed files.
pub fn readable(bytes: &[u8]) -> String {
    use std::io::Read;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        if flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .is_ok()
        {
            return String::from_utf8_lossy(&out).into_owned();
        }
    }
    String::from_utf8_lossy(bytes).into_owned()
}

/// The decompressed text of every file of the search index.
pub fn search_index_text(out: &Path) -> String {
    tree(&out.join("search-index"))
        .iter()
        .filter(|(p, _)| !p.to_string_lossy().ends_with(".js"))
        .map(|(_, b)| readable(b))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What in a page could run script, load something from another site or change the page's
/// behaviour, found as a browser parses it (html5ever, through scraper): event handler
/// attributes, `javascript:`-like addresses, elements that run or embed, inline styles, and
/// sources from other hosts. The theme's own scripts (a file of the site, or JSON data) pass.
pub fn active_content(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let mut found = Vec::new();
    for node in doc.root_element().descendants() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let name = el.name();
        if matches!(
            name,
            "iframe" | "object" | "embed" | "frame" | "frameset" | "applet" | "base"
        ) {
            found.push(format!("<{name}>"));
        }
        if name == "script" {
            let own_file = el
                .attr("src")
                .is_some_and(|s| !s.contains(':') && !s.starts_with("//"));
            let data = el.attr("type") == Some("application/ld+json")
                || el.attr("type") == Some("application/json");
            if !own_file && !data {
                found.push("<script>".into());
            }
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
            if matches!(
                attr,
                "href" | "src" | "action" | "formaction" | "xlink:href" | "srcset"
            ) && ["javascript:", "vbscript:", "data:"]
                .iter()
                .any(|s| v.starts_with(s))
            {
                found.push(format!("{attr}={value} on <{name}>"));
            }
            if matches!(attr, "src" | "srcset") && (v.contains("://") || v.starts_with("//")) {
                found.push(format!("{attr}={value} (another site) on <{name}>"));
            }
        }
    }
    found
}

/// [`active_content`] of every HTML page of an output folder, with the page's path.
pub fn active_content_in(out: &Path) -> Vec<String> {
    tree(out)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .flat_map(|(p, b)| {
            active_content(&String::from_utf8_lossy(&b))
                .into_iter()
                .map(move |f| format!("{}: {f}", p.display()))
        })
        .collect()
}
