//! The source snapshot: what `vetrina build` knew of each Markdown file of `content/` it
//! read (its text's prints and where its front matter ends), kept for the next build with
//! the file's stamp (size, times, inode and device), in `.vetrina-cache/sources/`. The next
//! build does not read a file whose stamp it finds the same: its text is read late, if
//! anything asks for it (a page made from it is made again, a message points into it). At
//! 10,000 stories in four languages, reading 40,000 files, or a copy of all their texts, was
//! most of a one-story rebuild's reading, and few of those texts are asked for.
//!
//! The stamps compared are those of the no-change check's walk (`stamp::inputs`), which looks
//! at every source file anyway. A stamp is trusted as git's index and make trust one: a file
//! whose size, modification and change times, inode and device are all the same is taken to
//! hold the same text (the change time cannot be set by hand). A file saved twice within one
//! tick of the file system's clock could keep its stamp, so a file is kept only when its time
//! is well before the build that read it began (`KEEP_AFTER`): a file edited just before a
//! build is read again by the next one. Only files that passed every check of `read_text`
//! and had their front matter found are kept.
//!
//! A text read late passes every check of `read_text` again and must have the prints the
//! snapshot promised: a file changed after the walk looked at it gives no text (an empty
//! one, as long as its front matter was, so that nothing reading it fails) and stops the
//! build with an error that names it ([`LateReads`]), rather than a page made from a text
//! other than the one whose prints decided what to make. Nothing put into the cache folder
//! by hand reaches a page: the cache holds no text, and a shard is sealed (a shard cut short
//! or altered is not taken).

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use super::TextPrints;
use crate::diag::{Diagnostics, SharedText};

/// Where a site's snapshot is: the folder `sources` of the cache folder, one file per shard
/// of the paths (so that the shards are read side by side and an edit rewrites one shard,
/// not all), each sealed under this program and the site's folder. A cache folder shared by
/// two sites, or a site moved, gives a snapshot that is not taken and is written again
/// whole: nothing is left behind under a folder of its own.
pub struct Place {
    folder: PathBuf,
    key: blake3::Hash,
}

impl Place {
    /// The snapshot of the site at `root`, in the cache folder `cache`.
    pub fn of(cache: &Path, root: &Path) -> Place {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut key = blake3::Hasher::new();
        key.update(crate::fileio::program_hash().as_bytes());
        key.update(root.to_string_lossy().as_bytes());
        Place {
            folder: cache.join("sources"),
            key: key.finalize(),
        }
    }

    /// Removes the snapshot of whichever site: a build that cannot see every file's stamp
    /// keeps none, and leaves nothing of a file since deleted.
    pub fn forget(cache: &Path) {
        let _ = std::fs::remove_dir_all(cache.join("sources"));
    }

    fn shard(&self, shard: usize) -> PathBuf {
        self.folder.join(format!("{shard:02}.bin"))
    }
}
/// How many shards.
const SHARDS: usize = 16;
/// What a shard's file starts with: this format, version 3.
pub const MAGIC: &[u8] = b"vetrina sources 3\n";
/// How long before a build began a file must have been changed last for what is known of
/// it to be kept by that build (in nanoseconds): far more than any file system's clock tick.
pub const KEEP_AFTER: i64 = 2_000_000_000;

pub use crate::tree::FileStamp;

/// The bytes of a stamp in a shard.
const STAMP_BYTES: usize = 8 * 5;

fn write_stamp(stamp: &FileStamp, out: &mut Vec<u8>) {
    out.extend_from_slice(&stamp.len.to_le_bytes());
    out.extend_from_slice(&stamp.modified.to_le_bytes());
    out.extend_from_slice(&stamp.changed.to_le_bytes());
    out.extend_from_slice(&stamp.inode.to_le_bytes());
    out.extend_from_slice(&stamp.device.to_le_bytes());
}

fn read_stamp(b: &[u8]) -> Option<FileStamp> {
    let u64_at = |i: usize| Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?));
    let i64_at = |i: usize| Some(i64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?));
    Some(FileStamp {
        len: u64_at(0)?,
        modified: i64_at(8)?,
        changed: i64_at(16)?,
        inode: u64_at(24)?,
        device: u64_at(32)?,
    })
}

/// The stamps of the site's source files now, by path relative to the site folder (`/`
/// between names), as the no-change check's walk saw them.
pub type Stamps = FxHashMap<String, FileStamp>;

/// What the no-change check's walk (`stamp::inputs`) saw of the sources.
#[derive(Default, Clone)]
pub struct Walked {
    pub stamps: Stamps,
    /// The ordinary files of `content/`, relative to it (`/` between names), in the order of
    /// a walk sorted by name; none when the walk saw something there that is neither a file
    /// nor a folder (`load` walks again, to report it).
    pub content: Option<Vec<String>>,
}

/// What a build knows of a Markdown file's text without reading it again: its prints, where
/// its front matter is and where its body starts (as `split_front_matter` found them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub prints: TextPrints,
    pub fm_range: Range<usize>,
    pub body_offset: usize,
}

/// What the last build knew of a file: the stamp the file had, and what it held.
type Kept = (FileStamp, Known);

/// The texts read late in a build (see the module's text): how many, and the files whose
/// text was not the one the snapshot promised (paths relative to the site folder).
#[derive(Debug, Default)]
pub struct LateReads {
    read: AtomicUsize,
    changed: Mutex<Vec<PathBuf>>,
}

impl LateReads {
    /// How many texts were read late.
    pub fn read(&self) -> usize {
        self.read.load(Ordering::Relaxed)
    }

    /// The files found changed when their text was read late, each once.
    pub fn changed(&self) -> Vec<PathBuf> {
        let mut changed = self
            .changed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        changed.sort();
        changed.dedup();
        changed
    }
}

impl LateReads {
    /// The files found changed so far, each once, forgotten here (`vetrina serve` asks after
    /// each build, its texts being read late from one build to the next).
    pub fn take_changed(&self) -> Vec<PathBuf> {
        let mut changed =
            std::mem::take(&mut *self.changed.lock().unwrap_or_else(|e| e.into_inner()));
        changed.sort();
        changed.dedup();
        changed
    }
}

/// The text of the file at `path` (within the site folder `root`) whose prints were
/// `prints`, read the first time it is asked for (see the module's text). A file whose
/// text is not the one the prints describe is recorded in `late`, and its text is blank.
pub fn read_late(
    root: &Path,
    path: &Path,
    prints: TextPrints,
    body_offset: usize,
    late: Arc<LateReads>,
) -> SharedText {
    let (root, path) = (root.to_path_buf(), path.to_path_buf());
    SharedText::later(move || {
        late.read.fetch_add(1, Ordering::Relaxed);
        let mut diags = Diagnostics::new();
        let read = super::read::read_text(&root, &path, &mut diags);
        match read {
            Some(src) if super::text_prints(&src.path, &src.text, body_offset) == prints => {
                src.text.to_string()
            }
            _ => {
                (late.changed.lock().unwrap_or_else(|e| e.into_inner()))
                    .push(super::rel_path(&root, &path));
                // As long as the front matter was: its place is still inside.
                " ".repeat(body_offset)
            }
        }
    })
}

/// The shard of a path (FNV-1a: the same in every build).
fn shard_of(rel: &str) -> usize {
    let h = rel.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (h % SHARDS as u64) as usize
}

/// The last build's snapshot, and the files' stamps now: what `load` may take instead of
/// reading a file.
#[derive(Default)]
pub struct Snapshot {
    /// By shard; none when there was no snapshot.
    past: Vec<FxHashMap<String, Kept>>,
    now: Stamps,
    content: Option<Vec<String>>,
    /// How many files `recall` answered for.
    recalled: AtomicUsize,
    late: Arc<LateReads>,
}

impl Snapshot {
    /// The snapshot at `place`, to be compared with the files as they are `now`. A shard
    /// that is missing, was sealed under another key, or is cut short or altered is empty.
    pub fn open(place: &Place, now: Walked) -> Snapshot {
        use rayon::prelude::*;
        let past = (0..SHARDS)
            .into_par_iter()
            .map(
                |shard| match crate::fileio::read_sealed(&place.shard(shard), MAGIC) {
                    Some((k, body)) if k == place.key => parse(&body).unwrap_or_default(),
                    _ => FxHashMap::default(),
                },
            )
            .collect();
        Snapshot {
            past,
            now: now.stamps,
            content: now.content,
            recalled: AtomicUsize::new(0),
            late: Arc::default(),
        }
    }

    /// The ordinary files of `content/` as the walk saw them (see [`Walked`]).
    pub fn content_files(&self) -> Option<&[String]> {
        self.content.as_deref()
    }

    /// What the last build knew of the file at `rel` (relative to the site folder, `/`
    /// between names), if the file's stamp is the same now.
    pub fn recall(&self, rel: &str) -> Option<Known> {
        let (then, known) = self.past.get(shard_of(rel))?.get(rel)?;
        if self.now.get(rel) != Some(then) {
            return None;
        }
        self.recalled.fetch_add(1, Ordering::Relaxed);
        Some(known.clone())
    }

    /// The text of the file at `path` (within the site folder `root`) that `known`
    /// describes, read the first time it is asked for (see the module's text).
    pub fn late_text(&self, root: &Path, path: &Path, known: &Known) -> SharedText {
        read_late(
            root,
            path,
            known.prints,
            known.body_offset,
            self.late.clone(),
        )
    }

    /// The texts read late so far, and those found changed.
    pub fn late_reads(&self) -> Arc<LateReads> {
        self.late.clone()
    }

    /// How many files `recall` answered for.
    pub fn recalled(&self) -> usize {
        self.recalled.load(Ordering::Relaxed)
    }

    /// How many files the last build kept.
    #[cfg(test)]
    pub fn kept(&self) -> usize {
        self.past.iter().map(FxHashMap::len).sum()
    }

    /// What the next build may take from this one: what is known of each file read or
    /// recalled (`read`: path relative to the site folder, and what is known of it) with its
    /// stamp now, unless it changed too recently to be trusted (less than `KEEP_AFTER`
    /// before `began`, in ns since 1970). The shards whose files or stamps differ from the
    /// last build's, with their bodies.
    pub fn next<'a>(
        &self,
        read: impl Iterator<Item = (&'a str, Known)> + Clone,
        began: i64,
    ) -> Vec<(usize, Vec<u8>)> {
        // The stamp of a file whose text may be kept.
        let trusted = |rel: &str| {
            let stamp = self.now.get(rel)?;
            let settled = began - KEEP_AFTER;
            (stamp.modified <= settled && stamp.changed <= settled).then_some(stamp)
        };
        // First which shards differ (per shard: files kept, and of those, kept by the last
        // build alike), then the bodies of those alone.
        let mut kept = [0usize; SHARDS];
        let mut same = [0usize; SHARDS];
        for (rel, known) in read.clone() {
            let Some(stamp) = trusted(rel) else {
                continue;
            };
            let shard = shard_of(rel);
            kept[shard] += 1;
            let past = self.past.get(shard).and_then(|p| p.get(rel));
            if past.is_some_and(|(s, k)| s == stamp && *k == known) {
                same[shard] += 1;
            }
        }
        let differs: Vec<bool> = (0..SHARDS)
            .map(|shard| {
                let was = self.past.get(shard).map(FxHashMap::len);
                kept[shard] != same[shard] || Some(kept[shard]) != was
            })
            .collect();
        let mut bodies: Vec<Option<Vec<u8>>> =
            (differs.iter()).map(|&d| d.then(Vec::new)).collect();
        for (rel, known) in read {
            let (Some(stamp), Some(body)) = (trusted(rel), bodies[shard_of(rel)].as_mut()) else {
                continue;
            };
            body.extend_from_slice(&(rel.len() as u32).to_le_bytes());
            body.extend_from_slice(rel.as_bytes());
            write_stamp(stamp, body);
            let p = &known.prints;
            for hash in [&p.front, &p.body, &p.placement] {
                body.extend_from_slice(hash.as_bytes());
            }
            for n in [known.fm_range.start, known.fm_range.end, known.body_offset] {
                body.extend_from_slice(&(n as u64).to_le_bytes());
            }
        }
        (bodies.into_iter().enumerate())
            .filter_map(|(shard, body)| Some((shard, body?)))
            .collect()
    }
}

/// Writes the shards `next` gave at `place`. The snapshot is an aid: a failure is not
/// reported (the next build reads the files of that shard).
pub fn save(place: &Place, shards: Vec<(usize, Vec<u8>)>) {
    for (shard, body) in shards {
        let _ = crate::fileio::write_sealed(&place.shard(shard), MAGIC, &place.key, &body);
    }
}

/// The entries of a snapshot's body, each its path's length (four bytes) and path, its
/// stamp, its prints and three offsets (eight bytes each: where the front matter starts and
/// ends, where the body starts); `None` if it is malformed.
fn parse(body: &[u8]) -> Option<FxHashMap<String, Kept>> {
    let mut out = FxHashMap::default();
    let mut at = 0usize;
    let take = |at: &mut usize, n: usize| -> Option<&[u8]> {
        let part = body.get(*at..at.checked_add(n)?)?;
        *at += n;
        Some(part)
    };
    let offset = |at: &mut usize| -> Option<usize> {
        usize::try_from(u64::from_le_bytes(take(at, 8)?.try_into().ok()?)).ok()
    };
    while at < body.len() {
        let n = u32::from_le_bytes(take(&mut at, 4)?.try_into().ok()?) as usize;
        let rel = std::str::from_utf8(take(&mut at, n)?).ok()?.to_string();
        let stamp = read_stamp(take(&mut at, STAMP_BYTES)?)?;
        let mut hash = || {
            Some(blake3::Hash::from_bytes(
                take(&mut at, 32)?.try_into().ok()?,
            ))
        };
        let prints = TextPrints {
            front: hash()?,
            body: hash()?,
            placement: hash()?,
        };
        let (start, end, body_offset) = (offset(&mut at)?, offset(&mut at)?, offset(&mut at)?);
        if start > end || end > body_offset {
            return None;
        }
        let known = Known {
            prints,
            fm_range: start..end,
            body_offset,
        };
        out.insert(rel, (stamp, known));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(n: u64, modified: i64) -> FileStamp {
        FileStamp {
            len: n,
            modified,
            changed: modified,
            inode: n,
            device: 1,
        }
    }

    /// What a build knows of a test text of the file `rel` (front matter `---\n…\n---\n`).
    fn known(rel: &str, text: &str) -> Known {
        let body_offset = text
            .match_indices("---\n")
            .nth(1)
            .map_or(0, |(at, _)| at + 4);
        Known {
            prints: super::super::text_prints(Path::new(rel), text, body_offset),
            fm_range: 4..body_offset.saturating_sub(4).max(4),
            body_offset,
        }
    }

    fn walked(stamps: &Stamps) -> Walked {
        Walked {
            stamps: stamps.clone(),
            content: None,
        }
    }

    #[test]
    fn a_file_is_known_only_while_it_has_the_same_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let place = Place::of(&dir.path().join("cache"), dir.path());
        let old = 1_000 * 1_000_000_000;
        let began = old + 60 * 1_000_000_000;
        let files: Vec<(String, Known)> = (0..40)
            .map(|n| {
                let rel = format!("content/{n}.md");
                let text = format!("---\ntitle: testo {n} è\n---\nCorpo.\n");
                let k = known(&rel, &text);
                (rel, k)
            })
            .collect();
        let mut now: Stamps = FxHashMap::default();
        for n in 0..40 {
            now.insert(format!("content/{n}.md"), stamp(n, old));
        }
        // Changed a moment before the build began: not kept.
        now.insert("content/3.md".into(), stamp(3, began - 1_000));
        let first = Snapshot::open(&place, walked(&now));
        assert_eq!(first.kept(), 0);
        let read = || files.iter().map(|(r, k)| (r.as_str(), k.clone()));
        let shards = first.next(read(), began);
        assert_eq!(shards.len(), SHARDS, "a first snapshot writes every shard");
        save(&place, shards);

        let mut later = now.clone();
        later.insert("content/2.md".into(), stamp(2, old + 5));
        let second = Snapshot::open(&place, walked(&later));
        assert_eq!(second.kept(), 39);
        assert_eq!(second.recall("content/1.md").as_ref(), Some(&files[1].1));
        assert_eq!(second.recalled(), 1);
        // Another time, a file never kept, an unknown file: read again.
        assert!(second.recall("content/2.md").is_none());
        assert!(second.recall("content/3.md").is_none());
        assert!(second.recall("content/40.md").is_none());
        // Only the shard of the file whose stamp changed is written again.
        let again = second.next(read(), began);
        assert_eq!(
            again.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
            [shard_of("content/2.md")]
        );

        // The same files with the same stamps: nothing to write.
        let third = Snapshot::open(&place, walked(&now));
        assert!(third.next(read(), began).is_empty());
        // A file fewer: its shard is written again.
        assert_eq!(third.next(read().skip(1), began).len(), 1);
        // The same stamp but other prints (as a build that read it again would find):
        // its shard is written again.
        let mut other = files.clone();
        other[5].1.prints.body = blake3::hash(b"other");
        let other_read = other.iter().map(|(r, k)| (r.as_str(), k.clone()));
        assert_eq!(
            third
                .next(other_read, began)
                .iter()
                .map(|(s, _)| *s)
                .collect::<Vec<_>>(),
            [shard_of("content/5.md")]
        );

        // An altered shard is empty; the others stand.
        let path = place.shard(shard_of("content/1.md"));
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        let altered = Snapshot::open(&place, walked(&now));
        assert!(altered.recall("content/1.md").is_none());
        assert!(altered.kept() > 30);
        // Another site's snapshot, in the same cache folder: not taken.
        let other = tempfile::tempdir().unwrap();
        let elsewhere = Place::of(&dir.path().join("cache"), other.path());
        assert_eq!(Snapshot::open(&elsewhere, walked(&now)).kept(), 0);
    }

    #[test]
    fn a_malformed_body_is_refused_whole() {
        let mut now: Stamps = FxHashMap::default();
        now.insert("content/a.md".into(), stamp(1, 0));
        let snapshot = Snapshot {
            now,
            ..Default::default()
        };
        let text = "---\ntitle: a\n---\nciao\n";
        let k = known("content/a.md", text);
        let shards = snapshot.next([("content/a.md", k.clone())].into_iter(), 10 * KEEP_AFTER);
        let body = &shards[shard_of("content/a.md")].1;
        assert_eq!(parse(body).unwrap().len(), 1);
        for cut in 1..body.len() {
            assert!(parse(&body[..cut]).is_none(), "cut at {cut}");
        }
        // Offsets no front matter could have (its end after the body's start): refused.
        let bad = Known {
            fm_range: 4..40,
            ..k
        };
        let shards = snapshot.next([("content/a.md", bad)].into_iter(), 10 * KEEP_AFTER);
        assert!(parse(&shards[shard_of("content/a.md")].1).is_none());
    }

    #[test]
    fn a_text_is_read_late_only_when_asked_for_and_only_as_it_was_known() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        let path = root.join("content/a.md");
        let text = "---\ntitle: Una storia\n---\nIl corpo.\n";
        std::fs::write(&path, text).unwrap();
        let k = known("content/a.md", text);
        let snapshot = Snapshot::default();
        let late = snapshot.late_reads();

        let same = snapshot.late_text(root, &path, &k);
        assert_eq!(late.read(), 0, "nothing is read before it is asked for");
        assert_eq!(&*same, text);
        assert_eq!(&*same.clone(), text);
        assert_eq!(late.read(), 1, "read once");
        assert!(late.changed().is_empty());

        // Changed after the build looked at it: no text, and the build is told.
        let changed = snapshot.late_text(root, &path, &k);
        std::fs::write(&path, "---\ntitle: Un'altra storia\n---\nAltro.\n").unwrap();
        assert_eq!(changed.trim(), "");
        assert!(
            changed.len() >= k.body_offset,
            "its front matter is still inside"
        );
        assert_eq!(late.changed(), [PathBuf::from("content/a.md")]);

        // Gone, or no longer a text a build reads (a control character): the same.
        for (rel, what) in [
            ("content/b.md", None),
            ("content/c.md", Some("---\nx\u{1b}\n---\n")),
        ] {
            let path = root.join(rel);
            if let Some(what) = what {
                std::fs::write(&path, what).unwrap();
            }
            let t = snapshot.late_text(root, &path, &known(rel, "---\nx\u{1b}\n---\n"));
            assert_eq!(t.trim(), "");
            assert!(late.changed().contains(&PathBuf::from(rel)), "{rel}");
        }
    }
}
