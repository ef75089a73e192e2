//! The search index: Vetrina's own, static, one per language, read in the browser by a small
//! script published with it (`search-index/search.js`), with no server.
//!
//! Only pages that carry content of their own are indexed: project sheets, stories, news,
//! pages, events and region hubs, in the languages they are written in. Pages that show
//! another language's text (fallbacks) are left out, and so are lists, the home page and the
//! 404 page. Stories taken down for consent never reach the renderer, so never the index.
//!
//! What a page gives the index is the text of its element marked `data-search-body` (the
//! theme's `<main>`), less the elements marked `data-search-ignore`: its `<h1>` is the
//! result's title, headings weigh more than body text.
//!
//! # The files, per language (`search-index/<lang>/`)
//! - `index.json`: `{"v":1,"lang","pages","words":[[first word, file]…],
//!   "stems":[[first stem, file]…],"docs":[file…],"per_doc":64}`. The only file whose name
//!   does not change with its content.
//! - `w.<hash>.json`: a run of the language's words in order, `[[word, stem]…]` (stem `""`
//!   when it is the word itself). Words are lower case, without accents or vowel marks.
//! - `s.<hash>.json`: a run of stems in order, `{"stem":[page, score, page, score…]}`,
//!   the score BM25 (×100, rounded) with headings counted several times.
//! - `d.<hash>.json`: `per_doc` pages in a row, `[[url, title]…]`, for the results' titles.
//!   The excerpt is cut from the page itself, fetched when its result is shown (the page
//!   the reader opens next is then in the browser's cache): the index holds no second copy
//!   of the site's text. Only a page larger than [`FETCH_LIMIT`] (a hub listing thousands
//!   of stories) comes with its text, `[url, title, text]`, cut at [`MAX_EXCERPT_TEXT`]
//!   bytes, so that a phone never fetches a megabyte for three lines.
//!
//! A query word is looked up among the words (exactly and as the start of longer words) and
//! among the stems: a word found brings every page of its stem, so `lavori` finds `lavoro`,
//! and `العمل` finds `بالعمل`, with no stemmer in the browser. Runs are cut at about
//! [`CHUNK_BYTES`], so a query fetches a few small files, never the whole index.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use pagefind_stem::{Algorithm, Stemmer};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use unicode_normalization::char::is_combining_mark;

use super::PageSink;
use crate::plan::{Kind, Route};

/// A file of the index: (path in the output, bytes).
pub type GeneratedFile = (String, Vec<u8>);

/// A rendered page to index: in memory, or already on disk (a build puts its pages there
/// and lets go of them before indexing, to need less memory).
pub enum Page<'a> {
    Bytes(&'a [u8]),
    File(PathBuf),
}

impl Page<'_> {
    fn read(&self) -> Result<Cow<'_, [u8]>, String> {
        match self {
            Page::Bytes(b) => Ok(Cow::Borrowed(b)),
            Page::File(p) => std::fs::read(p)
                .map(Cow::Owned)
                .map_err(|e| format!("cannot read {} back: {e}", p.display())),
        }
    }
}

/// The error of an index given up because a newer build made it out of date.
pub const CANCELLED: &str = "cancelled";

/// The folder of the search files in the output.
pub use crate::plan::SEARCH_DIR;

/// The script that reads the index in the browser, published as `search-index/search.js`.
pub const RUNTIME: &str = include_str!("search.js");

/// About how many bytes one file of words, stems or pages holds before a new one is begun.
const CHUNK_BYTES: usize = 48 * 1024;
/// Pages per file of titles: a result list of ten fetches at most ten of them, of about
/// 8 KB each.
const PER_DOC: usize = 64;
/// A page of more bytes than this is not fetched for its excerpt: its text comes in its file
/// of titles, cut at [`MAX_EXCERPT_TEXT`].
const FETCH_LIMIT: usize = 64 * 1024;
/// At most this much of a large page's text is kept for its excerpt (every word of it is
/// indexed).
const MAX_EXCERPT_TEXT: usize = 16 * 1024;
/// Words longer than this are not indexed (addresses, codes): nobody types them.
const MAX_WORD: usize = 40;
/// BM25's parameters, the usual ones.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// What the index holds, for the build report and the tests.
#[derive(Debug, Default, Clone)]
pub struct SearchStats {
    /// Pages indexed per language, in the order first met.
    pub pages: Vec<(String, usize)>,
    /// The address of every indexed page.
    pub urls: Vec<String>,
    /// Time spent indexing, in memory: the time taken apart pages took (those taken apart
    /// while rendering counted as shared among the cores), then the time making the files.
    pub elapsed: Duration,
    /// The files of the index already handed to the build's sink (staged) while rendering:
    /// listed among the files without their bytes.
    pub streamed: Vec<String>,
}

/// Whether a route's page goes into the search index.
pub fn indexed(route: &Route) -> bool {
    !route.fallback
        && matches!(
            route.kind,
            Kind::Project(_)
                | Kind::Story(_)
                | Kind::News(_)
                | Kind::Page(_)
                | Kind::Event(_)
                | Kind::Region(_)
        )
}

/// Indexes `pages` (route, rendered HTML) and returns the index's files, as (path in the
/// output, bytes), sorted by path. The pages are read and taken apart on every core, and the
/// languages' files made side by side; in the `background` (`vetrina serve`, while the next
/// edit may be rendering) all of it runs on the calling thread at the lowest priority.
/// `cancelled` is asked between pages.
pub fn index<'a>(
    pages: impl Iterator<Item = (&'a Route, Page<'a>)>,
    cancelled: &(dyn Fn() -> bool + Sync),
    background: bool,
) -> Result<(Vec<GeneratedFile>, SearchStats), String> {
    let pages: Vec<(&Route, Page)> = pages.collect();
    let indexer = Indexer::new(pages.iter().map(|(r, _)| *r));
    let by_path: FxHashMap<&str, &Page> = pages.iter().map(|(r, p)| (r.path.as_str(), p)).collect();
    indexer.finish(
        &|route: &Route| match by_path.get(route.path.as_str()) {
            Some(Page::Bytes(b)) => Page::Bytes(b),
            Some(Page::File(f)) => Page::File(f.clone()),
            None => Page::Bytes(&[]),
        },
        cancelled,
        background,
    )
}

/// A search index as it is gathered: pages are added from any thread, in any order (a build
/// takes each page apart in the thread that rendered it, while its text is at hand), and
/// [`Indexer::finish`] adds the pages not added yet and makes the files. The index is the
/// same whatever the order: pages are numbered in advance, per language in the order given
/// to [`Indexer::new`].
pub(crate) struct Indexer {
    /// Nanoseconds spent taking pages apart, summed over the threads.
    busy: std::sync::atomic::AtomicU64,
    langs: Vec<String>,
    /// The pages to index, in the order given: each route with its language's number and
    /// its number among that language's pages.
    pages: Vec<(Route, u32, u32)>,
    /// Address → place in `pages`.
    slot: FxHashMap<String, usize>,
    /// Whether each page of `pages` is in a table already.
    added: Vec<std::sync::atomic::AtomicBool>,
    /// The tables being filled, one set per thread of the pool (and a last one for threads
    /// outside it), one table per language: a thread only ever waits for its own.
    parts: Vec<std::sync::Mutex<Vec<Gathered>>>,
    /// Pages per language.
    counts: Vec<u32>,
    /// Per language, the entries of files of `PER_DOC` pages not complete yet, by the
    /// file's number: a complete file is made, and handed to the sink, at once.
    pending: Vec<std::sync::Mutex<FxHashMap<u32, Vec<DocEntry>>>>,
    /// Files of titles made while rendering, with their language's number.
    done: std::sync::Mutex<Vec<(u32, DocFile)>>,
}

/// A page's entry in a file of titles: (page, `[url, title]` or `[url, title, text]`
/// as JSON).
type DocEntry = (u32, Vec<u8>);

/// A file of titles made while rendering: its number, its name, and its bytes,
/// or none when the build's sink took them.
type DocFile = (u32, String, Option<Vec<u8>>);

impl std::fmt::Debug for Indexer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Indexer")
            .field("pages", &self.pages.len())
            .finish_non_exhaustive()
    }
}

impl Indexer {
    /// An index of these pages, in this order (the page numbers and the results' order
    /// follow it).
    pub fn new<'a>(routes: impl Iterator<Item = &'a Route>) -> Self {
        let mut langs: Vec<String> = Vec::new();
        let mut counts: Vec<u32> = Vec::new();
        let mut pages = Vec::new();
        let mut slot = FxHashMap::default();
        for route in routes {
            let l = match langs.iter().position(|l| *l == route.lang) {
                Some(l) => l,
                None => {
                    langs.push(route.lang.clone());
                    counts.push(0);
                    langs.len() - 1
                }
            };
            slot.insert(route.path.clone(), pages.len());
            pages.push((route.clone(), l as u32, counts[l]));
            counts[l] += 1;
        }
        let parts = (0..=rayon::current_num_threads())
            .map(|_| std::sync::Mutex::new((0..langs.len()).map(|_| Gathered::default()).collect()))
            .collect();
        Indexer {
            busy: Default::default(),
            added: pages.iter().map(|_| Default::default()).collect(),
            pending: langs.iter().map(|_| Default::default()).collect(),
            done: Default::default(),
            langs,
            pages,
            slot,
            parts,
            counts,
        }
    }

    /// How many pages the index holds.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Takes a rendered page apart into the index, if it is one of the index's pages (and
    /// was not added before); any other is left alone. A file of titles that the
    /// page completes is handed to `sink` at once, so that the texts of a large site are not
    /// all held until the end.
    pub fn add(&self, route: &Route, html: &[u8], sink: Option<&PageSink>) {
        if let Some(&n) = self.slot.get(&route.path) {
            self.add_slot(n, html, sink);
        }
    }

    fn add_slot(&self, n: usize, html: &[u8], sink: Option<&PageSink>) {
        use std::sync::atomic::Ordering;
        if self.added[n].swap(true, Ordering::Relaxed) {
            return;
        }
        // Checked as UTF-8 here, with SIMD (Tera's pages come unchecked, and pages read
        // back from disk could be anything); a page that is not is read as the browser
        // would, with U+FFFD for what is not.
        let html = match simdutf8::basic::from_utf8(html) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(html),
        };
        let (route, lang, page) = &self.pages[n];
        let part = rayon::current_thread_index()
            .unwrap_or(self.parts.len() - 1)
            .min(self.parts.len() - 1);
        let started = Instant::now();
        let mut tables = self.parts[part].lock().unwrap_or_else(|e| e.into_inner());
        let table = &mut tables[*lang as usize];
        let entry = table.add_page(*page, &html, &route.path);
        match sink {
            Some(sink) => {
                drop(tables);
                self.pend(*lang, *page, entry, sink);
            }
            None => table.docs.push((*page, entry)),
        }
        self.busy
            .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }

    /// Keeps a page's entry until its file of `PER_DOC` pages is complete, then
    /// makes the file and hands it to `sink`.
    fn pend(&self, lang: u32, page: u32, entry: Vec<u8>, sink: &PageSink) {
        let group = page / PER_DOC as u32;
        let size = (self.counts[lang as usize] - group * PER_DOC as u32).min(PER_DOC as u32);
        let mut complete = {
            let mut pending = self.pending[lang as usize]
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            let run = pending.entry(group).or_default();
            run.push((page, entry));
            if run.len() < size as usize {
                return;
            }
            pending.remove(&group).unwrap_or_default()
        };
        let bytes = doc_file(&mut complete);
        let name = file_name("d", &bytes);
        let path = format!("{SEARCH_DIR}/{}/{name}", self.langs[lang as usize]);
        let kept = (!sink(&path, &bytes)).then_some(bytes);
        self.done
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((lang, (group, name, kept)));
    }

    /// Adds the pages not added yet, taken from `page_of`, and makes the index's files, as
    /// (path in the output, bytes), sorted by path. In the `background` it all runs on the
    /// calling thread at the lowest priority. `cancelled` is asked between pages.
    pub fn finish<'p>(
        self,
        page_of: &(dyn Fn(&Route) -> Page<'p> + Sync),
        cancelled: &(dyn Fn() -> bool + Sync),
        background: bool,
    ) -> Result<(Vec<GeneratedFile>, SearchStats), String> {
        // A fault here fails the build with a message, never a panic.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.finish_inner(page_of, cancelled, background)
        }))
        .unwrap_or_else(|_| Err("the search indexer stopped unexpectedly".into()))
    }

    fn finish_inner<'p>(
        self,
        page_of: &(dyn Fn(&Route) -> Page<'p> + Sync),
        cancelled: &(dyn Fn() -> bool + Sync),
        background: bool,
    ) -> Result<(Vec<GeneratedFile>, SearchStats), String> {
        use std::sync::atomic::Ordering;
        if background {
            lowest_priority();
        }
        let started = Instant::now();
        // The time of the pages taken apart while rendering, before this call.
        let rendering = self.busy.load(Ordering::Relaxed);
        let missing: Vec<usize> = (0..self.pages.len())
            .filter(|&n| !self.added[n].load(Ordering::Relaxed))
            .collect();
        let one = |&n: &usize| -> Result<(), String> {
            if cancelled() {
                return Err(CANCELLED.to_string());
            }
            let page = page_of(&self.pages[n].0);
            let html = page.read()?;
            self.add_slot(n, &html, None);
            Ok(())
        };
        if background {
            missing.iter().try_for_each(one)?;
        } else {
            missing.par_iter().try_for_each(one)?;
        }
        let threads = self.parts.len() - 1;
        let mut stats = SearchStats {
            pages: Vec::new(),
            urls: self.pages.iter().map(|(r, _, _)| r.path.clone()).collect(),
            elapsed: Duration::ZERO,
            streamed: Vec::new(),
        };
        // Each language's tables, from every thread, joined.
        let mut by_lang: Vec<LangParts> = self.langs.iter().map(|_| Default::default()).collect();
        for part in self.parts {
            let tables = part.into_inner().unwrap_or_else(|e| e.into_inner());
            for (l, g) in tables.into_iter().enumerate() {
                by_lang[l].tables.push(g);
            }
        }
        // The titles of files not complete while rendering (pages read back).
        for (l, pending) in self.pending.into_iter().enumerate() {
            let pending = pending.into_inner().unwrap_or_else(|e| e.into_inner());
            by_lang[l].pending.extend(pending.into_values().flatten());
        }
        for (l, file) in self.done.into_inner().unwrap_or_else(|e| e.into_inner()) {
            by_lang[l as usize].made.push(file);
        }
        let one_lang = |(lang, parts): (&String, LangParts)| {
            let mut g = Gathered::default();
            for table in parts.tables {
                g.join(table);
            }
            g.docs.extend(parts.pending);
            g.files(lang, parts.made)
        };
        let per_lang: Vec<(Vec<GeneratedFile>, Vec<String>)> = if background {
            self.langs.iter().zip(by_lang).map(one_lang).collect()
        } else {
            self.langs.par_iter().zip(by_lang).map(one_lang).collect()
        };
        stats.pages = (self.langs.iter().cloned())
            .zip(self.counts.iter().map(|&n| n as usize))
            .collect();
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        for (set, streamed) in per_lang {
            files.extend(set);
            stats.streamed.extend(streamed);
        }
        if !files.is_empty() {
            files.insert(
                format!("{SEARCH_DIR}/search.js"),
                RUNTIME.as_bytes().to_vec(),
            );
        }
        stats.elapsed = started.elapsed() + Duration::from_nanos(rendering / threads.max(1) as u64);
        Ok((files.into_iter().collect(), stats))
    }
}

/// What `finish` joins into one language's index.
#[derive(Default)]
struct LangParts {
    /// Every thread's table.
    tables: Vec<Gathered>,
    /// Titles and texts of files not complete while rendering.
    pending: Vec<DocEntry>,
    /// Files of titles made while rendering.
    made: Vec<DocFile>,
}

/// (page, weighted count) of every page a word or a stem is on.
type Postings = Vec<(u32, u32)>;

/// A word of a table: folded, the form it was first met in (lower case, accents kept:
/// what the stemmer is given), the page that form was met on, and (page, weighted count)
/// for every page it is on.
struct Word {
    folded: Box<str>,
    original: Box<str>,
    first: u32,
    postings: Postings,
}

/// A language's words as they are gathered, from pages in any order: each word once, the
/// pages it is on.
#[derive(Default)]
struct Gathered {
    /// Folded word → its number.
    ids: FxHashMap<Box<str>, u32>,
    /// By number.
    words: Vec<Word>,
    /// (page, weighted length) of every page.
    lengths: Vec<(u32, u32)>,
    /// (page, its entry in a file of titles) of every page.
    docs: Vec<DocEntry>,
}

impl Gathered {
    /// Takes page number `page` apart into the table.
    /// Returns the page's entry in a file of titles as JSON: `[url, title]`, and its text
    /// for a page larger than [`FETCH_LIMIT`].
    fn add_page(&mut self, page: u32, html: &str, url: &str) -> Vec<u8> {
        let mut length = 0u32;
        let keep_text = html.len() > FETCH_LIMIT;
        let (title, text) = extract_with(html, keep_text, |folded, written, w| {
            length += w;
            let id = match self.ids.get(folded) {
                Some(&id) => id,
                None => {
                    let id = self.words.len() as u32;
                    let folded: Box<str> = folded.into();
                    self.ids.insert(folded.clone(), id);
                    let lower = lower_case(written);
                    let original = if *lower == *folded {
                        folded.clone()
                    } else {
                        lower.into()
                    };
                    self.words.push(Word {
                        folded,
                        original,
                        first: page,
                        postings: Vec::new(),
                    });
                    id
                }
            };
            let word = &mut self.words[id as usize];
            match word.postings.last_mut() {
                Some((p, count)) if *p == page => *count += w,
                _ => {
                    word.postings.push((page, w));
                    // Pages come in any order: the form kept is the one met first in
                    // page order.
                    if page < word.first {
                        word.first = page;
                        word.original = lower_case(written).into();
                    }
                }
            }
        });
        self.lengths.push((page, length));
        let mut entry = Vec::with_capacity(text.len() + title.len() + url.len() + 16);
        let _ = if keep_text {
            serde_json::to_writer(&mut entry, &(url, &title, &text))
        } else {
            serde_json::to_writer(&mut entry, &(url, &title))
        };
        entry
    }

    /// Adds another table's pages (pages of the same language, none of them in this one).
    fn join(&mut self, other: Gathered) {
        if self.lengths.is_empty() && self.docs.is_empty() {
            *self = other;
            return;
        }
        for w in other.words {
            match self.ids.get(&w.folded) {
                Some(&id) => {
                    let mine = &mut self.words[id as usize];
                    mine.postings.extend(w.postings);
                    if w.first < mine.first {
                        mine.first = w.first;
                        mine.original = w.original;
                    }
                }
                None => {
                    let id = self.words.len() as u32;
                    self.ids.insert(w.folded.clone(), id);
                    self.words.push(w);
                }
            }
        }
        self.lengths.extend(other.lengths);
        self.docs.extend(other.docs);
    }

    /// The index's files, with the files of titles `made` already (number, name,
    /// bytes or none when streamed); and the paths of those streamed.
    fn files(self, lang: &str, made: Vec<DocFile>) -> (Vec<GeneratedFile>, Vec<String>) {
        let stemmer = stemmer(lang);
        let n = self.lengths.len();
        let mut lengths = vec![0u32; n];
        for &(page, length) in &self.lengths {
            if let Some(l) = lengths.get_mut(page as usize) {
                *l = length;
            }
        }
        let avg = (lengths.iter().map(|&l| l as f64).sum::<f64>() / n.max(1) as f64).max(1.0);
        // Stem → pages with their weighted counts; word → stem.
        let mut stems: FxHashMap<String, Postings> = FxHashMap::default();
        let mut words: Vec<(Box<str>, String)> = Vec::with_capacity(self.words.len());
        for Word {
            folded,
            original,
            postings: pages,
            ..
        } in self.words
        {
            let stem = match &stemmer {
                Some(s) => fold(&s.stem(&original)).into_owned(),
                None => folded.to_string(),
            };
            let stem = if stem.chars().count() < 2 {
                folded.to_string()
            } else {
                stem
            };
            stems.entry(stem.clone()).or_default().extend(pages);
            words.push((folded, stem));
        }
        let mut stems: Vec<(String, Postings)> = stems.into_iter().collect();
        stems.sort_unstable_by(|a, b| utf16_order(&a.0, &b.0));
        words.sort_unstable_by(|a, b| utf16_order(&a.0, &b.0));

        let dir = format!("{SEARCH_DIR}/{lang}");
        let mut files = Vec::new();
        let mut put = |prefix: &str, body: Vec<u8>| -> String {
            let name = file_name(prefix, &body);
            files.push((format!("{dir}/{name}"), body));
            name
        };

        let word_runs = runs(words.iter().map(|(w, s)| {
            let stem = if **w == **s { "" } else { s.as_str() };
            let entry = serde_json::to_string(&(&**w, stem)).unwrap_or_default();
            (w.to_string(), entry)
        }));
        let word_index: Vec<(String, String)> = word_runs
            .into_iter()
            .map(|(first, body)| (first, put("w", format!("[{body}]").into_bytes())))
            .collect();

        let stem_runs = runs(stems.into_iter().map(|(stem, mut pages)| {
            // Words of one stem each bring their own pages: one entry per page.
            pages.sort_unstable_by_key(|p| p.0);
            pages.dedup_by(|b, a| {
                if a.0 == b.0 {
                    a.1 += b.1;
                    true
                } else {
                    false
                }
            });
            let df = pages.len() as f64;
            let idf = (1.0 + (n as f64 - df + 0.5) / (df + 0.5)).ln();
            let mut entry = serde_json::to_string(&stem).unwrap_or_default();
            entry.push_str(":[");
            for (i, (page, count)) in pages.iter().enumerate() {
                let tf = *count as f64;
                let dl = lengths.get(*page as usize).copied().unwrap_or(0) as f64;
                let score = idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * dl / avg));
                if i > 0 {
                    entry.push(',');
                }
                let score = (score * 100.0).round().max(1.0) as u32;
                // A million of these at 1,000 stories: `write!` was 3 % of a build.
                let mut digits = itoa::Buffer::new();
                entry.push_str(digits.format(*page));
                entry.push(',');
                entry.push_str(digits.format(score));
            }
            entry.push(']');
            (stem, entry)
        }));
        let stem_index: Vec<(String, String)> = stem_runs
            .into_iter()
            .map(|(first, body)| (first, put("s", format!("{{{body}}}").into_bytes())))
            .collect();

        // The pages' titles, `PER_DOC` pages a file, in page order: the files
        // made while rendering, and the rest.
        let mut names: Vec<String> = vec![String::new(); n.div_ceil(PER_DOC)];
        let mut streamed = Vec::new();
        for (group, name, bytes) in made {
            match bytes {
                Some(b) => {
                    put("d", b);
                }
                None => streamed.push(format!("{dir}/{name}")),
            }
            if let Some(slot) = names.get_mut(group as usize) {
                *slot = name;
            }
        }
        let mut docs = self.docs;
        docs.sort_unstable_by_key(|d| d.0);
        for run in docs.chunk_by_mut(|a, b| a.0 / PER_DOC as u32 == b.0 / PER_DOC as u32) {
            let group = run[0].0 / PER_DOC as u32;
            let name = put("d", doc_file(run));
            if let Some(slot) = names.get_mut(group as usize) {
                *slot = name;
            }
        }
        let doc_files = names;

        let meta = serde_json::json!({
            "v": 1,
            "lang": lang,
            "pages": n,
            "words": word_index,
            "stems": stem_index,
            "docs": doc_files,
            "per_doc": PER_DOC,
        });
        files.push((format!("{dir}/index.json"), meta.to_string().into_bytes()));
        for path in &streamed {
            files.push((path.clone(), Vec::new()));
        }
        (files, streamed)
    }
}

/// A file of titles: the entries of its pages, in page order.
fn doc_file(run: &mut [DocEntry]) -> Vec<u8> {
    run.sort_unstable_by_key(|d| d.0);
    let mut file = Vec::with_capacity(run.iter().map(|d| d.1.len() + 1).sum::<usize>() + 1);
    for (i, (_, entry)) in run.iter().enumerate() {
        file.push(if i == 0 { b'[' } else { b',' });
        file.extend_from_slice(entry);
    }
    file.push(b']');
    file
}

/// The name of a file of the index: its kind and a hash of its content.
fn file_name(prefix: &str, body: &[u8]) -> String {
    let hash = blake3::hash(body).to_hex();
    format!("{prefix}.{}.json", &hash[..12])
}

/// Entries (key, JSON) cut into runs of about `CHUNK_BYTES`: (first key, entries joined by
/// commas).
fn runs(entries: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (key, entry) in entries {
        match out.last_mut() {
            Some((_, body)) if body.len() < CHUNK_BYTES => {
                body.push(',');
                body.push_str(&entry);
            }
            _ => out.push((key, entry)),
        }
    }
    out
}

/// The order of strings in JavaScript (UTF-16 code units), in which the browser looks the
/// runs up.
fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The Snowball stemmer of a language, where there is one.
fn stemmer(lang: &str) -> Option<Stemmer> {
    let algorithm = match lang.split(['-', '_']).next().unwrap_or(lang) {
        "ar" => Algorithm::Arabic,
        "ca" => Algorithm::Catalan,
        "da" => Algorithm::Danish,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "en" => Algorithm::English,
        "es" => Algorithm::Spanish,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "nl" => Algorithm::Dutch,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pl" => Algorithm::Polish,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sr" => Algorithm::Serbian,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        "hy" => Algorithm::Armenian,
        "eu" => Algorithm::Basque,
        "et" => Algorithm::Estonian,
        "hi" => Algorithm::Hindi,
        "id" => Algorithm::Indonesian,
        "ga" => Algorithm::Irish,
        "lt" => Algorithm::Lithuanian,
        "ne" => Algorithm::Nepali,
        "yi" => Algorithm::Yiddish,
        "eo" => Algorithm::Esperanto,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// Whether a character belongs to a word: letters, digits and the marks on them (accents,
/// Arabic vowel signs). The browser's script uses the same rule (`[\p{L}\p{N}\p{M}]`).
fn word_char(c: char) -> bool {
    match c {
        // The common blocks answered at once (every one of their characters is a letter, a
        // digit or a mark): accented Latin letters but × and ÷, and Arabic's letters, vowel
        // marks and digits. The rest asks Unicode's tables.
        '\u{c0}'..='\u{24f}' => c != '×' && c != '÷',
        '\u{621}'..='\u{669}' | '\u{66e}'..='\u{6d3}' => true,
        _ => c.is_alphanumeric() || is_combining_mark(c),
    }
}

/// A word as the index keeps it: lower case, without accents, vowel marks or the Arabic
/// tatweel, so that `citta` finds `città`. The browser folds a query the same way
/// (`toLowerCase`, NFD, marks and U+0640 removed).
fn fold(word: &str) -> Cow<'_, str> {
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return Cow::Borrowed(word);
    }
    let (mut lower, mut folded) = (String::new(), String::new());
    for c in word.chars() {
        fold_char(c, &mut lower, &mut folded);
    }
    Cow::Owned(folded)
}

/// A character lower-cased (to `lower`) and folded (to `folded`): lower case, canonical
/// decomposition, marks and the tatweel left out.
fn fold_char(c: char, lower: &mut String, folded: &mut String) {
    for l in c.to_lowercase() {
        lower.push(l);
        if l.is_ascii() {
            folded.push(l);
        } else {
            unicode_normalization::char::decompose_canonical(l, |d| {
                if !is_combining_mark(d) && d != '\u{640}' {
                    folded.push(d);
                }
            });
        }
    }
}

/// What the words of a text need to know of a character of U+0080 to U+07FF (Latin, Greek,
/// Cyrillic, Armenian, Hebrew, Arabic), worked out once: Unicode's tables are looked up per
/// character otherwise.
struct Folding {
    /// [`word_char`].
    word: bool,
    /// [`fold_char`]'s folded form, and how many characters it has.
    folded: Box<str>,
    folded_chars: u8,
}

fn fold_table() -> &'static [Folding] {
    static TABLE: std::sync::OnceLock<Vec<Folding>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0x80u32..0x800)
            .map(|u| {
                let c = char::from_u32(u).unwrap_or(' ');
                let (mut lower, mut folded) = (String::new(), String::new());
                fold_char(c, &mut lower, &mut folded);
                Folding {
                    word: word_char(c),
                    folded_chars: folded.chars().count() as u8,
                    folded: folded.into(),
                }
            })
            .collect()
    })
}

/// The words of a text: (folded, as written), each at least two characters. The same as
/// [`fold`] on each word, without an allocation per word; the lower case of the word as
/// written, which only a word new to the index needs, is left to [`lower_case`].
fn words(text: &str, mut each: impl FnMut(&str, &str)) {
    let table = fold_table();
    let mut folded = String::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if !b.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            // A word of ASCII letters and digits only, most words: no folding but case.
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i == bytes.len() || bytes[i] < 0x80 || !starts_word_char(text, i, table) {
                let word = &text[start..i];
                if !(2..=MAX_WORD).contains(&word.len()) {
                    continue;
                }
                if word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                {
                    each(word, word);
                } else {
                    folded.clear();
                    folded.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
                    each(&folded, word);
                }
                continue;
            }
            // It goes on beyond ASCII: taken again from its start, character by character.
            i = start;
        }
        // A word with characters beyond ASCII (or a character that is not a word's).
        let start = i;
        folded.clear();
        let mut chars = 0usize;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                folded.push(b.to_ascii_lowercase() as char);
                chars += 1;
                i += 1;
            } else if let Some(f) = two_byte(table, bytes, i) {
                if !f.word {
                    break;
                }
                folded.push_str(&f.folded);
                chars += f.folded_chars as usize;
                i += 2;
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                if !word_char(c) {
                    break;
                }
                let before = folded.len();
                fold_char(c, &mut String::new(), &mut folded);
                chars += folded[before..].chars().count();
                i += c.len_utf8();
            }
        }
        if i == start {
            // Not a word's character: the next one.
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        if i - start <= MAX_WORD * 4 && (2..=MAX_WORD).contains(&chars) {
            each(&folded, &text[start..i]);
        }
    }
}

/// A word as written, in lower case: the form the stemmer is given.
fn lower_case(written: &str) -> Cow<'_, str> {
    if written.bytes().all(|b| !b.is_ascii_uppercase() && b < 0x80) {
        Cow::Borrowed(written)
    } else {
        Cow::Owned(written.chars().flat_map(char::to_lowercase).collect())
    }
}

/// Whether the character at byte `i` of `text` (not ASCII) belongs to a word.
fn starts_word_char(text: &str, i: usize, table: &[Folding]) -> bool {
    match two_byte(table, text.as_bytes(), i) {
        Some(f) => f.word,
        None => text[i..].chars().next().is_some_and(word_char),
    }
}

/// The table's entry for the character at byte `i`, if it is one of two bytes (U+0080 to
/// U+07FF), decoded from them.
fn two_byte<'t>(table: &'t [Folding], bytes: &[u8], i: usize) -> Option<&'t Folding> {
    match bytes[i] {
        b @ 0xC2..0xE0 if i + 1 < bytes.len() => {
            table.get((((b & 0x1F) as usize) << 6 | (bytes[i + 1] & 0x3F) as usize) - 0x80)
        }
        _ => None,
    }
}

/// What a page gives the index, as the tests look at it.
#[cfg(test)]
#[derive(Debug, Default, PartialEq)]
struct Extracted {
    url: String,
    title: String,
    /// The indexed text but the title, spaces collapsed: what excerpts are cut from.
    text: String,
    /// (folded word, as first written in lower case when that differs, weighted count).
    terms: Vec<(String, String, u32)>,
}

/// Part of a line of text: no space is put where the element begins or ends.
const INLINE: u8 = 1;
/// No end tag.
const VOID: u8 = 2;
/// Content that is never text of the page.
const SKIPPED: u8 = 4;
/// A start tag that ends an open `<p>` (HTML's rule, for pages whose `</p>` the minifier
/// left out).
const ENDS_P: u8 = 8;

/// What the extractor needs to know of an element, by its (lower-case) name.
fn class(name: &str) -> u8 {
    match name {
        "a" | "abbr" | "b" | "bdi" | "bdo" | "cite" | "code" | "data" | "dfn" | "em" | "i"
        | "kbd" | "mark" | "q" | "s" | "samp" | "small" | "span" | "strong" | "sub" | "sup"
        | "time" | "u" | "var" => INLINE,
        "area" | "base" | "br" | "col" | "embed" | "img" | "input" | "link" | "meta" | "source"
        | "track" | "wbr" => VOID,
        "hr" => VOID | ENDS_P,
        "script" | "style" | "svg" | "template" | "noscript" | "textarea" | "math" | "iframe"
        | "object" | "select" | "button" => SKIPPED,
        "address" | "article" | "aside" | "blockquote" | "details" | "div" | "dl" | "fieldset"
        | "figcaption" | "figure" | "footer" | "form" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
        | "header" | "hgroup" | "main" | "menu" | "nav" | "ol" | "p" | "pre" | "section"
        | "table" | "ul" => ENDS_P,
        _ => 0,
    }
}

/// Takes the indexed part of a rendered page apart (see [`extract_with`]), for the tests.
#[cfg(test)]
fn extract(html: &str, url: &str) -> Extracted {
    let mut terms: Vec<(String, String, u32)> = Vec::new();
    let (title, text) = extract_with(html, true, |folded, written, w| {
        let lower = lower_case(written);
        match terms.iter_mut().find(|t| t.0 == folded) {
            Some(t) => t.2 += w,
            None => terms.push((
                folded.to_string(),
                if lower == folded {
                    String::new()
                } else {
                    lower.to_string()
                },
                w,
            )),
        }
    });
    Extracted {
        url: url.to_string(),
        title,
        text,
        terms,
    }
}

/// The length in bytes of the white space character (`char::is_whitespace`) starting at
/// byte `i` of `s`, or 0. Only three first bytes begin a white space character beyond ASCII:
/// 0xC2 (U+0085, U+00A0) and 0xE1 to 0xE3 (U+1680, U+2000 to U+3000).
fn white_space_at(s: &str, i: usize) -> usize {
    let bytes = s.as_bytes();
    match bytes[i] {
        b'\t'..=b'\r' | b' ' => 1,
        0xC2 => match bytes.get(i + 1) {
            Some(0x85 | 0xA0) => 2,
            _ => 0,
        },
        0xE1..=0xE3 => match s.get(i..).and_then(|r| r.chars().next()) {
            Some(c) if c.is_whitespace() => 3,
            _ => 0,
        },
        _ => 0,
    }
}

/// Text gathered with its white space collapsed as it comes: runs of it one space, none at
/// the start; at most `limit` bytes kept.
struct Collapsed {
    text: String,
    limit: usize,
    space: bool,
}

impl Collapsed {
    fn new(limit: usize) -> Self {
        Collapsed {
            text: String::new(),
            limit,
            space: false,
        }
    }

    fn push(&mut self, s: &str) {
        if self.text.len() >= self.limit {
            return;
        }
        // Pieces between white space, found byte by byte (a UTF-8 continuation byte is
        // never white space's first).
        let bytes = s.as_bytes();
        let (mut start, mut i) = (0, 0);
        while i < bytes.len() {
            let b = bytes[i];
            // Most bytes cannot begin white space (see `white_space_at`).
            if b > b' ' && b != 0xC2 && !(0xE1..=0xE3).contains(&b) {
                i += 1;
                continue;
            }
            let white = white_space_at(s, i);
            if white == 0 {
                i += 1;
                continue;
            }
            if start < i && !self.piece(&s[start..i]) {
                return;
            }
            self.space = true;
            i += white;
            start = i;
        }
        if start < bytes.len() {
            self.piece(&s[start..]);
        }
    }

    /// Adds a piece of text without white space; false once nothing more fits.
    fn piece(&mut self, piece: &str) -> bool {
        if self.space && !self.text.is_empty() {
            if self.text.len() + 1 > self.limit {
                return false;
            }
            self.text.push(' ');
        }
        self.space = false;
        if self.text.len() + piece.len() <= self.limit {
            self.text.push_str(piece);
            return true;
        }
        // Nothing more fits: the rest is still indexed, not kept.
        for c in piece.chars() {
            if self.text.len() + c.len_utf8() > self.limit {
                break;
            }
            self.text.push(c);
        }
        self.limit = self.text.len();
        false
    }

    fn space(&mut self) {
        self.space = true;
    }

    fn done(self) -> String {
        self.text
    }
}

/// Takes the indexed part of a rendered page apart: the element marked `data-search-body`
/// (the whole `<body>` when there is none), less what is marked `data-search-ignore`.
/// Tags the minifier left out (`</p>`, `</li>`, `</dd>` …) are closed as a browser would.
///
/// Each word is handed to `word` as it comes: (folded, as written, weight).
/// Returns the title (the first `<h1>`) and, if `keep_text`, the rest of the text, white
/// space collapsed, cut at [`MAX_EXCERPT_TEXT`] bytes. (The browser takes the same text
/// from the page for an excerpt: see `textOf` in search.js.)
fn extract_with(
    html: &str,
    keep_text: bool,
    mut word: impl FnMut(&str, &str, u32),
) -> (String, String) {
    let (start, end) = body_range(html);
    let src = &html[start..end];
    let mut title = Collapsed::new(usize::MAX);
    let mut text = Collapsed::new(if keep_text { MAX_EXCERPT_TEXT } else { 0 });
    // Open elements: (name, ignored, heading weight).
    let mut open: Vec<(Cow<str>, bool, u32)> = Vec::new();
    let mut ignoring = 0usize;
    let mut in_title = false;
    let mut title_done = false;
    let weight =
        |open: &[(Cow<str>, bool, u32)]| open.iter().rev().find(|e| e.2 > 0).map_or(1, |e| e.2);
    let mut add_text =
        |title: &mut Collapsed, text: &mut Collapsed, raw: &str, w: u32, in_title: bool| {
            let decoded = decode(raw);
            // The title is shown above the excerpt: the excerpt is cut from the rest.
            if in_title {
                title.push(&decoded);
            } else {
                text.push(&decoded);
            }
            words(&decoded, |folded, written| word(folded, written, w));
        };
    let mut i = 0;
    let bytes = src.as_bytes();
    while i < src.len() {
        let Some(lt) = src[i..].find('<').map(|p| p + i) else {
            if ignoring == 0 {
                add_text(&mut title, &mut text, &src[i..], weight(&open), in_title);
            }
            break;
        };
        if lt > i && ignoring == 0 {
            add_text(&mut title, &mut text, &src[i..lt], weight(&open), in_title);
        }
        let rest = &src[lt..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(src.len(), |p| lt + p + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = rest.find('>').map_or(src.len(), |p| lt + p + 1);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = lt + if closing { 2 } else { 1 };
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 {
            // A lone `<` in text.
            if ignoring == 0 {
                add_text(&mut title, &mut text, "<", weight(&open), in_title);
            }
            i = lt + 1;
            continue;
        }
        let raw_name = &src[name_start..name_start + name_len];
        let name: Cow<str> = if raw_name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(raw_name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(raw_name)
        };
        let kind = class(&name);
        let (tag_end, attrs) = tag_end(src, name_start + name_len);
        i = tag_end;
        if kind & INLINE == 0 {
            text.space();
        }
        if closing {
            if let Some(at) = open.iter().rposition(|e| e.0 == name) {
                for e in open.drain(at..) {
                    if e.1 {
                        ignoring -= 1;
                    }
                    if e.0 == "h1" && in_title {
                        in_title = false;
                        title_done = true;
                    }
                }
            }
            continue;
        }
        // Implied end tags.
        let implied: &[&str] = match &*name {
            _ if kind & ENDS_P != 0 => &["p"],
            "li" => &["li"],
            "dt" | "dd" => &["dt", "dd"],
            "tr" => &["tr", "td", "th"],
            "td" | "th" => &["td", "th"],
            "thead" | "tbody" | "tfoot" => &["thead", "tbody", "tfoot", "tr", "td", "th"],
            "option" => &["option"],
            _ => &[],
        };
        while let Some(top) = open.last() {
            if !implied.contains(&&*top.0) {
                break;
            }
            let e = open.pop().unwrap_or_default();
            if e.1 {
                ignoring -= 1;
            }
        }
        let ignored = attrs.contains("data-search-ignore") && has_attr(attrs, "data-search-ignore");
        if kind & VOID != 0 || attrs.ends_with('/') {
            if name == "img"
                && ignoring == 0
                && !ignored
                && let Some(alt) = attr(attrs, "alt")
            {
                add_text(
                    &mut title,
                    &mut text,
                    &format!(" {alt} "),
                    weight(&open),
                    false,
                );
            }
            continue;
        }
        if kind & SKIPPED != 0 {
            let close = format!("</{name}");
            i = find_ci(src, i, &close)
                .and_then(|p| src[p..].find('>').map(|q| p + q + 1))
                .unwrap_or(src.len());
            continue;
        }
        let heading = match &*name {
            "h1" => 7,
            "h2" => 6,
            "h3" => 5,
            "h4" => 4,
            "h5" => 3,
            "h6" => 2,
            _ => 0,
        };
        if name == "h1" && !title_done && ignoring == 0 && !ignored {
            in_title = true;
        }
        if ignored {
            ignoring += 1;
        }
        open.push((name, ignored, heading));
    }
    (title.done(), text.done())
}

/// Where the indexed element's content starts and ends in a page.
fn body_range(html: &str) -> (usize, usize) {
    let marked = html.find("data-search-body").and_then(|at| {
        let open = html[..at].rfind('<')?;
        let name: String = html[open + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let start = at + html[at..].find('>')? + 1;
        let end = html.rfind(&format!("</{name}>"))?;
        (end >= start).then_some((start, end))
    });
    marked.unwrap_or_else(|| {
        let start = html
            .find("<body")
            .and_then(|b| html[b..].find('>').map(|e| b + e + 1))
            .unwrap_or(0);
        (start, html.rfind("</body>").unwrap_or(html.len()))
    })
}

/// The end of a tag whose name ends at `from` (just past its `>`), and its attributes' text.
fn tag_end(src: &str, from: usize) -> (usize, &str) {
    let bytes = src.as_bytes();
    let mut quote = 0u8;
    let mut j = from;
    while j < bytes.len() {
        let b = bytes[j];
        if quote != 0 {
            if b == quote {
                quote = 0;
            }
        } else if b == b'"' || b == b'\'' {
            quote = b;
        } else if b == b'>' {
            return (j + 1, src[from..j].trim());
        }
        j += 1;
    }
    (src.len(), src[from..].trim())
}

/// Whether the attributes' text has the attribute `name` (not as part of another's value).
fn has_attr(attrs: &str, name: &str) -> bool {
    attr_values(attrs).any(|(n, _)| n.eq_ignore_ascii_case(name))
}

/// The value of the attribute `name`, entities decoded.
fn attr(attrs: &str, name: &str) -> Option<String> {
    attr_values(attrs)
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| decode(v).into_owned())
}

/// The attributes of a tag: (name, raw value).
fn attr_values(attrs: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = attrs;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let name_len = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        rest = rest[name_len..].trim_start();
        let mut value = "";
        if let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            if let Some(q) = r.chars().next().filter(|c| *c == '"' || *c == '\'') {
                let end = r[1..].find(q).map_or(r.len(), |e| e + 1);
                value = &r[1..end];
                rest = r.get(end + 1..).unwrap_or("");
            } else {
                let end = r.find(|c: char| c.is_ascii_whitespace()).unwrap_or(r.len());
                value = &r[..end];
                rest = &r[end..];
            }
        }
        Some((name, value))
    })
}

/// The first place at or after `from` where `needle` (ASCII) appears, in any case.
fn find_ci(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let n = needle.len();
    let h = hay.as_bytes();
    (from..h.len().saturating_sub(n - 1))
        .find(|&i| h[i..i + n].eq_ignore_ascii_case(needle.as_bytes()))
}

/// Text with its character references decoded: the ones a minifier or Markdown writes
/// (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;`, numeric), with or without `;`.
fn decode(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let body = &rest[1..];
        let (ch, used) = if let Some(num) = body.strip_prefix('#') {
            let (digits, radix) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (h, 16),
                None => (num, 10),
            };
            let len = digits
                .bytes()
                .take_while(|b| (*b as char).is_digit(radix))
                .count();
            let c = u32::from_str_radix(&digits[..len], radix)
                .ok()
                .and_then(char::from_u32);
            let prefix = 2 + (num.len() - digits.len()) + len;
            (c, prefix + usize::from(rest[prefix..].starts_with(';')))
        } else {
            let named = [
                ("amp", '&'),
                ("lt", '<'),
                ("gt", '>'),
                ("quot", '"'),
                ("apos", '\''),
                ("nbsp", '\u{a0}'),
            ];
            named
                .iter()
                .find(|(n, _)| body.starts_with(n))
                .map_or((None, 0), |(n, c)| {
                    let used = 1 + n.len();
                    (Some(*c), used + usize::from(rest[used..].starts_with(';')))
                })
        };
        match ch {
            Some(c) if used > 1 => {
                out.push(c);
                rest = &rest[used..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// In `vetrina serve` the index is built in the background: its thread runs only when the
/// processor has nothing else to do, so that the next edit's pages are not slowed down.
fn lowest_priority() {
    #[cfg(target_os = "linux")]
    {
        use thread_priority::unix::*;
        let _ = set_thread_priority_and_policy(
            thread_native_id(),
            thread_priority::ThreadPriority::Min,
            ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle),
        );
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = thread_priority::set_current_thread_priority(thread_priority::ThreadPriority::Min);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(kind: Kind, lang: &str, path: &str, fallback: bool) -> Route {
        Route {
            kind,
            lang: lang.into(),
            path: path.into(),
            fallback,
        }
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

    /// A story page as the minifier leaves it: `</p>`, `</li>`, `</dd>` left out, attributes
    /// unquoted.
    const STORY: &str = "<!DOCTYPE html><html lang=it dir=ltr><head><meta charset=utf-8><title>Tirocinio – Vetrina</title></head><body><a href=#main>Salta</a><header><nav><a href=/>Home</a><a href=/storie/>Storie di lavoro</a></nav><div class=band><svg><title>Bandiera europea</title></svg><p>Cofinanziato dall'Unione europea</div></header><main id=main class=wrap data-search-body><p class=kicker>Storia<h1>Tirocinio in <em>Lombardia</em></h1><p>Un percorso di <em>inserimento</em> lavorativo a Brescia &amp; Bergamo.<p data-search-ignore><a href=feed.xml>Feed RSS</a><ul data-search-ignore><li>Calendario<li>Altro</ul><dl><dt>Stato<dd>concluso</dl><svg role=img><title>Grafico</title><text>4.776</text></svg><img alt=\"Una cucina\" src=a.jpg><h2 id=esiti>Esiti</h2><p>Contratto a tempo determinato; città di Brescia.</main><footer><p>Fondo Sociale Europeo Plus</footer></body></html>";

    #[test]
    fn a_page_gives_its_indexed_element_less_what_is_marked_ignored() {
        let x = extract(STORY, "/storie/a/");
        assert_eq!(x.title, "Tirocinio in Lombardia");
        assert_eq!(
            x.text,
            "Storia Un percorso di inserimento lavorativo a Brescia & Bergamo. Stato concluso Una cucina Esiti Contratto a tempo determinato; città di Brescia."
        );
        let count = |w: &str| x.terms.iter().find(|t| t.0 == w).map(|t| t.2);
        // Headings weigh more than the text; a word in both counts both.
        assert_eq!(count("tirocinio"), Some(7));
        assert_eq!(count("lombardia"), Some(7));
        assert_eq!(count("esiti"), Some(6));
        assert_eq!(count("brescia"), Some(2));
        // Accents folded, the form as written kept for the stemmer.
        let citta = x.terms.iter().find(|t| t.0 == "citta").unwrap();
        assert_eq!(citta.1, "città");
        assert_eq!(x.terms.iter().find(|t| t.0 == "esiti").unwrap().1, "");
        for outside in [
            "salta",
            "home",
            "cofinanziato",
            "feed",
            "calendario",
            "grafico",
            "fondo",
            "bandiera",
        ] {
            assert_eq!(count(outside), None, "{outside} is indexed");
        }
        // One-letter words are not.
        assert_eq!(count("a"), None);
    }

    #[test]
    fn the_minified_and_the_written_page_give_the_same_index() {
        let written = "<html lang=it><body><main data-search-body><h1>Titolo</h1><p>Primo paragrafo.</p><p data-search-ignore>Nascosto</p><ul><li>Uno</li><li>Due</li></ul><p>Ultimo</p></main></body></html>";
        let minified = "<html lang=it><body><main data-search-body><h1>Titolo</h1><p>Primo paragrafo.<p data-search-ignore>Nascosto<ul><li>Uno<li>Due</ul><p>Ultimo</main>";
        assert_eq!(extract(written, "/a/"), extract(minified, "/a/"));
        assert!(!extract(minified, "/a/").text.contains("Nascosto"));
    }

    #[test]
    fn the_quick_answers_for_common_letters_are_unicode_s() {
        for c in ('\u{c0}'..='\u{24f}').chain('\u{600}'..='\u{6ff}') {
            assert_eq!(
                word_char(c),
                c.is_alphanumeric() || is_combining_mark(c),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn odd_or_broken_markup_never_stops_the_index() {
        let odd = [
            "",
            "<",
            "</",
            "<a",
            "<a href='x",
            "&",
            "&#",
            "&#x",
            "&#x110000;",
            "&amp",
            "<!--",
            "<!-- x",
            "<!",
            "<?x",
            "<main data-search-body",
            "<main data-search-body>",
            "</main><main data-search-body>",
            "<p>città<script>x",
            "<svg><title>x",
            "<h1>é</h1></h1></p></li>",
            "<img alt=\"é",
            "<img alt=é/>",
            "<b>\u{640}\u{64b}</b>",
            "<p data-search-ignore>x",
            "<ul data-search-ignore><li>a</ul>b",
            "<<<>>>",
            "a<1b>c",
            "<BODY><MAIN DATA-SEARCH-BODY><H1>T</H1></MAIN>",
            "\u{10ffff}<p>\u{1f600}x",
        ];
        for html in odd {
            let x = extract(html, "/x/");
            assert!(x.text.len() <= html.len() * 3, "{html}");
        }
        // Where a tag is cut short, what follows is not text; where the element never ends,
        // the rest of the page is in it.
        assert_eq!(extract("<body><p>a<b", "/").text, "a");
        assert_eq!(extract("<body><h1>Titolo", "/").title, "Titolo");
    }

    #[test]
    fn the_table_of_folds_folds_as_unicode_s_tables() {
        for c in ('\u{80}'..='\u{7ff}').filter(|&c| word_char(c)) {
            let word = format!("a{c}b");
            let mut seen = Vec::new();
            words(&word, |f, w| {
                seen.push((f.to_string(), lower_case(w).into_owned()))
            });
            let lower: String = word.chars().flat_map(char::to_lowercase).collect();
            if seen.is_empty() {
                // Folded to under two characters.
                assert!(fold(&word).chars().count() < 2, "U+{:04X}", c as u32);
                continue;
            }
            assert_eq!(
                seen,
                vec![(fold(&word).into_owned(), lower)],
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn character_references_are_decoded() {
        assert_eq!(
            decode("a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#x27; &amp"),
            "a & b <c> \"d\" 'e' &"
        );
        assert_eq!(decode("R&D &unknown; 5 & 6"), "R&D &unknown; 5 & 6");
        assert_eq!(decode("&#1;&#xZZ;"), "\u{1}&#xZZ;");
    }

    #[test]
    fn words_are_folded_as_the_browser_folds_them() {
        let mut got = Vec::new();
        words(
            "L'Università di Città – ÉTÉ, العَمَلُ بالعمل x 2024",
            |f, w| got.push((f.to_string(), w.to_string())),
        );
        let folded: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            folded,
            [
                "universita",
                "di",
                "citta",
                "ete",
                "العمل",
                "بالعمل",
                "2024"
            ]
        );
        // Each word as written, and in lower case for the stemmer.
        assert_eq!(got[0].1, "Università");
        assert_eq!(got[3].1, "ÉTÉ");
        assert_eq!(lower_case(&got[0].1), "università");
        assert_eq!(lower_case(&got[3].1), "été");
        assert_eq!(lower_case(&got[4].1), "العَمَلُ");
        assert!(matches!(lower_case("di"), Cow::Borrowed("di")));
        // What `fold` makes of each word, the stems' folding.
        for (f, w) in &got {
            assert_eq!(fold(&lower_case(w)), f.as_str());
        }
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

    #[test]
    fn a_page_that_is_not_utf8_is_indexed_around_the_bad_bytes() {
        let a = route(Kind::Page("a".into()), "it", "/a/", false);
        let html: &[u8] = b"<main data-search-body><h1>Titolo</h1><p>parola \xff\xfe buona</main>";
        let (files, stats) =
            index([(&a, Page::Bytes(html))].into_iter(), &|| false, false).unwrap();
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
        let pages: Vec<u64> = pages
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        // Page 0 has the word in its title, page 1 twice in its text: both are found, the
        // title's first.
        assert_eq!(pages.len(), 4, "{pages:?}");
        assert_eq!((pages[0], pages[2]), (0, 1));
        assert!(pages[1] > pages[3], "{pages:?}");
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
        // A page of ordinary size gives its address and title: its excerpt is cut from the
        // page itself in the browser.
        assert_eq!(first[0], serde_json::json!(["/a/", "Lavoro in cucina"]));
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
        let text = docs[0][2].as_str().unwrap();
        assert!(text.len() <= MAX_EXCERPT_TEXT && text.len() > MAX_EXCERPT_TEXT - 8);
        assert!(text.starts_with("voce00000 è voce00001"));
        // Just under the limit, it does not.
        let files = long_page("it", "Elenco", FETCH_LIMIT / 13 - 100, |i| {
            format!("voce{i:05} è ")
        });
        let meta = json(&files, "search-index/it/index.json");
        let docs = json(
            &files,
            &format!("search-index/it/{}", meta["docs"][0].as_str().unwrap()),
        );
        assert_eq!(docs[0], serde_json::json!(["/a/", "Elenco"]));
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
        // complete handed to a sink as they are) and the rest by it.
        let ix = Indexer::new(routes.iter());
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
    fn text_is_collapsed_at_every_white_space_character_and_cut_whole() {
        // What `push` must do, written the plain way: split at `char::is_whitespace`.
        fn plain(parts: &[&str], limit: usize) -> String {
            let mut text = String::new();
            let mut space = false;
            'all: for s in parts {
                for (n, piece) in s.split(char::is_whitespace).enumerate() {
                    if n > 0 {
                        space = true;
                    }
                    if piece.is_empty() {
                        continue;
                    }
                    if space && !text.is_empty() {
                        if text.len() + 1 > limit {
                            break 'all;
                        }
                        text.push(' ');
                    }
                    space = false;
                    for c in piece.chars() {
                        if text.len() + c.len_utf8() > limit {
                            break 'all;
                        }
                        text.push(c);
                    }
                }
            }
            text
        }
        let white: Vec<char> = (0..=0x3000u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert_eq!(white.len(), 25);
        let mut sample = String::from("  uno\tdue ");
        for (n, c) in white.iter().enumerate() {
            sample.push_str(["città", "العمل", "x", "ṃ", "\u{2009}"][n % 5]);
            sample.push(*c);
            sample.push(*c);
        }
        // First bytes E1 to E3 that begin no white space: U+1A00, U+2010, U+3001.
        sample.push_str("fine\u{1a00}\u{2010}\u{3001}");
        let parts = [sample.as_str(), "", " ", "a", "b ", "\u{a0}c\u{3000}", "ĉ"];
        for limit in [0, 1, 2, 5, 17, 40, 90, 200, 10_000] {
            let mut c = Collapsed::new(limit);
            for p in parts {
                c.push(p);
            }
            assert_eq!(c.done(), plain(&parts, limit), "limit {limit}");
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
        assert_eq!(r.unwrap_err(), CANCELLED);
    }
}
