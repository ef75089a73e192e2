//! The filters of the story and event lists: the choices each filter offers (the regions,
//! projects and years the list holds), the interface strings the list script needs, and the
//! JSON of every story card, which lets the script filter a story list shown over several
//! pages. Which cards a reader sees is decided by the script in the browser, never here:
//! without JavaScript the lists are whole, and the form stays hidden.

use std::collections::BTreeSet;

use rayon::prelude::*;
use serde::Serialize;

use super::context::Cx;
use super::story::picture_on_web;
use super::{PageContext, Shared};
use crate::images::PictureParts;
use crate::model::Language;
use crate::model::regions::Region;
use crate::plan::{FileKind, file_of, href};

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
struct CardEntry<'c> {
    href: &'c str,
    title: &'c str,
    date: &'c str,
    date_text: &'c str,
    /// What follows the date on the card: " · kind · region · project".
    meta: &'c str,
    example: bool,
    summary: &'c str,
    region: &'c str,
    project: &'c str,
    year: i16,
    /// The card's picture, its addresses relative to the JSON file (null without one).
    picture: Option<&'c PictureParts>,
    /// The language and direction of the title and summary when they are not the list's
    /// (null on the list's own).
    lang: Option<&'c str>,
    dir: Option<&'static str>,
}

/// The JSON of every story card of each language whose story list is shown over several
/// pages (with one page, the page holds every card and the script needs no file): each
/// file's path, bytes and the prints of the cards it holds (`prints::card_print`), sorted.
/// A file whose path `skip` takes is not made (the caller keeps the last build's).
pub(crate) fn story_cards_files(
    s: &Shared,
    skip: &(dyn Fn(&str) -> bool + Sync),
) -> Vec<(String, Vec<u8>, Vec<u64>)> {
    let site = s.site;
    let per = site.config.stories_per_page.unwrap_or(12).max(1);
    if s.sorted_stories().len() <= per {
        return Vec::new();
    }
    (site.langs.par_iter())
        .filter_map(|lang| {
            let path = s.plan.file_path(FileKind::StoryCards, &lang.code)?;
            let file = file_of(&path);
            if skip(&file) {
                return None;
            }
            let (bytes, mut cards) = cards_json(s, lang, &path);
            cards.sort_unstable();
            cards.dedup();
            Some((file, bytes, cards))
        })
        .collect()
}

/// The JSON of `lang`'s story cards, and the print of each card.
fn cards_json(s: &Shared, lang: &Language, path: &str) -> (Vec<u8>, Vec<u64>) {
    use serde::ser::{SerializeSeq, Serializer};
    let cx = Cx { s, lang, path };
    let label = |key: &'static str| s.i18n.get(&lang.code, key).unwrap_or(key);
    let stories = s.sorted_stories();
    // Each card written as it is made: what the card says is shared with the pages
    // (`Shared::card_core`), only its link and picture are made here.
    let mut out = Vec::with_capacity(stories.len() * 512);
    let mut prints = Vec::with_capacity(stories.len());
    let mut json = serde_json::Serializer::new(&mut out);
    let Ok(mut seq) = json.serialize_seq(Some(stories.len())) else {
        return (Vec::new(), Vec::new());
    };
    let mut meta = String::new();
    for &e in stories {
        let core = s.card_core(e, lang);
        prints.push(core.print());
        let href = core.story_path().map(|p| href(path, p)).unwrap_or_default();
        meta.clear();
        meta.push_str(" · ");
        meta.push_str(label(core.kind));
        if let Some(region) = core.region_name() {
            meta.push_str(" · ");
            meta.push_str(region);
        }
        meta.push_str(" · ");
        meta.push_str(&core.project_title);
        let d = e.doc(&lang.code, &s.site.langs).0;
        let picture = picture_on_web(&d.fm)
            .then(|| cx.card_picture("stories", &e.key, &d.fm.image))
            .flatten();
        let entry = CardEntry {
            href: &href,
            title: &core.title,
            date: &core.date_iso,
            date_text: &core.date_text,
            meta: &meta,
            example: core.example,
            summary: &core.summary,
            region: &core.region_key,
            project: &core.project,
            year: core.year,
            picture: picture.as_ref().map(|p| &p.parts),
            lang: core.text_lang.as_deref(),
            dir: core.text_dir,
        };
        if seq.serialize_element(&entry).is_err() {
            return (Vec::new(), Vec::new());
        }
    }
    if SerializeSeq::end(seq).is_err() {
        return (Vec::new(), Vec::new());
    }
    (out, prints)
}
