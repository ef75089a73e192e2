//! How the index is written: the files of one language made from the words gathered from
//! its pages, their names, their order and their size. What is written here is what the
//! browser's script (`search.js`) reads: a change to one is a change to the other. Nothing
//! here reads a page or splits text into words.
//!
//! # The files, per language (`search-index/<lang>/`)
//! - `index.json`: `{"v":3,"lang","pages","words":[[first word, file]…],
//!   "stems":[[first stem, file]…],"docs":[file…],"per_doc":64,"dates":[yyyymmdd…]}`, a
//!   date per page (0 for none: the ties of the ranking go to the newest), the pages'
//!   facets for the search page's filters (`"facets"`: see [`super::facets`]), and the
//!   browser's stemmer for the language (`"../stem/<lang>.<hash>.js"`, or null). The only file
//!   whose name does not change with its content.
//! - `w.<hash>.json`: a run of the language's words in order, `[[word, stem]…]` (stem `""`
//!   when it is the word itself), `[word, stem, i]` for the `i`-th word of a stem of
//!   several words. Words are lower case, without accents or vowel marks.
//! - `s.<hash>.json`: a run of stems in order, `{"stem":[page, score, page, score…]}`,
//!   the score BM25 with headings counted several times, written with [`DIGITS`]
//!   significant digits (not rounded to whole numbers: at a thousand pages most would tie),
//!   negative when the stem is in the page's title (its `<h1>`), which ranks first. A stem
//!   of several words: `["f", page, score, words…]`, `words` a bit per word of the stem the
//!   page holds (bit `i` for the `i`-th, up to [`MAX_FORMS`]), so that the very word
//!   searched for ranks above its other words.
//! - `d.<hash>.json`: `per_doc` pages in a row, `[[url, title, text]…]`, for the results'
//!   titles and excerpts: the text is the page's first [`SHORT_TEXT`] bytes, enough for an
//!   excerpt when a word searched for is in it; otherwise the page itself is fetched when
//!   its result is shown (the one the reader opens next is then in the browser's cache).
//!   A page larger than [`FETCH_LIMIT`] (a hub listing thousands of stories) is never
//!   fetched: it comes as `[url, title, text, 1, headings]`, the text cut at
//!   [`MAX_EXCERPT_TEXT`] bytes with the headings that have an id in it (`[[where, id,
//!   heading]…]`, where in UTF-16 code units), so that a phone never fetches a megabyte for
//!   three lines and the result still links to the heading nearest its match.
//!
//! Runs of words and stems are cut at about [`CHUNK_BYTES`] and sorted as JavaScript
//! compares strings (UTF-16 code units), so that the browser finds a word's run by its
//! first entry.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::html::TITLE;
use super::index::{Gathered, Postings, Word, add_weights};
use super::text::{fold, stemmer};
use super::{FileSink, GeneratedFile, SEARCH_DIR};

/// About how many bytes one file of words, stems or pages holds before a new one is begun.
pub(super) const CHUNK_BYTES: usize = 48 * 1024;
/// Pages per file of titles: a result list of ten fetches at most ten of them, of about
/// 8 KB each.
pub(super) const PER_DOC: usize = 64;
/// A page of more bytes than this is not fetched for its excerpt: its text comes in its file
/// of titles, cut at [`MAX_EXCERPT_TEXT`].
pub(super) const FETCH_LIMIT: usize = 64 * 1024;
/// At most this much of a large page's text is kept for its excerpt (every word of it is
/// indexed).
pub(super) const MAX_EXCERPT_TEXT: usize = 16 * 1024;
/// How much of a page's text its entry in a file of titles holds, for an excerpt.
pub(super) const SHORT_TEXT: usize = 240;
/// The words of one stem that a page can say it holds (bits of a number the browser reads
/// as a 32-bit integer); a stem's further words count as its other words.
const MAX_FORMS: usize = 31;
/// Significant digits of a score: enough to tell pages apart, few enough to stay small.
const DIGITS: i32 = 3;
/// BM25's parameters, the usual ones.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// The words of one stem, each with its pages.
type Forms = Vec<(Box<str>, Postings)>;

/// A page's entry in a file of titles: (page, `[url, title]` or `[url, title, text]`
/// as JSON).
pub(super) type DocEntry = (u32, Vec<u8>);

/// A file of titles made while rendering: its number, its name, and its bytes,
/// or none when the build's sink took them.
pub(super) type DocFile = (u32, String, Option<Vec<u8>>);

/// A language's index files, made from its words `gathered` from every page, with the
/// files of titles `made` already (number, name, bytes or none when streamed); and the
/// paths of those streamed. With a `sink`, each file is handed to it as soon as it is
/// made, and one it takes is listed as streamed, without its bytes: the files are never
/// all held at once.
pub(super) fn files(
    gathered: Gathered,
    lang: &str,
    made: Vec<DocFile>,
    sink: Option<&FileSink>,
) -> (Vec<GeneratedFile>, Vec<String>) {
    let stemmer = stemmer(lang);
    let (gathered_words, gathered) = gathered.into_words();
    let n = gathered.lengths.len();
    let mut lengths = vec![0u32; n];
    for &(page, length) in &gathered.lengths {
        if let Some(l) = lengths.get_mut(page as usize) {
            *l = length;
        }
    }
    let avg = (lengths.iter().map(|&l| l as f64).sum::<f64>() / n.max(1) as f64).max(1.0);
    // Stem → its words, and the pages of each; word → stem.
    let mut stems: FxHashMap<String, Forms> = FxHashMap::default();
    let mut words: Vec<(Box<str>, String)> = Vec::with_capacity(gathered_words.len());
    for Word {
        folded,
        original,
        postings: pages,
        ..
    } in gathered_words
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
        stems
            .entry(stem.clone())
            .or_default()
            .push((folded.clone(), pages));
        words.push((folded, stem));
    }
    // A stem of several words numbers them (in order), so that a page can say which of
    // them it holds: a word searched for ranks the pages with that very word above those
    // with another word of its stem.
    let mut form_of: FxHashMap<Box<str>, usize> = FxHashMap::default();
    let mut stems: Vec<(String, Forms)> = stems
        .into_iter()
        .map(|(stem, mut forms)| {
            forms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            if forms.len() > 1 {
                for (i, (w, _)) in forms.iter().enumerate().take(MAX_FORMS) {
                    form_of.insert(w.clone(), i);
                }
            }
            (stem, forms)
        })
        .collect();
    stems.sort_unstable_by(|a, b| utf16_order(&a.0, &b.0));
    words.sort_unstable_by(|a, b| utf16_order(&a.0, &b.0));

    let dir = format!("{SEARCH_DIR}/{lang}");
    let mut files = Vec::new();
    // The files the sink took as they were made.
    let mut sunk: Vec<String> = Vec::new();
    // Each file to the sink, if there is one and it takes it; else kept with its bytes.
    let mut hand_on = |path: String, body: Vec<u8>| {
        if sink.is_some_and(|sink| sink(&path, &body)) {
            files.push((path.clone(), Vec::new()));
            sunk.push(path);
        } else {
            files.push((path, body));
        }
    };
    let mut put = |prefix: &str, body: Vec<u8>| -> String {
        let name = file_name(prefix, &body);
        hand_on(format!("{dir}/{name}"), body);
        name
    };

    let mut word_index: Vec<(String, String)> = Vec::new();
    runs(
        words.iter().map(|(w, s)| {
            let stem = if **w == **s { "" } else { s.as_str() };
            let entry = match form_of.get(w) {
                Some(i) => serde_json::to_string(&(&**w, stem, i)),
                None => serde_json::to_string(&(&**w, stem)),
            }
            .unwrap_or_default();
            (w.to_string(), entry)
        }),
        ('[', ']'),
        |first, body| word_index.push((first, put("w", body))),
    );

    // BM25's length term of each page, the same for every stem on it.
    let length_terms: Vec<f64> = (lengths.iter())
        .map(|&dl| K1 * (1.0 - B + B * dl as f64 / avg))
        .collect();
    // Each stem's entry made on every core (one language's index made again after an
    // edit would otherwise leave the other cores idle), then cut into runs in order.
    let stem_entries: Vec<(String, String)> = stems
        .into_par_iter()
        .map(|(stem, forms)| {
            let several = forms.len() > 1;
            let pages = stem_pages(forms);
            let df = pages.len() as f64;
            let idf = (1.0 + (n as f64 - df + 0.5) / (df + 0.5)).ln();
            let mut entry = String::with_capacity(stem.len() + 8 + pages.len() * 12);
            entry.push_str(&serde_json::to_string(&stem).unwrap_or_default());
            entry.push_str(if several { ":[\"f\"," } else { ":[" });
            for (i, &(page, count, forms)) in pages.iter().enumerate() {
                let tf = (count & !TITLE) as f64;
                let length_term = length_terms
                    .get(page as usize)
                    .copied()
                    .unwrap_or(K1 * (1.0 - B));
                let score = idf * tf * (K1 + 1.0) / (tf + length_term);
                if i > 0 {
                    entry.push(',');
                }
                // Written with `itoa` rather than `write!`: there is one entry per page a stem
                // is on, the most numerous piece of the index.
                let mut digits = itoa::Buffer::new();
                entry.push_str(digits.format(page));
                entry.push(',');
                if count & TITLE != 0 {
                    entry.push('-');
                }
                push_score(&mut entry, score);
                if several {
                    entry.push(',');
                    entry.push_str(digits.format(forms));
                }
            }
            entry.push(']');
            (stem, entry)
        })
        .collect();
    let mut stem_index: Vec<(String, String)> = Vec::new();
    runs(stem_entries.into_iter(), ('{', '}'), |first, body| {
        stem_index.push((first, put("s", body)))
    });

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
    let mut docs = gathered.docs;
    docs.sort_unstable_by_key(|d| d.0);
    for run in docs.chunk_by_mut(|a, b| a.0 / PER_DOC as u32 == b.0 / PER_DOC as u32) {
        let group = run[0].0 / PER_DOC as u32;
        let name = put("d", doc_file(run));
        if let Some(slot) = names.get_mut(group as usize) {
            *slot = name;
        }
    }
    let doc_files = names;

    let mut dates = vec![0u32; n];
    for &(page, date) in &gathered.dates {
        if let Some(d) = dates.get_mut(page as usize) {
            *d = date;
        }
    }
    let meta = serde_json::json!({
        "v": 3,
        "lang": lang,
        "pages": n,
        "words": word_index,
        "stems": stem_index,
        "docs": doc_files,
        "per_doc": PER_DOC,
        "dates": dates,
        "facets": super::facets::table(&gathered.facets, n),
        "stemmer": super::browser_stemmer(lang).map(|(path, _)| format!("../{path}")),
    });
    hand_on(format!("{dir}/index.json"), meta.to_string().into_bytes());
    for path in &streamed {
        files.push((path.clone(), Vec::new()));
    }
    streamed.extend(sunk);
    (files, streamed)
}

/// The pages of a stem, in page order, each once: (page, weighted count, the words of the
/// stem it holds, a bit each, for a stem of several words). Each word brings its own pages.
fn stem_pages(forms: Forms) -> Vec<(u32, u32, u32)> {
    let mut pages: Vec<(u32, u32, u32)> = if let [(_, postings)] = forms.as_slice() {
        postings
            .iter()
            .map(|&(page, count)| (page, count, 1))
            .collect()
    } else {
        (forms.into_iter().enumerate())
            .flat_map(|(i, (_, postings))| {
                let bit = if i < MAX_FORMS { 1u32 << i } else { 0 };
                postings
                    .into_iter()
                    .map(move |(page, count)| (page, count, bit))
            })
            .collect()
    };
    // A stable sort, which finds the runs already in page order (each thread's table holds
    // its pages in the order it took them) and merges them.
    if !pages.is_sorted_by_key(|p| p.0) {
        pages.sort_by_key(|p| p.0);
    }
    pages.dedup_by(|b, a| {
        if a.0 == b.0 {
            a.1 = add_weights(a.1, b.1);
            a.2 |= b.2;
            true
        } else {
            false
        }
    });
    pages
}

/// The least power of ten of a score written (scores below are written as 1e-4).
const MIN_MAGNITUDE: i32 = -4;

/// 1e-4 to 1e22 (the largest power of ten a float holds exactly).
const POWERS_OF_TEN: [f64; 27] = [
    1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
    1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A score (positive) written with [`DIGITS`] significant digits, without a needless
/// zero or point: `12.3`, `0.0457`, `1230`; never 0 (a page with the word has a score).
pub(super) fn push_score(out: &mut String, score: f64) {
    let score = if score.is_finite() {
        score.clamp(1e-4, 1e22)
    } else {
        1e-4
    };
    // The score as DIGITS digits and a power of ten (12.3456 → 123 and 1 decimal), in
    // integers: formatting a float to a number of decimals is several times slower, and
    // there is one score per page a stem is on.
    // 10^k for -4 ≤ k ≤ 22.
    let ten_to = |k: i32| POWERS_OF_TEN[(k - MIN_MAGNITUDE) as usize];
    // Its power of ten, found by comparison from 1 (most scores are between 0.1 and 100)
    // rather than with `log10`, several times slower.
    let mut magnitude = 0;
    while magnitude < 22 && score >= ten_to(magnitude + 1) {
        magnitude += 1;
    }
    while magnitude > MIN_MAGNITUDE && score < ten_to(magnitude) {
        magnitude -= 1;
    }
    let mut decimals = DIGITS - 1 - magnitude;
    let scaled = if decimals >= 0 {
        score * ten_to(decimals)
    } else {
        score / ten_to(-decimals)
    };
    let mut digits = scaled.round() as u64;
    let limit = 10u64.pow(DIGITS as u32);
    if digits >= limit {
        // 9.996 rounds to 10.0: one digit fewer after the point.
        digits /= 10;
        decimals -= 1;
    }
    while decimals > 0 && digits.is_multiple_of(10) {
        digits /= 10;
        decimals -= 1;
    }
    // Written into a buffer and pushed at once: at most 23 digits and a point.
    let mut buffer = itoa::Buffer::new();
    let text = buffer.format(digits).as_bytes();
    let mut written = [b'0'; 32];
    let len = if decimals <= 0 {
        // Past the significant digits, zeros: 12345 → 12300.
        let len = text.len() + (-decimals) as usize;
        written[..text.len()].copy_from_slice(text);
        len
    } else {
        let decimals = decimals as usize;
        if text.len() > decimals {
            let point = text.len() - decimals;
            written[..point].copy_from_slice(&text[..point]);
            written[point] = b'.';
            written[point + 1..=text.len()].copy_from_slice(&text[point..]);
            text.len() + 1
        } else {
            // 0.0457: "0." and the zeros before the digits are already in the buffer.
            written[1] = b'.';
            let start = 2 + decimals - text.len();
            written[start..start + text.len()].copy_from_slice(text);
            start + text.len()
        }
    };
    out.push_str(std::str::from_utf8(&written[..len]).unwrap_or("0"));
}

/// A file of titles: the entries of its pages, in page order.
pub(super) fn doc_file(run: &mut [DocEntry]) -> Vec<u8> {
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
pub(super) fn file_name(prefix: &str, body: &[u8]) -> String {
    let hash = blake3::hash(body).to_hex();
    format!("{prefix}.{}.json", &hash[..12])
}

/// Entries (key, JSON) cut into runs of about `CHUNK_BYTES`: (first key, the file's bytes:
/// the entries joined by commas between `brackets`). Each entry is copied once, into a run
/// made large enough at once (the stems' entries are most of the index's bytes).
fn runs(
    entries: impl Iterator<Item = (String, String)>,
    brackets: (char, char),
    mut each: impl FnMut(String, Vec<u8>),
) {
    let (open, close) = brackets;
    let mut run: Option<(String, String)> = None;
    let mut done = |(key, mut body): (String, String)| {
        body.push(close);
        each(key, body.into_bytes());
    };
    for (key, entry) in entries {
        match &mut run {
            // The opening bracket is not counted.
            Some((_, body)) if body.len() <= CHUNK_BYTES => {
                body.push(',');
                body.push_str(&entry);
            }
            _ => {
                if let Some(full) = run.take() {
                    done(full);
                }
                let mut body = String::with_capacity(entry.len().max(CHUNK_BYTES) + 4096);
                body.push(open);
                body.push_str(&entry);
                run = Some((key, body));
            }
        }
    }
    if let Some(last) = run {
        done(last);
    }
}

/// The order of strings in JavaScript (UTF-16 code units), in which the browser looks the
/// runs up.
pub(super) fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}
