//! Render: every planned route becomes bytes, through the theme's Tera templates.
//!
//! All sorting, grouping, formatting and URL building happen here in Rust and reach the
//! templates as plain data (the "views" below); templates only lay it out. Routes render in
//! parallel over a shared, read-only `Site`. Nothing here touches the disk.

pub mod chart;
mod feeds;
pub mod i18n;
pub mod ics;
pub mod map;
pub mod markdown;
mod search;
mod templates;
mod views;

pub use search::{CANCELLED, GeneratedFile, SEARCH_DIR, SearchStats};

use std::path::PathBuf;
use std::sync::Arc;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diag::Diagnostics;
use crate::images::{Pictures, is_raster};
use crate::load::Theme;
use crate::model::Site;
use crate::plan::Plan;
use i18n::I18n;

/// Everything a build publishes, in memory, before anything is written.
#[derive(Debug, Default)]
pub struct Output {
    /// Generated files: (path relative to the output folder, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    /// Files copied as they are: (path relative to the output folder, source file).
    pub copies: Vec<(String, PathBuf)>,
    /// The routes whose pages go into the search index, and their files.
    pub indexable: Vec<(crate::plan::Route, String)>,
}

/// Pages rendered by an earlier build of the same process (`vetrina serve`): a route whose
/// template context is equal to last time's, under the same templates, strings and URLs,
/// gives the same bytes, so they are taken from here instead of rendered again.
#[derive(Default)]
pub struct RenderCache {
    globals: Option<blake3::Hash>,
    pages: HashMap<String, (tera::Context, Vec<u8>)>,
    /// Pages taken from the cache by the last build.
    pub reused: usize,
}

impl Output {
    /// Builds the search index of the indexable pages of this output.
    pub fn search_index(
        &self,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Result<(Vec<GeneratedFile>, SearchStats), String> {
        let by_file: HashMap<&str, &[u8]> = self
            .files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        search::index(
            self.indexable
                .iter()
                .filter_map(|(r, f)| Some((r, *by_file.get(f.as_str())?))),
            cancelled,
        )
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

/// Renders every route of `plan`. Template and Markdown problems are diagnostics.
pub fn render(
    site: &Site,
    plan: Plan,
    theme: &Theme,
    pictures: &Pictures,
    minify: bool,
    mut cache: Option<&mut RenderCache>,
    diags: &mut Diagnostics,
) -> Output {
    // A build that already has errors neither uses nor updates the cache: the site it sees
    // is not the one that will be built once the errors are fixed.
    if diags.has_errors() {
        cache = None;
    }
    let globals = cache
        .as_ref()
        .map(|_| globals_hash(site, &plan, theme, minify));
    let previous = cache
        .as_deref()
        .filter(|c| c.globals == globals)
        .map(|c| &c.pages);
    let keep_contexts = cache.is_some();
    let langs: Vec<(&str, &str)> = site
        .langs
        .iter()
        .map(|l| (l.code.as_str(), l.locale.as_str()))
        .collect();
    let i18n = Arc::new(I18n::load(&theme.i18n, &site.i18n_overrides, &langs, diags));
    let plan = Arc::new(plan);
    let statics: Arc<HashMap<String, String>> = Arc::new(
        theme
            .statics
            .iter()
            .map(|(rel, published, _)| (rel.clone(), format!("/{published}")))
            .collect(),
    );
    let Some(tera) = templates::engine(theme, i18n.clone(), plan.clone(), statics.clone(), diags)
    else {
        return Output::default();
    };
    let ctx = views::Shared::new(site, &plan, &i18n, pictures, &statics);

    type Rendered = (
        Option<(String, Vec<u8>)>,
        Option<tera::Context>,
        bool,
        Diagnostics,
    );
    let results: Vec<Rendered> = plan
        .routes
        .par_iter()
        .map(|route| {
            let mut d = Diagnostics::new();
            let Some((template, context)) = views::page(&ctx, route, &mut d) else {
                return (None, None, false, d);
            };
            if let Some((old, bytes)) = previous.and_then(|p| p.get(&route.path))
                && *old == context
            {
                return (Some((route.file(), bytes.clone())), None, true, d);
            }
            let page = templates::render(&tera, theme, &template, &context, &mut d);
            let bytes = page.map(|html| {
                if minify {
                    minify_html::minify(html.as_bytes(), &minify_cfg())
                } else {
                    html.into_bytes()
                }
            });
            let keep = (keep_contexts && bytes.is_some()).then_some(context);
            (bytes.map(|b| (route.file(), b)), keep, false, d)
        })
        .collect();
    let mut out = Output::default();
    let mut reused = 0;
    let mut fresh = Vec::new();
    for (route, (file, context, from_cache, d)) in plan.routes.iter().zip(results) {
        diags.extend(d);
        reused += from_cache as usize;
        if let Some((f, bytes)) = file {
            if site.config.search.unwrap_or(true) && search::indexed(route) {
                out.indexable.push((route.clone(), f.clone()));
            }
            if let Some(c) = context {
                fresh.push((route.path.clone(), c, bytes.clone()));
            }
            out.files.push((f, bytes));
        }
    }
    if let Some(c) = cache.filter(|_| !diags.has_errors()) {
        c.reused = reused;
        if c.globals != globals {
            c.pages.clear();
            c.globals = globals;
        }
        let live: std::collections::HashSet<&str> =
            plan.routes.iter().map(|r| r.path.as_str()).collect();
        c.pages.retain(|p, _| live.contains(p.as_str()));
        for (path, context, bytes) in fresh {
            c.pages.insert(path, (context, bytes));
        }
    }
    out.files.extend(calendars(site, &plan));
    out.files.extend(atom_feeds(site, &plan));
    out.files.extend(feeds::sitemap(site, &plan));
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
    out.files.sort_by(|a, b| a.0.cmp(&b.0));
    out.files.dedup_by(|a, b| a.0 == b.0);
    out.copies.sort();
    out
}

/// Every calendar of the site, in every language: all events, each event, each region's and
/// each project's events.
fn calendars(site: &Site, plan: &Plan) -> Vec<(String, Vec<u8>)> {
    let host = feeds::host(site);
    let dl = site.default_lang();
    let mut files = Vec::new();
    for lang in &site.langs {
        let l = lang.code.as_str();
        fn item<'e>(
            site: &Site,
            plan: &Plan,
            l: &str,
            e: &'e crate::model::Event,
        ) -> ics::IcsEvent<'e> {
            let dl = site.default_lang();
            let d = &e.data;
            let location = match (&d.venue, &d.online) {
                (Some(v), _) => [
                    Some(v.name.as_str()),
                    v.address.as_deref(),
                    v.city.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
                (None, Some(o)) => format!("Online: {}", o.platform),
                (None, None) => String::new(),
            };
            ics::IcsEvent {
                event: e,
                summary: d.title.get(l, dl).to_string(),
                description: d
                    .summary
                    .as_ref()
                    .map(|s| s.get(l, dl).to_string())
                    .unwrap_or_default(),
                location,
                url: format!(
                    "{}{}",
                    site.base_url,
                    plan.path("event", e.id(), l).unwrap_or("/")
                ),
            }
        }
        let site_name = site.config.title.get(l, dl);
        let mut add = |path: Option<String>, name: String, events: Vec<&crate::model::Event>| {
            if let Some(p) = path {
                let items: Vec<ics::IcsEvent> =
                    events.into_iter().map(|e| item(site, plan, l, e)).collect();
                files.push((
                    crate::plan::file_of(&p),
                    ics::calendar(&name, &host, l, &items),
                ));
            }
        };
        add(
            plan.calendar_path("all", "", l),
            site_name.to_string(),
            site.events.iter().collect(),
        );
        for e in &site.events {
            let name = format!("{} — {}", e.data.title.get(l, dl), site_name);
            add(plan.calendar_path("event", e.id(), l), name, vec![e]);
        }
        for r in &crate::model::regions::REGIONS {
            let evs: Vec<_> = site
                .events
                .iter()
                .filter(|e| e.data.regions.iter().any(|x| x.value == r.key))
                .collect();
            let name = format!("{} — {}", r.name(l), site_name);
            add(plan.calendar_path("region", r.key, l), name, evs);
        }
        for p in &site.projects {
            let evs: Vec<_> = site
                .events
                .iter()
                .filter(|e| e.data.projects.iter().any(|x| x.value == p.key))
                .collect();
            let name = format!("{} — {}", p.doc(l, &site.langs).0.fm.title, site_name);
            add(plan.calendar_path("project", &p.key, l), name, evs);
        }
    }
    files
}

/// The Atom feeds of every language: the whole site, each region, each project.
fn atom_feeds(site: &Site, plan: &Plan) -> Vec<(String, Vec<u8>)> {
    let dl = site.default_lang();
    let mut files = Vec::new();
    for lang in &site.langs {
        let l = lang.code.as_str();
        let site_name = site.config.title.get(l, dl);
        let mut add =
            |feed: Option<String>, page: Option<&str>, title: String, scope: feeds::Scope| {
                if let (Some(f), Some(p)) = (feed, page) {
                    let bytes = feeds::atom(site, plan, l, &scope, &title, &f, p);
                    files.push((crate::plan::file_of(&f), bytes));
                }
            };
        add(
            plan.feed_path("all", "", l),
            plan.path("home", "", l),
            site_name.to_string(),
            feeds::Scope::All,
        );
        for r in &crate::model::regions::REGIONS {
            add(
                plan.feed_path("region", r.key, l),
                plan.path("region", r.key, l),
                format!("{} — {site_name}", r.name(l)),
                feeds::Scope::Region(r.key),
            );
        }
        for p in &site.projects {
            add(
                plan.feed_path("project", &p.key, l),
                plan.path("project", &p.key, l),
                format!("{} — {site_name}", p.doc(l, &site.langs).0.fm.title),
                feeds::Scope::Project(&p.key),
            );
        }
    }
    files
}

/// minify-html settings: spec-compliant output only (what the Nu Html Checker accepts), the
/// `<html>` and `<head>` tags kept because they carry `lang` and `dir`.
fn minify_cfg() -> minify_html::Cfg {
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    cfg.minify_js = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg
}
