//! The no-change rebuild: `vetrina build` remembers what its last successful build read and
//! wrote, and when nothing has changed since, it does nothing.
//!
//! "Nothing changed" means all of: the same Vetrina executable, the same options (output,
//! base URL, drafts, build date, minify), the same source files (every file of
//! `load::SOURCE_FOLDERS` and `site.yaml`, by path, size, modification and change time), and an output
//! folder holding exactly the files the last build left there, each with the size and
//! modification time it had then. Any difference, or any doubt (no record, an unreadable
//! file), means a full build. A build that reported warnings is never skipped, so that its
//! warnings (a story taken down, say) are shown every time.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::fileio::folder_key;
use crate::load::Walked;
use crate::options::BuildOptions;
use crate::tree::{FileStamp, Kind, Listing, every_folder, tree};

/// The first line of the record's file (`fileio::write_sealed`, under the program that
/// wrote it). The body: the inputs' hash, then the output's files, its folders and the pages
/// per language, each a count (u32) and records: a text is its length (u32) and its bytes,
/// numbers are little-endian (a file: path, size u64, time u128; a folder: path, size u64,
/// modification and change times i64, inode u64, device u64; a language: code, pages u64).
const MAGIC: &[u8] = b"vetrina last build 2\n";

#[derive(PartialEq, Debug)]
pub struct Record {
    /// Hash of the executable, the options and every source file's path, size and time.
    inputs: String,
    /// The output's files: (path, size, modification time in ns).
    outputs: Vec<(String, u64, u128)>,
    /// The output's folders, the output itself as `""`: (path, size, modification and change
    /// times in ns, inode, device). A rebuild reads again only the folders whose stamp
    /// changed since (`write::guided`).
    folders: Vec<(String, u64, i64, i64, u64, u64)>,
    /// Pages per language, for the report.
    pub pages: Vec<(String, usize)>,
}

fn file_key(p: &Path) -> Option<(u64, u128)> {
    let m = fs::metadata(p).ok()?;
    let t = m
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((m.len(), t))
}

/// What a build reads, as the no-change check sees it.
pub struct Inputs {
    /// The hash of everything a build reads.
    pub hash: String,
    /// The source files and their stamps (for `load`: the files of `content/` are not
    /// walked again, and a file whose stamp is the same is not read again).
    pub walked: Walked,
}

/// Everything a build reads; `None` if something cannot be read.
pub fn inputs(
    opts: &BuildOptions,
    today: jiff::civil::Date,
    minify: Option<bool>,
) -> Option<Inputs> {
    let mut h = blake3::Hasher::new();
    h.update(crate::fileio::program()?.as_bytes());
    h.update(
        format!(
            "{:?}|{:?}|{}|{today}|{minify:?}|{:?}|{:?}|",
            folder_key(&opts.output_dir()),
            opts.base_url,
            opts.drafts,
            opts.cache_dir.as_deref().map(folder_key),
            opts.search
        )
        .as_bytes(),
    );
    let root = &opts.root;
    let mut walked = Walked::default();
    let (len, time) = file_key(&root.join("site.yaml"))?;
    h.update(format!("{}|site.yaml|{len}|{time}|", folder_key(root)).as_bytes());
    for part in crate::load::SOURCE_FOLDERS {
        let dir = root.join(part);
        if !dir.exists() {
            continue;
        }
        h.update(part.as_bytes()).update(&[0]);
        // Links are not followed: `load` refuses them, so what they point to is never an
        // input (and a link to `/` must not make the check walk the disk).
        let seen = tree(&dir, false, &every_folder).ok()?;
        // Each entry written out, then hashed in one call: a hasher fed many small pieces
        // is much slower.
        let mut all = Vec::with_capacity(seen.len() * 96);
        for s in &seen {
            all.extend_from_slice(s.rel.as_bytes());
            all.extend_from_slice(&[0, s.kind as u8]);
            all.extend_from_slice(&s.stamp.len.to_le_bytes());
            all.extend_from_slice(&s.stamp.modified.to_le_bytes());
            // The change time too: a file rewritten with the same size and its
            // modification time put back is still seen to have changed.
            all.extend_from_slice(&s.stamp.changed.to_le_bytes());
        }
        h.update(&all);
        // `load` reads only `content/`: the stamps of its files, by path in the site (on
        // Unix, where a stamp holds the change time and the file's identity).
        if part == "content" {
            for s in seen.iter().filter(|s| cfg!(unix) && s.kind == Kind::File) {
                walked.stamps.insert(format!("content/{}", s.rel), s.stamp);
            }
            if seen.iter().all(|s| s.kind != Kind::Other) {
                let files = seen.into_iter().filter(|s| s.kind == Kind::File);
                walked.content = Some(files.map(|s| s.rel).collect());
            }
        }
    }
    Some(Inputs {
        hash: h.finalize().to_hex().to_string(),
        walked,
    })
}

/// Every file and folder under `output`, with their sizes and times, in the order of a walk
/// sorted by name.
fn listing(output: &Path) -> Option<Listing> {
    let seen = tree(output, false, &every_folder).ok()?;
    Listing::of(output, seen.iter()).ok()
}

/// In the site's own cache folder, even when pictures are cached elsewhere (several sites
/// may share a picture cache, never a record); one record per output folder, as the render
/// ledger and the search memo have, so that a build into another folder (a preview) does
/// not replace the listing the next build into this one trusts.
fn path(opts: &BuildOptions) -> PathBuf {
    let folder = blake3::hash(folder_key(&opts.output_dir()).as_bytes()).to_hex();
    (opts.root.join(".vetrina-cache")).join(format!("last-build-{}.bin", &folder[..16]))
}

/// The record's body (see [`MAGIC`]). It was JSON: at 10,000 stories, 9 MB that took a
/// rebuild some 30 ms of CPU to read and 15 ms to write.
fn encode(rec: &Record) -> Vec<u8> {
    fn text(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    let mut out = Vec::with_capacity(64 * (rec.outputs.len() + rec.folders.len()) + 256);
    text(&mut out, &rec.inputs);
    out.extend_from_slice(&(rec.outputs.len() as u32).to_le_bytes());
    for (p, len, time) in &rec.outputs {
        text(&mut out, p);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&time.to_le_bytes());
    }
    out.extend_from_slice(&(rec.folders.len() as u32).to_le_bytes());
    for (p, len, modified, changed, inode, device) in &rec.folders {
        text(&mut out, p);
        for n in [
            len.to_le_bytes(),
            modified.to_le_bytes(),
            changed.to_le_bytes(),
        ] {
            out.extend_from_slice(&n);
        }
        out.extend_from_slice(&inode.to_le_bytes());
        out.extend_from_slice(&device.to_le_bytes());
    }
    out.extend_from_slice(&(rec.pages.len() as u32).to_le_bytes());
    for (lang, n) in &rec.pages {
        text(&mut out, lang);
        out.extend_from_slice(&(*n as u64).to_le_bytes());
    }
    out
}

/// A record's body read back; `None` if anything in it is cut short or not as
/// [`encode`] writes it.
fn decode(body: &[u8]) -> Option<Record> {
    struct Reader<'b>(&'b [u8]);
    impl<'b> Reader<'b> {
        fn take(&mut self, n: usize) -> Option<&'b [u8]> {
            let (a, b) = self.0.split_at_checked(n)?;
            self.0 = b;
            Some(a)
        }
        fn u32(&mut self) -> Option<usize> {
            Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize)
        }
        fn u64(&mut self) -> Option<u64> {
            Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
        }
        fn i64(&mut self) -> Option<i64> {
            Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
        }
        fn text(&mut self) -> Option<String> {
            let n = self.u32()?;
            String::from_utf8(self.take(n)?.to_vec()).ok()
        }
        /// `count` records read by `one`, with room made only for what the body can hold.
        fn many<T>(&mut self, one: impl Fn(&mut Self) -> Option<T>) -> Option<Vec<T>> {
            let count = self.u32()?;
            let mut all = Vec::with_capacity(count.min(self.0.len() / 4));
            for _ in 0..count {
                all.push(one(self)?);
            }
            Some(all)
        }
    }
    let mut r = Reader(body);
    let inputs = r.text()?;
    let outputs = r.many(|r| {
        let p = r.text()?;
        let len = r.u64()?;
        let time = u128::from_le_bytes(r.take(16)?.try_into().ok()?);
        Some((p, len, time))
    })?;
    let folders =
        r.many(|r| Some((r.text()?, r.u64()?, r.i64()?, r.i64()?, r.u64()?, r.u64()?)))?;
    let pages = r.many(|r| Some((r.text()?, usize::try_from(r.u64()?).ok()?)))?;
    r.0.is_empty().then_some(Record {
        inputs,
        outputs,
        folders,
        pages,
    })
}

impl Record {
    pub fn files(&self) -> usize {
        self.outputs.len()
    }
}

/// The record the last build into `opts`'s output left, if there is one and it reads. Read
/// once per build: it says whether anything changed ([`unchanged`]) and what the output
/// holds ([`Record::last_output`]).
pub fn last_record(opts: &BuildOptions) -> Option<Record> {
    let (key, body) = crate::fileio::read_sealed(&path(opts), MAGIC)?;
    (key == crate::fileio::program_hash())
        .then(|| decode(&body))
        .flatten()
}

/// Whether `rec` was made from these `inputs` and the output is as it left it.
pub fn unchanged(opts: &BuildOptions, rec: &Record, inputs: &str) -> bool {
    rec.inputs == inputs && listing(&opts.output_dir()).is_some_and(|l| l.files == rec.outputs)
}

/// What the last recorded build left in the output.
#[derive(Default)]
pub struct LastOutput {
    /// Its files: (size, time in ns) by path (relative, `/` between names).
    pub files: rustc_hash::FxHashMap<String, (u64, u128)>,
    /// Its folders, the output itself as `""`, by path.
    pub folders: rustc_hash::FxHashMap<String, FileStamp>,
}

/// The output as the last recorded build left it. Empty without a record (a first build, a
/// build that failed or warned, `vetrina serve` since).
pub fn last_output(rec: Option<Record>) -> LastOutput {
    let Some(rec) = rec else {
        return Default::default();
    };
    let files = (rec.outputs.into_iter())
        .map(|(p, len, time)| (p, (len, time)))
        .collect();
    let folders = (rec.folders.into_iter())
        .map(|(p, len, modified, changed, inode, device)| {
            let stamp = FileStamp {
                len,
                modified,
                changed,
                inode,
                device,
            };
            (p, stamp)
        })
        .collect();
    LastOutput { files, folders }
}

/// Remembers a successful build without warnings; forgets any record otherwise. `outputs`:
/// the output's files and folders as the build's write left them, if it knew them all;
/// else the output is walked here.
pub fn save(
    opts: &BuildOptions,
    inputs: Option<String>,
    pages: &[(String, usize)],
    outputs: Option<Listing>,
) {
    let p = path(opts);
    let _ = fs::remove_file(&p);
    // The records of earlier versions: one for every output folder, then one per folder in
    // JSON.
    let _ = fs::remove_file(opts.root.join(".vetrina-cache/last-build.json"));
    let _ = fs::remove_file(p.with_extension("json"));
    let outputs = outputs.or_else(|| listing(&opts.output_dir()));
    let (Some(inputs), Some(outputs)) = (inputs, outputs) else {
        return;
    };
    let folders = (outputs.folders.into_iter())
        .map(|(p, s)| (p, s.len, s.modified, s.changed, s.inode, s.device))
        .collect();
    let rec = Record {
        inputs,
        outputs: outputs.files,
        folders,
        pages: pages.to_vec(),
    };
    if let Some(dir) = p.parent()
        && fs::create_dir_all(dir).is_ok()
    {
        let _ =
            crate::fileio::write_sealed(&p, MAGIC, &crate::fileio::program_hash(), &encode(&rec));
    }
}

/// Forgets the record (a build that failed or warned).
pub fn forget(opts: &BuildOptions) {
    let _ = fs::remove_file(path(opts));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_as_written_and_a_cut_or_altered_one_not_at_all() {
        let rec = Record {
            inputs: "abc".to_string(),
            outputs: vec![
                ("index.html".to_string(), 10, 1_700_000_000_123_456_789),
                ("città/ü.html".to_string(), 0, u128::MAX),
            ],
            folders: vec![
                (String::new(), 4096, -1, 1_700_000_000_000_000_000, 7, 8),
                ("città".to_string(), 60, 5, 6, u64::MAX, 0),
            ],
            pages: vec![("it".to_string(), 3), ("ar".to_string(), 0)],
        };
        let body = encode(&rec);
        assert_eq!(decode(&body), Some(rec));
        for cut in 0..body.len() {
            assert_eq!(decode(&body[..cut]), None, "cut at {cut}");
        }
        let mut longer = body.clone();
        longer.push(0);
        assert_eq!(decode(&longer), None);
        // A count far beyond what the body holds is refused, not allocated.
        let mut huge = body.clone();
        huge[7..11].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(decode(&huge), None);
    }

    #[test]
    fn the_listing_of_an_output_holds_its_files_with_sizes_and_times() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(out.join("a/b")).unwrap();
        fs::write(out.join("a/b/index.html"), "<p>uno</p>").unwrap();
        fs::write(out.join("0.txt"), "x").unwrap();
        let listed = listing(&out).unwrap();
        let folders: Vec<&str> = listed.folders.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(folders, ["", "a", "a/b"]);
        let files = listed.files;
        let (len, time) = file_key(&out.join("a/b/index.html")).unwrap();
        assert_eq!(
            files,
            [
                (
                    "0.txt".to_string(),
                    1,
                    file_key(&out.join("0.txt")).unwrap().1
                ),
                ("a/b/index.html".to_string(), len, time),
            ]
        );
        #[cfg(unix)]
        {
            // A link is neither a file nor a folder of the output.
            std::os::unix::fs::symlink(out.join("a"), out.join("l")).unwrap();
            assert_eq!(listing(&out).unwrap().files.len(), 2);
        }
        assert!(listing(&dir.path().join("missing")).is_none());
    }
}
