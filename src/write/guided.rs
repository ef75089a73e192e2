//! The sweep of a rebuild, guided by the record of the last build (`stamp`): which files it
//! left in the output and each folder's stamp (size, modification and change times, inode,
//! device) when it ended.
//!
//! Adding, removing or renaming anything in a folder changes the folder's stamp, and its
//! change time cannot be set back by hand. So a folder whose stamp is as recorded holds the
//! entries the record lists, and only the folders whose stamp changed are read for files
//! put there by hand. The files the last build left that this one does not want are
//! removed by name. At 10,000 stories the output has some 46,000 files in 50,000 folders:
//! reading every folder and looking at every file took most of a one-story rebuild's write.
//!
//! The listing for the next build is made from what this build already knows: the files it
//! moved into place are looked at once, those it found holding what it wanted keep the size
//! and time it saw then (`Writer::put`), those the render found as the last build left them
//! keep the recorded ones (`Recorded::confirmed`); anything else is looked at. Only the
//! folders this write changed, or that had changed, are looked at again.
//!
//! A version-control folder found in the output is left alone and makes the listing
//! incomplete: the record then walks the output, as without a record.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::output_folder::VCS;
use super::{MARKER, Output, through_real_dirs};
use crate::tree::{FileStamp, Folder, Kind, Listing};

/// What the last build's record says of the output, and what this build confirmed of it.
pub struct Recorded<'a> {
    /// The files it left: (size, modification time in ns) by path in the output.
    pub files: &'a FxHashMap<String, (u64, u128)>,
    /// Its folders and their stamps, the output itself as `""`.
    pub folders: &'a FxHashMap<String, FileStamp>,
    /// The files this build found with the recorded size and time.
    pub confirmed: &'a FxHashSet<String>,
}

impl Recorded<'_> {
    /// Whether the record can guide a sweep: it lists the output's own folder, and every
    /// path in it stays inside the output. A record altered by hand to name `..` or `/etc`
    /// must not lead the sweep out of the output: the output is walked instead.
    pub(super) fn usable(&self) -> bool {
        self.folders.contains_key("")
            && (self.files.keys()).all(|p| inside(p))
            && (self.folders.keys()).all(|p| p.is_empty() || inside(p))
    }
}

/// Whether `rel` is a path inside a folder as a write makes them: names between single `/`,
/// none of them empty, `.` or `..`, nothing a system could read as a root or a drive.
/// (The refused characters are looked for with SIMD, the names split as bytes: a rebuild at
/// 10,000 stories asks this of the 96,000 paths of its record.)
fn inside(rel: &str) -> bool {
    let bytes = rel.as_bytes();
    !bytes.is_empty()
        && memchr::memchr3(b'\\', b':', b'\0', bytes).is_none()
        && (bytes.split(|&b| b == b'/')).all(|name| !matches!(name, b"" | b"." | b".."))
}

/// The recorded folders that are still real folders with the recorded stamp. Ask before the
/// write changes anything.
pub(super) fn folders_as_recorded<'r>(output: &Path, rec: &Recorded<'r>) -> FxHashSet<&'r str> {
    let Ok(top) = Folder::open(output) else {
        return FxHashSet::default();
    };
    let folders: Vec<(&'r String, &'r FileStamp)> = rec.folders.iter().collect();
    folders
        .par_iter()
        .filter(|(rel, stamp)| {
            // Through a link, the stamp is of another folder (its inode and device differ).
            (top.stat(rel)).is_ok_and(|(kind, now)| kind == Kind::Dir && now == **stamp)
        })
        .map(|(rel, _)| rel.as_str())
        .collect()
}

/// What a guided sweep did: the files it removed, and the output's files and folders after
/// it (none if it could not know them all).
pub(super) struct Guided {
    pub removed: usize,
    pub listing: Option<Listing>,
}

fn is_vcs(name: &str) -> bool {
    VCS.iter().any(|v| name.eq_ignore_ascii_case(v))
}

/// `rel` (a folder in the output, `""` for the output) and a name in it.
fn join(folder: &str, name: &str) -> String {
    match folder {
        "" => name.to_string(),
        _ => format!("{folder}/{name}"),
    }
}

/// Every folder on the way to `rel` (not `rel` itself), the output as `""`.
fn ancestors(rel: &str) -> impl Iterator<Item = &str> {
    std::iter::once("").chain(rel.match_indices('/').map(|(i, _)| &rel[..i]))
}

/// Removes the files of the output that this write does not want, reading only the folders
/// whose stamp changed since the last build (`as_recorded`: those that did not), then lists
/// the output. `staged`: the files this write moved into place; `same`: those it found
/// holding what it wanted, with their size and time.
pub(super) fn sweep(
    output: &Path,
    out: &Output,
    rec: &Recorded,
    as_recorded: &FxHashSet<&str>,
    staged: &HashSet<String>,
    same: &FxHashMap<String, (u64, u128)>,
) -> io::Result<Guided> {
    let wanted: FxHashSet<&str> = (out.files.iter().map(|f| f.path.as_str()))
        .chain(out.copies.iter().map(|(p, _)| p.as_str()))
        .chain([MARKER])
        .collect();
    let mut complete = true;
    // Files and links not wanted (paths in the output), and folders to walk whole: made by
    // hand, or in the way of a file the last build left.
    let mut unwanted: Vec<PathBuf> = Vec::new();
    let mut to_walk: Vec<String> = Vec::new();
    for rel in rec.files.keys().filter(|p| !wanted.contains(p.as_str())) {
        unwanted.push(PathBuf::from(rel));
    }
    let mut changed: Vec<&str> = (rec.folders.keys())
        .map(String::as_str)
        .filter(|f| !as_recorded.contains(f))
        .collect();
    changed.sort_unstable();
    for folder in changed {
        let dir = output.join(folder);
        if !through_real_dirs(output, Path::new(folder)) {
            continue;
        }
        match fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            // A file or a link where a folder was: the files it held are gone with it.
            Ok(_) if !wanted.contains(folder) => {
                unwanted.push(PathBuf::from(folder));
                continue;
            }
            _ => continue,
        }
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let shown = name.to_string_lossy();
            if is_vcs(&shown) {
                complete = false;
                continue;
            }
            let rel = join(folder, &shown);
            if entry.file_type()?.is_dir() {
                if name.to_str().is_none() {
                    // Not a name a write makes, nor one a listing could hold: left to the
                    // walk of the record.
                    complete = false;
                } else if !rec.folders.contains_key(&rel) {
                    to_walk.push(rel);
                }
            } else if name.to_str().is_none() || !wanted.contains(rel.as_str()) {
                unwanted.push(Path::new(folder).join(&name));
            }
        }
    }
    // Folders found that the last build did not leave: walked, and what they hold that
    // is not wanted removed, they with it if nothing is left in them.
    let mut walked_dirs: Vec<String> = Vec::new();
    for top in to_walk {
        let enter = |_: &str, name: &str| !is_vcs(name);
        for s in crate::tree::tree(&output.join(&top), false, &enter)? {
            let rel = format!("{top}/{}", s.rel);
            if s.not_entered {
                complete = false;
            } else if s.kind == Kind::Dir {
                walked_dirs.push(rel);
            } else if !wanted.contains(rel.as_str()) {
                unwanted.push(PathBuf::from(rel));
            }
        }
        walked_dirs.push(top);
    }
    let mut removed = 0;
    let mut touched: FxHashSet<String> = FxHashSet::default();
    touched.insert(String::new());
    unwanted.sort_unstable();
    unwanted.dedup();
    for rel in &unwanted {
        // Only what is reached through real folders of the output: a link on the way
        // could lead anywhere.
        if !through_real_dirs(output, rel) {
            continue;
        }
        let path = output.join(rel);
        match fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => {
                // A folder where the last build left a file: made by hand, or by this
                // write for files it wants. What it holds that is not wanted is removed,
                // it too if nothing is left (its name is a recorded file's: valid UTF-8).
                let top = rel.to_string_lossy().into_owned();
                for s in crate::tree::tree(&path, false, &|_, name| !is_vcs(name))?
                    .iter()
                    .rev()
                {
                    let inner = format!("{top}/{}", s.rel);
                    match s.kind {
                        _ if s.not_entered => complete = false,
                        Kind::Dir => {
                            let _ = fs::remove_dir(output.join(&inner));
                        }
                        _ if wanted.contains(inner.as_str()) => {}
                        _ => {
                            fs::remove_file(output.join(&inner))?;
                            removed += 1;
                        }
                    }
                    touched.extend(ancestors(&inner).map(str::to_string));
                }
                let _ = fs::remove_dir(&path);
            }
            Ok(_) => match fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let shown = rel.to_string_lossy();
        touched.extend(ancestors(&shown).map(str::to_string));
        // The folders it leaves empty.
        let mut dir = path;
        while dir.pop() && dir != output && fs::remove_dir(&dir).is_ok() {}
    }
    // From the deepest: a folder is empty once what it held is gone.
    walked_dirs.sort_unstable_by(|a, b| b.cmp(a));
    for rel in &walked_dirs {
        let _ = fs::remove_dir(output.join(rel));
        touched.extend(ancestors(rel).map(str::to_string));
    }
    for rel in staged {
        touched.extend(ancestors(rel).map(str::to_string));
    }
    let listing = match complete {
        true => listing(output, &wanted, rec, as_recorded, &touched, staged, same),
        false => None,
    };
    Ok(Guided { removed, listing })
}

/// The output's files and folders after a guided sweep (see the module's text): none if a
/// file wanted is not a file there.
fn listing(
    output: &Path,
    wanted: &FxHashSet<&str>,
    rec: &Recorded,
    as_recorded: &FxHashSet<&str>,
    touched: &FxHashSet<String>,
    staged: &HashSet<String>,
    same: &FxHashMap<String, (u64, u128)>,
) -> Option<Listing> {
    let top = Folder::open(output).ok()?;
    let mut files: Vec<&str> = wanted.iter().copied().collect();
    files.sort_unstable();
    let files: Vec<(String, u64, u128)> = files
        .par_iter()
        .map(|&rel| {
            let known = if staged.contains(rel) {
                None
            } else if let Some(seen) = same.get(rel) {
                Some(*seen)
            } else if rec.confirmed.contains(rel) {
                rec.files.get(rel).copied()
            } else {
                None
            };
            let (len, time) = match known {
                Some(k) => k,
                None => match top.stat(rel).ok()? {
                    (Kind::File, s) => (s.len, s.modified.unsigned_abs().into()),
                    _ => return None,
                },
            };
            Some((rel.to_string(), len, time))
        })
        .collect::<Option<_>>()?;
    let mut folders: FxHashSet<&str> = FxHashSet::default();
    for (rel, _, _) in &files {
        folders.extend(ancestors(rel));
    }
    let mut folders: Vec<&str> = folders.into_iter().collect();
    folders.sort_unstable();
    let folders: Vec<(String, FileStamp)> = folders
        .par_iter()
        .map(|&rel| {
            let stamp = match rec.folders.get(rel) {
                Some(s) if as_recorded.contains(rel) && !touched.contains(rel) => *s,
                _ => match top.stat(rel).ok()? {
                    (Kind::Dir, s) => s,
                    _ => return None,
                },
            };
            Some((rel.to_string(), stamp))
        })
        .collect::<Option<_>>()?;
    Some(Listing { files, folders })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::tree::{every_folder, tree};
    use crate::write::{OutFile, Scope, Writer};

    fn site(files: &[(&str, &str)]) -> Output {
        Output {
            files: (files.iter())
                .map(|(p, c)| OutFile::here(p.to_string(), Arc::new(c.as_bytes().to_vec())))
                .collect(),
            ..Default::default()
        }
    }

    /// What a walk finds in `out`.
    fn walked(out: &Path) -> Listing {
        Listing::of(out, tree(out, false, &every_folder).unwrap().iter()).unwrap()
    }

    /// A write of `files` into `out` guided by `last` (the listing of the write before).
    fn write_guided(out: &Path, files: &[(&str, &str)], last: &Listing) -> Option<Listing> {
        let files_map: FxHashMap<String, (u64, u128)> = (last.files.iter())
            .map(|(p, len, time)| (p.clone(), (*len, *time)))
            .collect();
        let folders: FxHashMap<String, FileStamp> = last.folders.iter().cloned().collect();
        let confirmed = FxHashSet::default();
        let recorded = Recorded {
            files: &files_map,
            folders: &folders,
            confirmed: &confirmed,
        };
        let site = site(files);
        let mut w = Writer::begin(out, Scope::All).unwrap();
        w.stage_output(&site).unwrap();
        w.commit_listed(&site, None, Some(&recorded)).unwrap().1
    }

    #[test]
    fn a_guided_rebuild_removes_what_is_not_wanted_and_lists_what_a_walk_finds() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        let first = [
            ("index.html", "a"),
            ("a/index.html", "b"),
            ("a/b/index.html", "c"),
            ("gone/index.html", "d"),
            ("keep/x/index.html", "e"),
        ];
        write_guided(&out, &first, &Listing::default());
        let last = walked(&out);
        // By hand: a file beside a page, a folder with files in it, a link to a file
        // outside the output, and a file in a folder the site no longer has.
        fs::write(out.join("a/b/stray.html"), "by hand").unwrap();
        fs::create_dir_all(out.join("keep/hand/deeper")).unwrap();
        fs::write(out.join("keep/hand/deeper/f.txt"), "by hand").unwrap();
        let outside = t.path().join("outside.txt");
        fs::write(&outside, "not Vetrina's").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, out.join("link.html")).unwrap();
        fs::write(out.join("gone/extra.txt"), "by hand").unwrap();
        let second = [
            ("index.html", "a"),
            ("a/index.html", "B"),
            ("a/b/index.html", "c"),
            ("keep/x/index.html", "e"),
            ("new/index.html", "f"),
        ];
        let listed = write_guided(&out, &second, &last).expect("a complete listing");
        for gone in ["a/b/stray.html", "keep/hand", "link.html", "gone"] {
            assert!(fs::symlink_metadata(out.join(gone)).is_err(), "{gone}");
        }
        assert_eq!(fs::read_to_string(&outside).unwrap(), "not Vetrina's");
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "B");
        assert_eq!(listed, walked(&out), "the listing is what a walk finds");

        // Guided by that listing, a rebuild that changes nothing keeps it as it is.
        let again = write_guided(&out, &second, &listed).unwrap();
        assert_eq!(again, listed);
        assert_eq!(again, walked(&out));
    }

    #[test]
    fn a_path_is_inside_when_every_name_is_an_ordinary_one() {
        // As the names are judged one by one: `inside` reads the bytes once.
        let by_names = |rel: &str| {
            !rel.is_empty()
                && rel.split('/').all(|name| {
                    !name.is_empty()
                        && name != "."
                        && name != ".."
                        && !name.contains(['\\', ':', '\0'])
                })
        };
        let parts = [
            "", ".", "..", "...", "a", ".a", "a.", "é", "c:", "a\\b", "x\0", "a b",
        ];
        for a in parts {
            for b in parts {
                for rel in [
                    a.to_string(),
                    format!("{a}/{b}"),
                    format!("{a}/{b}/"),
                    format!("/{a}/{b}"),
                ] {
                    assert_eq!(inside(&rel), by_names(&rel), "{rel:?}");
                }
            }
        }
        assert!(inside("storie/una-storia/index.html"));
        assert!(!inside("storie/../../etc/passwd"));
        assert!(!inside("C:/Windows"));
    }

    #[test]
    fn a_record_that_names_places_outside_the_output_guides_nothing() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        let files = [("index.html", "a"), ("a/index.html", "b")];
        write_guided(&out, &files, &Listing::default());
        let beside = t.path().join("beside.txt");
        fs::write(&beside, "not Vetrina's").unwrap();
        let good = walked(&out);
        let root_stamp = good.folders[0].1;
        for (file, folder) in [
            ("../beside.txt", "a"),
            ("a/../../beside.txt", "a"),
            ("beside.txt", ".."),
            ("a//index.html", "a"),
            ("/etc/passwd", "a"),
        ] {
            let mut bad = good.clone();
            bad.files.push((file.to_string(), 13, 0));
            bad.folders.push((folder.to_string(), root_stamp));
            // The output is walked instead: nothing outside it is touched.
            let listed = write_guided(&out, &files, &bad).expect("listed by the walk");
            assert_eq!(listed, walked(&out));
            assert!(beside.exists(), "{file} {folder}");
        }
        assert_eq!(fs::read_dir(t.path()).unwrap().count(), 2);
    }

    #[test]
    fn a_version_control_folder_is_left_alone_and_the_listing_left_to_a_walk() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        let files = [("index.html", "a"), ("a/index.html", "b")];
        write_guided(&out, &files, &Listing::default());
        let last = walked(&out);
        fs::create_dir_all(out.join("a/.git")).unwrap();
        fs::write(out.join("a/.git/HEAD"), "ref").unwrap();
        assert_eq!(write_guided(&out, &files, &last), None);
        assert!(out.join("a/.git/HEAD").exists());
    }

    #[test]
    fn a_folder_where_a_file_was_keeps_the_files_wanted_in_it() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        write_guided(
            &out,
            &[("index.html", "a"), ("x", "file")],
            &Listing::default(),
        );
        let last = walked(&out);
        // `x` is a folder now, with a page in it.
        let listed = write_guided(&out, &[("index.html", "a"), ("x/index.html", "b")], &last);
        assert_eq!(fs::read_to_string(out.join("x/index.html")).unwrap(), "b");
        assert_eq!(listed.unwrap(), walked(&out));
    }
}
