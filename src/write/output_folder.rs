//! The output folder is Vetrina's alone: the marker that says so, and the check made before a
//! build writes or deletes anything there (not the site, its sources, its cache or a
//! repository; an existing folder empty or marked).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::fileio::write_atomic;

/// The file that marks a folder as Vetrina's output. Vetrina deletes files only in a folder
/// that carries it, and writes it into every output folder it makes or fills. Its name starts
/// with a dot: sources with such names are never published, and `serve` never serves them.
pub const MARKER: &str = ".vetrina-output";

/// What the marker says to whoever opens it.
const MARKER_TEXT: &str = "This folder is the output of Vetrina, the static-site generator.\n\
Vetrina writes, replaces and deletes the files in it at every build: keep nothing else here.\n\
This file tells Vetrina that the folder is its own; it is not published.\n";

/// Version-control folders: never an output, never inside one, never inside the output.
pub(super) const VCS: [&str; 3] = [".git", ".hg", ".svn"];

/// The folders of a site (beside site.yaml) that hold its sources or Vetrina's cache.
const SITE_FOLDERS: [&str; 7] = [
    "content",
    "data",
    "themes",
    "templates",
    "static",
    "i18n",
    ".vetrina-cache",
];

/// Why an output folder is refused, in words for the people who run the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub help: String,
}

/// Whether `output` may be Vetrina's output for the site in `root` (with its picture cache in
/// `cache`). Checked before anything is written or deleted: the output must not be or hold
/// the site, its sources, its cache or a repository, and an existing folder must be empty or
/// carry the marker.
pub fn check_output(root: &Path, output: &Path, cache: &Path) -> Result<(), Refusal> {
    let shown = format!("`{}`", output.display());
    let refuse = |message: String, help: &str| {
        Err(Refusal {
            message,
            help: help.to_string(),
        })
    };
    const OWN: &str = "choose a folder of its own for the built site, such as `public` (the default when --output is left out)";
    if let Ok(meta) = fs::symlink_metadata(output)
        && meta.file_type().is_symlink()
        && fs::metadata(output).is_err()
    {
        return refuse(
            format!("the output folder {shown} is a link to a folder that does not exist"),
            "make the folder the link points to, or give another output folder with --output",
        );
    }
    let out = real_path(output);
    let root = real_path(root);
    let cache = real_path(cache);
    if out == root {
        return refuse(
            format!(
                "the output folder {shown} is the site's own folder: it contains the site itself (site.yaml and its sources), and Vetrina removes from its output every file that is not part of the built site, so it would delete the site's sources"
            ),
            OWN,
        );
    }
    if root.starts_with(&out) {
        return refuse(
            format!(
                "the output folder {shown} contains the site's folder: Vetrina removes from its output every file that is not part of the built site, so it would delete the site's sources"
            ),
            OWN,
        );
    }
    for name in SITE_FOLDERS {
        if out.starts_with(root.join(name)) {
            let what = if name.starts_with('.') {
                "Vetrina's cache"
            } else {
                "the site's sources"
            };
            return refuse(
                format!(
                    "the output folder {shown} is inside the site's `{name}` folder, which holds {what}: the built site must be kept apart from it"
                ),
                OWN,
            );
        }
    }
    if out.starts_with(&cache) || cache.starts_with(&out) {
        return refuse(
            format!(
                "the output folder {shown} and the picture cache `{}` are inside one another: each build would delete or mix up the other's files",
                cache.display()
            ),
            OWN,
        );
    }
    let lexical = absolute(output);
    for path in [&lexical, &out] {
        if let Some(vcs) = path
            .components()
            .find_map(|c| VCS.iter().find(|v| c.as_os_str().eq_ignore_ascii_case(v)))
        {
            return refuse(
                format!(
                    "the output folder {shown} is inside a version-control folder (`{vcs}`): building there would damage the repository and its history"
                ),
                OWN,
            );
        }
    }
    let meta = match fs::metadata(&out) {
        Ok(m) => m,
        // A new folder: made, with the marker, by the build.
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return refuse(
                format!("the output folder {shown} cannot be read: {e}"),
                "check that the folder exists and that you may read and write it, or give another one with --output",
            );
        }
    };
    if !meta.is_dir() {
        return refuse(
            format!("the output folder {shown} is a file, not a folder"),
            "give the name of a folder with --output (a missing folder is made), such as `public`",
        );
    }
    if let Some(vcs) = VCS
        .iter()
        .find(|v| fs::symlink_metadata(out.join(v)).is_ok())
    {
        return refuse(
            format!(
                "the output folder {shown} holds a version-control folder (`{vcs}`): Vetrina removes from its output every file that is not part of the built site, so it would destroy that repository"
            ),
            "build into a folder of its own, such as `public`, and copy the built site into the repository when you publish it",
        );
    }
    match is_ours(&out) {
        Ok(true) => Ok(()),
        Ok(false) => refuse(
            format!(
                "the output folder {shown} already holds files that Vetrina did not make (it has no `{MARKER}` file): Vetrina removes from its output every file that is not part of the built site, so it would delete them"
            ),
            "give a new or empty folder with --output; if this folder was built by an older version of Vetrina (older versions did not leave the marker), delete or move it once and build again: Vetrina makes it anew, with the marker",
        ),
        Err(e) => refuse(
            format!("the output folder {shown} cannot be read: {e}"),
            "check that you may read and write the folder, or give another one with --output",
        ),
    }
}

/// Whether Vetrina may write and delete in the existing folder `dir`: it carries the marker
/// (a file, not a link to one), or it is empty.
pub(super) fn is_ours(dir: &Path) -> io::Result<bool> {
    match fs::symlink_metadata(dir.join(MARKER)) {
        Ok(m) => return Ok(m.is_file()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    Ok(fs::read_dir(dir)?.next().is_none())
}

/// Writes the marker into `dir` unless it is there.
pub(super) fn mark(dir: &Path) -> io::Result<()> {
    if fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    write_atomic(&dir.join(MARKER), MARKER_TEXT.as_bytes())
}

/// `p` made absolute (from the working folder), with `.` and `..` taken out, without touching
/// the disk.
fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Where `p` really is: the longest part of it that exists with its links resolved, then the
/// rest. A link as output, or in the path to it, is judged by what it leads to.
pub(super) fn real_path(p: &Path) -> PathBuf {
    let mut head = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    // The names taken off the end, last first.
    let mut tail: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(mut out) = fs::canonicalize(&head) {
            for name in tail.iter().rev() {
                if name == ".." {
                    out.pop();
                } else if name != "." {
                    out.push(name);
                }
            }
            return out;
        }
        match head.components().next_back() {
            Some(std::path::Component::Normal(n)) => tail.push(n.to_os_string()),
            Some(std::path::Component::ParentDir) => tail.push("..".into()),
            Some(std::path::Component::CurDir) => {}
            _ => return absolute(p),
        }
        if !head.pop() {
            return absolute(p);
        }
    }
}
