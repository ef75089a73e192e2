//! The memo's tests: what a build keeps, and what the next one takes back.

use rustc_hash::FxHashMap;

use super::super::{GeneratedFile, Indexer, Page, SearchStats, index};
use super::*;
use crate::plan::{Kind, Route};

fn route(lang: &str, name: &str) -> Route {
    Route::new(
        Kind::Page(name.into()),
        lang.into(),
        format!("/{lang}/{name}/"),
        false,
    )
}

fn page(title: &str, text: &str) -> String {
    format!(
        "<html><body><main data-search-body data-search-section=\"pages\" \
         data-search-regions=\"puglia\"><h1>{title}</h1><p>{text}</p>\
         <time datetime=\"2024-03-0{}\"></time></main></body></html>",
        title.len() % 9 + 1
    )
}

/// An index of `pages` made remembering, as a build makes it: most pages added as if
/// rendered (the files of titles they complete streamed), the rest read by `finish`;
/// `past`, `published` and `untouched` as `recall` takes them; `added` says which pages are added
/// (the others must come from the memo, or be read back). Returns the files (streamed
/// ones with their bytes), the stats and the pages read back.
/// A build of `pages` with nothing from an earlier one, every page new.
fn first_build(pages: &[(Route, String)]) -> (Vec<GeneratedFile>, SearchStats, usize) {
    build(pages, &|_| true, None, &hashes(pages), &Default::default())
}

fn build(
    pages: &[(Route, String)],
    added: &dyn Fn(usize) -> bool,
    past: Option<Past>,
    published: &FxHashMap<String, blake3::Hash>,
    untouched: &rustc_hash::FxHashSet<String>,
) -> (Vec<GeneratedFile>, SearchStats, usize) {
    let mut ix = Indexer::new(pages.iter().map(|(r, _)| r))
        .remembering()
        .with_batches_of(1024);
    let sunk: std::sync::Mutex<Vec<GeneratedFile>> = Default::default();
    let sink = |path: &str, bytes: &[u8]| {
        sunk.lock()
            .unwrap()
            .push((path.to_string(), bytes.to_vec()));
        true
    };
    for (i, (r, html)) in pages.iter().enumerate() {
        if added(i) {
            ix.add(r, html.as_bytes(), Some(&sink));
        }
    }
    ix.recall(past, published.clone(), untouched.clone());
    let read = std::sync::atomic::AtomicUsize::new(0);
    let (mut files, stats) = ix
        .finish(
            &|r: &Route| {
                read.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let (_, html) = pages.iter().find(|(x, _)| x.path == r.path).unwrap();
                Page::Bytes(html.as_bytes())
            },
            &|| false,
            false,
            None,
        )
        .unwrap();
    for (path, bytes) in sunk.into_inner().unwrap() {
        let f = files.iter_mut().find(|(p, _)| *p == path).unwrap();
        assert!(f.1.is_empty(), "{path} streamed and kept");
        f.1 = bytes;
    }
    (files, stats, read.into_inner())
}

fn hashes(pages: &[(Route, String)]) -> FxHashMap<String, blake3::Hash> {
    (pages.iter())
        .map(|(r, h)| (r.path.clone(), blake3::hash(h.as_bytes())))
        .collect()
}

fn fresh(pages: &[(Route, String)]) -> Vec<GeneratedFile> {
    let with = pages.iter().map(|(r, h)| (r, Page::Bytes(h.as_bytes())));
    index(with, &|| false, false).unwrap().0
}

#[test]
fn an_index_made_with_the_last_builds_memo_is_the_index_made_from_the_pages() {
    // Pages in three languages, with words written otherwise than folded (accents,
    // capitals, Arabic's ta marbuta and vowel marks), some first met on a page that
    // the next build changes or drops, so that the form given to the stemmer must
    // come from another page.
    let mut first: Vec<(Route, String)> = Vec::new();
    for i in 0..150 {
        let (lang, title, text) = match i % 3 {
            0 => (
                "it",
                format!("Storia {i}"),
                if i % 2 == 0 {
                    "Città lavoro"
                } else {
                    "citta Lavori tirocinio"
                }
                .to_string(),
            ),
            1 => (
                "fr",
                format!("Récit {i}"),
                if i % 4 == 1 {
                    "Activité emploi"
                } else {
                    "activite Emplois"
                }
                .to_string(),
            ),
            _ => (
                "ar",
                format!("قصة {i}"),
                if i % 4 == 2 {
                    "المدينة الموحّدة"
                } else {
                    "المدينه العمل"
                }
                .to_string(),
            ),
        };
        first.push((
            route(lang, &format!("p{i}")),
            page(&title, &format!("{text} parola{}", i % 11)),
        ));
    }
    // A page whose bytes were not recorded (a page with a warning): read back.
    let mut published = hashes(&first);
    published.remove(&first[4].0.path);
    let (_, stats, read) = build(
        &first,
        &|i| i % 5 != 0,
        None,
        &published,
        &Default::default(),
    );
    assert_eq!(read, 30, "pages not added are read");
    let body = joined(stats.memo.as_ref().unwrap());
    let past = || decode(&body).unwrap();

    // The next build: the first pages dropped (they held the first forms), new pages
    // at the front (every page renumbered), some pages changed, a language gone.
    let mut next: Vec<(Route, String)> = (0..7)
        .map(|i| {
            (
                route("it", &format!("new{i}")),
                page("Nuova", "citta nuova Città"),
            )
        })
        .collect();
    for (i, (r, html)) in first.iter().enumerate().skip(6) {
        if r.lang == "fr" && i > 100 {
            continue;
        }
        let html = if i % 10 == 7 {
            page("Cambiata", "testo cambiato")
        } else {
            html.clone()
        };
        next.push((r.clone(), html));
    }
    let unchanged = |r: &Route, h: &String| {
        first.iter().any(|(x, y)| x.path == r.path && y == h) && r.path != first[4].0.path
    };
    let added = |i: usize| !unchanged(&next[i].0, &next[i].1);
    let expected = fresh(&next);
    let (got, stats, read) = build(
        &next,
        &added,
        Some(past()),
        &hashes(&next),
        &Default::default(),
    );
    let kept = next.iter().filter(|(r, h)| unchanged(r, h)).count();
    assert!(kept > 80);
    assert_eq!(stats.recalled, kept);
    assert_eq!(read, 0, "every unchanged page comes from the memo");
    assert_eq!(got.len(), expected.len());
    for ((n1, b1), (n2, b2)) in got.iter().zip(&expected) {
        assert_eq!(n1, n2);
        assert!(b1 == b2, "{n1} differs");
    }

    // A page whose bytes differ from the memo's is read back, not taken.
    let mut other = hashes(&next);
    let changed = next.iter().position(|(r, h)| unchanged(r, h)).unwrap();
    other.insert(next[changed].0.path.clone(), blake3::hash(b"other bytes"));
    let (got, stats, read) = build(&next, &added, Some(past()), &other, &Default::default());
    assert_eq!((stats.recalled, read), (kept - 1, 1));
    assert!(got == expected);
}

/// Forty pages, every other one Italian, the others French.
fn italian_and_french_pages() -> Vec<(Route, String)> {
    (0..40)
        .map(|i| {
            let lang = ["it", "fr"][i % 2];
            (
                route(lang, &format!("p{i}")),
                page("Titolo", &format!("testo {i} Città activité")),
            )
        })
        .collect()
}

#[test]
fn a_language_none_of_whose_pages_changed_keeps_its_files_and_record() {
    let pages = italian_and_french_pages();
    let (first, stats, _) = first_build(&pages);
    let body = joined(stats.memo.as_ref().unwrap());
    let fr_files: Vec<String> = (first.iter())
        .map(|(p, _)| p.clone())
        .filter(|p| p.starts_with("search-index/fr/"))
        .collect();
    assert!(fr_files.len() >= 3, "{fr_files:?}");
    let all: rustc_hash::FxHashSet<String> = first.iter().map(|(p, _)| p.clone()).collect();

    // An Italian page changed: French is kept, Italian made again.
    let mut next = pages.clone();
    next[2].1 = page("Cambiata", "testo cambiato");
    let expected = fresh(&next);
    let added = |i: usize| i == 2;
    let (got, stats, read) = build(&next, &added, decode(&body), &hashes(&next), &all);
    assert_eq!(read, 0);
    let mut kept = stats.kept.clone();
    kept.sort();
    assert_eq!(kept, fr_files);
    assert_eq!(stats.recalled, 39);
    // The kept files are the last build's; with them, the index is a fresh one.
    let mut whole: Vec<GeneratedFile> = got.clone();
    whole.extend(first.iter().filter(|(p, _)| fr_files.contains(p)).cloned());
    whole.sort();
    assert!(whole == expected);
    // The French record is the last build's, byte for byte.
    let past = decode(&body).unwrap();
    let now = decode(&joined(stats.memo.as_ref().unwrap())).unwrap();
    let record = |p: &Past, lang: &str| {
        p.langs
            .iter()
            .find(|l| l.lang == lang)
            .unwrap()
            .record
            .clone()
    };
    assert_eq!(record(&past, "fr"), record(&now, "fr"));
    assert_ne!(record(&past, "it"), record(&now, "it"));

    // One French file no longer as written: French is made again.
    let mut touched = all.clone();
    touched.remove(&fr_files[0]);
    let (got, stats, _) = build(&next, &added, decode(&body), &hashes(&next), &touched);
    assert!(stats.kept.is_empty());
    assert!(got == expected);

    // A French page dropped: its pages are no longer the record's.
    let fewer: Vec<(Route, String)> = next.iter().take(39).cloned().collect();
    let (got, stats, _) = build(&fewer, &|_| false, decode(&body), &hashes(&fewer), &all);
    assert!(stats.kept.is_empty());
    assert!(got == fresh(&fewer));
}

#[test]
fn a_memo_cut_short_or_altered_is_no_memo() {
    let pages: Vec<(Route, String)> = (0..20)
        .map(|i| {
            (
                route("it", &format!("p{i}")),
                page("Titolo", &format!("testo {i} Città")),
            )
        })
        .collect();
    let (_, stats, _) = first_build(&pages);
    let body = joined(stats.memo.as_ref().unwrap());
    let past = decode(&body).unwrap();
    assert!(past.langs[0].read().is_some());
    for n in 0..body.len() {
        assert!(decode(&body[..n]).is_none(), "cut at {n}");
    }
    let mut longer = body.clone();
    longer.push(0);
    assert!(decode(&longer).is_none());
    // Any byte changed: no panic, whatever it reads.
    for n in (0..body.len()).step_by(7) {
        let mut b = body.clone();
        b[n] ^= 0xa5;
        if let Some(past) = decode(&b) {
            for lang in &past.langs {
                let _ = lang.read();
                let _ = lang.same_pages(Some(blake3::hash(b"p0")));
            }
        }
    }
}

#[test]
fn a_memo_is_kept_per_output_folder_and_by_its_program() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let pages = vec![(route("it", "p"), page("Titolo", "testo"))];
    let (_, stats, _) = first_build(&pages);
    save(dir.path(), &a, stats.memo.as_ref().unwrap()).unwrap();
    let past = open(dir.path(), &a).unwrap();
    assert_eq!(past.langs[0].read().unwrap().pages.len(), 1);
    assert!(open(dir.path(), &b).is_none());
    // Written by another program: not taken.
    let f = file(dir.path(), &a);
    let (_, body) = crate::fileio::read_sealed(&f, MAGIC).unwrap();
    crate::fileio::write_sealed(&f, MAGIC, &blake3::hash(b"another"), &body).unwrap();
    assert!(open(dir.path(), &a).is_none());
    forget(dir.path(), &a);
    assert!(!f.exists());
    assert_eq!(record_files(dir.path()).len(), 0, "its records go with it");
}

/// The names of the record files in `dir`.
fn record_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = (std::fs::read_dir(dir).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("search-") && n.matches('-').count() == 2)
        .collect();
    names.sort();
    names
}

#[test]
fn each_language_s_record_is_a_file_read_and_written_only_when_its_pages_change() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let pages = italian_and_french_pages();
    let (first, stats, _) = first_build(&pages);
    save(dir.path(), &out, stats.memo.as_ref().unwrap()).unwrap();
    let files = record_files(dir.path());
    assert_eq!(files.len(), 2, "one per language: {files:?}");
    let all: rustc_hash::FxHashSet<String> = first.iter().map(|(p, _)| p.clone()).collect();
    // Its list alone is read when the memo is opened.
    let past = open(dir.path(), &out).unwrap();
    assert!(
        past.langs
            .iter()
            .all(|l| l.record.is_empty() && l.file.is_some())
    );

    // An Italian page changed: the French record is kept in its file, without being read.
    let mut next = pages.clone();
    next[2].1 = page("Cambiata", "testo cambiato");
    let french = |dir: &Path| {
        let past = open(dir, &out).unwrap();
        let fr = past.langs.into_iter().find(|l| l.lang == "fr").unwrap();
        fr.file.unwrap().0
    };
    let french_file = french(dir.path());
    let written = std::fs::metadata(&french_file).unwrap().modified().unwrap();
    // Unreadable from now on: a build that read it would make French again.
    let sealed = std::fs::read(&french_file).unwrap();
    let mut damaged = sealed.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 0xff;
    std::fs::write(&french_file, &damaged).unwrap();
    let (got, stats, read) = build(
        &next,
        &|i| i == 2,
        open(dir.path(), &out),
        &hashes(&next),
        &all,
    );
    assert_eq!(read, 0, "no page read back");
    assert!(!stats.kept.is_empty(), "French kept whole");
    let mut whole: Vec<GeneratedFile> = got.clone();
    whole.extend(
        first
            .iter()
            .filter(|(p, _)| stats.kept.contains(p))
            .cloned(),
    );
    whole.sort();
    assert!(whole == fresh(&next));
    std::fs::write(&french_file, &sealed).unwrap();
    let f = std::fs::File::options()
        .write(true)
        .open(&french_file)
        .unwrap();
    f.set_modified(written).unwrap();
    save(dir.path(), &out, stats.memo.as_ref().unwrap()).unwrap();
    assert_eq!(french(dir.path()), french_file, "the same file");
    assert_eq!(
        std::fs::metadata(&french_file).unwrap().modified().unwrap(),
        written,
        "not written again"
    );
    // The last Italian record's file is gone; the new one is there.
    let now = record_files(dir.path());
    assert_eq!(now.len(), 2, "{now:?}");
    assert_eq!(now.iter().filter(|n| files.contains(n)).count(), 1);

    // A record file damaged: that language's pages are read back, the index is the same.
    let italian = (open(dir.path(), &out).unwrap().langs.into_iter())
        .find(|l| l.lang == "it")
        .unwrap()
        .file
        .unwrap()
        .0;
    std::fs::write(&italian, b"vetrina search record 5\nshort").unwrap();
    let again = next.clone();
    let (got, stats, read) = build(
        &again,
        &|_| false,
        open(dir.path(), &out),
        &hashes(&again),
        &rustc_hash::FxHashSet::default(),
    );
    assert_eq!(read, 20, "the Italian pages");
    assert_eq!(stats.recalled, 20, "the French pages, from their record");
    assert!(got == fresh(&again));

    // A list naming a file that is not one of its records is no memo.
    let list = file(dir.path(), &out);
    let (_, body) = crate::fileio::read_sealed(&list, MAGIC).unwrap();
    let text = String::from_utf8_lossy(&body).into_owned();
    let name = &now[0];
    assert!(text.contains(name.as_str()));
    let other = body
        .windows(name.len())
        .position(|w| w == name.as_bytes())
        .unwrap();
    let mut altered = body.clone();
    altered[other..other + 7].copy_from_slice(b"../../x");
    crate::fileio::write_sealed(&list, MAGIC, &key(), &altered).unwrap();
    assert!(open(dir.path(), &out).is_none());
}
