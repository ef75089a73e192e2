//! The demo site end to end: it builds and checks clean, has the pages of SPEC §4 in every
//! language, the facts the issue names, and a failed build never touches the last output.
//! The tests of one behaviour of a build (failed builds, output replaced, drafts) start from
//! the small `story-ok` fixture site (tests/fixtures/) rather than the demo.

mod common;

use common::*;
use std::fs;

/// The story's page in the output of the `story-ok` fixture site.
const FIXTURE_STORY_PAGE: &str = "storie/un-percorso-di-esempio/index.html";
/// A news item a test adds to the fixture site.
const NEWS: &str = "content/news/una-notizia/index.it.md";

#[test]
fn demo_site_checks_clean() {
    let r = check(&demo_root());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.diagnostics.warnings().count(), 0, "{}", rendered(&r));
    let langs: Vec<&str> = r.pages.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(langs, ["it", "en", "fr", "ar"]);
}

#[test]
fn demo_site_pages_and_facts() {
    let t = demo_copy();
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    // The demo sets `cms:`: the admin is published, and nothing else of the site (sitemap,
    // feeds, calendars, search index, pages) points at it.
    for p in ["admin/index.html", "admin/config.yml", "admin/decap-cms.js"] {
        assert!(out.join(p).is_file(), "{p}");
    }
    for (path, bytes) in tree(&out) {
        if !path.starts_with("admin") {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains("/admin/") && !text.contains("admin/index"),
                "{}",
                path.display()
            );
        }
    }
    for p in [
        "index.html",
        "404.html",
        "progetti/index.html",
        "progetti/puoi/index.html",
        "progetti/prima-il-lavoro/index.html",
        "progetti/faro/index.html",
        "progetti/parti/index.html",
        "en/projects/puoi/index.html",
        "en/projects/prima-il-lavoro/index.html",
        "en/projects/faro/index.html",
        "en/projects/parti/index.html",
        "fr/projets/puoi/index.html",
        "ar/projects/puoi/index.html",
        "storie/index.html",
        "storie/dal-tirocinio-in-cucina-al-contratto/index.html",
        "storie/dal-tirocinio-in-cucina-al-contratto/cover-960.jpg",
        "en/stories/dal-tirocinio-in-cucina-al-contratto/index.html",
        "notizie/index.html",
        "en/news/index.html",
        "eventi/index.html",
        "eventi/focus-group-lombardia-2021/index.html",
        "en/events/focus-group-lombardia-2021/index.html",
        "regioni/index.html",
        "regioni/lombardia/index.html",
        "en/regions/lombardy/index.html",
        "fr/regions/lombardie/index.html",
        "regioni/valle-d-aosta/index.html",
        "fr/regions/vallee-d-aoste/index.html",
        "dichiarazione-di-accessibilita/index.html",
        "en/accessibility/index.html",
        "en/404.html",
    ] {
        assert!(out.join(p).is_file(), "missing {p}");
    }
    let regions = fs::read_dir(out.join("regioni"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert_eq!(regions, 20);

    let puoi = read(&out, "progetti/puoi/index.html");
    assert!(puoi.contains("5.940 EUR"), "the PUOI sheet shows the dote");
    assert!(
        puoi.contains("4.776"),
        "the PUOI sheet shows the paths started"
    );
    let puoi_en = read(&out, "en/projects/puoi/index.html");
    assert!(puoi_en.contains("5,940 EUR"));
    let prima = read(&out, "progetti/prima-il-lavoro/index.html");
    assert!(prima.contains("PROG-2443") && prima.contains("F84D18000300006"));

    let ev = read(&out, "eventi/focus-group-lombardia-2021/index.html");
    assert!(
        ev.contains("13 luglio 2021 alle ore 14:30–17:00 (Europe/Rome)"),
        "event time in Italian, as CLDR writes a time range"
    );
    let ev_en = read(&out, "en/events/focus-group-lombardia-2021/index.html");
    assert!(ev_en.contains("13 July 2021 at 14:30\u{2009}–\u{2009}17:00 (Europe/Rome)"));
    let foggia = read(&out, "eventi/incontro-foggia-2023/index.html");
    assert!(
        foggia.contains("28 marzo 2023") && !foggia.contains("28 marzo 2023,"),
        "no invented time"
    );

    // Every page has <html lang dir>, the EU statement before <main>, and the accessibility link
    // (the editing tool at /admin/ is no page of the site: tests/browser/cms.mjs checks it).
    for (path, bytes) in tree(&out) {
        if path.extension().is_none_or(|e| e != "html") || path.starts_with("admin") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let p = path.to_string_lossy();
        let lang = if p.starts_with("en/") {
            "en"
        } else if p.starts_with("fr/") {
            "fr"
        } else if p.starts_with("ar/") {
            "ar"
        } else {
            "it"
        };
        let dir = if lang == "ar" { "rtl" } else { "ltr" };
        assert!(
            html.contains(&format!("<html lang=\"{lang}\" dir=\"{dir}\">")),
            "{p}: <html lang dir>"
        );
        let band = html
            .find("class=\"eu-band\"")
            .unwrap_or_else(|| panic!("{p}: no EU band"));
        let main = html
            .find("<main")
            .unwrap_or_else(|| panic!("{p}: no <main>"));
        assert!(band < main, "{p}: the EU band must come before <main>");
        let statement = match lang {
            "it" => "Cofinanziato dall&#39;Unione europea",
            "fr" => "Cofinancé par l&#39;Union européenne",
            _ => "Co-funded by the European Union",
        };
        assert!(
            html[band..main].contains(statement),
            "{p}: EU statement in the band"
        );
        assert!(
            html.contains("Dichiarazione di accessibilità"),
            "{p}: accessibility statement link"
        );
        assert_eq!(html.matches("<h1").count(), 1, "{p}: one h1");
    }
    let ar = read(&out, "ar/index.html");
    assert!(
        ar.contains("بتمويل مشترك من الاتحاد الأوروبي"),
        "Arabic line beside the statement"
    );
}

#[test]
fn translations_fallback_and_alternates() {
    let t = demo_copy();
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    // A story written in it and en only: the French page exists, says so, and marks the text.
    let fr = read(
        &out,
        "fr/recits/dal-tirocinio-in-cucina-al-contratto/index.html",
    );
    assert!(fr.contains("notice--fallback"));
    assert!(
        fr.contains("lang=\"it\""),
        "the untranslated block carries its language"
    );
    assert!(
        !fr.contains("hreflang=\"fr\" href"),
        "a fallback is not an alternate"
    );
    let it = read(
        &out,
        "storie/dal-tirocinio-in-cucina-al-contratto/index.html",
    );
    assert!(it.contains(r#"<link rel="alternate" hreflang="en" href="https://vetrina.example.org/en/stories/dal-tirocinio-in-cucina-al-contratto/">"#));
    assert!(it.contains(r#"hreflang="x-default""#));
    // The language switcher goes to the same page in each language.
    assert!(
        it.contains(
            r#"href="../../en/stories/dal-tirocinio-in-cucina-al-contratto/index.html" lang="en""#
        ),
        "switcher"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let t = fixture("story-ok");
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    let before = tree(&out);
    assert!(out.join(FIXTURE_STORY_PAGE).is_file());
    edit(
        t.path(),
        "content/projects/progetto-esempio/index.it.md",
        "status: ongoing",
        "status: finished",
    );
    write(
        t.path(),
        "content/news/nuova/index.it.md",
        "---\ntitle: Nuova\ndate: 2026-01-01\nsummary: x\n---\nTesto\n",
    );
    let r = build(t.path());
    assert!(!r.ok());
    assert_eq!(
        tree(&out),
        before,
        "the output changed after a failed build"
    );
    let leftovers = staging_folders(t.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The staging folders a build left in `dir` (the folder that holds its output).
fn staging_folders(dir: &std::path::Path) -> Vec<std::ffi::OsString> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("staging"))
        .collect()
}

#[test]
fn a_build_that_fails_while_rendering_leaves_the_output_as_it_was() {
    // Pages are staged beside the output as they are rendered; when a later page fails,
    // what was staged is thrown away and the published site is not touched.
    let t = fixture("story-ok");
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    let before = tree(&out);
    assert!(out.join(FIXTURE_STORY_PAGE).is_file());
    edit(
        t.path(),
        "content/projects/progetto-esempio/index.it.md",
        "title: \"Progetto",
        "title: \"Aggiornato — Progetto",
    );
    edit(
        t.path(),
        "themes/default/templates/story.html",
        "{{ story.card.summary }}</p>",
        "{{ story.card.no_such_field }}</p>",
    );
    let r = build(t.path());
    assert!(!r.ok());
    let all = rendered(&r);
    assert!(
        all.contains("--> themes/default/templates/story.html:"),
        "{all}"
    );
    assert_eq!(
        tree(&out),
        before,
        "the output changed after a failed build"
    );
    let leftovers = staging_folders(t.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A first build that fails the same way publishes nothing at all.
    let fresh = tempfile::tempdir().unwrap();
    let mut o = opts(t.path());
    o.output = Some(fresh.path().join("public"));
    assert!(!vetrina::build(&o).ok());
    assert!(!fresh.path().join("public").exists());
    let leftovers = staging_folders(fresh.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_successful_build_replaces_the_output_completely() {
    let t = fixture("story-ok");
    write(
        t.path(),
        NEWS,
        "---\ntitle: Una notizia\ndate: 2026-01-01\nsummary: x\n---\nTesto\n",
    );
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    assert!(out.join("notizie/una-notizia/index.html").is_file());
    fs::write(out.join("stale.html"), "old").unwrap();
    fs::remove_dir_all(t.path().join("content/news/una-notizia")).unwrap();
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(!out.join("stale.html").exists());
    assert!(!out.join("notizie/una-notizia").exists());
    assert!(out.join(FIXTURE_STORY_PAGE).is_file());
    // The result is exactly what a fresh build produces.
    let fresh = tempfile::tempdir().unwrap();
    let mut o = opts(t.path());
    o.output = Some(fresh.path().join("public"));
    assert!(vetrina::build(&o).ok());
    assert_eq!(tree(&out), tree(&fresh.path().join("public")));
}

#[test]
fn a_rebuild_rewrites_only_what_changed() {
    let t = demo_copy();
    assert!(build(t.path()).ok());
    let r = build(t.path());
    assert_eq!(
        (r.files_written, r.files_removed),
        (0, 0),
        "nothing changed, nothing written"
    );
    assert!(r.files_unchanged > 190);
    edit(
        t.path(),
        "content/news/puoi-duemila-nuovi-percorsi/index.it.md",
        "title: \"PUOI",
        "title: \"Aggiornato — PUOI",
    );
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(
        r.files_written > 0 && r.files_written < 40,
        "written {}",
        r.files_written
    );
}

/// Asserts that the output `out` of the site at `root` is, file for file and byte for byte,
/// what a build into an empty folder gives.
fn assert_same_as_fresh(root: &std::path::Path, out: &std::path::Path, step: &str) {
    let fresh = tempfile::tempdir().unwrap();
    let mut o = opts(root);
    o.output = Some(fresh.path().join("public"));
    assert!(vetrina::build(&o).ok());
    assert_same_tree(out, &fresh.path().join("public"), step);
}

#[test]
fn a_rebuild_after_text_edits_is_a_fresh_build_even_with_pages_changed_by_hand() {
    let t = demo_copy();
    let out = t.path().join("public");
    assert!(build(t.path()).ok());
    let story = "content/stories/dalla-comunita-alla-serra/index.it.md";
    let other = out.join("storie/un-laboratorio-che-apre-le-porte/index.html");
    let same_as_fresh = |step: &str| assert_same_as_fresh(t.path(), &out, step);
    // Only a text changed: the pages that do not show it are taken as they are.
    let append = |text: &str| {
        let p = t.path().join(story);
        let s = fs::read_to_string(&p).unwrap();
        fs::write(&p, format!("{s}\n{text}\n")).unwrap();
    };
    append("Una frase aggiunta dopo la pubblicazione.");
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    same_as_fresh("a text edited");
    // Another story's page changed by hand, and one removed, with the next text edit: both
    // are made again.
    fs::write(&other, "<p>changed by hand</p>").unwrap();
    fs::remove_file(out.join("en/stories/un-laboratorio-che-apre-le-porte/index.html")).unwrap();
    append("E un'altra.");
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    same_as_fresh("pages changed by hand");
    // The feed changed by hand: the files beside the pages are made again.
    fs::write(out.join("feed.xml"), "<feed/>").unwrap();
    append("Ancora una.");
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    same_as_fresh("a feed changed by hand");
    // A front matter changed too: every page's context is compared again.
    edit(t.path(), story, "title: \"", "title: \"Nuovo — ");
    append("E l'ultima.");
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    same_as_fresh("a title edited");
}

#[test]
fn a_rebuild_takes_the_search_index_of_unchanged_pages_from_the_last_build() {
    let t = demo_copy();
    let out = t.path().join("public");
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.search_recalled, 0, "a first build has nothing to take");
    let indexed = r.search_urls.len();
    // The memo's files: its list, and a record per language.
    let memo_files = || -> (Vec<std::path::PathBuf>, Vec<std::path::PathBuf>) {
        fs::read_dir(t.path().join(".vetrina-cache"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("search-")
            })
            .partition(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .matches('-')
                    .count()
                    == 1
            })
    };
    let (lists, records) = memo_files();
    assert_eq!(lists.len(), 1, "one memo for the output folder");
    assert_eq!(records.len(), 4, "a record per language: {records:?}");
    let memo = &lists[0];
    let same_as_fresh = |step: &str| assert_same_as_fresh(t.path(), &out, step);
    let story = "content/stories/dalla-comunita-alla-serra/index.it.md";
    let append = |text: &str| {
        let p = t.path().join(story);
        let s = fs::read_to_string(&p).unwrap();
        fs::write(&p, format!("{s}\n{text}\n")).unwrap();
    };

    // One story's text: every other indexed page comes from the memo, not read back.
    append("Una frase nuova, con parole mai viste: zanzibarese e tirocinanti.");
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.search_recalled, indexed - 1, "all but the story's page");
    same_as_fresh("a text edited");

    // A page changed by hand is rendered again, so indexed from its new bytes.
    let other = out.join("storie/un-laboratorio-che-apre-le-porte/index.html");
    fs::write(&other, "<p>changed by hand</p>").unwrap();
    append("E un'altra.");
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.search_recalled, indexed - 2);
    same_as_fresh("a page changed by hand");

    // A memo altered (or cut short, or written by another program) is no memo: every
    // page is read back, and the index is the same.
    let mut bytes = fs::read(memo).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    fs::write(memo, bytes).unwrap();
    append("Ancora una.");
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.search_recalled, 0);
    same_as_fresh("an altered memo");

    // A title: the pages that show the story's card are rendered, the rest taken.
    edit(t.path(), story, "title: \"", "title: \"Nuovo — ");
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(r.search_recalled > 0 && r.search_recalled < indexed);
    same_as_fresh("a title edited");

    // A build without search leaves no memo behind.
    edit(t.path(), "site.yaml", "title:", "search: false\ntitle:");
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(
        !memo.exists(),
        "the memo of an index no longer made is removed"
    );
    assert_eq!(
        memo_files().1,
        Vec::<std::path::PathBuf>::new(),
        "with its records"
    );
}

/// The files of the search index in the output, under the folder of language `lang`.
fn index_files_of(out: &std::path::Path, lang: &str) -> usize {
    fs::read_dir(out.join("search-index").join(lang))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_type().unwrap().is_file())
        .count()
}

#[test]
fn a_rebuild_keeps_the_index_files_of_the_languages_whose_pages_did_not_change() {
    let t = demo_copy();
    let out = t.path().join("public");
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.search_files_kept, 0, "a first build has nothing to keep");
    let files_of = |langs: &[&str]| langs.iter().map(|l| index_files_of(&out, l)).sum::<usize>();
    let same_as_fresh = |step: &str| assert_same_as_fresh(t.path(), &out, step);
    let append = |story: &str, text: &str| {
        let p = t.path().join(story);
        let s = fs::read_to_string(&p).unwrap();
        fs::write(&p, format!("{s}\n{text}\n")).unwrap();
    };
    let italian = "content/stories/dalla-comunita-alla-serra/index.it.md";

    // An Italian text: the other languages' files are kept as they are.
    append(italian, "Una frase nuova: zanzibarese.");
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.search_files_kept, files_of(&["en", "fr", "ar"]));
    same_as_fresh("an Italian text edited");

    // A file of the English index changed by hand, one of the French removed: those two
    // languages are made again, and the files put back.
    let english = out.join("search-index/en/index.json");
    fs::write(&english, "{}").unwrap();
    let french = fs::read_dir(out.join("search-index/fr"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("s."))
        .expect("a file of stems in the French index");
    fs::remove_file(&french).unwrap();
    append(italian, "E un'altra.");
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.search_files_kept, files_of(&["ar"]));
    same_as_fresh("index files changed by hand");

    // An English text: now the Italian files are kept.
    let english_story = "content/stories/dalla-comunita-alla-serra/index.en.md";
    append(english_story, "One more sentence: zanzibarese.");
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.search_files_kept, files_of(&["it", "fr", "ar"]));
    same_as_fresh("an English text edited");

    // Nothing changed in any language's pages but the memo is gone: every file is made.
    let cache = t.path().join(".vetrina-cache");
    for e in fs::read_dir(&cache).unwrap() {
        let p = e.unwrap().path();
        if p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("search-")
        {
            fs::remove_file(p).unwrap();
        }
    }
    append(italian, "Ancora una.");
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.search_files_kept, 0);
    same_as_fresh("no memo");
}

#[test]
fn after_an_edit_of_stories_only_the_other_stories_pages_are_taken_without_their_context() {
    let t = demo_copy();
    let out = t.path().join("public");
    assert!(build_own_cache(t.path()).ok());
    // Another story's page, changed by hand to bytes of the same length with its time put
    // back: only a page taken as the last build left it, without building its context or
    // reading it, keeps these bytes.
    let other = out.join("storie/un-laboratorio-che-apre-le-porte/index.html");
    let published = fs::read(&other).unwrap();
    let time = fs::metadata(&other).unwrap().modified().unwrap();
    let mut marked = published.clone();
    let at = marked.len() - 8;
    marked[at..].copy_from_slice(b"<!--x-->");
    let mark = |bytes: &[u8]| {
        fs::write(&other, bytes).unwrap();
        fs::File::options()
            .write(true)
            .open(&other)
            .unwrap()
            .set_modified(time)
            .unwrap();
    };
    mark(&marked);

    // A story's title: its card changes on lists and hubs, no other story's page.
    let story = "content/stories/dalla-comunita-alla-serra/index.it.md";
    edit(t.path(), story, "title: \"", "title: \"Nuovo — ");
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(fs::read(&other).unwrap() == marked, "taken as it was");
    let page = out.join("storie/dalla-comunita-alla-serra/index.html");
    assert!(fs::read_to_string(&page).unwrap().contains("Nuovo — "));

    // A project's title is on every page of its stories: they are all made again.
    edit(
        t.path(),
        "content/projects/puoi/index.it.md",
        "title: \"PUOI",
        "title: \"Il progetto PUOI",
    );
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(fs::read(&other).unwrap() != marked, "made again");
    assert_same_as_fresh(t.path(), &out, "a project's title edited");
}

#[test]
fn after_an_edit_of_what_a_story_card_shows_only_the_pages_with_its_card_are_made_again() {
    let t = demo_copy();
    let out = t.path().join("public");
    assert!(build_own_cache(t.path()).ok());
    let slug = "dalla-comunita-alla-serra";
    // The region hubs of a language: those that show the story's card, and the others.
    let shows = |p: &std::path::Path| fs::read_to_string(p).unwrap().contains(slug);
    let hubs = |folder: &str| -> (Vec<std::path::PathBuf>, Vec<std::path::PathBuf>) {
        fs::read_dir(out.join(folder))
            .unwrap()
            .map(|e| e.unwrap().path().join("index.html"))
            .filter(|p| p.exists())
            .partition(|p| shows(p))
    };
    let (with, others) = hubs("regioni");
    let with_card = with.first().expect("a hub with the card").clone();
    let without = others.first().expect("a hub without it").clone();
    // The story is written in Italian and English: the English hub shows the English card,
    // the French one the Italian card (no French text).
    let english_with_card = hubs("en/regions")
        .0
        .first()
        .expect("an English hub")
        .clone();
    let french_with_card = hubs("fr/regions").0.first().expect("a French hub").clone();
    // Each changed by hand to bytes of the same length, its time put back: only a page
    // taken as the last build left it, without building its context, keeps them.
    let mark = |page: &std::path::Path| mark_by_hand(page);
    let marked_with = mark(&with_card);
    let marked_without = mark(&without);
    let marked_english = mark(&english_with_card);
    let marked_french = mark(&french_with_card);

    // The title and the summary: what the card shows.
    let story = format!("content/stories/{slug}/index.it.md");
    edit(t.path(), &story, "title: \"", "title: \"Nuovo — ");
    edit(
        t.path(),
        &story,
        "summary: \"",
        "summary: \"Riassunto nuovo. ",
    );
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(
        fs::read(&without).unwrap() == marked_without,
        "taken as it was"
    );
    let hub = fs::read(&with_card).unwrap();
    assert!(hub != marked_with, "made again");
    assert!(String::from_utf8_lossy(&hub).contains("Nuovo — "));
    // Only the Italian text was edited: the English card is the same, the French hub shows
    // the Italian one.
    assert!(
        fs::read(&english_with_card).unwrap() == marked_english,
        "the English card did not change: taken as it was"
    );
    let french = fs::read(&french_with_card).unwrap();
    assert!(french != marked_french, "made again");
    assert!(String::from_utf8_lossy(&french).contains("Nuovo — "));
    // Put back as a build writes it, for the comparison with a fresh build.
    fs::remove_file(&without).unwrap();
    fs::remove_file(&english_with_card).unwrap();
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_same_as_fresh(t.path(), &out, "a story's title and summary edited");

    // Its date moves it on the lists: every page's context is built again.
    let marked_without = mark(&without);
    edit(t.path(), &story, "date: 20", "date: 19");
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(fs::read(&without).unwrap() != marked_without, "made again");
    assert_same_as_fresh(t.path(), &out, "a story's date edited");
}

#[test]
fn builds_are_deterministic() {
    let t = demo_copy();
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for d in [&a, &b] {
        let mut o = opts(t.path());
        o.output = Some(d.path().join("out"));
        assert!(vetrina::build(&o).ok());
    }
    assert_eq!(tree(&a.path().join("out")), tree(&b.path().join("out")));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let t = fixture("story-ok");
    write(
        t.path(),
        "content/news/bozza/index.it.md",
        "---\ntitle: Bozza\ndate: 2026-01-01\nsummary: x\ndraft: true\n---\nTesto\n",
    );
    assert!(build(t.path()).ok());
    assert!(t.path().join("public").join(FIXTURE_STORY_PAGE).is_file());
    assert!(!t.path().join("public/notizie/bozza").exists());
    let mut o = opts(t.path());
    o.drafts = true;
    assert!(vetrina::build(&o).ok());
    assert!(t.path().join("public/notizie/bozza/index.html").exists());
}

#[test]
fn published_pages_are_minified_and_the_stylesheet_fingerprinted() {
    let t = demo_copy();
    let mut o = opts(t.path());
    o.minify = None; // as site.yaml says: on
    assert!(vetrina::build(&o).ok());
    let out = t.path().join("public");
    let home = read(&out, "index.html");
    assert!(
        home.starts_with(r#"<!doctype html><html lang="it" dir="ltr"><head>"#),
        "{}",
        &home[..80]
    );
    assert!(!home.contains("\n  <"), "indentation removed");
    let css: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".css"))
        .collect();
    assert_eq!(css.len(), 1);
    let name = &css[0];
    assert!(
        name.starts_with("style.") && name.len() == "style.12345678.css".len(),
        "{name}"
    );
    let hash = blake3::hash(&fs::read(out.join(name)).unwrap()).to_hex();
    assert_eq!(
        &name[6..14],
        &hash[..8],
        "the name carries the content's hash"
    );
    assert!(
        home.contains(&format!(r#"href="{name}""#)),
        "pages refer to the fingerprinted file"
    );
    let story = read(
        &out,
        "storie/dal-tirocinio-in-cucina-al-contratto/index.html",
    );
    assert!(story.contains(&format!(r#"href="../../{name}""#)));
}

/// Elements of HTML's phrasing content: white space beside their tags is shown (a space
/// between words). Beside any other element's tag it starts or ends a line, and is not.
const PHRASING: &[&str] = &[
    "a", "abbr", "audio", "b", "bdi", "bdo", "br", "button", "canvas", "cite", "code", "data",
    "datalist", "del", "dfn", "em", "embed", "i", "iframe", "img", "input", "ins", "kbd", "label",
    "map", "mark", "math", "meter", "object", "output", "picture", "progress", "q", "ruby", "rp",
    "rt", "s", "samp", "select", "slot", "small", "span", "strong", "sub", "sup", "svg",
    "template", "text", "textarea", "time", "tspan", "u", "var", "video", "wbr",
];

/// A page as the document a browser builds of it, and as it shows its text:
/// - every element in order, with its depth and its attributes sorted, and every text node
///   with its runs of white space as one space (as written inside `<pre>`, `<textarea>`,
///   `<script>` and `<style>`);
/// - the text a reader sees: words, the spaces between them, and where a line breaks
///   (at the tag of an element that is not phrasing content).
fn document(html: &[u8]) -> (Vec<String>, String) {
    let doc = scraper::Html::parse_document(&String::from_utf8_lossy(html));
    let mut nodes = Vec::new();
    // The text shown: `\n` where a line may break, ` ` for white space.
    let mut shown = String::new();
    // The elements around the node being read: depth, whether a line breaks at their tags,
    // whether their text is shown as written.
    let mut open: Vec<(usize, bool, bool)> = Vec::new();
    for node in doc.tree.root().descendants() {
        let depth = node.ancestors().count();
        while open.last().is_some_and(|&(d, _, _)| d >= depth) {
            if open.pop().is_some_and(|(_, breaks, _)| breaks) {
                shown.push('\n');
            }
        }
        let as_written = open.last().is_some_and(|&(_, _, w)| w);
        match node.value() {
            scraper::Node::Element(el) => {
                let mut attrs: Vec<String> =
                    el.attrs().map(|(k, v)| format!("{k}={v:?}")).collect();
                attrs.sort();
                nodes.push(format!("{depth} <{} {}>", el.name(), attrs.join(" ")));
                let breaks = !PHRASING.contains(&el.name());
                if breaks {
                    shown.push('\n');
                }
                let as_written =
                    as_written || matches!(el.name(), "pre" | "textarea" | "script" | "style");
                open.push((depth, breaks, as_written));
            }
            scraper::Node::Text(t) => {
                let t: &str = t;
                if as_written {
                    nodes.push(format!("{depth} {t:?}"));
                    shown.push_str(t);
                } else if !t.trim().is_empty() {
                    let words = t.split_whitespace().collect::<Vec<_>>().join(" ");
                    nodes.push(format!("{depth} {words:?}"));
                    if t.starts_with(char::is_whitespace) {
                        shown.push(' ');
                    }
                    shown.push_str(&words);
                    if t.ends_with(char::is_whitespace) {
                        shown.push(' ');
                    }
                } else {
                    shown.push(' ');
                }
            }
            scraper::Node::Comment(c) => {
                let c: &str = c;
                nodes.push(format!("{depth} <!--{c}-->"));
            }
            _ => {}
        }
    }
    // Runs of white space as one space; none where a line breaks, one break for many.
    let mut text = String::new();
    for line in shown.split('\n') {
        let line = line
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>();
        if !line.is_empty() {
            text.push_str(&line.join(" "));
            text.push('\n');
        }
    }
    (nodes, text)
}

/// Pages rendered from the minified templates are the pages of the templates as written:
/// for every page of the demo site, the browser's document of the page as written and of
/// the page from the minified templates has the same elements, attributes and text, and
/// shows the same words with the same spaces between them.
#[test]
fn pages_of_the_minified_templates_are_the_pages_of_the_templates_as_written() {
    let t = demo_copy();
    let mut plain = opts(t.path());
    plain.output = Some(t.path().join("plain"));
    assert!(vetrina::build(&plain).ok());
    let mut small = opts(t.path());
    small.minify = Some(true);
    small.output = Some(t.path().join("small"));
    assert!(vetrina::build(&small).ok());
    let (mut pages, mut written, mut minified) = (0, 0, 0);
    for e in walkdir::WalkDir::new(t.path().join("plain")) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(t.path().join("plain")).unwrap();
        // The admin's page is written by Vetrina, not made from the templates.
        if e.path().extension().is_none_or(|x| x != "html") || rel.starts_with("admin") {
            continue;
        }
        let a = fs::read(e.path()).unwrap();
        let b = fs::read(t.path().join("small").join(rel)).unwrap();
        let ((na, ta), (nb, tb)) = (document(&a), document(&b));
        if na != nb {
            let at = na
                .iter()
                .zip(&nb)
                .position(|(x, y)| x != y)
                .unwrap_or(na.len().min(nb.len()));
            panic!(
                "{}: the minified templates made another page, at node {at}:\n{:?}\n---\n{:?}",
                rel.display(),
                &na[at.saturating_sub(3)..(at + 3).min(na.len())],
                &nb[at.saturating_sub(3)..(at + 3).min(nb.len())],
            );
        }
        if ta != tb {
            let at = ta
                .chars()
                .zip(tb.chars())
                .position(|(x, y)| x != y)
                .unwrap_or(0);
            let around = |s: &str| {
                s.chars()
                    .skip(at.saturating_sub(60))
                    .take(120)
                    .collect::<String>()
            };
            panic!(
                "{}: the minified templates show another text, at character {at}:\n{:?}\n---\n{:?}",
                rel.display(),
                around(&ta),
                around(&tb),
            );
        }
        pages += 1;
        written += a.len();
        minified += b.len();
    }
    eprintln!("{pages} pages: as written {written} bytes, from the minified templates {minified}");
    assert!(pages > 150, "{pages} pages");
    // On the demo site: 4.5 % smaller than as written (Markdown's HTML is not minified,
    // values stay in quotes).
    assert!(
        minified * 100 < written * 97,
        "pages {minified} bytes, as written {written}"
    );
}

#[test]
fn a_build_with_nothing_changed_does_nothing() {
    let t = demo_copy();
    let out = t.path().join("public");
    let r = build(t.path());
    assert!(r.ok() && !r.nothing_changed);
    let before = tree(&out);

    let r = build(t.path());
    assert!(r.nothing_changed, "same sources, options and output");
    assert_eq!(r.files_written, 0);
    assert_eq!(r.files_unchanged, before.len());
    assert_eq!(tree(&out), before);

    // Any change of sources, options or output means a real build.
    let index = out.join("index.html");
    std::fs::remove_file(&index).unwrap();
    let r = build(t.path());
    assert!(!r.nothing_changed && r.ok());
    assert!(index.exists(), "a deleted output file is written again");
    assert!(build(t.path()).nothing_changed);
    // A file put there by hand: removed by the next build, whose record (made from what its
    // write saw, without walking the output again) is of the output as it left it.
    let by_hand = out.join("storie/a-mano.html");
    std::fs::write(&by_hand, "x").unwrap();
    let r = build(t.path());
    assert!(!r.nothing_changed && r.ok());
    assert!(!by_hand.exists());
    assert!(build(t.path()).nothing_changed);

    let mut o = opts(t.path());
    o.today = Some("2026-12-01".parse().unwrap());
    assert!(!vetrina::build(&o).nothing_changed, "another build date");

    edit(
        t.path(),
        "site.yaml",
        "stories_per_page: 12",
        "stories_per_page: 11",
    );
    let r = build(t.path());
    assert!(!r.nothing_changed && r.ok());
    assert!(build(t.path()).nothing_changed);
    // A build with warnings (a story taken down) is never skipped: its warnings show each time.
    edit(
        t.path(),
        "content/stories/dal-tirocinio-in-cucina-al-contratto/index.en.md",
        "withdrawn: false",
        "withdrawn: true",
    );
    let r = build_own_cache(t.path());
    assert!(r.ok() && r.diagnostics.warnings().count() == 1);
    let r = build_own_cache(t.path());
    assert!(!r.nothing_changed && r.diagnostics.warnings().count() == 1);
}

#[test]
fn a_rebuild_renders_again_only_the_pages_whose_context_changed() {
    let t = demo_copy();
    let public = t.path().join("public");
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.pages_kept, 0, "a first build has nothing to take");
    let total: usize = r.pages.iter().map(|(_, n)| n).sum();

    // One story's Italian text changes: its page is rendered again, not the site.
    edit(
        t.path(),
        "content/stories/dal-tirocinio-in-cucina-al-contratto/index.it.md",
        "Tre elementi fanno la differenza",
        "Tre cose fanno la differenza",
    );
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    // Its Italian page, and its French and Arabic pages, which show the Italian text (the
    // story has no translation into those).
    assert_eq!(
        total - r.pages_kept,
        3,
        "only the pages that show the story's text"
    );
    let page = public.join("storie/dal-tirocinio-in-cucina-al-contratto/index.html");
    assert!(
        fs::read_to_string(&page)
            .unwrap()
            .contains("Tre cose fanno")
    );

    // A published page changed by hand is rendered again and put right.
    fs::write(&page, "changed by hand").unwrap();
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(total - r.pages_kept, 1, "only the page changed by hand");

    // The result is byte for byte what a build from nothing gives.
    let clean = tempfile::tempdir().unwrap();
    let mut o = opts(t.path());
    o.output = Some(clean.path().join("out"));
    let r = vetrina::build(&o);
    assert!(
        r.ok() && r.pages_kept == 0,
        "another output folder, no record"
    );
    assert_eq!(tree(&public), tree(&clean.path().join("out")));

    // Another template: every page is rendered.
    let base = t.path().join("themes/default/templates/base.html");
    let mut text = fs::read_to_string(&base).unwrap();
    text.push_str("{# changed #}\n");
    fs::write(&base, text).unwrap();
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.pages_kept, 0, "templates changed: nothing is taken");
}

/// The records a build keeps for the next build into the same output are found whatever way
/// the output's path is written: through a link, with `..`, with `./`, or relative to
/// another folder (a publishing script and an author's terminal may write it differently).
#[cfg(unix)]
#[test]
fn a_rebuild_takes_the_last_build_whatever_way_the_output_is_written() {
    let t = demo_copy();
    let root = t.path();
    let with_output = |output: std::path::PathBuf| {
        let mut o = opts_own_cache(root);
        o.output = Some(output);
        vetrina::build(&o)
    };
    let r = with_output(root.join("public"));
    assert!(r.ok() && r.pages_kept == 0, "{}", rendered(&r));
    let total: usize = r.pages.iter().map(|(_, n)| n).sum();

    // Nothing changed: known as such through a link to the site and a `..`.
    std::os::unix::fs::symlink(root, root.join("link")).unwrap();
    let r = with_output(root.join("link/content/../public"));
    assert!(r.ok() && r.nothing_changed, "{}", rendered(&r));

    // One text changed: only the pages that show it are rendered again.
    edit(
        root,
        "content/stories/dal-tirocinio-in-cucina-al-contratto/index.it.md",
        "Tre elementi fanno la differenza",
        "Tre cose fanno la differenza",
    );
    let r = with_output(root.join("./data/../public/"));
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(total - r.pages_kept, 3, "the story's three pages alone");

    // The command line, run in the site's folder and then from elsewhere with the site's
    // whole path: the second build renders the edited story's pages alone.
    let cli = |dir: &std::path::Path, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_vetrina"))
            .current_dir(dir)
            .args(["build", "--now", "2026-11-25"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        // The report goes to the terminal's error stream, beside the problems found.
        String::from_utf8(out.stderr).unwrap() + &String::from_utf8(out.stdout).unwrap()
    };
    let first = cli(root, &[]);
    assert!(!first.contains("unchanged since the last build"), "{first}");
    edit(
        root,
        "content/stories/dal-tirocinio-in-cucina-al-contratto/index.it.md",
        "Tre cose fanno",
        "Tre cose contano",
    );
    let whole = root.canonicalize().unwrap();
    let second = cli(&root.join("content"), &["--root", whole.to_str().unwrap()]);
    let unchanged = format!("{} of them unchanged since the last build", total - 3);
    assert!(second.contains(&unchanged), "{second}");
}

/// The `<a>` tag of `html` whose attributes hold `rel="{rel}"`.
fn link_with_rel<'h>(html: &'h str, rel: &str) -> Option<&'h str> {
    let want = format!("rel=\"{rel}\"");
    html.split("<a ")
        .skip(1)
        .map(|t| &t[..t.find('>').unwrap_or(t.len())])
        .find(|t| t.contains(&want))
}

#[test]
fn a_list_of_stories_over_several_pages_is_linked_from_its_first() {
    // The fixture's story and four more like it, two a page: three pages.
    let t = fixture("story-ok");
    let story = read(
        t.path(),
        "content/stories/un-percorso-di-esempio/index.it.md",
    );
    for n in 2..=5 {
        let other = story
            .replace(
                "\"Un percorso di esempio\"",
                &format!("\"Percorso numero {n}\""),
            )
            .replace("ESEMPIO-0001", &format!("ESEMPIO-000{n}"));
        assert_ne!(other, story);
        write(
            t.path(),
            &format!("content/stories/percorso-{n}/index.it.md"),
            &other,
        );
    }
    edit(
        t.path(),
        "site.yaml",
        "privacy_page:",
        "stories_per_page: 2\nprivacy_page:",
    );
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    for n in [
        "storie/index.html",
        "storie/2/index.html",
        "storie/3/index.html",
    ] {
        assert!(out.join(n).is_file(), "{n}");
    }
    // The menu and every link to "the stories" reach the first page, not the last.
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains("href=\"storie/index.html\""),
        "home links the first list page"
    );
    assert!(!home.contains("storie/3/"), "home links the last list page");
    let second = std::fs::read_to_string(out.join("storie/2/index.html")).unwrap();
    let prev = link_with_rel(&second, "prev").expect("a link to the previous page");
    let next = link_with_rel(&second, "next").expect("a link to the next page");
    assert!(prev.contains("href=\"../index.html\""), "{prev}");
    assert!(next.contains("href=\"../3/index.html\""), "{next}");
    let first = std::fs::read_to_string(out.join("storie/index.html")).unwrap();
    assert!(link_with_rel(&first, "prev").is_none());
    assert!(
        link_with_rel(&first, "next")
            .unwrap()
            .contains("href=\"2/index.html\"")
    );
}

/// Moves the demo's story `dalla-comunita-alla-serra` in Italian to a slug of its own,
/// `la-serra` (its page then is `storie/la-serra/`).
fn give_the_serra_story_a_slug(root: &std::path::Path) {
    edit(
        root,
        "content/stories/dalla-comunita-alla-serra/index.it.md",
        "title: \"Dalla comunità per minori alla serra\"",
        "title: \"Dalla comunità per minori alla serra\"\nslug: la-serra",
    );
}

#[test]
fn a_rebuild_after_a_story_is_added_takes_the_pages_that_do_not_show_it() {
    let t = demo_copy();
    let out = t.path().join("public");
    assert!(build(t.path()).ok());
    // Another story's page, changed by hand to bytes of the same length with its time put
    // back: only a page taken as the last build left it, without building its context,
    // keeps these bytes.
    let other = out.join("storie/un-laboratorio-che-apre-le-porte/index.html");
    let mark = || mark_by_hand(&other);
    let marked = mark();
    // A new story with its pictures (a copy of another's folder): the site's addresses
    // change, yet a page whose context is the same and whose templates look no address up
    // is taken as it is, and the other stories' pages without building their contexts (a
    // story's page shows no other story).
    copy(
        &t.path().join("content/stories/dalla-comunita-alla-serra"),
        &t.path().join("content/stories/una-serra-in-piu"),
    );
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(r.pages_kept > 0, "nothing kept after a story was added");
    assert!(
        fs::read(&other).unwrap() == marked,
        "taken without its context"
    );
    assert!(out.join("storie/una-serra-in-piu/index.html").is_file());
    // Put back as a build writes it, for the comparison with a fresh build.
    fs::remove_file(&other).unwrap();
    assert!(build(t.path()).ok());
    assert_same_as_fresh(t.path(), &out, "a story added");
    let marked = mark();
    fs::remove_dir_all(t.path().join("content/stories/una-serra-in-piu")).unwrap();
    let r = build(t.path());
    assert!(r.ok() && r.pages_kept > 0, "{}", rendered(&r));
    assert!(
        fs::read(&other).unwrap() == marked,
        "taken without its context"
    );
    assert!(!out.join("storie/una-serra-in-piu").exists());
    fs::remove_file(&other).unwrap();
    assert!(build(t.path()).ok());
    assert_same_as_fresh(t.path(), &out, "a story removed");
    // A story moved (a slug of its own): the pages that link it hold its address in their
    // context, and are made again; the others are taken.
    give_the_serra_story_a_slug(t.path());
    let r = build(t.path());
    assert!(r.ok() && r.pages_kept > 0, "{}", rendered(&r));
    assert!(out.join("storie/la-serra/index.html").is_file());
    assert_same_as_fresh(t.path(), &out, "a story moved");
}

#[test]
fn a_page_whose_template_looks_an_address_up_is_rendered_again_when_it_moves() {
    let t = demo_copy();
    let out = t.path().join("public");
    // The site's footer links to one story by `url()`: every page shows its address, though
    // no page's context holds it.
    let footer = read(t.path(), "themes/default/templates/partials/footer.html");
    write(
        t.path(),
        "templates/partials/footer.html",
        &footer.replacen(
            "</footer>",
            "<p><a href=\"{{ url(kind='story', key='dalla-comunita-alla-serra') }}\">Serra</a></p></footer>",
            1,
        ),
    );
    assert!(build(t.path()).ok());
    let privacy = fs::read_to_string(out.join("privacy/index.html")).unwrap();
    assert!(
        privacy.contains("dalla-comunita-alla-serra/"),
        "the link is there"
    );
    // The story's Italian address changes: every page is made again with the new one.
    give_the_serra_story_a_slug(t.path());
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let privacy = fs::read_to_string(out.join("privacy/index.html")).unwrap();
    assert!(privacy.contains("storie/la-serra/"), "{privacy}");
    assert_same_as_fresh(t.path(), &out, "an address looked up changed");
}
