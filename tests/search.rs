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
    // Words found nowhere but outside the indexed element: before it, and after it.
    let base = t.path().join("themes/default/templates/base.html");
    let html = fs::read_to_string(&base).unwrap();
    let html = html
        .replace(
            "<header class=\"site-header\">",
            "<header class=\"site-header\"><p>Zanzibarra</p>",
        )
        .replace("</main>", "</main><p>Quokkaland</p>");
    fs::write(&base, html).unwrap();
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
    let index = read_index(&out, "it");
    assert!(
        !index.pages_of("puoi").is_empty(),
        "the project sheets are indexed"
    );
    let html = read(&out, "progetti/puoi/index.html");
    assert!(html.contains("Zanzibarra") && html.contains("Quokkaland"));
    for lang in ["it", "en"] {
        let index = read_index(&out, lang);
        for outside_main in ["zanzibarra", "quokkaland"] {
            assert!(
                index.pages_of(outside_main).is_empty(),
                "{lang}: {outside_main} is indexed"
            );
        }
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

/// A language's index read back from its files.
struct ReadIndex {
    /// (url, title) by page number.
    pages: Vec<(String, String)>,
    /// Word -> its stem.
    stems: std::collections::HashMap<String, String>,
    /// Stem -> the pages it is on.
    postings: std::collections::HashMap<String, Vec<usize>>,
}

impl ReadIndex {
    /// The pages a folded word is on.
    fn pages_of(&self, word: &str) -> Vec<usize> {
        self.stems
            .get(word)
            .and_then(|stem| self.postings.get(stem))
            .cloned()
            .unwrap_or_default()
    }

    fn page(&self, url: &str) -> usize {
        self.pages
            .iter()
            .position(|p| p.0 == url)
            .unwrap_or_else(|| panic!("{url} is not indexed"))
    }
}

fn read_index(out: &std::path::Path, lang: &str) -> ReadIndex {
    let dir = out.join("search-index").join(lang);
    let json = |name: &str| -> serde_json::Value {
        serde_json::from_str(&fs::read_to_string(dir.join(name)).unwrap()).unwrap()
    };
    let meta = json("index.json");
    let mut index = ReadIndex {
        pages: Vec::new(),
        stems: Default::default(),
        postings: Default::default(),
    };
    for file in meta["docs"].as_array().unwrap() {
        for entry in json(file.as_str().unwrap()).as_array().unwrap() {
            let (url, title) = (entry[0].as_str().unwrap(), entry[1].as_str().unwrap());
            index.pages.push((url.to_string(), title.to_string()));
        }
    }
    for run in meta["words"].as_array().unwrap() {
        for pair in json(run[1].as_str().unwrap()).as_array().unwrap() {
            let word = pair[0].as_str().unwrap().to_string();
            let stem = match pair[1].as_str().unwrap() {
                "" => word.clone(),
                s => s.to_string(),
            };
            index.stems.insert(word, stem);
        }
    }
    for run in meta["stems"].as_array().unwrap() {
        for (stem, list) in json(run[1].as_str().unwrap()).as_object().unwrap() {
            // [page, score…], or ["f", page, score, words…] for a stem of several words.
            let list = list.as_array().unwrap();
            let pages: Vec<usize> = if list.first().is_some_and(|f| f == "f") {
                list[1..]
                    .iter()
                    .step_by(3)
                    .map(|p| p.as_u64().unwrap() as usize)
                    .collect()
            } else {
                list.iter()
                    .step_by(2)
                    .map(|p| p.as_u64().unwrap() as usize)
                    .collect()
            };
            index.postings.insert(stem.clone(), pages);
        }
    }
    index
}

#[test]
fn hubs_are_found_by_their_own_text_not_by_the_stories_they_list() {
    let t = demo_copy();
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    let index = read_index(&out, "it");
    // A story's title, listed on its project sheet and on its region's hub.
    let story = index.page("/storie/dal-tirocinio-in-cucina-al-contratto/");
    let title = index.pages[story].1.clone();
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
    // Were the lists indexed, each word of the title would be on both hubs.
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
        .collect();
    assert!(words.len() >= 4, "{words:?}");
    for w in &words {
        assert!(
            index.pages_of(w).contains(&story),
            "{w} is not on the story"
        );
    }
    for hub in ["/progetti/puoi/", region_url.as_str()] {
        let hub = index.page(hub);
        let on_hub = words.iter().filter(|w| index.pages_of(w).contains(&hub));
        assert!(
            on_hub.count() < words.len(),
            "{} is indexed by a story it lists",
            index.pages[hub].0
        );
    }
    // The hub keeps its own words: the project's name.
    let sheet = index.page("/progetti/puoi/");
    assert!(index.pages_of("puoi").contains(&sheet));
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

/// What each indexed page of the demo says of itself for the search page's filters, as the
/// index holds it, and the choices the search page offers: a story is in one section,
/// region and project; a project sheet names itself; a region hub its region; the search
/// page offers every section, the twenty regions and every project.
#[test]
fn the_index_holds_each_page_s_section_regions_and_projects_for_the_filters() {
    let t = demo_copy();
    let r = vetrina::build(&opts(t.path()));
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    let projects: Vec<String> = fs::read_dir(t.path().join("content/projects"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(projects.len() >= 4);
    let dir = out.join("search-index/it");
    let json = |name: &str| -> serde_json::Value {
        serde_json::from_str(&fs::read_to_string(dir.join(name)).unwrap()).unwrap()
    };
    let meta = json("index.json");
    let f = &meta["facets"];
    let names = |k: &str| -> Vec<String> {
        f[k].as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let (sections, regions, project_keys) = (names("section"), names("region"), names("project"));
    assert_eq!(
        sections,
        ["events", "news", "pages", "projects", "regions", "stories"]
    );
    assert_eq!(regions.len(), 20, "every region has its hub");
    let mut sorted = projects.clone();
    sorted.sort();
    assert_eq!(project_keys, sorted);
    let index = read_index(&out, "it");
    let mut seen = 0;
    for (page, (url, title)) in index.pages.iter().enumerate() {
        let set = &f["sets"][f["pages"][page].as_u64().unwrap() as usize];
        let section = &sections[set[0].as_i64().unwrap() as usize];
        let of = |i: usize, list: &[String]| -> Vec<String> {
            set[i]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| list[n.as_u64().unwrap() as usize].clone())
                .collect()
        };
        let (rs, ps) = (of(1, &regions), of(2, &project_keys));
        // The page says so in its own <main>.
        let html =
            fs::read_to_string(out.join(url.trim_start_matches('/')).join("index.html")).unwrap();
        let main = &html[html.find("<main").unwrap()..];
        let main = &main[..main.find('>').unwrap()];
        assert!(
            main.contains(&format!("data-search-section=\"{section}\"")),
            "{url}: {main}"
        );
        if url.starts_with("/storie/") {
            assert_eq!(
                (section.as_str(), rs.len(), ps.len()),
                ("stories", 1, 1),
                "{url}"
            );
            seen += 1;
        } else if let Some(key) = url.strip_prefix("/progetti/") {
            assert_eq!(section, "projects", "{url}");
            assert_eq!(ps, [key.trim_end_matches('/')], "{url}");
            assert!(!rs.is_empty(), "{url} ({title}) names no region");
            seen += 1;
        } else if let Some(key) = url.strip_prefix("/regioni/") {
            assert_eq!(
                (section.as_str(), rs),
                ("regions", vec![key.trim_end_matches('/').to_string()])
            );
            seen += 1;
        }
    }
    assert!(seen >= 20 + 4 + 3, "{seen} pages checked");

    // The search page: every section, region and project as a choice, and the order.
    let html = fs::read_to_string(out.join("cerca/index.html")).unwrap();
    for id in [
        "search-section",
        "search-region",
        "search-project",
        "search-year",
        "search-sort",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    for key in sections.iter().chain(&regions).chain(&project_keys) {
        assert!(html.contains(&format!("<option value=\"{key}\">")), "{key}");
    }
    assert!(html.contains("name=\"regione\"") && html.contains("name=\"progetto\""));
    assert!(html.contains("name=\"ordine\"") && html.contains("<option value=\"date\">"));
}
