//! Render: every planned route becomes bytes, through the theme's Tera templates.
//!
//! All sorting, grouping, formatting and URL building happen here in Rust and reach the
//! templates as plain data (the "views" below); templates only lay it out. Routes render in
//! parallel over a shared, read-only `Site`. Nothing here touches the disk.

pub mod chart;
mod feeds;
pub mod i18n;
pub mod ics;
pub mod inline_html;
pub mod ledger;
pub mod map;
pub mod markdown;
#[cfg(test)]
mod markdown_props;
mod minify;
mod script_json;
mod search;
mod templates;
mod views;

pub use search::{CANCELLED, GeneratedFile, SEARCH_DIR, SearchStats};

use std::path::PathBuf;
use std::sync::Arc;

use std::collections::HashMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::diag::Diagnostics;
use crate::images::{Pictures, is_raster};
use crate::load::Theme;
use crate::model::Site;
use crate::plan::Plan;
use i18n::I18n;

/// A generated file's bytes, shared between a build's output and the cache of `vetrina
/// serve` (a page taken from the last build is not copied).
pub type Bytes = Arc<Vec<u8>>;

/// Everything a build publishes, in memory, before anything is written.
#[derive(Debug, Default)]
pub struct Output {
    /// Generated files: (path relative to the output folder, bytes).
    pub files: Vec<(String, Bytes)>,
    /// Files copied as they are: (path relative to the output folder, source file).
    pub copies: Vec<(String, PathBuf)>,
    /// The routes whose pages go into the search index, and their files.
    pub indexable: Vec<(crate::plan::Route, String)>,
    /// Files taken as they are from the output folder (the pages the last build rendered
    /// from the same context): nothing to compare or write.
    pub kept: rustc_hash::FxHashSet<String>,
    /// Files handed to the build's sink as soon as they were rendered (staged beside the
    /// output): their bytes are not held here.
    pub streamed: rustc_hash::FxHashSet<String>,
    /// The search index of a build that streams its pages, holding the pages taken apart
    /// as they were rendered.
    pub(crate) indexer: Option<search::Indexer>,
}

/// Pages rendered by an earlier build of the same process (`vetrina serve`), taken from here
/// instead of rendered again in two ways:
/// - when nothing but the Markdown text of some entries changed since that build (the same
///   front matter, data, settings, theme and pictures: `meta`), only the pages that show
///   those texts are built again: an entry's own page in every language (a translation that
///   is missing shows the original). No other page reads a body.
/// - otherwise every page's template context is built, and a page whose context is equal to
///   last time's, under the same templates, strings and URLs (`globals`), keeps its bytes.
#[derive(Default)]
pub struct RenderCache {
    globals: Option<blake3::Hash>,
    meta: Option<blake3::Hash>,
    bodies: FxHashMap<(&'static str, String), blake3::Hash>,
    docs: DocPrints,
    pages: FxHashMap<String, CachedPage>,
    /// The interface strings and what loading them reported, by a hash of their sources.
    i18n: Option<(blake3::Hash, Arc<I18n>, Diagnostics)>,
    /// Feeds, calendars and the sitemap: they read no Markdown body.
    extras: Vec<(String, Bytes)>,
    /// Pages taken from the cache by the last build.
    pub reused: usize,
    /// Pages whose template context was built by the last build.
    pub contexts_built: usize,
}

struct CachedPage {
    context: tera::Context,
    bytes: Bytes,
    /// What building this page reported (warnings), repeated when it is reused.
    diags: Diagnostics,
}

/// The entry whose Markdown body a route shows, if any: (section, key).
fn body_of(kind: &crate::plan::Kind) -> Option<(&'static str, &str)> {
    use crate::plan::Kind;
    match kind {
        Kind::Home => Some(("home", "home")),
        Kind::Project(k) => Some(("projects", k)),
        Kind::Story(k) => Some(("stories", k)),
        Kind::News(k) => Some(("news", k)),
        Kind::Page(k) => Some(("pages", k)),
        _ => None,
    }
}

/// Hashes of one document: its front matter (with its path and where the body starts), and its
/// body. Kept by the address of the document, whose `Arc` is held so that the address is not
/// reused: `model` hands on the same `Arc` for a file that did not change.
type DocPrints = FxHashMap<
    usize,
    (
        Arc<dyn std::any::Any + Send + Sync>,
        blake3::Hash,
        blake3::Hash,
    ),
>;

/// `meta` of the site and the pictures together.
fn with_pictures(meta: blake3::Hash, pictures: &Pictures) -> blake3::Hash {
    use std::io::Write;
    let mut h = blake3::Hasher::new();
    h.update(meta.as_bytes());
    let mut keys: Vec<_> = pictures.by_asset.keys().collect();
    keys.sort();
    for k in keys {
        let _ = write!(h, "{k:?}{:?}", pictures.by_asset[k]);
    }
    h.finalize()
}

/// Fingerprints of a site (`vetrina serve`): everything but the Markdown bodies in one hash
/// (`meta`), and each entry's bodies (all its languages) in one hash per entry.
pub struct SitePrints {
    pub meta: blake3::Hash,
    bodies: FxHashMap<(&'static str, String), blake3::Hash>,
    docs: DocPrints,
}

/// The fingerprints of `site`; documents seen by the last build are not hashed again.
pub fn site_prints(site: &Site, cache: &RenderCache) -> SitePrints {
    let (meta, bodies, docs) = fingerprints(site, &cache.docs);
    SitePrints { meta, bodies, docs }
}

fn fingerprints(
    site: &Site,
    known: &DocPrints,
) -> (
    blake3::Hash,
    FxHashMap<(&'static str, String), blake3::Hash>,
    DocPrints,
) {
    use std::io::Write;
    let mut meta = blake3::Hasher::new();
    // Debug output of the small parts of the site: settings, languages, data files, events,
    // bundle files, the stories taken down, the build date. (Only equality matters: a
    // difference in formatting only costs a full rebuild.)
    let _ = write!(
        meta,
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|",
        site.config,
        site.langs,
        site.base_url,
        site.events,
        site.funds,
        site.orgs,
        site.indicators,
        site.assets,
        site.taken_down,
        site.today
    );
    for src in &site.i18n_overrides {
        meta.update(src.text.as_bytes()).update(&[0]);
    }
    let mut bodies = FxHashMap::default();
    let mut prints: DocPrints = FxHashMap::default();
    fn doc_prints<T: Send + Sync + 'static>(
        d: &Arc<crate::model::Doc<T>>,
        known: &DocPrints,
        prints: &mut DocPrints,
    ) -> (blake3::Hash, blake3::Hash) {
        let addr = Arc::as_ptr(d) as *const () as usize;
        let (fm, body) = match known.get(&addr) {
            Some((_, fm, body)) => (*fm, *body),
            None => {
                // The front matter as written, and where the body starts (its diagnostics
                // give line numbers).
                let fm = d.src.text.get(..d.body_offset).unwrap_or(&d.src.text);
                let mut h = blake3::Hasher::new();
                h.update(d.src.path.to_string_lossy().as_bytes())
                    .update(&[0])
                    .update(fm.as_bytes());
                (h.finalize(), blake3::hash(d.body().as_bytes()))
            }
        };
        prints.insert(addr, (d.clone(), fm, body));
        (fm, body)
    }
    macro_rules! each {
        ($section:literal, $list:expr) => {
            for e in $list {
                meta.update($section.as_bytes())
                    .update(e.key.as_bytes())
                    .update(&[0]);
                let mut body = blake3::Hasher::new();
                for (lang, d) in &e.docs {
                    let (f, b) = doc_prints(d, known, &mut prints);
                    meta.update(lang.as_bytes()).update(f.as_bytes());
                    body.update(lang.as_bytes()).update(b.as_bytes());
                }
                bodies.insert(($section, e.key.clone()), body.finalize());
            }
        };
    }
    each!("home", site.home.iter());
    each!("projects", &site.projects);
    each!("stories", &site.stories);
    each!("news", &site.news);
    each!("pages", &site.pages);
    (meta.finalize(), bodies, prints)
}

impl Output {
    /// Builds the search index of the indexable pages of this output.
    pub fn search_index(
        &self,
        cancelled: &(dyn Fn() -> bool + Sync),
        background: bool,
    ) -> Result<(Vec<GeneratedFile>, SearchStats), String> {
        if self.indexable.is_empty() {
            return Ok(Default::default());
        }
        let by_file: HashMap<&str, &[u8]> = self
            .files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        search::index(
            self.indexable
                .iter()
                .filter_map(|(r, f)| Some((r, search::Page::Bytes(by_file.get(f.as_str())?)))),
            cancelled,
            background,
        )
    }

    /// Builds the search index from the page files where `path_of` says they are (a build
    /// that has staged its pages and let go of their bytes).
    /// The pages taken apart while rendering are not read again.
    pub fn search_index_from_files(
        &mut self,
        path_of: &(dyn Fn(&str) -> std::path::PathBuf + Sync),
    ) -> Result<(Vec<GeneratedFile>, SearchStats), String> {
        let indexer = self.indexer.take();
        if self.indexable.is_empty() {
            return Ok(Default::default());
        }
        // The pages the render numbered are the pages to index (they differ only when a
        // page failed, and a failed build makes no index): otherwise, numbered again.
        let indexer = indexer
            .filter(|ix| ix.len() == self.indexable.len())
            .unwrap_or_else(|| search::Indexer::new(self.indexable.iter().map(|(r, _)| r)));
        indexer.finish(
            &|route| search::Page::File(path_of(&route.file())),
            &|| false,
            false,
        )
    }

    /// Lets go of the bytes of the generated files (once they are staged), keeping their
    /// paths: the list of what the site holds.
    pub fn release_bytes(&mut self) {
        let empty: Bytes = Arc::new(Vec::new());
        for (_, b) in &mut self.files {
            *b = empty.clone();
        }
    }
}

/// Everything outside a page's context that its bytes depend on: templates, interface
/// strings, every address of the site (for `url()`), the theme's static files and settings.
fn globals_hash(site: &Site, plan: &Plan, theme: &Theme, minify: bool) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(&[minify as u8]);
    for (name, src) in &theme.templates {
        h.update(name.as_bytes())
            .update(&[0])
            .update(src.text.as_bytes())
            .update(&[0]);
    }
    for src in theme.i18n.iter().chain(&site.i18n_overrides) {
        h.update(src.path.to_string_lossy().as_bytes())
            .update(&[0])
            .update(src.text.as_bytes())
            .update(&[0]);
    }
    for (rel, published, _) in &theme.statics {
        h.update(rel.as_bytes())
            .update(&[0])
            .update(published.as_bytes())
            .update(&[0]);
    }
    for r in &plan.routes {
        h.update(r.kind.name().as_bytes())
            .update(&[0])
            .update(r.kind.key().as_bytes())
            .update(&[0])
            .update(r.lang.as_bytes())
            .update(&[0])
            .update(r.path.as_bytes())
            .update(&[r.fallback as u8]);
    }
    h.finalize()
}

/// Takes a rendered page (path in the output, bytes) as soon as it is ready; returns
/// whether it did, so that its bytes need not be kept.
pub type PageSink<'a> = dyn Fn(&str, &[u8]) -> bool + Sync + 'a;

/// Renders every route of `plan`. Template and Markdown problems are diagnostics.
///
/// With a `sink`, each page is handed to it as soon as it is rendered; when the sink takes
/// it (returns true), its bytes are not kept in the output (`Output::streamed`), nor are
/// those of a page taken from the output folder as it was.
#[allow(clippy::too_many_arguments)]
pub fn render(
    site: &Site,
    plan: Arc<Plan>,
    theme: &Theme,
    pictures: &Pictures,
    minify: bool,
    mut cache: Option<&mut RenderCache>,
    prints: Option<SitePrints>,
    mut ledger: Option<&mut ledger::Ledger>,
    sink: Option<&PageSink<'_>>,
    diags: &mut Diagnostics,
) -> Output {
    // A build that already has errors neither uses nor updates the cache: the site it sees
    // is not the one that will be built once the errors are fixed.
    if diags.has_errors() {
        cache = None;
        ledger = None;
    }
    // The cache of `vetrina serve` keeps every page's bytes: nothing to stream.
    let sink = sink.filter(|_| cache.is_none());
    let langs: Vec<(&str, &str)> = site
        .langs
        .iter()
        .map(|l| (l.code.as_str(), l.locale.as_str()))
        .collect();
    let i18n_hash = {
        let mut h = blake3::Hasher::new();
        for (code, locale) in &langs {
            h.update(code.as_bytes())
                .update(&[0])
                .update(locale.as_bytes());
        }
        for src in theme.i18n.iter().chain(&site.i18n_overrides) {
            h.update(src.path.to_string_lossy().as_bytes())
                .update(&[0])
                .update(src.text.as_bytes())
                .update(&[0]);
        }
        h.finalize()
    };
    let i18n = match cache.as_deref().and_then(|c| c.i18n.as_ref()) {
        Some((h, i18n, d)) if *h == i18n_hash => {
            diags.extend(d.clone());
            i18n.clone()
        }
        _ => {
            let mut d = Diagnostics::new();
            let i18n = Arc::new(I18n::load(
                &theme.i18n,
                &site.i18n_overrides,
                &langs,
                &mut d,
            ));
            if let Some(c) = cache.as_deref_mut() {
                c.i18n = Some((i18n_hash, i18n.clone(), d.clone()));
            }
            diags.extend(d);
            i18n
        }
    };
    let globals =
        (cache.is_some() || ledger.is_some()).then(|| globals_hash(site, &plan, theme, minify));
    if let (Some(l), Some(g)) = (ledger.as_deref_mut(), globals) {
        let mut key = blake3::Hasher::new();
        key.update(crate::stamp::program().unwrap_or_default().as_bytes())
            .update(g.as_bytes());
        l.start(key.finalize());
    }
    let past = ledger.as_deref();
    let previous = cache
        .as_deref()
        .filter(|c| c.globals == globals)
        .map(|c| &c.pages);
    // Only Markdown bodies changed since the last build: the pages that show none of them are
    // taken as they are, without building their context.
    let prints = prints
        .filter(|_| cache.is_some())
        .map(|p| (with_pictures(p.meta, pictures), p.bodies, p.docs));
    let changed_bodies: Option<std::collections::HashSet<(&str, String)>> = match (&cache, &prints)
    {
        (Some(c), Some((meta, bodies, _))) if previous.is_some() && c.meta == Some(*meta) => Some(
            bodies
                .iter()
                .filter(|(k, h)| c.bodies.get(*k) != Some(*h))
                .map(|(k, _)| k.clone())
                .collect(),
        ),
        _ => None,
    };
    let keep_contexts = cache.is_some();
    let statics: Arc<rustc_hash::FxHashMap<String, String>> = Arc::new(
        theme
            .statics
            .iter()
            .map(|(rel, published, _)| (rel.clone(), format!("/{published}")))
            .collect(),
    );
    let Some(tera) = templates::engine(
        theme,
        i18n.clone(),
        plan.clone(),
        statics.clone(),
        minify,
        diags,
    ) else {
        return Output::default();
    };
    let ctx = views::Shared::new(site, &plan, &i18n, pictures, &statics);

    enum Page {
        Failed(Diagnostics),
        /// Taken from the last build as it was.
        Reused(Bytes, Diagnostics),
        /// Context built and equal to last time's: the bytes are too.
        SameContext(Bytes, Diagnostics),
        /// Context built and equal to the last `vetrina build`'s, whose bytes are still in
        /// the output folder.
        Kept(Bytes, ledger::Entry),
        Rendered(
            Bytes,
            Option<tera::Context>,
            Diagnostics,
            Option<ledger::Entry>,
            /// Taken by the sink.
            bool,
        ),
    }
    let empty: Bytes = Arc::new(Vec::new());
    let search_on = site.config.search.unwrap_or(true);
    // A build that streams its pages lets go of them: each is taken apart for the search
    // index in the thread that rendered it, while its text is at hand.
    let indexer = (sink.is_some() && search_on)
        .then(|| search::Indexer::new(plan.routes.iter().filter(|r| search::indexed(r))));
    // The feeds, calendars and sitemap need no page: made beside the pages, on whichever
    // thread is free (serially after them they were 0.4 s of a 10,000-story build).
    let make_extras = || match (&changed_bodies, &cache) {
        (Some(_), Some(c)) if !c.extras.is_empty() => c.extras.clone(),
        _ => {
            let mut x = ics::calendars(site, &plan);
            x.extend(feeds::atom_feeds(site, &plan));
            x.extend(
                feeds::sitemap(site, &plan)
                    .into_iter()
                    .map(|(p, b)| (p, Arc::new(b))),
            );
            x
        }
    };
    let render_pages = || -> Vec<Page> {
        plan.routes
            .par_iter()
            .map(|route| {
                let cached = previous.and_then(|p| p.get(&route.path));
                if let (Some(changed), Some(c)) = (&changed_bodies, cached)
                    && !body_of(&route.kind)
                        .is_some_and(|(s, k)| changed.iter().any(|(cs, ck)| *cs == s && ck == k))
                {
                    return Page::Reused(c.bytes.clone(), c.diags.clone());
                }
                let mut d = Diagnostics::new();
                let Some((template, context)) = views::page(&ctx, route, &mut d) else {
                    return Page::Failed(d);
                };
                if let Some(c) = cached
                    && c.context == *context.context()
                {
                    return Page::SameContext(c.bytes.clone(), c.diags.clone());
                }
                let fingerprint = past.and_then(|_| context.fingerprint());
                if let (Some(l), Some(fp)) = (past, &fingerprint)
                    && d.is_empty()
                    && let Some((bytes, entry)) = l.kept(&route.path, &route.file(), fp)
                {
                    // Already published: a build that streams its pages has no use for them.
                    let bytes = if sink.is_some() {
                        empty.clone()
                    } else {
                        Arc::new(bytes)
                    };
                    return Page::Kept(bytes, entry);
                }
                let page = templates::render(&tera, theme, &template, context.context(), &mut d);
                // Minified already: the templates were (`minify`).
                let Some(mut bytes) = page else {
                    return Page::Failed(d);
                };
                if let Some(ix) = &indexer {
                    ix.add(route, &bytes, sink);
                }
                // Recorded for the next build only when nothing was reported: a page with a
                // warning is rendered every time, so that the warning is too.
                let entry = fingerprint
                    .filter(|_| d.is_empty())
                    .map(|context| ledger::Entry {
                        context,
                        bytes: blake3::hash(&bytes),
                    });
                let streamed = sink.is_some_and(|put| put(&route.file(), &bytes));
                Page::Rendered(
                    if streamed {
                        empty.clone()
                    } else {
                        // Kept (`vetrina serve`'s cache): without the room left for a
                        // longer page (see `templates::render`).
                        bytes.shrink_to_fit();
                        Arc::new(bytes)
                    },
                    keep_contexts.then(|| context.into_context()),
                    d,
                    entry,
                    streamed,
                )
            })
            .collect()
    };
    let (results, extras) = rayon::join(render_pages, make_extras);
    let mut entries = Vec::new();
    let mut out = Output::default();
    let mut reused = 0;
    let mut contexts_built = 0;
    let mut fresh = Vec::new();
    for (route, page) in plan.routes.iter().zip(results) {
        let (bytes, d) = match page {
            Page::Failed(d) => {
                diags.extend(d);
                continue;
            }
            Page::Reused(b, d) => {
                reused += 1;
                (b, d)
            }
            Page::SameContext(b, d) => {
                reused += 1;
                contexts_built += 1;
                (b, d)
            }
            Page::Kept(b, entry) => {
                reused += 1;
                contexts_built += 1;
                entries.push((route.path.clone(), entry));
                out.kept.insert(route.file());
                (b, Diagnostics::new())
            }
            Page::Rendered(b, context, d, entry, streamed) => {
                contexts_built += 1;
                if streamed {
                    out.streamed.insert(route.file());
                }
                if let Some(c) = context {
                    fresh.push((route.path.clone(), c, b.clone(), d.clone()));
                }
                if let Some(e) = entry {
                    entries.push((route.path.clone(), e));
                }
                (b, d)
            }
        };
        diags.extend(d);
        let f = route.file();
        if search_on && search::indexed(route) {
            out.indexable.push((route.clone(), f.clone()));
        }
        out.files.push((f, bytes));
    }
    if let Some(l) = ledger {
        l.record(entries);
    }
    if let Some(c) = cache.filter(|_| !diags.has_errors()) {
        c.extras = extras.clone();
        c.reused = reused;
        c.contexts_built = contexts_built;
        if c.globals != globals {
            c.pages.clear();
            c.globals = globals;
        }
        if let Some((meta, bodies, docs)) = prints {
            c.meta = Some(meta);
            c.bodies = bodies;
            c.docs = docs;
        }
        if changed_bodies.is_none() {
            let live: std::collections::HashSet<&str> =
                plan.routes.iter().map(|r| r.path.as_str()).collect();
            c.pages.retain(|p, _| live.contains(p.as_str()));
        }
        for (path, context, bytes, diags) in fresh {
            c.pages.insert(
                path,
                CachedPage {
                    context,
                    bytes,
                    diags,
                },
            );
        }
    }
    out.files.extend(extras.iter().cloned());
    for a in &site.assets {
        let Some(dir) = plan.bundle_dir(&a.section, &a.key) else {
            continue;
        };
        if is_raster(&a.name) {
            // Never the original: only the re-encoded variants, free of metadata.
            if let Some(p) = pictures.get(&a.section, &a.key, &a.name) {
                for v in &p.variants {
                    let dest = crate::plan::file_of(&format!("{dir}{}", v.file_name));
                    out.copies.push((dest, v.cached.clone()));
                }
            }
        } else {
            let dest = crate::plan::file_of(&format!("{dir}{}", a.name));
            out.copies.push((dest, a.abs.clone()));
        }
    }
    for (_, published, abs) in &theme.statics {
        out.copies.push((published.clone(), abs.clone()));
    }
    out.indexer = indexer;
    out.files.sort_by(|a, b| a.0.cmp(&b.0));
    out.files.dedup_by(|a, b| a.0 == b.0);
    out.copies.sort();
    out
}
