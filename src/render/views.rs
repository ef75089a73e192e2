//! Views: the data each template receives, computed from the `Site` for one route.
//!
//! Sorting, grouping, date and number formatting and links are done here, so that templates
//! stay free of logic. Links are relative to the page being rendered (`plan::href`).

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;
use tera::Context;

use super::i18n::I18n;
use super::markdown::{self, MdInput};
use crate::diag::Diagnostics;
use crate::images::{Pictures, picture_html};
use crate::model::regions::{REGIONS, Region};
use crate::model::schema::*;
use crate::model::yaml::{LangMap, RegionSel};
use crate::model::{Doc, Entity, Event, Language, Site};
use crate::plan::{FileKind, Kind, PageKind, Plan, Route, Scope as FileScope, href, url_name};

/// Read-only data shared by all routes of a build.
pub struct Shared<'a> {
    pub site: &'a Site,
    pub plan: &'a Plan,
    pub i18n: &'a I18n,
    pub pictures: &'a Pictures,
    /// Theme static files: name in the theme → published root path (fingerprinted).
    pub statics: &'a rustc_hash::FxHashMap<String, String>,
    /// Stories newest first, sorted once per build: every list, hub and sheet reuses it
    /// (sorting per page made builds grow with the square of the number of stories).
    sorted_stories: Vec<&'a Entity<StoryFm>>,
    /// Stories and news by key, found once per build: a search through the list for each
    /// page made builds grow with the square of the number of entries.
    stories: rustc_hash::FxHashMap<&'a str, &'a Entity<StoryFm>>,
    news: rustc_hash::FxHashMap<&'a str, &'a Entity<NewsFm>>,
    /// The path of every page, for checking the links written in the texts.
    page_paths: rustc_hash::FxHashSet<&'a str>,
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
            sorted_stories: sort_stories(site),
            stories: site.stories.iter().map(|e| (e.key.as_str(), e)).collect(),
            news: site.news.iter().map(|e| (e.key.as_str(), e)).collect(),
            page_paths: plan.routes.iter().map(|r| r.path.as_str()).collect(),
        }
    }
}

/// The page path closest to a mistyped one, if it is a likely typo: a few letters apart
/// (`/progetti/puio/` → `/progetti/puoi/`), not merely sharing a folder.
fn nearest_path<'p>(path: &str, paths: impl Iterator<Item = &'p str>) -> Option<String> {
    let most = (path.chars().count() / 6).clamp(1, 4);
    paths
        .map(|p| (strsim::levenshtein(path, p), p))
        .filter(|(d, _)| *d <= most)
        .min()
        .map(|(_, p)| p.to_string())
}

/// Per-route helper: the language, the page's own path, and link making.
struct Cx<'a> {
    s: &'a Shared<'a>,
    lang: &'a Language,
    path: &'a str,
}

impl Cx<'_> {
    fn site(&self) -> &Site {
        self.s.site
    }
    fn l(&self) -> &str {
        &self.lang.code
    }
    fn default_lang(&self) -> &str {
        self.s.site.default_lang()
    }
    /// Link to the page `kind`/`key` in this language ("" if no such page).
    fn link(&self, kind: PageKind, key: &str) -> String {
        self.link_in(kind, key, self.l())
    }
    fn link_in(&self, kind: PageKind, key: &str, lang: &str) -> String {
        self.s
            .plan
            .path(kind, key, lang)
            .map(|p| href(self.path, p))
            .unwrap_or_default()
    }
    fn root_link(&self, to: &str) -> String {
        href(self.path, to)
    }
    fn date(&self, d: Date) -> String {
        self.s.i18n.date(self.l(), d)
    }
    fn text<'b>(&self, m: &'b LangMap) -> &'b str {
        m.get(self.l(), self.default_lang())
    }
    fn org(&self, key: &str) -> OrgView {
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
    fn region(&self, key: &str) -> Option<RegionCard> {
        let r = Region::get(key)?;
        Some(RegionCard {
            key: r.key.to_string(),
            name: r.name(self.l()).to_string(),
            href: self.link(PageKind::Region, r.key),
        })
    }
    fn markdown<T>(
        &self,
        section: &str,
        e: &Entity<T>,
        doc: &Doc<T>,
        diags: &mut Diagnostics,
    ) -> String {
        let names: Vec<&str> = self
            .site()
            .assets
            .iter()
            .filter(|a| a.section == section && a.key == e.key)
            .map(|a| a.name.as_str())
            .collect();
        let dir = self
            .s
            .plan
            .bundle_dir(section, &e.key)
            .unwrap_or("/")
            .to_string();
        let asset_href = |n: &str| href(self.path, &format!("{dir}{}", url_name(n)));
        let picture = |n: &str, alt: &str| -> Option<String> {
            let p = self.s.pictures.get(section, &e.key, n)?;
            Some(picture_html(p, &asset_href, alt, false))
        };
        // Relative links are checked in the text's own language only: a page shown in
        // another language's place (no translation yet) has other addresses around it.
        let own = doc.lang == self.l();
        let site_link = |url: &str| self.site_link(url, own);
        markdown::render(
            &MdInput {
                site_link: &site_link,
                picture: &picture,
                body: doc.body(),
                body_offset: doc.body_offset,
                src: &doc.src,
                assets: &names,
                asset_href: &asset_href,
            },
            diags,
        )
    }
    /// What `url`, written in a text, is to the site. Addresses of the site are those that
    /// start with `/` (not `//`) or with the site's `base_url`, and, when `relative` is set,
    /// those relative to this page (`../altra-storia/`); of those, the addresses of pages
    /// (ending in `/` or `.html`, or in a name without a dot) are checked against the site's
    /// pages, and written relative to this page so that they work from disk and under any
    /// folder. Files (`/feed.xml`, a PDF) are left as written.
    fn site_link(&self, url: &str, relative: bool) -> markdown::SiteLink {
        use markdown::SiteLink;
        let base = self.site().base_url.trim_end_matches('/');
        // The folder the site is published under, if any (`https://example.org/sito`): an
        // address copied from the browser without the host starts with it.
        let folder = base
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or("");
        let local = match url.strip_prefix(base) {
            Some("") if !base.is_empty() => "/".to_string(),
            Some(rest) if !base.is_empty() && rest.starts_with(['/', '?', '#']) => {
                format!("/{}", rest.trim_start_matches('/'))
            }
            _ if url.starts_with('/') => match url.strip_prefix(folder) {
                Some(rest) if !folder.is_empty() && rest.is_empty() => "/".to_string(),
                Some(rest) if !folder.is_empty() && rest.starts_with(['/', '?', '#']) => {
                    format!("/{}", rest.trim_start_matches('/'))
                }
                _ => url.to_string(),
            },
            _ if relative
                && !url.is_empty()
                && !url.starts_with(['#', '?'])
                && !url.split('/').next().unwrap_or_default().contains(':') =>
            {
                let mut parts: Vec<&str> = self.path.split('/').filter(|p| !p.is_empty()).collect();
                if !self.path.ends_with('/') {
                    parts.pop();
                }
                let ends_in_folder = url.ends_with('/');
                for seg in url.split('/').filter(|p| !p.is_empty()) {
                    match seg {
                        "." => {}
                        ".." => {
                            if parts.pop().is_none() {
                                return SiteLink::Other;
                            }
                        }
                        s => parts.push(s),
                    }
                }
                format!(
                    "/{}{}",
                    parts.join("/"),
                    if ends_in_folder && !parts.is_empty() {
                        "/"
                    } else {
                        ""
                    }
                )
            }
            _ => return SiteLink::Other,
        };
        let local = local.as_str();
        if !local.starts_with('/') || local.starts_with("//") {
            return SiteLink::Other;
        }
        let cut = local.find(['?', '#']).unwrap_or(local.len());
        let (path, suffix) = local.split_at(cut);
        let last = path.rsplit('/').next().unwrap_or_default();
        let page = match last {
            "index.html" => path.trim_end_matches("index.html").to_string(),
            l if l.ends_with(".html") => path.to_string(),
            l if l.contains('.') => return SiteLink::Other,
            "" => path.to_string(),
            _ => format!("{path}/"),
        };
        if self.s.page_paths.contains(page.as_str()) {
            return SiteLink::Page(href(self.path, &page) + suffix);
        }
        if self.s.plan.withdrawn.contains(&page) {
            return SiteLink::Withdrawn(page);
        }
        SiteLink::Missing {
            near: nearest_path(&page, self.s.page_paths.iter().copied()),
            path: page,
        }
    }
    fn image(
        &self,
        section: &str,
        key: &str,
        img: &Option<serde_saphyr::Spanned<ImageFm>>,
    ) -> Option<ImageView> {
        let img = &img.as_ref()?.value;
        let dir = self.s.plan.bundle_dir(section, key)?;
        let alt = img
            .alt
            .as_ref()
            .map(|a| a.value.clone())
            .unwrap_or_default();
        let link = |n: &str| href(self.path, &format!("{dir}{}", url_name(n)));
        let picture = self.s.pictures.get(section, key, &img.src.value)?;
        // The cover is at the top of the page: loaded at once, not lazily.
        let html = picture_html(picture, &link, &alt, true);
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
}

#[derive(Serialize, Default)]
struct OrgView {
    key: String,
    name: String,
    short: Option<String>,
    website: Option<String>,
    note: Option<String>,
}

#[derive(Serialize, Clone)]
struct RegionCard {
    key: String,
    name: String,
    href: String,
}

#[derive(Serialize)]
struct ImageView {
    /// The `<picture>` element with every size and format.
    html: String,
    /// Absolute address of the largest fallback file (for link previews).
    src: String,
    alt: String,
    caption: Option<String>,
}

#[derive(Serialize)]
struct Link {
    label: String,
    href: String,
    current: bool,
}

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
struct FundView {
    key: String,
    name: String,
    short: String,
    eu: bool,
}

#[derive(Serialize)]
struct Footer {
    funds: Vec<FundView>,
    accessibility_href: String,
    privacy_href: String,
    feedback_email: String,
    feedback_href: Option<String>,
    updated_iso: String,
    updated_text: String,
}

#[derive(Serialize)]
struct Common {
    lang: String,
    dir: &'static str,
    page_path: String,
    canonical: String,
    site_title: String,
    tagline: String,
    description: String,
    css_href: String,
    feed_href: String,
    home_href: String,
    nav: Vec<Link>,
    langs: Vec<LangLink>,
    alternates: Vec<Alternate>,
    og_locale: String,
    /// The link-preview picture: the site's own, unless the page sets one.
    og_image: String,
    og_locale_alternates: Vec<String>,
    eu: EuBand,
    footer: Footer,
    fallback: bool,
    fallback_lang: String,
    fallback_lang_name: String,
    /// Whether the page's text goes into the search index (`data-search-body`).
    indexed: bool,
}

#[derive(Serialize)]
struct ProjectCard {
    key: String,
    href: String,
    title: String,
    acronym: Option<String>,
    summary: String,
    status: &'static str,
    national: bool,
}

#[derive(Serialize)]
struct StoryCard {
    key: String,
    href: String,
    title: String,
    date_iso: String,
    date_text: String,
    summary: String,
    kind: &'static str,
    region: Option<RegionCard>,
    project_title: String,
    project_href: String,
    example: bool,
}

#[derive(Serialize)]
struct NewsCard {
    key: String,
    href: String,
    title: String,
    date_iso: String,
    date_text: String,
    summary: String,
}

#[derive(Serialize)]
struct EventCard {
    id: String,
    href: String,
    title: String,
    summary: String,
    date_iso: String,
    when: String,
    status: &'static str,
    place: String,
    online: bool,
}

#[derive(Serialize)]
struct YearGroup {
    year: i16,
    events: Vec<EventCard>,
}

/// The search page: the form, where the index is, and the interface strings its script
/// needs (the plural forms of the result count among them), as JSON.
fn search(
    cx: &Cx,
    ctx: &mut PageContext,
    diags: &mut Diagnostics,
) -> (&'static str, String, Date, Vec<String>) {
    let l = cx.l();
    let mut strings = serde_json::Map::new();
    for key in [
        "search_loading",
        "search_empty",
        "search_none",
        "search_results",
    ] {
        let value = match cx.s.i18n.entry(l, key) {
            Some(super::i18n::Entry::Text(t)) => serde_json::Value::from(t.as_str()),
            Some(super::i18n::Entry::Plural(forms)) => serde_json::Value::from(
                forms
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str())))
                    .collect::<serde_json::Map<_, _>>(),
            ),
            None => {
                diags.file_error(
                    std::path::Path::new("themes/default/templates/search.html"),
                    format!("missing interface string `{key}` for language `{l}`"),
                    cx.s.i18n.missing_help(l, key),
                );
                continue;
            }
        };
        strings.insert(key.to_string(), value);
    }
    let json = super::script_json::to_script(&serde_json::Value::Object(strings));
    ctx.insert("search_strings", &json);
    ctx.insert("search_locale", &cx.lang.locale);
    ctx.insert(
        "search_bundle",
        &cx.s
            .plan
            .file_path(FileKind::SearchScript, cx.l())
            .map(|p| cx.root_link(&p))
            .unwrap_or_default(),
    );
    ctx.insert(
        "search_index",
        &cx.s
            .plan
            .file_path(FileKind::SearchIndex, cx.l())
            .map(|p| cx.root_link(&p))
            .unwrap_or_default(),
    );
    (
        "search.html",
        i18n(cx, "search_title"),
        content_date(cx.site()),
        all_langs(cx.site()),
    )
}

/// A page's template context, which also knows the names it holds, so that it can be
/// fingerprinted: with the templates, strings and addresses of the site (`globals_hash`),
/// the context is all that a page's bytes depend on.
#[derive(Debug, Default)]
pub struct PageContext {
    ctx: Context,
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

    pub fn into_context(self) -> Context {
        self.ctx
    }

    /// A hash of every name and value, each told apart from the next by its kind and
    /// length, so that no two different contexts give the same stream; fed to the hash as
    /// the values are walked (writing them out as JSON first took 6 % of a build).
    pub fn fingerprint(&self) -> Option<blake3::Hash> {
        let mut keys = self.keys.clone();
        keys.sort_unstable();
        let mut h = Feed::default();
        for key in keys {
            h.str(b'k', key);
            h.value(self.ctx.get(key)?);
        }
        Some(h.finish())
    }
}

/// A fingerprint's stream, gathered into runs of [`Feed::RUN`] bytes before they are hashed:
/// the hasher is fed a few large pieces, not one per name and value (a call each was
/// most of the fingerprint's time).
struct Feed {
    h: blake3::Hasher,
    run: Vec<u8>,
}

impl Default for Feed {
    fn default() -> Self {
        Feed {
            h: blake3::Hasher::new(),
            run: Vec::with_capacity(Self::RUN),
        }
    }
}

impl Feed {
    const RUN: usize = 16 * 1024;

    fn put(&mut self, bytes: &[u8]) {
        if self.run.len() + bytes.len() > Self::RUN {
            self.h.update(&self.run);
            self.run.clear();
            if bytes.len() > Self::RUN {
                self.h.update(bytes);
                return;
            }
        }
        self.run.extend_from_slice(bytes);
    }

    fn len(&mut self, n: usize) {
        self.put(&(n as u64).to_le_bytes());
    }

    fn str(&mut self, kind: u8, s: &str) {
        self.put(&[kind]);
        self.len(s.len());
        self.put(s.as_bytes());
    }

    /// One value of a context into its fingerprint.
    fn value(&mut self, v: &tera::Value) {
        if let Some(s) = v.as_str() {
            // A string marked safe is written as it is, another escaped: not the same page.
            self.str(if v.is_safe() { b'S' } else { b's' }, s);
        } else if let Some(items) = v.as_array() {
            self.put(b"a");
            self.len(items.len());
            for item in items {
                self.value(item);
            }
        } else if let Some(map) = v.as_map() {
            self.put(b"m");
            self.len(map.len());
            for (k, item) in map {
                match k.as_str() {
                    Some(k) => self.str(b'k', k),
                    None => self.str(b'K', &k.to_string()),
                }
                self.value(item);
            }
        } else if let Some(b) = v.as_bytes() {
            self.put(b"b");
            self.len(b.len());
            self.put(b);
        } else {
            // Numbers, true and false, none: their kind and how Tera writes them.
            let kind = if v.is_none() {
                b'0'
            } else if v.is_undefined() {
                b'u'
            } else if v.is_bool() {
                b'?'
            } else {
                b'#'
            };
            self.str(kind, &v.to_string());
        }
    }

    fn finish(mut self) -> blake3::Hash {
        self.h.update(&self.run);
        self.h.finalize()
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
    let (template, title, updated, translated_in): (&str, String, Date, Vec<String>) = match &route
        .kind
    {
        Kind::Home => home(&cx, &mut ctx, diags),
        Kind::ProjectList => {
            let cards: Vec<ProjectCard> =
                site.projects.iter().map(|p| project_card(&cx, p)).collect();
            ctx.insert("projects", &cards);
            let upd = latest(site.projects.iter().map(|p| {
                let d = &p.source(&site.langs).fm;
                d.updated.or(d.verified)
            }));
            (
                "project-list.html",
                i18n(&cx, "nav_projects"),
                upd,
                all_langs(site),
            )
        }
        Kind::Project(key) => project(&cx, key, &mut ctx, diags)?,
        Kind::StoryList(n) => story_list(&cx, *n, &mut ctx),
        Kind::Story(key) => story(&cx, key, &mut ctx, diags)?,
        Kind::NewsList => {
            let mut items: Vec<(&Entity<NewsFm>, Date)> = site
                .news
                .iter()
                .map(|n| (n, n.source(&site.langs).fm.date))
                .collect();
            items.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.key.cmp(&b.0.key)));
            let cards: Vec<NewsCard> = items.iter().map(|(n, _)| news_card(&cx, n)).collect();
            ctx.insert("news", &cards);
            let upd = items.first().map(|x| x.1).unwrap_or(site.today);
            (
                "news-list.html",
                i18n(&cx, "nav_news"),
                upd,
                all_langs(site),
            )
        }
        Kind::News(key) => news(&cx, key, &mut ctx, diags)?,
        Kind::Page(key) => page_view(&cx, key, &mut ctx, diags)?,
        Kind::EventList => event_list(&cx, &mut ctx),
        Kind::Event(id) => event(&cx, id, &mut ctx)?,
        Kind::RegionList => {
            let cards: Vec<RegionCard> = REGIONS.iter().filter_map(|r| cx.region(r.key)).collect();
            ctx.insert("regions", &cards);
            region_map(&cx, &mut ctx);
            (
                "region-list.html",
                i18n(&cx, "nav_regions"),
                content_date(site),
                all_langs(site),
            )
        }
        Kind::Region(key) => region(&cx, key, &mut ctx),
        Kind::Search => search(&cx, &mut ctx, diags),
        Kind::NotFound => (
            "404.html",
            i18n(&cx, "not_found_title"),
            content_date(site),
            all_langs(site),
        ),
    };
    let description = ctx
        .get("description")
        .and_then(|v| v.as_str().map(str::to_string))
        .filter(|d| !d.is_empty());
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

fn i18n(cx: &Cx, key: &str) -> String {
    cx.s.i18n.get(cx.l(), key).unwrap_or(key).to_string()
}

fn all_langs(site: &Site) -> Vec<String> {
    site.langs.iter().map(|l| l.code.clone()).collect()
}

fn latest(dates: impl Iterator<Item = Option<Date>>) -> Date {
    dates
        .flatten()
        .max()
        .unwrap_or(jiff::civil::date(2000, 1, 1))
}

/// The most recent date of any content: the "last updated" of pages that list everything.
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
        .map(|d| Some(d.fm.updated.unwrap_or(d.fm.date)));
    let projects = site
        .projects
        .iter()
        .flat_map(|e| e.docs.values())
        .map(|d| d.fm.updated);
    latest(stories.chain(news).chain(projects))
}

fn common(cx: &Cx, route: &Route, title: &str, updated: Date, translated_in: &[String]) -> Common {
    let site = cx.site();
    let l = cx.l();
    let dl = cx.default_lang();
    let kind = route.kind.page_kind();
    let key = route.kind.key();
    let same_page = |lang: &str| -> String {
        match &route.kind {
            Kind::StoryList(_) => cx.link_in(PageKind::StoryList, "", lang),
            _ => cx.link_in(kind, key, lang),
        }
    };
    let abs = |lang: &str| -> Option<String> {
        let p = match &route.kind {
            Kind::StoryList(_) => cx.s.plan.path(PageKind::StoryList, "", lang),
            _ => cx.s.plan.path(kind, key, lang),
        }?;
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
    let section_of = |k: &Kind| -> &'static str {
        match k {
            Kind::ProjectList | Kind::Project(_) => "projects",
            Kind::StoryList(_) | Kind::Story(_) => "stories",
            Kind::NewsList | Kind::News(_) => "news-list",
            Kind::EventList | Kind::Event(_) => "events",
            Kind::RegionList | Kind::Region(_) => "regions",
            Kind::Search => "search",
            _ => "",
        }
    };
    let current = section_of(&route.kind);
    let nav = [
        ("projects", "nav_projects"),
        ("stories", "nav_stories"),
        ("news-list", "nav_news"),
        ("events", "nav_events"),
        ("regions", "nav_regions"),
        ("search", "nav_search"),
    ]
    .iter()
    .filter(|(k, _)| PageKind::from_name(k).is_some_and(|k| cx.s.plan.path(k, "", l).is_some()))
    .map(|(k, label)| Link {
        label: i18n(cx, label),
        href: PageKind::from_name(k)
            .map(|k| cx.link(k, ""))
            .unwrap_or_default(),
        current: *k == current,
    })
    .collect();

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
        feed_href: cx
            .s
            .plan
            .file_path(FileKind::Feed(FileScope::All), l)
            .map(|p| cx.root_link(&p))
            .unwrap_or_default(),
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
            updated_iso: updated.to_string(),
            updated_text: cx.date(updated),
        },
        fallback: route.fallback,
        fallback_lang_name: site
            .lang(&fallback_lang)
            .map(|l| l.name.clone())
            .unwrap_or_default(),
        fallback_lang,
        indexed: site.config.search.unwrap_or(true) && super::search::indexed(route),
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
        Kind::Story(k) => site
            .stories
            .iter()
            .find(|e| &e.key == k)
            .map(|e| e.source(langs).lang.clone()),
        Kind::News(k) => site
            .news
            .iter()
            .find(|e| &e.key == k)
            .map(|e| e.source(langs).lang.clone()),
        Kind::Page(k) => site
            .pages
            .iter()
            .find(|e| &e.key == k)
            .map(|e| e.source(langs).lang.clone()),
        _ => None,
    };
    found.unwrap_or_else(|| site.default_lang().to_string())
}

type PageParts = (&'static str, String, Date, Vec<String>);

fn home(cx: &Cx, ctx: &mut PageContext, diags: &mut Diagnostics) -> PageParts {
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
    let mut stories = cx.s.sorted_stories.clone();
    stories.truncate(3);
    let cards: Vec<StoryCard> = stories.iter().map(|s| story_card(cx, s)).collect();
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
    ("home.html", title, content_date(site), translated)
}

fn project_card(cx: &Cx, p: &Entity<ProjectFm>) -> ProjectCard {
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

fn project(
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
    let bars: Vec<super::chart::Bar> = ind
        .map(|i| {
            i.figures
                .iter()
                .zip(&view.figures)
                .filter_map(|(f, fv)| {
                    Some(super::chart::Bar {
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
        super::chart::bar_chart(
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
        &cx.s
            .plan
            .file_path(FileKind::Calendar(FileScope::Project(key)), cx.l())
            .map(|p| cx.root_link(&p)),
    );
    ctx.insert(
        "feed_href",
        &cx.s
            .plan
            .file_path(FileKind::Feed(FileScope::Project(key)), cx.l())
            .map(|p| cx.root_link(&p)),
    );
    ctx.insert("project", &view);
    ctx.insert("content_lang", &doc.lang);
    let stories: Vec<StoryCard> =
        cx.s.sorted_stories
            .iter()
            .copied()
            .filter(|s| s.source(&site.langs).fm.project.value == key)
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
        .unwrap_or_else(|| content_date(site));
    Some((
        "project.html",
        fm.title.clone(),
        updated,
        e.docs.keys().cloned().collect(),
    ))
}

fn sort_stories(site: &Site) -> Vec<&Entity<StoryFm>> {
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

fn story_card(cx: &Cx, s: &Entity<StoryFm>) -> StoryCard {
    let site = cx.site();
    let (d, _) = s.doc(cx.l(), &site.langs);
    let project = site.project(&d.fm.project.value);
    StoryCard {
        key: s.key.clone(),
        href: cx.link(PageKind::Story, &s.key),
        title: d.fm.title.clone(),
        date_iso: d.fm.date.to_string(),
        date_text: cx.date(d.fm.date),
        summary: d.fm.summary.clone(),
        kind: story_kind_key(d.fm.kind.value),
        region: cx.region(&d.fm.region.value),
        project_title: project
            .map(|p| p.doc(cx.l(), &site.langs).0.fm.title.clone())
            .unwrap_or_default(),
        project_href: cx.link(PageKind::Project, &d.fm.project.value),
        example: d.fm.example,
    }
}

fn story_list(cx: &Cx, n: usize, ctx: &mut PageContext) -> PageParts {
    let site = cx.site();
    let per = site.config.stories_per_page.unwrap_or(12).max(1);
    let all = &cx.s.sorted_stories;
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
struct StoryView {
    card: StoryCard,
    html: String,
    image: Option<ImageView>,
    display_name: Option<String>,
    themes: Vec<String>,
}

fn story(cx: &Cx, key: &str, ctx: &mut PageContext, diags: &mut Diagnostics) -> Option<PageParts> {
    let site = cx.site();
    let e = *cx.s.stories.get(key)?;
    let (doc, _) = e.doc(cx.l(), &site.langs);
    let view = StoryView {
        card: story_card(cx, e),
        html: cx.markdown("stories", e, doc, diags),
        image: cx.image("stories", key, &doc.fm.image),
        display_name: doc
            .fm
            .person
            .as_ref()
            .map(|p| p.value.display_name.value.clone()),
        themes: doc.fm.themes.clone(),
    };
    ctx.insert("description", &view.card.summary);
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

fn news_card(cx: &Cx, n: &Entity<NewsFm>) -> NewsCard {
    let (d, _) = n.doc(cx.l(), &cx.site().langs);
    NewsCard {
        key: n.key.clone(),
        href: cx.link(PageKind::News, &n.key),
        title: d.fm.title.clone(),
        date_iso: d.fm.date.to_string(),
        date_text: cx.date(d.fm.date),
        summary: d.fm.summary.clone(),
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

fn news(cx: &Cx, key: &str, ctx: &mut PageContext, diags: &mut Diagnostics) -> Option<PageParts> {
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

fn page_view(
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

fn status_event_key(s: EventStatus) -> &'static str {
    match s {
        EventStatus::Scheduled => "event_scheduled",
        EventStatus::Cancelled => "event_cancelled",
        EventStatus::Postponed => "event_postponed",
        EventStatus::MovedOnline => "event_moved_online",
    }
}

/// "13 luglio 2021, 14:30–17:00 (Europe/Rome)", or the date alone when no time is known.
fn event_when(cx: &Cx, e: &Event) -> String {
    let sd = cx.date(e.start.date());
    if e.all_day {
        return match e.end {
            Some(end) if end.date() != e.start.date() => format!("{sd} – {}", cx.date(end.date())),
            _ => sd,
        };
    }
    let hm = |t: jiff::civil::DateTime| format!("{:02}:{:02}", t.hour(), t.minute());
    match e.end {
        Some(end) if end.date() == e.start.date() => {
            format!("{sd}, {}–{} ({})", hm(e.start), hm(end), e.timezone)
        }
        Some(end) => format!(
            "{sd} {} – {} {} ({})",
            hm(e.start),
            cx.date(end.date()),
            hm(end),
            e.timezone
        ),
        None => format!("{sd}, {} ({})", hm(e.start), e.timezone),
    }
}

fn event_card(cx: &Cx, e: &Event) -> EventCard {
    let place = match (&e.data.venue, &e.data.online) {
        (Some(v), _) => [Some(v.name.clone()), v.city.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
        (None, Some(o)) => o.platform.clone(),
        (None, None) => String::new(),
    };
    EventCard {
        id: e.id().to_string(),
        href: cx.link(PageKind::Event, e.id()),
        title: cx.text(&e.data.title).to_string(),
        summary: e
            .data
            .summary
            .as_ref()
            .map(|s| cx.text(s).to_string())
            .unwrap_or_default(),
        date_iso: e.start.date().to_string(),
        when: event_when(cx, e),
        status: status_event_key(e.data.status),
        place,
        online: e.data.venue.is_none(),
    }
}

fn event_list(cx: &Cx, ctx: &mut PageContext) -> PageParts {
    let site = cx.site();
    let today = site.today.to_datetime(jiff::civil::Time::midnight());
    let upcoming: Vec<EventCard> = site
        .events
        .iter()
        .filter(|e| e.end.unwrap_or(e.start) >= today)
        .map(|e| event_card(cx, e))
        .collect();
    let mut by_year: BTreeMap<i16, Vec<&Event>> = BTreeMap::new();
    for e in site
        .events
        .iter()
        .filter(|e| e.end.unwrap_or(e.start) < today)
    {
        by_year.entry(e.start.year()).or_default().push(e);
    }
    let past: Vec<YearGroup> = by_year
        .into_iter()
        .rev()
        .map(|(year, mut evs)| {
            evs.sort_by_key(|e| std::cmp::Reverse(e.start));
            YearGroup {
                year,
                events: evs.into_iter().map(|e| event_card(cx, e)).collect(),
            }
        })
        .collect();
    ctx.insert("upcoming", &upcoming);
    ctx.insert("past", &past);
    ctx.insert(
        "calendar_href",
        &cx.s
            .plan
            .file_path(FileKind::Calendar(FileScope::All), cx.l())
            .map(|p| cx.root_link(&p)),
    );
    let upd = latest(site.events.iter().map(|e| e.data.updated)).max(content_date(site));
    (
        "event-list.html",
        i18n(cx, "nav_events"),
        upd,
        all_langs(site),
    )
}

#[derive(Serialize)]
struct SessionView {
    time: Option<String>,
    title: String,
    speakers: Vec<SpeakerView>,
}

#[derive(Serialize)]
struct SpeakerView {
    role: String,
    org: Option<OrgView>,
}

#[derive(Serialize)]
struct EventView {
    card: EventCard,
    kind: String,
    venue: Option<Venue>,
    online: Option<Online>,
    organiser: Option<OrgView>,
    programme: Vec<SessionView>,
    projects: Vec<Link>,
    regions: Vec<RegionCard>,
    registration: Option<String>,
    time_known: bool,
    ics_href: String,
    /// schema.org `Event` as JSON, ready for a `<script type="application/ld+json">`.
    jsonld: String,
}

fn event(cx: &Cx, id: &str, ctx: &mut PageContext) -> Option<PageParts> {
    let site = cx.site();
    let e = site.events.iter().find(|e| e.id() == id)?;
    let d = &e.data;
    let view = EventView {
        card: event_card(cx, e),
        kind: format!(
            "event_kind_{}",
            serde_json::to_value(d.kind)
                .ok()?
                .as_str()?
                .replace('-', "_")
        ),
        venue: d.venue.clone(),
        online: d.online.clone(),
        organiser: d.organiser.as_ref().map(|o| cx.org(&o.value)),
        programme: d
            .programme
            .iter()
            .map(|s| SessionView {
                time: s.time.as_ref().map(|t| t.value.clone()),
                title: cx.text(&s.title).to_string(),
                speakers: s
                    .speakers
                    .iter()
                    .map(|sp| SpeakerView {
                        role: cx.text(&sp.role).to_string(),
                        org: sp.org.as_ref().map(|o| cx.org(&o.value)),
                    })
                    .collect(),
            })
            .collect(),
        projects: d
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
        regions: d
            .regions
            .iter()
            .filter_map(|r| cx.region(&r.value))
            .collect(),
        registration: d.registration.as_ref().map(|r| r.value.clone()),
        time_known: !e.all_day,
        ics_href: cx
            .s
            .plan
            .file_path(FileKind::Calendar(FileScope::Event(id)), cx.l())
            .map(|p| cx.root_link(&p))
            .unwrap_or_default(),
        jsonld: event_jsonld(cx, e),
    };
    ctx.insert("description", &view.card.summary);
    ctx.insert("event", &view);
    let content_lang = if d.title.has(cx.l()) {
        cx.l().to_string()
    } else {
        cx.default_lang().to_string()
    };
    ctx.insert("content_lang", &content_lang);
    let translated: Vec<String> = site
        .langs
        .iter()
        .filter(|l| d.title.has(&l.code))
        .map(|l| l.code.clone())
        .collect();
    let updated = d.updated.unwrap_or_else(|| content_date(site));
    Some((
        "event.html",
        cx.text(&d.title).to_string(),
        updated,
        translated,
    ))
}

/// The event as schema.org `Event`: times with their UTC offset, the place or the online
/// platform, status and attendance mode, the organiser.
fn event_jsonld(cx: &Cx, e: &Event) -> String {
    use serde_json::{Value, json};
    let site = cx.site();
    let d = &e.data;
    let when = |dt: jiff::civil::DateTime| -> String {
        if e.all_day {
            dt.date().to_string()
        } else {
            e.zoned(dt)
                .map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
                .unwrap_or_else(|| dt.to_string())
        }
    };
    let mut locations: Vec<Value> = Vec::new();
    if let Some(v) = &d.venue {
        let mut address = json!({"@type": "PostalAddress", "addressCountry": "IT"});
        if let Some(a) = &v.address {
            address["streetAddress"] = json!(a);
        }
        if let Some(c) = &v.city {
            address["addressLocality"] = json!(c);
        }
        locations.push(json!({"@type": "Place", "name": v.name, "address": address}));
    }
    if let Some(o) = &d.online {
        let mut v = json!({"@type": "VirtualLocation", "name": o.platform});
        if let Some(u) = &o.url {
            v["url"] = json!(u.value);
        }
        locations.push(v);
    }
    let mode = match (&d.venue, &d.online) {
        (Some(_), Some(_)) => "MixedEventAttendanceMode",
        (None, Some(_)) => "OnlineEventAttendanceMode",
        _ => "OfflineEventAttendanceMode",
    };
    let status = match d.status {
        EventStatus::Scheduled => "EventScheduled",
        EventStatus::Cancelled => "EventCancelled",
        EventStatus::Postponed => "EventPostponed",
        EventStatus::MovedOnline => "EventMovedOnline",
    };
    let lang = if d.title.has(cx.l()) {
        cx.l()
    } else {
        cx.default_lang()
    };
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": cx.text(&d.title),
        "startDate": when(e.start),
        "eventStatus": format!("https://schema.org/{status}"),
        "eventAttendanceMode": format!("https://schema.org/{mode}"),
        "inLanguage": lang,
        "url": format!("{}{}", site.base_url, cx.s.plan.path(PageKind::Event, e.id(), cx.l()).unwrap_or("/")),
    });
    if let Some(end) = e.end {
        v["endDate"] = json!(when(end));
    }
    if let Some(s) = &d.summary {
        v["description"] = json!(cx.text(s));
    }
    v["location"] = match locations.len() {
        1 => locations.remove(0),
        _ => Value::Array(locations),
    };
    if let Some(o) = &d.organiser {
        let org = cx.org(&o.value);
        let mut ov = json!({"@type": "Organization", "name": org.name});
        if let Some(w) = org.website {
            ov["url"] = json!(w);
        }
        v["organizer"] = ov;
    }
    super::script_json::to_script(&v)
}

#[derive(Serialize)]
struct RegionView {
    key: String,
    name: String,
    official_name: String,
    istat: String,
    nuts: String,
    iso: String,
}

fn region(cx: &Cx, key: &str, ctx: &mut PageContext) -> PageParts {
    let site = cx.site();
    let r = Region::get(key).unwrap_or(&REGIONS[0]);
    ctx.insert(
        "region",
        &RegionView {
            key: r.key.to_string(),
            name: r.name(cx.l()).to_string(),
            official_name: r.it.to_string(),
            istat: r.istat.to_string(),
            nuts: r.nuts.join(", "),
            iso: r.iso.to_string(),
        },
    );
    ctx.insert(
        "calendar_href",
        &cx.s
            .plan
            .file_path(FileKind::Calendar(FileScope::Region(key)), cx.l())
            .map(|p| cx.root_link(&p)),
    );
    ctx.insert(
        "feed_href",
        &cx.s
            .plan
            .file_path(FileKind::Feed(FileScope::Region(key)), cx.l())
            .map(|p| cx.root_link(&p)),
    );
    region_figures(cx, key, ctx);
    let projects: Vec<ProjectCard> = site
        .projects
        .iter()
        .filter(|p| match &p.source(&site.langs).fm.regions.value {
            RegionSel::All => true,
            RegionSel::Some(v) => v.iter().any(|x| x.value == key),
        })
        .map(|p| project_card(cx, p))
        .collect();
    ctx.insert("projects", &projects);
    let today = site.today.to_datetime(jiff::civil::Time::midnight());
    let (upcoming, past): (Vec<&Event>, Vec<&Event>) = site
        .events
        .iter()
        .filter(|e| e.data.regions.iter().any(|x| x.value == key))
        .partition(|e| e.end.unwrap_or(e.start) >= today);
    let up: Vec<EventCard> = upcoming.into_iter().map(|e| event_card(cx, e)).collect();
    let pa: Vec<EventCard> = past.into_iter().rev().map(|e| event_card(cx, e)).collect();
    ctx.insert("upcoming", &up);
    ctx.insert("past", &pa);
    let stories: Vec<StoryCard> =
        cx.s.sorted_stories
            .iter()
            .copied()
            .filter(|s| s.source(&site.langs).fm.region.value == key)
            .map(|s| story_card(cx, s))
            .collect();
    ctx.insert("stories", &stories);
    let mut news: Vec<&Entity<NewsFm>> = site
        .news
        .iter()
        .filter(|n| {
            n.source(&site.langs)
                .fm
                .regions
                .iter()
                .any(|x| x.value == key)
        })
        .collect();
    news.sort_by(|a, b| {
        b.source(&site.langs)
            .fm
            .date
            .cmp(&a.source(&site.langs).fm.date)
    });
    let ncards: Vec<NewsCard> = news.iter().map(|n| news_card(cx, n)).collect();
    ctx.insert("news", &ncards);
    (
        "region.html",
        r.name(cx.l()).to_string(),
        content_date(site),
        all_langs(site),
    )
}

/// The figure that shades the map: its label, its value per region, and whether the values
/// are illustrative (per-region figures without a published source).
struct MapFigure {
    label: String,
    values: BTreeMap<&'static str, f64>,
    illustrative: bool,
    source: Option<String>,
}

fn map_figure(cx: &Cx) -> MapFigure {
    let site = cx.site();
    let choice = site
        .config
        .map
        .as_ref()
        .map(|m| m.figure.value.as_str())
        .unwrap_or("projects");
    let counted = |label: &str, f: &dyn Fn(&str) -> usize| MapFigure {
        label: i18n(cx, label),
        values: REGIONS.iter().map(|r| (r.key, f(r.key) as f64)).collect(),
        illustrative: false,
        source: None,
    };
    match choice {
        "projects" => counted("map_figure_projects", &|k| region_projects(site, k).len()),
        "stories" => counted("map_figure_stories", &|k| {
            site.stories
                .iter()
                .filter(|s| s.source(&site.langs).fm.region.value == k)
                .count()
        }),
        "events" => counted("map_figure_events", &|k| {
            site.events
                .iter()
                .filter(|e| e.data.regions.iter().any(|x| x.value == k))
                .count()
        }),
        other => {
            let (project, id) = other.split_once('/').unwrap_or((other, ""));
            let ind = site.indicators.iter().find(|i| i.project.value == project);
            let fig = ind.and_then(|i| i.figures.iter().find(|f| f.id == id));
            let values = REGIONS
                .iter()
                .filter_map(|r| Some((r.key, *fig?.regions.get(r.key)?)))
                .collect();
            MapFigure {
                label: fig
                    .map(|f| cx.text(&f.label).to_string())
                    .unwrap_or_default(),
                values,
                illustrative: ind.is_some_and(|i| i.illustrative)
                    || fig.is_some_and(|f| f.regions_illustrative),
                source: ind.map(|i| format!("{} ({})", cx.text(&i.source), cx.date(i.as_of))),
            }
        }
    }
}

/// The projects active in a region: its own and the national ones.
fn region_projects<'s>(site: &'s Site, key: &str) -> Vec<&'s Entity<ProjectFm>> {
    site.projects
        .iter()
        .filter(|p| match &p.source(&site.langs).fm.regions.value {
            RegionSel::All => true,
            RegionSel::Some(v) => v.iter().any(|x| x.value == key),
        })
        .collect()
}

#[derive(Serialize)]
struct MapRow {
    name: String,
    href: String,
    value: String,
}

/// Short tile labels: the first letters of the region's name in a Latin script; none in
/// other scripts, where the tile's accessible name and tooltip give the name.
fn tile_abbr(name: &str) -> String {
    if name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        name.chars()
            .filter(|c| c.is_alphabetic())
            .take(3)
            .collect::<String>()
            .to_uppercase()
    } else {
        String::new()
    }
}

fn tiles_svg(cx: &Cx, fig: &MapFigure, highlight: Option<&str>, small: bool, id: &str) -> String {
    struct T {
        name: String,
        abbr: String,
        href: String,
        value: Option<f64>,
        text: String,
    }
    let data: Vec<T> = REGIONS
        .iter()
        .map(|r| {
            let name = r.name(cx.l()).to_string();
            let value = fig.values.get(r.key).copied();
            T {
                abbr: tile_abbr(&name),
                name,
                href: cx.link(PageKind::Region, r.key),
                value,
                text: value
                    .map(|v| cx.s.i18n.number(cx.l(), v))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let tiles: Vec<super::map::Tile> = REGIONS
        .iter()
        .zip(&data)
        .map(|(r, t)| super::map::Tile {
            key: r.key,
            name: &t.name,
            abbr: &t.abbr,
            href: &t.href,
            value: t.value,
            value_text: &t.text,
        })
        .collect();
    let ranges: Vec<String> = super::map::class_bounds(&tiles)
        .iter()
        .map(|(lo, hi)| {
            let (a, b) = (cx.s.i18n.number(cx.l(), *lo), cx.s.i18n.number(cx.l(), *hi));
            if a == b { a } else { format!("{a}–{b}") }
        })
        .collect();
    let title = i18n(cx, "map_title");
    let no_data = i18n(cx, "map_no_data");
    let labels = super::map::MapLabels {
        title: &title,
        legend_title: &fig.label,
        no_data: &no_data,
        legend_ranges: &ranges,
    };
    super::map::tile_map(
        &tiles,
        highlight,
        small,
        cx.lang.dir == Direction::Rtl,
        &labels,
        id,
    )
}

fn region_map(cx: &Cx, ctx: &mut PageContext) {
    let fig = map_figure(cx);
    ctx.insert("map_svg", &tiles_svg(cx, &fig, None, false, "italy-map"));
    let rows: Vec<MapRow> = REGIONS
        .iter()
        .map(|r| MapRow {
            name: r.name(cx.l()).to_string(),
            href: cx.link(PageKind::Region, r.key),
            value: fig
                .values
                .get(r.key)
                .map(|v| cx.s.i18n.number(cx.l(), *v))
                .unwrap_or_else(|| i18n(cx, "map_no_data")),
        })
        .collect();
    ctx.insert("map_rows", &rows);
    ctx.insert("map_label", &fig.label);
    ctx.insert("map_illustrative", &fig.illustrative);
    ctx.insert("map_source", &fig.source);
}

#[derive(Serialize)]
struct RegionFigure {
    label: String,
    value: String,
    unit: String,
    project: String,
    as_of: String,
    source: String,
    illustrative: bool,
}

/// The region's figures from every indicator file with a value for it, their chart, and the
/// small map with the region highlighted.
fn region_figures(cx: &Cx, key: &str, ctx: &mut PageContext) {
    let site = cx.site();
    let mut rows = Vec::new();
    let mut values = Vec::new();
    for ind in &site.indicators {
        let project = site
            .project(&ind.project.value)
            .map(|p| p.doc(cx.l(), &site.langs).0.fm.title.clone())
            .unwrap_or_default();
        for f in &ind.figures {
            if let Some(v) = f.regions.get(key) {
                values.push(*v);
                rows.push(RegionFigure {
                    label: cx.text(&f.label).to_string(),
                    value: cx.s.i18n.number(cx.l(), *v),
                    unit: f
                        .unit
                        .as_ref()
                        .map(|u| cx.text(u).to_string())
                        .unwrap_or_default(),
                    project: project.clone(),
                    as_of: cx.date(ind.as_of),
                    source: cx.text(&ind.source).to_string(),
                    illustrative: ind.illustrative || f.regions_illustrative,
                });
            }
        }
    }
    let bars: Vec<super::chart::Bar> = rows
        .iter()
        .zip(&values)
        .map(|(r, v)| super::chart::Bar {
            label: &r.label,
            value: *v,
            value_text: &r.value,
        })
        .collect();
    let chart = if bars.is_empty() {
        String::new()
    } else {
        let title = i18n(cx, "region_figures_title");
        super::chart::bar_chart(&title, &bars, cx.lang.dir == Direction::Rtl, "region-chart")
    };
    ctx.insert("region_chart", &chart);
    ctx.insert("region_figures", &rows);
    let fig = map_figure(cx);
    ctx.insert(
        "mini_map",
        &tiles_svg(cx, &fig, Some(key), true, "region-map"),
    );
}
