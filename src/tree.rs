//! A folder's tree as the system describes it: every entry under a folder with its kind,
//! size, times and identity, in the order of a walk sorted by name. The no-change check
//! walks the sources and the output with it (`stamp`), `load` takes the listing of
//! `content/` from that walk, and the writer sweeps the output with it (`write`). Below
//! every stage: it knows nothing of sites or pages.

use std::io;
use std::path::Path;

use rayon::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File = 0,
    Dir = 1,
    /// A link (when links are not followed), a device, a pipe or a socket.
    Other = 2,
}

/// A file or folder as the walk saw it.
#[derive(Debug, PartialEq)]
pub struct Seen {
    /// Relative to the folder walked, `/` between names.
    pub rel: String,
    pub kind: Kind,
    pub stamp: FileStamp,
    /// A folder the walk was told not to enter (see [`tree`]).
    pub not_entered: bool,
}

impl Seen {
    /// Its modification time, in ns since 1970 (the walk refuses earlier times).
    pub fn time(&self) -> u128 {
        self.stamp.modified.unsigned_abs().into()
    }
}

/// A file as the system describes it: equal stamps mean an unchanged file. Outside Unix
/// the change time is the modification time, and the inode and device are 0: such a stamp
/// is not enough to trust a file by (`stamp::inputs` gives `load` none there).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FileStamp {
    pub len: u64,
    /// Modification time, in ns since 1970.
    pub modified: i64,
    /// Change time (of the file or its description), in ns since 1970: no one can set it
    /// back.
    pub changed: i64,
    pub inode: u64,
    pub device: u64,
}

impl FileStamp {
    /// The stamp of a file's metadata; an error for a time before 1970 or after 2262.
    pub fn of(m: &std::fs::Metadata) -> io::Result<FileStamp> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Ok(FileStamp {
                len: m.len(),
                modified: ns(m.mtime(), m.mtime_nsec())?,
                changed: ns(m.ctime(), m.ctime_nsec())?,
                inode: m.ino(),
                device: m.dev(),
            })
        }
        #[cfg(not(unix))]
        {
            let since = (m.modified()?)
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(io::Error::other)?;
            let modified = i64::try_from(since.as_nanos()).map_err(io::Error::other)?;
            Ok(FileStamp {
                len: m.len(),
                modified,
                changed: modified,
                inode: 0,
                device: 0,
            })
        }
    }
}

/// A folder's files and folders after a write, as the no-change record keeps them: each
/// file as (path relative to the folder, `/` between names, size, modification time in ns
/// since 1970), each folder below it with its stamp, and the folder itself as `""`. Both
/// in the order of their paths as strings.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Listing {
    pub files: Vec<(String, u64, u128)>,
    pub folders: Vec<(String, FileStamp)>,
}

impl Listing {
    /// The listing of `seen` (entries [`tree`] gave for `root`), with `root`'s own stamp.
    pub fn of<'a>(root: &Path, seen: impl Iterator<Item = &'a Seen>) -> io::Result<Listing> {
        let root = FileStamp::of(&std::fs::symlink_metadata(root)?)?;
        let mut listing = Listing {
            files: Vec::new(),
            folders: vec![(String::new(), root)],
        };
        for s in seen {
            match s.kind {
                Kind::File => (listing.files).push((s.rel.clone(), s.stamp.len, s.time())),
                Kind::Dir => listing.folders.push((s.rel.clone(), s.stamp)),
                Kind::Other => {}
            }
        }
        listing.sort();
        Ok(listing)
    }

    /// Puts the files and the folders in the order of their paths (as strings).
    pub fn sort(&mut self) {
        self.files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        self.folders.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    }
}

/// An open folder whose entries are looked at by their paths relative to it: the kernel
/// does not look up the folders above it again for each (the render and the write look at
/// some 90,000 files and folders of a 10,000-story output).
#[derive(Debug)]
pub struct Folder {
    #[cfg(unix)]
    fd: rustix::fd::OwnedFd,
    #[cfg(not(unix))]
    path: std::path::PathBuf,
}

impl Folder {
    pub fn open(path: &Path) -> io::Result<Folder> {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            Ok(Folder {
                fd: rustix::fs::open(path, flags, Mode::empty())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Folder {
            path: path.to_path_buf(),
        })
    }

    /// The kind and stamp of the entry at `rel` (`""`: the folder itself), a link not
    /// followed (the folders on the way are).
    pub fn stat(&self, rel: &str) -> io::Result<(Kind, FileStamp)> {
        #[cfg(unix)]
        {
            use rustix::fs::AtFlags;
            let rel = if rel.is_empty() { "." } else { rel };
            described(&rustix::fs::statat(
                &self.fd,
                rel,
                AtFlags::SYMLINK_NOFOLLOW,
            )?)
        }
        #[cfg(not(unix))]
        {
            let m = std::fs::symlink_metadata(self.path.join(rel))?;
            let kind = if m.is_file() {
                Kind::File
            } else if m.is_dir() {
                Kind::Dir
            } else {
                Kind::Other
            };
            Ok((kind, FileStamp::of(&m)?))
        }
    }
}

/// The kind and stamp of what `st` describes. (The fields' types differ from one system to
/// another: the casts are needed elsewhere.)
#[cfg(unix)]
#[allow(clippy::unnecessary_cast)]
fn described(st: &rustix::fs::Stat) -> io::Result<(Kind, FileStamp)> {
    use rustix::fs::FileType;
    let kind = match FileType::from_raw_mode(st.st_mode as _) {
        FileType::RegularFile => Kind::File,
        FileType::Directory => Kind::Dir,
        _ => Kind::Other,
    };
    let stamp = FileStamp {
        len: st.st_size as u64,
        modified: ns(st.st_mtime as i64, st.st_mtime_nsec as i64)?,
        changed: ns(st.st_ctime as i64, st.st_ctime_nsec as i64)?,
        inode: st.st_ino as u64,
        device: st.st_dev as u64,
    };
    Ok((kind, stamp))
}

/// Seconds and nanoseconds since 1970 as nanoseconds; an error before 1970 or after 2262.
fn ns(secs: i64, nanos: i64) -> io::Result<i64> {
    secs.checked_mul(1_000_000_000)
        .and_then(|s| s.checked_add(nanos))
        .filter(|n| *n >= 0)
        .ok_or_else(|| io::Error::other("a file time before 1970 or after 2262"))
}

/// Which folders a walk enters, by their path relative to the folder walked and their name.
pub type Enter<'a> = &'a (dyn Fn(&str, &str) -> bool + Sync);

/// Every folder.
pub fn every_folder(_: &str, _: &str) -> bool {
    true
}

/// Everything under `root` (not `root` itself), each folder's entries sorted by name and each
/// folder followed by what it holds: the order of a walk sorted by file name. Symbolic links
/// are followed if `follow` (a link that leads back to a folder it is in is an error). A
/// folder for which `enter` says no is listed, marked, and not entered. An error if anything
/// cannot be read: a listing is never made of a part of the tree.
///
/// Each folder is read, and each entry looked at, relative to its folder's open descriptor,
/// on every core: a no-change rebuild looks at every file of the site and of its output, and
/// with whole paths the kernel would look up each path's folders again and again.
#[cfg(unix)]
pub fn tree(root: &Path, follow: bool, enter: Enter) -> io::Result<Vec<Seen>> {
    use rustix::fs::{Mode, OFlags};
    let fd = rustix::fs::open(
        root,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let st = rustix::fs::fstat(&fd)?;
    let mut out = Vec::new();
    let walk = Walk { follow, enter };
    walk.folder(fd, "", &[(st.st_dev as u64, st.st_ino as u64)], &mut out)?;
    Ok(out)
}

#[cfg(unix)]
struct Walk<'a> {
    follow: bool,
    enter: Enter<'a>,
}

#[cfg(unix)]
impl Walk<'_> {
    fn folder(
        &self,
        fd: rustix::fd::OwnedFd,
        prefix: &str,
        ancestors: &[(u64, u64)],
        out: &mut Vec<Seen>,
    ) -> io::Result<()> {
        use rustix::fs::{AtFlags, Mode, OFlags};
        let mut dir = rustix::fs::Dir::new(fd)?;
        let mut names: Vec<std::ffi::CString> = Vec::new();
        for entry in &mut dir {
            let name = entry?.file_name().to_owned();
            if name.as_bytes() != b"." && name.as_bytes() != b".." {
                names.push(name);
            }
        }
        names.sort_unstable();
        let at = dir.fd()?;
        let flags = if self.follow {
            AtFlags::empty()
        } else {
            AtFlags::SYMLINK_NOFOLLOW
        };
        let parts: Vec<io::Result<Vec<Seen>>> = names
            .par_iter()
            .map(|name| {
                let st = rustix::fs::statat(at, name.as_c_str(), flags)?;
                let (kind, stamp) = described(&st)?;
                let shown = name.to_string_lossy();
                let rel = format!("{prefix}{shown}");
                let entered = kind == Kind::Dir && (self.enter)(&rel, &shown);
                let inner = entered.then(|| format!("{rel}/"));
                let mut seen = vec![Seen {
                    rel,
                    kind,
                    stamp,
                    not_entered: kind == Kind::Dir && !entered,
                }];
                if let Some(inner) = inner {
                    let id = (st.st_dev as u64, st.st_ino as u64);
                    if ancestors.contains(&id) {
                        return Err(io::Error::other(format!(
                            "{} leads back to a folder it is in",
                            inner.trim_end_matches('/')
                        )));
                    }
                    let nofollow = if self.follow {
                        OFlags::empty()
                    } else {
                        OFlags::NOFOLLOW
                    };
                    let sub = rustix::fs::openat(
                        at,
                        name.as_c_str(),
                        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC | nofollow,
                        Mode::empty(),
                    )?;
                    let mut up = ancestors.to_vec();
                    up.push(id);
                    self.folder(sub, &inner, &up, &mut seen)?;
                }
                Ok(seen)
            })
            .collect();
        for p in parts {
            out.extend(p?);
        }
        Ok(())
    }
}

/// Elsewhere, the same walk with whole paths.
#[cfg(not(unix))]
pub fn tree(root: &Path, follow: bool, enter: Enter) -> io::Result<Vec<Seen>> {
    tree_by_paths(root, follow, enter)
}

/// [`tree`] with whole paths, through walkdir (on Unix, for the tests: both give the same).
#[cfg_attr(unix, allow(dead_code))]
pub fn tree_by_paths(root: &Path, follow: bool, enter: Enter) -> io::Result<Vec<Seen>> {
    let mut out = Vec::new();
    let mut walk = walkdir::WalkDir::new(root)
        .follow_links(follow)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let e = entry.map_err(io::Error::other)?;
        let m = if follow {
            std::fs::metadata(e.path())
        } else {
            std::fs::symlink_metadata(e.path())
        }?;
        let kind = if m.is_file() {
            Kind::File
        } else if m.is_dir() {
            Kind::Dir
        } else {
            Kind::Other
        };
        let rel = e.path().strip_prefix(root).map_err(io::Error::other)?;
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let name = e.file_name().to_string_lossy();
        let entered = kind == Kind::Dir && enter(&rel, &name);
        if kind == Kind::Dir && !entered {
            walk.skip_current_dir();
        }
        out.push(Seen {
            rel,
            kind,
            stamp: FileStamp::of(&m)?,
            not_entered: kind == Kind::Dir && !entered,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

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
        let seen = tree(&root, true, &every_folder).unwrap();
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
        assert_eq!(two.stamp.len, 4);
        let m = fs::metadata(root.join("a-b/2.md")).unwrap();
        assert_eq!(two.stamp, FileStamp::of(&m).unwrap());
        assert_eq!(tree_by_paths(&root, true, &every_folder).unwrap(), seen);
        // A file edited (one byte more) is seen to be.
        fs::write(root.join("a-b/2.md"), "due!!").unwrap();
        assert_ne!(tree(&root, true, &every_folder).unwrap(), seen);
        assert!(tree(&dir.path().join("missing"), true, &every_folder).is_err());
        // A folder not entered is listed, and marked.
        let not_b = |rel: &str, _: &str| rel != "b";
        let some = tree(&root, true, &not_b).unwrap();
        assert_eq!(rels(&some).last(), Some(&("b", Kind::Dir)));
        assert!(some.last().unwrap().not_entered);
        assert_eq!(tree_by_paths(&root, true, &not_b).unwrap(), some);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_only_when_asked_and_a_loop_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(root.join("stories")).unwrap();
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("index.it.md"), "---").unwrap();
        std::os::unix::fs::symlink(&elsewhere, root.join("stories/linked")).unwrap();
        let seen = tree(&root, true, &every_folder).unwrap();
        assert_eq!(
            rels(&seen),
            [
                ("stories", Kind::Dir),
                ("stories/linked", Kind::Dir),
                ("stories/linked/index.it.md", Kind::File),
            ]
        );
        assert_eq!(tree_by_paths(&root, true, &every_folder).unwrap(), seen);
        // Not followed: the link is neither a file nor a folder.
        let out = tree(&root, false, &every_folder).unwrap();
        assert_eq!(
            rels(&out),
            [("stories", Kind::Dir), ("stories/linked", Kind::Other)]
        );
        assert_eq!(tree_by_paths(&root, false, &every_folder).unwrap(), out);
        // A link back up.
        std::os::unix::fs::symlink(&root, root.join("stories/up")).unwrap();
        assert!(tree(&root, true, &every_folder).is_err());
    }
}
