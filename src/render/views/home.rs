//! The home page: its introduction, the projects, the latest stories and news, and the
//! next events.

use super::context::{Cx, all_langs};
use super::event::{EventCard, event_card};
use super::news::{NewsCard, news_card};
use super::project::{ProjectCard, project_card};
use super::story::{StoryCard, story_card};
use super::{PageContext, PageParts};
use crate::diag::Diagnostics;
use crate::model::Entity;
use crate::model::schema::NewsFm;

pub(super) fn home(cx: &Cx, ctx: &mut PageContext, diags: &mut Diagnostics) -> PageParts {
    let site = cx.site();
    let mut intro = String::new();
    let mut title = cx.text(&site.config.title).to_string();
    let mut translated = all_langs(site);
    let mut summary = None;
    if let Some(h) = &site.home {
        let (doc, _) = h.doc(cx.l(), &site.langs);
        title = doc.fm.title.clone();
        summary = doc.fm.summary.clone();
        intro = cx.markdown("home", h, doc, diags);
        translated = h.docs.keys().cloned().collect();
        if !h.has(cx.l()) {
            ctx.insert("intro_lang", &doc.lang);
        }
    }
    ctx.insert("intro_html", &intro);
    ctx.insert("description", &summary);
    let projects: Vec<ProjectCard> = site.projects.iter().map(|p| project_card(cx, p)).collect();
    ctx.insert("projects", &projects);
    let newest = cx.s.sorted_stories().iter().take(3);
    let cards: Vec<StoryCard> = newest.map(|s| story_card(cx, s)).collect();
    ctx.insert("stories", &cards);
    let mut news: Vec<&Entity<NewsFm>> = site.news.iter().collect();
    news.sort_by(|a, b| {
        b.source(&site.langs)
            .fm
            .date
            .cmp(&a.source(&site.langs).fm.date)
    });
    news.truncate(3);
    let ncards: Vec<NewsCard> = news.iter().map(|n| news_card(cx, n)).collect();
    ctx.insert("news", &ncards);
    let today = site.today.to_datetime(jiff::civil::Time::midnight());
    let upcoming: Vec<EventCard> = site
        .events
        .iter()
        .filter(|e| e.end.unwrap_or(e.start) >= today)
        .take(3)
        .map(|e| event_card(cx, e))
        .collect();
    ctx.insert("upcoming", &upcoming);
    ("home.html", title, cx.s.content_date(), translated)
}
