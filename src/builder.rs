//! `vetrina serve`'s builder: the same site built again and again, each build taking from
//! the last what did not change (the files read, the model, the plan, the pictures, the
//! pages), and the search index, the slowest part, left to a `SearchJob` so that the pages
//! appear at once.

use std::path::PathBuf;
use std::sync::Arc;

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
}

/// The search index of a build whose pages are already written.
pub struct SearchJob {
    output: PathBuf,
    pages: write::Output,
    /// The plan whose indexable pages are indexed; none when the site has no search.
    plan: Option<Arc<Plan>>,
}

impl SearchJob {
    /// Indexes the pages and writes `search-index/`, leaving every other file alone. Returns the
    /// number of files written.
    pub fn run(self) -> Result<usize, String> {
        self.index(&|| false).map_err(|e| e.to_string())?.write()
    }

    /// Indexes the pages (the slow part, which touches nothing on disk). `cancelled` is
    /// asked between pages; when it answers true the work stops with `IndexError::Cancelled`.
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
        let files = if indexable.is_empty() {
            Vec::new()
        } else {
            let by_file: rustc_hash::FxHashMap<&str, &[u8]> = self
                .pages
                .files
                .iter()
                .map(|(p, b)| (p.as_str(), b.as_slice()))
                .collect();
            let files: Vec<String> = indexable.iter().map(|r| r.file()).collect();
            // A page taken from the last build is read back from the output folder (its
            // bytes are not kept in memory).
            let pages = indexable.iter().zip(&files).filter_map(|(&r, f)| {
                let page = if self.pages.kept.contains(f) {
                    search::Page::File(self.output.join(f))
                } else {
                    search::Page::Bytes(by_file.get(f.as_str())?)
                };
                Some((r, page))
            });
            search::index(pages, cancelled, true)?.0
        };
        Ok(SearchFiles {
            output: self.output,
            files,
        })
    }
}

/// A search index ready to be written.
pub struct SearchFiles {
    output: PathBuf,
    files: Vec<search::GeneratedFile>,
}

impl SearchFiles {
    /// Writes `search-index/`, leaving every other file alone; returns the files written.
    pub fn write(self) -> Result<usize, String> {
        let part = write::Output {
            files: self
                .files
                .into_iter()
                .map(|(p, b)| (p, Arc::new(b)))
                .collect(),
            ..Default::default()
        };
        write::write_scoped(
            &self.output,
            &part,
            write::Scope::Only(search::SEARCH_DIR),
            None,
        )
        .map(|s| s.written)
        .map_err(|e| format!("cannot write the search index: {e}"))
    }
}

impl Builder {
    pub fn new(opts: BuildOptions) -> Self {
        Builder {
            opts,
            memo: Memo::default(),
        }
    }

    /// Builds and writes the pages; the search index is returned as work to do next.
    pub fn build_pages(&mut self) -> (Report, Option<SearchJob>) {
        let (report, pages) = pipeline::run(&self.opts, Mode::Pages, Some(&mut self.memo));
        let job = pages.map(|p| SearchJob {
            output: self.opts.output_dir(),
            pages: p.output,
            plan: p.plan,
        });
        (report, job)
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
