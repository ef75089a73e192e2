//! News pages and plain pages, the two kinds of page that are mostly a text: one news item,
//! the list of news, the news card other pages show, and a plain page (`content/pages`).

use serde::Serialize;

use super::context::{CardPicture, Cx, ImageView, Link, Listed, RegionCard, all_langs, i18n};
use super::{PageContext, PageParts};
use crate::diag::Diagnostics;
use crate::model::Entity;
use crate::model::dates::FactDate;
use crate::model::schema::NewsFm;
use crate::plan::PageKind;

#[derive(Serialize)]
pub(super) struct NewsCard {
    key: String,
    href: String,
    title: String,
    date_iso: String,
    date_text: String,
    summary: String,
    /// The news item's picture, if it has one.
    picture: Option<CardPicture>,
    /// The language and direction of the title and summary when they are not in the page's
    /// language (an untranslated item on an Arabic page reads left to right, as Italian).
    text_lang: Option<String>,
    text_dir: Option<&'static str>,
}

pub(super) fn news_card(cx: &Cx, n: &Entity<NewsFm>) -> NewsCard {
    let (d, _) = n.doc(cx.l(), &cx.site().langs);
    let (text_lang, text_dir) = cx.foreign_text(&d.lang);
    NewsCard {
        text_lang,
        text_dir,
        key: n.key.clone(),
        href: cx.link(PageKind::News, &n.key),
        title: d.fm.title.clone(),
        date_iso: d.fm.date.iso(),
        date_text: cx.fact_date(d.fm.date),
        summary: d.fm.summary.clone(),
        picture: cx.card_picture("news", &n.key, &d.fm.image),
    }
}

#[derive(Serialize)]
struct NewsView {
    card: NewsCard,
    html: String,
    image: Option<ImageView>,
    regions: Vec<Listed<RegionCard>>,
    projects: Vec<Listed<Link>>,
}

pub(super) fn news(
    cx: &Cx,
    key: &str,
    ctx: &mut PageContext,
    diags: &mut Diagnostics,
) -> Option<PageParts> {
    let site = cx.site();
    let e = cx.s.news(key)?;
    let (doc, _) = e.doc(cx.l(), &site.langs);
    let view = NewsView {
        card: news_card(cx, e),
        html: cx.markdown("news", e, doc, diags),
        image: cx.image("news", key, &doc.fm.image),
        regions: cx.and_list(
            doc.fm
                .regions
                .iter()
                .filter_map(|r| cx.region(&r.value))
                .collect(),
        ),
        projects: cx.project_links(doc.fm.projects.iter().map(|p| p.value.as_str())),
    };
    ctx.insert("description", &view.card.summary);
    if let Some(img) = &view.image {
        ctx.insert("og_image", &img.src);
    }
    ctx.insert("news", &view);
    ctx.insert("content_lang", &doc.lang);
    let updated = doc.fm.updated.unwrap_or(doc.fm.date.first_day());
    if doc.fm.updated.is_none() && doc.fm.date.is_month_only() {
        ctx.insert("updated_month_only", &true);
    }
    Some((
        "news.html",
        doc.fm.title.clone(),
        updated,
        e.docs.keys().cloned().collect(),
    ))
}

/// A plain page (about, contacts, the privacy notice): its text and summary.
pub(super) fn plain_page(
    cx: &Cx,
    key: &str,
    ctx: &mut PageContext,
    diags: &mut Diagnostics,
) -> Option<PageParts> {
    let site = cx.site();
    let e = site.pages.iter().find(|s| s.key == key)?;
    let (doc, _) = e.doc(cx.l(), &site.langs);
    ctx.insert("html", &cx.markdown("pages", e, doc, diags));
    ctx.insert("summary", &doc.fm.summary);
    ctx.insert("description", &doc.fm.summary);
    ctx.insert("content_lang", &doc.lang);
    let updated = doc.fm.updated.unwrap_or_else(|| cx.s.content_date());
    Some((
        "page.html",
        doc.fm.title.clone(),
        updated,
        e.docs.keys().cloned().collect(),
    ))
}

/// The list of news, newest first.
pub(super) fn news_list(cx: &Cx, ctx: &mut PageContext) -> PageParts {
    let site = cx.site();
    // A news item known only to the month sorts at the month's start.
    let mut items: Vec<(&Entity<NewsFm>, FactDate)> = site
        .news
        .iter()
        .map(|n| (n, n.source(&site.langs).fm.date))
        .collect();
    items.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.key.cmp(&b.0.key)));
    let cards: Vec<NewsCard> = items.iter().map(|(n, _)| news_card(cx, n)).collect();
    ctx.insert("news", &cards);
    let upd = items.first().map(|x| x.1.first_day()).unwrap_or(site.today);
    if items.first().is_some_and(|x| x.1.is_month_only()) {
        ctx.insert("updated_month_only", &true);
    }
    ("news-list.html", i18n(cx, "nav_news"), upd, all_langs(site))
}
