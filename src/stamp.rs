//! The no-change rebuild: `vetrina build` remembers what its last successful build read and
//! wrote, and when nothing has changed since, it does nothing.
//!
//! "Nothing changed" means all of: the same Vetrina executable, the same options (output,
//! base URL, drafts, build date, minify), the same source files (every file of `content/`,
//! `data/`, `themes/` and `site.yaml`, by path, size and modification time), and an output
//! folder holding exactly the files the last build left there, each with the size and
//! modification time it had then. Any difference, or any doubt (no record, an unreadable
//! file), means a full build. A build that reported warnings is never skipped, so that its
//! warnings (a story taken down, say) are shown every time.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::BuildOptions;

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

/// The running program, as its path, size and modification time: what a build keeps for
/// the next one is never trusted by another build of Vetrina.
pub fn program() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let (len, time) = file_key(&exe)?;
    Some(format!("{}|{len}|{time}|", exe.display()))
}

/// The hash of everything a build reads; `None` if something cannot be read.
pub fn inputs(
    opts: &BuildOptions,
    today: jiff::civil::Date,
    minify: Option<bool>,
) -> Option<String> {
    let mut h = blake3::Hasher::new();
    h.update(program()?.as_bytes());
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
    h.update(format!("site.yaml|{len}|{time}|").as_bytes());
    for part in ["content", "data", "themes"] {
        let dir = root.join(part);
        if !dir.exists() {
            continue;
        }
        // Walked and looked at on every core (44,000 texts and their folders at 10,000
        // stories), hashed in the order of a sorted walk.
        let entries = crate::load::walk_sorted(&dir, true, 2);
        let keys: Vec<Option<(u64, u128)>> = entries
            .par_iter()
            .map(|e| file_key(e.as_ref().ok()?.path()))
            .collect();
        for (e, key) in entries.iter().zip(keys) {
            let e = e.as_ref().ok()?;
            let (len, time) = key?;
            h.update(e.path().to_string_lossy().as_bytes());
            h.update(format!("|{}|{len}|{time}|", e.file_type().is_dir()).as_bytes());
        }
    }
    Some(h.finalize().to_hex().to_string())
}

/// Every file under `output`, with its size and time, sorted.
fn listing(output: &Path) -> Option<Vec<(String, u64, u128)>> {
    // As `inputs`: every language's folder walked on its own core.
    let entries = crate::load::walk_sorted(output, false, 1);
    entries
        .par_iter()
        .filter(|e| e.as_ref().map_or(true, |e| e.file_type().is_file()))
        .map(|e| {
            let e = e.as_ref().ok()?;
            let rel = e.path().strip_prefix(output).ok()?;
            let (len, time) = file_key(e.path())?;
            Some((rel.to_string_lossy().into_owned(), len, time))
        })
        .collect()
}

/// In the site's own cache folder, even when pictures are cached elsewhere (several sites
/// may share a picture cache, never a record).
fn path(opts: &BuildOptions) -> PathBuf {
    opts.root.join(".vetrina-cache").join("last-build.json")
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

/// Remembers a successful build without warnings; forgets any record otherwise.
pub fn save(opts: &BuildOptions, inputs: Option<String>, pages: &[(String, usize)]) {
    let p = path(opts);
    let _ = fs::remove_file(&p);
    let (Some(inputs), Some(outputs)) = (inputs, listing(&opts.output_dir())) else {
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
