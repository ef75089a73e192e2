//! Render: every planned route becomes bytes, through the theme's Tera templates.
//!
//! All sorting, grouping, formatting and URL building happen here in Rust and reach the
//! templates as plain data (the "views" below); templates only lay it out. Routes render in
//! parallel over a shared, read-only `Site`.
//!
//! One entry point, `render`: what it reads is a `RenderContext`, what it may take from
//! earlier builds is a `Reuse` (see `reuse`), and a `PageSink` may take each page as it is
//! made. It writes nothing: the result is the write stage's `Output`. The only file it reads
//! is a page the last build published, when the ledger vouches for it.

pub mod chart;
mod copies;
mod dates;
mod extras;
mod feeds;
mod html_min;
pub mod i18n;
pub mod ics;
pub mod inline_html;
pub mod ledger;
pub mod map;
pub mod markdown;
#[cfg(test)]
mod markdown_props;
mod minify;
mod prints;
mod reuse;
mod script_json;
mod templates;
#[cfg(test)]
mod tests;
mod views;

pub use prints::{SitePrints, site_prints};
pub use reuse::{RenderCache, Reuse};

use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::Diagnostics;
use crate::images::Pictures;
use crate::load::Theme;
use crate::model::Site;
use crate::plan::{Plan, Route};
use crate::write::{Bytes, Held, OutFile, Output};
use reuse::{Page, RecordedPage, ReuseCounts};

/// What a render reads: the site, its addresses, the theme and the processed pictures.
/// (mdBook's `RenderContext`.)
pub struct RenderContext<'a> {
    pub site: &'a Site,
    pub plan: Arc<Plan>,
    pub theme: &'a Theme,
    pub pictures: &'a Pictures,
    /// Whether the templates are minified (and so every page).
    pub minify: bool,
    /// The CMS admin saves through `vetrina serve` (see `admin::files`).
    pub cms_local_backend: bool,
}

/// Takes each page as soon as it is rendered: the staging folder and the search index of a
/// build that does not hold every page in memory.
pub trait PageSink: Sync {
    /// Takes the page of `route` (its file `file` in the output); returns whether it took
    /// the bytes, so that they need not be kept.
    fn take(&self, route: &Route, file: &str, bytes: &[u8]) -> bool;
}

/// Renders every route of the plan, and the feeds, calendars, sitemap and copied files
/// beside them. Template and Markdown problems are diagnostics.
///
/// `reuse` says what may be taken from earlier builds instead of rendered (and keeps this
/// build for the next). With a `sink`, each rendered page is handed to it; the pages it
/// takes are not held in the output (`Held::Streamed`), nor are those taken from the
/// output folder as they were (`Held::Kept`).
pub fn render(
    cx: &RenderContext,
    reuse: Reuse,
    sink: Option<&dyn PageSink>,
    diags: &mut Diagnostics,
) -> Output {
    let RenderContext {
        site,
        theme,
        pictures,
        minify,
        cms_local_backend,
        ..
    } = *cx;
    let plan = &cx.plan;
    let mut reuse = reuse.unless_errors(diags);
    let i18n = reuse.i18n(site, theme, diags);
    let statics: Arc<rustc_hash::FxHashMap<String, String>> = Arc::new(
        theme
            .statics
            .iter()
            .map(|(rel, published, _)| (rel.clone(), format!("/{published}")))
            .collect(),
    );
    let engine_key = || reuse::EngineKey::new(theme, minify, &i18n, plan);
    let make_engine = |d: &mut Diagnostics| {
        templates::engine(
            theme,
            i18n.clone(),
            plan.clone(),
            statics.clone(),
            minify,
            d,
        )
    };
    let Some(tera) = reuse.engine(engine_key, diags, make_engine) else {
        return Output::default();
    };
    let views = views::Shared::new(site, plan, &i18n, pictures, &statics);
    let routes = reuse.routes_hash(plan);
    // With the site's addresses or without (the ledger's key: a page that looks an address
    // up carries them in its own fingerprint, `with_addresses`).
    let globals = |with_routes: bool| {
        let routes = with_routes.then(|| routes.unwrap_or_else(|| reuse::routes_hash(plan)));
        reuse::globals_hash(site, routes, theme, minify)
    };
    let decisions = reuse.begin(
        globals,
        pictures,
        || prints::placements(site),
        || views.card_prints(),
    );
    // A context's fingerprint with the site's addresses: what the ledger records of a page
    // whose templates looked an address up (`url()`), which is then kept only while every
    // address is the same. Any other page is kept whatever pages were added or removed.
    let with_addresses = |fp: &blake3::Hash| -> blake3::Hash {
        let mut h = blake3::Hasher::new();
        h.update(fp.as_bytes());
        if let Some(r) = &routes {
            h.update(r.as_bytes());
        }
        h.finalize()
    };
    let render_page = |route: &Route| -> Page {
        if let Some(page) = (decisions.unchanged_body(route))
            .or_else(|| decisions.unchanged_story(route))
            .or_else(|| decisions.untouched_on_disk(route))
            .or_else(|| decisions.untouched_story_on_disk(route))
            .or_else(|| decisions.untouched_with_the_same_cards(route))
            .or_else(|| decisions.unchanged_with_the_same_cards(route))
        {
            return page;
        }
        let mut d = Diagnostics::new();
        let (built, cards) = views::cards_shown_while(|| views::page(&views, route, &mut d));
        let Some((template, context)) = built else {
            return Page::Failed(d);
        };
        let fingerprint = (decisions.wants_fingerprint() || decisions.keeps_fingerprints())
            .then(|| context.fingerprint())
            .flatten();
        if let Some(fp) = &fingerprint
            && let Some(page) = decisions.same_context(route, fp, &with_addresses(fp))
        {
            return page;
        }
        if let Some(fp) = &fingerprint
            && d.is_empty()
            && let Some(page) = decisions.on_disk(route, fp, &with_addresses(fp), sink.is_none())
        {
            return page;
        }
        // Minified already: the templates were (`minify`).
        let Some(templates::Rendered {
            mut bytes,
            looked_up_addresses,
        }) = templates::render_page(&tera, theme, &template, context.context(), &mut d)
        else {
            return Page::Failed(d);
        };
        let cards: Arc<[u64]> = cards.into();
        // Recorded for the next build only when nothing was reported: a page with a
        // warning is rendered every time, so that the warning is too.
        let entry = fingerprint
            .filter(|_| d.is_empty() && decisions.wants_fingerprint())
            .map(|fp| ledger::Entry {
                context: if looked_up_addresses {
                    with_addresses(&fp)
                } else {
                    fp
                },
                bytes: blake3::hash(&bytes),
                cards: cards.clone(),
                addresses: looked_up_addresses,
            });
        let streamed = sink.is_some_and(|s| s.take(route, route.file(), &bytes));
        let bytes = if streamed {
            Arc::new(Vec::new())
        } else {
            // Kept: without the room left for a longer page (see `templates::render`).
            bytes.shrink_to_fit();
            Arc::new(bytes)
        };
        Page::Rendered {
            bytes,
            // With the site's addresses when it looked one up, as the ledger records it.
            fingerprint: (fingerprint.filter(|_| decisions.keeps_fingerprints())).map(|fp| {
                if looked_up_addresses {
                    with_addresses(&fp)
                } else {
                    fp
                }
            }),
            diags: d,
            entry,
            cards,
            addresses: looked_up_addresses,
            streamed,
        }
    };
    // The feeds, calendars and sitemap need no page: made beside the pages, each kind of
    // file on whichever thread is free (after a title edit, the pages are mostly taken
    // from the output and these are most of the work).
    let make_extras = || {
        decisions.unchanged_extras().unwrap_or_else(|| {
            let sources = extras::Sources {
                site,
                plan,
                views: &views,
                i18n: &i18n,
                cms_local_backend,
            };
            extras::make(&sources, &decisions)
        })
    };
    let (pages, extras) = rayon::join(
        || plan.routes.par_iter().map(render_page).collect::<Vec<_>>(),
        make_extras,
    );
    drop(decisions);
    let mut out = Output::default();
    out.files.reserve(plan.routes.len() + extras.len());
    let mut counts = ReuseCounts::default();
    let mut recorded = Vec::new();
    // The bytes of a page kept in the output folder: none, shared.
    let no_bytes: Bytes = Arc::new(Vec::new());
    for (route, page) in plan.routes.iter().zip(pages) {
        let file = route.file().to_string();
        let (bytes, held, d) = match page {
            Page::Failed(d) => {
                diags.extend(d);
                continue;
            }
            // In the output folder as the last build of this process wrote it.
            Page::Reused(d) => {
                counts.reused += 1;
                (no_bytes.clone(), Held::Kept, d)
            }
            Page::SameContext(d) => {
                counts.reused += 1;
                counts.contexts_built += 1;
                (no_bytes.clone(), Held::Kept, d)
            }
            Page::Kept(b, entry) => {
                counts.reused += 1;
                counts.contexts_built += 1;
                recorded.push((
                    route,
                    RecordedPage {
                        fingerprint: None,
                        diags: Diagnostics::new(),
                        cards: entry.cards.clone(),
                        addresses: entry.addresses,
                        entry: Some(entry),
                    },
                ));
                (b, Held::Kept, Diagnostics::new())
            }
            Page::Rendered {
                bytes,
                fingerprint,
                diags: d,
                entry,
                cards,
                addresses,
                streamed,
            } => {
                counts.contexts_built += 1;
                recorded.push((
                    route,
                    RecordedPage {
                        fingerprint,
                        diags: d.clone(),
                        entry,
                        cards,
                        addresses,
                    },
                ));
                let held = if streamed { Held::Streamed } else { Held::Here };
                (bytes, held, d)
            }
        };
        diags.extend(d);
        out.files.push(OutFile {
            path: file,
            bytes,
            held,
        });
    }
    out.pages_kept = counts.reused;
    out.extras_kept = extras.iter().filter(|x| x.kept).count();
    reuse.record(plan, &extras, recorded, counts, diags);
    // Those kept are in the output folder as the last build left them.
    out.files.extend((extras.into_iter()).map(|x| OutFile {
        path: x.path,
        bytes: x.bytes,
        held: if x.kept { Held::Kept } else { Held::Here },
    }));
    out.copies = copies::copies(site, plan, theme, pictures);
    // Stable, so that of two files with one path the first made is kept; on every core
    // (44,000 paths at 10,000 stories, sorted again on every rebuild of `vetrina serve`).
    out.files.par_sort_by(|a, b| a.path.cmp(&b.path));
    out.files.dedup_by(|a, b| a.path == b.path);
    out
}
