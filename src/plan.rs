//! Plan: the URL scheme (SPEC §4) and the list of routes to render, in one place.
//!
//! Nothing else builds a path. A route knows its language, what it renders and where it is
//! written. Internal links are made relative to the page (`href`), so that the output works
//! from any folder, from a static host and when opened straight from disk.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use crate::diag::{Diagnostics, Pos, SourceText};
use crate::model::regions::REGIONS;
use crate::model::yaml::Origin;
use crate::model::{Entity, Site};

/// What a route renders: a kind of page and the key of what it shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Home,
    ProjectList,
    Project(String),
    StoryList(usize),
    Story(String),
    NewsList,
    News(String),
    Page(String),
    EventList,
    Event(String),
    RegionList,
    Region(String),
    Search,
    /// The page describing the files of `/opendata/`.
    Data,
    NotFound,
}

impl Kind {
    /// The kind of page, without its key.
    pub fn page_kind(&self) -> PageKind {
        match self {
            Kind::Home => PageKind::Home,
            Kind::ProjectList => PageKind::ProjectList,
            Kind::Project(_) => PageKind::Project,
            Kind::StoryList(_) => PageKind::StoryList,
            Kind::Story(_) => PageKind::Story,
            Kind::NewsList => PageKind::NewsList,
            Kind::News(_) => PageKind::News,
            Kind::Page(_) => PageKind::Page,
            Kind::EventList => PageKind::EventList,
            Kind::Event(_) => PageKind::Event,
            Kind::RegionList => PageKind::RegionList,
            Kind::Region(_) => PageKind::Region,
            Kind::Search => PageKind::Search,
            Kind::Data => PageKind::Data,
            Kind::NotFound => PageKind::NotFound,
        }
    }

    /// The name used by the `url()` template function and in route tables.
    pub fn name(&self) -> &'static str {
        self.page_kind().name()
    }

    pub fn key(&self) -> &str {
        match self {
            Kind::Project(k)
            | Kind::Story(k)
            | Kind::News(k)
            | Kind::Page(k)
            | Kind::Event(k)
            | Kind::Region(k) => k,
            _ => "",
        }
    }
}

/// A kind of page without its key: what [`Plan::path`] is asked for. A misspelt kind is a
/// compile error here; a name written in a template is read by [`PageKind::from_name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageKind {
    Home,
    ProjectList,
    Project,
    StoryList,
    Story,
    NewsList,
    News,
    Page,
    EventList,
    Event,
    RegionList,
    Region,
    Search,
    Data,
    NotFound,
}

impl PageKind {
    /// Every kind of page, in the order of their places in the plan's table of paths.
    pub const ALL: [PageKind; 15] = [
        PageKind::Home,
        PageKind::ProjectList,
        PageKind::Project,
        PageKind::StoryList,
        PageKind::Story,
        PageKind::NewsList,
        PageKind::News,
        PageKind::Page,
        PageKind::EventList,
        PageKind::Event,
        PageKind::RegionList,
        PageKind::Region,
        PageKind::Search,
        PageKind::Data,
        PageKind::NotFound,
    ];

    /// The name templates write (`url(kind="project", …)`), also used in hashes and messages.
    pub fn name(self) -> &'static str {
        match self {
            PageKind::Home => "home",
            PageKind::ProjectList => "projects",
            PageKind::Project => "project",
            PageKind::StoryList => "stories",
            PageKind::Story => "story",
            PageKind::NewsList => "news-list",
            PageKind::News => "news",
            PageKind::Page => "page",
            PageKind::EventList => "events",
            PageKind::Event => "event",
            PageKind::RegionList => "regions",
            PageKind::Region => "region",
            PageKind::Search => "search",
            PageKind::Data => "data",
            PageKind::NotFound => "404",
        }
    }

    /// The kind of page a name stands for: the one place where a name becomes a kind.
    pub fn from_name(name: &str) -> Option<PageKind> {
        PageKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Its place in the plan's table of paths.
    fn index(self) -> usize {
        self as usize
    }
}

/// Whose entries a feed or a calendar holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// The whole site.
    All,
    /// What concerns the region of this key.
    Region(&'a str),
    /// What concerns the project of this key.
    Project(&'a str),
    /// The event of this id (calendars only).
    Event(&'a str),
}

/// A published file that is not a page: made from the site like a page, its address made
/// here like a page's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind<'a> {
    /// An Atom feed (the site's, a region's or a project's), one per language.
    Feed(Scope<'a>),
    /// An iCalendar file (the site's, an event's, a region's or a project's), one per
    /// language.
    Calendar(Scope<'a>),
    /// The sitemap, or, past the protocol's limit of addresses, the index of its parts.
    Sitemap,
    /// The `n`th part (from 1) of a sitemap too long for one file.
    SitemapPart(usize),
    /// robots.txt.
    Robots,
    /// The search index of a language (the file its script reads first).
    SearchIndex,
    /// The search script, one for all languages.
    SearchScript,
    /// Every story card of a language's story list with its region, project and year, for
    /// the list's filters when the list is shown over several pages: beside the list.
    StoryCards,
    /// A file of the open data (`projects.csv`, `catalog.jsonld`), one for all languages.
    OpenData(&'a str),
}

/// A published file that is not a page, and the language it is in.
#[derive(Debug, Clone)]
pub struct FileRoute<'a> {
    pub kind: FileKind<'a>,
    pub lang: &'a str,
    /// Its path from the site root: `/en/events/calendar.ics`.
    pub path: String,
}

/// The folder of the search index (under the output folder): its script, and one folder
/// of index files per language.
pub const SEARCH_DIR: &str = "search-index";

/// The folder of the open data (under the output folder): the data files and their
/// catalogue.
pub const OPENDATA_DIR: &str = "opendata";

/// One page of the output.
#[derive(Debug, Clone)]
pub struct Route {
    pub kind: Kind,
    pub lang: String,
    /// The page's path from the site root, as published: `/en/projects/puoi/`.
    pub path: String,
    /// Whether the page shows text from another language (no translation exists).
    pub fallback: bool,
    /// The file it is written to (`file_of(path)`), made once with the plan: every build
    /// of `vetrina serve` lists every page's file.
    file: String,
}

impl Route {
    pub fn new(kind: Kind, lang: String, path: String, fallback: bool) -> Self {
        Route {
            file: file_of(&path),
            kind,
            lang,
            path,
            fallback,
        }
    }

    /// The file the route is written to, relative to the output folder.
    pub fn file(&self) -> &str {
        &self.file
    }
}

pub fn file_of(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.is_empty() {
        "index.html".to_string()
    } else if p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}

/// All routes, and the path of every (kind, key, language).
#[derive(Debug, Default)]
pub struct Plan {
    pub routes: Vec<Route>,
    /// Language → kind (by its place in [`PageKind::ALL`]) → key → path: looked up without
    /// making a string (a page's context asks for 5 to 10 paths).
    paths: rustc_hash::FxHashMap<String, Vec<rustc_hash::FxHashMap<String, String>>>,
    /// Where each bundle's files are published (section, key) → folder path.
    pub bundle_dirs: BTreeMap<(String, String), String>,
    /// The calendar file name (without `.ics`) per language.
    calendar_names: rustc_hash::FxHashMap<String, String>,
    /// The addresses the stories taken down for consent would have (no page has them).
    pub withdrawn: std::collections::HashSet<String>,
}

impl Plan {
    /// The root-relative path of `kind`/`key` in `lang`, if such a page exists.
    pub fn path(&self, kind: PageKind, key: &str, lang: &str) -> Option<&str> {
        self.paths
            .get(lang)?
            .get(kind.index())?
            .get(key)
            .map(String::as_str)
    }

    /// The root-relative path of a published file that is not a page, in `lang` (the
    /// sitemap, robots.txt and the search script have one for all languages), if the site
    /// has it.
    pub fn file_path(&self, file: FileKind<'_>, lang: &str) -> Option<String> {
        match file {
            FileKind::Calendar(scope) => {
                let name = self.calendar_names.get(lang)?;
                let events = || self.path(PageKind::EventList, "", lang);
                match scope {
                    Scope::All => Some(format!("{}{name}.ics", events()?)),
                    Scope::Event(id) => Some(format!("{}{id}.ics", events()?)),
                    Scope::Region(key) => Some(format!(
                        "{}{name}.ics",
                        self.path(PageKind::Region, key, lang)?
                    )),
                    Scope::Project(key) => Some(format!(
                        "{}{name}.ics",
                        self.path(PageKind::Project, key, lang)?
                    )),
                }
            }
            FileKind::Feed(scope) => {
                let page = match scope {
                    Scope::All => self.path(PageKind::Home, "", lang)?,
                    Scope::Region(key) => self.path(PageKind::Region, key, lang)?,
                    Scope::Project(key) => self.path(PageKind::Project, key, lang)?,
                    Scope::Event(_) => return None,
                };
                Some(format!("{page}feed.xml"))
            }
            FileKind::Sitemap => Some("/sitemap.xml".to_string()),
            FileKind::SitemapPart(n) => Some(format!("/sitemap-{n}.xml")),
            FileKind::Robots => Some("/robots.txt".to_string()),
            FileKind::SearchIndex => self
                .path(PageKind::Search, "", lang)
                .map(|_| format!("/{SEARCH_DIR}/{lang}/index.json")),
            FileKind::SearchScript => Some(format!("/{SEARCH_DIR}/search.js")),
            FileKind::StoryCards => self
                .path(PageKind::StoryList, "", lang)
                .map(|list| format!("{list}cards.json")),
            FileKind::OpenData(name) => Some(format!("/{OPENDATA_DIR}/{name}")),
        }
    }

    /// The feeds and calendars of every language, each language's in this order: the
    /// site's calendar, each event's, each region's, each project's; the site's feed, each
    /// region's, each project's.
    pub fn feeds_and_calendars(&self) -> Vec<FileRoute<'_>> {
        let mut files = Vec::new();
        let mut routes = self.routes.as_slice();
        // The routes of a language are planned together.
        while let Some(first) = routes.first() {
            let lang = first.lang.as_str();
            let n = routes.iter().take_while(|r| r.lang == lang).count();
            let (of_lang, rest) = routes.split_at(n);
            routes = rest;
            let keys = |kind: PageKind| {
                of_lang
                    .iter()
                    .filter(move |r| r.kind.page_kind() == kind)
                    .map(|r| r.kind.key())
            };
            let scopes = std::iter::once(FileKind::Calendar(Scope::All))
                .chain(keys(PageKind::Event).map(|k| FileKind::Calendar(Scope::Event(k))))
                .chain(keys(PageKind::Region).map(|k| FileKind::Calendar(Scope::Region(k))))
                .chain(keys(PageKind::Project).map(|k| FileKind::Calendar(Scope::Project(k))))
                .chain([FileKind::Feed(Scope::All)])
                .chain(keys(PageKind::Region).map(|k| FileKind::Feed(Scope::Region(k))))
                .chain(keys(PageKind::Project).map(|k| FileKind::Feed(Scope::Project(k))));
            for kind in scopes {
                if let Some(path) = self.file_path(kind, lang) {
                    files.push(FileRoute { kind, lang, path });
                }
            }
        }
        files
    }

    /// The published folder of a bundle (for its pictures and files).
    pub fn bundle_dir(&self, section: &str, key: &str) -> Option<&str> {
        self.bundle_dirs
            .get(&(section.to_string(), key.to_string()))
            .map(String::as_str)
    }
}

pub fn prefix(site: &Site, lang: &str) -> String {
    if lang == site.default_lang() {
        String::new()
    } else {
        format!("/{lang}")
    }
}

fn slug_of<T>(e: &Entity<T>, lang: &str, site: &Site, slug: impl Fn(&T) -> Option<&str>) -> String {
    let (doc, _) = e.doc(lang, &site.langs);
    slug(&doc.fm).unwrap_or(&e.key).to_string()
}

/// Plans every route of the site. Two pages wanting the same address is an error.
pub fn plan(site: &Site, diags: &mut Diagnostics) -> Plan {
    let mut p = Plan::default();
    let per_page = site.config.stories_per_page.unwrap_or(12).max(1);
    for lang in &site.langs {
        let l = lang.code.as_str();
        p.calendar_names
            .insert(l.to_string(), lang.sections.calendar.clone());
        let pre = prefix(site, l);
        let s = &lang.sections;
        let add = |p: &mut Plan, kind: Kind, path: String, fallback: bool| {
            let by_kind = p.paths.entry(l.to_string()).or_default();
            by_kind.resize_with(PageKind::ALL.len(), Default::default);
            // The first path of a kind and key is its address: a list's first page, when
            // the stories are shown over several.
            by_kind[kind.page_kind().index()]
                .entry(kind.key().to_string())
                .or_insert_with(|| path.clone());
            p.routes
                .push(Route::new(kind, l.to_string(), path, fallback));
        };
        add(&mut p, Kind::Home, format!("{pre}/"), false);
        add(&mut p, Kind::NotFound, format!("{pre}/404.html"), false);
        add(
            &mut p,
            Kind::ProjectList,
            format!("{pre}/{}/", s.projects),
            false,
        );
        for e in &site.projects {
            let slug = slug_of(e, l, site, |fm| fm.slug.as_ref().map(|s| s.value.as_str()));
            let path = format!("{pre}/{}/{slug}/", s.projects);
            add(&mut p, Kind::Project(e.key.clone()), path, !e.has(l));
        }
        let pages = site.stories.len().div_ceil(per_page).max(1);
        for n in 1..=pages {
            let path = if n == 1 {
                format!("{pre}/{}/", s.stories)
            } else {
                format!("{pre}/{}/{n}/", s.stories)
            };
            add(&mut p, Kind::StoryList(n), path, false);
        }
        for e in &site.stories {
            let slug = slug_of(e, l, site, |fm| fm.slug.as_ref().map(|s| s.value.as_str()));
            let path = format!("{pre}/{}/{slug}/", s.stories);
            add(&mut p, Kind::Story(e.key.clone()), path, !e.has(l));
        }
        for t in &site.taken_down {
            for slug in &t.slugs {
                p.withdrawn.insert(format!("{pre}/{}/{slug}/", s.stories));
            }
        }
        add(&mut p, Kind::NewsList, format!("{pre}/{}/", s.news), false);
        for e in &site.news {
            let slug = slug_of(e, l, site, |fm| fm.slug.as_ref().map(|s| s.value.as_str()));
            let path = format!("{pre}/{}/{slug}/", s.news);
            add(&mut p, Kind::News(e.key.clone()), path, !e.has(l));
        }
        add(
            &mut p,
            Kind::EventList,
            format!("{pre}/{}/", s.events),
            false,
        );
        for e in &site.events {
            let path = format!("{pre}/{}/{}/", s.events, e.id());
            let fallback = !e.data.title.has(l);
            add(&mut p, Kind::Event(e.id().to_string()), path, fallback);
        }
        add(
            &mut p,
            Kind::RegionList,
            format!("{pre}/{}/", s.regions),
            false,
        );
        for r in &REGIONS {
            let path = format!("{pre}/{}/{}/", s.regions, r.slug(l));
            add(&mut p, Kind::Region(r.key.to_string()), path, false);
        }
        if site.config.search.unwrap_or(true) {
            add(&mut p, Kind::Search, format!("{pre}/{}/", s.search), false);
        }
        add(&mut p, Kind::Data, format!("{pre}/{}/", s.data), false);
        for e in &site.pages {
            let slug = slug_of(e, l, site, |fm| fm.slug.as_ref().map(|s| s.value.as_str()));
            let path = format!("{pre}/{slug}/");
            add(&mut p, Kind::Page(e.key.clone()), path, !e.has(l));
        }
    }
    let default = site.default_lang().to_string();
    for (section, list) in [
        (
            "projects",
            site.projects
                .iter()
                .map(|e| e.key.clone())
                .collect::<Vec<_>>(),
        ),
        (
            "stories",
            site.stories.iter().map(|e| e.key.clone()).collect(),
        ),
        ("news", site.news.iter().map(|e| e.key.clone()).collect()),
        ("pages", site.pages.iter().map(|e| e.key.clone()).collect()),
    ] {
        let kind = match section {
            "projects" => PageKind::Project,
            "stories" => PageKind::Story,
            "news" => PageKind::News,
            _ => PageKind::Page,
        };
        for key in list {
            if let Some(path) = p.path(kind, &key, &default).map(str::to_string) {
                p.bundle_dirs.insert((section.to_string(), key), path);
            }
        }
    }
    check_collisions(&p, site, diags);
    p
}

fn check_collisions(p: &Plan, site: &Site, diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, &Route> = HashMap::new();
    // Each pair of pages once: two texts that share a slug share it in every language that
    // shows them (a page without a translation takes the slug of the text it shows).
    let mut reported: HashSet<(&Kind, &Kind)> = HashSet::new();
    for r in &p.routes {
        let Some(first) = seen.insert(&r.path, r) else {
            continue;
        };
        if !reported.insert((&first.kind, &r.kind)) {
            continue;
        }
        let message = format!(
            "two pages would have the same address {}: {} and {}",
            r.path,
            described(&first.kind),
            described(&r.kind)
        );
        const SECTIONS: &str =
            "pages cannot use the name of a section such as the projects or stories folder";
        // Shown at the `slug:` that takes the address, if one of the two texts has one
        // (the other's address is its folder's name); else at the second text.
        let places = [r, first].map(|route| slug_place(site, route));
        let place = (places.iter().flatten())
            .find(|(_, _, written)| *written)
            .or(places.iter().flatten().next());
        match place {
            Some((src, pos, true)) => {
                let help = format!("give one of them another `slug:` ({SECTIONS})");
                diags.error(src, *pos, message).help(help);
            }
            Some((src, pos, false)) => {
                let help = format!(
                    "the address is the name of this text's folder: add a `slug:` with another \
                     address to its front matter, or rename the folder ({SECTIONS})"
                );
                diags.error(src, *pos, message).help(help);
            }
            None => diags.file_error(
                Path::new("site.yaml"),
                message,
                format!("give one of them another `slug:` ({SECTIONS})"),
            ),
        }
    }
}

/// The text whose front matter gives `route` its address, where in it, and whether it
/// writes a `slug:` (else the address is the folder's name, and the place is the front
/// matter's first line); `None` for a page that no text gives an address to.
fn slug_place(site: &Site, route: &Route) -> Option<(SourceText, Pos, bool)> {
    fn place<T>(
        list: &[Entity<T>],
        key: &str,
        route: &Route,
        site: &Site,
        slug: impl Fn(&T) -> Option<&crate::model::schema::Key>,
    ) -> Option<(SourceText, Pos, bool)> {
        let e = list.iter().find(|e| e.key == key)?;
        let (doc, _) = e.doc(&route.lang, &site.langs);
        let front_matter = Origin { first_line: 2 };
        let (pos, written) = match slug(&doc.fm) {
            // A place saphyr knew (a front matter taken from the parse cache has none).
            Some(s) if s.referenced.line() > 0 => (front_matter.pos_of(s), true),
            Some(_) => (Pos::new(2, 1, 1), true),
            None => (Pos::new(2, 1, 1), false),
        };
        Some((doc.src.clone(), pos, written))
    }
    match &route.kind {
        Kind::Project(k) => place(&site.projects, k, route, site, |fm| fm.slug.as_ref()),
        Kind::Story(k) => place(&site.stories, k, route, site, |fm| fm.slug.as_ref()),
        Kind::News(k) => place(&site.news, k, route, site, |fm| fm.slug.as_ref()),
        Kind::Page(k) => place(&site.pages, k, route, site, |fm| fm.slug.as_ref()),
        _ => None,
    }
}

/// A page in words, for a message: "the page `contatti`", "the projects page".
fn described(kind: &Kind) -> String {
    match kind.key() {
        "" => format!("the {} page", kind.name()),
        key => format!("the {} `{key}`", kind.name()),
    }
}

/// Every byte of a file name but ASCII letters, digits, `-._~` and the `/` of subfolders.
const NAME_ESCAPES: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A file name of a bundle as it is written in a web address, percent-encoded
/// (`foto città, 1.jpg` → `foto%20citt%C3%A0%2C%201.jpg`): a space or a comma would split a
/// `srcset`, and a raw space or accented letter is not a valid address.
pub fn url_name(name: &str) -> String {
    percent_encoding::utf8_percent_encode(name, NAME_ESCAPES).to_string()
}

/// A link from the page at `from` to the page at `to` (both root-relative paths), relative so
/// that it works on any host and from disk; folder pages link to their `index.html`.
///
/// The 404 pages are the exception: a server shows them at whatever address was missing, so
/// a link relative to their own folder would break; they link from the site root.
pub fn href(from: &str, to: &str) -> String {
    if from.ends_with("/404.html") {
        return to.to_string();
    }
    let (to_path, frag) = match to.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (to, None),
    };
    // Written without a list or a string in between: every link of every page comes here.
    let from = from.trim_start_matches('/');
    let from_dir = &from[..from.rfind('/').unwrap_or(0)];
    let from_parts = || from_dir.split('/').filter(|s| !s.is_empty());
    // The target file's parts: `to_path`'s, its last one `index.html` for a folder.
    let target = to_path.trim_start_matches('/');
    let folder = target.is_empty() || target.ends_with('/');
    let n = target.split('/').count();
    let to_parts = || {
        target.split('/').enumerate().map(move |(i, s)| {
            if folder && i == n - 1 {
                "index.html"
            } else {
                s
            }
        })
    };
    let common = from_parts()
        .zip(to_parts())
        .take_while(|(a, b)| a == b)
        .count()
        .min(n - 1);
    let mut out = String::with_capacity(to.len() + 16);
    for _ in common..from_parts().count() {
        out.push_str("../");
    }
    for (i, part) in to_parts().skip(common).enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(part);
    }
    if let Some(f) = frag {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `href` as it was first written (a list and strings in between), to compare with.
    fn href_as_before(from: &str, to: &str) -> String {
        if from.ends_with("/404.html") {
            return to.to_string();
        }
        let (to_path, frag) = match to.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (to, None),
        };
        let from_dir: Vec<&str> = {
            let f = from.trim_start_matches('/');
            let dir = match f.rfind('/') {
                Some(i) => &f[..i],
                None => "",
            };
            dir.split('/').filter(|s| !s.is_empty()).collect()
        };
        let target = file_of(to_path);
        let to_parts: Vec<&str> = target.split('/').collect();
        let common = from_dir
            .iter()
            .zip(to_parts.iter())
            .take_while(|(a, b)| a == b)
            .count()
            .min(to_parts.len().saturating_sub(1));
        let mut out = String::new();
        for _ in common..from_dir.len() {
            out.push_str("../");
        }
        out.push_str(&to_parts[common..].join("/"));
        if let Some(f) = frag {
            out.push('#');
            out.push_str(f);
        }
        out
    }

    #[test]
    fn links_are_the_links_of_the_first_way_of_writing_them() {
        let paths = [
            "/",
            "/a/",
            "/a/b/",
            "/a/b/c/",
            "/en/",
            "/en/a/",
            "/a/x.jpg",
            "/a/b/x.jpg",
            "/404.html",
            "/en/404.html",
            "/a//b/",
            "//",
            "",
            "a/",
            "/a/b/#f",
            "/#top",
            "/style.css",
            "/en/a/b/",
            "/b/a/",
        ];
        for from in paths {
            for to in paths {
                assert_eq!(href(from, to), href_as_before(from, to), "{from} -> {to}");
            }
        }
    }

    #[test]
    fn relative_links() {
        assert_eq!(href("/", "/progetti/puoi/"), "progetti/puoi/index.html");
        assert_eq!(href("/progetti/puoi/", "/progetti/"), "../index.html");
        assert_eq!(href("/progetti/puoi/", "/"), "../../index.html");
        assert_eq!(
            href("/en/projects/puoi/", "/progetti/puoi/"),
            "../../../progetti/puoi/index.html"
        );
        assert_eq!(href("/en/", "/en/projects/"), "projects/index.html");
        assert_eq!(href("/404.html", "/style.css"), "/style.css");
        assert_eq!(href("/en/404.html", "/en/projects/"), "/en/projects/");
        assert_eq!(href("/storie/a/", "/storie/a/cover.jpg"), "cover.jpg");
        assert_eq!(href("/a/b/", "/a/b/#x"), "index.html#x");
    }

    #[test]
    fn file_names_in_addresses_are_percent_encoded() {
        assert_eq!(url_name("cover-480.jpg"), "cover-480.jpg");
        assert_eq!(
            url_name("foto città, 1 (a)~_.jpg"),
            "foto%20citt%C3%A0%2C%201%20%28a%29~_.jpg"
        );
        assert_eq!(url_name("sub/scheda #2.pdf"), "sub/scheda%20%232.pdf");
    }

    #[test]
    fn files() {
        assert_eq!(file_of("/"), "index.html");
        assert_eq!(file_of("/en/projects/"), "en/projects/index.html");
        assert_eq!(file_of("/404.html"), "404.html");
    }
}
