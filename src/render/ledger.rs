//! The pages of the last `vetrina build`, remembered until the next one: for each page, a
//! fingerprint of its template context and the hash of the bytes that were published.
//!
//! A page whose context is the same as then, rendered by the same program under the same
//! templates and strings, and whose published file still holds exactly those bytes, is
//! taken from the output folder instead of being rendered and minified again. Changing or
//! adding one story then renders the pages that show it (its page, the lists, hubs and
//! home that carry its card), not the whole site. A page whose templates looked an address
//! up (`url()`) shows more than its context: its fingerprint is recorded with every address
//! of the site, and it is taken only while they are all the same. Anything in doubt — no
//! record, another program, a file that was edited or removed by hand — means the page is
//! rendered.
//!
//! When only Markdown bodies changed since the last build (the same fingerprint of everything
//! else, see `prints`), a page that shows none of them is taken without even building its
//! context, if its file is as the last build left it (the size and time the build's record
//! saw: `stamp`).
//!
//! When only stories changed (their texts or pictures, or stories added or removed), a
//! story's page whose story did not change is taken without building its context if its file
//! is as the last build left it: a story's page shows no other story. A page whose templates
//! looked an address up is taken so only while the same stories are there.
//!
//! When only stories' texts changed, and of those only what their cards show (the title and
//! the summary: the same placement, see `load::placement_text`), a page that is not a
//! story's is taken without building its context if none of the cards it showed is of a
//! card that changed (`Entry::cards`, recorded as its context is built: a card's print
//! changes with its story's front matter in the card's language) and its file is as the last
//! build left it.
//!
//! Kept in `.vetrina-cache/pages-<hash of the output folder's resolved path>.bin`, sealed
//! (`fileio::write_sealed`: a magic line, the key — program and site-wide inputs — and a checksum
//! of the rest): the number of pages (u32, little-endian), one record per page (path length
//! as u32, path, 32 bytes of context fingerprint, 32 bytes of content hash, one byte: 1
//! if its templates looked an address up, the number of story cards it shows as u32 and
//! each card's print as a u64, see `prints::card_print`), the number of files made beside the pages
//! (feeds, calendars, sitemap, open data, the editor's files) and their paths (length as
//! u32, path), then the site's fingerprints without bodies, without entries' texts, and
//! without entries' texts and stories (32 bytes each) and one record per entry (section as one byte, with `FRONT` or `PLACEMENT`
//! set for those prints, key length as u32, key, 32 bytes of the hash of its bodies, front
//! matter or placement).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};

use super::extras::{Extra, Job};
use super::prints::EntryPrints;

const MAGIC: &[u8] = b"vetrina pages 6\n";

/// Set on an entry's section number in the record when the hash is of its front matter.
const FRONT: u8 = 0x80;
/// Set on an entry's section number in the record when the hash is of its placement.
const PLACEMENT: u8 = 0x40;

/// The sections whose entries have bodies, numbered as the record writes them.
const SECTIONS: [&str; 5] = ["home", "projects", "stories", "news", "pages"];

/// What is known of one published page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub context: blake3::Hash,
    pub bytes: blake3::Hash,
    /// The cards its context showed (`prints::card_print` of each): the same while the
    /// context is.
    pub cards: std::sync::Arc<[u64]>,
    /// Whether its templates looked an address up (`url()`): `context` is then the
    /// fingerprint with the site's addresses.
    pub addresses: bool,
}

/// The stories that changed since the last build, when nothing else did (see
/// [`Ledger::changed_stories`]).
#[derive(Debug)]
pub struct ChangedStories {
    /// Those whose front matter or bodies changed, and those added.
    pub keys: std::collections::HashSet<String>,
    /// Whether the same stories are there, with the same addresses: else only pages that
    /// looked no address up are taken as they were.
    pub same_stories: bool,
}

/// The fingerprints of a site that a build records (`prints::SitePrints`, with the
/// pictures): everything but the Markdown bodies (`meta`), everything but the entries'
/// texts (`rest`), that without the stories there are (`rest_but_stories`), and each
/// entry's bodies and front matter (a story's with its pictures and bundle files).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedPrints {
    pub meta: blake3::Hash,
    pub rest: blake3::Hash,
    /// `rest` without the stories there are and without the site's addresses.
    pub rest_but_stories: blake3::Hash,
    pub bodies: EntryPrints,
    pub fronts: EntryPrints,
    pub placements: EntryPrints,
}

/// The record of the last build, and the one this build is making.
#[derive(Debug)]
pub struct Ledger {
    file: PathBuf,
    output: PathBuf,
    /// The key the record was made under; replaced by this build's in `start`.
    key: Option<blake3::Hash>,
    past: FxHashMap<String, Entry>,
    now: Vec<(String, Entry)>,
    /// The last build's and this build's fingerprint of the site without bodies (with the
    /// pictures), and of each entry's bodies.
    past_prints: Option<RecordedPrints>,
    now_prints: Option<RecordedPrints>,
    /// The files made beside the pages by the last build (without their bytes), and by
    /// this one. They read no body: after an edit of bodies only, they are as the last
    /// build made them.
    past_extras: Vec<Extra>,
    now_extras: Vec<Extra>,
    /// The output's files as the last build left them: (size, time in ns), by path.
    listing: FxHashMap<String, (u64, u128)>,
    /// The files of `listing` found with that size and time by this build (`is_untouched`):
    /// the write lists them for the next build without looking at them again.
    confirmed: std::sync::Mutex<FxHashSet<String>>,
    /// The output folder, open while there is a listing to compare its files with.
    folder: Option<crate::tree::Folder>,
}

impl Ledger {
    /// Reads the record kept in `cache_dir` of builds into `output`. A missing, cut-short or
    /// altered record is an empty one.
    pub fn open(cache_dir: &Path, output: &Path) -> Ledger {
        // One record per output folder: builds into two folders do not undo each other's.
        let folder = blake3::hash(crate::fileio::folder_key(output).as_bytes()).to_hex();
        let file = cache_dir.join(format!("pages-{}.bin", &folder[..16]));
        let (key, (past, past_extras, past_prints)) = crate::fileio::read_sealed(&file, MAGIC)
            .and_then(|(k, body)| Some((Some(k), parse(&body)?)))
            .unwrap_or_default();
        Ledger {
            file,
            output: output.to_path_buf(),
            key,
            past,
            now: Vec::new(),
            past_prints,
            now_prints: None,
            past_extras,
            now_extras: Vec::new(),
            listing: FxHashMap::default(),
            confirmed: Default::default(),
            folder: None,
        }
    }

    /// The files the last build made beside the pages, if every one of them is as that
    /// build left it (ask only when bodies alone changed: `changed_bodies`).
    pub(super) fn untouched_extras(&self) -> Option<Vec<Extra>> {
        let all = || self.past_extras.iter().all(|x| self.is_untouched(&x.path));
        (!self.past_extras.is_empty() && all()).then(|| self.past_extras.clone())
    }

    /// The files the last build made beside the pages (without their bytes, `kept`).
    pub(super) fn past_extras(&self) -> &[Extra] {
        &self.past_extras
    }

    /// Records the files this build made beside the pages (their bytes are not kept).
    pub(super) fn record_extras(&mut self, extras: &[Extra]) {
        let no_bytes: crate::write::Bytes = std::sync::Arc::new(Vec::new());
        self.now_extras = (extras.iter())
            .map(|x| Extra {
                bytes: no_bytes.clone(),
                kept: true,
                ..x.clone()
            })
            .collect();
    }

    /// The output's files as the last build left them (`stamp::last_output`): a page taken
    /// because its body did not change must still be as that build left it.
    pub fn with_listing(mut self, listing: FxHashMap<String, (u64, u128)>) -> Self {
        self.listing = listing;
        self.folder = (!self.listing.is_empty())
            .then(|| crate::tree::Folder::open(&self.output).ok())
            .flatten();
        self
    }

    /// The output's files as the last build left them (see [`Ledger::with_listing`]).
    pub fn listing(&self) -> &FxHashMap<String, (u64, u128)> {
        &self.listing
    }

    /// The files of the output that this build found with the size and time the last build
    /// left them with (asked for, and found so, while taking pages).
    pub fn take_confirmed(&mut self) -> FxHashSet<String> {
        std::mem::take(self.confirmed.get_mut().unwrap_or_else(|e| e.into_inner()))
    }

    /// The entries whose bodies changed since the last build, if nothing else did (`meta`:
    /// the fingerprint of the site without bodies, with the pictures) under the same key.
    pub(super) fn changed_bodies(
        &self,
        meta: blake3::Hash,
        bodies: &EntryPrints,
    ) -> Option<std::collections::HashSet<(&'static str, String)>> {
        let past = self.past_prints.as_ref()?;
        (past.meta == meta).then(|| changed(&past.bodies, bodies).cloned().collect())
    }

    /// The stories whose texts (front matter or bodies) changed since the last build, or
    /// that were added, if nothing but stories did (`rest_but_stories`: the fingerprint of
    /// the site without its entries' texts and without the stories there are, with the
    /// pictures) under the same key; `rest` (with the stories there are and the site's
    /// addresses) tells whether the same stories are there.
    pub(super) fn changed_stories(
        &self,
        rest: blake3::Hash,
        rest_but_stories: blake3::Hash,
        fronts: &EntryPrints,
        bodies: &EntryPrints,
    ) -> Option<ChangedStories> {
        let past = self.past_prints.as_ref()?;
        if past.rest_but_stories != rest_but_stories {
            return None;
        }
        let mut keys = std::collections::HashSet::new();
        // A story added is in `changed`: it has no print of the last build's.
        for (section, key) in changed(&past.fronts, fronts).chain(changed(&past.bodies, bodies)) {
            if *section != "stories" {
                return None;
            }
            keys.insert(key.clone());
        }
        Some(ChangedStories {
            keys,
            same_stories: past.rest == rest,
        })
    }

    /// Whether each of `stories` (changed since the last build) has the placement it had
    /// then: only what its cards show of it changed.
    pub(super) fn same_placements<'a>(
        &self,
        stories: impl IntoIterator<Item = &'a String>,
        placements: &EntryPrints,
    ) -> bool {
        let Some(past) = self.past_prints.as_ref() else {
            return false;
        };
        stories.into_iter().all(|key| {
            let k = ("stories", key.clone());
            past.placements
                .get(&k)
                .is_some_and(|h| placements.get(&k) == Some(h))
        })
    }

    /// The record of the page at `path` (its file `file`), if the last build published it
    /// and the file has the size and time it had when that build ended.
    pub(super) fn untouched(&self, path: &str, file: &str) -> Option<Entry> {
        let entry = self.past.get(path)?;
        self.is_untouched(file).then(|| entry.clone())
    }

    /// The files under the output's `folder` that have the size and time they had when the
    /// last build ended (paths in the output).
    pub fn untouched_under(&self, folder: &str) -> FxHashSet<String> {
        let prefix = format!("{folder}/");
        (self.listing.keys())
            .filter(|f| f.starts_with(&prefix) && self.is_untouched(f))
            .cloned()
            .collect()
    }

    /// Whether the output's `file` has the size and time it had when the last build ended.
    pub(super) fn is_untouched(&self, file: &str) -> bool {
        // A file, not a link (the write replaces a link by the file itself).
        let now = || match self.folder.as_ref()?.stat(file).ok()? {
            (crate::tree::Kind::File, s) => Some((s.len, s.modified.unsigned_abs().into())),
            _ => None,
        };
        let same = (self.listing.get(file)).is_some_and(|then| now() == Some(*then));
        if same {
            (self.confirmed.lock())
                .unwrap_or_else(|e| e.into_inner())
                .insert(file.to_string());
        }
        same
    }

    /// Records this build's fingerprints of the site, for the next build.
    pub(super) fn record_prints(&mut self, prints: RecordedPrints) {
        self.now_prints = Some(prints);
    }

    /// Starts this build's record under `key`; the pages of the last build are usable only
    /// if its key was the same.
    pub(super) fn start(&mut self, key: blake3::Hash) {
        if self.key != Some(key) {
            self.past.clear();
            self.past_prints = None;
            self.past_extras.clear();
        }
        self.key = Some(key);
        self.now.clear();
    }

    /// The published bytes of the page at `path` (its file `file` in the output), if the
    /// last build rendered it from a context with one of these `fingerprints` (the
    /// context's, or the context's with the site's addresses for a page that looked one
    /// up) and the file still holds what was published then.
    pub(super) fn kept(
        &self,
        path: &str,
        file: &str,
        fingerprints: [&blake3::Hash; 2],
    ) -> Option<(Vec<u8>, Entry)> {
        let entry = self.past.get(path)?;
        if !fingerprints.contains(&&entry.context) {
            return None;
        }
        let bytes = fs::read(self.output.join(file)).ok()?;
        (blake3::hash(&bytes) == entry.bytes).then(|| (bytes, entry.clone()))
    }

    /// Records the pages of this build (those rendered without any diagnostic).
    pub(super) fn record(&mut self, entries: Vec<(String, Entry)>) {
        self.now = entries;
    }

    /// The hash of each page's published bytes in this build, by address (the pages
    /// recorded: rendered without a diagnostic, or taken as they were).
    pub fn published(&self) -> FxHashMap<String, blake3::Hash> {
        (self.now.iter())
            .map(|(path, e)| (path.clone(), e.bytes))
            .collect()
    }

    /// How many pages the last build left that this one may take.
    #[cfg(test)]
    pub fn known(&self) -> usize {
        self.past.len()
    }

    /// Keeps this build's record for the next one (written beside, then renamed into
    /// place). Call it once the pages are published.
    pub fn save(&self) -> io::Result<()> {
        let Some(key) = self.key else {
            return Ok(());
        };
        let mut buf = Vec::with_capacity(self.now.len() * 128);
        let pages: Vec<&(String, Entry)> = (self.now.iter())
            .filter(|(p, _)| u32::try_from(p.len()).is_ok())
            .collect();
        buf.extend_from_slice(&(pages.len() as u32).to_le_bytes());
        for (path, e) in pages {
            buf.extend_from_slice(&(path.len() as u32).to_le_bytes());
            buf.extend_from_slice(path.as_bytes());
            buf.extend_from_slice(e.context.as_bytes());
            buf.extend_from_slice(e.bytes.as_bytes());
            buf.push(u8::from(e.addresses));
            push_cards(&mut buf, &e.cards);
        }
        let extras: Vec<&Extra> = (self.now_extras.iter())
            .filter(|x| u32::try_from(x.path.len()).is_ok())
            .collect();
        buf.extend_from_slice(&(extras.len() as u32).to_le_bytes());
        for x in extras {
            buf.extend_from_slice(&(x.path.len() as u32).to_le_bytes());
            buf.extend_from_slice(x.path.as_bytes());
            buf.push(x.job as u8);
            push_cards(&mut buf, &x.cards);
        }
        if let Some(prints) = &self.now_prints {
            buf.extend_from_slice(prints.meta.as_bytes());
            buf.extend_from_slice(prints.rest.as_bytes());
            buf.extend_from_slice(prints.rest_but_stories.as_bytes());
            let fronts = (prints.fronts.iter()).map(|e| (FRONT, e));
            let placements = (prints.placements.iter()).map(|e| (PLACEMENT, e));
            let all = prints
                .bodies
                .iter()
                .map(|e| (0, e))
                .chain(fronts)
                .chain(placements);
            for (kind, ((section, key), h)) in all {
                let (Some(s), Ok(len)) = (
                    SECTIONS.iter().position(|x| x == section),
                    u32::try_from(key.len()),
                ) else {
                    continue;
                };
                buf.push(s as u8 | kind);
                buf.extend_from_slice(&len.to_le_bytes());
                buf.extend_from_slice(key.as_bytes());
                buf.extend_from_slice(h.as_bytes());
            }
        }
        crate::fileio::write_sealed(&self.file, MAGIC, &key, &buf)
    }
}

/// The pages, the files beside them and the site's fingerprints (if recorded) of a
/// record's body.
type Parsed = (FxHashMap<String, Entry>, Vec<Extra>, Option<RecordedPrints>);

/// Card prints as the record writes them: their number (u32), then each (u64), little-endian.
fn push_cards(buf: &mut Vec<u8>, cards: &[u64]) {
    buf.extend_from_slice(&(cards.len() as u32).to_le_bytes());
    for k in cards {
        buf.extend_from_slice(&k.to_le_bytes());
    }
}

/// `n` card prints (u64, little-endian) from the start of `r`, and what follows them.
fn card_prints(r: &[u8], n: usize) -> Option<(Vec<u64>, &[u8])> {
    let (prints, rest) = r.split_at_checked(n.checked_mul(8)?)?;
    let cards = (prints.chunks_exact(8))
        .map(|k| u64::from_le_bytes(k.try_into().unwrap_or_default()))
        .collect();
    Some((cards, rest))
}

fn parse(rest: &[u8]) -> Option<Parsed> {
    let hash =
        |b: &[u8]| -> Option<blake3::Hash> { Some(blake3::Hash::from_bytes(b.try_into().ok()?)) };
    let u32_at =
        |b: &[u8]| -> Option<usize> { Some(u32::from_le_bytes(b.try_into().ok()?) as usize) };
    let mut past = FxHashMap::default();
    let (count, mut rest) = rest.split_at_checked(4)?;
    for _ in 0..u32_at(count)? {
        let (n, r) = rest.split_at_checked(4)?;
        let n = u32_at(n)?;
        let (path, r) = r.split_at_checked(n)?;
        let (context, r) = r.split_at_checked(32)?;
        let (bytes, r) = r.split_at_checked(32)?;
        let (&addresses, r) = r.split_first()?;
        let (n, r) = r.split_at_checked(4)?;
        let (cards, r) = card_prints(r, u32_at(n)?)?;
        past.insert(
            String::from_utf8(path.to_vec()).ok()?,
            Entry {
                context: hash(context)?,
                bytes: hash(bytes)?,
                cards: cards.into(),
                addresses: match addresses {
                    0 => false,
                    1 => true,
                    _ => return None,
                },
            },
        );
        rest = r;
    }
    let (count, r) = rest.split_at_checked(4)?;
    rest = r;
    let mut extras = Vec::new();
    let no_bytes: crate::write::Bytes = std::sync::Arc::new(Vec::new());
    for _ in 0..u32_at(count)? {
        let (n, r) = rest.split_at_checked(4)?;
        let (path, r) = r.split_at_checked(u32_at(n)?)?;
        let (&job, r) = r.split_first()?;
        let (n, r) = r.split_at_checked(4)?;
        let (cards, r) = card_prints(r, u32_at(n)?)?;
        extras.push(Extra {
            path: String::from_utf8(path.to_vec()).ok()?,
            bytes: no_bytes.clone(),
            kept: true,
            job: Job::from_number(job)?,
            cards: cards.into(),
        });
        rest = r;
    }
    if rest.is_empty() {
        return Some((past, extras, None));
    }
    let (meta, rest) = rest.split_at_checked(32)?;
    let (site_rest, rest) = rest.split_at_checked(32)?;
    let (but_stories, mut rest) = rest.split_at_checked(32)?;
    let mut bodies = EntryPrints::default();
    let mut fronts = EntryPrints::default();
    let mut placements = EntryPrints::default();
    while !rest.is_empty() {
        let (&s, r) = rest.split_first()?;
        let (n, r) = r.split_at_checked(4)?;
        let (key, r) = r.split_at_checked(u32_at(n)?)?;
        let (h, r) = r.split_at_checked(32)?;
        let prints = match s & (FRONT | PLACEMENT) {
            0 => &mut bodies,
            FRONT => &mut fronts,
            PLACEMENT => &mut placements,
            _ => return None,
        };
        prints.insert(
            (
                *SECTIONS.get((s & !(FRONT | PLACEMENT)) as usize)?,
                String::from_utf8(key.to_vec()).ok()?,
            ),
            hash(h)?,
        );
        rest = r;
    }
    let prints = RecordedPrints {
        meta: hash(meta)?,
        rest: hash(site_rest)?,
        rest_but_stories: hash(but_stories)?,
        bodies,
        fronts,
        placements,
    };
    Some((past, extras, Some(prints)))
}

/// The entries of `now` whose hash is not the one in `before`.
fn changed<'a>(
    before: &'a EntryPrints,
    now: &'a EntryPrints,
) -> impl Iterator<Item = &'a (&'static str, String)> {
    (now.iter())
        .filter(|(k, h)| before.get(*k) != Some(*h))
        .map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(c: &[u8], b: &[u8]) -> Entry {
        Entry {
            context: blake3::hash(c),
            bytes: blake3::hash(b),
            cards: [1, u64::MAX].into(),
            addresses: c == b"url",
        }
    }

    #[test]
    fn a_page_is_kept_only_with_the_same_key_context_and_file() {
        let dir = tempfile::tempdir().unwrap();
        let (cache, out) = (dir.path().join("cache"), dir.path().join("public"));
        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(out.join("a/index.html"), b"<p>a</p>").unwrap();
        let key = blake3::hash(b"key");
        let mut l = Ledger::open(&cache, &out);
        assert_eq!(l.known(), 0);
        l.start(key);
        let looked_up = Entry {
            addresses: true,
            ..entry(b"ctx", b"<p>a</p>")
        };
        l.record(vec![("/a/".into(), looked_up.clone())]);
        l.save().unwrap();

        let mut l = Ledger::open(&cache, &out);
        l.start(key);
        let fp = blake3::hash(b"ctx");
        let (bytes, kept) = l.kept("/a/", "a/index.html", [&fp, &fp]).expect("kept");
        assert_eq!(bytes, b"<p>a</p>");
        assert_eq!(kept, looked_up, "its cards and its look-ups too");
        // Another context, another page, a file changed by hand: rendered again.
        assert!(
            l.kept("/a/", "a/index.html", [&blake3::hash(b"other"); 2])
                .is_none()
        );
        assert!(l.kept("/b/", "b/index.html", [&fp, &fp]).is_none());
        fs::write(out.join("a/index.html"), b"<p>A</p>").unwrap();
        assert!(l.kept("/a/", "a/index.html", [&fp, &fp]).is_none());
        fs::write(out.join("a/index.html"), b"<p>a</p>").unwrap();

        // Another program or other templates: nothing is taken.
        let mut l = Ledger::open(&cache, &out);
        l.start(blake3::hash(b"another key"));
        assert!(l.kept("/a/", "a/index.html", [&fp, &fp]).is_none());
    }

    #[test]
    fn the_sites_prints_are_kept_and_say_which_bodies_changed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let key = blake3::hash(b"key");
        let meta = blake3::hash(b"meta");
        let bodies = |b: &[u8]| -> EntryPrints {
            [
                (("stories", "a".to_string()), blake3::hash(b"a")),
                (("news", "b".to_string()), blake3::hash(b)),
            ]
            .into_iter()
            .collect()
        };
        let mut l = Ledger::open(dir.path(), &out);
        l.start(key);
        l.record(vec![("/a/".into(), entry(b"1", b"2"))]);
        let rest = blake3::hash(b"rest");
        let but = blake3::hash(b"rest but stories");
        let fronts = |a: &[u8]| -> EntryPrints {
            [
                (("stories", "a".to_string()), blake3::hash(a)),
                (("stories", "c".to_string()), blake3::hash(b"c")),
                (("news", "b".to_string()), blake3::hash(b"b")),
            ]
            .into_iter()
            .collect()
        };
        let placements = |a: &[u8]| -> EntryPrints {
            [(("stories", "a".to_string()), blake3::hash(a))]
                .into_iter()
                .collect()
        };
        l.record_prints(RecordedPrints {
            meta,
            rest,
            rest_but_stories: but,
            bodies: bodies(b"b"),
            fronts: fronts(b"a"),
            placements: placements(b"pa"),
        });
        l.save().unwrap();

        let mut l = Ledger::open(dir.path(), &out);
        l.start(key);
        // A story's placement: the same, another, or one not recorded.
        let a = ["a".to_string()];
        assert!(l.same_placements(&a, &placements(b"pa")));
        assert!(!l.same_placements(&a, &placements(b"pa2")));
        assert!(!l.same_placements(&["c".to_string()], &placements(b"pa")));
        // Stories' front matter changed and nothing else but texts: which stories.
        let stories = |s: Option<ChangedStories>| {
            let s = s.expect("stories only");
            assert!(s.same_stories);
            let mut v: Vec<String> = s.keys.into_iter().collect();
            v.sort();
            v
        };
        assert_eq!(
            stories(l.changed_stories(rest, but, &fronts(b"a2"), &bodies(b"b"))),
            ["a"]
        );
        assert!(stories(l.changed_stories(rest, but, &fronts(b"a"), &bodies(b"b"))).is_empty());
        // A story added (its site's `rest` another, the rest without stories the same):
        // it is among the changed, and the stories are not the same.
        let mut added = fronts(b"a");
        added.insert(("stories", "d".into()), blake3::hash(b"d"));
        let with_d = l
            .changed_stories(blake3::hash(b"rest with d"), but, &added, &bodies(b"b"))
            .expect("stories only");
        assert!(!with_d.same_stories);
        assert_eq!(with_d.keys.into_iter().collect::<Vec<_>>(), ["d"]);
        // A news item's body, a news item's front matter, or anything else: not stories only.
        assert!(
            l.changed_stories(rest, but, &fronts(b"a2"), &bodies(b"b2"))
                .is_none()
        );
        let mut news_front = fronts(b"a");
        news_front.insert(("news", "b".into()), blake3::hash(b"b2"));
        assert!(
            l.changed_stories(rest, but, &news_front, &bodies(b"b"))
                .is_none()
        );
        assert!(
            l.changed_stories(rest, blake3::hash(b"other"), &fronts(b"a2"), &bodies(b"b"))
                .is_none()
        );
        let changed = l.changed_bodies(meta, &bodies(b"b2")).expect("same site");
        assert_eq!(
            changed.into_iter().collect::<Vec<_>>(),
            [("news", "b".into())]
        );
        assert!(l.changed_bodies(meta, &bodies(b"b")).unwrap().is_empty());
        // Something else changed, or another program: nothing is known.
        assert!(
            l.changed_bodies(blake3::hash(b"other"), &bodies(b"b"))
                .is_none()
        );
        l.start(blake3::hash(b"another key"));
        assert!(l.changed_bodies(meta, &bodies(b"b")).is_none());
        assert!(
            l.changed_stories(rest, but, &fronts(b"a"), &bodies(b"b"))
                .is_none()
        );
        // Without the listing of the output, no page is known untouched.
        let l = Ledger::open(dir.path(), &out);
        assert!(l.untouched("/a/", "a/index.html").is_none());
    }

    #[test]
    fn a_cut_short_record_is_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut l = Ledger::open(dir.path(), &out);
        l.start(blake3::hash(b"key"));
        l.record(vec![
            ("/a/".into(), entry(b"1", b"2")),
            ("/b/".into(), entry(b"3", b"4")),
        ]);
        l.save().unwrap();
        assert_eq!(Ledger::open(dir.path(), &out).known(), 2);
        let file = Ledger::open(dir.path(), &out).file;
        let b = fs::read(&file).unwrap();
        fs::write(&file, &b[..b.len() - 10]).unwrap();
        assert_eq!(Ledger::open(dir.path(), &out).known(), 0);
    }
}
