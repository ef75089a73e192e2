//! The indexer: rendered pages taken apart into per-language tables of words as they come
//! (from any thread, in any order), numbered in advance so that the order does not matter,
//! the tables merged, and the files of titles handed to the build's sink as soon as they are
//! complete. What a page's text is comes from [`super::html`]; how the files are written,
//! from [`super::format`]. A fault here fails the build with a message, never a panic.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::facets::Facets;
use super::format::{
    self, DocEntry, DocFile, FETCH_LIMIT, MAX_EXCERPT_TEXT, PER_DOC, SHORT_TEXT, doc_file,
    file_name,
};
use super::html::{PageText, TITLE, extract_with, indexed_part};
use super::memo;
use super::text::{lower_case, lower_case_is};
use super::word_table::{Hot, NO_PAGE, WordTable};
use super::{FileSink, GeneratedFile, IndexError, Page, RUNTIME, SEARCH_DIR, SearchStats};
use crate::plan::Route;

mod recall;

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
    /// Pages waiting to be taken apart, one queue per set of tables.
    queues: Vec<std::sync::Mutex<Queue>>,
    /// How many bytes of pages a queue holds before they are taken apart.
    batch_bytes: usize,
    /// Pages per language.
    counts: Vec<u32>,
    /// Per language, the entries of files of `PER_DOC` pages not complete yet, by the
    /// file's number: a complete file is made, and handed to the sink, at once.
    pending: Vec<std::sync::Mutex<FxHashMap<u32, Vec<DocEntry>>>>,
    /// Files of titles made while rendering, with their language's number.
    done: std::sync::Mutex<Vec<(u32, DocFile)>>,
    /// Whether the index makes a memo for the next build (`remembering`), and the entries
    /// of the files of titles made while rendering, per language, which it then holds.
    remember: bool,
    made_docs: Vec<std::sync::Mutex<Vec<DocEntry>>>,
    /// The last build's memo, and the hash of each page's published bytes in this build
    /// (`recall`).
    past: Option<memo::Past>,
    published: FxHashMap<String, blake3::Hash>,
    /// The index files in the output as the last build left them (`recall`).
    untouched: FxHashSet<String>,
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
        let parts: Vec<_> = (0..=rayon::current_num_threads())
            .map(|_| std::sync::Mutex::new((0..langs.len()).map(|_| Gathered::default()).collect()))
            .collect();
        Indexer {
            queues: parts.iter().map(|_| Default::default()).collect(),
            batch_bytes: BATCH_BYTES,
            busy: Default::default(),
            added: pages.iter().map(|_| Default::default()).collect(),
            pending: langs.iter().map(|_| Default::default()).collect(),
            done: Default::default(),
            remember: false,
            made_docs: langs.iter().map(|_| Default::default()).collect(),
            past: None,
            published: FxHashMap::default(),
            untouched: FxHashSet::default(),
            langs,
            pages,
            slot,
            parts,
            counts,
        }
    }

    /// The same index, its pages taken apart `bytes` at a time (tests of small pages).
    #[cfg(test)]
    pub(crate) fn with_batches_of(mut self, bytes: usize) -> Self {
        self.batch_bytes = bytes;
        self
    }

    /// The same index, making a memo of its pages for the next build (`SearchStats::memo`,
    /// see [`memo`]): what each page gave it, by the hash of its published bytes.
    pub(crate) fn remembering(mut self) -> Self {
        self.remember = true;
        self
    }

    /// Takes from `past` (the last build's memo) every page not added yet whose published
    /// bytes are still those it was made from: `published` holds the hash of each page's
    /// bytes in this build (pages without one are read back). The memo this index makes
    /// records the same hashes. A language none of whose pages changed keeps the files the
    /// last build made for it, if they are among the `untouched` files of the output (paths
    /// in the output that still hold what the last build wrote): see
    /// [`SearchStats::kept`](super::SearchStats::kept).
    pub(crate) fn recall(
        &mut self,
        past: Option<memo::Past>,
        published: FxHashMap<String, blake3::Hash>,
        untouched: FxHashSet<String>,
    ) {
        self.past = past;
        self.published = published;
        self.untouched = untouched;
    }

    /// How many pages the index holds.
    pub(crate) fn len(&self) -> usize {
        self.pages.len()
    }

    /// Takes a rendered page apart into the index, if it is one of the index's pages (and
    /// was not added before); any other is left alone. A file of titles that the
    /// page completes is handed to `sink` at once, so that the texts of a large site are not
    /// all held until the end.
    ///
    /// Pages are taken apart a batch at a time (about [`BATCH_BYTES`] of them per thread):
    /// between two pages, rendering pushes the index's tables out of the processor's
    /// caches, and a batch finds them there again (a tenth less time for the index at 1,000
    /// stories; the indexed parts of a batch's pages are copied, two megabytes per thread).
    pub(crate) fn add(&self, route: &Route, html: &[u8], sink: Option<&FileSink>) {
        use std::sync::atomic::Ordering;
        let Some(&n) = self.slot.get(&route.path) else {
            return;
        };
        if self.added[n].swap(true, Ordering::Relaxed) {
            return;
        }
        let started = Instant::now();
        // Only the part the index reads is kept until the batch is taken apart.
        let part = as_text(indexed_part(html));
        let batch = {
            let mut queue = self.queues[self.part()]
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            queue.bytes += part.len();
            queue.pages.push((n, part.into_owned(), html.len()));
            if queue.bytes < self.batch_bytes {
                self.busy
                    .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
                return;
            }
            queue.bytes = 0;
            std::mem::take(&mut queue.pages)
        };
        self.busy
            .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
        for (n, part, page_len) in batch {
            self.take_apart(n, &part, page_len, sink);
        }
    }

    /// The set of tables (and queue) of the calling thread.
    fn part(&self) -> usize {
        rayon::current_thread_index()
            .unwrap_or(self.parts.len() - 1)
            .min(self.parts.len() - 1)
    }

    /// Adds page `n`, not added before (and marks it added).
    fn add_slot(&self, n: usize, html: &[u8], sink: Option<&FileSink>) {
        use std::sync::atomic::Ordering;
        if !self.added[n].swap(true, Ordering::Relaxed) {
            self.take_apart(n, &as_text(indexed_part(html)), html.len(), sink);
        }
    }

    /// Takes page `n` apart into the calling thread's tables: `part` is the part of the
    /// page the index reads ([`indexed_part`]), `page_len` the whole page's length.
    fn take_apart(&self, n: usize, part: &str, page_len: usize, sink: Option<&FileSink>) {
        use std::sync::atomic::Ordering;
        let (route, lang, page) = &self.pages[n];
        let started = Instant::now();
        let mut tables = self.parts[self.part()]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let table = &mut tables[*lang as usize];
        let entry = table.add_page(*page, part, page_len, &route.path);
        match sink {
            Some(sink) => {
                drop(tables);
                self.pend(*lang, *page, entry, sink);
            }
            None => table.pages.docs.push((*page, entry)),
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
        if self.remember {
            (self.made_docs[lang as usize].lock())
                .unwrap_or_else(|e| e.into_inner())
                .append(&mut complete);
        }
        let name = file_name("d", &bytes);
        let path = format!("{SEARCH_DIR}/{}/{name}", self.langs[lang as usize]);
        let kept = (!sink(&path, &bytes)).then_some(bytes);
        self.done
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((lang, (group, name, kept)));
    }

    /// Adds the pages of language `l` not added yet, taken from `page_of`; in the
    /// `background` on the calling thread. `cancelled` is asked between pages.
    fn add_missing<'p>(
        &self,
        l: usize,
        page_of: &(dyn Fn(&Route) -> Page<'p> + Sync),
        cancelled: &(dyn Fn() -> bool + Sync),
        background: bool,
    ) -> Result<(), IndexError> {
        use std::sync::atomic::Ordering;
        let missing: Vec<usize> = (0..self.pages.len())
            .filter(|&n| self.pages[n].1 as usize == l && !self.added[n].load(Ordering::Relaxed))
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
            missing.iter().try_for_each(one)
        } else {
            missing.par_iter().try_for_each(one)
        }
    }

    /// Takes out what every thread gathered of language `l`: its tables, the entries of
    /// its files of titles not complete while rendering, the files made while rendering.
    fn take_language_parts(&self, l: usize) -> LangParts {
        let mut parts = LangParts::default();
        for part in &self.parts {
            let mut tables = part.lock().unwrap_or_else(|e| e.into_inner());
            parts.tables.push(std::mem::take(&mut tables[l]));
        }
        let pending =
            std::mem::take(&mut *self.pending[l].lock().unwrap_or_else(|e| e.into_inner()));
        parts.pending.extend(pending.into_values().flatten());
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        let (mine, others): (Vec<_>, Vec<_>) = std::mem::take(&mut *done)
            .into_iter()
            .partition(|(lang, _)| *lang as usize == l);
        *done = others;
        parts.made.extend(mine.into_iter().map(|(_, file)| file));
        parts
    }

    /// Adds the pages not added yet, taken from `page_of`, and makes the index's files, as
    /// (path in the output, bytes), sorted by path. In the `background` it all runs on the
    /// calling thread at the lowest priority. `cancelled` is asked between pages.
    ///
    /// With a `sink`, each language's files are handed to it as soon as they are made, and
    /// those it takes are returned without their bytes (listed in
    /// [`SearchStats::streamed`]): only one language's files are held at a time.
    pub(crate) fn finish<'p>(
        self,
        page_of: &(dyn Fn(&Route) -> Page<'p> + Sync),
        cancelled: &(dyn Fn() -> bool + Sync),
        background: bool,
        sink: Option<&FileSink>,
    ) -> Result<(Vec<GeneratedFile>, SearchStats), IndexError> {
        // A fault here fails the build with a message, never a panic.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.finish_inner(page_of, cancelled, background, sink)
        }))
        .unwrap_or_else(|_| {
            Err(IndexError::Failed(
                "the search indexer stopped unexpectedly".into(),
            ))
        })
    }

    fn finish_inner<'p>(
        mut self,
        page_of: &(dyn Fn(&Route) -> Page<'p> + Sync),
        cancelled: &(dyn Fn() -> bool + Sync),
        background: bool,
        sink: Option<&FileSink>,
    ) -> Result<(Vec<GeneratedFile>, SearchStats), IndexError> {
        use std::sync::atomic::Ordering;
        if background {
            lowest_priority();
        }
        let started = Instant::now();
        // The time of the pages taken apart while rendering, before this call.
        let rendering = self.busy.load(Ordering::Relaxed);
        // The pages of the last batches, then those never added.
        let queued: Vec<(usize, String, usize)> = (self.queues.iter())
            .flat_map(|q| std::mem::take(&mut q.lock().unwrap_or_else(|e| e.into_inner()).pages))
            .collect();
        if background {
            queued
                .iter()
                .for_each(|(n, part, len)| self.take_apart(*n, part, *len, None));
        } else {
            queued
                .par_iter()
                .for_each(|(n, part, len)| self.take_apart(*n, part, *len, None));
        }
        drop(queued);
        let unchanged = self.take_unchanged_languages();
        let past = self.past_by_language();
        let threads = self.parts.len() - 1;
        let mut stats = SearchStats {
            pages: Vec::new(),
            urls: self.pages.iter().map(|(r, _, _)| r.path.clone()).collect(),
            elapsed: Duration::ZERO,
            streamed: Vec::new(),
            memo: None,
            recalled: 0,
            kept: Vec::new(),
        };
        let mut paths: Vec<Vec<&str>> = (self.counts.iter())
            .map(|&n| vec![""; n as usize])
            .collect();
        for (route, l, page) in &self.pages {
            paths[*l as usize][*page as usize] = &route.path;
        }
        let this = &self;
        let hash_of = |path: &str| this.published.get(path).copied();
        // One language at a time, from its memo and its pages to its files: in the
        // background only one language's tables are held at once.
        let one_lang = |((l, past), unchanged): (
            (usize, Option<memo::PastLang>),
            Option<memo::PastLang>,
        )|
         -> Result<LangFiles, IndexError> {
            let lang = &this.langs[l];
            // Nothing changed: the last build's files and record, as they are.
            if let Some(past) = unchanged {
                return Ok(LangFiles {
                    kept: past.files.clone(),
                    memo: this.remember.then(|| past.kept()),
                    recalled: this.counts[l] as usize,
                    ..Default::default()
                });
            }
            let recalled = past.map(|past| this.recall_language(l, &past));
            this.add_missing(l, page_of, cancelled, background)?;
            let mut parts = this.take_language_parts(l);
            let recalled_pages = recalled.as_ref().map_or(0, |g| g.pages.lengths.len());
            parts.tables.extend(recalled);
            // The largest table first, the others joined into it: joined into a smaller
            // one, each of its words would be looked up and its table made again.
            (parts.tables).sort_by_key(|t| std::cmp::Reverse(t.pages.lengths.len()));
            let mut g = Gathered::default();
            for table in parts.tables {
                g.join(table);
            }
            g.pages.docs.extend(parts.pending);
            let part = this.remember.then(|| {
                g.settle();
                let made = (this.made_docs[l].lock()).unwrap_or_else(|e| e.into_inner());
                let docs: Vec<&DocEntry> = g.pages.docs.iter().chain(made.iter()).collect();
                memo::encode(lang, &g, &paths[l], &hash_of, &docs)
            });
            let (files, streamed) = format::files(g, lang, parts.made, sink);
            let memo = part.map(|part| {
                let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
                let digest = memo::pages_digest(paths[l].iter().map(|p| (*p, hash_of(p))));
                memo::LangRecord::Made(std::sync::Arc::new(memo::record(
                    lang, &names, digest, &part,
                )))
            });
            Ok(LangFiles {
                files,
                streamed,
                memo,
                kept: Vec::new(),
                recalled: recalled_pages,
            })
        };
        let langs = (0..self.langs.len()).zip(past).zip(unchanged);
        let per_lang: Vec<LangFiles> = if background {
            langs.map(one_lang).collect::<Result<_, _>>()?
        } else {
            let langs: Vec<_> = langs.collect();
            langs
                .into_par_iter()
                .map(one_lang)
                .collect::<Result<_, _>>()?
        };
        stats.pages = (self.langs.iter().cloned())
            .zip(self.counts.iter().map(|&n| n as usize))
            .collect();
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let mut memo_parts = Vec::new();
        for lang in per_lang {
            stats.recalled += lang.recalled;
            files.extend(lang.files);
            stats.streamed.extend(lang.streamed);
            memo_parts.extend(lang.memo);
            stats.kept.extend(lang.kept);
        }
        stats.memo = self.remember.then_some(memo::MemoBody(memo_parts));
        if !files.is_empty() || !stats.kept.is_empty() {
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

/// About how many bytes of pages' indexed parts a thread takes apart at a time (see
/// `Indexer::add`): what is left in the queues when the last page is rendered is taken
/// apart after it, so a smaller batch is a shorter wait.
const BATCH_BYTES: usize = 2 << 20;

/// Pages waiting to be taken apart, with their bytes' total: (page, the part the index
/// reads, the page's length).
#[derive(Default)]
struct Queue {
    pages: Vec<(usize, String, usize)>,
    bytes: usize,
}

/// The part of a page the index reads as text: checked as UTF-8 here, with SIMD (Tera's
/// pages come unchecked, and pages read back from disk could be anything); a part that is
/// not is read as the browser would, with U+FFFD for what is not.
fn as_text(html: &[u8]) -> Cow<'_, str> {
    match simdutf8::basic::from_utf8(html) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(html),
    }
}

/// A language's files, the paths of those streamed, and its part of the memo.
/// One language's part of a finished index.
#[derive(Default)]
struct LangFiles {
    /// Its files made by this build (those streamed while rendering without their bytes).
    files: Vec<GeneratedFile>,
    /// Those of `files` streamed while rendering.
    streamed: Vec<String>,
    /// Its record in the memo for the next build.
    memo: Option<memo::LangRecord>,
    /// The last build's files, when none of its pages changed: in the output as they are.
    kept: Vec<String>,
    /// How many of its pages were taken from the last build's memo.
    recalled: usize,
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
    /// Ways the word was written (exactly), each with its form's number in
    /// `Gathered::form_texts` or [`PLAIN`]: up to [`MAX_WRITTEN`], so that a form is
    /// seldom made again.
    pub(super) written: Vec<(Box<str>, u32)>,
}

/// The form of a word written, lower-cased, as it is folded (`lavoro` for `Lavoro`).
pub(super) const PLAIN: u32 = u32::MAX;
/// At most this many ways of writing one word are remembered (`Word::written`); the form
/// of another is made each time it is met on a page.
const MAX_WRITTEN: usize = 8;

/// A language's words as they are gathered, from pages in any order: each word once, the
/// pages it is on.
///
/// Every word of every page passes through here, the index's hottest loop: a word met
/// again on the same page costs one probe of a table whose entries hold the word's state
/// for the page being read (`Hot`), and a word's count on a page reaches its postings only
/// once the page is done, through `met` (appended in order, spread out in `settle`), so
/// that the loop seldom touches memory far from the table.
#[derive(Default)]
pub(super) struct Gathered {
    /// Folded word → its number and its count on the page being read.
    table: WordTable,
    /// By number. Their postings are complete only after `settle`.
    pub(super) words: Vec<Word>,
    /// (word, page, form) for each page on which a word is first written, lower-cased,
    /// otherwise than folded (`città` for `citta`), the form by its number in
    /// `form_texts`: with the postings, all that a page gives the words of the index, so
    /// that the search memo can give it again.
    pub(super) forms: Vec<(u32, u32, u32)>,
    pub(super) form_texts: Vec<Box<str>>,
    /// (word, page, weighted count) of pages done, not yet in the words' postings.
    met: Vec<(u32, u32, u32)>,
    /// What it says of each page, beside its words.
    pub(super) pages: GatheredPages,
}

/// `met` is spread into the postings when it holds this many counts, so that it stays small.
const MET_LIMIT: usize = 1 << 20;

/// Two weighted counts of a word (or stem) on a page added: the counts summed, [`TITLE`]
/// kept when either has it.
pub(super) fn add_weights(a: u32, b: u32) -> u32 {
    ((a & !TITLE).saturating_add(b & !TITLE) & !TITLE) | ((a | b) & TITLE)
}

impl Gathered {
    /// Takes page number `page` apart into the table: `html` is the part of it the index
    /// reads ([`indexed_part`]), `page_len` the whole page's length.
    /// Returns the page's entry in a file of titles as JSON: `[url, title, text]`, the
    /// text's first [`SHORT_TEXT`] bytes; for a page larger than [`FETCH_LIMIT`],
    /// `[url, title, text, 1, headings]` with up to [`MAX_EXCERPT_TEXT`] bytes of it and its
    /// headings with an id in that text, `[[where, id, text]…]` (where: in UTF-16 code
    /// units, as the browser counts), so that its result can link to the heading nearest the
    /// match without fetching the page.
    fn add_page(&mut self, page: u32, html: &str, page_len: usize, url: &str) -> Vec<u8> {
        let mut length = 0u32;
        let large = page_len > FETCH_LIMIT;
        let keep = if large { MAX_EXCERPT_TEXT } else { SHORT_TEXT };
        let PageText {
            title,
            text,
            date,
            facets,
            headings,
        } = extract_with(html, keep, |folded, written, w| {
            length += w & !TITLE;
            self.meet(page, folded, written, w);
        });
        self.flush_met_if_large();
        self.pages.lengths.push((page, length));
        self.pages.dates.push((page, date));
        if facets != Facets::default() {
            self.pages.facets.push((page, facets));
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

    /// Word `folded` (as `written`) met on `page` with weighted count `w`.
    #[inline]
    fn meet(&mut self, page: u32, folded: &str, written: &str, w: u32) {
        // A word that folds to itself comes as it was written (the same text).
        let same = std::ptr::eq(folded, written);
        let Some(hot) = self.table.get_mut(folded) else {
            let id = self.words.len() as u32;
            let folded: Box<str> = folded.into();
            let hot = Hot {
                id,
                page,
                weight: w,
                first: page,
            };
            self.table.insert(&folded, hot);
            self.words.push(Word {
                original: folded.clone(),
                folded,
                first: page,
                postings: Vec::new(),
                written: Vec::new(),
            });
            if !same {
                self.met_written(id, page, written, true);
            }
            return;
        };
        if hot.page == page {
            hot.weight = add_weights(hot.weight, w);
            return;
        }
        if hot.page != NO_PAGE {
            self.met.push((hot.id, hot.page, hot.weight));
        }
        hot.page = page;
        hot.weight = w;
        // Pages come in any order: the form kept is the one met first in page order.
        let first = page < hot.first;
        if first {
            hot.first = page;
        }
        let id = hot.id;
        if !same {
            self.met_written(id, page, written, first);
        } else if first {
            let word = &mut self.words[id as usize];
            word.first = page;
            word.original = word.folded.clone();
        }
    }

    /// Word `id`, written `written` (not the folded text itself), met for the first time on
    /// `page`: its form there recorded if it is not the folded word, and made the word's
    /// `original` if `page` is the first it is on.
    fn met_written(&mut self, id: u32, page: u32, written: &str, first: bool) {
        let word = &mut self.words[id as usize];
        let known = (word.written.iter()).find(|(w, _)| **w == *written);
        let form = match known {
            Some(&(_, form)) => form,
            None => {
                let form = if lower_case_is(written, &word.folded) {
                    PLAIN
                } else {
                    self.form_texts.push(lower_case(written).into());
                    (self.form_texts.len() - 1) as u32
                };
                if word.written.len() < MAX_WRITTEN {
                    word.written.push((written.into(), form));
                }
                form
            }
        };
        if form != PLAIN {
            self.forms.push((id, page, form));
        }
        if first {
            word.first = page;
            word.original = match form {
                PLAIN => word.folded.clone(),
                _ => self.form_texts[form as usize].clone(),
            };
        }
    }

    fn flush_met_if_large(&mut self) {
        if self.met.len() >= MET_LIMIT {
            self.spread_met();
        }
    }

    /// Puts the counts of `met` into the words' postings.
    fn spread_met(&mut self) {
        let mut extra = vec![0u32; self.words.len()];
        for &(id, _, _) in &self.met {
            extra[id as usize] += 1;
        }
        for (word, n) in self.words.iter_mut().zip(extra) {
            word.postings.reserve(n as usize);
        }
        for (id, page, weight) in self.met.drain(..) {
            self.words[id as usize].postings.push((page, weight));
        }
    }

    /// Puts every count still held into the words' postings: after it, each word's
    /// postings are complete.
    pub(super) fn settle(&mut self) {
        for hot in self.table.values_mut() {
            if hot.page != NO_PAGE {
                self.met.push((hot.id, hot.page, hot.weight));
                hot.page = NO_PAGE;
            }
        }
        self.spread_met();
    }

    /// A table of these words (postings complete, each word once) and forms, for the
    /// pages already in `self.pages` (the search memo's pages).
    pub(super) fn take_words(
        &mut self,
        words: Vec<Word>,
        forms: Vec<(u32, u32, u32)>,
        form_texts: Vec<Box<str>>,
    ) {
        for (id, w) in words.iter().enumerate() {
            let hot = Hot {
                id: id as u32,
                page: NO_PAGE,
                weight: 0,
                first: w.first,
            };
            self.table.insert(&w.folded, hot);
        }
        self.words = words;
        self.forms = forms;
        self.form_texts = form_texts;
    }

    /// The words with their complete postings, by number.
    pub(super) fn into_words(mut self) -> (Vec<Word>, GatheredPages) {
        self.settle();
        (self.words, self.pages)
    }

    /// Adds another table's pages (pages of the same language, none of them in this one).
    fn join(&mut self, mut other: Gathered) {
        if self.pages.lengths.is_empty() && self.pages.docs.is_empty() {
            *self = other;
            return;
        }
        self.settle();
        other.settle();
        // Their word numbers → ours.
        let mut ours = Vec::with_capacity(other.words.len());
        for w in other.words {
            match self.table.get_mut(&w.folded) {
                Some(hot) => {
                    ours.push(hot.id);
                    let mine = &mut self.words[hot.id as usize];
                    mine.postings.extend(w.postings);
                    if w.first < mine.first {
                        mine.first = w.first;
                        mine.original = w.original;
                    }
                    hot.first = mine.first;
                }
                None => {
                    let hot = Hot {
                        id: self.words.len() as u32,
                        page: NO_PAGE,
                        weight: 0,
                        first: w.first,
                    };
                    ours.push(hot.id);
                    self.table.insert(&w.folded, hot);
                    self.words.push(w);
                }
            }
        }
        let texts = self.form_texts.len() as u32;
        self.form_texts.extend(other.form_texts);
        (self.forms)
            .extend((other.forms.into_iter()).map(|(w, p, f)| (ours[w as usize], p, f + texts)));
        let (mine, theirs) = (&mut self.pages, other.pages);
        mine.lengths.extend(theirs.lengths);
        mine.dates.extend(theirs.dates);
        mine.facets.extend(theirs.facets);
        mine.docs.extend(theirs.docs);
    }
}

/// What a language's index says of each page, beside its words.
#[derive(Default)]
pub(super) struct GatheredPages {
    /// (page, weighted length) of every page.
    pub(super) lengths: Vec<(u32, u32)>,
    /// (page, its entry in a file of titles) of every page.
    pub(super) docs: Vec<DocEntry>,
    /// (page, its date as `yyyymmdd`, 0 when it has none) of every page.
    pub(super) dates: Vec<(u32, u32)>,
    /// (page, what it says of itself) of every page that says something.
    pub(super) facets: Vec<(u32, Facets)>,
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
