//! Story pages: one story (with its cover, shown in link previews only with consent for
//! social networks), the paginated list of stories, and the story card other pages show,
//! with the story's picture where the consent lets the website show it.

use std::sync::{Arc, OnceLock};

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use super::context::{CardPicture, Cx, ImageView, RegionCard, all_langs, i18n};
use super::filters;
use super::{PageContext, PageParts};
use crate::diag::Diagnostics;
use crate::model::regions::Region;
use crate::model::schema::{Scope, StoryFm, StoryKind};
use crate::model::{Entity, Site};
use crate::plan::{FileKind, PageKind, href};

/// A story's card as one page shows it: what the card says in the page's language (the
/// same on every page, made once per build: [`CardCore`]) and its links, which are relative
/// to the page. Serialized as one flat map: the core's fields, then the page's own.
pub(super) struct StoryCard<'a> {
    pub(super) core: Arc<CardCore<'a>>,
    pub(super) href: String,
    pub(super) region: Option<RegionCard>,
    project_href: String,
    /// The story's picture, if it has one that the website may show.
    pub(super) picture: Option<CardPicture>,
}

impl Serialize for StoryCard<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let core = self.core.fields();
        let mut card = s.serialize_struct("StoryCard", core.len() + 4)?;
        for (name, value) in core {
            card.serialize_field(name, value)?;
        }
        card.serialize_field("href", &self.href)?;
        card.serialize_field("region", &self.region)?;
        card.serialize_field("project_href", &self.project_href)?;
        card.serialize_field("picture", &self.picture)?;
        card.end()
    }
}

/// What a story's card says in one language, on whatever page shows it. A card is shown on
/// its story's page, on a page of the story list, on its region's hub, on its project's
/// sheet and in the list's JSON: it is made once per build and language
/// ([`Shared::card_core`](super::context::Shared::card_core)).
#[derive(Serialize)]
pub(super) struct CardCore<'a> {
    key: String,
    /// What a page that shows the card records of it (`prints::card_print`).
    #[serde(skip)]
    print: u64,
    pub(super) title: String,
    pub(super) date_iso: String,
    pub(super) date_text: String,
    pub(super) summary: String,
    pub(super) kind: &'static str,
    pub(super) project_title: String,
    pub(super) example: bool,
    /// The facets the list filters read (the card's `data-` attributes): the region's and
    /// the project's keys, and the year.
    pub(super) region_key: String,
    pub(super) project: String,
    pub(super) year: i16,
    /// The language and direction of the title and summary when they are not in the page's
    /// language (an untranslated story on an Arabic list).
    pub(super) text_lang: Option<String>,
    pub(super) text_dir: Option<&'static str>,
    /// The region's name in the language, if the key names a region.
    #[serde(skip)]
    region_name: Option<&'static str>,
    /// The root-relative addresses the card links to: the story, its project, its region.
    #[serde(skip)]
    story_path: Option<&'a str>,
    #[serde(skip)]
    project_path: Option<&'a str>,
    #[serde(skip)]
    region_path: Option<&'a str>,
    /// Its fields as Tera values, made the first time a page shows the card (see
    /// [`CardCore::fields`]).
    #[serde(skip)]
    fields: OnceLock<Vec<(&'static str, tera::Value)>>,
}

pub(super) fn sort_stories(site: &Site) -> Vec<&Entity<StoryFm>> {
    let mut v: Vec<&Entity<StoryFm>> = site.stories.iter().collect();
    v.sort_by(|a, b| {
        let (da, db) = (a.source(&site.langs).fm.date, b.source(&site.langs).fm.date);
        db.cmp(&da).then(a.key.cmp(&b.key))
    });
    v
}

fn story_kind_key(k: StoryKind) -> &'static str {
    match k {
        StoryKind::Participant => "kind_participant",
        StoryKind::Host => "kind_host",
        StoryKind::Operator => "kind_operator",
        StoryKind::Partner => "kind_partner",
    }
}

/// Whether the website may show this text's picture of a story (SPEC §6): a story about a
/// person shows it only where the consent covers the web. The model refuses to publish a
/// story whose consent does not, so this holds for every story here; the story page and its
/// cards ask it all the same, so that no card shows what the page would not. (A taken-down
/// story is not in the `Site` at all.)
pub(super) fn picture_on_web(fm: &StoryFm) -> bool {
    fm.consent
        .as_ref()
        .is_none_or(|c| c.value.scope.contains(&Scope::Web))
}

thread_local! {
    /// The card keys of the stories whose cards the page being built shows, while
    /// [`cards_shown_while`] records them.
    static CARDS_SHOWN: std::cell::RefCell<Option<Vec<u64>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `build` (a page's context, built on the calling thread), and gives the stories
/// whose cards it made (`prints::card_print` of each, sorted, once each): the ledger takes
/// a page without its context when each is among the site's cards now (see `ledger`).
pub(crate) fn cards_shown_while<T>(build: impl FnOnce() -> T) -> (T, Vec<u64>) {
    let outer = CARDS_SHOWN.with(|c| c.replace(Some(Vec::new())));
    let built = build();
    let mut cards = CARDS_SHOWN.with(|c| c.replace(outer)).unwrap_or_default();
    cards.sort_unstable();
    cards.dedup();
    (built, cards)
}

/// A story's card: the only way a story's title and summary reach another story's page
/// or any other page (recorded for the ledger, see [`cards_shown_while`]).
pub(super) fn story_card<'d>(cx: &Cx<'_, 'd>, s: &'d Entity<StoryFm>) -> StoryCard<'d> {
    let core = cx.s.card_core(s, cx.lang);
    CARDS_SHOWN.with(|c| {
        if let Some(cards) = c.borrow_mut().as_mut() {
            cards.push(core.print);
        }
    });
    let link = |path: Option<&str>| path.map(|p| href(cx.path, p)).unwrap_or_default();
    let site = cx.site();
    let d = s.doc(cx.l(), &site.langs).0;
    StoryCard {
        href: link(core.story_path),
        project_href: link(core.project_path),
        region: core.region_name.map(|name| RegionCard {
            key: core.region_key.clone(),
            name: name.to_string(),
            href: link(core.region_path),
        }),
        picture: picture_on_web(&d.fm)
            .then(|| cx.card_picture("stories", &s.key, &d.fm.image))
            .flatten(),
        core,
    }
}

impl<'a> CardCore<'a> {
    /// Its fields, each with its name, as Tera values. A card is on four pages or more
    /// (the list, its region's hub, its project's sheet, its story's page): Tera takes a
    /// value it is given as it is (its texts are shared, not copied), so the card's texts
    /// are turned into values once rather than on every page.
    fn fields(&self) -> &[(&'static str, tera::Value)] {
        self.fields.get_or_init(|| {
            let value = tera::Value::from_serializable(self);
            let map = value.as_map().into_iter().flatten();
            // A struct's fields are named by `&'static str`: `Key::Str`, every one.
            map.filter_map(|(name, value)| match name {
                tera::value::Key::Str(name) => Some((*name, value.clone())),
                _ => None,
            })
            .collect()
        })
    }

    /// Its print (`prints::card_print`): what a page or file that shows the card records.
    pub(super) fn print(&self) -> u64 {
        self.print
    }

    /// The story's root-relative address.
    pub(super) fn story_path(&self) -> Option<&'a str> {
        self.story_path
    }

    /// The region's name in the card's language, if the key names a region.
    pub(super) fn region_name(&self) -> Option<&'static str> {
        self.region_name
    }
}

/// What `s`'s card says in `cx`'s language (see [`CardCore`]).
pub(super) fn card_core<'d>(cx: &Cx<'_, 'd>, s: &'d Entity<StoryFm>) -> CardCore<'d> {
    let site = cx.site();
    let plan = cx.s.plan;
    let (d, _) = s.doc(cx.l(), &site.langs);
    let project = site.project(&d.fm.project.value);
    let (text_lang, text_dir) = cx.foreign_text(&d.lang);
    let region = Region::get(&d.fm.region.value);
    CardCore {
        text_lang,
        text_dir,
        print: cx.s.card_print(s, d),
        key: s.key.clone(),
        title: d.fm.title.clone(),
        date_iso: d.fm.date.to_string(),
        date_text: cx.date(d.fm.date),
        summary: d.fm.summary.clone(),
        kind: story_kind_key(d.fm.kind.value),
        project_title: project
            .map(|p| p.doc(cx.l(), &site.langs).0.fm.title.clone())
            .unwrap_or_default(),
        example: d.fm.example,
        region_key: d.fm.region.value.clone(),
        project: d.fm.project.value.clone(),
        year: d.fm.date.year(),
        region_name: region.map(|r| r.name(cx.l())),
        story_path: plan.path(PageKind::Story, &s.key, cx.l()),
        project_path: plan.path(PageKind::Project, &d.fm.project.value, cx.l()),
        region_path: region.and_then(|r| plan.path(PageKind::Region, r.key, cx.l())),
        fields: OnceLock::new(),
    }
}

pub(super) fn story_list(cx: &Cx, n: usize, ctx: &mut PageContext) -> PageParts {
    let site = cx.site();
    let per = site.config.stories_per_page.unwrap_or(12).max(1);
    let all = &cx.s.sorted_stories();
    let pages = all.len().div_ceil(per).max(1);
    let cards: Vec<StoryCard> = all
        .iter()
        .skip((n - 1) * per)
        .take(per)
        .map(|s| story_card(cx, s))
        .collect();
    ctx.insert("stories", &cards);
    ctx.insert("page_number", &n);
    ctx.insert("story_total", &all.len());
    ctx.insert("page_count", &pages);
    let prev = (n > 1)
        .then(|| cx.link(PageKind::StoryList, ""))
        .map(|first| {
            if n == 2 {
                first
            } else {
                cx.root_link(&format!(
                    "{}{}/",
                    cx.s.plan
                        .path(PageKind::StoryList, "", cx.l())
                        .unwrap_or("/"),
                    n - 1
                ))
            }
        });
    let next = (n < pages).then(|| {
        cx.root_link(&format!(
            "{}{}/",
            cx.s.plan
                .path(PageKind::StoryList, "", cx.l())
                .unwrap_or("/"),
            n + 1
        ))
    });
    ctx.insert("prev_href", &prev);
    ctx.insert("next_href", &next);
    // The filters offer what the whole list holds, not only this page.
    let keys = cx.s.story_filters(cx.l());
    let mut filters = filters::choices(
        cx,
        keys.into_iter().flat_map(|k| k.regions.iter().copied()),
        keys.into_iter().flat_map(|k| k.projects.iter().copied()),
        keys.into_iter().flat_map(|k| k.years.iter().copied()),
    );
    if pages > 1 {
        filters.cards = cx.file_link(FileKind::StoryCards);
    }
    filters::insert(cx, &filters, "stories_count", ctx);
    // Newest first: the first story's date is the latest (not a walk through every story
    // on each of the list's pages).
    let upd = all
        .first()
        .map_or(site.today, |s| s.source(&site.langs).fm.date);
    (
        "story-list.html",
        i18n(cx, "nav_stories"),
        upd,
        all_langs(site),
    )
}

#[derive(Serialize)]
struct StoryView<'a> {
    card: StoryCard<'a>,
    html: String,
    image: Option<ImageView>,
    display_name: Option<String>,
    themes: Vec<String>,
}

pub(super) fn story(
    cx: &Cx,
    key: &str,
    ctx: &mut PageContext,
    diags: &mut Diagnostics,
) -> Option<PageParts> {
    let site = cx.site();
    let e = cx.s.story(key)?;
    let (doc, _) = e.doc(cx.l(), &site.langs);
    let view = StoryView {
        card: story_card(cx, e),
        html: cx.markdown("stories", e, doc, diags),
        image: picture_on_web(&doc.fm)
            .then(|| cx.image("stories", key, &doc.fm.image))
            .flatten(),
        display_name: doc
            .fm
            .person
            .as_ref()
            .map(|p| p.value.display_name.value.clone()),
        themes: doc.fm.themes.clone(),
    };
    ctx.insert("description", &view.card.core.summary);
    // A participant's picture goes to social networks' previews only with consent for them.
    let social = doc
        .fm
        .consent
        .as_ref()
        .is_none_or(|c| c.value.scope.contains(&Scope::Social));
    if social && let Some(img) = &view.image {
        ctx.insert("og_image", &img.src);
    }
    ctx.insert("story", &view);
    ctx.insert("content_lang", &doc.lang);
    let updated = doc.fm.updated.unwrap_or(doc.fm.date);
    Some((
        "story.html",
        doc.fm.title.clone(),
        updated,
        e.docs.keys().cloned().collect(),
    ))
}
