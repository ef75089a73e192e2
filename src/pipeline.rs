//! The pipeline: load → model → plan → images → render → write, with the search index fed
//! beside the writer. Every command that builds (`build`, `check`, `serve`'s rebuilds) runs
//! this one function; what differs is the `Mode` and whether earlier work is kept (`Memo`).
//!
//! Errors are collected, never thrown: each stage reports into the build's diagnostics and
//! the next runs on what is valid, so that one run reports every problem; nothing is
//! written unless the whole build succeeded.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::diag::Diagnostics;
use crate::images::Pictures;
use crate::load::{self, Theme};
use crate::model::{self, Site};
use crate::options::{BuildOptions, today_from_env};
use crate::plan::{self, Plan, Route};
use crate::render::{self, PageSink, RenderContext, Reuse};
use crate::report::{Report, TakenDownStory};
use crate::search;
use crate::timings::Phases;
use crate::{images, stamp, write};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Render and write everything, the search index too (`vetrina build`).
    Build,
    /// Everything `Build` checks, without writing anything.
    Check,
    /// Write the pages now and leave the search index to a `SearchJob` (`vetrina serve`).
    Pages,
}

/// What `vetrina serve`'s builder keeps from one build to the next.
#[derive(Default)]
pub(crate) struct Memo {
    pub load: load::Memo,
    pub model: model::Memo,
    pub images: images::Memo,
    /// The plan of the last site, by the site's fingerprint, and what planning reported.
    pub plan: Option<(blake3::Hash, Arc<Plan>, Diagnostics)>,
    pub render: render::RenderCache,
    pub written: write::Manifest,
    /// The texts read late since the files were let go (`release_texts`), and those found
    /// changed meanwhile.
    pub late: Arc<load::snapshot::LateReads>,
}

impl Memo {
    /// Lets go of every text read by the last build (`load::Memo::release_texts`): between
    /// two builds the memo holds what is known of each file, not its text, and a build
    /// reads again only the texts it needs (those of the pages it renders). At 10,000
    /// stories the texts are some 200 MB, 400 MB with stories twice as long.
    pub fn release_texts(&mut self, root: &std::path::Path) {
        let released = self.load.release_texts(root, &self.late);
        self.model.release_texts(&released);
    }
}

/// What the search index of a `Mode::Pages` build, its pages written, needs.
pub(crate) struct WrittenPages {
    /// The plan whose pages the search index holds (`indexable_routes`); none when the
    /// site has no search.
    pub plan: Option<Arc<Plan>>,
}

/// The routes whose pages the search index holds.
pub(crate) fn indexable_routes(plan: &Plan) -> impl Iterator<Item = &Route> {
    plan.routes.iter().filter(|r| search::indexed(r))
}

/// Runs the pipeline on the site of `opts`.
pub(crate) fn run(
    opts: &BuildOptions,
    mode: Mode,
    mut memo: Option<&mut Memo>,
) -> (Report, Option<WrittenPages>) {
    let started = Instant::now();
    // When it began, in ns since 1970: a file changed after this, less the snapshot's
    // margin, is not kept in it (`load::snapshot`).
    let began = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    let mut phases = Phases::new();
    let mut report = Report::default();
    let finish = |mut report: Report| {
        report.elapsed = started.elapsed();
        (report, None)
    };
    let Some(today) = prepare(opts, mode, &mut report.diagnostics) else {
        return finish(report);
    };
    // The last build's record, read (once) while the sources are walked.
    let last_record = (mode == Mode::Build).then(|| {
        let opts = opts.clone();
        std::thread::spawn(move || stamp::last_record(&opts))
    });
    let stamp = if mode == Mode::Build {
        stamp::inputs(opts, today, opts.minify)
    } else {
        stamp::forget(opts);
        None
    };
    let last_record = last_record.and_then(|t| t.join().ok()).flatten();
    phases.done("inputs");
    if let (Some(s), Some(rec)) = (&stamp, &last_record)
        && stamp::unchanged(opts, rec, &s.hash)
    {
        report.files_unchanged = rec.files();
        report.pages = rec.pages.clone();
        report.nothing_changed = true;
        phases.done("unchanged");
        return finish(report);
    }

    let diags = &mut report.diagnostics;
    // What the last build parsed, read while this one reads the files (`vetrina build` only:
    // `serve` keeps its parse in memory).
    let past_parse = (mode == Mode::Build).then(|| {
        let cache = opts.cache_path();
        std::thread::spawn(move || open_parse_cache(&cache))
    });
    // And the texts it read, with the files' stamps now.
    let (stamp, walked) = match stamp {
        Some(stamp::Inputs { hash, walked }) => (Some(hash), Some(walked)),
        None => (None, None),
    };
    if mode == Mode::Build && walked.is_none() {
        load::snapshot::Place::forget(&opts.cache_path());
    }
    let past_sources = walked.map(|now| {
        let place = load::snapshot::Place::of(&opts.cache_path(), &opts.root);
        std::thread::spawn(move || load::Snapshot::open(&place, now))
    });
    let Some(Modelled {
        site,
        theme,
        saving,
        front_matters_reused,
        sources_reused,
        late_reads,
    }) = load_and_model(
        opts,
        (today, began),
        memo.as_deref_mut(),
        (past_parse, past_sources),
        diags,
        &mut phases,
    )
    else {
        return finish(report);
    };
    report.front_matters_reused = front_matters_reused;
    report.sources_reused = sources_reused;
    report.taken_down = taken_down(&site);
    // The pictures of stories taken down: their processed copies leave the cache once the
    // build that drops the story is published (the right to erasure reaches copies too).
    let gone_pictures: Vec<load::Asset> = site
        .taken_down
        .iter()
        .flat_map(|t| t.assets.iter().cloned())
        .collect();

    let prints = memo.is_some().then(|| render::site_prints(&site));
    let plan = plan_site(
        &site,
        prints.as_ref().map(|p| p.meta),
        memo.as_deref_mut(),
        diags,
    );
    phases.done("plan");
    for l in &site.langs {
        let n = plan.routes.iter().filter(|r| r.lang == l.code).count();
        report.pages.push((l.code.clone(), n));
    }

    let diags = &mut report.diagnostics;
    let cache = opts.cache_path();
    let pictures = images::process(
        &opts.root,
        &cache,
        &site.assets,
        mode != Mode::Check,
        diags,
        memo.as_deref_mut().map(|m| &mut m.images),
    );
    report.images_processed = pictures.processed;
    report.images_reused = pictures.reused;
    phases.done("images");

    let minify = opts.minify.or(site.config.minify).unwrap_or(true);
    let searched = site.config.search.unwrap_or(true);
    let stages = Rendering {
        site,
        plan,
        theme,
        pictures,
        minify,
        cms_local_backend: opts.cms_local_backend,
    };
    // The output's files after a `vetrina build`, when its write saw them all.
    let mut listing = None;
    let written = match mode {
        Mode::Check => {
            render::render(&stages.context(), Reuse::Nothing, None, diags);
            phases.done("render");
            None
        }
        Mode::Pages => {
            let Some(m) = memo else {
                return finish(report);
            };
            let prints = prints.unwrap_or_else(|| render::site_prints(&stages.site));
            write_pages(opts, &stages, m, prints, &mut report, &mut phases);
            let plan = searched.then(|| stages.plan.clone());
            // The site is kept for the next build, which takes it when only texts change
            // (`model::Memo::keep_site`).
            let Rendering { site, .. } = stages;
            m.model.keep_site(site);
            Some(WrittenPages { plan })
        }
        Mode::Build => {
            drop(prints);
            let indexable = if searched {
                indexable_routes(&stages.plan).cloned().collect()
            } else {
                Vec::new()
            };
            let before = Before {
                output: stamp::last_output(last_record),
                gone_pictures: &gone_pictures,
                late_reads: late_reads.as_deref(),
            };
            listing = publish(opts, stages, indexable, before, &mut report, &mut phases);
            None
        }
    };
    if mode == Mode::Build {
        if report.diagnostics.sorted().is_empty() {
            stamp::save(opts, stamp, &report.pages, listing);
        } else {
            stamp::forget(opts);
        }
        phases.done("record");
    }
    for t in saving {
        let _ = t.join();
    }
    forget_sources_if_changed(opts, late_reads.as_deref());
    report.elapsed = started.elapsed();
    let ok = !report.diagnostics.has_errors();
    (report, written.filter(|_| ok))
}

/// What the render reads, owned: let go of as soon as the pages are made.
struct Rendering {
    site: Site,
    plan: Arc<Plan>,
    theme: Theme,
    pictures: Pictures,
    minify: bool,
    cms_local_backend: bool,
}

impl Rendering {
    fn context(&self) -> RenderContext<'_> {
        RenderContext {
            site: &self.site,
            plan: self.plan.clone(),
            theme: &self.theme,
            pictures: &self.pictures,
            minify: self.minify,
            cms_local_backend: self.cms_local_backend,
        }
    }
}

fn count_written(report: &mut Report, s: write::WriteStats) {
    report.files_written = s.written;
    report.files_unchanged = s.unchanged;
    report.files_removed = s.removed;
}

/// Before anything is read: the output folder must be Vetrina's alone (when it is written),
/// and the build date known.
fn prepare(opts: &BuildOptions, mode: Mode, diags: &mut Diagnostics) -> Option<jiff::civil::Date> {
    let output = opts.output_dir();
    if mode != Mode::Check
        && let Err(r) = write::check_output(&opts.root, &output, &opts.cache_path())
    {
        diags.file_error(&output, r.message, r.help);
        return None;
    }
    match opts.today {
        Some(d) => Some(d),
        None => match today_from_env() {
            Ok(d) => Some(d),
            Err(e) => {
                diags.file_error(
                    Path::new("VETRINA_NOW"),
                    e,
                    "unset it or write a date like 2026-11-25",
                );
                None
            }
        },
    }
}

/// What `load_and_model` made.
struct Modelled {
    site: Site,
    theme: Theme,
    /// The threads saving this build's parse and texts for the next.
    saving: Vec<std::thread::JoinHandle<()>>,
    front_matters_reused: usize,
    sources_reused: usize,
    /// The texts of unchanged files read when asked for (`load::snapshot`).
    late_reads: Option<Arc<load::snapshot::LateReads>>,
}

/// The last build's parse cache and source snapshot, being read (`vetrina build` only).
type PastWork = (
    Option<std::thread::JoinHandle<model::ParseCache>>,
    Option<std::thread::JoinHandle<load::Snapshot>>,
);

/// The site read and validated, with its theme; `None` when nothing can be rendered. With
/// the last build's parse cache and source snapshot (`past`, being read), what this build
/// parsed and read is saved for the next on threads of their own. `began`: when the build
/// began, in ns since 1970.
fn load_and_model(
    opts: &BuildOptions,
    (today, began): (jiff::civil::Date, i64),
    mut memo: Option<&mut Memo>,
    (past_parse, past_sources): PastWork,
    diags: &mut Diagnostics,
    phases: &mut Phases,
) -> Option<Modelled> {
    // A snapshot that cannot be read is no snapshot.
    let snapshot = past_sources.map(|t| t.join().unwrap_or_default());
    let sources = load::load(
        &opts.root,
        diags,
        memo.as_deref_mut().map(|m| &mut m.load),
        snapshot.as_ref(),
    );
    let sources_reused = snapshot.as_ref().map_or(0, load::Snapshot::recalled);
    let mut saving = Vec::new();
    let late_reads = snapshot.as_ref().map(load::Snapshot::late_reads);
    if let Some(snapshot) = snapshot {
        let texts: Vec<(String, Arc<load::ContentFile>)> = (sources.content.iter())
            .filter_map(|f| Some((f.src.path.to_str()?.to_string(), f.clone())))
            .collect();
        let place = load::snapshot::Place::of(&opts.cache_path(), &opts.root);
        saving.push(std::thread::spawn(move || {
            // Prints made here are shared with the documents, which need them too.
            let read = (texts.iter()).map(|(rel, f)| (rel.as_str(), f.known()));
            load::snapshot::save(&place, snapshot.next(read, began));
        }));
    }
    // site.yaml first: it names the theme.
    let config = model::config_memo(&sources, diags, memo.as_deref_mut().map(|m| &mut m.model));
    let theme = match &config {
        Some(c) => load::theme(&opts.root, c.theme_name(), sources.config.as_ref(), diags),
        None => Theme::default(),
    };
    phases.done("load");
    // A cache that cannot be read is no cache.
    let mut parse_cache = past_parse.map(|t| t.join().unwrap_or_default());
    let site = model::build(
        sources,
        config?,
        &model_options(opts, today),
        diags,
        memo.map(|m| &mut m.model),
        parse_cache.as_mut(),
    );
    let front_matters_reused = parse_cache.as_ref().map_or(0, model::ParseCache::taken);
    // Kept even when the site has errors: every entry is a front matter parsed cleanly.
    saving.extend(parse_cache.map(|c| {
        let cache = opts.cache_path();
        std::thread::spawn(move || save_parse_cache(&cache, &c))
    }));
    let finished = |saving: Vec<std::thread::JoinHandle<()>>| {
        for t in saving {
            let _ = t.join();
        }
    };
    let Some(site) = site else {
        // A text read late while modelling that was not the one known: its messages would
        // point at a blank text, the error names what happened.
        if let Some(late) = &late_reads {
            changed_while_building(diags, &late.changed());
        }
        finished(saving);
        forget_sources_if_changed(opts, late_reads.as_deref());
        return None;
    };
    phases.done("model");
    if theme.templates.is_empty() && diags.has_errors() {
        // No theme could be read (its error is reported): every page would only add an error
        // about a missing template.
        finished(saving);
        return None;
    }
    Some(Modelled {
        site,
        theme,
        saving,
        front_matters_reused,
        sources_reused,
        late_reads,
    })
}

/// What the last build parsed (`model::parse_cache`), from the cache folder `cache`: empty
/// when there is none, or when another program wrote it, or it was cut short or altered.
fn open_parse_cache(cache: &Path) -> model::ParseCache {
    use model::parse_cache::{FILE_NAME, MAGIC};
    match crate::fileio::read_sealed(&cache.join(FILE_NAME), MAGIC) {
        Some((key, body)) if key == crate::fileio::program_hash() => {
            model::ParseCache::from_body(body)
        }
        _ => model::ParseCache::default(),
    }
}

/// The errors for the files found changed when their text was read late (`load::snapshot`):
/// the pages were planned from what they held before, and the build stops rather than
/// publish pages made from two versions of a file.
fn changed_while_building(diags: &mut Diagnostics, changed: &[PathBuf]) {
    for path in changed {
        diags.file_error(
            path,
            "this file changed (or could no longer be read) while Vetrina was building the site",
            "build again once the file is saved; nothing was published by this build",
        );
    }
}

/// Removes the source snapshot this build saved if a text it read late was not the one the
/// snapshot knew: the next build reads every file rather than trust it again.
fn forget_sources_if_changed(opts: &BuildOptions, late: Option<&load::snapshot::LateReads>) {
    if late.is_some_and(|l| !l.changed().is_empty()) {
        load::snapshot::Place::forget(&opts.cache_path());
    }
}

/// Writes what this build parsed for the next, unless it is what the last build left. The
/// cache is an aid: a failure is not reported (the next build parses every front matter).
fn save_parse_cache(cache: &Path, parsed: &model::ParseCache) {
    use model::parse_cache::{FILE_NAME, MAGIC};
    if let Some(body) = parsed.next_body() {
        let _ = std::fs::create_dir_all(cache).and_then(|()| {
            crate::fileio::write_sealed(
                &cache.join(FILE_NAME),
                MAGIC,
                &crate::fileio::program_hash(),
                &body,
            )
        });
    }
}

fn model_options(opts: &BuildOptions, today: jiff::civil::Date) -> model::ModelOptions {
    model::ModelOptions {
        drafts: opts.drafts,
        base_url: opts.base_url.clone(),
        today,
        search: opts.search,
    }
}

fn taken_down(site: &Site) -> Vec<TakenDownStory> {
    site.taken_down
        .iter()
        .map(|t| TakenDownStory {
            key: t.key.clone(),
            file: t.file.clone(),
            reason: t.reason.clone(),
        })
        .collect()
}

/// The plan of `site`: the last one, when the site's fingerprint (`meta`) is the same.
fn plan_site(
    site: &Site,
    meta: Option<blake3::Hash>,
    memo: Option<&mut Memo>,
    diags: &mut Diagnostics,
) -> Arc<Plan> {
    let (Some(m), Some(meta)) = (memo, meta) else {
        return Arc::new(plan::plan(site, diags));
    };
    if let Some((h, plan, d)) = &m.plan
        && *h == meta
    {
        diags.extend(d.clone());
        return plan.clone();
    }
    let mut d = Diagnostics::new();
    let plan = Arc::new(plan::plan(site, &mut d));
    m.plan = Some((meta, plan.clone(), d.clone()));
    diags.extend(d);
    plan
}

/// `vetrina serve`'s render and write: pages taken from the last build where they can be
/// (`Reuse::Memory`), each page rendered staged beside the output at once (so that a large
/// first build never holds every page), every file but the search index in place once all
/// is rendered without an error; the index is left to a `SearchJob`.
fn write_pages(
    opts: &BuildOptions,
    stages: &Rendering,
    memo: &mut Memo,
    prints: render::SitePrints,
    report: &mut Report,
    phases: &mut Phases,
) {
    let output = opts.output_dir();
    let diags = &mut report.diagnostics;
    let scope = write::Scope::Except(search::SEARCH_DIR);
    let (write, mut failed) = match (!diags.has_errors())
        .then(|| write::PageWrite::begin(&output, scope, &memo.written))
    {
        Some(Ok(w)) => (Some(w), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    let staging = write.as_ref().map(|w| PageStaging {
        write: w,
        manifest: &memo.written,
        error: Mutex::new(None),
    });
    let reuse = Reuse::Memory(&mut memo.render, Box::new(prints));
    let sink = staging.as_ref().map(|s| s as &dyn PageSink);
    let out = render::render(&stages.context(), reuse, sink, diags);
    report.extras_kept = out.extras_kept;
    phases.done("render");
    if let Some(s) = staging {
        failed = failed.or(s.error.into_inner().unwrap_or_else(|e| e.into_inner()));
    }
    let written = match (write, failed) {
        (_, Some(e)) => Err(e),
        // A build with errors writes nothing: what it staged is removed.
        (Some(w), None) if !diags.has_errors() => w.finish(&out, &mut memo.written).map(Some),
        _ => Ok(None),
    };
    match written {
        Ok(Some(s)) => {
            count_written(report, s);
            phases.done("write");
        }
        Ok(None) => {}
        Err(e) => {
            // The pages remembered are no longer known to be those in the output folder:
            // the next build renders and writes every page.
            memo.render.forget_pages();
            memo.written = write::Manifest::default();
            cannot_write(diags, &output, e);
        }
    }
}

/// Hands each page `vetrina serve` renders to its write as soon as it is rendered.
struct PageStaging<'w> {
    write: &'w write::PageWrite<'w>,
    /// The manifest of this process's last write (see `PageWrite::stage_page`).
    manifest: &'w write::Manifest,
    /// The first staging error; the build fails with it.
    error: Mutex<Option<std::io::Error>>,
}

impl PageSink for PageStaging<'_> {
    fn take(&self, _route: &Route, file: &str, bytes: &[u8]) -> bool {
        match self.write.stage_page(file, bytes, self.manifest) {
            Ok(()) => true,
            Err(e) => {
                (self.error.lock().unwrap_or_else(|e| e.into_inner())).get_or_insert(e);
                false
            }
        }
    }
}

/// What publishing needs to know from before the render.
struct Before<'a> {
    /// The output as the last build left it, by its record.
    output: stamp::LastOutput,
    /// The pictures of stories taken down, whose processed copies leave the cache.
    gone_pictures: &'a [load::Asset],
    /// The texts of unchanged files read when asked for (`load::snapshot`).
    late_reads: Option<&'a load::snapshot::LateReads>,
}

/// `vetrina build`'s render and write: each page is staged beside the output as soon as it
/// is rendered, and taken apart for the search index on the same thread, then let go (the
/// memory of a large site goes to the search index, not to holding every page). Pages whose
/// context has not changed since the last build are taken from the output folder (the
/// ledger). Nothing is in place before everything is ready; a build that fails removes what
/// it staged. Returns the output's files and folders as the write left them, when it knew
/// them all (for the no-change record).
fn publish(
    opts: &BuildOptions,
    stages: Rendering,
    indexable: Vec<Route>,
    before: Before,
    report: &mut Report,
    phases: &mut Phases,
) -> Option<write::Listing> {
    let output = opts.output_dir();
    let cache = opts.cache_path();
    let diags = &mut report.diagnostics;
    let Before {
        output: last,
        gone_pictures,
        late_reads,
    } = before;
    let mut ledger = render::ledger::Ledger::open(&cache, &output).with_listing(last.files);
    let mut writer = None;
    if !diags.has_errors() {
        match write::Writer::begin(&output, write::Scope::All) {
            Ok(w) => writer = Some(w),
            Err(e) => cannot_write(diags, &output, e),
        }
    }
    let mut indexer = (writer.is_some() && !indexable.is_empty())
        .then(|| search::Indexer::new(indexable.iter()).remembering());
    // What the last build's index took from its pages, read while this one renders.
    let past_index = indexer.is_some().then(|| {
        let (cache, output) = (cache.clone(), output.clone());
        std::thread::spawn(move || search::memo::open(&cache, &output))
    });
    let staging = writer.as_ref().map(|w| Staging {
        writer: w,
        indexer: indexer.as_ref(),
        error: Mutex::new(None),
    });
    let mut out = render::render(
        &stages.context(),
        Reuse::Ledger(
            &mut ledger,
            Box::new(render::site_prints(&stages.site).with_placements(&stages.site)),
        ),
        staging.as_ref().map(|s| s as &dyn PageSink),
        diags,
    );
    report.pages_kept = out.pages_kept;
    report.extras_kept = out.extras_kept;
    phases.done("render");
    // What the pages were made from is no longer needed: let go of it before the search
    // index, which is where a large build's memory goes.
    drop(stages);
    let diags = &mut report.diagnostics;
    if let Some(e) = staging.and_then(|s| s.error.into_inner().unwrap_or_else(|e| e.into_inner())) {
        cannot_write(diags, &output, e);
    }
    if let Some(late) = late_reads {
        report.sources_read_late = late.read();
        phases.count("sources known, not read", report.sources_reused);
        phases.count("of them read late", report.sources_read_late);
        changed_while_building(&mut report.diagnostics, &late.changed());
    }
    let diags = &mut report.diagnostics;
    let mut w = writer.filter(|_| !diags.has_errors())?;
    // The files not staged while rendering: feeds, calendars, sitemap, static files.
    let staged = w.stage_output(&out);
    phases.done("stage");
    if let Err(e) = staged {
        cannot_write(diags, &output, e);
        return None;
    }
    out.release_bytes();
    if let Some(ix) = indexer.as_mut() {
        let past = past_index.and_then(|t| t.join().ok()).flatten();
        ix.recall(
            past,
            ledger.published(),
            ledger.untouched_under(search::SEARCH_DIR),
        );
    }
    let search = index_from_files(indexer, &indexable, &|rel| w.path_of(rel));
    if !indexable.is_empty() {
        phases.done("search");
    }
    let (files, stats) = match search {
        Ok(x) => x,
        Err(e) => {
            diags.file_error(
                Path::new("site.yaml"),
                format!("the search index could not be built: {e}"),
                "this is a fault in Vetrina, please report it; meanwhile `search: false` in site.yaml builds the site without search",
            );
            return None;
        }
    };
    report.search_pages = stats.pages.clone();
    report.search_urls = stats.urls.clone();
    report.search_elapsed = stats.elapsed;
    report.search_recalled = stats.recalled;
    report.search_files_kept = stats.kept.len();
    let files: Vec<(String, write::Bytes)> =
        files.into_iter().map(|(p, b)| (p, Arc::new(b))).collect();
    // Files of titles staged while rendering are not staged again.
    let streamed: std::collections::HashSet<&str> =
        stats.streamed.iter().map(String::as_str).collect();
    let rest: Vec<(String, write::Bytes)> = files
        .iter()
        .filter(|(p, _)| !streamed.contains(p.as_str()))
        .cloned()
        .collect();
    let written = w.stage_files(&rest).and_then(|()| {
        let none: write::Bytes = Arc::new(Vec::new());
        out.files.extend(files.into_iter().map(|(p, b)| {
            if streamed.contains(p.as_str()) {
                write::OutFile::elsewhere(p, write::Held::Streamed, &none)
            } else {
                write::OutFile::here(p, b)
            }
        }));
        // The files of languages whose pages did not change, in the output as they are.
        (out.files).extend(
            (stats.kept.iter())
                .map(|p| write::OutFile::elsewhere(p.clone(), write::Held::Kept, &none)),
        );
        // What the last build left, so that only the folders changed since are read.
        let confirmed = ledger.take_confirmed();
        let recorded = write::Recorded {
            files: ledger.listing(),
            folders: &last.folders,
            confirmed: &confirmed,
        };
        w.commit_listed(&out, None, Some(&recorded))
    });
    phases.done("write");
    let mut listing = None;
    match written {
        Ok((s, files)) => {
            count_written(report, s);
            listing = files;
            // Not kept, the next build renders every page: slower, never wrong.
            let _ = ledger.save();
            // Likewise, the next build reads its pages back for the index.
            match &stats.memo {
                Some(memo) => {
                    let _ = search::memo::save(&cache, &output, memo);
                }
                None => search::memo::forget(&cache, &output),
            }
            images::purge(&cache, gone_pictures);
        }
        Err(e) => cannot_write(&mut report.diagnostics, &output, e),
    }
    phases.done("caches");
    listing
}

/// The search index of the pages staged where `path_of` says (a build that has let go of
/// their bytes); the pages taken apart while rendering are not read again.
fn index_from_files(
    indexer: Option<search::Indexer>,
    indexable: &[Route],
    path_of: &(dyn Fn(&str) -> std::path::PathBuf + Sync),
) -> Result<(Vec<search::GeneratedFile>, search::SearchStats), search::IndexError> {
    if indexable.is_empty() {
        return Ok(Default::default());
    }
    // The pages the render numbered are the pages to index (they differ only when a page
    // failed, and a failed build makes no index): otherwise, numbered again.
    let indexer = indexer
        .filter(|ix| ix.len() == indexable.len())
        .unwrap_or_else(|| search::Indexer::new(indexable.iter()));
    indexer.finish(
        &|route| search::Page::File(path_of(route.file())),
        &|| false,
        false,
        None,
    )
}

/// The page sink of `vetrina build`: each page staged beside the output, and taken apart for
/// the search index (whose own files are staged the same way).
struct Staging<'w> {
    writer: &'w write::Writer<'w>,
    indexer: Option<&'w search::Indexer>,
    /// The first staging error; the build fails with it.
    error: Mutex<Option<std::io::Error>>,
}

impl Staging<'_> {
    fn stage(&self, rel: &str, bytes: &[u8]) -> bool {
        match self.writer.stage_one(rel, bytes) {
            Ok(()) => true,
            Err(e) => {
                self.error
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get_or_insert(e);
                false
            }
        }
    }
}

impl PageSink for Staging<'_> {
    fn take(&self, route: &Route, file: &str, bytes: &[u8]) -> bool {
        if let Some(ix) = self.indexer {
            ix.add(
                route,
                bytes,
                Some(&|rel: &str, b: &[u8]| self.stage(rel, b)),
            );
        }
        self.stage(file, bytes)
    }
}

/// The site read and validated, without its theme, for the reports (`translations`,
/// `consents`, `takedown`): `None` only if it cannot be read at all; errors elsewhere in the
/// site are in the report.
pub(crate) fn read_model(opts: &BuildOptions) -> (Report, Option<Site>) {
    let mut report = Report::default();
    let diags = &mut report.diagnostics;
    let today = opts
        .today
        .unwrap_or_else(|| today_from_env().unwrap_or(jiff::civil::date(2000, 1, 1)));
    let sources = load::load(&opts.root, diags, None, None);
    let config = model::config(&sources, diags);
    // Not used by the reports, but its problems are reported as a build reports them.
    if let Some(c) = &config {
        load::theme(&opts.root, c.theme_name(), sources.config.as_ref(), diags);
    }
    let site = config
        .and_then(|c| model::build(sources, c, &model_options(opts, today), diags, None, None));
    (report, site)
}

pub(crate) fn cannot_write(diags: &mut Diagnostics, output: &Path, e: std::io::Error) {
    diags.file_error(
        output,
        format!("cannot write the site: {e}; the previous output is unchanged"),
        "check that the disk has space and that you may write to the output folder",
    );
}
