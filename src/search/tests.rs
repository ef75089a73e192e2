//! Tests of the whole index: which pages go in, and what the files hold whatever the order
//! the pages come in. The scanner's and the words' own tests are beside them.

use rayon::prelude::*;

use super::format::{CHUNK_BYTES, FETCH_LIMIT, MAX_EXCERPT_TEXT, utf16_order};
use super::*;

fn route(kind: Kind, lang: &str, path: &str, fallback: bool) -> Route {
    Route::new(kind, lang.into(), path.into(), fallback)
}

#[test]
fn only_pages_with_their_own_text_are_indexed() {
    let story = |lang: &str, path: &str, fallback| {
        indexed(&route(Kind::Story("a".into()), lang, path, fallback))
    };
    assert!(story("it", "/storie/a/", false));
    assert!(!story("fr", "/fr/recits/a/", true));
    assert!(!indexed(&route(
        Kind::StoryList(1),
        "it",
        "/storie/",
        false
    )));
    assert!(!indexed(&route(Kind::Search, "it", "/cerca/", false)));
}

fn page<'a>(r: &'a Route, html: &'a str) -> (&'a Route, Page<'a>) {
    (r, Page::Bytes(html.as_bytes()))
}

fn json(files: &[GeneratedFile], name: &str) -> serde_json::Value {
    let f = files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"));
    serde_json::from_slice(&f.1).unwrap()
}

/// Every entry of a language's runs of `key` (`words` or `stems`), merged.
fn entries(files: &[GeneratedFile], lang: &str, key: &str) -> Vec<(String, serde_json::Value)> {
    let meta = json(files, &format!("{SEARCH_DIR}/{lang}/index.json"));
    let mut out = Vec::new();
    for run in meta[key].as_array().unwrap() {
        let body = json(
            files,
            &format!("{SEARCH_DIR}/{lang}/{}", run[1].as_str().unwrap()),
        );
        match body {
            serde_json::Value::Array(a) => out.extend(
                a.into_iter()
                    .map(|e| (e[0].as_str().unwrap().to_string(), e[1].clone())),
            ),
            serde_json::Value::Object(o) => out.extend(o),
            _ => panic!("{body}"),
        }
    }
    out
}

/// A word's whole entry in the language's runs of words (`[word, stem]` or `[word, stem,
/// its number among its stem's words]`).
fn entries_raw(files: &[GeneratedFile], lang: &str, word: &str) -> serde_json::Value {
    let meta = json(files, &format!("{SEARCH_DIR}/{lang}/index.json"));
    for run in meta["words"].as_array().unwrap() {
        let body = json(
            files,
            &format!("{SEARCH_DIR}/{lang}/{}", run[1].as_str().unwrap()),
        );
        if let Some(e) = body.as_array().unwrap().iter().find(|e| e[0] == word) {
            return e.clone();
        }
    }
    panic!("no {word}")
}

#[test]
fn a_page_that_is_not_utf8_is_indexed_around_the_bad_bytes() {
    let a = route(Kind::Page("a".into()), "it", "/a/", false);
    let html: &[u8] = b"<main data-search-body><h1>Titolo</h1><p>parola \xff\xfe buona</main>";
    let (files, stats) = index([(&a, Page::Bytes(html))].into_iter(), &|| false, false).unwrap();
    assert_eq!(stats.pages, [("it".into(), 1)]);
    let words: Vec<String> = entries(&files, "it", "words")
        .into_iter()
        .map(|(w, _)| w)
        .collect();
    for w in ["titolo", "parola", "buona"] {
        assert!(words.iter().any(|x| x == w), "{w} not in {words:?}");
    }
}

#[test]
fn words_of_one_stem_share_their_pages_and_headings_rank_higher() {
    let a = route(Kind::Page("a".into()), "it", "/a/", false);
    let b = route(Kind::Page("b".into()), "it", "/b/", false);
    let c = route(Kind::Page("c".into()), "ar", "/ar/c/", false);
    let (files, stats) = index(
        [
            page(
                &a,
                "<main data-search-body><h1>Lavoro in cucina</h1><p>Un contratto.</main>",
            ),
            page(
                &b,
                "<main data-search-body><h1>Corsi</h1><p>Lavori e lavoratrici, lavoro.</main>",
            ),
            page(&c, "<main data-search-body><h1>العمل</h1><p>بالعمل</main>"),
        ]
        .into_iter(),
        &|| false,
        false,
    )
    .unwrap();
    assert_eq!(stats.pages, [("it".into(), 2), ("ar".into(), 1)]);
    let words = entries(&files, "it", "words");
    let stem_of = |w: &str| {
        let s = &words.iter().find(|(x, _)| x == w).unwrap().1;
        if s == "" {
            w.to_string()
        } else {
            s.as_str().unwrap().to_string()
        }
    };
    assert_eq!(stem_of("lavori"), stem_of("lavoro"));
    let stems = entries(&files, "it", "stems");
    let pages = &stems
        .iter()
        .find(|(s, _)| *s == stem_of("lavoro"))
        .unwrap()
        .1;
    // A stem of several words ("lavori", "lavoro"): ["f", page, score, words…].
    let list = pages.as_array().unwrap();
    assert_eq!(list[0], "f", "{list:?}");
    let pages: Vec<f64> = list[1..].iter().map(|v| v.as_f64().unwrap()).collect();
    // Page 0 has the word in its title (a negative score says so), page 1 twice in its
    // text: both are found, the title's first; scores are not rounded to whole numbers.
    assert_eq!(pages.len(), 6, "{pages:?}");
    assert_eq!((pages[0], pages[3]), (0.0, 1.0));
    assert!(pages[1] < 0.0 && pages[4] > 0.0, "{pages:?}");
    assert!(-pages[1] > pages[4], "{pages:?}");
    assert!(pages[4].fract() != 0.0, "{pages:?}");
    // Which of the stem's words each page holds, numbered as the words say: page 0 only
    // "lavoro", page 1 both (and "lavoratrici", of the same stem).
    let form = |w: &str| entries_raw(&files, "it", w)[2].as_u64().unwrap() as u32;
    let (lavori, lavoro) = (form("lavori"), form("lavoro"));
    assert_ne!(lavori, lavoro);
    assert_eq!(pages[2] as u32, 1 << lavoro);
    let both = (1 << lavoro) | (1 << lavori);
    assert_eq!(pages[5] as u32 & both, both);
    // Arabic: the article and the preposition are stemmed off, so both words are one.
    let ar = entries(&files, "ar", "words");
    let stems: Vec<String> = ar
        .iter()
        .map(|(w, s)| {
            if s == "" {
                w.clone()
            } else {
                s.as_str().unwrap().to_string()
            }
        })
        .collect();
    assert_eq!(stems.len(), 2);
    assert_eq!(stems[0], stems[1], "{ar:?}");
    // The script that reads the index is published with it.
    assert!(
        files
            .iter()
            .any(|(n, b)| n == "search-index/search.js" && b == RUNTIME.as_bytes())
    );
    let docs = json(&files, &format!("{SEARCH_DIR}/it/index.json"))["docs"].clone();
    let first = json(
        &files,
        &format!("{SEARCH_DIR}/it/{}", docs[0].as_str().unwrap()),
    );
    // A page of ordinary size gives its address, title and the beginning of its text: an
    // excerpt when a word found is in it, else cut from the page itself in the browser.
    assert_eq!(
        first[0],
        serde_json::json!(["/a/", "Lavoro in cucina", "Un contratto."])
    );
}

/// The index of one long page in `lang`: a title, then `n` words made by `word`.
fn long_page(
    lang: &str,
    title: &str,
    n: usize,
    word: impl Fn(usize) -> String,
) -> Vec<GeneratedFile> {
    let mut html = format!("<main data-search-body><h1>{title}</h1><p>");
    for i in 0..n {
        html.push_str(&word(i));
    }
    let a = route(Kind::Page("a".into()), lang, "/a/", false);
    index([page(&a, &html)].into_iter(), &|| false, false)
        .unwrap()
        .0
}

#[test]
fn runs_are_cut_to_size_and_named_by_their_content() {
    let files = long_page("xx", "Parole", 20_000, |i| format!("parola{i} "));
    let meta = json(&files, "search-index/xx/index.json");
    let runs = meta["words"].as_array().unwrap();
    assert!(runs.len() > 3, "{}", runs.len());
    let firsts: Vec<&str> = runs.iter().map(|r| r[0].as_str().unwrap()).collect();
    let mut sorted = firsts.clone();
    sorted.sort_by(|a, b| utf16_order(a, b));
    assert_eq!(firsts, sorted);
    for (name, bytes) in &files {
        if let Some(f) = name.strip_prefix("search-index/xx/w.") {
            assert!(bytes.len() < CHUNK_BYTES + 100, "{name}: {}", bytes.len());
            let hash = blake3::hash(bytes).to_hex();
            assert_eq!(f, format!("{}.json", &hash[..12]));
        }
    }
    // No stemmer for an unknown language: each word is its own stem.
    let words = entries(&files, "xx", "words");
    assert!(words.iter().all(|(_, s)| s == ""));
}

#[test]
fn a_long_page_is_indexed_whole_and_its_excerpt_text_kept_short() {
    // 13 bytes a word: over FETCH_LIMIT, the page comes with its text.
    let n = FETCH_LIMIT / 13 + 100;
    let files = long_page("it", "Elenco", n, |i| format!("voce{i:05} è "));
    let words = entries(&files, "it", "words");
    assert!(words.iter().any(|(w, _)| *w == format!("voce{:05}", n - 1)));
    let meta = json(&files, "search-index/it/index.json");
    let docs = json(
        &files,
        &format!("search-index/it/{}", meta["docs"][0].as_str().unwrap()),
    );
    assert_eq!(docs[0][1], "Elenco");
    assert_eq!(docs[0][3], 1, "the whole text the browser gets");
    let text = docs[0][2].as_str().unwrap();
    assert!(text.len() <= MAX_EXCERPT_TEXT && text.len() > MAX_EXCERPT_TEXT - 8);
    assert!(text.starts_with("voce00000 è voce00001"));
    let files = long_page("it", "Elenco", FETCH_LIMIT / 13 - 100, |i| {
        format!("voce{i:05} è ")
    });
    let meta = json(&files, "search-index/it/index.json");
    let docs = json(
        &files,
        &format!("search-index/it/{}", meta["docs"][0].as_str().unwrap()),
    );
    // Just under the limit, it comes with its first `SHORT_TEXT` bytes only.
    assert_eq!(docs[0][0], "/a/");
    assert_eq!(docs[0][1], "Elenco");
    assert!(docs[0][2].as_str().unwrap().len() <= super::format::SHORT_TEXT);
    assert_eq!(docs[0].as_array().unwrap().len(), 3);
}

#[test]
fn pages_added_in_any_order_from_any_thread_make_the_same_index() {
    // 40 pages in two languages: words shared by many pages, words met first in a late
    // page, and a word written with and without its accent on different pages (French
    // "activité" stems to "activ", "activite" to "activit"), whose form given to the
    // stemmer must be the first page's whatever the order.
    // Enough pages for files of titles complete while rendering and others not.
    const N: usize = 400;
    let routes: Vec<Route> = (0..N)
        .map(|i| {
            let lang = if i % 3 == 0 { "fr" } else { "it" };
            route(
                Kind::Page(format!("p{i}")),
                lang,
                &format!("/{lang}/p{i}/"),
                false,
            )
        })
        .collect();
    let html: Vec<String> = (0..N)
        .map(|i| {
            let word = if i % 2 == 0 { "Activité" } else { "activite" };
            format!(
                "<main data-search-body><h1>Pagina {i} {word}</h1><p>lavoro lavori{} parola{} comune<h2>Esito {}</h2></main>",
                i % 7,
                i * 13 % 40,
                i % 5
            )
        })
        .collect();
    let pages: Vec<(&Route, Page)> = routes
        .iter()
        .zip(&html)
        .map(|(r, h)| (r, Page::Bytes(h.as_bytes())))
        .collect();
    let (expected, _) = index(pages.into_iter(), &|| false, false).unwrap();

    // The same pages, numbered in the same order, but added from back to front on the
    // pool's threads, most of them before `finish` (the files of titles they
    // complete handed to a sink as they are) and the rest by it. Small batches, so that
    // some pages are taken apart while rendering and others wait in a batch for `finish`.
    let ix = Indexer::new(routes.iter()).with_batches_of(4096);
    let sunk: std::sync::Mutex<Vec<(String, Vec<u8>)>> = Default::default();
    let sink = |path: &str, bytes: &[u8]| {
        sunk.lock()
            .unwrap()
            .push((path.to_string(), bytes.to_vec()));
        true
    };
    (0..N)
        .rev()
        .collect::<Vec<usize>>()
        .par_iter()
        .for_each(|&i| {
            // The last pages are left to `finish`: their files are not complete.
            if i < 340 {
                ix.add(&routes[i], html[i].as_bytes(), Some(&sink));
            }
        });
    // A page added twice is taken once.
    ix.add(&routes[1], html[1].as_bytes(), Some(&sink));
    let (got, stats) = ix
        .finish(
            &|r: &Route| {
                let i = routes.iter().position(|x| x.path == r.path).unwrap();
                Page::Bytes(html[i].as_bytes())
            },
            &|| false,
            false,
            None,
        )
        .unwrap();
    assert_eq!(stats.pages, [("fr".into(), 134), ("it".into(), 266)]);
    // Files complete while rendering went to the sink, the others not.
    let sunk = sunk.into_inner().unwrap();
    let mut sunk_paths: Vec<&str> = sunk.iter().map(|f| f.0.as_str()).collect();
    sunk_paths.sort();
    let mut streamed: Vec<&str> = stats.streamed.iter().map(String::as_str).collect();
    streamed.sort();
    assert_eq!(sunk_paths, streamed);
    assert!(!streamed.is_empty());
    assert!(streamed.len() < expected.iter().filter(|f| f.0.contains("/d.")).count());
    assert_eq!(got.len(), expected.len());
    for ((n1, b1), (n2, b2)) in got.iter().zip(&expected) {
        assert_eq!(n1, n2);
        let b1 = match sunk.iter().find(|f| f.0 == *n1) {
            Some(f) => {
                assert!(b1.is_empty(), "{n1} streamed and kept");
                &f.1
            }
            None => b1,
        };
        assert!(b1 == b2, "{n1} differs");
    }
}

#[test]
fn a_cancelled_index_stops() {
    let a = route(Kind::Page("a".into()), "it", "/a/", false);
    let r = index(
        [page(&a, "<main data-search-body>x y</main>")].into_iter(),
        &|| true,
        false,
    );
    assert_eq!(r.unwrap_err(), IndexError::Cancelled);
}

#[test]
fn cancelled_is_asked_between_pages_and_told_from_a_fault() {
    // In the background the pages are read one after the other: a build that starts
    // while the second page is being read stops the index before the third. (On a thread
    // of its own: the background lowers its thread's priority.)
    let routes: Vec<Route> = (0..3)
        .map(|i| route(Kind::Page(format!("p{i}")), "it", &format!("/p{i}/"), false))
        .collect();
    let background = routes.clone();
    let (r, asked) = std::thread::spawn(move || {
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let r = index(
            background
                .iter()
                .map(|r| page(r, "<main data-search-body>parola</main>")),
            &|| asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 2,
            true,
        );
        (r.map(|_| ()), asked.into_inner())
    })
    .join()
    .unwrap();
    assert_eq!(r.unwrap_err(), IndexError::Cancelled);
    assert_eq!(asked, 3);
    // A page that cannot be read back is a fault, with the file named, not a cancellation.
    let missing = std::path::Path::new("/nonexistent/vetrina/page.html");
    let r = index(
        [(&routes[0], Page::File(missing.into()))].into_iter(),
        &|| false,
        false,
    );
    match r.unwrap_err() {
        IndexError::Failed(why) => {
            assert!(
                why.starts_with("cannot read /nonexistent/vetrina/page.html back: "),
                "{why}"
            )
        }
        IndexError::Cancelled => panic!("a missing page is not a cancellation"),
    }
    assert_eq!(IndexError::Cancelled.to_string(), "cancelled");
    assert_eq!(IndexError::Failed("x".into()).to_string(), "x");
}

/// The browser's stemmers (src/search/stemmers, JavaScript) stem every word of the demo
/// site's content as the index's (`pagefind_stem`) do: see tests/conformance/stemmers.mjs.
/// Skipped where node is not installed.
#[test]
fn browser_stemmers_agree_with_the_index_s() {
    use std::collections::{BTreeMap, BTreeSet};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut words_of: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![root.join("content")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let Some(lang) = super::text::BROWSER_STEMMERS
                .iter()
                .find(|l| name.ends_with(&format!(".{l}.md")))
            else {
                continue;
            };
            let text = std::fs::read_to_string(&path).unwrap();
            let set = words_of.entry(lang).or_default();
            super::text::words(&text, |_, written| {
                set.insert(super::text::lower_case(written).into_owned());
            });
        }
    }
    assert_eq!(words_of.len(), 4, "the demo has content in it, en, fr, ar");
    let pairs: BTreeMap<&str, Vec<(String, String)>> = words_of
        .into_iter()
        .map(|(lang, words)| {
            let s = super::text::stemmer(lang).unwrap();
            let list = words
                .into_iter()
                .map(|w| {
                    let stem = s.stem(&w).into_owned();
                    (w, stem)
                })
                .collect();
            (lang, list)
        })
        .collect();
    let file = std::env::temp_dir().join(format!("vetrina-stems-{}.json", std::process::id()));
    std::fs::write(&file, serde_json::to_vec(&pairs).unwrap()).unwrap();
    let run = std::process::Command::new("node")
        .arg(root.join("tests/conformance/stemmers.mjs"))
        .arg(&file)
        .output();
    let _ = std::fs::remove_file(&file);
    let Ok(out) = run else {
        eprintln!("node not found: the browser's stemmers were not compared");
        return;
    };
    let report = String::from_utf8_lossy(&out.stdout);
    eprintln!("{report}");
    assert!(out.status.success(), "the stemmers differ:\n{report}");
}

#[test]
fn scores_keep_three_significant_digits() {
    let score = |x: f64| {
        let mut s = String::new();
        super::format::push_score(&mut s, x);
        s
    };
    assert_eq!(score(1.23456), "1.23");
    assert_eq!(score(12.3456), "12.3");
    assert_eq!(score(0.0456789), "0.0457");
    assert_eq!(score(2.0), "2");
    assert_eq!(score(12345.6), "12300");
    assert_eq!(score(123.456), "123");
    assert_eq!(score(1234.5), "1230");
    assert_eq!(score(9.996), "10");
    assert_eq!(score(0.99999), "1");
    assert_eq!(score(0.1), "0.1");
    assert_eq!(score(0.00012345), "0.000123");
    assert_eq!(score(3.0e7), "30000000");
    // As many digits as before, whatever the score.
    for i in 1..2000 {
        let x = i as f64 * 0.0371;
        let s = score(x);
        let back: f64 = s.parse().unwrap();
        assert!((back - x).abs() <= x * 5e-3, "{x} → {s}");
    }
    assert_eq!(score(0.0), "0.0001");
    assert_eq!(score(f64::NAN), "0.0001");
}

#[test]
fn each_page_s_date_and_the_browser_s_stemmer_are_in_the_index() {
    let a = route(Kind::Story("a".into()), "it", "/a/", false);
    let b = route(Kind::Project("b".into()), "it", "/b/", false);
    let (files, _) = index(
        [
            page(
                &a,
                "<main data-search-body><h1>Tirocinio</h1><p data-search-ignore><time datetime=\"2020-01-01\">x</time><p><time datetime=\"2022-05-12T10:00\">12 maggio</time> tirocinio</main>",
            ),
            page(&b, "<main data-search-body><h1>Scheda</h1><p>tirocinio</main>"),
        ]
        .into_iter(),
        &|| false,
        false,
    )
    .unwrap();
    let meta = json(&files, "search-index/it/index.json");
    assert_eq!(meta["v"], 3);
    assert_eq!(meta["dates"], serde_json::json!([20220512, 0]));
    let stemmer = meta["stemmer"].as_str().unwrap();
    assert!(stemmer.starts_with("../stem/it.") && stemmer.ends_with(".js"));
    let published = format!("search-index/{}", &stemmer[3..]);
    assert!(
        files
            .iter()
            .any(|(n, b)| *n == published && b.starts_with(b"function"))
    );
    // Every language the browser stems (English by Porter2), by its base code; a language
    // stemmed only in Rust has none in the browser.
    assert!(
        super::browser_stemmer("en-GB").is_some_and(
            |(p, js)| p.starts_with("stem/en.") && js.contains("export function stem(")
        )
    );
    assert!(super::browser_stemmer("fr-BE").is_some());
    assert!(super::browser_stemmer("de").is_none());
}

#[test]
fn japanese_and_thai_pages_are_indexed_word_by_word() {
    let ja = route(Kind::Page("a".into()), "ja", "/ja/a/", false);
    let th = route(Kind::Page("a".into()), "th", "/th/a/", false);
    let (files, _) = index(
        [
            page(
                &ja,
                "<main data-search-body><h1>こんにちは世界</h1><p>世界の仕事</main>",
            ),
            page(&th, "<main data-search-body><h1>ทุกสองสัปดาห์</h1></main>"),
        ]
        .into_iter(),
        &|| false,
        false,
    )
    .unwrap();
    let words: Vec<String> = entries(&files, "ja", "words")
        .into_iter()
        .map(|(w, _)| w)
        .collect();
    assert!(words.contains(&"世界".to_string()), "{words:?}");
    assert!(words.contains(&"仕事".to_string()), "{words:?}");
    let words: Vec<String> = entries(&files, "th", "words")
        .into_iter()
        .map(|(w, _)| w)
        .collect();
    assert!(words.contains(&"สอง".to_string()), "{words:?}");
}

#[test]
fn what_pages_say_of_themselves_reaches_the_index_for_the_filters() {
    let a = route(Kind::Story("a".into()), "it", "/a/", false);
    let b = route(Kind::Region("puglia".into()), "it", "/b/", false);
    let c = route(Kind::Page("c".into()), "it", "/c/", false);
    let d = route(Kind::Story("d".into()), "it", "/d/", false);
    let (files, _) = index(
        [
            page(
                &a,
                r#"<main data-search-body data-search-section="stories" data-search-regions="puglia" data-search-projects="puoi"><h1>Tirocinio</h1><p>lavoro</main>"#,
            ),
            page(
                &b,
                r#"<main data-search-section=regions data-search-body data-search-regions="puglia" data-search-projects="puoi parti"><h1>Puglia</h1><p>lavoro</main>"#,
            ),
            // A theme that says nothing, and one that writes what is not a key.
            page(&c, "<main data-search-body><h1>Chi siamo</h1><p>lavoro</main>"),
            page(
                &d,
                r#"<main data-search-body data-search-section="stories" data-search-regions="Puglia &lt;b&gt; puglia"><h1>Serra</h1><p>lavoro</main>"#,
            ),
        ]
        .into_iter(),
        &|| false,
        false,
    )
    .unwrap();
    let meta = json(&files, "search-index/it/index.json");
    let f = &meta["facets"];
    assert_eq!(f["section"], serde_json::json!(["regions", "stories"]));
    assert_eq!(f["region"], serde_json::json!(["puglia"]));
    assert_eq!(f["project"], serde_json::json!(["parti", "puoi"]));
    // Pages are numbered by address; each names its set, the page that says nothing the
    // empty one.
    let urls: Vec<String> = (0..4)
        .map(|p| {
            let docs = json(
                &files,
                &format!("search-index/it/{}", meta["docs"][0].as_str().unwrap()),
            );
            docs[p][0].as_str().unwrap().to_string()
        })
        .collect();
    let set_of = |url: &str| {
        let p = urls.iter().position(|u| u == url).unwrap();
        f["sets"][f["pages"][p].as_u64().unwrap() as usize].clone()
    };
    assert_eq!(set_of("/a/"), serde_json::json!([1, [0], [1]]));
    assert_eq!(set_of("/b/"), serde_json::json!([0, [0], [0, 1]]));
    assert_eq!(set_of("/c/"), serde_json::json!([-1, [], []]));
    assert_eq!(set_of("/d/"), serde_json::json!([1, [0], []]));
}

#[test]
fn a_large_page_s_entry_names_its_headings_where_the_browser_counts() {
    // Past FETCH_LIMIT the browser never fetches the page: the headings within the text
    // it is given come with it, where each begins in UTF-16 code units ("è" is one, two
    // bytes).
    let mut html = String::from("<main data-search-body><h1>Elenco</h1><p>città è qui");
    html.push_str("<h2 id=\"progetti\">Progetti <em>attivi</em></h2><p>uno");
    html.push_str("<h3>Senza id</h3><div data-search-ignore><h2 id=\"nascosto\">x</h2></div>");
    html.push_str("<h2 id=\"storie\">Storie</h2>");
    while html.len() <= FETCH_LIMIT + 10 {
        html.push_str("<p>voce lunga di un elenco ");
    }
    html.push_str("<h2 id=\"oltre\">Oltre il testo tenuto</h2></main>");
    let r = route(Kind::Region("a".into()), "it", "/a/", false);
    let (files, _) = index([page(&r, &html)].into_iter(), &|| false, false).unwrap();
    let meta = json(&files, "search-index/it/index.json");
    let docs = json(
        &files,
        &format!("search-index/it/{}", meta["docs"][0].as_str().unwrap()),
    );
    let entry = &docs[0];
    assert_eq!(entry[3], 1);
    let text = entry[2].as_str().unwrap();
    let at = |needle: &str| text[..text.find(needle).unwrap()].encode_utf16().count();
    assert_eq!(
        entry[4],
        serde_json::json!([
            [at("Progetti attivi"), "progetti", "Progetti attivi"],
            [at("Storie"), "storie", "Storie"]
        ])
    );
}
