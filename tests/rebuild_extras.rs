//! The files made beside the pages (feeds, calendars, the sitemap, the files of story cards,
//! the open data) after an edit of what a story's cards show (its title): `vetrina build`
//! and `vetrina serve`'s builder make again only those that show the story in the edited
//! language, keep the others as they are, and leave the output as a full build makes it.
//!
//! A file changed by hand to bytes of the same length, its time put back, tells which were
//! kept: only a file taken as the last build left it keeps those bytes.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

/// The demo's story whose English title the tests edit: in the PUOI project, in Apulia.
const STORY: &str = "content/stories/dalla-comunita-alla-serra/index.en.md";
const TITLE: &str = "title: \"From a youth care home to the greenhouse\"";

/// Files that show the story's English card: made again after its English title changed.
const SHOWING: &[&str] = &[
    "en/stories/cards.json",
    "en/feed.xml",
    "en/projects/puoi/feed.xml",
    "en/regions/apulia/feed.xml",
];

/// Files that do not: the other languages' cards (French and Arabic show the Italian
/// text), feeds of other languages and places, the sitemap, calendars, the open data.
const NOT_SHOWING: &[&str] = &[
    "storie/cards.json",
    "fr/recits/cards.json",
    "feed.xml",
    "progetti/puoi/feed.xml",
    "en/regions/veneto/feed.xml",
    "sitemap.xml",
    "en/events/calendar.ics",
    "opendata/projects.csv",
];

/// The demo with two stories a list page, so that each language's list has a file of cards.
fn demo_with_paged_lists() -> tempfile::TempDir {
    let t = demo_copy();
    edit(
        t.path(),
        "site.yaml",
        "stories_per_page: 12",
        "stories_per_page: 2",
    );
    t
}

/// Marks every file of `SHOWING` and `NOT_SHOWING` in `out` by hand; returns each file's
/// bytes and time before.
fn mark_all(out: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    (SHOWING.iter().chain(NOT_SHOWING))
        .map(|rel| {
            let path = out.join(rel);
            let before = fs::read(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let time = fs::metadata(&path).unwrap().modified().unwrap();
            mark_by_hand(&path);
            (path, before, time)
        })
        .collect()
}

/// Asserts that the files that show the story were made again with its new `title`, and
/// that the others keep what was marked; then puts the marked bytes back as they were.
fn assert_only_those_showing_it_made(
    out: &Path,
    marked: Vec<(PathBuf, Vec<u8>, std::time::SystemTime)>,
    title: &str,
) {
    for (path, before, time) in marked {
        let now = fs::read(&path).unwrap();
        let rel = path
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if SHOWING.contains(&rel.as_str()) {
            let text = String::from_utf8_lossy(&now);
            assert!(text.contains(title), "{rel} shows the new title");
        } else {
            assert!(now.ends_with(b"<!--x-->"), "{rel} was made again");
            fs::write(&path, &before).unwrap();
            let f = fs::File::options().write(true).open(&path).unwrap();
            f.set_modified(time).unwrap();
        }
    }
}

#[test]
fn a_title_edit_makes_again_only_the_feeds_and_card_files_that_show_the_story() {
    let t = demo_with_paged_lists();
    let root = t.path();
    let out = root.join("public");
    let r = build(root);
    assert!(r.ok(), "{}", rendered(&r));
    let marked = mark_all(&out);
    edit(
        root,
        STORY,
        TITLE,
        "title: \"A greenhouse after the care home\"",
    );
    let r = build(root);
    assert!(r.ok(), "{}", rendered(&r));
    assert!(r.extras_kept >= NOT_SHOWING.len(), "kept {}", r.extras_kept);
    assert_only_those_showing_it_made(&out, marked, "A greenhouse after the care home");
    assert_same_as_uncached(root, &out, "after an English title edit");

    // The summary too is on the cards and in the feeds.
    let marked = mark_all(&out);
    let summary = line_of(root, STORY, |l| l.starts_with("summary:"));
    let text = read(root, STORY);
    let line = text.lines().nth(summary - 1).unwrap().to_string();
    edit(
        root,
        STORY,
        &line,
        "summary: \"A new summary, written for this test.\"",
    );
    let r = build(root);
    assert!(r.ok(), "{}", rendered(&r));
    assert_only_those_showing_it_made(&out, marked, "A new summary, written for this test.");
    assert_same_as_uncached(root, &out, "after an English summary edit");
}

#[test]
fn serve_makes_again_only_the_feeds_and_card_files_that_show_the_story() {
    let t = demo_with_paged_lists();
    let root = t.path();
    let mut o = opts(root);
    o.output = Some(root.join("public-serve"));
    o.cache_dir = Some(root.join(".cache-serve"));
    let out = root.join("public-serve");
    let mut served = vetrina::Builder::new(o);
    let build_and_index = |served: &mut vetrina::Builder| {
        let (r, job) = served.build_pages();
        assert!(r.ok(), "{}", rendered(&r));
        let mut job = job.expect("a search job");
        served.ready(&mut job);
        (job.index(&|| false).expect("an index").write()).expect("the index written");
        r
    };
    build_and_index(&mut served);
    assert!(build(root).ok());
    // Serve writes only the files whose bytes changed: what it kept is counted.
    let marked = mark_all(&out);
    edit(
        root,
        STORY,
        TITLE,
        "title: \"Greenhouse work after the care home\"",
    );
    served.forget(Some(&[root.join(STORY)]));
    let r = build_and_index(&mut served);
    assert_only_those_showing_it_made(&out, marked, "Greenhouse work after the care home");
    assert_same_as_uncached(root, &out, "serve, after an English title edit");
    let built = build(root);
    assert!(built.ok(), "{}", rendered(&built));
    assert!(
        built.extras_kept >= NOT_SHOWING.len(),
        "vetrina build kept {}",
        built.extras_kept
    );
    assert_eq!(
        r.extras_kept, built.extras_kept,
        "serve keeps what build keeps"
    );
}
