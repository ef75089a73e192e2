//! Project pages: the sheet of one project (funds, partners, regions, figures and their
//! chart, its stories and events), the list of projects, and the project card other pages
//! show.

use serde::Serialize;

use super::chrome::FundView;
use super::context::{Cx, OrgView, RegionCard, all_langs, i18n, latest};
use super::event::{EventCard, event_card};
use super::story::{StoryCard, story_card};
use super::{PageContext, PageParts};
use crate::diag::Diagnostics;
use crate::model::Entity;
use crate::model::schema::{Direction, ProjectFm, ProjectStatus, Role};
use crate::model::yaml::RegionSel;
use crate::plan::{FileKind, PageKind, Scope};

#[derive(Serialize)]
pub(super) struct ProjectCard {
    key: String,
    href: String,
    title: String,
    acronym: Option<String>,
    summary: String,
    status: &'static str,
    national: bool,
}

pub(super) fn project_card(cx: &Cx, p: &Entity<ProjectFm>) -> ProjectCard {
    let (d, _) = p.doc(cx.l(), &cx.site().langs);
    ProjectCard {
        key: p.key.clone(),
        href: cx.link(PageKind::Project, &p.key),
        title: d.fm.title.clone(),
        acronym: d.fm.acronym.clone(),
        summary: d.fm.summary.value.clone(),
        status: status_key(d.fm.status),
        national: matches!(d.fm.regions.value, RegionSel::All),
    }
}

fn status_key(s: ProjectStatus) -> &'static str {
    match s {
        ProjectStatus::Planned => "status_planned",
        ProjectStatus::Ongoing => "status_ongoing",
        ProjectStatus::Concluded => "status_concluded",
        ProjectStatus::Mainstreamed => "status_mainstreamed",
    }
}

fn role_key(r: Role) -> String {
    format!("role_{}", r.key().replace('-', "_"))
}

#[derive(Serialize)]
struct PartnerView {
    org: OrgView,
    role: String,
}

#[derive(Serialize)]
struct ProjectView {
    key: String,
    title: String,
    acronym: Option<String>,
    summary: String,
    status: &'static str,
    period_start: Option<String>,
    period_end: Option<String>,
    funds: Vec<FundView>,
    eu_funded: bool,
    statement: String,
    prog: Option<String>,
    cup: Option<String>,
    lead: Option<OrgView>,
    partners: Vec<PartnerView>,
    national: bool,
    regions: Vec<RegionCard>,
    target_groups: Vec<String>,
    themes: Vec<String>,
    unit_cost: Option<String>,
    unit_cost_label: Option<String>,
    website: Option<String>,
    updated: Option<String>,
    verified: Option<String>,
    html: String,
    figures: Vec<FigureView>,
    figures_as_of: Option<String>,
    figures_source: Option<String>,
    figures_illustrative: bool,
}

#[derive(Serialize)]
struct FigureView {
    label: String,
    unit: String,
    total: Option<String>,
}

pub(super) fn project(
    cx: &Cx,
    key: &str,
    ctx: &mut PageContext,
    diags: &mut Diagnostics,
) -> Option<PageParts> {
    let site = cx.site();
    let e = site.project(key)?;
    let (doc, _) = e.doc(cx.l(), &site.langs);
    let fm = &doc.fm;
    let funds: Vec<FundView> = fm
        .funds
        .iter()
        .filter_map(|k| {
            let f = site.funds.get(&k.value)?;
            Some(FundView {
                key: k.value.clone(),
                name: cx.text(&f.name).to_string(),
                short: f
                    .short
                    .as_ref()
                    .map(|s| cx.text(s).to_string())
                    .unwrap_or_default(),
                eu: f.eu,
            })
        })
        .collect();
    let statement = fm
        .funds
        .iter()
        .filter_map(|k| site.funds.get(&k.value))
        .find(|f| f.eu)
        .map(|f| cx.text(&f.statement).to_string())
        .unwrap_or_default();
    let regions = match &fm.regions.value {
        RegionSel::All => Vec::new(),
        RegionSel::Some(v) => v.iter().filter_map(|r| cx.region(&r.value)).collect(),
    };
    let ind = site.indicators.iter().find(|i| i.project.value == key);
    let figures = ind
        .map(|i| {
            i.figures
                .iter()
                .map(|f| FigureView {
                    label: cx.text(&f.label).to_string(),
                    unit: f
                        .unit
                        .as_ref()
                        .map(|u| cx.text(u).to_string())
                        .unwrap_or_default(),
                    total: f.total.map(|t| cx.s.i18n.number(cx.l(), t)),
                })
                .collect()
        })
        .unwrap_or_default();
    let view = ProjectView {
        key: key.to_string(),
        title: fm.title.clone(),
        acronym: fm.acronym.clone(),
        summary: fm.summary.value.clone(),
        status: status_key(fm.status),
        period_start: fm.period.as_ref().and_then(|p| p.start).map(|d| cx.date(d)),
        period_end: fm.period.as_ref().and_then(|p| p.end).map(|d| cx.date(d)),
        eu_funded: funds.iter().any(|f| f.eu),
        funds,
        statement,
        prog: fm.codes.as_ref().and_then(|c| c.prog.clone()),
        cup: fm.codes.as_ref().and_then(|c| c.cup.clone()),
        lead: fm.lead.as_ref().map(|l| cx.org(&l.value)),
        partners: fm
            .partners
            .iter()
            .map(|p| PartnerView {
                org: cx.org(&p.org.value),
                role: role_key(p.role),
            })
            .collect(),
        national: matches!(fm.regions.value, RegionSel::All),
        regions,
        target_groups: fm.target_groups.clone(),
        themes: fm.themes.clone(),
        unit_cost: fm
            .unit_cost
            .as_ref()
            .map(|u| format!("{} {}", cx.s.i18n.number(cx.l(), u.amount), u.currency)),
        unit_cost_label: fm.unit_cost.as_ref().and_then(|u| u.label.clone()),
        website: fm.website.as_ref().map(|w| w.value.clone()),
        updated: fm.updated.map(|d| cx.date(d)),
        verified: fm.verified.map(|d| cx.date(d)),
        html: cx.markdown("projects", e, doc, diags),
        figures,
        figures_as_of: ind.map(|i| cx.date(i.as_of)),
        figures_source: ind.map(|i| cx.text(&i.source).to_string()),
        figures_illustrative: ind.is_some_and(|i| i.illustrative),
    };
    let bars: Vec<crate::render::chart::Bar> = ind
        .map(|i| {
            i.figures
                .iter()
                .zip(&view.figures)
                .filter_map(|(f, fv)| {
                    Some(crate::render::chart::Bar {
                        label: &fv.label,
                        value: f.total?,
                        value_text: fv.total.as_deref()?,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let chart = if bars.is_empty() {
        String::new()
    } else {
        let title = i18n(cx, "figures_title");
        crate::render::chart::bar_chart(
            &title,
            &bars,
            cx.lang.dir == Direction::Rtl,
            "project-chart",
        )
    };
    ctx.insert("figures_chart", &chart);
    ctx.insert("description", &view.summary);
    ctx.insert(
        "calendar_href",
        &cx.file_link(FileKind::Calendar(Scope::Project(key))),
    );
    ctx.insert(
        "feed_href",
        &cx.file_link(FileKind::Feed(Scope::Project(key))),
    );
    ctx.insert("project", &view);
    ctx.insert("content_lang", &doc.lang);
    let stories: Vec<StoryCard> = (cx.s.project_stories(key).iter())
        .map(|s| story_card(cx, s))
        .collect();
    ctx.insert("stories", &stories);
    let events: Vec<EventCard> = site
        .events
        .iter()
        .filter(|ev| ev.data.projects.iter().any(|p| p.value == key))
        .map(|ev| event_card(cx, ev))
        .collect();
    ctx.insert("events", &events);
    let updated = fm
        .updated
        .or(fm.verified)
        .unwrap_or_else(|| cx.s.content_date());
    Some((
        "project.html",
        fm.title.clone(),
        updated,
        e.docs.keys().cloned().collect(),
    ))
}

/// The list of every project.
pub(super) fn project_list(cx: &Cx, ctx: &mut PageContext) -> PageParts {
    let site = cx.site();
    let cards: Vec<ProjectCard> = site.projects.iter().map(|p| project_card(cx, p)).collect();
    ctx.insert("projects", &cards);
    let upd = latest(site.projects.iter().map(|p| {
        let d = &p.source(&site.langs).fm;
        d.updated.or(d.verified)
    }));
    (
        "project-list.html",
        i18n(cx, "nav_projects"),
        upd,
        all_langs(site),
    )
}
