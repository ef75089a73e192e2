//! `vetrina serve`'s write: pages staged as they are rendered, then everything moved into
//! place, with a manifest of what this process last wrote (see [`PageWrite`]).

use std::collections::HashSet;
use std::io;
use std::path::Path;

use rayon::prelude::*;

use super::{Held, Manifest, Output, Scope, Want, WriteStats, Writer};

/// `vetrina serve`'s write of one build, in two steps: each page staged from the thread
/// that rendered it as soon as it is rendered (`stage_page`), so that the pages of a large
/// first build are never all held in memory; then the other files staged and everything
/// moved into place (`finish`), and the manifest brought up to date. A file whose digest is
/// the manifest's is neither compared with the disk nor written. Until `finish`, the output
/// is untouched; dropped without it, the write removes what it staged.
pub struct PageWrite<'a> {
    writer: Writer<'a>,
    /// Whether the manifest describes the output (it has files, and the output is there).
    known: bool,
    /// The digests of the pages handed to `stage_page`, by path in the output.
    staged: std::sync::Mutex<Vec<(String, blake3::Hash)>>,
}

impl<'a> PageWrite<'a> {
    /// Starts a write into `output` (the part of it that `scope` owns), `manifest` being
    /// that of this process's last write.
    pub fn begin(output: &Path, scope: Scope<'a>, manifest: &Manifest) -> io::Result<Self> {
        let known = !manifest.files.is_empty() && output.is_dir();
        Ok(PageWrite {
            writer: Writer::begin(output, scope)?,
            known,
            staged: Default::default(),
        })
    }

    /// Stages a page now (from any thread), unless `manifest` (the one `begin` was given)
    /// says the output holds these very bytes.
    pub fn stage_page(&self, rel: &str, bytes: &[u8], manifest: &Manifest) -> io::Result<()> {
        let digest = blake3::hash(bytes);
        if !(self.known && manifest.files.get(rel) == Some(&digest)) {
            self.writer.stage_one(rel, bytes)?;
        }
        (self.staged.lock().unwrap_or_else(|e| e.into_inner())).push((rel.to_string(), digest));
        Ok(())
    }

    /// Stages the files of `out` not staged yet, moves everything into place, removes what
    /// the site no longer has, and makes `manifest` that of this write (emptied if it fails).
    pub fn finish(self, out: &Output, manifest: &mut Manifest) -> io::Result<WriteStats> {
        let result = self.finish_inner(out, manifest);
        if result.is_err() {
            *manifest = Manifest::default();
        }
        result
    }

    fn finish_inner(self, out: &Output, manifest: &mut Manifest) -> io::Result<WriteStats> {
        let PageWrite {
            mut writer,
            known,
            staged,
        } = self;
        let staged: rustc_hash::FxHashMap<String, blake3::Hash> = staged
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .collect();
        // The digest of each generated file (a kept file keeps the one it was written with).
        let digests: Vec<Option<blake3::Hash>> = (out.files.par_iter())
            .map(|f| {
                (f.held != Held::Kept).then(|| {
                    (staged.get(&f.path).copied()).unwrap_or_else(|| blake3::hash(&f.bytes))
                })
            })
            .collect();
        let known = known.then_some(&*manifest);
        writer.stage(
            (out.files.iter().zip(&digests))
                .filter(|(f, d)| {
                    // Written by this process last time, with the same bytes: nothing to do.
                    f.held != Held::Kept
                        && !staged.contains_key(&f.path)
                        && !known.is_some_and(|k| d.is_some() && k.files.get(&f.path) == d.as_ref())
                })
                .map(|(f, _)| (f.path.as_str(), Want::Bytes(&f.bytes)))
                .chain(out.copies.iter().map(|(p, s)| (p.as_str(), Want::Copy(s)))),
        )?;
        let stats = writer.commit(out, known)?;
        for (f, d) in out.files.iter().zip(&digests) {
            if let Some(d) = d {
                match manifest.files.get_mut(&f.path) {
                    Some(old) => *old = *d,
                    None => {
                        manifest.files.insert(f.path.clone(), *d);
                    }
                }
            }
        }
        if manifest.files.len() != out.files.len() {
            let wanted: HashSet<&str> = out.files.iter().map(|f| f.path.as_str()).collect();
            manifest.files.retain(|p, _| wanted.contains(p.as_str()));
        }
        manifest.copies = out.copies.iter().map(|(p, _)| p.clone()).collect();
        Ok(stats)
    }
}
