//! Vetrina: a static-site generator for the results of EU-co-funded migrant work-integration
//! projects.
//!
//! The data flows one way: `load` (read the site) → `model` (typed, validated `Site`) →
//! `plan` (URLs and routes) → `render` (bytes per route) → `write` (output tree). `build`
//! runs all five; `check` runs all but the last. Errors are collected, never thrown: one run
//! reports every problem of a site.
#![forbid(unsafe_code)]

pub mod consents;
pub mod diag;
mod images;
mod load;
mod model;
mod plan;
mod render;
pub mod scaffold;
pub mod serve;
mod stamp;
pub mod takedown;
pub mod translations;
mod weburl;
mod write;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use diag::{Diagnostic, Diagnostics, Severity};
pub use jiff::civil::Date;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holding site.yaml).
    pub root: PathBuf,
    /// The output folder; `public/` inside the site by default. It must be new, empty, or
    /// one that Vetrina made (it carries a `.vetrina-output` marker): see `write::check_output`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of site.yaml (for a preview or staging host).
    pub base_url: Option<String>,
    /// Publish drafts too.
    pub drafts: bool,
    /// The build date; today by default. Consent expiry and upcoming/past events use it.
    pub today: Option<Date>,
    /// Where processed pictures are kept between builds; `.vetrina-cache/` in the site.
    pub cache_dir: Option<PathBuf>,
    /// Overrides `minify` of site.yaml (tests read unminified pages).
    pub minify: Option<bool>,
    /// Overrides `search` of site.yaml (`vetrina build --no-search`).
    pub search: Option<bool>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            today: None,
            cache_dir: None,
            minify: None,
            search: None,
        }
    }

    /// Where processed pictures and search indexes are kept between builds.
    pub fn cache_path(&self) -> PathBuf {
        self.cache_dir
            .clone()
            .unwrap_or_else(|| self.root.join(".vetrina-cache"))
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// A story that was left out because its consent expired or was withdrawn.
#[derive(Debug, Clone)]
pub struct TakenDownStory {
    pub key: String,
    pub file: PathBuf,
    pub reason: String,
}

/// What a build or check did.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Diagnostics,
    /// Pages rendered per language, in the site's language order.
    pub pages: Vec<(String, usize)>,
    pub files_written: usize,
    pub files_unchanged: usize,
    pub files_removed: usize,
    /// Pictures decoded and resized in this build, and pictures taken from the cache.
    pub images_processed: usize,
    pub images_reused: usize,
    pub taken_down: Vec<TakenDownStory>,
    /// Pages in the search index per language, and the time the index took.
    pub search_pages: Vec<(String, usize)>,
    pub search_urls: Vec<String>,
    pub search_elapsed: Duration,
    /// Pages not rendered: their context was the same as in the last build, and the output
    /// folder still held what that build published.
    pub pages_kept: usize,
    /// Nothing changed since the last build (same sources, options and output): nothing was
    /// done.
    pub nothing_changed: bool,
    pub elapsed: Duration,
}

impl Report {
    pub fn ok(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}

/// The build date: `VETRINA_NOW` (YYYY-MM-DD) if set, for reproducible builds, else today.
pub fn today_from_env() -> Result<Date, String> {
    match std::env::var("VETRINA_NOW") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .get(..10)
            .unwrap_or(v.trim())
            .parse::<Date>()
            .map_err(|e| format!("VETRINA_NOW=`{v}` is not a date (YYYY-MM-DD): {e}")),
        _ => Ok(jiff::ZonedDateTime::now().date()),
    }
}

/// Builds the site and writes it, unless there are errors: then nothing is written.
pub fn build(opts: &BuildOptions) -> Report {
    run(opts, Mode::Build, None).0
}

/// Everything `build` checks, without writing anything.
pub fn check(opts: &BuildOptions) -> Report {
    run(opts, Mode::Check, None).0
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Build,
    Check,
    /// Write the pages now and leave the search index to a `SearchJob`.
    Pages,
}

/// Builds the same site again and again (`vetrina serve`): pages whose inputs did not change
/// are taken from the previous build instead of rendered, and the search index, the slowest
/// part, is built afterwards by a `SearchJob` so that the pages appear at once.
pub struct Builder {
    pub opts: BuildOptions,
    memo: Memo,
}

/// What a `Builder` keeps from one build to the next.
#[derive(Default)]
struct Memo {
    load: load::Memo,
    model: model::Memo,
    images: images::Memo,
    /// The plan of the last site, by the site's fingerprint, and what planning reported.
    plan: Option<(blake3::Hash, Arc<plan::Plan>, Diagnostics)>,
    render: render::RenderCache,
    written: write::Manifest,
}

/// The search index of a build whose pages are already written.
pub struct SearchJob {
    output: PathBuf,
    out: render::Output,
}

impl SearchJob {
    /// Indexes the pages and writes `search-index/`, leaving every other file alone. Returns the
    /// number of files written.
    pub fn run(self) -> Result<usize, String> {
        self.index(&|| false)?.write()
    }

    /// Indexes the pages (the slow part, which touches nothing on disk). `cancelled` is
    /// asked between pages; when it answers true the work stops with an error.
    pub fn index(self, cancelled: &(dyn Fn() -> bool + Sync)) -> Result<SearchFiles, String> {
        let (files, _) = self.out.search_index(cancelled, true)?;
        Ok(SearchFiles {
            output: self.output,
            files,
        })
    }
}

/// A search index ready to be written.
pub struct SearchFiles {
    output: PathBuf,
    files: Vec<render::GeneratedFile>,
}

impl SearchFiles {
    /// Writes `search-index/`, leaving every other file alone; returns the files written.
    pub fn write(self) -> Result<usize, String> {
        let part = render::Output {
            files: self
                .files
                .into_iter()
                .map(|(p, b)| (p, std::sync::Arc::new(b)))
                .collect(),
            ..Default::default()
        };
        write::write_scoped(
            &self.output,
            &part,
            write::Scope::Only(render::SEARCH_DIR),
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
        let (report, out) = run(&self.opts, Mode::Pages, Some(&mut self.memo));
        let job = out.map(|out| SearchJob {
            output: self.opts.output_dir(),
            out,
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

/// The translation status of every page and language; `None` if the site has errors that
/// stop it from being read (they are in the report's diagnostics).
pub fn translations(opts: &BuildOptions) -> (Report, Option<translations::TranslationReport>) {
    let (mut report, site) = read_model(opts);
    let Some(site) = site else {
        return (report, None);
    };
    let t = translations::report(&site, &opts.root, &mut report.diagnostics);
    (report, Some(t))
}

/// The site read and validated, without its theme, for the reports (`translations`,
/// `consents`, `takedown`): `None` only if it cannot be read at all; errors elsewhere in the
/// site are in the report.
fn read_model(opts: &BuildOptions) -> (Report, Option<model::Site>) {
    let mut report = Report::default();
    let diags = &mut report.diagnostics;
    let today = opts
        .today
        .unwrap_or_else(|| today_from_env().unwrap_or(jiff::civil::date(2000, 1, 1)));
    let sources = load::load(&opts.root, diags, None);
    let config = model::config(&sources, diags);
    // Not used by the reports, but its problems are reported as a build reports them.
    if let Some(c) = &config {
        load::theme(&opts.root, c.theme_name(), sources.config.as_ref(), diags);
    }
    let mopts = model::ModelOptions {
        drafts: opts.drafts,
        base_url: opts.base_url.clone(),
        today,
        search: opts.search,
    };
    let site = config.and_then(|c| model::build(sources, c, &mopts, diags, None));
    (report, site)
}

/// With `VETRINA_TIMINGS` set, prints how long each phase of a build took (for profiling).
struct Phases {
    on: bool,
    last: Instant,
    /// The process's CPU time (all threads, user and system) at the last phase's end.
    cpu: Option<Duration>,
}

impl Phases {
    fn new() -> Self {
        Phases {
            on: std::env::var_os("VETRINA_TIMINGS").is_some(),
            last: Instant::now(),
            cpu: process_cpu(),
        }
    }
    fn done(&mut self, phase: &str) {
        if self.on {
            let cpu = process_cpu();
            let used = match (cpu, self.cpu) {
                (Some(now), Some(then)) => {
                    format!(
                        "  {:>7.0} ms CPU",
                        (now.saturating_sub(then)).as_secs_f64() * 1e3
                    )
                }
                _ => String::new(),
            };
            let memory = process_memory()
                .map(|(rss, peak)| format!("  {:>5} MiB, peak {:>5} MiB", rss >> 10, peak >> 10))
                .unwrap_or_default();
            eprintln!(
                "  {phase:<8} {:>7.1} ms{used}{memory}",
                self.last.elapsed().as_secs_f64() * 1e3
            );
            self.cpu = cpu;
        }
        self.last = Instant::now();
    }
}

/// The process's resident memory now and at its peak so far, in KiB, from
/// `/proc/self/status` (Linux): for `VETRINA_TIMINGS`.
fn process_memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// The CPU time of the whole process so far, from `/proc/self/stat` (Linux; in the kernel's
/// clock ticks, taken as the usual 100 a second): a rough figure for `VETRINA_TIMINGS`.
fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command's name, which is in parentheses and may hold spaces.
    let mut fields = stat.get(stat.rfind(')')? + 2..)?.split(' ');
    // utime and stime are fields 14 and 15 of the line; the state is field 3.
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

fn run(
    opts: &BuildOptions,
    mode: Mode,
    mut memo: Option<&mut Memo>,
) -> (Report, Option<render::Output>) {
    let write_output = mode != Mode::Check;
    let started = Instant::now();
    let mut phases = Phases::new();
    let mut report = Report::default();
    let diags = &mut report.diagnostics;
    let output = opts.output_dir();
    // Before anything is written or deleted: the output folder must be Vetrina's alone.
    if write_output && let Err(r) = write::check_output(&opts.root, &output, &opts.cache_path()) {
        diags.file_error(&output, r.message, r.help);
        return (report, None);
    }
    let today = match opts.today {
        Some(d) => d,
        None => match today_from_env() {
            Ok(d) => d,
            Err(e) => {
                diags.file_error(
                    Path::new("VETRINA_NOW"),
                    e,
                    "unset it or write a date like 2026-11-25",
                );
                return (report, None);
            }
        },
    };
    let stamp = if mode == Mode::Build {
        stamp::inputs(opts, today, opts.minify)
    } else {
        stamp::forget(opts);
        None
    };
    phases.done("inputs");
    if let Some(s) = &stamp
        && let Some(rec) = stamp::unchanged(opts, s)
    {
        report.files_unchanged = rec.files();
        report.pages = rec.pages;
        report.nothing_changed = true;
        report.elapsed = started.elapsed();
        phases.done("unchanged");
        return (report, None);
    }
    let sources = load::load(&opts.root, diags, memo.as_deref_mut().map(|m| &mut m.load));
    // site.yaml first: it names the theme.
    let config = model::config(&sources, diags);
    let theme = match &config {
        Some(c) => load::theme(&opts.root, c.theme_name(), sources.config.as_ref(), diags),
        None => load::Theme::default(),
    };
    phases.done("load");
    let mopts = model::ModelOptions {
        drafts: opts.drafts,
        base_url: opts.base_url.clone(),
        today,
        search: opts.search,
    };
    let model_memo = memo.as_deref_mut().map(|m| &mut m.model);
    let Some(site) = config.and_then(|c| model::build(sources, c, &mopts, diags, model_memo))
    else {
        report.elapsed = started.elapsed();
        return (report, None);
    };
    phases.done("model");
    if theme.templates.is_empty() && diags.has_errors() {
        // No theme could be read (its error is reported): every page would only add an error
        // about a missing template.
        report.elapsed = started.elapsed();
        return (report, None);
    }
    report.taken_down = site
        .taken_down
        .iter()
        .map(|t| TakenDownStory {
            key: t.key.clone(),
            file: t.file.clone(),
            reason: t.reason.clone(),
        })
        .collect();
    // The pictures of stories taken down: their processed copies leave the cache once the
    // build that drops the story is published (the right to erasure reaches copies too).
    let gone_pictures: Vec<load::Asset> = site
        .taken_down
        .iter()
        .flat_map(|t| t.assets.iter().cloned())
        .collect();
    let prints = memo
        .as_deref()
        .map(|m| render::site_prints(&site, &m.render));
    let plan = match (memo.as_deref_mut(), &prints) {
        (Some(m), Some(p)) => match &m.plan {
            Some((h, plan, d)) if *h == p.meta => {
                diags.extend(d.clone());
                plan.clone()
            }
            _ => {
                let mut d = Diagnostics::new();
                let plan = Arc::new(plan::plan(&site, &mut d));
                m.plan = Some((p.meta, plan.clone(), d.clone()));
                diags.extend(d);
                plan
            }
        },
        _ => Arc::new(plan::plan(&site, diags)),
    };
    phases.done("plan");
    for l in &site.langs {
        let n = plan.routes.iter().filter(|r| r.lang == l.code).count();
        report.pages.push((l.code.clone(), n));
    }
    let cache = opts.cache_path();
    let pictures = images::process(
        &opts.root,
        &cache,
        &site.assets,
        write_output,
        diags,
        memo.as_deref_mut().map(|m| &mut m.images),
    );
    report.images_processed = pictures.processed;
    report.images_reused = pictures.reused;
    phases.done("images");
    let minify = opts.minify.or(site.config.minify).unwrap_or(true);
    let render_cache = memo.as_deref_mut().map(|m| &mut m.render);
    // `vetrina build` takes the pages whose context has not changed since the last build
    // from the output folder (`vetrina serve` keeps its own cache in memory).
    let mut ledger = (mode == Mode::Build && write_output)
        .then(|| render::ledger::Ledger::open(&cache, &output));
    // `vetrina build` stages each page beside the output as soon as it is rendered and lets
    // go of its bytes; the search index reads them back from there (the memory of a large
    // site goes to the search index, not to holding every page). Nothing is in place before
    // everything is ready, and a build that fails removes what it staged.
    let mut writer = None;
    if mode == Mode::Build && write_output && !diags.has_errors() {
        match write::Writer::begin(&output, write::Scope::All) {
            Ok(w) => writer = Some(w),
            Err(e) => cannot_write(diags, &output, e),
        }
    }
    let write_error: std::sync::Mutex<Option<std::io::Error>> = Default::default();
    let stage_page = |rel: &str, bytes: &[u8]| match &writer {
        Some(w) => match w.stage_one(rel, bytes) {
            Ok(()) => true,
            Err(e) => {
                write_error
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get_or_insert(e);
                false
            }
        },
        None => false,
    };
    let mut out = render::render(
        &site,
        plan.clone(),
        &theme,
        &pictures,
        minify,
        render_cache,
        prints,
        ledger.as_mut(),
        writer.is_some().then_some(&stage_page),
        diags,
    );
    report.pages_kept = out.kept.len();
    phases.done("render");
    // What the pages were made from is no longer needed: let go of it before the search
    // index, which is where a large build's memory goes.
    drop((site, theme, pictures, plan));
    if let Some(e) = write_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        cannot_write(diags, &output, e);
    }
    if let Some(mut w) = writer.filter(|_| !diags.has_errors()) {
        // The files not staged while rendering: feeds, calendars, sitemap, static files.
        let staged = w.stage_output(&out).map(|()| w);
        phases.done("stage");
        match staged {
            Err(e) => cannot_write(diags, &output, e),
            Ok(mut w) => {
                out.release_bytes();
                let search = out.search_index_from_files(&|rel| w.path_of(rel));
                if !out.indexable.is_empty() {
                    phases.done("search");
                }
                match search {
                    Ok((files, stats)) => {
                        report.search_pages = stats.pages.clone();
                        report.search_urls = stats.urls.clone();
                        report.search_elapsed = stats.elapsed;
                        let files: Vec<(String, render::Bytes)> =
                            files.into_iter().map(|(p, b)| (p, Arc::new(b))).collect();
                        // Files of titles staged while rendering are not staged again.
                        let streamed: std::collections::HashSet<&str> =
                            stats.streamed.iter().map(String::as_str).collect();
                        let rest: Vec<(String, render::Bytes)> = files
                            .iter()
                            .filter(|(p, _)| !streamed.contains(p.as_str()))
                            .cloned()
                            .collect();
                        let written = w.stage_files(&rest).and_then(|()| {
                            out.files.extend(files);
                            out.streamed.extend(stats.streamed.iter().cloned());
                            w.commit(&out, None)
                        });
                        match written {
                            Ok(s) => {
                                report.files_written = s.written;
                                report.files_unchanged = s.unchanged;
                                report.files_removed = s.removed;
                                // Not kept, the next build renders every page: slower,
                                // never wrong.
                                if let Some(l) = &ledger {
                                    let _ = l.save();
                                }
                                takedown::purge_cache(&cache, &gone_pictures);
                            }
                            Err(e) => cannot_write(diags, &output, e),
                        }
                    }
                    Err(e) => diags.file_error(
                        Path::new("site.yaml"),
                        format!("the search index could not be built: {e}"),
                        "this is a fault in Vetrina, please report it; meanwhile `search: false` in site.yaml builds the site without search",
                    ),
                }
                phases.done("write");
            }
        }
    }
    let diags = &mut report.diagnostics;
    if mode == Mode::Pages && write_output && !diags.has_errors() {
        let scope = write::Scope::Except(render::SEARCH_DIR);
        match write::write_scoped(&output, &out, scope, memo.map(|m| &mut m.written)) {
            Ok(s) => {
                report.files_written = s.written;
                report.files_unchanged = s.unchanged;
                report.files_removed = s.removed;
            }
            Err(e) => cannot_write(diags, &output, e),
        }
        phases.done("write");
    }
    if mode == Mode::Build {
        if report.diagnostics.sorted().is_empty() {
            stamp::save(opts, stamp, &report.pages);
        } else {
            stamp::forget(opts);
        }
        phases.done("record");
    }
    report.elapsed = started.elapsed();
    let ok = !report.diagnostics.has_errors();
    (report, (mode == Mode::Pages && ok).then_some(out))
}

fn cannot_write(diags: &mut Diagnostics, output: &Path, e: std::io::Error) {
    diags.file_error(
        output,
        format!("cannot write the site: {e}; the previous output is unchanged"),
        "check that the disk has space and that you may write to the output folder",
    );
}
