//! The indexer: rendered pages taken apart into per-language tables of words as they come
//! (from any thread, in any order), numbered in advance so that the order does not matter,
//! the tables merged, and the files of titles handed to the build's sink as soon as they are
//! complete. What a page's text is comes from [`super::html`]; how the files are written,
//! from [`super::format`]. A fault here fails the build with a message, never a panic.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::facets::Facets;
use super::format::{
    self, DocEntry, DocFile, FETCH_LIMIT, MAX_EXCERPT_TEXT, PER_DOC, SHORT_TEXT, doc_file,
    file_name,
};
use super::html::{PageText, TITLE, extract_with};
use super::text::lower_case;
use super::{FileSink, GeneratedFile, IndexError, Page, RUNTIME, SEARCH_DIR, SearchStats};
use crate::plan::Route;

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
    pub(crate) fn new<'a>(routes: impl Iterator<Item = &'a Route>) -> Self {
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
    pub(crate) fn len(&self) -> usize {
        self.pages.len()
    }

    /// Takes a rendered page apart into the index, if it is one of the index's pages (and
    /// was not added before); any other is left alone. A file of titles that the
    /// page completes is handed to `sink` at once, so that the texts of a large site are not
    /// all held until the end.
    pub(crate) fn add(&self, route: &Route, html: &[u8], sink: Option<&FileSink>) {
        if let Some(&n) = self.slot.get(&route.path) {
            self.add_slot(n, html, sink);
        }
    }

    fn add_slot(&self, n: usize, html: &[u8], sink: Option<&FileSink>) {
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
    fn pend(&self, lang: u32, page: u32, entry: Vec<u8>, sink: &FileSink) {
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
    pub(crate) fn finish<'p>(
        self,
        page_of: &(dyn Fn(&Route) -> Page<'p> + Sync),
        cancelled: &(dyn Fn() -> bool + Sync),
        background: bool,
    ) -> Result<(Vec<GeneratedFile>, SearchStats), IndexError> {
        // A fault here fails the build with a message, never a panic.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.finish_inner(page_of, cancelled, background)
        }))
        .unwrap_or_else(|_| {
            Err(IndexError::Failed(
                "the search indexer stopped unexpectedly".into(),
            ))
        })
    }

    fn finish_inner<'p>(
        self,
        page_of: &(dyn Fn(&Route) -> Page<'p> + Sync),
        cancelled: &(dyn Fn() -> bool + Sync),
        background: bool,
    ) -> Result<(Vec<GeneratedFile>, SearchStats), IndexError> {
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
        let one = |&n: &usize| -> Result<(), IndexError> {
            if cancelled() {
                return Err(IndexError::Cancelled);
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
            format::files(g, lang, parts.made)
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
            for lang in &self.langs {
                if let Some((path, js)) = super::browser_stemmer(lang) {
                    files.insert(format!("{SEARCH_DIR}/{path}"), js.as_bytes().to_vec());
                }
            }
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

/// (page, weighted count) of every page a word or a stem is on, the count with [`TITLE`]
/// set when the word is in the page's title.
pub(super) type Postings = Vec<(u32, u32)>;

/// A word of a table: folded, the form it was first met in (lower case, accents kept:
/// what the stemmer is given), the page that form was met on, and (page, weighted count)
/// for every page it is on.
pub(super) struct Word {
    pub(super) folded: Box<str>,
    pub(super) original: Box<str>,
    pub(super) first: u32,
    pub(super) postings: Postings,
}

/// A language's words as they are gathered, from pages in any order: each word once, the
/// pages it is on.
#[derive(Default)]
pub(super) struct Gathered {
    /// Folded word → its number.
    ids: FxHashMap<Box<str>, u32>,
    /// By number.
    pub(super) words: Vec<Word>,
    /// (page, weighted length) of every page.
    pub(super) lengths: Vec<(u32, u32)>,
    /// (page, its entry in a file of titles) of every page.
    pub(super) docs: Vec<DocEntry>,
    /// (page, its date as `yyyymmdd`, 0 when it has none) of every page.
    pub(super) dates: Vec<(u32, u32)>,
    /// (page, what it says of itself) of every page that says something.
    pub(super) facets: Vec<(u32, Facets)>,
}

/// Two weighted counts of a word (or stem) on a page added: the counts summed, [`TITLE`]
/// kept when either has it.
pub(super) fn add_weights(a: u32, b: u32) -> u32 {
    ((a & !TITLE).saturating_add(b & !TITLE) & !TITLE) | ((a | b) & TITLE)
}

impl Gathered {
    /// Takes page number `page` apart into the table.
    /// Returns the page's entry in a file of titles as JSON: `[url, title, text]`, the
    /// text's first [`SHORT_TEXT`] bytes; for a page larger than [`FETCH_LIMIT`],
    /// `[url, title, text, 1, headings]` with up to [`MAX_EXCERPT_TEXT`] bytes of it and its
    /// headings with an id in that text, `[[where, id, text]…]` (where: in UTF-16 code
    /// units, as the browser counts), so that its result can link to the heading nearest the
    /// match without fetching the page.
    fn add_page(&mut self, page: u32, html: &str, url: &str) -> Vec<u8> {
        let mut length = 0u32;
        let large = html.len() > FETCH_LIMIT;
        let keep = if large { MAX_EXCERPT_TEXT } else { SHORT_TEXT };
        let PageText {
            title,
            text,
            date,
            facets,
            headings,
        } = extract_with(html, keep, |folded, written, w| {
            length += w & !TITLE;
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
                Some((p, count)) if *p == page => *count = add_weights(*count, w),
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
        self.dates.push((page, date));
        if facets != Facets::default() {
            self.facets.push((page, facets));
        }
        let mut entry = Vec::with_capacity(text.len() + title.len() + url.len() + 16);
        let _ = if large {
            let headings: Vec<(usize, &str, &str)> = headings
                .iter()
                .map(|(at, id, h)| {
                    let at = text.get(..*at).map_or(0, |t| t.encode_utf16().count());
                    (at, id.as_str(), h.as_str())
                })
                .collect();
            serde_json::to_writer(&mut entry, &(url, &title, &text, 1, headings))
        } else {
            serde_json::to_writer(&mut entry, &(url, &title, &text))
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
        self.dates.extend(other.dates);
        self.facets.extend(other.facets);
        self.docs.extend(other.docs);
    }
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
