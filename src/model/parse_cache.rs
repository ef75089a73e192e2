//! What the last `vetrina build` parsed of each Markdown file's front matter, kept in the
//! cache folder (`.vetrina-cache/front-matter.bin`) so that the next build does not parse it
//! again: at 10,000 stories in four languages, parsing the YAML of every front matter is a
//! quarter of a rebuild after a one-story edit.
//!
//! An entry is found by the hash of the file's path and front-matter text (its front
//! print), so it holds whatever the file's size or time; it is the front matter as the YAML
//! parse made it, written as JSON. Only a front matter whose parse reported nothing is kept. The cache
//! stands in for the parse alone: every check after it (a project's web address, the
//! references, the consents) runs on every build.
//!
//! JSON does not keep where in the file each value was written (`Spanned` values come back
//! without their place), and those places are what an error or a warning points at. A build
//! that took any front matter from here and then has anything to report is therefore made
//! again without it (`model::build`): every message points where a build without the cache
//! would. A site without warnings (the usual case) pays nothing for that.
//!
//! The pipeline reads and writes the file (the model touches no disk): sealed
//! (`fileio::write_sealed`) under the program that wrote it, so that another build of
//! Vetrina, whose front matter may read otherwise, never takes it. It holds only the
//! entries of the files of the last build: a story deleted from `content/` leaves it at the
//! next build.
//!
//! The body of the file ([`ParseCache::from_body`], [`ParseCache::next_body`]): entries in a
//! row, each the 32 bytes of its key, its length (four bytes, little-endian) and its JSON.

use rustc_hash::FxHashMap;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The first line of the file, and its name in the cache folder.
pub const MAGIC: &[u8] = b"vetrina front matter 1\n";
pub const FILE_NAME: &str = "front-matter.bin";

/// A front matter's key in the cache: its file's front print (the hash of the file's path
/// and of the text before its body, `load::TextPrints`), made when the file was read or
/// kept from the last build, so that a file not read again is not read for its key.
pub(super) type Key = [u8; 32];

pub(super) fn key(prints: &crate::load::TextPrints) -> Key {
    *prints.front.as_bytes()
}

/// The front matter `json` holds, if it reads as a `T`.
pub(super) fn read<T: DeserializeOwned>(json: &[u8]) -> Option<T> {
    serde_json::from_slice(json).ok()
}

/// A parsed front matter written for the cache.
pub(super) fn write<T: Serialize>(fm: &T) -> Option<Vec<u8>> {
    serde_json::to_vec(fm).ok()
}

/// What one file's parse leaves for the next build.
#[derive(Clone)]
pub(super) enum Remembered {
    /// Nothing: the parse reported something, or the cache is not in use.
    Nothing,
    /// Taken from the last build's cache, by this key.
    Taken(Key),
    /// Parsed now, without a message: its key and JSON.
    Parsed(Key, Vec<u8>),
}

/// The front matters the last build parsed (`open`), and what this build's parse leaves
/// for the next (`save`).
#[derive(Default)]
pub struct ParseCache {
    /// The last build's entries: JSON in `body`, by key.
    body: Vec<u8>,
    entries: FxHashMap<Key, (usize, usize)>,
    /// Entries taken by this build's parse.
    pub(super) taken: usize,
    /// One per content file, in order, set by `model::build`.
    pub(super) next: Vec<Remembered>,
}

impl ParseCache {
    /// The cache the last build left, from the body of its file; empty if the body is cut
    /// short.
    pub fn from_body(body: Vec<u8>) -> ParseCache {
        let mut entries = FxHashMap::default();
        let mut at = 0;
        while at < body.len() {
            let Some((k, len)) = body.get(at..at + 36).map(|h| h.split_at(32)) else {
                return ParseCache::default();
            };
            let len = u32::from_le_bytes(len.try_into().unwrap_or_default()) as usize;
            let start = at + 36;
            if start + len > body.len() {
                return ParseCache::default();
            }
            entries.insert(k.try_into().unwrap_or_default(), (start, len));
            at = start + len;
        }
        ParseCache {
            body,
            entries,
            ..ParseCache::default()
        }
    }

    /// The JSON of the front matter with this key, if the last build left it.
    pub(super) fn get(&self, key: &Key) -> Option<&[u8]> {
        let &(start, len) = self.entries.get(key)?;
        self.body.get(start..start + len)
    }

    /// How many front matters this build took from the cache.
    pub fn taken(&self) -> usize {
        self.taken
    }

    /// Whether the last build left any entry.
    pub(super) fn has_past(&self) -> bool {
        !self.entries.is_empty()
    }

    /// Forgets the last build's entries: the parse that follows reads every front matter.
    pub(super) fn forget_past(&mut self) {
        self.entries.clear();
        self.taken = 0;
    }

    /// Whether the entries this build leaves are those the last build left, so that the
    /// file need not be written again.
    pub fn unchanged(&self) -> bool {
        let mut taken = rustc_hash::FxHashSet::default();
        for r in &self.next {
            let Remembered::Taken(key) = r else {
                return false;
            };
            taken.insert(key);
        }
        taken.len() == self.entries.len()
    }

    /// The body of the file this build's parse leaves for the next; `None` when it is the
    /// last build's (`unchanged`), so that the file need not be written again.
    pub fn next_body(&self) -> Option<Vec<u8>> {
        if self.unchanged() {
            return None;
        }
        let mut body = Vec::new();
        let mut seen = rustc_hash::FxHashSet::default();
        for r in &self.next {
            let (key, json) = match r {
                Remembered::Nothing => continue,
                Remembered::Taken(key) => match self.get(key) {
                    Some(json) => (key, json),
                    None => continue,
                },
                Remembered::Parsed(key, json) => (key, json.as_slice()),
            };
            // Two files with the same front matter share one entry.
            if !seen.insert(*key) {
                continue;
            }
            let Ok(len) = u32::try_from(json.len()) else {
                continue;
            };
            body.extend_from_slice(key);
            body.extend_from_slice(&len.to_le_bytes());
            body.extend_from_slice(json);
        }
        Some(body)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ParsedDoc, parse_doc};
    use super::*;
    use crate::diag::Diagnostics;
    use std::path::Path;

    /// A cache holding one entry.
    fn holding(key: Key, json: Vec<u8>) -> ParseCache {
        ParseCache {
            entries: [(key, (0, json.len()))].into_iter().collect(),
            body: json,
            ..ParseCache::default()
        }
    }

    /// The JSON of a parsed front matter, as the cache writes it.
    fn json_of(doc: &ParsedDoc) -> Option<Vec<u8>> {
        match doc {
            ParsedDoc::Home(_, d) => write(&d.fm),
            ParsedDoc::Project(_, d) => write(&d.fm),
            ParsedDoc::Story(_, d) => write(&d.fm),
            ParsedDoc::News(_, d) => write(&d.fm),
            ParsedDoc::Page(_, d) => write(&d.fm),
            ParsedDoc::Failed => None,
        }
    }

    /// Every front matter of the demo site and of the fixture sites, parsed, written, then
    /// taken from a cache holding what was written, is written again the same: nothing is
    /// lost or read otherwise on the way (regions `all`, dates, consents, web addresses).
    #[test]
    fn every_front_matter_of_the_demo_and_the_fixtures_reads_back_as_it_was_written() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sites = vec![root.to_path_buf()];
        for entry in std::fs::read_dir(root.join("tests/fixtures")).unwrap() {
            sites.push(entry.unwrap().path());
        }
        let langs = ["it", "en", "fr", "ar", "es", "de"];
        let mut checked = 0;
        let mut kinds = std::collections::BTreeSet::new();
        for site in sites.iter().filter(|s| s.join("site.yaml").is_file()) {
            let sources = crate::load::load(site, &mut Diagnostics::new(), None, None);
            for cf in &sources.content {
                let empty = ParseCache::default();
                let (first, remembered) =
                    parse_doc(cf, &langs, &mut Diagnostics::new(), Some(&empty));
                let Remembered::Parsed(key, json) = remembered else {
                    continue;
                };
                assert_eq!(json_of(&first).as_ref(), Some(&json));
                let cache = holding(key, json.clone());
                let (again, remembered) =
                    parse_doc(cf, &langs, &mut Diagnostics::new(), Some(&cache));
                assert!(
                    matches!(remembered, Remembered::Taken(k) if k == key),
                    "{} was not taken from the cache",
                    cf.src.path.display()
                );
                assert_eq!(
                    json_of(&again).map(String::from_utf8),
                    Some(String::from_utf8(json)),
                    "{}",
                    cf.src.path.display()
                );
                kinds.insert(cf.section.clone());
                checked += 1;
            }
        }
        assert!(checked > 100, "only {checked} front matters checked");
        assert_eq!(
            kinds.into_iter().collect::<Vec<_>>(),
            ["home", "news", "pages", "projects", "stories"]
        );
    }

    /// The checks after the parse run on a front matter taken from the cache too: an entry
    /// altered to carry a script address is refused as the same text in a file would be.
    #[test]
    fn a_front_matter_taken_from_the_cache_is_checked_as_a_parsed_one() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let sources = crate::load::load(root, &mut Diagnostics::new(), None, None);
        let cf = (sources.content.iter())
            .find(|cf| cf.section == "projects")
            .unwrap();
        let langs = ["it", "en", "fr", "ar"];
        let (_, remembered) = parse_doc(
            cf,
            &langs,
            &mut Diagnostics::new(),
            Some(&ParseCache::default()),
        );
        let Remembered::Parsed(key, json) = remembered else {
            panic!("the demo's project was not parsed cleanly");
        };
        let mut value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        value["website"] = "javascript:alert(1)".into();
        let forged = serde_json::to_vec(&value).unwrap();
        let cache = holding(key, forged);
        let mut diags = Diagnostics::new();
        let (_, remembered) = parse_doc(cf, &langs, &mut diags, Some(&cache));
        assert!(matches!(remembered, Remembered::Taken(_)));
        assert!(
            diags.has_errors(),
            "a script address taken from the cache was not refused"
        );
    }

    /// Numbers come back from the JSON as they were parsed, to the last bit.
    #[test]
    fn numbers_read_back_to_the_last_bit() {
        let mut x = 0.1f64;
        for _ in 0..2000 {
            x = x * 1.000_007_3 + 0.000_123_9;
            let back: f64 = read(&write(&x).unwrap()).unwrap();
            assert_eq!(back.to_bits(), x.to_bits(), "{x}");
        }
        for x in [
            1234.56f64,
            2.225_073_858_507_201_4e-308,
            9_007_199_254_740_993.0,
            1e300,
        ] {
            let back: f64 = read(&write(&x).unwrap()).unwrap();
            assert_eq!(back.to_bits(), x.to_bits(), "{x}");
        }
    }

    #[test]
    fn a_body_cut_short_is_no_cache_and_a_whole_one_is_read_back() {
        let prints = |path: &str| {
            crate::load::text_prints(std::path::Path::new(path), "---\ntitle: a\n---\n", 17)
        };
        let key_of = |path: &str| key(&prints(path));
        let mut body = key_of("content/stories/a/index.it.md").to_vec();
        body.extend_from_slice(&100u32.to_le_bytes());
        body.extend_from_slice(b"{}");
        assert!(!ParseCache::from_body(body.clone()).has_past());
        body[32..36].copy_from_slice(&2u32.to_le_bytes());
        let cache = ParseCache::from_body(body);
        assert_eq!(
            cache.get(&key_of("content/stories/a/index.it.md")),
            Some(&b"{}"[..])
        );
        // The same front matter in another section's file is another entry.
        assert_eq!(cache.get(&key_of("content/news/a/index.it.md")), None);
    }
}
