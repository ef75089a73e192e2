//! The no-change rebuild: `vetrina build` remembers what its last successful build read and
//! wrote, and when nothing has changed since, it does nothing.
//!
//! "Nothing changed" means all of: the same Vetrina executable, the same options (output,
//! base URL, drafts, build date, minify), the same source files (every file of
//! `load::SOURCE_FOLDERS` and `site.yaml`, by path, size and modification time), and an output
//! folder holding exactly the files the last build left there, each with the size and
//! modification time it had then. Any difference, or any doubt (no record, an unreadable
//! file), means a full build. A build that reported warnings is never skipped, so that its
//! warnings (a story taken down, say) are shown every time.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::options::BuildOptions;

#[derive(Serialize, Deserialize, PartialEq, Debug)]
pub struct Record {
    /// Hash of the executable, the options and every source file's path, size and time.
    inputs: String,
    /// The output's files: (path, size, modification time in ns).
    outputs: Vec<(String, u64, u128)>,
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

/// The hash of everything a build reads; `None` if something cannot be read.
pub fn inputs(
    opts: &BuildOptions,
    today: jiff::civil::Date,
    minify: Option<bool>,
) -> Option<String> {
    let mut h = blake3::Hasher::new();
    h.update(crate::fileio::program()?.as_bytes());
    h.update(
        format!(
            "{:?}|{:?}|{}|{today}|{minify:?}|{:?}|{:?}|",
            opts.output_dir(),
            opts.base_url,
            opts.drafts,
            opts.cache_dir,
            opts.search
        )
        .as_bytes(),
    );
    let root = &opts.root;
    let (len, time) = file_key(&root.join("site.yaml"))?;
    h.update(format!("{}|site.yaml|{len}|{time}|", root.display()).as_bytes());
    for part in crate::load::SOURCE_FOLDERS {
        let dir = root.join(part);
        if !dir.exists() {
            continue;
        }
        h.update(part.as_bytes()).update(&[0]);
        // Links are not followed: `load` refuses them, so what they point to is never an
        // input (and a link to `/` must not make the check walk the disk).
        for s in tree(&dir, false)? {
            h.update(s.rel.as_bytes())
                .update(&[0, s.kind as u8])
                .update(&s.len.to_le_bytes())
                .update(&s.time.to_le_bytes());
        }
    }
    Some(h.finalize().to_hex().to_string())
}

/// Every file under `output`, with its size and time, in the order of a walk sorted by name.
fn listing(output: &Path) -> Option<Vec<(String, u64, u128)>> {
    Some(
        tree(output, false)?
            .into_iter()
            .filter(|s| s.kind == Kind::File)
            .map(|s| (s.rel, s.len, s.time))
            .collect(),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File = 0,
    Dir = 1,
    Other = 2,
}

/// A file or folder as a stamp sees it.
#[derive(Debug, PartialEq)]
struct Seen {
    /// Relative to the folder walked, `/` between names.
    rel: String,
    kind: Kind,
    len: u64,
    /// Modification time, in ns since 1970.
    time: u128,
}

/// Everything under `root` (not `root` itself), each folder's entries sorted by name and each
/// folder followed by what it holds: the order of a walk sorted by file name. Symbolic links
/// are followed if `follow` (a link that leads back to a folder it is in is an error). `None`
/// if anything cannot be read: a stamp is never made of a part of the tree.
///
/// Each folder is read, and each entry looked at, relative to its folder's open descriptor,
/// on every core: a no-change rebuild looks at every file of the site and of its output, and
/// with whole paths the kernel would look up each path's folders again and again.
#[cfg(unix)]
fn tree(root: &Path, follow: bool) -> Option<Vec<Seen>> {
    use rustix::fs::{Mode, OFlags};
    let fd = rustix::fs::open(
        root,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .ok()?;
    let st = rustix::fs::fstat(&fd).ok()?;
    let mut out = Vec::new();
    folder(
        fd,
        "",
        follow,
        &[(st.st_dev as u64, st.st_ino as u64)],
        &mut out,
    )?;
    Some(out)
}

#[cfg(unix)]
fn folder(
    fd: rustix::fd::OwnedFd,
    prefix: &str,
    follow: bool,
    ancestors: &[(u64, u64)],
    out: &mut Vec<Seen>,
) -> Option<()> {
    use rustix::fs::{AtFlags, FileType, Mode, OFlags};
    let mut dir = rustix::fs::Dir::new(fd).ok()?;
    let mut names: Vec<std::ffi::CString> = Vec::new();
    for entry in &mut dir {
        let name = entry.ok()?.file_name().to_owned();
        if name.as_bytes() != b"." && name.as_bytes() != b".." {
            names.push(name);
        }
    }
    names.sort_unstable();
    let at = dir.fd().ok()?;
    let flags = if follow {
        AtFlags::empty()
    } else {
        AtFlags::SYMLINK_NOFOLLOW
    };
    let parts: Vec<Option<Vec<Seen>>> = names
        .par_iter()
        .map(|name| {
            let st = rustix::fs::statat(at, name.as_c_str(), flags).ok()?;
            let kind = match FileType::from_raw_mode(st.st_mode as _) {
                FileType::RegularFile => Kind::File,
                FileType::Directory => Kind::Dir,
                _ => Kind::Other,
            };
            let secs = st.st_mtime as i128;
            let time = u128::try_from(secs * 1_000_000_000 + st.st_mtime_nsec as i128).ok()?;
            let rel = format!("{prefix}{}", name.to_string_lossy());
            let inner = (kind == Kind::Dir).then(|| format!("{rel}/"));
            let mut seen = vec![Seen {
                rel,
                kind,
                len: st.st_size as u64,
                time,
            }];
            if let Some(inner) = inner {
                let id = (st.st_dev as u64, st.st_ino as u64);
                if ancestors.contains(&id) {
                    return None;
                }
                let nofollow = if follow {
                    OFlags::empty()
                } else {
                    OFlags::NOFOLLOW
                };
                let sub = rustix::fs::openat(
                    at,
                    name.as_c_str(),
                    OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC | nofollow,
                    Mode::empty(),
                )
                .ok()?;
                let mut up = ancestors.to_vec();
                up.push(id);
                folder(sub, &inner, follow, &up, &mut seen)?;
            }
            Some(seen)
        })
        .collect();
    for p in parts {
        out.extend(p?);
    }
    Some(())
}

/// Elsewhere, the same walk with whole paths.
#[cfg(not(unix))]
fn tree(root: &Path, follow: bool) -> Option<Vec<Seen>> {
    tree_by_paths(root, follow)
}

/// [`tree`] with whole paths, through walkdir (on Unix, for the tests: both give the same).
#[cfg_attr(unix, allow(dead_code))]
fn tree_by_paths(root: &Path, follow: bool) -> Option<Vec<Seen>> {
    let entries = crate::load::walk_sorted(root, follow, 2);
    entries
        .par_iter()
        .skip(1)
        .map(|e| {
            let e = e.as_ref().ok()?;
            let m = if follow {
                fs::metadata(e.path())
            } else {
                fs::symlink_metadata(e.path())
            }
            .ok()?;
            let kind = if m.is_file() {
                Kind::File
            } else if m.is_dir() {
                Kind::Dir
            } else {
                Kind::Other
            };
            let time = m
                .modified()
                .ok()?
                .duration_since(UNIX_EPOCH)
                .ok()?
                .as_nanos();
            let rel = e.path().strip_prefix(root).ok()?;
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            Some(Seen {
                rel,
                kind,
                len: m.len(),
                time,
            })
        })
        .collect()
}

/// In the site's own cache folder, even when pictures are cached elsewhere (several sites
/// may share a picture cache, never a record); one record per output folder, as the render
/// ledger and the search memo have, so that a build into another folder (a preview) does
/// not replace the listing the next build into this one trusts.
fn path(opts: &BuildOptions) -> PathBuf {
    let folder = blake3::hash(opts.output_dir().to_string_lossy().as_bytes()).to_hex();
    (opts.root.join(".vetrina-cache")).join(format!("last-build-{}.json", &folder[..16]))
}

impl Record {
    pub fn files(&self) -> usize {
        self.outputs.len()
    }
}

/// The record of the last build, if it matches `inputs` and the output is as it left it.
pub fn unchanged(opts: &BuildOptions, inputs: &str) -> Option<Record> {
    let text = fs::read_to_string(path(opts)).ok()?;
    let rec: Record = serde_json::from_str(&text).ok()?;
    if rec.inputs != inputs {
        return None;
    }
    (listing(&opts.output_dir())? == rec.outputs).then_some(rec)
}

/// The output's files as the last recorded build left them: (size, time in ns) by path
/// (relative, `/` between names). Empty without a record (a first build, a build that failed
/// or warned, `vetrina serve` since).
pub fn last_listing(opts: &BuildOptions) -> rustc_hash::FxHashMap<String, (u64, u128)> {
    let Some(rec) = fs::read_to_string(path(opts))
        .ok()
        .and_then(|text| serde_json::from_str::<Record>(&text).ok())
    else {
        return Default::default();
    };
    (rec.outputs.into_iter())
        .map(|(p, len, time)| (p, (len, time)))
        .collect()
}

/// Remembers a successful build without warnings; forgets any record otherwise. `outputs`:
/// the output's files as the build's write saw them (`write::Listing`), if it saw them all;
/// else the output is walked here.
pub fn save(
    opts: &BuildOptions,
    inputs: Option<String>,
    pages: &[(String, usize)],
    outputs: Option<Vec<(String, u64, u128)>>,
) {
    let p = path(opts);
    let _ = fs::remove_file(&p);
    // The one record earlier versions kept for every output folder.
    let _ = fs::remove_file(opts.root.join(".vetrina-cache/last-build.json"));
    let outputs = outputs.or_else(|| listing(&opts.output_dir()));
    let (Some(inputs), Some(outputs)) = (inputs, outputs) else {
        return;
    };
    let rec = Record {
        inputs,
        outputs,
        pages: pages.to_vec(),
    };
    if let Some(dir) = p.parent()
        && fs::create_dir_all(dir).is_ok()
        && let Ok(json) = serde_json::to_string(&rec)
    {
        let _ = fs::write(&p, json);
    }
}

/// Forgets the record (a build that failed or warned).
pub fn forget(opts: &BuildOptions) {
    let _ = fs::remove_file(path(opts));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rels(seen: &[Seen]) -> Vec<(&str, Kind)> {
        seen.iter().map(|s| (s.rel.as_str(), s.kind)).collect()
    }

    #[test]
    fn a_tree_is_walked_in_the_sorted_walks_order_with_sizes_and_times() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        // `a-b` sorts before `a/z` as a string, after `a` as a name: the walk goes by names.
        for d in ["a/z", "a-b", "b/c/d"] {
            fs::create_dir_all(root.join(d)).unwrap();
        }
        for (f, text) in [
            ("a/z/1.md", "uno"),
            ("a-b/2.md", "due!"),
            ("b/c/d/3.md", ""),
            ("0.txt", "x"),
        ] {
            fs::write(root.join(f), text).unwrap();
        }
        let seen = tree(&root, true).unwrap();
        assert_eq!(
            rels(&seen),
            [
                ("0.txt", Kind::File),
                ("a", Kind::Dir),
                ("a/z", Kind::Dir),
                ("a/z/1.md", Kind::File),
                ("a-b", Kind::Dir),
                ("a-b/2.md", Kind::File),
                ("b", Kind::Dir),
                ("b/c", Kind::Dir),
                ("b/c/d", Kind::Dir),
                ("b/c/d/3.md", Kind::File),
            ]
        );
        let two = seen.iter().find(|s| s.rel == "a-b/2.md").unwrap();
        assert_eq!(two.len, 4);
        let (len, time) = file_key(&root.join("a-b/2.md")).unwrap();
        assert_eq!((two.len, two.time), (len, time));
        assert_eq!(tree_by_paths(&root, true).unwrap(), seen);
        // The listing of an output: files only.
        let files: Vec<String> = listing(&root).unwrap().into_iter().map(|f| f.0).collect();
        assert_eq!(files, ["0.txt", "a/z/1.md", "a-b/2.md", "b/c/d/3.md"]);
        // A file edited (one byte more) is seen to be.
        fs::write(root.join("a-b/2.md"), "due!!").unwrap();
        assert_ne!(tree(&root, true).unwrap(), seen);
        assert!(tree(&dir.path().join("missing"), true).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_for_the_inputs_and_a_loop_gives_no_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(root.join("stories")).unwrap();
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("index.it.md"), "---").unwrap();
        std::os::unix::fs::symlink(&elsewhere, root.join("stories/linked")).unwrap();
        let seen = tree(&root, true).unwrap();
        assert_eq!(
            rels(&seen),
            [
                ("stories", Kind::Dir),
                ("stories/linked", Kind::Dir),
                ("stories/linked/index.it.md", Kind::File),
            ]
        );
        assert_eq!(tree_by_paths(&root, true).unwrap(), seen);
        // Not followed in an output: the link is neither a file nor a folder of it.
        let out = tree(&root, false).unwrap();
        assert_eq!(
            rels(&out),
            [("stories", Kind::Dir), ("stories/linked", Kind::Other)]
        );
        assert_eq!(tree_by_paths(&root, false).unwrap(), out);
        assert!(listing(&root).unwrap().is_empty());
        // A link back up: no stamp (the build that follows reports the loop).
        std::os::unix::fs::symlink(&root, root.join("stories/up")).unwrap();
        assert!(tree(&root, true).is_none());
    }
}
