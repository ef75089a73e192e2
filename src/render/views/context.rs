//! What views read from: the build's shared, read-only data ([`Shared`]), the per-route
//! helper that knows the page's language and path and makes its links ([`Cx`]), the small
//! view types several pages share, and the dates and strings every page asks for.
//! Nothing here writes to the site or the plan.

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use jiff::civil::Date;
use serde::Serialize;

use super::story::{CardCore, card_core, sort_stories};
use crate::images::{Picture, PictureParts, Pictures, Placement, picture_html};
use crate::model::dates::FactDate;
use crate::model::regions::Region;
use crate::model::schema::{ImageFm, NewsFm, StoryFm};
use crate::model::yaml::LangMap;
use crate::model::{Doc, Entity, Language, Site};
use crate::plan::{FileKind, PageKind, Plan, href, url_name};
use crate::render::i18n::I18n;

/// Read-only data shared by all routes of a build.
pub struct Shared<'a> {
    pub site: &'a Site,
    pub plan: &'a Plan,
    pub i18n: &'a I18n,
    pub pictures: &'a Pictures,
    /// Theme static files: name in the theme → published root path (fingerprinted).
    pub statics: &'a rustc_hash::FxHashMap<String, String>,
    /// What the pages read about the whole site, each gathered once per build, when a page
    /// first asks for it (`vetrina serve` often renders a single page): see the methods of
    /// the same names.
    sorted_stories: OnceLock<Vec<&'a Entity<StoryFm>>>,
    stories: OnceLock<rustc_hash::FxHashMap<&'a str, &'a Entity<StoryFm>>>,
    news: OnceLock<rustc_hash::FxHashMap<&'a str, &'a Entity<NewsFm>>>,
    page_paths: OnceLock<rustc_hash::FxHashSet<&'a str>>,
    content_date: OnceLock<Date>,
    card_cores: OnceLock<CardCores<'a>>,
    story_extras: OnceLock<rustc_hash::FxHashMap<String, blake3::Hash>>,
    stories_by_region: OnceLock<StoriesBy<'a>>,
    stories_by_project: OnceLock<StoriesBy<'a>>,
    story_filters: OnceLock<rustc_hash::FxHashMap<&'a str, StoryFilterKeys<'a>>>,
}

/// What each story's card says, by story key, a slot per language of the site (in their
/// order), filled when a page first shows the card.
type CardCores<'a> = rustc_hash::FxHashMap<&'a str, Box<[OnceLock<Arc<CardCore<'a>>>]>>;

/// Stories newest first, grouped by a key of their front matter (a region, a project).
type StoriesBy<'a> = rustc_hash::FxHashMap<&'a str, Vec<&'a Entity<StoryFm>>>;

/// The regions, projects and years of the stories as a language shows them.
#[derive(Default)]
pub(super) struct StoryFilterKeys<'a> {
    pub(super) regions: BTreeSet<&'a str>,
    pub(super) projects: BTreeSet<&'a str>,
    pub(super) years: BTreeSet<i16>,
}

impl<'a> StoryFilterKeys<'a> {
    fn of(site: &'a Site, lang: &str) -> Self {
        let mut keys = StoryFilterKeys::default();
        for story in &site.stories {
            let fm = &story.doc(lang, &site.langs).0.fm;
            keys.regions.insert(fm.region.value.as_str());
            keys.projects.insert(fm.project.value.as_str());
            keys.years.insert(fm.date.year());
        }
        keys
    }
}

impl<'a> Shared<'a> {
    pub fn new(
        site: &'a Site,
        plan: &'a Plan,
        i18n: &'a I18n,
        pictures: &'a Pictures,
        statics: &'a rustc_hash::FxHashMap<String, String>,
    ) -> Self {
        Shared {
            site,
            plan,
            i18n,
            pictures,
            statics,
            sorted_stories: OnceLock::new(),
            stories: OnceLock::new(),
            news: OnceLock::new(),
            page_paths: OnceLock::new(),
            content_date: OnceLock::new(),
            card_cores: OnceLock::new(),
            story_extras: OnceLock::new(),
            stories_by_region: OnceLock::new(),
            stories_by_project: OnceLock::new(),
            story_filters: OnceLock::new(),
        }
    }

    /// Stories newest first, sorted once per build: every list, hub and sheet reuses it
    /// (sorting per page made builds grow with the square of the number of stories).
    pub(super) fn sorted_stories(&self) -> &[&'a Entity<StoryFm>] {
        self.sorted_stories.get_or_init(|| sort_stories(self.site))
    }

    /// The most recent date of any content: the "last updated" of pages that list
    /// everything (and of those that say no date of their own).
    pub(super) fn content_date(&self) -> Date {
        *self.content_date.get_or_init(|| content_date(self.site))
    }

    /// What a page showing a card of `story` made from `doc` records of it
    /// (`prints::card_print`).
    pub(crate) fn card_print(&self, story: &Entity<StoryFm>, doc: &Doc<StoryFm>) -> u64 {
        crate::render::prints::card_print(
            &story.key,
            &doc.lang,
            doc.prints().front,
            self.story_extras().get(story.key.as_str()),
        )
    }

    /// The print of every card the stories can show now (`prints::card_prints`).
    pub(crate) fn card_prints(&self) -> rustc_hash::FxHashSet<u64> {
        crate::render::prints::card_prints(self.site, self.story_extras())
    }

    /// What each story's cards show beyond its texts (`prints::story_extras_prints`).
    fn story_extras(&self) -> &rustc_hash::FxHashMap<String, blake3::Hash> {
        (self.story_extras)
            .get_or_init(|| crate::render::prints::story_extras_prints(self.site, self.pictures))
    }

    /// What `story`'s card says in `lang`, made the first time a page asks for it.
    pub(super) fn card_core(
        &self,
        story: &'a Entity<StoryFm>,
        lang: &Language,
    ) -> Arc<CardCore<'a>> {
        let langs = &self.site.langs;
        let make = || {
            Arc::new(card_core(
                &Cx {
                    s: self,
                    lang,
                    path: "",
                },
                story,
            ))
        };
        let cores = self.card_cores.get_or_init(|| {
            let slots = || (langs.iter()).map(|_| OnceLock::new()).collect();
            (self.site.stories.iter())
                .map(|s| (s.key.as_str(), slots()))
                .collect()
        });
        let slot = (cores.get(story.key.as_str()))
            .zip(langs.iter().position(|l| l.code == lang.code))
            .and_then(|(slots, i)| slots.get(i));
        match slot {
            Some(slot) => slot.get_or_init(make).clone(),
            None => make(),
        }
    }

    /// The stories of a region, newest first (each hub walking through every story made
    /// builds grow with regions × stories).
    pub(super) fn region_stories(&self, region: &str) -> &[&'a Entity<StoryFm>] {
        self.stories_in(&self.stories_by_region, |fm| &fm.region.value, region)
    }

    /// The stories of a project, newest first (as [`Shared::region_stories`]).
    pub(super) fn project_stories(&self, project: &str) -> &[&'a Entity<StoryFm>] {
        self.stories_in(&self.stories_by_project, |fm| &fm.project.value, project)
    }

    /// The stories whose `field` (in their source language's front matter) is `value`,
    /// newest first: every story grouped by `field` into `groups` once.
    fn stories_in<'s>(
        &'s self,
        groups: &'s OnceLock<StoriesBy<'a>>,
        field: fn(&StoryFm) -> &String,
        value: &str,
    ) -> &'s [&'a Entity<StoryFm>] {
        let langs = &self.site.langs;
        let by = groups.get_or_init(|| {
            let mut by = StoriesBy::default();
            for &s in self.sorted_stories() {
                let group = field(&s.source(langs).fm).as_str();
                by.entry(group).or_default().push(s);
            }
            by
        });
        by.get(value).map_or(&[], Vec::as_slice)
    }

    /// A story by key (a search through the list for each page made builds grow with the
    /// square of the number of entries).
    pub(super) fn story(&self, key: &str) -> Option<&'a Entity<StoryFm>> {
        let site = self.site;
        let by_key = self
            .stories
            .get_or_init(|| site.stories.iter().map(|e| (e.key.as_str(), e)).collect());
        by_key.get(key).copied()
    }

    /// A news item by key.
    pub(super) fn news(&self, key: &str) -> Option<&'a Entity<NewsFm>> {
        let site = self.site;
        let by_key = self
            .news
            .get_or_init(|| site.news.iter().map(|e| (e.key.as_str(), e)).collect());
        by_key.get(key).copied()
    }

    /// The path of every page, for checking the links written in the texts.
    pub(super) fn page_paths(&self) -> &rustc_hash::FxHashSet<&'a str> {
        let plan = self.plan;
        self.page_paths
            .get_or_init(|| plan.routes.iter().map(|r| r.path.as_str()).collect())
    }

    /// What the story list's filters offer in a language: the list has a page per dozen
    /// stories, and a walk through every story for each of them made builds grow with the
    /// square of the number of stories.
    pub(super) fn story_filters(&self, lang: &str) -> Option<&StoryFilterKeys<'a>> {
        let site = self.site;
        self.story_filters
            .get_or_init(|| {
                (site.langs.iter())
                    .map(|l| (l.code.as_str(), StoryFilterKeys::of(site, &l.code)))
                    .collect()
            })
            .get(lang)
    }
}

/// Per-route helper: the language, the page's own path, and link making.
pub(super) struct Cx<'a, 'd> {
    pub(super) s: &'a Shared<'d>,
    pub(super) lang: &'a Language,
    pub(super) path: &'a str,
}

impl Cx<'_, '_> {
    pub(super) fn site(&self) -> &Site {
        self.s.site
    }
    pub(super) fn l(&self) -> &str {
        &self.lang.code
    }
    pub(super) fn default_lang(&self) -> &str {
        self.s.site.default_lang()
    }
    /// Link to the page `kind`/`key` in this language ("" if no such page).
    pub(super) fn link(&self, kind: PageKind, key: &str) -> String {
        self.link_in(kind, key, self.l())
    }
    /// Link to the page `kind`/`key` in `lang` ("" if no such page).
    pub(super) fn link_in(&self, kind: PageKind, key: &str, lang: &str) -> String {
        self.s
            .plan
            .path(kind, key, lang)
            .map(|p| href(self.path, p))
            .unwrap_or_default()
    }
    /// Link to a root-relative path (a file the plan names, a static file).
    pub(super) fn root_link(&self, to: &str) -> String {
        href(self.path, to)
    }
    /// Link to a file that is not a page (a feed, a calendar, the search index) in this
    /// language, if the site has it.
    pub(super) fn file_link(&self, file: FileKind<'_>) -> Option<String> {
        self.s
            .plan
            .file_path(file, self.l())
            .map(|p| self.root_link(&p))
    }
    pub(super) fn date(&self, d: Date) -> String {
        self.s.i18n.date(self.l(), d)
    }
    /// A day, or the month alone when only the month is known.
    pub(super) fn fact_date(&self, d: FactDate) -> String {
        self.s.i18n.fact_date(self.l(), d)
    }
    pub(super) fn text<'b>(&self, m: &'b LangMap) -> &'b str {
        m.get(self.l(), self.default_lang())
    }
    pub(super) fn org(&self, key: &str) -> OrgView {
        match self.site().orgs.get(key) {
            Some(o) => OrgView {
                key: key.to_string(),
                name: o.name.clone(),
                short: o.short.clone(),
                website: o.website.as_ref().map(|w| w.value.clone()),
                note: o.note.as_ref().map(|n| self.text(n).to_string()),
            },
            None => OrgView {
                key: key.to_string(),
                name: key.to_string(),
                ..Default::default()
            },
        }
    }
    pub(super) fn region(&self, key: &str) -> Option<RegionCard> {
        let r = Region::get(key)?;
        Some(RegionCard {
            key: r.key.to_string(),
            name: r.name(self.l()).to_string(),
            href: self.link(PageKind::Region, r.key),
        })
    }

    /// The processed picture of an entry's `image:` and its address maker, with the author's
    /// alt text.
    fn picture_of<'b>(
        &'b self,
        section: &str,
        key: &str,
        img: &'b Option<serde_saphyr::Spanned<ImageFm>>,
    ) -> Option<(
        &'b ImageFm,
        &'b Picture,
        impl Fn(&str) -> String + 'b,
        &'b str,
    )> {
        let img = &img.as_ref()?.value;
        let dir = self.s.plan.bundle_dir(section, key)?;
        let picture = self.s.pictures.get(section, key, &img.src.value)?;
        let link = move |n: &str| href(self.path, &format!("{dir}{}", url_name(n)));
        Some((img, picture, link, dir))
    }

    pub(super) fn image(
        &self,
        section: &str,
        key: &str,
        img: &Option<serde_saphyr::Spanned<ImageFm>>,
    ) -> Option<ImageView> {
        let (img, picture, link, dir) = self.picture_of(section, key, img)?;
        let alt = img
            .alt
            .as_ref()
            .map(|a| a.value.clone())
            .unwrap_or_default();
        // The cover is at the top of the page: loaded at once, not lazily.
        let html = picture_html(picture, &link, &alt, Placement::Cover);
        let largest = picture.fallback().last()?;
        Some(ImageView {
            html,
            src: format!(
                "{}{}",
                self.site().base_url,
                format_args!("{dir}{}", url_name(&largest.file_name))
            ),
            alt,
            caption: img.caption.clone(),
        })
    }

    /// The picture of a story or news card: lazy, in the card's box, with the author's alt
    /// text (required by the model). Whether the card may show it is the caller's to decide.
    pub(super) fn card_picture(
        &self,
        section: &str,
        key: &str,
        img: &Option<serde_saphyr::Spanned<ImageFm>>,
    ) -> Option<CardPicture> {
        let (img, picture, link, _) = self.picture_of(section, key, img)?;
        let alt = img.alt.as_ref().map_or("", |a| a.value.as_str());
        let parts = PictureParts::new(picture, &link, alt, Placement::Card)?;
        Some(CardPicture {
            html: parts.html(),
            parts,
        })
    }
}

/// A card's picture: its markup for the templates, and its parts for the list script, which
/// rebuilds the same element from the JSON of the cards.
#[derive(Serialize)]
pub(super) struct CardPicture {
    pub(super) html: String,
    #[serde(skip)]
    pub(super) parts: PictureParts,
}

#[derive(Serialize, Default)]
pub(super) struct OrgView {
    pub(super) key: String,
    pub(super) name: String,
    pub(super) short: Option<String>,
    pub(super) website: Option<String>,
    pub(super) note: Option<String>,
}

#[derive(Serialize, Clone)]
pub(super) struct RegionCard {
    pub(super) key: String,
    pub(super) name: String,
    pub(super) href: String,
}

#[derive(Serialize)]
pub(super) struct ImageView {
    /// The `<picture>` element with every size and format.
    pub(super) html: String,
    /// Absolute address of the largest fallback file (for link previews).
    pub(super) src: String,
    pub(super) alt: String,
    pub(super) caption: Option<String>,
}

/// An item of a list the template writes itself (links), with what CLDR's "and" list pattern
/// of the page's language puts after it: "PUOI, FARO e PARTI", "PUOI وFARO وPARTI".
#[derive(Serialize)]
pub(super) struct Listed<T> {
    #[serde(flatten)]
    pub(super) item: T,
    pub(super) after: String,
}

impl Cx<'_, '_> {
    /// The language and direction of a text written in `text_lang`, when that is not the
    /// page's language (an untranslated story or news item on an Arabic list reads left to
    /// right, as Italian): what its element's `lang` and `dir` say. None on the page's own.
    pub(super) fn foreign_text(&self, text_lang: &str) -> (Option<String>, Option<&'static str>) {
        if text_lang == self.l() {
            return (None, None);
        }
        let dir = match self.site().lang(text_lang).map(|x| x.dir) {
            Some(crate::model::schema::Direction::Rtl) => "rtl",
            _ => "ltr",
        };
        (Some(text_lang.to_string()), Some(dir))
    }

    /// Links to the sheets of these projects, titled in the page's language (keys of no
    /// project left out), joined as the language's "and" list.
    pub(super) fn project_links<'k>(
        &self,
        keys: impl Iterator<Item = &'k str>,
    ) -> Vec<Listed<Link>> {
        let site = self.site();
        self.and_list(
            keys.filter_map(|key| {
                let p = site.project(key)?;
                Some(Link {
                    label: p.doc(self.l(), &site.langs).0.fm.title.clone(),
                    href: self.link(PageKind::Project, key),
                    current: false,
                })
            })
            .collect(),
        )
    }

    /// The items with the glue of the language's "and" list. CLDR's and-lists put nothing
    /// before the first item, so the glue before it is dropped.
    pub(super) fn and_list<T>(&self, items: Vec<T>) -> Vec<Listed<T>> {
        let glue = self.s.i18n.and_list_glue(self.l(), items.len());
        items
            .into_iter()
            .zip(glue.into_iter().skip(1))
            .map(|(item, after)| Listed { item, after })
            .collect()
    }
}

#[derive(Serialize)]
pub(super) struct Link {
    pub(super) label: String,
    pub(super) href: String,
    pub(super) current: bool,
}

pub(super) fn i18n(cx: &Cx, key: &str) -> String {
    cx.s.i18n.get(cx.l(), key).unwrap_or(key).to_string()
}

pub(super) fn all_langs(site: &Site) -> Vec<String> {
    site.langs.iter().map(|l| l.code.clone()).collect()
}

pub(super) fn latest(dates: impl Iterator<Item = Option<Date>>) -> Date {
    dates
        .flatten()
        .max()
        .unwrap_or(jiff::civil::date(2000, 1, 1))
}

/// The most recent date of any content (see [`Shared::content_date`]).
fn content_date(site: &Site) -> Date {
    let stories = site
        .stories
        .iter()
        .flat_map(|e| e.docs.values())
        .map(|d| Some(d.fm.updated.unwrap_or(d.fm.date)));
    let news = site
        .news
        .iter()
        .flat_map(|e| e.docs.values())
        .map(|d| Some(d.fm.updated.unwrap_or(d.fm.date.first_day())));
    let projects = site
        .projects
        .iter()
        .flat_map(|e| e.docs.values())
        .map(|d| d.fm.updated);
    latest(stories.chain(news).chain(projects))
}
