//! The filters of the story and event lists: the choices each filter offers (the regions,
//! projects and years the list holds), the interface strings the list script needs, and the
//! JSON of every story card, which lets the script filter a story list shown over several
//! pages. Which cards a reader sees is decided by the script in the browser, never here:
//! without JavaScript the lists are whole, and the form stays hidden.

use std::collections::BTreeSet;

use rayon::prelude::*;
use serde::Serialize;

use super::context::Cx;
use super::story::story_card;
use super::{PageContext, Shared};
use crate::images::PictureParts;
use crate::model::Language;
use crate::model::regions::Region;
use crate::plan::{FileKind, file_of};

/// One choice of a filter: the value in the address (a key, a year) and its label.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub(super) struct Choice {
    pub(super) value: String,
    pub(super) label: String,
}

/// The choices of a list's filters. An empty list of choices is a filter not offered.
#[derive(Serialize, Default)]
pub(super) struct Filters {
    pub(super) regions: Vec<Choice>,
    pub(super) projects: Vec<Choice>,
    pub(super) years: Vec<Choice>,
    /// The link to the JSON of every card, when the page holds only some of them.
    pub(super) cards: Option<String>,
}

/// The choices for these region keys, project keys and years: regions and projects by
/// their names in the page's language, years newest first.
pub(super) fn choices<'k>(
    cx: &Cx,
    regions: impl Iterator<Item = &'k str>,
    projects: impl Iterator<Item = &'k str>,
    years: impl Iterator<Item = i16>,
) -> Filters {
    let site = cx.site();
    let by_label = |mut v: Vec<Choice>| {
        v.sort_by_cached_key(|c| c.label.to_lowercase());
        v
    };
    let regions: BTreeSet<&str> = regions.collect();
    let projects: BTreeSet<&str> = projects.collect();
    let years: BTreeSet<i16> = years.collect();
    Filters {
        regions: by_label(
            regions
                .into_iter()
                .map(|k| Choice {
                    value: k.to_string(),
                    label: Region::get(k).map_or(k, |r| r.name(cx.l())).to_string(),
                })
                .collect(),
        ),
        projects: by_label(
            projects
                .into_iter()
                .map(|k| Choice {
                    value: k.to_string(),
                    label: site
                        .project(k)
                        .map_or(k, |p| p.doc(cx.l(), &site.langs).0.fm.title.as_str())
                        .to_string(),
                })
                .collect(),
        ),
        years: years
            .into_iter()
            .rev()
            .map(|y| Choice {
                value: y.to_string(),
                label: y.to_string(),
            })
            .collect(),
        cards: None,
    }
}

/// Puts the filters and the strings of the list script (`count_key`: the plural string of
/// the count it announces) into a list page's context. A string the language lacks is left
/// out here: the list's template asks for the same strings, and reports them with its line.
pub(super) fn insert(cx: &Cx, filters: &Filters, count_key: &str, ctx: &mut PageContext) {
    let l = cx.l();
    let mut strings = serde_json::Map::new();
    for (name, key) in [("count", count_key), ("example", "example_badge")] {
        let value = match cx.s.i18n.entry(l, key) {
            Some(entry) => entry.to_json(),
            None => continue,
        };
        strings.insert(name.to_string(), value);
    }
    ctx.insert(
        "filter_strings",
        &crate::render::script_json::to_script(&serde_json::Value::Object(strings)),
    );
    ctx.insert("filter_locale", &cx.lang.locale);
    ctx.insert("filters", filters);
}

/// A story card as the list script rebuilds it: the card's texts, its link relative to the
/// JSON file, and its facets.
#[derive(Serialize)]
struct CardEntry {
    href: String,
    title: String,
    date: String,
    date_text: String,
    /// What follows the date on the card: " · kind · region · project".
    meta: String,
    example: bool,
    summary: String,
    region: String,
    project: String,
    year: i16,
    /// The card's picture, its addresses relative to the JSON file (null without one).
    picture: Option<PictureParts>,
    /// The language and direction of the title and summary when they are not the list's
    /// (null on the list's own).
    lang: Option<String>,
    dir: Option<&'static str>,
}

/// The JSON of every story card of each language whose story list is shown over several
/// pages (with one page, the page holds every card and the script needs no file).
pub(crate) fn story_cards_files(s: &Shared) -> Vec<(String, Vec<u8>)> {
    let site = s.site;
    let per = site.config.stories_per_page.unwrap_or(12).max(1);
    if s.sorted_stories().len() <= per {
        return Vec::new();
    }
    (site.langs.par_iter())
        .filter_map(|lang| {
            let path = s.plan.file_path(FileKind::StoryCards, &lang.code)?;
            Some((file_of(&path), cards_json(s, lang, &path)))
        })
        .collect()
}

fn cards_json(s: &Shared, lang: &Language, path: &str) -> Vec<u8> {
    let cx = Cx { s, lang, path };
    let label = |key: &str| s.i18n.get(&lang.code, key).unwrap_or(key).to_string();
    let entries: Vec<CardEntry> = s
        .sorted_stories()
        .iter()
        .map(|e| {
            let c = story_card(&cx, e);
            let core = &c.core;
            let mut meta = format!(" · {}", label(core.kind));
            if let Some(r) = &c.region {
                meta.push_str(" · ");
                meta.push_str(&r.name);
            }
            meta.push_str(" · ");
            meta.push_str(&core.project_title);
            CardEntry {
                href: c.href,
                title: core.title.clone(),
                date: core.date_iso.clone(),
                date_text: core.date_text.clone(),
                meta,
                example: core.example,
                summary: core.summary.clone(),
                region: core.region_key.clone(),
                project: core.project.clone(),
                year: core.year,
                picture: c.picture.map(|p| p.parts),
                lang: core.text_lang.clone(),
                dir: core.text_dir,
            }
        })
        .collect();
    serde_json::to_vec(&entries).unwrap_or_default()
}
