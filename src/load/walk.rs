//! The one way into the site's folders: every file that `load` reads is a regular file inside
//! the site folder, reached without going through a symbolic link.
//!
//! Links are never followed, so a story folder linked to `/` cannot make the build walk the
//! whole disk, and `data/funds.yaml` linked to `/etc/passwd` or `/dev/zero` is not read: each
//! link, device, pipe or socket is an error naming it.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::{DirEntry, WalkDir};

use crate::diag::Diagnostics;

/// The site folder, as given and with every link in its path resolved.
pub struct SiteRoot<'a> {
    pub given: &'a Path,
    pub canonical: PathBuf,
}

impl SiteRoot<'_> {
    /// The path as the author knows it: relative to the site folder.
    pub fn rel(&self, path: &Path) -> PathBuf {
        super::rel_path(self.given, path)
    }

    /// Whether `path` (a file or folder that exists) may be read: it is not a link, not a
    /// device, pipe or socket, and lies inside the site folder. Otherwise an error names it.
    pub fn check(&self, path: &Path, diags: &mut Diagnostics) -> bool {
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => {
                self.refuse_link(path, diags);
                false
            }
            Ok(m) if !(m.is_file() || m.is_dir()) => {
                refuse_special(&self.rel(path), diags);
                false
            }
            Ok(_) if !self.holds(path) => {
                // A folder on the way (`data/`, `themes/x/`) is a link out of the site.
                diags.file_error(
                    &self.rel(path),
                    "this is inside a folder that is a link to something outside the site folder",
                    "copy the files into the site instead of linking to them: Vetrina reads only what is inside the site folder",
                );
                false
            }
            Ok(_) => true,
            Err(e) => {
                diags.file_error(
                    &self.rel(path),
                    format!("cannot read this: {e}"),
                    "check that the file exists and that you have permission to read it",
                );
                false
            }
        }
    }

    /// Whether `path`, with every link resolved, lies inside the site folder.
    fn holds(&self, path: &Path) -> bool {
        path.canonicalize()
            .is_ok_and(|c| c.starts_with(&self.canonical))
    }

    /// Every regular file under `dir` (which must pass [`SiteRoot::check`]), in walkdir's
    /// name order, down to `max_depth` folders; links and special files are reported, never
    /// followed. Bundles are walked on every core below `parallel_depth` (see
    /// [`super::walk_sorted`]).
    pub fn files(&self, dir: &Path, max_depth: usize, diags: &mut Diagnostics) -> Vec<DirEntry> {
        if !self.check(dir, diags) {
            return Vec::new();
        }
        let entries = if max_depth > 2 {
            walk_sorted(dir, false, 2)
        } else {
            WalkDir::new(dir)
                .follow_links(false)
                .follow_root_links(false)
                .max_depth(max_depth)
                .sort_by_file_name()
                .into_iter()
                .collect()
        };
        let mut files = Vec::with_capacity(entries.len());
        for entry in entries {
            match entry {
                Ok(e) if e.file_type().is_file() => files.push(e),
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) if e.path_is_symlink() => self.refuse_link(e.path(), diags),
                Ok(e) => refuse_special(&self.rel(e.path()), diags),
                Err(e) => super::walk_error(self.given, &e, diags),
            }
        }
        files
    }

    fn refuse_link(&self, path: &Path, diags: &mut Diagnostics) {
        let rel = self.rel(path);
        let target = path.canonicalize();
        match target {
            Err(_) => diags.file_error(
                &rel,
                "cannot read this: it is a link to something that does not exist (a broken link)",
                "delete the link and put the file itself here",
            ),
            Ok(t) if !t.starts_with(&self.canonical) => diags.file_error(
                &rel,
                "this is a link to something outside the site folder",
                "copy the file into the site instead of linking to it: Vetrina reads and publishes only what is inside the site folder",
            ),
            Ok(t) if path.parent().is_some_and(|p| p.canonicalize().is_ok_and(|p| p.starts_with(&t))) => {
                diags.file_error(
                    &rel,
                    format!(
                        "this folder is a link back to {}, which makes an endless loop",
                        self.rel(&t).display()
                    ),
                    "remove the link: a site folder must not contain itself",
                )
            }
            Ok(t) => diags.file_error(
                &rel,
                format!(
                    "this is a link to {}: Vetrina does not follow links",
                    rel_inside(&self.canonical, &t).display()
                ),
                "copy the file (or move the folder) here instead of linking to it",
            ),
        }
    }
}

fn rel_inside(canonical_root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(canonical_root)
        .unwrap_or(path)
        .to_path_buf()
}

fn refuse_special(rel: &Path, diags: &mut Diagnostics) {
    diags.file_error(
        rel,
        "this is not an ordinary file (it is a device, a pipe or a socket)",
        "remove it from the site folder: only ordinary files and folders are read",
    );
}

/// Every entry under `dir`, as `WalkDir::new(dir).follow_links(links).sort_by_file_name()`
/// gives them and in the same order: the folders down to `depth` are walked first, then
/// what is in each folder at that depth, on every core. A tree with a linked folder above
/// that depth is walked in one piece (a loop through a link deeper down is found by the
/// walk of its folder as by the single walk: see the test).
pub(super) fn walk_sorted(
    dir: &Path,
    links: bool,
    depth: usize,
) -> Vec<walkdir::Result<walkdir::DirEntry>> {
    let whole = || {
        WalkDir::new(dir)
            .follow_links(links)
            .sort_by_file_name()
            .into_iter()
            .collect()
    };
    let linked_dir = |e: &walkdir::DirEntry| e.path_is_symlink() && e.file_type().is_dir();
    let top: Vec<walkdir::Result<walkdir::DirEntry>> = WalkDir::new(dir)
        .follow_links(links)
        .max_depth(depth)
        .sort_by_file_name()
        .into_iter()
        .collect();
    if top.iter().any(|e| e.as_ref().map_or(true, linked_dir)) {
        return whole();
    }
    let inside: Vec<Vec<walkdir::Result<walkdir::DirEntry>>> = top
        .par_iter()
        .map(|entry| match entry {
            Ok(e) if e.depth() == depth && e.file_type().is_dir() => WalkDir::new(e.path())
                .follow_links(links)
                .min_depth(1)
                .sort_by_file_name()
                .into_iter()
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let below: usize = inside.iter().map(Vec::len).sum();
    let mut all = Vec::with_capacity(top.len() + below);
    for (entry, below) in top.into_iter().zip(inside) {
        all.push(entry);
        all.extend(below);
    }
    all
}
