//! `vetrina serve`'s builder: the same site built again and again, each build taking from
//! the last what did not change (the files read, the model, the plan, the pictures, the
//! pages), and the search index, the slowest part, left to a `SearchJob` so that the pages
//! appear at once.

use std::fs;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rustc_hash::FxHashMap;

use crate::options::BuildOptions;
use crate::pipeline::{self, Memo, Mode};
use crate::plan::{Plan, Route};
use crate::report::Report;
use crate::search;
use crate::write;

/// Builds the same site again and again (`vetrina serve`).
pub struct Builder {
    pub opts: BuildOptions,
    memo: Memo,
    /// What the last search index written took from its pages, for the next one.
    search: Arc<Mutex<SearchMemo>>,
}

/// What the last search index this builder wrote took from its pages (the memo from which
/// the next index takes every page whose bytes did not change, as `vetrina build` takes them
/// from its cache folder), and the index files it left in the output, each with its length
/// and time then, to tell that they are still as it wrote them.
#[derive(Default)]
struct SearchMemo {
    body: Option<search::memo::MemoBody>,
    files: Vec<(String, u64, Option<SystemTime>)>,
}

/// The search index of a build whose pages are already written.
pub struct SearchJob {
    output: PathBuf,
    /// The plan whose indexable pages are indexed; none when the site has no search.
    plan: Option<Arc<Plan>>,
    /// The hash of each indexable page's bytes as the build left them, by address: filled
    /// by [`Builder::ready`].
    published: FxHashMap<String, blake3::Hash>,
    memo: Arc<Mutex<SearchMemo>>,
}

impl SearchJob {
    /// Indexes the pages (the slow part, which touches nothing on disk). `cancelled` is
    /// asked between pages; when it answers true the work stops with `IndexError::Cancelled`.
    ///
    /// A page whose bytes are those the last index took it from is taken from that index's
    /// memo; the others are read back from the output folder and taken apart, so that after
    /// an edit only the pages rendered again are. A language none of whose pages changed
    /// keeps its files as they are.
    pub fn index(
        self,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Result<SearchFiles, search::IndexError> {
        // Chosen here, on the job's thread, rather than by the build the page waits for.
        let indexable: Vec<&Route> = self
            .plan
            .as_deref()
            .map(|p| pipeline::indexable_routes(p).collect())
            .unwrap_or_default();
        if indexable.is_empty() {
            return Ok(SearchFiles {
                output: self.output,
                files: Vec::new(),
                staged: None,
                kept: Vec::new(),
                body: None,
                memo: self.memo,
                pages: 0,
                recalled: 0,
            });
        }
        let (past, untouched) = {
            let last = self.memo.lock().unwrap_or_else(|e| e.into_inner());
            let past = last.body.as_ref().and_then(search::memo::Past::of);
            let untouched = (last.files.iter())
                .filter(|(path, len, time)| {
                    fs::symlink_metadata(self.output.join(path))
                        .is_ok_and(|m| m.is_file() && m.len() == *len && m.modified().ok() == *time)
                })
                .map(|(path, _, _)| path.clone())
                .collect();
            (past, untouched)
        };
        let mut indexer = search::Indexer::new(indexable.iter().copied()).remembering();
        indexer.recall(past, self.published, untouched);
        // Each language's files are staged beside the output as soon as they are made, so
        // that only one language's are held at a time (at 10,000 stories, some 25 MB
        // each); the output is untouched until `SearchFiles::write`.
        let writer = write::Writer::begin(&self.output, write::Scope::Only(search::SEARCH_DIR))
            .map_err(|e| {
                search::IndexError::Failed(format!("cannot write the search index: {e}"))
            })?;
        // A file the writer could not stage keeps its bytes: the write tries it again and
        // says why it failed.
        let sink = |path: &str, bytes: &[u8]| writer.stage_one(path, bytes).is_ok();
        let output = &self.output;
        let (files, stats) = indexer.finish(
            &|route: &Route| search::Page::File(output.join(route.file())),
            cancelled,
            true,
            Some(&sink),
        )?;
        Ok(SearchFiles {
            output: self.output,
            files,
            staged: Some((writer, stats.streamed.into_iter().collect())),
            kept: stats.kept,
            body: stats.memo,
            memo: self.memo,
            pages: indexable.len(),
            recalled: stats.recalled,
        })
    }
}

/// A search index ready to be written.
pub struct SearchFiles {
    output: PathBuf,
    files: Vec<search::GeneratedFile>,
    /// The write under way, and the files of `files` it has staged already (their bytes
    /// let go of).
    staged: Option<(write::Writer<'static>, rustc_hash::FxHashSet<String>)>,
    /// The last index's files of the languages none of whose pages changed: in the output
    /// as they are.
    kept: Vec<String>,
    /// What this index took from its pages, for the next one.
    body: Option<search::memo::MemoBody>,
    memo: Arc<Mutex<SearchMemo>>,
    pages: usize,
    recalled: usize,
}

impl SearchFiles {
    /// How many pages the index holds.
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// How many of them were taken from the last index rather than read and taken apart.
    pub fn pages_recalled(&self) -> usize {
        self.recalled
    }

    /// Writes `search-index/`, leaving every other file alone (and the files kept as they
    /// are); returns the files written. The index is then the one the next takes its
    /// unchanged pages from.
    pub fn write(self) -> Result<usize, String> {
        let mut last = self.memo.lock().unwrap_or_else(|e| e.into_inner());
        // Until the files are written, no index is known to be in the output.
        *last = SearchMemo::default();
        let none: write::Bytes = Arc::new(Vec::new());
        let mut paths: Vec<String> = self.files.iter().map(|(p, _)| p.clone()).collect();
        paths.extend(self.kept.iter().cloned());
        let (writer, streamed) = match self.staged {
            Some((w, streamed)) => (Ok(w), streamed),
            None => (
                write::Writer::begin(&self.output, write::Scope::Only(search::SEARCH_DIR)),
                Default::default(),
            ),
        };
        let part = write::Output {
            files: (self.files.into_iter())
                .map(|(p, b)| {
                    if streamed.contains(&p) {
                        write::OutFile::elsewhere(p, write::Held::Streamed, &none)
                    } else {
                        write::OutFile::here(p, Arc::new(b))
                    }
                })
                .chain(
                    (self.kept.into_iter())
                        .map(|p| write::OutFile::elsewhere(p, write::Held::Kept, &none)),
                )
                .collect(),
            ..Default::default()
        };
        let written = writer
            .and_then(|mut w| {
                w.stage_output(&part)?;
                w.commit(&part, None)
            })
            .map(|s| s.written)
            .map_err(|e| format!("cannot write the search index: {e}"))?;
        // Files that cannot be looked at are left out: the next index makes them again.
        last.files = (paths.into_iter())
            .filter_map(|p| {
                let m = fs::symlink_metadata(self.output.join(&p)).ok()?;
                Some((p, m.len(), m.modified().ok()))
            })
            .collect();
        last.body = self.body;
        Ok(written)
    }
}

impl Builder {
    pub fn new(opts: BuildOptions) -> Self {
        Builder {
            opts,
            memo: Memo::default(),
            search: Arc::default(),
        }
    }

    /// Builds and writes the pages; the search index is returned as work to do next.
    pub fn build_pages(&mut self) -> (Report, Option<SearchJob>) {
        let (mut report, mut pages) = pipeline::run(&self.opts, Mode::Pages, Some(&mut self.memo));
        // A text read again that is no longer the one it was (its file changed after the
        // watcher last looked): the build is made again with those files read anew, so that
        // no page is left made from a text that was not the file's.
        let changed = self.memo.late.take_changed();
        if !changed.is_empty() {
            self.forget(Some(&changed));
            (report, pages) = pipeline::run(&self.opts, Mode::Pages, Some(&mut self.memo));
            let again = self.memo.late.take_changed();
            if !again.is_empty() {
                self.forget(Some(&again));
            }
        }
        self.memo.release_texts(&self.opts.root);
        // The pages' bytes are let go of here: the index reads the few it needs back.
        let job = pages.map(|p| SearchJob {
            output: self.opts.output_dir(),
            plan: p.plan,
            published: FxHashMap::default(),
            memo: self.search.clone(),
        });
        (report, job)
    }

    /// Makes `job`, of this builder's last build, ready to run: the hash of each of its
    /// pages as that build left them. Call it before the next build (under the same lock),
    /// on the job's thread rather than in the build the page waits for.
    pub fn ready(&self, job: &mut SearchJob) {
        let Some(plan) = job.plan.as_deref() else {
            return;
        };
        job.published = pipeline::indexable_routes(plan)
            .filter_map(|r| Some((r.path.clone(), self.memo.written.digest(r.file())?)))
            .collect();
    }

    /// Forgets what was read from these files (relative to the site folder), changed
    /// according to the file watcher, so that they are read again whatever their times say;
    /// `None`: forget every file (events were lost).
    pub fn forget(&mut self, changed: Option<&[PathBuf]>) {
        match changed {
            Some(rels) => {
                let paths: Vec<PathBuf> = rels.iter().map(|r| self.opts.root.join(r)).collect();
                self.memo.images.retain(|p, _| !paths.contains(p));
                self.memo.load.changed_only(paths);
            }
            None => {
                self.memo.load = Default::default();
                self.memo.images.clear();
            }
        }
    }

    /// How many of the site's texts the builder holds between two builds: none after a
    /// build (`pipeline::Memo::release_texts`).
    pub fn texts_held(&self) -> usize {
        self.memo.load.texts_held()
    }

    /// Pages taken from the previous build by the last one.
    pub fn pages_reused(&self) -> usize {
        self.memo.render.reused
    }

    /// Pages whose template context the last build had to build (the others were taken as
    /// they were).
    pub fn contexts_built(&self) -> usize {
        self.memo.render.contexts_built
    }
}
