//! The page frame every page shares (`common` in the templates): title and description,
//! the language links (with the translations a page has, and the language a fallback page
//! shows), hreflang alternates, the main navigation, the EU band and the footer.

use serde::Serialize;

use super::context::{Cx, Link, i18n};
use super::search_facets::{SearchFacets, search_facets};
use crate::model::dates::FactDate;
use crate::model::schema::Direction;
use crate::plan::{FileKind, Kind, PageKind, Route, Scope};

#[derive(Serialize)]
struct LangLink {
    code: String,
    name: String,
    href: String,
    current: bool,
    translated: bool,
}

#[derive(Serialize)]
struct Alternate {
    hreflang: String,
    href: String,
}

#[derive(Serialize)]
struct EuBand {
    statement: String,
    statement_lang: String,
    statement_alt: Option<String>,
    funds_line: String,
}

#[derive(Serialize)]
pub(super) struct FundView {
    pub(super) key: String,
    pub(super) name: String,
    pub(super) short: String,
    pub(super) eu: bool,
}

#[derive(Serialize)]
struct Footer {
    funds: Vec<FundView>,
    accessibility_href: String,
    privacy_href: String,
    feedback_email: String,
    feedback_href: Option<String>,
    /// The open-data page of the language.
    data_href: String,
    updated_iso: String,
    updated_text: String,
}

#[derive(Serialize)]
pub(super) struct Common {
    pub(super) lang: String,
    dir: &'static str,
    pub(super) page_path: String,
    canonical: String,
    site_title: String,
    tagline: String,
    pub(super) description: String,
    css_href: String,
    feed_href: String,
    home_href: String,
    nav: Vec<Link>,
    langs: Vec<LangLink>,
    alternates: Vec<Alternate>,
    og_locale: String,
    /// The link-preview picture: the site's own, unless the page sets one.
    pub(super) og_image: String,
    og_locale_alternates: Vec<String>,
    eu: EuBand,
    footer: Footer,
    fallback: bool,
    fallback_lang: String,
    fallback_lang_name: String,
    /// Whether the page's text goes into the search index (`data-search-body`).
    indexed: bool,
    /// What an indexed page says of itself for the search page's filters.
    search_facets: Option<SearchFacets>,
}

pub(super) fn common(
    cx: &Cx,
    route: &Route,
    title: &str,
    updated: FactDate,
    translated_in: &[String],
) -> Common {
    let site = cx.site();
    let indexed = site.config.search.unwrap_or(true) && crate::search::indexed(route);
    let l = cx.l();
    let dl = cx.default_lang();
    let kind = route.kind.page_kind();
    let key = route.kind.key();
    let same_page = |lang: &str| -> String { cx.link_in(kind, key, lang) };
    let abs = |lang: &str| -> Option<String> {
        let p = cx.s.plan.path(kind, key, lang)?;
        Some(format!("{}{}", site.base_url, p))
    };
    let langs = site
        .langs
        .iter()
        .map(|lg| LangLink {
            code: lg.code.clone(),
            name: lg.name.clone(),
            href: same_page(&lg.code),
            current: lg.code == l,
            translated: translated_in.contains(&lg.code),
        })
        .collect();
    let mut alternates: Vec<Alternate> = Vec::new();
    if matches!(route.kind, Kind::NotFound) {
        // A 404 page has no address of its own to be an alternate of.
    } else {
        for lg in &site.langs {
            if translated_in.contains(&lg.code)
                && let Some(h) = abs(&lg.code)
            {
                alternates.push(Alternate {
                    hreflang: lg.code.clone(),
                    href: h,
                });
            }
        }
        if let Some(h) = abs(dl)
            && !alternates.is_empty()
        {
            alternates.push(Alternate {
                hreflang: "x-default".into(),
                href: h,
            });
        }
    }
    let nav = nav(cx, route);

    let eu_fund = site
        .config
        .funds
        .iter()
        .filter_map(|k| site.funds.get(&k.value))
        .find(|f| f.eu);
    let (statement, statement_lang, statement_alt) = match eu_fund {
        Some(f) if f.statement.has(l) && cx.lang.dir == Direction::Ltr => {
            (f.statement.get(l, dl).to_string(), l.to_string(), None)
        }
        Some(f) => {
            // A language in which the EU publishes no official statement (Arabic): the
            // statement in full in English (or the default language), with a line in L beside.
            let base = if f.statement.has("en") { "en" } else { dl };
            let alt = f.statement.values.get(l).cloned();
            (f.statement.get(base, dl).to_string(), base.to_string(), alt)
        }
        None => (i18n(cx, "eu_statement"), l.to_string(), None),
    };
    let funds: Vec<FundView> = site
        .config
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
                    .unwrap_or_else(|| cx.text(&f.name).to_string()),
                eu: f.eu,
            })
        })
        .collect();
    let funds_line = funds
        .iter()
        .map(|f| f.short.as_str())
        .collect::<Vec<_>>()
        .join(" · ");
    let acc = &site.config.accessibility_statement.value;
    let accessibility_href = if acc.contains("://") {
        acc.clone()
    } else {
        cx.link(PageKind::Page, acc)
    };
    let fallback_lang = if route.fallback {
        source_lang(cx, &route.kind)
    } else {
        String::new()
    };
    Common {
        lang: l.to_string(),
        dir: if cx.lang.dir == Direction::Rtl {
            "rtl"
        } else {
            "ltr"
        },
        page_path: route.path.clone(),
        canonical: format!("{}{}", site.base_url, route.path),
        site_title: cx.text(&site.config.title).to_string(),
        tagline: site
            .config
            .tagline
            .as_ref()
            .map(|t| cx.text(t).to_string())
            .unwrap_or_default(),
        description: site
            .config
            .description
            .as_ref()
            .map(|t| cx.text(t).to_string())
            .unwrap_or_else(|| title.to_string()),
        css_href: cx.root_link(
            cx.s.statics
                .get("style.css")
                .map(String::as_str)
                .unwrap_or("/style.css"),
        ),
        feed_href: cx.file_link(FileKind::Feed(Scope::All)).unwrap_or_default(),
        home_href: cx.link(PageKind::Home, ""),
        nav,
        langs,
        alternates,
        og_locale: cx.s.i18n.og_locale(l).to_string(),
        og_image: format!(
            "{}{}",
            site.base_url,
            cx.s.statics
                .get("share.png")
                .map(String::as_str)
                .unwrap_or("/share.png")
        ),
        og_locale_alternates: translated_in
            .iter()
            .filter(|c| c.as_str() != l)
            .map(|c| cx.s.i18n.og_locale(c).to_string())
            .collect(),
        eu: EuBand {
            statement,
            statement_lang,
            statement_alt,
            funds_line,
        },
        footer: Footer {
            funds,
            accessibility_href,
            privacy_href: cx.link(PageKind::Page, &site.config.privacy_page.value),
            feedback_email: site.config.feedback.email.value.clone(),
            feedback_href: site.config.feedback.url.as_ref().map(|u| u.value.clone()),
            data_href: cx.link(PageKind::Data, ""),
            updated_iso: updated.iso(),
            updated_text: cx.fact_date(updated),
        },
        fallback: route.fallback,
        fallback_lang_name: site
            .lang(&fallback_lang)
            .map(|l| l.name.clone())
            .unwrap_or_default(),
        fallback_lang,
        indexed,
        search_facets: if indexed {
            search_facets(cx, &route.kind)
        } else {
            None
        },
    }
}

/// The language whose text a fallback page shows.
fn source_lang(cx: &Cx, kind: &Kind) -> String {
    let site = cx.site();
    let langs = &site.langs;
    let found = match kind {
        Kind::Project(k) => site
            .projects
            .iter()
            .find(|e| &e.key == k)
            .map(|e| e.source(langs).lang.clone()),
        // By key from the maps made once per build: a site whose stories are mostly in one
        // language has a fallback page for most stories in every other.
        Kind::Story(k) => cx.s.story(k).map(|e| e.source(langs).lang.clone()),
        Kind::News(k) => cx.s.news(k).map(|e| e.source(langs).lang.clone()),
        Kind::Page(k) => site
            .pages
            .iter()
            .find(|e| &e.key == k)
            .map(|e| e.source(langs).lang.clone()),
        _ => None,
    };
    found.unwrap_or_else(|| site.default_lang().to_string())
}

/// The main navigation: each section's list page the site has, the one the page belongs to
/// marked as current.
fn nav(cx: &Cx, route: &Route) -> Vec<Link> {
    let current = match route.kind.page_kind() {
        PageKind::Project => PageKind::ProjectList,
        PageKind::Story => PageKind::StoryList,
        PageKind::News => PageKind::NewsList,
        PageKind::Event => PageKind::EventList,
        PageKind::Region => PageKind::RegionList,
        k => k,
    };
    [
        (PageKind::ProjectList, "nav_projects"),
        (PageKind::StoryList, "nav_stories"),
        (PageKind::NewsList, "nav_news"),
        (PageKind::EventList, "nav_events"),
        (PageKind::RegionList, "nav_regions"),
        (PageKind::Search, "nav_search"),
    ]
    .into_iter()
    .filter(|(k, _)| cx.s.plan.path(*k, "", cx.l()).is_some())
    .map(|(k, label)| Link {
        label: i18n(cx, label),
        href: cx.link(k, ""),
        current: k == current,
    })
    .collect()
}
