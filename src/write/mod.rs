//! Write: put a rendered site on disk, never damaging the previous output.
//!
//! The new site is compared with what is already published. Only files that changed are
//! written, first into a staging folder beside the output; if any of that fails, the staging
//! folder is removed and the output is exactly as it was. Then the staged files are moved into
//! place (a rename each) and files that are no longer part of the site are deleted. Unchanged
//! files are not touched: creating and deleting files is the slow part on many disks.
//!
//! The output folder is Vetrina's alone, because deleting what is not part of the site is
//! only safe there: a folder Vetrina fills carries a marker file (`MARKER`), and
//! `check_output` refuses, before anything is written, a folder that holds other files, the
//! site, its sources, its cache or a repository. Nothing here ever deletes the marker, follows
//! a link out of the output, or removes a folder beside it that this write did not make.
//!
//! `vetrina build` stages its pages through a [`Writer`] as they are rendered; `vetrina
//! serve` through a [`PageWrite`] (`page_write`), which knows what this process wrote last.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

mod guided;
mod output;
mod output_folder;
mod page_write;

pub use output::{Bytes, Held, OutFile, Output};
pub use page_write::PageWrite;

use crate::tree::Kind;
#[cfg(test)]
use output_folder::real_path;
pub use output_folder::{MARKER, check_output};
use output_folder::{VCS, is_ours, mark};

/// What this process last wrote into the output folder (`vetrina serve`): a generated file
/// whose digest is the same as then is not compared with the disk again, and files that are
/// no longer wanted are known without walking the folder. Emptied whenever a write fails.
#[derive(Default)]
pub struct Manifest {
    /// Each generated file's digest (blake3 of its bytes): the bytes themselves are on disk.
    files: rustc_hash::FxHashMap<String, blake3::Hash>,
    copies: rustc_hash::FxHashSet<String>,
}

impl Manifest {
    /// The digest of the bytes last written to `path` (relative to the output folder), if
    /// this process generated that file.
    pub fn digest(&self, path: &str) -> Option<blake3::Hash> {
        self.files.get(path).copied()
    }
}

pub use crate::tree::Listing;
pub use guided::Recorded;

#[derive(Debug, Default, Clone, Copy)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// What one output file should contain.
enum Want<'a> {
    Bytes(&'a [u8]),
    Copy(&'a Path),
}

/// Which part of the output folder a write owns: files outside it are neither compared nor
/// deleted. `vetrina serve` writes the pages first and the search index (`search-index/`) after.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    All,
    Except(&'a str),
    Only(&'a str),
}

impl Scope<'_> {
    fn owns(&self, rel: &Path) -> bool {
        match self {
            Scope::All => true,
            Scope::Except(p) => !rel.starts_with(p),
            Scope::Only(p) => rel.starts_with(p),
        }
    }
    fn tag(&self) -> &'static str {
        match self {
            Scope::All => "",
            Scope::Except(_) => "-pages",
            Scope::Only(_) => "-part",
        }
    }
}

/// Writes `out` into `output` whole, in one step (the tests' write).
#[cfg(test)]
pub fn write(output: &Path, out: &Output) -> io::Result<WriteStats> {
    let mut w = Writer::begin(output, Scope::All)?;
    w.stage_output(out)?;
    w.commit(out, None)
}

/// A write in two steps, so that a build can put its pages on disk and let go of them
/// before the search index is built: `stage` compares files with the output and puts those
/// that changed into a staging folder beside it; `commit` moves them into place and removes
/// what is no longer part of the site. Until `commit`, the output is untouched; a `Writer`
/// dropped without it removes its staging folder.
pub struct Writer<'a> {
    /// The output folder, through any link to it: files are staged beside the real folder so
    /// that moving them in is a rename on one disk.
    output: PathBuf,
    staging: PathBuf,
    scope: Scope<'a>,
    /// No output yet: nothing to compare with, and the staging folder becomes the output.
    fresh: bool,
    /// The files staged so far, by path in the output (pages are staged from the threads
    /// that render them).
    staged: std::sync::Mutex<HashSet<String>>,
    /// The files found to hold what is wanted already, with their size and modification
    /// time then: listed for the next build without being looked at again.
    same: std::sync::Mutex<FxHashMap<String, (u64, u128)>>,
    done: bool,
}

impl<'a> Writer<'a> {
    /// Starts a write into `output`. An existing folder must be Vetrina's (it carries the
    /// marker) or empty; else nothing is written or deleted.
    pub fn begin(output: &Path, scope: Scope<'a>) -> io::Result<Writer<'a>> {
        let output = fs::canonicalize(output).unwrap_or_else(|_| output.to_path_buf());
        if output.is_dir() && !is_ours(&output)? {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "{} holds files that Vetrina did not make (it has no {MARKER} file)",
                    output.display()
                ),
            ));
        }
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let staging = make_staging(&parent, &name, scope.tag())?;
        let fresh = !output.exists() && !matches!(scope, Scope::Only(_));
        let w = Writer {
            output,
            staging,
            scope,
            fresh,
            staged: Default::default(),
            same: Default::default(),
            done: false,
        };
        if fresh {
            // The staging folder becomes the output: it carries the marker from the start.
            mark(&w.staging)?;
        }
        Ok(w)
    }

    /// Stages every file of `out` that differs from the output (the files it took from the
    /// output as they were, and those already staged while rendering, are not compared again).
    pub fn stage_output(&mut self, out: &Output) -> io::Result<()> {
        self.stage(
            out.files
                .iter()
                .filter(|f| f.to_stage())
                .map(|f| (f.path.as_str(), Want::Bytes(&f.bytes)))
                .chain(out.copies.iter().map(|(p, s)| (p.as_str(), Want::Copy(s)))),
        )
    }

    /// Stages those of `files` that differ from the output.
    pub fn stage_files(&mut self, files: &[(String, Bytes)]) -> io::Result<()> {
        self.stage(files.iter().map(|(p, b)| (p.as_str(), Want::Bytes(b))))
    }

    /// Stages one generated file now, from any thread, if it differs from the output. A
    /// build stages each page as soon as it is rendered and lets go of its bytes, so a large
    /// site is never held in memory whole.
    pub fn stage_one(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if self.put(rel, &Want::Bytes(bytes))? {
            self.staged_set().insert(rel.to_string());
        }
        Ok(())
    }

    fn stage<'w>(&mut self, wants: impl Iterator<Item = (&'w str, Want<'w>)>) -> io::Result<()> {
        let wants: Vec<(&str, Want)> = wants.collect();
        let results: Vec<io::Result<Option<&str>>> = wants
            .par_iter()
            .map(|(rel, want)| Ok(self.put(rel, want)?.then_some(*rel)))
            .collect();
        let staged = self.staged.get_mut().unwrap_or_else(|e| e.into_inner());
        for r in results {
            if let Some(rel) = r? {
                staged.insert(rel.to_string());
            }
        }
        Ok(())
    }

    /// Puts `want` into the staging folder unless the output already holds it; returns
    /// whether it did. An error names the file of the site it happened to.
    fn put(&self, rel: &str, want: &Want) -> io::Result<bool> {
        let put = || -> io::Result<bool> {
            if !self.fresh
                && let Some(stamp) = same(&self.output.join(rel), want)?
            {
                (self.same.lock().unwrap_or_else(|e| e.into_inner()))
                    .insert(rel.to_string(), stamp);
                return Ok(false);
            }
            let tmp = self.staging.join(rel);
            if let Some(dir) = tmp.parent() {
                fs::create_dir_all(dir)?;
            }
            match want {
                Want::Bytes(b) => fs::write(&tmp, b)?,
                Want::Copy(src) => {
                    fs::copy(src, &tmp)?;
                }
            }
            Ok(true)
        };
        put().map_err(|e| io::Error::new(e.kind(), format!("{rel}: {e}")))
    }

    fn staged_set(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.staged.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Where the file `rel` of the new site is now: staged, or unchanged in the output.
    pub fn path_of(&self, rel: &str) -> PathBuf {
        if self.staged_set().contains(rel) {
            self.staging.join(rel)
        } else {
            self.output.join(rel)
        }
    }

    /// Moves the staged files into place and removes the files of the output that are not in
    /// `out` (with a `known` manifest of the last write, without walking the folder).
    pub fn commit(self, out: &Output, known: Option<&Manifest>) -> io::Result<WriteStats> {
        self.commit_listed(out, known, None).map(|(stats, _)| stats)
    }

    /// `commit`, and the files and folders the output holds after it, when the write knows
    /// them all (`vetrina build` records them for its next build without walking the
    /// output again). With what the last build `recorded`, only the folders changed since
    /// are read for files no longer wanted (see `guided`); else the output is walked. None
    /// when the output was not walked (a first write, a `known` manifest) or not all of it
    /// (a version-control folder, a part of the output this write does not own).
    pub fn commit_listed(
        mut self,
        out: &Output,
        known: Option<&Manifest>,
        recorded: Option<&Recorded>,
    ) -> io::Result<(WriteStats, Option<Listing>)> {
        let output = self.output.clone();
        // The recorded folders still as they were, seen before this write changes any.
        let as_recorded = recorded
            .filter(|r| !self.fresh && matches!(self.scope, Scope::All) && r.usable())
            .map(|r| (r, guided::folders_as_recorded(&output, r)));
        let staged = std::mem::take(self.staged.get_mut().unwrap_or_else(|e| e.into_inner()));
        let mut stats = WriteStats {
            written: staged.len(),
            unchanged: (out.files.len() + out.copies.len()).saturating_sub(staged.len()),
            removed: 0,
        };
        if self.fresh {
            // Nothing was published before: the staging folder becomes the output in one move.
            // If that fails, dropping `self` removes the staging folder.
            fs::rename(&self.staging, &output)?;
            self.done = true;
            return Ok((stats, None));
        }
        self.done = true;
        let result = (|| -> io::Result<()> {
            fs::create_dir_all(&output)?;
            mark(&output)?;
            let mut real = HashSet::new();
            for rel in &staged {
                let dest = output.join(rel);
                if let Some(dir) = dest.parent() {
                    real_dirs(&output, dir, &mut real)?;
                }
                if fs::symlink_metadata(&dest).is_ok_and(|m| m.is_dir()) {
                    fs::remove_dir_all(&dest)?;
                }
                // A link in the way is replaced, never followed.
                fs::rename(self.staging.join(rel), &dest)?;
            }
            Ok(())
        })();
        let _ = fs::remove_dir_all(&self.staging);
        result?;

        if let Some((recorded, as_recorded)) = as_recorded {
            let same = std::mem::take(self.same.get_mut().unwrap_or_else(|e| e.into_inner()));
            let swept = guided::sweep(&output, out, recorded, &as_recorded, &staged, &same)?;
            stats.removed = swept.removed;
            return Ok((stats, swept.listing));
        }
        let scope = self.scope;
        // Every file of the last write is still wanted (the usual edit in `vetrina serve`):
        // found without a set of 44,000 paths at 10,000 stories.
        let all_wanted = |k: &Manifest| {
            let still = out
                .files
                .iter()
                .filter(|f| k.files.contains_key(&f.path))
                .count()
                + out
                    .copies
                    .iter()
                    .filter(|(p, _)| k.copies.contains(p))
                    .count();
            still == k.files.len() + k.copies.len()
        };
        if let Some(k) = known {
            if all_wanted(k) {
                return Ok((stats, None));
            }
            // The files of the last write that are no longer wanted, and the folders they leave
            // empty.
            let wanted: HashSet<&str> = out
                .files
                .iter()
                .map(|f| f.path.as_str())
                .chain(out.copies.iter().map(|(p, _)| p.as_str()))
                .collect();
            let gone = k
                .files
                .keys()
                .chain(&k.copies)
                .filter(|p| !wanted.contains(p.as_str()) && scope.owns(Path::new(p)));
            for rel in gone {
                // Only a file reached through real folders of the output: a link on the way
                // could lead anywhere.
                if !through_real_dirs(&output, Path::new(rel)) {
                    continue;
                }
                match fs::remove_file(output.join(rel)) {
                    Ok(()) => stats.removed += 1,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e),
                }
                let mut dir = output.join(rel);
                while dir.pop() && dir != output && fs::remove_dir(&dir).is_ok() {}
            }
            return Ok((stats, None));
        }
        let wanted: FxHashSet<&str> = (out.files.iter().map(|f| f.path.as_str()))
            .chain(out.copies.iter().map(|(p, _)| p.as_str()))
            .chain([MARKER])
            .collect();
        let swept = sweep(&output, &scope, &wanted)?;
        stats.removed = swept.removed;
        let whole = matches!(scope, Scope::All);
        Ok((stats, swept.files.filter(|_| whole)))
    }
}

/// Makes a staging folder of this write's own beside the output. It is made new (never one
/// that is already there), so that removing it can only remove what this write made.
fn make_staging(parent: &Path, name: &str, tag: &str) -> io::Result<PathBuf> {
    static MADE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    loop {
        let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let staging = parent.join(format!(
            ".vetrina-staging-{}-{n}{tag}-{name}",
            std::process::id()
        ));
        match fs::create_dir(&staging) {
            Ok(()) => return Ok(staging),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1_000_000 => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Makes every folder from `output` down to `dir` a real folder: a file or a link in the way
/// (which only a hand could have put there) is removed, so that nothing is written through a
/// link to a place outside the output. `done` remembers the folders already seen.
fn real_dirs(output: &Path, dir: &Path, done: &mut HashSet<PathBuf>) -> io::Result<()> {
    let Ok(rel) = dir.strip_prefix(output) else {
        return Err(io::Error::other(format!(
            "{} is outside the output folder",
            dir.display()
        )));
    };
    let mut at = output.to_path_buf();
    for c in rel.components() {
        at.push(c);
        if done.contains(&at) {
            continue;
        }
        match fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                fs::remove_file(&at)?;
                fs::create_dir(&at)?;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir(&at)?,
            Err(e) => return Err(e),
        }
        done.insert(at.clone());
    }
    Ok(())
}

/// Whether every folder on the way from `output` to the file `rel` is a real folder (no link).
fn through_real_dirs(output: &Path, rel: &Path) -> bool {
    let mut at = output.to_path_buf();
    let Some(parent) = rel.parent() else {
        return true;
    };
    parent.components().all(|c| {
        at.push(c);
        matches!(c, std::path::Component::Normal(_))
            && fs::symlink_metadata(&at).is_ok_and(|m| m.is_dir())
    })
}

impl Drop for Writer<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Whether `dest` already holds exactly what is wanted: if so, its size and modification
/// time (ns since 1970).
fn same(dest: &Path, want: &Want) -> io::Result<Option<(u64, u128)>> {
    // A link is never what is wanted: it is replaced by the file itself.
    let meta = match fs::symlink_metadata(dest) {
        Ok(m) if m.is_file() => m,
        Ok(_) => return Ok(None),
        // Not there, or a file where a folder on its way is wanted.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let same = match want {
        Want::Bytes(b) => meta.len() == b.len() as u64 && fs::read(dest)? == *b,
        Want::Copy(src) => {
            let sm = fs::metadata(src)?;
            sm.len() == meta.len() && fs::read(src)? == fs::read(dest)?
        }
    };
    let stamp = crate::tree::FileStamp::of(&meta)?;
    Ok(same.then(|| (stamp.len, stamp.modified.unsigned_abs().into())))
}

/// What `sweep` did: the files it removed, and the files left with their sizes and times (see
/// [`Listing`]), none if it did not see them all.
struct Swept {
    removed: usize,
    files: Option<Listing>,
}

/// Deletes the files of the output that this write does not want (`wanted`, paths in the
/// output) and that `scope` gives it, and the folders left empty. The output is walked once
/// (`tree`: each folder read and each entry looked at relative to it, on every core), without
/// following a link; a link is removed as a link, and a version-control folder, or a folder
/// the scope leaves alone, is never entered.
fn sweep(output: &Path, scope: &Scope, wanted: &FxHashSet<&str>) -> io::Result<Swept> {
    let (start, prefix) = match scope {
        Scope::Only(p) => (output.join(p), format!("{p}/")),
        _ => (output.to_path_buf(), String::new()),
    };
    match fs::symlink_metadata(&start) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Ok(Swept {
                removed: 0,
                files: None,
            });
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Swept {
                removed: 0,
                files: Some(Listing::default()),
            });
        }
        Err(e) => return Err(e),
    }
    let is_vcs = |name: &str| VCS.iter().any(|v| name.eq_ignore_ascii_case(v));
    let enter =
        |rel: &str, name: &str| !is_vcs(name) && scope.owns(Path::new(&format!("{prefix}{rel}")));
    let seen = crate::tree::tree(&start, false, &enter)?;
    // From the last entry back, so that a folder comes after everything in it: what stays
    // in each folder is counted before the folder is looked at.
    let mut left: FxHashMap<&str, usize> = FxHashMap::default();
    let mut stays = vec![true; seen.len()];
    let mut removed = 0;
    let mut complete = true;
    for (i, s) in seen.iter().enumerate().rev() {
        let (parent, name) = match s.rel.rsplit_once('/') {
            Some((p, n)) => (Some(p), n),
            None => (None, s.rel.as_str()),
        };
        let rel = format!("{prefix}{}", s.rel);
        let stay = if is_vcs(name) || s.not_entered {
            complete = false;
            true
        } else if s.kind == Kind::Dir {
            let kept = left.get(s.rel.as_str()).is_some_and(|&n| n > 0);
            if !kept && through_real_dirs(output, Path::new(&rel)) {
                fs::remove_dir(output.join(&rel))?;
            }
            kept
        } else if scope.owns(Path::new(&rel)) && !wanted.contains(rel.as_str()) {
            // Only a file reached through real folders of the output: a link put on the
            // way since the walk could lead anywhere.
            if through_real_dirs(output, Path::new(&rel)) {
                match fs::remove_file(output.join(&rel)) {
                    Ok(()) => removed += 1,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e),
                }
            }
            false
        } else {
            true
        };
        if stay && let Some(p) = parent {
            *left.entry(p).or_default() += 1;
        }
        stays[i] = stay;
    }
    // Only a whole output is listed (the paths are relative to the folder walked).
    let files = match complete && prefix.is_empty() {
        true => {
            let left = (seen.iter().zip(&stays)).filter_map(|(s, stay)| stay.then_some(s));
            Some(Listing::of(&start, left)?)
        }
        false => None,
    };
    Ok(Swept { removed, files })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn output(files: &[(&str, &str)]) -> Output {
        Output {
            files: files
                .iter()
                .map(|(p, c)| OutFile::here(p.to_string(), Arc::new(c.as_bytes().to_vec())))
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn a_path_is_judged_where_it_really_is() {
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        fs::create_dir_all(base.join("a/b")).unwrap();
        assert_eq!(real_path(&base.join("a/b/../c/d")), base.join("a/c/d"));
        assert_eq!(real_path(&base.join("x/../y/./z")), base.join("y/z"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(base.join("a/b"), base.join("l")).unwrap();
            assert_eq!(real_path(&base.join("l/new")), base.join("a/b/new"));
        }
    }

    #[test]
    fn the_output_is_refused_where_it_could_do_harm() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        let cache = root.join(".vetrina-cache");
        let check = |out: &Path| check_output(&root, out, &cache);
        assert!(check(&root.join("public")).is_ok());
        assert!(check(&t.path().join("elsewhere/public")).is_ok());
        for (out, why) in [
            (root.clone(), "is the site's own folder"),
            (t.path().to_path_buf(), "contains the site's folder"),
            (root.join("content/x"), "inside the site's `content` folder"),
            (root.join("i18n"), "inside the site's `i18n` folder"),
            (root.join(".vetrina-cache/out"), "Vetrina's cache"),
            (root.join("public/.git"), "version-control folder (`.git`)"),
            (
                root.join("public/.Git/x"),
                "version-control folder (`.git`)",
            ),
            (t.path().join(".hg/x/.."), "version-control folder (`.hg`)"),
        ] {
            let r = check(&out).unwrap_err();
            assert!(r.message.contains(why), "{}: {}", out.display(), r.message);
        }
        // On disk: empty is fine, marked is fine, anything else is refused.
        let out = t.path().join("out");
        fs::create_dir(&out).unwrap();
        assert!(check(&out).is_ok());
        fs::write(out.join(".DS_Store"), "").unwrap();
        assert!(check(&out).unwrap_err().message.contains("did not make"));
        mark(&out).unwrap();
        assert!(check(&out).is_ok());
        fs::create_dir(out.join(".svn")).unwrap();
        assert!(check(&out).unwrap_err().message.contains("(`.svn`)"));
    }

    #[test]
    fn a_writer_touches_no_folder_that_is_not_vetrinas() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("o");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("important.txt"), "x").unwrap();
        for scope in [Scope::All, Scope::Only("search-index")] {
            assert!(Writer::begin(&out, scope).is_err());
        }
        assert_eq!(fs::read_dir(&out).unwrap().count(), 1);
        assert_eq!(
            fs::read_dir(t.path()).unwrap().count(),
            1,
            "no staging folder"
        );
    }

    #[test]
    fn writes_only_changes_and_removes_stale() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        let s = write(&out, &output(&[("index.html", "a"), ("x/index.html", "b")])).unwrap();
        assert_eq!((s.written, s.unchanged), (2, 0));
        let before = fs::metadata(out.join("index.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let s = write(&out, &output(&[("index.html", "a"), ("y/index.html", "c")])).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (1, 1, 1));
        let after = fs::metadata(out.join("index.html"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after, "an unchanged file must not be rewritten");
        assert!(!out.join("x").exists());
        assert_eq!(fs::read_to_string(out.join("y/index.html")).unwrap(), "c");
        let leftovers: Vec<_> = fs::read_dir(t.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folder is left behind");
    }

    /// A write of `files` into `out` through a `Writer`, as `vetrina build` does, with the
    /// files it says the output holds after it.
    fn write_listed(out: &Path, files: &[(&str, &str)]) -> Option<Listing> {
        let site = output(files);
        let mut w = Writer::begin(out, Scope::All).unwrap();
        w.stage_output(&site).unwrap();
        w.commit_listed(&site, None, None).unwrap().1
    }

    #[test]
    fn the_files_and_folders_left_after_a_write_are_listed_by_path() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        // A first write moves its staging folder into place: nothing walked, nothing listed.
        let first = [
            ("index.html", "a"),
            ("x/index.html", "bb"),
            ("x-y/a.css", "c"),
        ];
        assert_eq!(write_listed(&out, &first), None);
        // A file put there by hand and a page no longer wanted are removed, and not listed.
        fs::write(out.join("x/stray.txt"), "by hand").unwrap();
        let second = [
            ("index.html", "a"),
            ("x-y/a.css", "c"),
            ("x/z/index.html", "dddd"),
            ("x/index.html", "b"),
        ];
        let listed = write_listed(&out, &second).unwrap();
        assert!(!out.join("x/stray.txt").exists());
        // In the order of their paths as strings (`x-y/…` before `x/…`).
        let names: Vec<&str> = listed.files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            names,
            [
                MARKER,
                "index.html",
                "x-y/a.css",
                "x/index.html",
                "x/z/index.html",
            ]
        );
        let folders: Vec<&str> = listed.folders.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(folders, ["", "x", "x-y", "x/z"]);
        // Each with the size and time the disk gives.
        for (rel, len, time) in &listed.files {
            let m = fs::metadata(out.join(rel)).unwrap();
            let t = m.modified().unwrap();
            let t = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
            assert_eq!((*len, *time), (m.len(), t), "{rel}");
        }
        assert_eq!(listed.files[4].1, 4);
        // A folder the walk does not enter (a repository's): no listing, the record walks.
        fs::create_dir_all(out.join(".git")).unwrap();
        fs::write(out.join(".git/HEAD"), "ref").unwrap();
        assert_eq!(write_listed(&out, &second), None);
        assert!(out.join(".git/HEAD").exists());
    }

    #[test]
    fn a_write_given_up_after_staging_leaves_the_output_as_it_was() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        write(&out, &output(&[("index.html", "a"), ("x/index.html", "b")])).unwrap();
        let new = output(&[("index.html", "a"), ("x/index.html", "B"), ("y.html", "c")]);
        {
            let mut w = Writer::begin(&out, Scope::All).unwrap();
            w.stage_output(&new).unwrap();
            // Changed and new files are read from the staging folder, unchanged ones in place.
            assert_eq!(w.path_of("index.html"), out.join("index.html"));
            let staged = w.path_of("x/index.html");
            assert!(!staged.starts_with(&out));
            assert_eq!(fs::read_to_string(staged).unwrap(), "B");
            // Dropped without commit: as when the search index fails.
        }
        assert_eq!(fs::read_to_string(out.join("x/index.html")).unwrap(), "b");
        assert!(!out.join("y.html").exists());
        let leftovers: Vec<_> = fs::read_dir(t.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folder is left behind");

        let mut w = Writer::begin(&out, Scope::All).unwrap();
        w.stage_output(&new).unwrap();
        let s = w.commit(&new, None).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (2, 1, 0));
        assert_eq!(fs::read_to_string(out.join("x/index.html")).unwrap(), "B");
        assert_eq!(fs::read_to_string(out.join("y.html")).unwrap(), "c");
    }

    #[test]
    fn a_file_that_cannot_be_staged_is_named_in_the_error() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        let w = Writer::begin(&out, Scope::All).unwrap();
        // A folder name past what file systems allow (255 bytes) fails even for root.
        let rel = format!("notizie/{}/index.html", "x".repeat(300));
        let e = w.stage_one(&rel, b"page").unwrap_err();
        assert!(e.to_string().starts_with(&format!("{rel}: ")), "{e}");
        w.stage_one("notizie/ok/index.html", b"page").unwrap();
    }

    #[test]
    fn pages_staged_one_by_one_from_many_threads_are_committed_with_the_rest() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        write(&out, &output(&[("a/index.html", "0"), ("old.html", "x")])).unwrap();
        // As a build does it: each page staged from the thread that rendered it, its bytes
        // then dropped (the output keeps the path only), the other files staged after.
        let pages: Vec<(String, String)> = (0..64)
            .map(|i| (format!("p{i}/index.html"), format!("page {i}")))
            .chain([("a/index.html".to_string(), "0".to_string())])
            .collect();
        let mut new = output(&[("feed.xml", "f")]);
        let mut w = Writer::begin(&out, Scope::All).unwrap();
        pages
            .par_iter()
            .for_each(|(p, c)| w.stage_one(p, c.as_bytes()).unwrap());
        for (p, _) in &pages {
            new.files.push(OutFile::elsewhere(
                p.clone(),
                Held::Streamed,
                &Arc::new(Vec::new()),
            ));
        }
        w.stage_output(&new).unwrap();
        // Staged pages are read from the staging folder; the unchanged one stays in place.
        assert_eq!(w.path_of("a/index.html"), out.join("a/index.html"));
        assert_eq!(
            fs::read_to_string(w.path_of("p7/index.html")).unwrap(),
            "page 7"
        );
        assert!(
            !out.join("p7").exists(),
            "nothing is in place before commit"
        );
        let s = w.commit(&new, None).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (65, 1, 1));
        for i in [0, 31, 63] {
            let page = out.join(format!("p{i}/index.html"));
            assert_eq!(fs::read_to_string(page).unwrap(), format!("page {i}"));
        }
        assert_eq!(fs::read_to_string(out.join("feed.xml")).unwrap(), "f");
        assert!(!out.join("old.html").exists());
        let leftovers: Vec<_> = fs::read_dir(t.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folder is left behind");
    }
}
