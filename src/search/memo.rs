//! What the last `vetrina build` took from its pages for the search index, kept in the cache
//! folder until the next build: every page's words with their weighted counts, the forms
//! they were written in, its length, date, facets and entry in a file of titles, with the
//! hash of the page's published bytes.
//!
//! A page the next build does not render (the render ledger takes it from the output
//! folder as it is) is then taken from here instead of being read back from the disk and
//! taken apart again, if its published bytes have the same hash: what a page gives the
//! index depends only on its bytes (and on the program, which is the file's key). After
//! an edit of one story, the index is made from the words of the few pages rendered and
//! those of every other page kept here. `vetrina serve` keeps the same memo in memory from
//! one save's index to the next (`Past::of`; see `builder.rs`).
//!
//! Each language's record is kept in a file of its own,
//! `.vetrina-cache/search-<hash of the output folder>-<hash of the record>.bin` (the folder
//! by its resolved path, `fileio::folder_key`), and the list of them in
//! `search-<hash of the output folder>.bin`: a build that
//! changes the pages of one language reads and writes that language's record only (at
//! 10,000 stories a record is some 12 MB). All are sealed (`fileio::write_sealed`: a magic
//! line, the program, a checksum of the rest). The list holds the number of languages (all
//! numbers of up to 32 bits in LEB128, seven bits a byte; a text is its length and its UTF-8
//! bytes), then for each the start of its record (below, up to its part) and the name of its
//! file. A language's part holds the language, the pages in the index's order (address; 1
//! and the 32 bytes of the hash of its published bytes, or 0 when it has none and is
//! never taken from here; weighted length; date; section, or 0 and no text; regions and
//! projects, each a count and texts; its entry in a file of titles), the words (folded
//! word, how many pages, then page and weighted count for each, the count doubled and one
//! added when the word is in the page's title), the forms (texts), and (word, page, form's
//! number) for each page on which a word is first written, lower-cased, otherwise than
//! folded.
//!
//! Each language's part comes in a record of its own: the language, the paths of the index
//! files made for it, the digest of its pages (every address with the hash of its published
//! bytes, in order; 0 and no digest when a page has no hash), then its part as above, as
//! bytes. A build that changes none of a language's pages (the usual edit touches one
//! language) takes the language's files as they are in the output and its record as it is,
//! without reading it (`PastLang::same_pages`); the records of the others are read only
//! when recalled.
//!
//! A missing, cut-short or altered file, or one another program wrote, is no memo: the
//! build reads its pages back, as it did before there was one.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::facets::Facets;
use super::format::DocEntry;
use super::html::TITLE;
use super::index::{Gathered, Postings, Word};

const MAGIC: &[u8] = b"vetrina search memo 5\n";
/// The first line of a language's record file.
const RECORD_MAGIC: &[u8] = b"vetrina search record 5\n";

/// A language's record as the last build left it: read whole only when recalled (`read`).
#[derive(Debug, Default)]
pub(crate) struct PastLang {
    pub(super) lang: String,
    /// The index files the last build made for the language (paths in the output).
    pub(super) files: Vec<String>,
    /// The digest of its pages ([`pages_digest`]), if every page had a hash.
    digest: Option<blake3::Hash>,
    /// The record, when it is in memory (`vetrina serve`); else read from `file`.
    record: Arc<Vec<u8>>,
    /// Where the language's part is in `record`.
    part: std::ops::Range<usize>,
    /// The file the record is kept in (`vetrina build`), with the start of the record (up
    /// to its part) as the list of the memo holds it.
    file: Option<(PathBuf, Arc<Vec<u8>>)>,
}

/// A language's index as the last build left it.
#[derive(Debug, Default)]
pub(crate) struct PastIndex {
    pub(super) pages: Vec<PastPage>,
    /// Folded word and its (page, weighted count), pages numbered as in `pages`.
    pub(super) words: Vec<(Box<str>, Postings)>,
    /// (word, page, form): the words not written, lower-cased, as they are folded, the form
    /// by its number in `form_texts`.
    pub(super) forms: Vec<(u32, u32, u32)>,
    pub(super) form_texts: Vec<Box<str>>,
}

/// One page of a language's index as the last build left it.
#[derive(Debug, Default)]
pub(crate) struct PastPage {
    pub(super) path: Box<str>,
    /// The hash of its published bytes; none when the build did not record it (a page
    /// with a warning is rendered every time).
    pub(super) bytes: Option<blake3::Hash>,
    pub(super) length: u32,
    pub(super) date: u32,
    pub(super) facets: Facets,
    pub(super) doc: Vec<u8>,
}

/// The last build's index, by language.
#[derive(Debug, Default)]
pub(crate) struct Past {
    pub(super) langs: Vec<PastLang>,
}

/// The memo as this build makes it, one record per language, for `save`.
#[derive(Default, Clone)]
pub(crate) struct MemoBody(pub(super) Vec<LangRecord>);

/// A language's record in the memo this build makes.
#[derive(Clone)]
pub(crate) enum LangRecord {
    /// Made by this build, or kept in memory (`vetrina serve`).
    Made(Arc<Vec<u8>>),
    /// The last build's, as it is in its file: the start of the record and the file's name.
    InFile(Arc<Vec<u8>>, String),
}

impl std::fmt::Debug for MemoBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bytes: usize = (self.0.iter())
            .map(|r| match r {
                LangRecord::Made(r) => r.len(),
                LangRecord::InFile(..) => 0,
            })
            .sum();
        write!(
            f,
            "MemoBody({} languages, {bytes} bytes made)",
            self.0.len()
        )
    }
}

/// The start of the names of the memo's files for builds into `output`.
fn stem(output: &Path) -> String {
    // One memo per output folder, as the render ledger has.
    let folder = blake3::hash(crate::fileio::folder_key(output).as_bytes()).to_hex();
    format!("search-{}", &folder[..16])
}

/// Where the list of the memo of builds into `output` is kept.
fn file(cache_dir: &Path, output: &Path) -> PathBuf {
    cache_dir.join(format!("{}.bin", stem(output)))
}

/// The name of the file of a language's `record` (named by its content: a record kept from
/// one build to the next keeps its file).
fn record_file_name(output: &Path, record: &[u8]) -> String {
    format!(
        "{}-{}.bin",
        stem(output),
        &blake3::hash(record).to_hex()[..16]
    )
}

/// The digest of a language's pages: each address and the hash of its published bytes, in
/// the index's order; `None` if a page has no hash (it is never taken from the memo).
pub(super) fn pages_digest<'a>(
    pages: impl Iterator<Item = (&'a str, Option<blake3::Hash>)>,
) -> Option<blake3::Hash> {
    let mut h = blake3::Hasher::new();
    for (path, hash) in pages {
        h.update(path.as_bytes())
            .update(&[0])
            .update(hash?.as_bytes());
    }
    Some(h.finalize())
}

/// The key of a memo: the program that wrote it.
fn key() -> blake3::Hash {
    crate::fileio::program_hash()
}

/// The memo the last build into `output` left, if this program wrote it and it is whole:
/// its list only; each language's record is read when it is recalled (`PastLang::read`).
pub(crate) fn open(cache_dir: &Path, output: &Path) -> Option<Past> {
    let (k, body) = crate::fileio::read_sealed(&file(cache_dir, output), MAGIC)?;
    if k != key() {
        return None;
    }
    let mut r = Reader { rest: &body };
    let langs = r.u32()?;
    let mut past = Past::default();
    for _ in 0..langs {
        let head = r.bytes()?.to_vec();
        let name = r.str()?;
        if !is_record_file_name(output, name) {
            return None;
        }
        let (lang, used) = record_start(&head)?;
        if used != head.len() {
            return None;
        }
        past.langs.push(PastLang {
            file: Some((cache_dir.join(name), Arc::new(head))),
            ..lang
        });
    }
    r.rest.is_empty().then_some(past)
}

/// Whether `name` is the name of a record file of the memo of `output` (a list altered by
/// hand must not lead a build to read or remove any other file).
fn is_record_file_name(output: &Path, name: &str) -> bool {
    (name.strip_prefix(&stem(output)))
        .and_then(|rest| rest.strip_prefix('-'))
        .and_then(|rest| rest.strip_suffix(".bin"))
        .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Keeps this build's memo for the next one: the records made by this build in files of
/// their own, then the list (each written beside, then renamed into place). The records
/// kept from the last build stay in their files. The record files the list no longer
/// names are removed.
pub(crate) fn save(cache_dir: &Path, output: &Path, body: &MemoBody) -> std::io::Result<()> {
    let mut list = Vec::new();
    put_u32(&mut list, body.0.len() as u32);
    let mut named = std::collections::HashSet::new();
    for record in &body.0 {
        let (head, name) = match record {
            LangRecord::Made(bytes) => {
                let (_, start) = record_start(bytes).ok_or_else(|| {
                    std::io::Error::new(std::io::ErrorKind::InvalidData, "a record not as made")
                })?;
                let name = record_file_name(output, bytes);
                crate::fileio::write_sealed(&cache_dir.join(&name), RECORD_MAGIC, &key(), bytes)?;
                (&bytes[..start], name)
            }
            LangRecord::InFile(head, name) => (head.as_slice(), name.clone()),
        };
        put_bytes(&mut list, head);
        put_str(&mut list, &name);
        named.insert(name);
    }
    crate::fileio::write_sealed(&file(cache_dir, output), MAGIC, &key(), &list)?;
    remove_record_files(cache_dir, output, &named);
    Ok(())
}

/// Removes the record files of the memo of `output` that are not `kept`.
fn remove_record_files(cache_dir: &Path, output: &Path, kept: &std::collections::HashSet<String>) {
    let Ok(entries) = std::fs::read_dir(cache_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if is_record_file_name(output, name) && !kept.contains(name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The memo's records in a row as `decode` reads them: the number of languages, then the
/// records (only those made by this build or held in memory).
#[cfg(test)]
fn joined(body: &MemoBody) -> Vec<u8> {
    let mut all = Vec::new();
    put_u32(&mut all, body.0.len() as u32);
    for record in &body.0 {
        if let LangRecord::Made(r) = record {
            all.extend_from_slice(r);
        }
    }
    all
}

/// Removes the memo of builds into `output` (a build without a search index leaves none
/// behind that a later build could take for its own).
pub(crate) fn forget(cache_dir: &Path, output: &Path) {
    let _ = std::fs::remove_file(file(cache_dir, output));
    remove_record_files(cache_dir, output, &std::collections::HashSet::new());
}

/// A language's part of the memo: `gathered` holds every page of the language (settled:
/// every word's postings complete), `paths` the pages' addresses by number, `hash_of` the
/// hash of a page's published bytes, and `docs` every page's entry in a file of titles.
pub(super) fn encode(
    lang: &str,
    gathered: &Gathered,
    paths: &[&str],
    hash_of: &dyn Fn(&str) -> Option<blake3::Hash>,
    docs: &[&DocEntry],
) -> Vec<u8> {
    let n = paths.len();
    let mut lengths = vec![0u32; n];
    let mut dates = vec![0u32; n];
    let mut facets: Vec<Option<&Facets>> = vec![None; n];
    let mut entries: Vec<&[u8]> = vec![&[]; n];
    let pages = &gathered.pages;
    for &(p, l) in &pages.lengths {
        if let Some(x) = lengths.get_mut(p as usize) {
            *x = l;
        }
    }
    for &(p, d) in &pages.dates {
        if let Some(x) = dates.get_mut(p as usize) {
            *x = d;
        }
    }
    for (p, f) in &pages.facets {
        if let Some(x) = facets.get_mut(*p as usize) {
            *x = Some(f);
        }
    }
    for (p, e) in docs {
        if let Some(x) = entries.get_mut(*p as usize) {
            *x = e;
        }
    }
    let postings: usize = gathered.words.iter().map(|w| w.postings.len()).sum();
    let mut out = Vec::with_capacity(postings * 8 + gathered.words.len() * 16 + n * 512);
    put_str(&mut out, lang);
    put_u32(&mut out, n as u32);
    let no_facets = Facets::default();
    for (i, path) in paths.iter().enumerate() {
        put_str(&mut out, path);
        match hash_of(path) {
            Some(h) => {
                out.push(1);
                out.extend_from_slice(h.as_bytes());
            }
            None => out.push(0),
        }
        put_u32(&mut out, lengths[i]);
        put_u32(&mut out, dates[i]);
        let f = facets[i].unwrap_or(&no_facets);
        match &f.section {
            Some(s) => {
                out.push(1);
                put_str(&mut out, s);
            }
            None => out.push(0),
        }
        for keys in [&f.regions, &f.projects] {
            put_u32(&mut out, keys.len() as u32);
            for k in keys {
                put_str(&mut out, k);
            }
        }
        put_bytes(&mut out, entries[i]);
    }
    put_u32(&mut out, gathered.words.len() as u32);
    for w in &gathered.words {
        put_str(&mut out, &w.folded);
        put_u32(&mut out, w.postings.len() as u32);
        for &(p, c) in &w.postings {
            put_u32(&mut out, p);
            put_u32(&mut out, weight_to_number(c));
        }
    }
    put_u32(&mut out, gathered.form_texts.len() as u32);
    for form in &gathered.form_texts {
        put_str(&mut out, form);
    }
    put_u32(&mut out, gathered.forms.len() as u32);
    for &(w, p, form) in &gathered.forms {
        put_u32(&mut out, w);
        put_u32(&mut out, p);
        put_u32(&mut out, form);
    }
    out
}

/// A language's record in the memo: the language, the paths of its index files, the digest
/// of its pages ([`pages_digest`]), and its part (`encode`'s).
pub(super) fn record(
    lang: &str,
    files: &[&str],
    digest: Option<blake3::Hash>,
    part: &[u8],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(part.len() + files.len() * 40 + 48);
    put_str(&mut out, lang);
    put_u32(&mut out, files.len() as u32);
    for f in files {
        put_str(&mut out, f);
    }
    match digest {
        Some(d) => {
            out.push(1);
            out.extend_from_slice(d.as_bytes());
        }
        None => out.push(0),
    }
    put_bytes(&mut out, part);
    out
}

/// Records in a row (`joined`) read back; `None` if they are not as `record` makes them.
/// A record's part is read only when it is needed (`PastLang::read`).
#[cfg(test)]
fn decode(body: &[u8]) -> Option<Past> {
    let mut r = Reader { rest: body };
    let langs = r.u32()?;
    let mut past = Past::default();
    for _ in 0..langs {
        let (head, used) = record_head(r.rest)?;
        past.langs
            .push(head.with_record(Arc::new(r.take(used)?.to_vec())));
    }
    r.rest.is_empty().then_some(past)
}

impl Past {
    /// The memo a build of this process made (`vetrina serve` keeps it in memory between
    /// its builds rather than in the cache folder), its records shared, not copied; `None`
    /// if a record is not as `record` makes it.
    pub(crate) fn of(body: &MemoBody) -> Option<Past> {
        let mut past = Past::default();
        for record in &body.0 {
            let LangRecord::Made(record) = record else {
                return None;
            };
            let record = record.clone();
            let (head, used) = record_head(&record)?;
            if used != record.len() {
                return None;
            }
            past.langs.push(head.with_record(record));
        }
        Some(past)
    }
}

/// The start of a language's record (`record`'s): its language, files and pages' digest;
/// with how many bytes they take.
fn record_start(bytes: &[u8]) -> Option<(PastLang, usize)> {
    let mut r = Reader { rest: bytes };
    let lang = r.str()?.to_string();
    let n = r.u32()? as usize;
    let files = (0..n)
        .map(|_| r.str().map(str::to_string))
        .collect::<Option<Vec<String>>>()?;
    let digest = match r.u8()? {
        0 => None,
        1 => Some(blake3::Hash::from_bytes(r.take(32)?.try_into().ok()?)),
        _ => return None,
    };
    let used = bytes.len() - r.rest.len();
    Some((
        PastLang {
            lang,
            files,
            digest,
            ..PastLang::default()
        },
        used,
    ))
}

/// A language's record (`record`'s): its start and where its part is; with the record's
/// length.
fn record_head(bytes: &[u8]) -> Option<(PastLang, usize)> {
    let (start, at) = record_start(bytes)?;
    let mut r = Reader { rest: &bytes[at..] };
    let part = r.bytes()?;
    let used = bytes.len() - r.rest.len();
    Some((
        PastLang {
            part: used - part.len()..used,
            ..start
        },
        used,
    ))
}

impl PastLang {
    fn with_record(self, record: Arc<Vec<u8>>) -> Self {
        PastLang { record, ..self }
    }
}

impl PastLang {
    /// What the memo this build makes keeps of the language when none of its pages
    /// changed: its record as it is, in memory or in its file.
    pub(super) fn kept(self) -> LangRecord {
        match self.file {
            Some((path, head)) if self.record.is_empty() => {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                LangRecord::InFile(head, name.to_string())
            }
            _ => LangRecord::Made(self.record),
        }
    }

    /// The language's index as the record holds it (read from its file if it is not in
    /// memory); `None` if the record is not as `record` and `encode` make it, or is not the
    /// one the memo's list describes.
    pub(super) fn read(&self) -> Option<PastIndex> {
        match &self.file {
            Some((path, _)) if self.record.is_empty() => {
                let (k, bytes) = crate::fileio::read_sealed(path, RECORD_MAGIC)?;
                let (record, used) = record_head(&bytes).filter(|_| k == key())?;
                let same = used == bytes.len()
                    && record.lang == self.lang
                    && record.files == self.files
                    && record.digest == self.digest;
                same.then(|| read_part(&self.lang, &bytes[record.part]))
                    .flatten()
            }
            _ => read_part(&self.lang, &self.record[self.part.clone()]),
        }
    }

    /// Whether the record's pages are those of `digest` (this build's [`pages_digest`] of
    /// the language): then the index files the record names are those this build would
    /// make for the language.
    pub(super) fn same_pages(&self, digest: Option<blake3::Hash>) -> bool {
        digest.is_some() && self.digest == digest
    }
}

/// A language's index from its part of a record; `None` if the part is not as `encode`
/// writes it.
fn read_part(lang: &str, part: &[u8]) -> Option<PastIndex> {
    let mut r = Reader { rest: part };
    if r.str()? != lang {
        return None;
    }
    let n = r.u32()? as usize;
    let mut pages = Vec::with_capacity(n.min(r.rest.len()));
    for _ in 0..n {
        let path: Box<str> = r.str()?.into();
        let bytes = match r.u8()? {
            1 => Some(blake3::Hash::from_bytes(r.take(32)?.try_into().ok()?)),
            0 => None,
            _ => return None,
        };
        let length = r.u32()?;
        let date = r.u32()?;
        let section = match r.u8()? {
            1 => Some(r.str()?.into()),
            0 => None,
            _ => return None,
        };
        let mut keys = || -> Option<Vec<Box<str>>> {
            let k = r.u32()? as usize;
            (0..k).map(|_| r.str().map(Into::into)).collect()
        };
        let regions = keys()?;
        let projects = keys()?;
        let doc = r.bytes()?.to_vec();
        pages.push(PastPage {
            path,
            bytes,
            length,
            date,
            facets: Facets {
                section,
                regions,
                projects,
            },
            doc,
        });
    }
    let nw = r.u32()? as usize;
    let mut words = Vec::with_capacity(nw.min(r.rest.len()));
    for _ in 0..nw {
        let folded: Box<str> = r.str()?.into();
        let k = r.u32()? as usize;
        // Each posting takes two bytes at least.
        let mut postings = Vec::with_capacity(k.min(r.rest.len() / 2));
        for _ in 0..k {
            let page = r.u32()?;
            if page as usize >= n {
                return None;
            }
            postings.push((page, number_to_weight(r.u32()?)));
        }
        words.push((folded, postings));
    }
    let nt = r.u32()? as usize;
    let form_texts = (0..nt)
        .map(|_| r.str().map(Into::into))
        .collect::<Option<Vec<Box<str>>>>()?;
    let nf = r.u32()? as usize;
    let mut forms = Vec::with_capacity(nf.min(r.rest.len()));
    for _ in 0..nf {
        let (w, p, form) = (r.u32()?, r.u32()?, r.u32()?);
        if w as usize >= nw || p as usize >= n || form as usize >= nt {
            return None;
        }
        forms.push((w, p, form));
    }
    r.rest.is_empty().then_some(PastIndex {
        pages,
        words,
        forms,
        form_texts,
    })
}

/// The pages of `past` whose published bytes are still those it was made from
/// (`still(path, hash)`), as a language's table: `number` gives each page's number in this
/// build's index, none for a page that is no longer indexed (asked only of the pages whose
/// bytes are the same). The table holds each page's entry in a file of titles.
pub(super) fn recall(
    past: &PastLang,
    number: &dyn Fn(&str) -> Option<u32>,
    still: &dyn Fn(&str, &blake3::Hash) -> bool,
) -> Gathered {
    // A part that cannot be read gives nothing: its pages are read back.
    let Some(PastIndex {
        pages,
        words,
        forms,
        form_texts,
    }) = past.read()
    else {
        return Gathered::default();
    };
    // Old number → new number, for the pages taken.
    let renumber: Vec<Option<u32>> = pages
        .iter()
        .map(|p| {
            let h = p.bytes.as_ref()?;
            if !still(&p.path, h) {
                return None;
            }
            number(&p.path)
        })
        .collect();
    let mut g = Gathered::default();
    for (page, now) in pages.into_iter().zip(&renumber) {
        let Some(now) = *now else { continue };
        g.pages.lengths.push((now, page.length));
        g.pages.dates.push((now, page.date));
        if page.facets != Facets::default() {
            g.pages.facets.push((now, page.facets));
        }
        g.pages.docs.push((now, page.doc));
    }
    // The form each (word, page) was written in, when it is not the folded word.
    let mut form_of: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    for (w, p, form) in forms {
        if let Some(Some(now)) = renumber.get(p as usize) {
            form_of.insert((w, *now), form);
        }
    }
    let mut taken = Vec::with_capacity(words.len());
    let mut taken_forms = Vec::new();
    // Only the forms of the pages taken are kept, numbered again.
    let mut texts: Vec<Box<str>> = Vec::new();
    let mut text_number: Vec<Option<u32>> = vec![None; form_texts.len()];
    for (old_id, (folded, postings)) in words.into_iter().enumerate() {
        let mut postings = postings;
        postings.retain_mut(
            |(p, _)| match renumber.get(*p as usize).copied().flatten() {
                Some(now) => {
                    *p = now;
                    true
                }
                None => false,
            },
        );
        if postings.is_empty() {
            continue;
        }
        if !postings.is_sorted_by_key(|&(p, _)| p) {
            postings.sort_unstable_by_key(|&(p, _)| p);
        }
        let id = taken.len() as u32;
        let first = postings[0].0;
        let mut original = folded.clone();
        for &(p, _) in &postings {
            if let Some(form) = form_of.remove(&(old_id as u32, p)) {
                let number = *text_number[form as usize].get_or_insert_with(|| {
                    texts.push(form_texts[form as usize].clone());
                    (texts.len() - 1) as u32
                });
                if p == first {
                    original = texts[number as usize].clone();
                }
                taken_forms.push((id, p, number));
            }
        }
        taken.push(Word {
            folded,
            original,
            first,
            postings,
            written: Vec::new(),
        });
    }
    g.take_words(taken, taken_forms, texts);
    g
}

/// A number in as few bytes as it needs: seven bits a byte, the lowest first, the top bit
/// set on every byte but the last (LEB128). Most numbers of the memo (pages, counts) take
/// one or two bytes.
fn put_u32(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A weighted count as a small number: the count shifted up, the [`TITLE`] bit last.
fn weight_to_number(w: u32) -> u32 {
    ((w & !TITLE) << 1) | u32::from(w & TITLE != 0)
}

fn number_to_weight(n: u32) -> u32 {
    (n >> 1) | if n & 1 == 1 { TITLE } else { 0 }
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_u32(out, b.len() as u32);
    out.extend_from_slice(b);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_bytes(out, s.as_bytes());
}

/// Reads a memo's body from the front; every read is checked.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.rest.split_at_checked(n)?;
        self.rest = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    /// A number as `put_u32` writes it; one of more than 32 bits, or written in more
    /// bytes than it needs, is not.
    fn u32(&mut self) -> Option<u32> {
        let mut n = 0u32;
        for i in 0..5 {
            let b = self.u8()?;
            let bits = u32::from(b & 0x7f);
            if i == 4 && bits > 0x0f {
                return None;
            }
            n |= bits << (7 * i);
            if b & 0x80 == 0 {
                return (i == 0 || b != 0).then_some(n);
            }
        }
        None
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }
}

#[cfg(test)]
mod tests;
