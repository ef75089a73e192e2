//! Views and templates tested in memory: a small site written as strings, read by the same
//! `model` and `plan` as a build (no file is read or written), then the views of its pages.

use std::sync::Arc;

use super::context::Cx;
use super::{PageContext, Shared, page};
use crate::diag::{Diagnostics, SourceText};
use crate::images::Pictures;
use crate::load::{ContentFile, Sources, Theme};
use crate::model::{ModelOptions, Site};
use crate::plan::{FileKind, Kind, PageKind, Plan, Route, Scope};
use crate::render::i18n::I18n;

const SITE: &str = r#"
title: {it: "Vetrina di prova", en: "Test showcase"}
base_url: "https://example.org"
languages:
  - code: it
    name: Italiano
    sections: {projects: progetti, stories: storie, news: notizie, events: eventi, regions: regioni, calendar: calendario, search: cerca}
  - code: en
    name: English
    locale: en-GB
funds: [fami]
accessibility_statement: accessibility
privacy_page: privacy
feedback: {email: "info@example.org"}
stories_per_page: 12
"#;

const FUNDS: &str = r#"
fami:
  name: {it: "Fondo Asilo, Migrazione e Integrazione", en: "Asylum, Migration and Integration Fund"}
  short: {it: "FAMI", en: "AMIF"}
  statement: {it: "Cofinanziato dall'Unione europea", en: "Co-funded by the European Union"}
  eu: true
"#;

const ORGS: &str = r#"
ente:
  name: "Ente di prova"
  kind: public-body
"#;

const EVENTS: &str = r#"
- id: incontro-2021
  kind: conference
  title: {it: "Incontro 2021", en: "Meeting 2021"}
  start: 2021-05-10
  timezone: Europe/Rome
  status: scheduled
  regions: [lazio]
  projects: [nazionale]
  venue: {name: "Sala", city: "Roma"}
- id: seminario-2022-marzo
  kind: workshop
  title: {it: "Seminario di marzo"}
  start: 2022-03-01
  timezone: Europe/Rome
  status: scheduled
  venue: {name: "Sala", city: "Milano"}
- id: seminario-2022-ottobre
  kind: workshop
  title: {it: "Seminario di ottobre"}
  start: 2022-10-01T14:30
  end: 2022-10-01T17:00
  timezone: Europe/Rome
  status: scheduled
  venue: {name: "Sala", city: "Milano"}
- id: futuro
  kind: conference
  title: {it: "Incontro futuro", en: "Future meeting"}
  start: 2031-01-20
  timezone: Europe/Rome
  status: scheduled
  venue: {name: "Sala", city: "Bari"}
"#;

/// The interface strings the views and the test templates read, in both languages.
pub(in crate::render) fn strings(lang: &str) -> String {
    let keys = [
        "nav_projects",
        "nav_stories",
        "nav_news",
        "nav_events",
        "nav_regions",
        "nav_search",
        "eu_statement",
        "not_found_title",
        "search_title",
        "figures_title",
        "region_figures_title",
        "map_title",
        "map_no_data",
        "map_figure_projects",
        "map_figure_stories",
        "map_figure_events",
        "search_loading",
        "search_empty",
        "search_none",
        "example_badge",
    ];
    let mut s: String = keys
        .iter()
        .map(|k| format!("{k}: \"{k} ({lang})\"\n"))
        .collect();
    // The data page's: each data set's title and description, each column's.
    let mut opendata = vec![
        "opendata_title".to_string(),
        "opendata_catalog_description".to_string(),
    ];
    for d in &crate::opendata::DATASETS {
        opendata.extend([d.title_key(), d.description_key()]);
        opendata.extend(d.columns.iter().map(|c| c.text.to_string()));
    }
    opendata.sort();
    opendata.dedup();
    for k in opendata {
        s.push_str(&format!("{k}: \"{k} ({lang})\"\n"));
    }
    s.push_str("search_results: {one: \"{n} result\", other: \"{n} results\"}\n");
    s.push_str("stories_count: {one: \"{n} story\", other: \"{n} stories\"}\n");
    s.push_str("events_count: {one: \"{n} event\", other: \"{n} events\"}\n");
    s
}

fn project(title: &str, regions: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\nsummary: \"Sintesi di {title}\"\nstatus: ongoing\nfunds: [fami]\nlead: ente\nregions: {regions}\n---\n\nTesto di {title}.\n"
    )
}

fn story(title: &str, date: &str, project: &str, region: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nkind: operator\nproject: {project}\nregion: {region}\nsummary: \"Sintesi di {title}\"\nconsent:\n  reference: \"REF-1\"\n  date: 2020-01-01\n  given_by: self\n  scope: [web]\n  expires: 2040-01-01\n  withdrawn: false\n---\n\nTesto di {title}.\n"
    )
}

fn page_text(title: &str) -> String {
    format!("---\ntitle: \"{title}\"\n---\n\nTesto di {title}.\n")
}

/// A Markdown file as `load` hands it on, without reading it from disk.
fn content(section: &str, key: &str, lang: &str, text: String) -> Arc<ContentFile> {
    let path = match section {
        "home" => format!("content/_index.{lang}.md"),
        _ => format!("content/{section}/{key}/index.{lang}.md"),
    };
    let fm_start = text.find('\n').map_or(text.len(), |i| i + 1);
    let fm_end = fm_start + text[fm_start..].find("---\n").expect("closed front matter");
    Arc::new(ContentFile {
        section: section.to_string(),
        key: key.to_string(),
        lang: lang.to_string(),
        fm_range: fm_start..fm_end,
        fm_line: 2,
        body_offset: fm_end + 4,
        src: SourceText::new(path, text),
        prints: Default::default(),
    })
}

/// The test site: three projects (one national, one in Lazio, one in Lombardy), three stories
/// (one of them only in Italian), one news item, two plain pages and four events.
pub(super) fn site() -> Site {
    let mut files = vec![
        content("projects", "nazionale", "it", project("Nazionale", "all")),
        content("projects", "nazionale", "en", project("National", "all")),
        content("projects", "laziale", "it", project("Laziale", "[lazio]")),
        content(
            "projects",
            "lombardo",
            "it",
            project("Lombardo", "[lombardia]"),
        ),
        content(
            "stories",
            "prima",
            "it",
            story("Prima storia", "2022-01-10", "laziale", "lazio"),
        ),
        content(
            "stories",
            "prima",
            "en",
            story("First story", "2022-01-10", "laziale", "lazio"),
        ),
        content(
            "stories",
            "seconda",
            "it",
            story("Seconda storia", "2023-06-01", "nazionale", "lombardia"),
        ),
        content(
            "stories",
            "terza",
            "it",
            story("Terza storia", "2021-03-05", "lombardo", "lombardia"),
        ),
        content(
            "news",
            "notizia",
            "it",
            "---\ntitle: \"Una notizia\"\ndate: 2023-02-01\nsummary: \"In breve\"\nregions: [lazio]\n---\n\nTesto.\n".to_string(),
        ),
        content("pages", "accessibility", "it", page_text("Accessibilità")),
        content("pages", "accessibility", "en", page_text("Accessibility")),
        content("pages", "privacy", "it", page_text("Privacy")),
    ];
    files.sort_by(|a, b| (&a.section, &a.key, &a.lang).cmp(&(&b.section, &b.key, &b.lang)));
    let sources = Sources {
        config: Some(SourceText::new("site.yaml", SITE)),
        content: files,
        funds: Some(SourceText::new("data/funds.yaml", FUNDS)),
        organisations: Some(SourceText::new("data/organisations.yaml", ORGS)),
        events: vec![SourceText::new("data/events/eventi.yaml", EVENTS)],
        ..Default::default()
    };
    let opts = ModelOptions {
        drafts: false,
        base_url: None,
        today: jiff::civil::date(2024, 6, 1),
        search: None,
    };
    let mut diags = Diagnostics::new();
    let config = crate::model::config(&sources, &mut diags).expect("site.yaml reads");
    let site = crate::model::build(sources, config, &opts, &mut diags, None, None);
    assert!(!diags.has_errors(), "{diags:?}");
    site.expect("a site")
}

/// The interface strings of the test site.
pub(super) fn i18n(site: &Site) -> I18n {
    let theme: Vec<SourceText> = ["it", "en"]
        .iter()
        .map(|l| SourceText::new(format!("themes/t/i18n/{l}.yaml"), strings(l)))
        .collect();
    let langs: Vec<(&str, &str)> = site
        .langs
        .iter()
        .map(|l| (l.code.as_str(), l.locale.as_str()))
        .collect();
    let mut diags = Diagnostics::new();
    let i18n = I18n::load(&theme, &[], &langs, &mut diags);
    assert!(!diags.has_errors(), "{diags:?}");
    i18n
}

/// Everything a view reads, built once per test.
pub(in crate::render) struct Fixture {
    pub(in crate::render) site: Site,
    pub(in crate::render) plan: Plan,
    pub(in crate::render) i18n: I18n,
    pub(in crate::render) pictures: Pictures,
    pub(in crate::render) statics: rustc_hash::FxHashMap<String, String>,
}

impl Fixture {
    pub(in crate::render) fn new() -> Self {
        let site = site();
        let mut diags = Diagnostics::new();
        let plan = crate::plan::plan(&site, &mut diags);
        assert!(!diags.has_errors(), "{diags:?}");
        Fixture {
            i18n: i18n(&site),
            site,
            plan,
            pictures: Pictures::default(),
            statics: Default::default(),
        }
    }

    pub(super) fn shared(&self) -> Shared<'_> {
        Shared::new(
            &self.site,
            &self.plan,
            &self.i18n,
            &self.pictures,
            &self.statics,
        )
    }

    pub(super) fn route(&self, kind: Kind, lang: &str) -> &Route {
        self.plan
            .routes
            .iter()
            .find(|r| r.kind == kind && r.lang == lang)
            .expect("a planned route")
    }

    /// The template and context of the page `kind` in `lang`, with what building it reported.
    pub(super) fn page(&self, kind: Kind, lang: &str) -> (String, PageContext, Diagnostics) {
        let shared = self.shared();
        let mut diags = Diagnostics::new();
        let (template, ctx) =
            page(&shared, self.route(kind, lang), &mut diags).expect("a page context");
        (template, ctx, diags)
    }
}

/// Runs `f` with the helper of the route `kind` in `lang`.
pub(super) fn with_cx<R>(fx: &Fixture, kind: Kind, lang: &str, f: impl FnOnce(&Cx) -> R) -> R {
    let shared = fx.shared();
    let route = fx.route(kind, lang);
    let cx = Cx {
        s: &shared,
        lang: fx.site.lang(lang).expect("a language"),
        path: &route.path,
    };
    f(&cx)
}

/// A value of a context, as JSON (what the template sees).
fn value(ctx: &PageContext, key: &str) -> serde_json::Value {
    let v = ctx
        .get(key)
        .unwrap_or_else(|| panic!("no `{key}` in the context"));
    serde_json::to_value(v).expect("a value as JSON")
}

fn strs<'a>(v: &'a serde_json::Value, field: &str) -> Vec<&'a str> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|x| x[field].as_str().unwrap_or_default())
        .collect()
}

#[test]
fn a_story_card_links_its_story_project_and_region_relative_to_the_page() {
    let fx = Fixture::new();
    let (template, ctx, diags) = fx.page(Kind::Project("laziale".into()), "it");
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(template, "project.html");
    let stories = value(&ctx, "stories");
    assert_eq!(
        strs(&stories, "key"),
        ["prima"],
        "only the project's own stories"
    );
    let card = &stories[0];
    assert_eq!(card["title"], "Prima storia");
    assert_eq!(card["href"], "../../storie/prima/index.html");
    assert_eq!(card["date_iso"], "2022-01-10");
    assert_eq!(card["kind"], "kind_operator");
    assert_eq!(card["project_title"], "Laziale");
    assert_eq!(card["project_href"], "index.html");
    assert_eq!(card["region"]["key"], "lazio");
    assert_eq!(card["region"]["href"], "../../regioni/lazio/index.html");
}

#[test]
fn a_page_without_a_translation_shows_the_original_and_says_so() {
    let fx = Fixture::new();
    let route = fx.route(Kind::Story("terza".into()), "en");
    assert!(route.fallback, "no English text: a fallback page");
    let (_, ctx, _) = fx.page(Kind::Story("terza".into()), "en");
    assert_eq!(value(&ctx, "content_lang"), "it");
    assert_eq!(value(&ctx, "title"), "Terza storia");
    let common = value(&ctx, "common");
    assert_eq!(common["fallback"], true);
    assert_eq!(common["fallback_lang"], "it");
    assert_eq!(common["fallback_lang_name"], "Italiano");
    let langs = &common["langs"];
    assert_eq!(strs(langs, "code"), ["it", "en"]);
    assert_eq!(langs[0]["translated"], true);
    assert_eq!(langs[1]["translated"], false);
    assert_eq!(langs[1]["current"], true);
    assert_eq!(langs[0]["href"], "../../../storie/terza/index.html");
    // Only the original is an alternate (with x-default): the English page is no translation.
    assert_eq!(strs(&common["alternates"], "hreflang"), ["it", "x-default"]);

    // A translated page has no fallback, and both languages as alternates.
    let (_, ctx, _) = fx.page(Kind::Story("prima".into()), "en");
    let common = value(&ctx, "common");
    assert_eq!(common["fallback"], false);
    assert_eq!(common["fallback_lang"], "");
    assert_eq!(
        strs(&common["alternates"], "hreflang"),
        ["it", "en", "x-default"]
    );
}

#[test]
fn past_events_are_grouped_by_year_newest_first_and_upcoming_ones_come_apart() {
    let fx = Fixture::new();
    let (_, ctx, _) = fx.page(Kind::EventList, "it");
    assert_eq!(strs(&value(&ctx, "upcoming"), "id"), ["futuro"]);
    let past = value(&ctx, "past");
    let years: Vec<i64> = past
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, [2022, 2021]);
    assert_eq!(
        strs(&past[0]["events"], "id"),
        ["seminario-2022-ottobre", "seminario-2022-marzo"]
    );
    assert_eq!(strs(&past[1]["events"], "id"), ["incontro-2021"]);
    // A time and its zone when the event has one, in CLDR's words; the date alone when not;
    // `datetime` holds the local time with its offset.
    let october = &past[0]["events"][0];
    assert_eq!(
        october["when"], "1 ottobre 2022 alle ore 14:30–17:00 (Europe/Rome)",
        "{october}"
    );
    assert_eq!(october["date_iso"], "2022-10-01T14:30:00+02:00");
    assert!(!past[1]["events"][0]["when"].as_str().unwrap().contains(':'));
    // The calendar of all events, from the plan.
    assert_eq!(value(&ctx, "calendar_href"), "calendario.ics");
}

#[test]
fn a_region_lists_its_own_and_the_national_projects_and_its_stories_and_events() {
    let fx = Fixture::new();
    let (template, ctx, _) = fx.page(Kind::Region("lombardia".into()), "it");
    assert_eq!(template, "region.html");
    assert_eq!(
        strs(&value(&ctx, "projects"), "key"),
        ["lombardo", "nazionale"],
        "in the site's order (by key)"
    );
    assert_eq!(
        strs(&value(&ctx, "stories"), "key"),
        ["seconda", "terza"],
        "newest first"
    );
    assert_eq!(value(&ctx, "region")["name"], "Lombardia");
    assert_eq!(value(&ctx, "feed_href"), "feed.xml");
    assert_eq!(value(&ctx, "calendar_href"), "calendario.ics");

    let (_, ctx, _) = fx.page(Kind::Region("lazio".into()), "it");
    assert_eq!(
        strs(&value(&ctx, "projects"), "key"),
        ["laziale", "nazionale"]
    );
    assert_eq!(strs(&value(&ctx, "past"), "id"), ["incontro-2021"]);
    assert_eq!(strs(&value(&ctx, "news"), "key"), ["notizia"]);
}

#[test]
fn the_navigation_marks_the_section_of_the_page_and_links_every_list() {
    let fx = Fixture::new();
    let (_, ctx, _) = fx.page(Kind::Story("prima".into()), "it");
    let nav = &value(&ctx, "common")["nav"];
    assert_eq!(
        strs(nav, "href"),
        [
            "../../progetti/index.html",
            "../index.html",
            "../../notizie/index.html",
            "../../eventi/index.html",
            "../../regioni/index.html",
            "../../cerca/index.html"
        ]
    );
    let current: Vec<bool> = nav
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["current"].as_bool().unwrap())
        .collect();
    assert_eq!(current, [false, true, false, false, false, false]);
    assert_eq!(nav[1]["label"], "nav_stories (it)");

    // The home page belongs to no section.
    let (_, ctx, _) = fx.page(Kind::Home, "en");
    let nav = &value(&ctx, "common")["nav"];
    assert!(
        nav.as_array()
            .unwrap()
            .iter()
            .all(|l| l["current"] == false)
    );
    assert_eq!(value(&ctx, "common")["feed_href"], "feed.xml");
}

#[test]
fn links_written_in_a_text_are_checked_against_the_pages_of_the_site() {
    use crate::render::markdown::SiteLink;
    let fx = Fixture::new();
    with_cx(&fx, Kind::Story("prima".into()), "it", |cx| {
        match cx.site_link("/progetti/laziale/", false) {
            SiteLink::Page(h) => assert_eq!(h, "../../progetti/laziale/index.html"),
            _ => panic!("a page of the site"),
        }
        match cx.site_link("https://example.org/storie/terza/#inizio", false) {
            SiteLink::Page(h) => assert_eq!(h, "../terza/index.html#inizio"),
            _ => panic!("the site's own address is a page of the site"),
        }
        match cx.site_link("../seconda/", true) {
            SiteLink::Page(h) => assert_eq!(h, "../seconda/index.html"),
            _ => panic!("a relative link to a page"),
        }
        match cx.site_link("/progetti/lazilae/", false) {
            SiteLink::Missing { path, near } => {
                assert_eq!(path, "/progetti/lazilae/");
                assert_eq!(near.as_deref(), Some("/progetti/laziale/"));
            }
            _ => panic!("a typo is a missing page"),
        }
        assert!(matches!(
            cx.site_link("/documento.pdf", false),
            SiteLink::Other
        ));
        assert!(matches!(
            cx.site_link("https://altro.example.org/", false),
            SiteLink::Other
        ));
    });
}

#[test]
fn feeds_and_calendars_are_addresses_of_the_plan() {
    let fx = Fixture::new();
    let p = &fx.plan;
    let path = |f: FileKind, l: &str| p.file_path(f, l);
    assert_eq!(
        path(FileKind::Calendar(Scope::All), "it").as_deref(),
        Some("/eventi/calendario.ics")
    );
    assert_eq!(
        path(FileKind::Calendar(Scope::Event("futuro")), "en").as_deref(),
        Some("/en/events/futuro.ics")
    );
    assert_eq!(
        path(FileKind::Calendar(Scope::Project("laziale")), "en").as_deref(),
        Some("/en/projects/laziale/calendar.ics")
    );
    assert_eq!(
        path(FileKind::Feed(Scope::Region("lazio")), "it").as_deref(),
        Some("/regioni/lazio/feed.xml")
    );
    assert_eq!(
        path(FileKind::Feed(Scope::All), "en").as_deref(),
        Some("/en/feed.xml")
    );
    assert_eq!(path(FileKind::Feed(Scope::Event("futuro")), "it"), None);
    assert_eq!(path(FileKind::Feed(Scope::Project("nessuno")), "it"), None);
    assert_eq!(path(FileKind::Calendar(Scope::All), "de"), None);
    assert_eq!(
        path(FileKind::SearchIndex, "en").as_deref(),
        Some("/search-index/en/index.json")
    );
    assert_eq!(
        path(FileKind::Sitemap, "it").as_deref(),
        Some("/sitemap.xml")
    );
    assert_eq!(
        path(FileKind::SitemapPart(2), "it").as_deref(),
        Some("/sitemap-2.xml")
    );
    assert_eq!(path(FileKind::Robots, "it").as_deref(), Some("/robots.txt"));

    // The list: per language, one calendar for all, one per event, region and project; one
    // feed for the site, per region and per project.
    let files = p.feeds_and_calendars();
    let regions = crate::model::regions::REGIONS.len();
    let per_lang = (1 + 4 + regions + 3) + (1 + regions + 3);
    assert_eq!(files.len(), 2 * per_lang);
    assert_eq!(files[0].path, "/eventi/calendario.ics");
    assert_eq!(files[1].path, "/eventi/incontro-2021.ics");
    assert!(
        files
            .iter()
            .all(|f| f.path.starts_with("/en/") == (f.lang == "en"))
    );
    assert_eq!(
        files.iter().filter(|f| f.path.ends_with(".xml")).count(),
        2 * (1 + regions + 3)
    );
}

#[test]
fn every_kind_of_page_has_a_name_that_reads_back() {
    for kind in PageKind::ALL {
        assert_eq!(PageKind::from_name(kind.name()), Some(kind));
    }
    assert_eq!(PageKind::from_name("projetc"), None);
    let fx = Fixture::new();
    for r in &fx.plan.routes {
        assert_eq!(r.kind.name(), r.kind.page_kind().name());
        if !matches!(r.kind, Kind::StoryList(n) if n > 1) {
            assert_eq!(
                fx.plan.path(r.kind.page_kind(), r.kind.key(), &r.lang),
                Some(r.path.as_str())
            );
        }
    }
}

mod templates {
    //! The template functions, through the engine the build uses.

    use super::*;
    use crate::render::templates;

    fn theme(template: &str) -> Theme {
        Theme {
            name: "t".into(),
            templates: vec![(
                "page.html".into(),
                SourceText::new("themes/t/templates/page.html", template),
            )],
            i18n: Vec::new(),
            statics: Vec::new(),
        }
    }

    /// Renders `template` as the page at `path` in `lang`: its text, or the diagnostics.
    fn render(template: &str, path: &str, lang: &str) -> Result<String, Vec<String>> {
        let fx = Fixture::new();
        let theme = theme(template);
        let mut diags = Diagnostics::new();
        let engine = templates::engine(
            &theme,
            Arc::new(i18n(&fx.site)),
            Arc::new(fx.plan),
            Arc::new(Default::default()),
            false,
            &mut diags,
        )
        .expect("the templates compile");
        let mut ctx = tera::Context::new();
        ctx.insert("lang", lang);
        ctx.insert("page_path", path);
        match templates::render(&engine, &theme, "page.html", &ctx, &mut diags) {
            Some(b) => Ok(String::from_utf8(b).expect("UTF-8")),
            None => Err(diags
                .sorted()
                .into_iter()
                .map(|d| format!("{} | {}", d.message, d.help.clone().unwrap_or_default()))
                .collect()),
        }
    }

    #[test]
    fn url_links_a_page_relative_to_the_current_one_in_any_language() {
        let out = render(
            r#"{{ url(kind="project", key="laziale") }} {{ url(kind="story", key="prima", lang="en") }} {{ url(kind="home") }}"#,
            "/storie/prima/",
            "it",
        );
        assert_eq!(
            out.as_deref(),
            Ok(
                "../../progetti/laziale/index.html ../../en/stories/prima/index.html ../../index.html"
            )
        );
    }

    #[test]
    fn url_of_an_unknown_kind_names_the_kinds_there_are() {
        let err = render(r#"{{ url(kind="projetc", key="laziale") }}"#, "/", "it")
            .expect_err("no such kind");
        let text = err.join("\n");
        assert!(
            text.contains(
                "url(): there is no page of kind `projetc` with key `laziale` in language `it`"
            ),
            "{text}"
        );
        assert!(text.contains("`home`, `projects`, `project`"), "{text}");
        assert!(text.contains("Did you mean `project`?"), "{text}");

        // A known kind with an unknown key is told as before, without the list.
        let err = render(r#"{{ url(kind="project", key="nessuno") }}"#, "/", "it")
            .expect_err("no such page");
        let text = err.join("\n");
        assert!(
            text.contains("there is no page of kind `project` with key `nessuno` in language `it`"),
            "{text}"
        );
        assert!(!text.contains("the kinds are"), "{text}");
    }

    #[test]
    fn t_gives_the_string_of_the_page_language_and_names_a_missing_key() {
        assert_eq!(
            render(
                r#"{{ t(key="nav_news") }}|{{ t(key="nav_news", lang="it") }}"#,
                "/en/",
                "en"
            )
            .as_deref(),
            Ok("nav_news (en)|nav_news (it)")
        );
        let err = render(r#"{{ t(key="nav_nope") }}"#, "/en/", "en").expect_err("no such key");
        let text = err.join("\n");
        assert!(
            text.contains("missing interface string `nav_nope` for language `en`"),
            "{text}"
        );
    }
}

#[test]
fn the_data_page_lists_each_data_set_its_files_and_its_columns_per_language() {
    let fx = Fixture::new();
    let (template, ctx, diags) = fx.page(Kind::Data, "en");
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(template, "data.html");
    let datasets = value(&ctx, "datasets");
    assert_eq!(
        strs(&datasets, "id"),
        ["projects", "events", "indicators", "organisations"]
    );
    let projects = &datasets[0];
    assert_eq!(projects["title"], "opendata_projects_title (en)");
    assert_eq!(
        strs(&projects["files"], "href"),
        [
            "../../opendata/projects.csv",
            "../../opendata/projects.json"
        ]
    );
    assert_eq!(
        strs(&projects["files"], "media_type"),
        ["text/csv", "application/json"]
    );
    // A column given per language is named once per language of the site.
    assert_eq!(
        projects["columns"][1]["names"],
        serde_json::json!(["title_it", "title_en"])
    );
    assert_eq!(datasets[3]["json_only"], true);
    assert_eq!(
        value(&ctx, "licence")["href"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    let ld: serde_json::Value =
        serde_json::from_str(value(&ctx, "jsonld").as_str().unwrap()).unwrap();
    assert_eq!(ld["dataset"][0]["@type"], "Dataset");
    assert_eq!(
        ld["dataset"][0]["distribution"][0]["contentUrl"],
        format!("{}/opendata/projects.csv", fx.site.base_url)
    );
}
