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

pub use search::{SEARCH_DIR, SearchStats};

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
    /// What the search index holds, if the site has search.
    pub search: Option<SearchStats>,
}

/// Renders every route of `plan`. Template and Markdown problems are diagnostics.
pub fn render(
    site: &Site,
    plan: Plan,
    theme: &Theme,
    pictures: &Pictures,
    minify: bool,
    diags: &mut Diagnostics,
) -> Output {
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

    type Rendered = (Option<(String, Vec<u8>)>, Diagnostics);
    let results: Vec<Rendered> = plan
        .routes
        .par_iter()
        .map(|route| {
            let mut d = Diagnostics::new();
            let page = views::page(&ctx, route, &mut d).and_then(|(template, context)| {
                templates::render(&tera, theme, &template, &context, &mut d)
            });
            let bytes = page.map(|html| {
                if minify {
                    minify_html::minify(html.as_bytes(), &minify_cfg())
                } else {
                    html.into_bytes()
                }
            });
            (bytes.map(|b| (route.file(), b)), d)
        })
        .collect();
    let mut out = Output::default();
    let mut rendered = Vec::with_capacity(results.len());
    for (file, d) in results {
        diags.extend(d);
        rendered.push(file);
    }
    if site.config.search.unwrap_or(true) && !diags.has_errors() {
        let pages = plan
            .routes
            .iter()
            .zip(&rendered)
            .filter(|(r, _)| search::indexed(r))
            .filter_map(|(r, f)| Some((r, f.as_ref()?.1.as_slice())));
        match search::index(pages) {
            Ok((files, stats)) => {
                out.files.extend(files);
                out.search = Some(stats);
            }
            Err(e) => diags.file_error(
                std::path::Path::new("site.yaml"),
                format!("the search index could not be built: {e}"),
                "this is a fault in Vetrina, please report it; meanwhile `search: false` in site.yaml builds the site without search",
            ),
        }
    }
    out.files.extend(rendered.into_iter().flatten());
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
