//! Search: an index per language written by the build, a search page per language with the
//! site's interface strings, and only the pages that should be found in it. How the browser
//! reads the index is checked by tests/conformance (search_runtime.mjs and axe.mjs).

mod common;
use common::*;
use std::fs;

const LANG_PAGES: [(&str, &str); 4] = [
    ("it", "cerca/index.html"),
    ("en", "en/search/index.html"),
    ("fr", "fr/recherche/index.html"),
    ("ar", "ar/search/index.html"),
];

#[test]
fn every_language_has_a_search_page_and_an_index() {
    let t = demo_copy();
    let mut o = opts(t.path());
    o.minify = Some(true);
    let r = vetrina::build(&o);
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");

    // One index per language, with the page counts the build reports, every file it names
    // published, and nothing else in its folder.
    let mut codes: Vec<&str> = r.search_pages.iter().map(|(l, _)| l.as_str()).collect();
    codes.sort();
    assert_eq!(codes, ["ar", "en", "fr", "it"]);
    for (lang, n) in &r.search_pages {
        let dir = out.join("search-index").join(lang);
        let meta: serde_json::Value = serde_json::from_str(&read(&dir, "index.json")).unwrap();
        assert_eq!(meta["pages"].as_u64(), Some(*n as u64), "{lang}");
        assert_eq!(meta["lang"], lang.as_str());
        let mut named = vec!["index.json".to_string()];
        for key in ["words", "stems"] {
            for run in meta[key].as_array().unwrap() {
                named.push(run[1].as_str().unwrap().to_string());
            }
        }
        let docs = meta["docs"].as_array().unwrap();
        let per_doc = meta["per_doc"].as_u64().unwrap() as usize;
        assert_eq!(docs.len(), n.div_ceil(per_doc), "{lang}");
        named.extend(docs.iter().map(|d| d.as_str().unwrap().to_string()));
        named.sort();
        let mut there: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        there.sort();
        assert_eq!(named, there, "{lang}");
    }
    assert!(out.join("search-index/search.js").exists());

    // Only the main content of a page is indexed, never the header or footer.
    let index = search_index_text(&out);
    assert!(index.contains("PUOI"), "the project sheets are indexed");
    for outside_main in [
        "Vai al contenuto",
        "Ultimo aggiornamento",
        "Skip to content",
    ] {
        assert!(!index.contains(outside_main), "{outside_main} is indexed");
    }

    for (lang, file) in LANG_PAGES {
        let page = read(&out, file);
        assert!(
            page.contains(&format!("lang={lang}")) || page.contains(&format!("lang=\"{lang}\""))
        );
        assert!(page.contains("role=search"), "{file}");
        assert!(page.contains("for=search-q"), "{file}");
        // The script is the theme's, under its fingerprinted name, linked relatively.
        let script = page
            .split("src=")
            .filter_map(|s| s.split(['>', ' ']).next())
            .find(|s| s.contains("search."))
            .unwrap_or_else(|| panic!("{file} loads no search script"))
            .trim_matches('"');
        assert!(!script.starts_with('/'), "{script}");
        let resolved = std::path::Path::new(file).parent().unwrap().join(script);
        let name = resolved.file_name().unwrap().to_string_lossy().to_string();
        assert!(name.starts_with("search.") && name.len() == "search.12345678.js".len());
        assert!(
            fs::read_dir(&out)
                .unwrap()
                .any(|e| e.unwrap().file_name().to_string_lossy() == name)
        );
    }
    // The interface strings are the site's, in the page's language, with its plural forms.
    let ar = read(&out, "ar/search/index.html");
    assert!(ar.contains("البحث في الموقع"));
    let json = ar
        .split("id=search-strings")
        .nth(1)
        .and_then(|s| s.split_once('>'))
        .and_then(|(_, s)| s.split("</script>").next())
        .unwrap();
    let strings: serde_json::Value = serde_json::from_str(json).unwrap();
    let forms = strings["search_results"].as_object().unwrap();
    assert_eq!(forms.len(), 6, "Arabic has six plural forms: {forms:?}");
    let home = read(&out, "index.html");
    assert!(
        home.contains(r#"href="cerca/index.html">Cerca</a>"#),
        "the menu links to search"
    );
}

#[test]
fn fallback_pages_lists_and_404s_are_not_indexed() {
    let t = demo_copy();
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let urls = &r.search_urls;
    assert!(urls.iter().any(|u| u == "/progetti/puoi/"));
    assert!(urls.iter().any(|u| u.starts_with("/en/stories/")));
    // Stories are written in Italian and English only: the French pages show Italian text.
    assert!(
        !urls.iter().any(|u| u.starts_with("/fr/recits/")),
        "{urls:?}"
    );
    for not in ["/", "/storie/", "/404.html", "/cerca/", "/en/"] {
        assert!(!urls.iter().any(|u| u == not), "{not} is indexed");
    }
    let fr_story = fs::read_dir(t.path().join("public/fr/recits"))
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.path().join("index.html").exists())
        .unwrap();
    let html = fs::read_to_string(fr_story.path().join("index.html")).unwrap();
    assert!(!html.contains("data-search-body"));
    let it_story = read(&t.path().join("public"), "progetti/puoi/index.html");
    assert!(it_story.contains("data-search-body"));
}

/// The `[url, title, text]` entries of a language's index, from its files of titles and texts.
fn indexed_texts(out: &std::path::Path, lang: &str) -> Vec<(String, String, String)> {
    let dir = out.join("search-index").join(lang);
    let meta: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    let mut entries = Vec::new();
    for file in meta["docs"].as_array().unwrap() {
        let run: Vec<(String, String, String)> =
            serde_json::from_str(&fs::read_to_string(dir.join(file.as_str().unwrap())).unwrap())
                .unwrap();
        entries.extend(run);
    }
    entries
}

#[test]
fn hubs_are_found_by_their_own_text_not_by_the_stories_they_list() {
    let t = demo_copy();
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    let texts = indexed_texts(&out, "it");
    let text_of = |url: &str| {
        texts
            .iter()
            .find(|e| e.0 == url)
            .unwrap_or_else(|| panic!("{url} is not indexed"))
            .2
            .clone()
    };
    // A story's title, listed on its project sheet and on its region's hub.
    let story = texts
        .iter()
        .find(|e| e.0 == "/storie/dal-tirocinio-in-cucina-al-contratto/")
        .expect("the story is indexed");
    let title = &story.1;
    let sheet = read(&out, "progetti/puoi/index.html");
    assert!(sheet.contains(title.as_str()), "the sheet lists the story");
    let region = fs::read_dir(out.join("regioni"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("index.html"))
        .find(|p| p.exists() && fs::read_to_string(p).unwrap().contains(title.as_str()))
        .expect("a region hub lists the story");
    let region_url = format!(
        "/regioni/{}/",
        region
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
    );
    for hub in ["/progetti/puoi/", region_url.as_str()] {
        let text = text_of(hub);
        assert!(
            !text.contains(title.as_str()),
            "{hub} is indexed by a story it lists"
        );
        assert!(!text.is_empty(), "{hub} has text of its own");
    }
    // The hub keeps its own words: the project's name.
    assert!(text_of("/progetti/puoi/").contains("PUOI"));
}

#[test]
fn interface_strings_of_search_can_be_overridden() {
    let t = demo_copy();
    write(
        t.path(),
        "data/i18n/en.yaml",
        "search_label: \"What are you looking for?\"\n",
    );
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let page = read(&t.path().join("public"), "en/search/index.html");
    assert!(page.contains("What are you looking for?"));
}

#[test]
fn search_can_be_turned_off() {
    let t = demo_copy();
    edit(
        t.path(),
        "site.yaml",
        "stories_per_page: 12",
        "stories_per_page: 12\nsearch: false",
    );
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    assert!(!out.join("search-index").exists());
    assert!(!out.join("cerca").exists());
    assert!(r.search_urls.is_empty());
    assert!(!read(&out, "index.html").contains("cerca/"));
}

#[test]
fn no_search_leaves_the_index_out_of_one_build() {
    let t = demo_copy();
    let run = |extra: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_vetrina"))
            .args(["build", "--root"])
            .arg(t.path())
            .args(["--now", "2026-11-25"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let out = t.path().join("public");
    run(&["--no-search"]);
    assert!(!out.join("search-index").exists());
    assert!(!out.join("cerca").exists());
    assert!(out.join("storie/index.html").exists());
    // The next build without the option is not taken for "nothing changed".
    run(&[]);
    assert!(out.join("search-index/it/index.json").exists());
    let page = read(&out, "cerca/index.html");
    assert!(page.contains("../search-index/search.js"), "{page}");
    assert!(page.contains("../search-index/it/index.json"), "{page}");
}

#[test]
fn a_one_story_edit_changes_only_its_language_and_the_index_is_deterministic() {
    let t = demo_copy();
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    let index = |dir: &std::path::Path, lang: &str| tree(&dir.join("search-index").join(lang));
    let before: Vec<_> = ["it", "en", "fr", "ar"].map(|l| index(&out, l)).into();
    assert!(!search_index_text(&out).contains("girasole"));

    // One Italian text changes: the other languages' files are the same bytes.
    let story = t
        .path()
        .join("content/stories/dal-tirocinio-in-cucina-al-contratto/index.it.md");
    let mut text = fs::read_to_string(&story).unwrap();
    text.push_str("\nUna frase aggiunta dal test, con la parola girasole.\n");
    fs::write(&story, text).unwrap();
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(search_index_text(&out).contains("girasole"));
    assert_ne!(index(&out, "it"), before[0]);
    for (i, lang) in ["en", "fr", "ar"].iter().enumerate() {
        assert_eq!(index(&out, lang), before[i + 1], "{lang}");
    }

    // The same index as a build that has never seen the site.
    let fresh_out = tempfile::tempdir().unwrap();
    let mut fresh = opts(t.path());
    fresh.cache_dir = Some(fresh_out.path().join("cache"));
    fresh.output = Some(fresh_out.path().join("site"));
    let r = vetrina::build(&fresh);
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(
        tree(&out.join("search-index")),
        tree(&fresh_out.path().join("site/search-index"))
    );
}
