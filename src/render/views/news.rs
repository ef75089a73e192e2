//! News pages and plain pages, the two kinds of page that are mostly a text: one news item,
//! the list of news, the news card other pages show, and a plain page (`content/pages`).

use jiff::civil::Date;
use serde::Serialize;

use super::context::{CardPicture, Cx, ImageView, Link, RegionCard, all_langs, content_date, i18n};
use super::{PageContext, PageParts};
use crate::diag::Diagnostics;
use crate::model::Entity;
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
}

pub(super) fn news_card(cx: &Cx, n: &Entity<NewsFm>) -> NewsCard {
    let (d, _) = n.doc(cx.l(), &cx.site().langs);
    NewsCard {
        key: n.key.clone(),
        href: cx.link(PageKind::News, &n.key),
        title: d.fm.title.clone(),
        date_iso: d.fm.date.to_string(),
        date_text: cx.date(d.fm.date),
        summary: d.fm.summary.clone(),
        picture: cx.card_picture("news", &n.key, &d.fm.image),
    }
}

#[derive(Serialize)]
struct NewsView {
    card: NewsCard,
    html: String,
    image: Option<ImageView>,
    regions: Vec<RegionCard>,
    projects: Vec<Link>,
}

pub(super) fn news(
    cx: &Cx,
    key: &str,
    ctx: &mut PageContext,
    diags: &mut Diagnostics,
) -> Option<PageParts> {
    let site = cx.site();
    let e = *cx.s.news.get(key)?;
    let (doc, _) = e.doc(cx.l(), &site.langs);
    let view = NewsView {
        card: news_card(cx, e),
        html: cx.markdown("news", e, doc, diags),
        image: cx.image("news", key, &doc.fm.image),
        regions: doc
            .fm
            .regions
            .iter()
            .filter_map(|r| cx.region(&r.value))
            .collect(),
        projects: doc
            .fm
            .projects
            .iter()
            .filter_map(|p| {
                let pe = site.project(&p.value)?;
                Some(Link {
                    label: pe.doc(cx.l(), &site.langs).0.fm.title.clone(),
                    href: cx.link(PageKind::Project, &p.value),
                    current: false,
                })
            })
            .collect(),
    };
    ctx.insert("description", &view.card.summary);
    if let Some(img) = &view.image {
        ctx.insert("og_image", &img.src);
    }
    ctx.insert("news", &view);
    ctx.insert("content_lang", &doc.lang);
    let updated = doc.fm.updated.unwrap_or(doc.fm.date);
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
    let updated = doc.fm.updated.unwrap_or_else(|| content_date(site));
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
    let mut items: Vec<(&Entity<NewsFm>, Date)> = site
        .news
        .iter()
        .map(|n| (n, n.source(&site.langs).fm.date))
        .collect();
    items.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.key.cmp(&b.0.key)));
    let cards: Vec<NewsCard> = items.iter().map(|(n, _)| news_card(cx, n)).collect();
    ctx.insert("news", &cards);
    let upd = items.first().map(|x| x.1).unwrap_or(site.today);
    ("news-list.html", i18n(cx, "nav_news"), upd, all_langs(site))
}
