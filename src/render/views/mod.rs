//! Views: the data each template receives, computed from the `Site` for one route.
//!
//! Sorting, grouping, date and number formatting and links are done here, so that templates
//! stay free of logic. Links are relative to the page being rendered (`plan::href`) and come
//! from the plan by [`PageKind`]; no view makes a path of its own. Nothing here touches the
//! disk.
//!
//! [`page`] picks the view of a route's kind; each kind of page has its file (`project`,
//! `story`, `news`, `event`, `region`, `search`, `data`, `home`), `filters` gives the story
//! and event lists their filters, `chrome` adds the frame every page shares (with
//! `search_facets`, what an indexed page says of itself for the search page's filters),
//! `context` holds what views read from, `links` checks the links written in texts, and
//! `fingerprint` hashes a finished context.

mod chrome;
mod context;
mod data;
mod event;
mod filters;
mod fingerprint;
mod home;
mod links;
mod news;
mod project;
mod region;
mod search;
mod search_facets;
mod story;
#[cfg(test)]
pub(super) mod tests;

use jiff::civil::Date;
use serde::Serialize;
use tera::Context;

use crate::diag::Diagnostics;
use crate::model::dates::FactDate;
use crate::plan::{Kind, Route};
use chrome::common;
pub use context::Shared;
use context::{Cx, all_langs, i18n};
use data::data_page;
use event::{event, event_list};
pub(crate) use filters::story_cards_files;
use home::home;
use news::{news, news_list, plain_page};
use project::{project, project_list};
use region::{region, region_list};
use search::search_page;
pub(crate) use story::cards_shown_while;
use story::{story, story_list};

/// What a view gives the page frame: the template, the page's title, its "last updated"
/// date, and the languages it is translated into.
type PageParts = (&'static str, String, Date, Vec<String>);

/// A page's template context, which also knows the names it holds, so that it can be
/// fingerprinted: with the templates, strings and addresses of the site (`globals_hash`),
/// the context is all that a page's bytes depend on.
#[derive(Debug, Default)]
pub struct PageContext {
    ctx: Context,
    /// The names inserted, in the order they were first inserted.
    keys: Vec<&'static str>,
}

impl PageContext {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if !self.keys.contains(&key) {
            self.keys.push(key);
        }
        self.ctx.insert(key, value);
    }

    fn get(&self, key: &str) -> Option<&tera::Value> {
        self.ctx.get(key)
    }

    /// The context as Tera takes it.
    pub fn context(&self) -> &Context {
        &self.ctx
    }
}

/// Builds the template name and context of one route, or reports why it cannot.
pub fn page(s: &Shared, route: &Route, diags: &mut Diagnostics) -> Option<(String, PageContext)> {
    let site = s.site;
    let lang = site.lang(&route.lang)?;
    let cx = Cx {
        s,
        lang,
        path: &route.path,
    };
    let mut ctx = PageContext::default();
    let (template, title, updated, translated_in): PageParts = match &route.kind {
        Kind::Home => home(&cx, &mut ctx, diags),
        Kind::ProjectList => project_list(&cx, &mut ctx),
        Kind::Project(key) => project(&cx, key, &mut ctx, diags)?,
        Kind::StoryList(n) => story_list(&cx, *n, &mut ctx),
        Kind::Story(key) => story(&cx, key, &mut ctx, diags)?,
        Kind::NewsList => news_list(&cx, &mut ctx),
        Kind::News(key) => news(&cx, key, &mut ctx, diags)?,
        Kind::Page(key) => plain_page(&cx, key, &mut ctx, diags)?,
        Kind::EventList => event_list(&cx, &mut ctx),
        Kind::Event(id) => event(&cx, id, &mut ctx)?,
        Kind::RegionList => region_list(&cx, &mut ctx),
        Kind::Region(key) => region(&cx, key, &mut ctx),
        Kind::Search => search_page(&cx, &mut ctx, diags),
        Kind::Data => data_page(&cx, &mut ctx, diags),
        Kind::NotFound => (
            "404.html",
            i18n(&cx, "not_found_title"),
            cx.s.content_date(),
            all_langs(site),
        ),
    };
    let description = ctx
        .get("description")
        .and_then(|v| v.as_str().map(str::to_string))
        .filter(|d| !d.is_empty());
    // A page dated by a news item known only to the month says the month, not a day.
    let updated = match ctx.get("updated_month_only").and_then(|v| v.as_bool()) {
        Some(true) => FactDate::month_of(updated),
        _ => FactDate::day(updated),
    };
    let mut common = common(&cx, route, &title, updated, &translated_in);
    if let Some(d) = description {
        common.description = d;
    }
    if let Some(img) = ctx.get("og_image").and_then(|v| v.as_str()) {
        common.og_image = img.to_string();
    }
    ctx.insert("lang", &common.lang);
    ctx.insert("page_path", &common.page_path);
    ctx.insert("title", &title);
    ctx.insert("common", &common);
    Some((template.to_string(), ctx))
}
