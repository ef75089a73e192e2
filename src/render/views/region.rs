//! Region pages: one region (its projects, stories, news, events and figures, with a small
//! map highlighting it), the list of regions with the map of Italy, and the tile maps and
//! charts they draw.

use std::collections::BTreeMap;

use serde::Serialize;

use super::context::{Cx, RegionCard, all_langs, i18n};
use super::event::{EventCard, event_card};
use super::news::{NewsCard, news_card};
use super::project::{ProjectCard, project_card};
use super::story::{StoryCard, story_card};
use super::{PageContext, PageParts};
use crate::model::regions::{REGIONS, Region};
use crate::model::schema::{Direction, NewsFm, ProjectFm};
use crate::model::yaml::RegionSel;
use crate::model::{Entity, Event, Site};
use crate::plan::{FileKind, PageKind, Scope};

#[derive(Serialize)]
struct RegionView {
    key: String,
    name: String,
    official_name: String,
    istat: String,
    nuts: String,
    iso: String,
}

pub(super) fn region(cx: &Cx, key: &str, ctx: &mut PageContext) -> PageParts {
    let site = cx.site();
    let r = Region::get(key).unwrap_or(&REGIONS[0]);
    ctx.insert(
        "region",
        &RegionView {
            key: r.key.to_string(),
            name: r.name(cx.l()).to_string(),
            official_name: r.it.to_string(),
            istat: r.istat.to_string(),
            nuts: r.nuts.join(", "),
            iso: r.iso.to_string(),
        },
    );
    ctx.insert(
        "calendar_href",
        &cx.file_link(FileKind::Calendar(Scope::Region(key))),
    );
    ctx.insert(
        "feed_href",
        &cx.file_link(FileKind::Feed(Scope::Region(key))),
    );
    region_figures(cx, key, ctx);
    let projects: Vec<ProjectCard> = site
        .projects
        .iter()
        .filter(|p| match &p.source(&site.langs).fm.regions.value {
            RegionSel::All => true,
            RegionSel::Some(v) => v.iter().any(|x| x.value == key),
        })
        .map(|p| project_card(cx, p))
        .collect();
    ctx.insert("projects", &projects);
    let today = site.today.to_datetime(jiff::civil::Time::midnight());
    let (upcoming, past): (Vec<&Event>, Vec<&Event>) = site
        .events
        .iter()
        .filter(|e| e.data.regions.iter().any(|x| x.value == key))
        .partition(|e| e.until() >= today);
    let up: Vec<EventCard> = upcoming.into_iter().map(|e| event_card(cx, e)).collect();
    let pa: Vec<EventCard> = past.into_iter().rev().map(|e| event_card(cx, e)).collect();
    ctx.insert("upcoming", &up);
    ctx.insert("past", &pa);
    let stories: Vec<StoryCard> = (cx.s.region_stories(key).iter())
        .map(|s| story_card(cx, s))
        .collect();
    ctx.insert("stories", &stories);
    let mut news: Vec<&Entity<NewsFm>> = site
        .news
        .iter()
        .filter(|n| {
            n.source(&site.langs)
                .fm
                .regions
                .iter()
                .any(|x| x.value == key)
        })
        .collect();
    news.sort_by(|a, b| {
        b.source(&site.langs)
            .fm
            .date
            .cmp(&a.source(&site.langs).fm.date)
    });
    let ncards: Vec<NewsCard> = news.iter().map(|n| news_card(cx, n)).collect();
    ctx.insert("news", &ncards);
    (
        "region.html",
        r.name(cx.l()).to_string(),
        cx.s.content_date(),
        all_langs(site),
    )
}

/// The figure that shades the map: its label, its value per region, and whether the values
/// are illustrative (per-region figures without a published source).
struct MapFigure {
    label: String,
    values: BTreeMap<&'static str, f64>,
    illustrative: bool,
    source: Option<String>,
}

fn map_figure(cx: &Cx) -> MapFigure {
    let site = cx.site();
    let choice = site
        .config
        .map
        .as_ref()
        .map(|m| m.figure.value.as_str())
        .unwrap_or("projects");
    let counted = |label: &str, f: &dyn Fn(&str) -> usize| MapFigure {
        label: i18n(cx, label),
        values: REGIONS.iter().map(|r| (r.key, f(r.key) as f64)).collect(),
        illustrative: false,
        source: None,
    };
    match choice {
        "projects" => counted("map_figure_projects", &|k| region_projects(site, k).len()),
        "stories" => counted("map_figure_stories", &|k| cx.s.region_stories(k).len()),
        "events" => counted("map_figure_events", &|k| {
            site.events
                .iter()
                .filter(|e| e.data.regions.iter().any(|x| x.value == k))
                .count()
        }),
        other => {
            let (project, id) = other.split_once('/').unwrap_or((other, ""));
            let ind = site.indicators.iter().find(|i| i.project.value == project);
            let fig = ind.and_then(|i| i.figures.iter().find(|f| f.id == id));
            let values = REGIONS
                .iter()
                .filter_map(|r| Some((r.key, *fig?.regions.get(r.key)?)))
                .collect();
            MapFigure {
                label: fig
                    .map(|f| cx.text(&f.label).to_string())
                    .unwrap_or_default(),
                values,
                illustrative: ind.is_some_and(|i| i.illustrative)
                    || fig.is_some_and(|f| f.regions_illustrative),
                source: ind.map(|i| format!("{} ({})", cx.text(&i.source), cx.date(i.as_of))),
            }
        }
    }
}

/// The projects active in a region: its own and the national ones.
fn region_projects<'s>(site: &'s Site, key: &str) -> Vec<&'s Entity<ProjectFm>> {
    site.projects
        .iter()
        .filter(|p| match &p.source(&site.langs).fm.regions.value {
            RegionSel::All => true,
            RegionSel::Some(v) => v.iter().any(|x| x.value == key),
        })
        .collect()
}

#[derive(Serialize)]
struct MapRow {
    name: String,
    href: String,
    value: String,
}

/// Short tile labels: the first letters of the region's name in a Latin script; none in
/// other scripts, where the tile's accessible name and tooltip give the name.
fn tile_abbr(name: &str) -> String {
    if name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        name.chars()
            .filter(|c| c.is_alphabetic())
            .take(3)
            .collect::<String>()
            .to_uppercase()
    } else {
        String::new()
    }
}

fn tiles_svg(cx: &Cx, fig: &MapFigure, highlight: Option<&str>, small: bool, id: &str) -> String {
    struct T {
        name: String,
        abbr: String,
        href: String,
        value: Option<f64>,
        text: String,
    }
    let data: Vec<T> = REGIONS
        .iter()
        .map(|r| {
            let name = r.name(cx.l()).to_string();
            let value = fig.values.get(r.key).copied();
            T {
                abbr: tile_abbr(&name),
                name,
                href: cx.link(PageKind::Region, r.key),
                value,
                text: value
                    .map(|v| cx.s.i18n.number(cx.l(), v))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let tiles: Vec<crate::render::map::Tile> = REGIONS
        .iter()
        .zip(&data)
        .map(|(r, t)| crate::render::map::Tile {
            key: r.key,
            name: &t.name,
            abbr: &t.abbr,
            href: &t.href,
            value: t.value,
            value_text: &t.text,
        })
        .collect();
    let ranges: Vec<String> = crate::render::map::class_bounds(&tiles)
        .iter()
        .map(|(lo, hi)| {
            let (a, b) = (cx.s.i18n.number(cx.l(), *lo), cx.s.i18n.number(cx.l(), *hi));
            if a == b { a } else { format!("{a}–{b}") }
        })
        .collect();
    let title = i18n(cx, "map_title");
    let no_data = i18n(cx, "map_no_data");
    let labels = crate::render::map::MapLabels {
        title: &title,
        legend_title: &fig.label,
        no_data: &no_data,
        legend_ranges: &ranges,
    };
    crate::render::map::tile_map(
        &tiles,
        highlight,
        small,
        cx.lang.dir == Direction::Rtl,
        &labels,
        id,
    )
}

fn region_map(cx: &Cx, ctx: &mut PageContext) {
    let fig = map_figure(cx);
    ctx.insert("map_svg", &tiles_svg(cx, &fig, None, false, "italy-map"));
    let rows: Vec<MapRow> = REGIONS
        .iter()
        .map(|r| MapRow {
            name: r.name(cx.l()).to_string(),
            href: cx.link(PageKind::Region, r.key),
            value: fig
                .values
                .get(r.key)
                .map(|v| cx.s.i18n.number(cx.l(), *v))
                .unwrap_or_else(|| i18n(cx, "map_no_data")),
        })
        .collect();
    ctx.insert("map_rows", &rows);
    ctx.insert("map_label", &fig.label);
    ctx.insert("map_illustrative", &fig.illustrative);
    ctx.insert("map_source", &fig.source);
}

#[derive(Serialize)]
struct RegionFigure {
    label: String,
    value: String,
    unit: String,
    project: String,
    as_of: String,
    source: String,
    illustrative: bool,
}

/// The region's figures from every indicator file with a value for it, their chart, and the
/// small map with the region highlighted.
fn region_figures(cx: &Cx, key: &str, ctx: &mut PageContext) {
    let site = cx.site();
    let mut rows = Vec::new();
    let mut values = Vec::new();
    for ind in &site.indicators {
        let project = site
            .project(&ind.project.value)
            .map(|p| p.doc(cx.l(), &site.langs).0.fm.title.clone())
            .unwrap_or_default();
        for f in &ind.figures {
            if let Some(v) = f.regions.get(key) {
                values.push(*v);
                rows.push(RegionFigure {
                    label: cx.text(&f.label).to_string(),
                    value: cx.s.i18n.number(cx.l(), *v),
                    unit: f
                        .unit
                        .as_ref()
                        .map(|u| cx.text(u).to_string())
                        .unwrap_or_default(),
                    project: project.clone(),
                    as_of: cx.date(ind.as_of),
                    source: cx.text(&ind.source).to_string(),
                    illustrative: ind.illustrative || f.regions_illustrative,
                });
            }
        }
    }
    let bars: Vec<crate::render::chart::Bar> = rows
        .iter()
        .zip(&values)
        .map(|(r, v)| crate::render::chart::Bar {
            label: &r.label,
            value: *v,
            value_text: &r.value,
        })
        .collect();
    let chart = if bars.is_empty() {
        String::new()
    } else {
        let title = i18n(cx, "region_figures_title");
        crate::render::chart::bar_chart(
            &title,
            &bars,
            cx.lang.dir == Direction::Rtl,
            "region-chart",
        )
    };
    ctx.insert("region_chart", &chart);
    ctx.insert("region_figures", &rows);
    ctx.insert("national_only", &national_only(cx, key));
    let fig = map_figure(cx);
    ctx.insert(
        "mini_map",
        &tiles_svg(cx, &fig, Some(key), true, "region-map"),
    );
}

/// A project active in the region whose indicator file gives national totals only.
#[derive(Serialize)]
struct NationalOnly {
    project: String,
    href: String,
    /// "PUOI reports national totals only: no figure for Lombardy."
    notice: String,
    totals: Vec<NationalTotal>,
    as_of: String,
    source: String,
}

#[derive(Serialize)]
struct NationalTotal {
    label: String,
    value: String,
    unit: String,
}

/// The projects active in the region (its own and the national ones) whose indicators have
/// no value for any region: the hub says plainly that their figures are national totals,
/// and shows those totals as such, never as the region's.
fn national_only(cx: &Cx, key: &str) -> Vec<NationalOnly> {
    let site = cx.site();
    let region = Region::get(key).map(|r| r.name(cx.l())).unwrap_or(key);
    region_projects(site, key)
        .into_iter()
        .filter_map(|p| {
            let ind = site.indicators.iter().find(|i| i.project.value == p.key)?;
            if ind.figures.iter().any(|f| !f.regions.is_empty()) {
                return None;
            }
            let fm = &p.doc(cx.l(), &site.langs).0.fm;
            let title = fm.acronym.clone().unwrap_or_else(|| fm.title.clone());
            let notice = i18n(cx, "region_national_only")
                .replace("{project}", &title)
                .replace("{region}", region);
            Some(NationalOnly {
                href: cx.link(PageKind::Project, &p.key),
                project: title,
                notice,
                totals: ind
                    .figures
                    .iter()
                    .filter_map(|f| {
                        Some(NationalTotal {
                            label: cx.text(&f.label).to_string(),
                            value: cx.s.i18n.number(cx.l(), f.total?),
                            unit: f
                                .unit
                                .as_ref()
                                .map(|u| cx.text(u).to_string())
                                .unwrap_or_default(),
                        })
                    })
                    .collect(),
                as_of: cx.date(ind.as_of),
                source: cx.text(&ind.source).to_string(),
            })
        })
        .collect()
}

/// The list of regions, with the map of Italy shaded by the site's chosen figure.
pub(super) fn region_list(cx: &Cx, ctx: &mut PageContext) -> PageParts {
    let site = cx.site();
    let cards: Vec<RegionCard> = REGIONS.iter().filter_map(|r| cx.region(r.key)).collect();
    ctx.insert("regions", &cards);
    region_map(cx, ctx);
    (
        "region-list.html",
        i18n(cx, "nav_regions"),
        cx.s.content_date(),
        all_langs(site),
    )
}
