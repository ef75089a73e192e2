//! Model: turn the loaded sources into a typed, validated, immutable `Site`.
//!
//! Everything an author can get wrong is found here and reported with its file and line:
//! YAML shape, unknown keys, bad dates, web addresses that could carry script or lead
//! nowhere (see `weburl`), references to unknown regions, projects, funds and
//! organisations, and the privacy rules of SPEC §6. Validation never stops at the first error.
//! Nothing here touches the disk.

pub mod bundle;
pub mod privacy;
pub mod regions;
pub mod schema;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use jiff::civil::{Date, DateTime};
use rayon::prelude::*;
use serde_saphyr::Spanned;

use crate::diag::{Diagnostics, Pos, SourceText, unknown_help};
use crate::load::{Asset, ContentFile, Sources};
use crate::weburl::{self, Schemes};
use regions::Region;
use schema::*;
use yaml::{LangMap, Origin, RegionSel, parse};

/// A language of the site, with its translated section segments resolved.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Language {
    pub code: String,
    pub name: String,
    pub dir: Direction,
    /// CLDR locale for dates and numbers.
    pub locale: String,
    pub sections: Sections,
}

/// Section path segments in one language.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Sections {
    pub projects: String,
    pub stories: String,
    pub news: String,
    pub events: String,
    pub regions: String,
    /// File name (without `.ics`) of the calendars: `calendario`, `calendar`.
    pub calendar: String,
    /// The search page: `cerca`, `search`.
    pub search: String,
}

impl Sections {
    /// The English segments, used by a language that configures none.
    fn english() -> Self {
        Sections {
            projects: "projects".into(),
            stories: "stories".into(),
            news: "news".into(),
            events: "events".into(),
            regions: "regions".into(),
            calendar: "calendar".into(),
            search: "search".into(),
        }
    }
}

/// One language version of a content entity.
#[derive(Debug)]
pub struct Doc<T> {
    pub lang: String,
    pub fm: T,
    /// Byte offset of the Markdown body in `src`.
    pub body_offset: usize,
    pub src: SourceText,
}

impl<T> Doc<T> {
    /// The Markdown text after the front matter.
    pub fn body(&self) -> &str {
        &self.src.text[self.body_offset..]
    }
}

/// A content entity (project, story, news item, page) in all the languages it is written in.
#[derive(Debug)]
pub struct Entity<T> {
    pub key: String,
    pub docs: BTreeMap<String, Arc<Doc<T>>>,
}

impl<T> Entity<T> {
    /// The text shown in `lang`: its own translation, or the fallback source (the default
    /// language, else the first language it exists in). The flag says whether it is a fallback.
    pub fn doc<'a>(&'a self, lang: &str, langs: &[Language]) -> (&'a Doc<T>, bool) {
        if let Some(d) = self.docs.get(lang) {
            return (d, false);
        }
        (self.source(langs), true)
    }

    /// The original text: default language first, then in the site's language order.
    pub fn source<'a>(&'a self, langs: &[Language]) -> &'a Doc<T> {
        langs
            .iter()
            .find_map(|l| self.docs.get(&l.code))
            .or_else(|| self.docs.values().next())
            .expect("an entity always has at least one document")
    }

    pub fn has(&self, lang: &str) -> bool {
        self.docs.contains_key(lang)
    }
}

/// A validated event with its times resolved.
#[derive(Debug)]
pub struct Event {
    pub file: SourceText,
    pub data: EventFile,
    pub start: DateTime,
    pub end: Option<DateTime>,
    /// Only a date was given: the time is unknown, and it is shown as a whole-day event.
    pub all_day: bool,
    pub timezone: String,
    pub tz: jiff::tz::TimeZone,
}

impl Event {
    pub fn id(&self) -> &str {
        &self.data.id.value
    }

    /// A local time of the event in its zone. A time repeated when clocks go back resolves to
    /// its first occurrence (RFC 5545 §3.3.5); times that do not exist were refused by `model`.
    pub fn zoned(&self, dt: DateTime) -> Option<jiff::ZonedDateTime> {
        dt.to_zoned_datetime(self.tz.clone()).ok()
    }
}

/// A story left out of every output because its consent expired or was withdrawn.
#[derive(Debug, Clone)]
pub struct TakenDown {
    pub key: String,
    pub file: PathBuf,
    pub reason: String,
    /// The slugs its pages had (its key, and any `slug:` of its languages).
    pub slugs: Vec<String>,
    /// The story itself, for the consent register (`vetrina consents`); never rendered.
    pub story: Arc<Entity<StoryFm>>,
    /// The files of its bundle, left out of the output; their processed copies are deleted
    /// from the image cache after a build (`images::purge`).
    pub assets: Vec<Asset>,
}

/// The whole site, typed and validated. Built once per build and then only read.
#[derive(Debug)]
pub struct Site {
    pub config: ConfigFile,
    pub langs: Vec<Language>,
    pub base_url: String,
    pub home: Option<Entity<HomeFm>>,
    pub projects: Vec<Entity<ProjectFm>>,
    pub stories: Vec<Entity<StoryFm>>,
    pub news: Vec<Entity<NewsFm>>,
    pub pages: Vec<Entity<PageFm>>,
    pub events: Vec<Event>,
    pub funds: BTreeMap<String, FundFile>,
    /// data/funds.yaml, kept to point at references inside it.
    pub funds_src: Option<SourceText>,
    pub orgs: BTreeMap<String, OrgFile>,
    pub indicators: Vec<IndicatorFile>,
    pub assets: Vec<Asset>,
    pub taken_down: Vec<TakenDown>,
    pub i18n_overrides: Vec<SourceText>,
    pub today: Date,
}

impl Site {
    pub fn default_lang(&self) -> &str {
        &self.langs[0].code
    }

    pub fn lang(&self, code: &str) -> Option<&Language> {
        self.langs.iter().find(|l| l.code == code)
    }

    pub fn project(&self, key: &str) -> Option<&Entity<ProjectFm>> {
        self.projects.iter().find(|p| p.key == key)
    }
}

/// Settings of one build that do not come from the site's files.
#[derive(Debug, Clone)]
pub struct ModelOptions {
    pub drafts: bool,
    pub base_url: Option<String>,
    /// The build date: consent expiry and upcoming/past events are relative to it.
    pub today: Date,
    /// Overrides `search` of site.yaml.
    pub search: Option<bool>,
}

/// The parsed front matter of the Markdown files of the last build of this process (`vetrina
/// serve`), by file: a file that `load` handed on unchanged (the same `Arc`) under the same
/// languages is not parsed again.
#[derive(Default)]
pub struct Memo {
    langs: Vec<String>,
    /// In the order of `Sources::content` (by section, key, language).
    docs: Vec<(Arc<ContentFile>, ParsedDoc, Diagnostics)>,
}

impl Memo {
    /// The memo of `cf`, the `i`th file of the sources (usually where it was last time).
    fn get(
        &self,
        i: usize,
        cf: &Arc<ContentFile>,
    ) -> Option<&(Arc<ContentFile>, ParsedDoc, Diagnostics)> {
        if let Some(hit) = self.docs.get(i)
            && Arc::ptr_eq(&hit.0, cf)
        {
            return Some(hit);
        }
        fn key(c: &ContentFile) -> (&str, &str, &str) {
            (c.section.as_str(), c.key.as_str(), c.lang.as_str())
        }
        let i = self
            .docs
            .binary_search_by(|(c, ..)| key(c).cmp(&key(cf)))
            .ok()?;
        let hit = &self.docs[i];
        Arc::ptr_eq(&hit.0, cf).then_some(hit)
    }
}

/// Builds the `Site` from the sources, or reports every problem found.
pub fn build(
    src: Sources,
    opts: &ModelOptions,
    diags: &mut Diagnostics,
    memo: Option<&mut Memo>,
) -> Option<Site> {
    let cfg_src = src.config.as_ref()?;
    let mut config: ConfigFile = parse(cfg_src, &cfg_src.text, Origin::FILE, diags)?;
    if opts.search.is_some() {
        config.search = opts.search;
    }
    config_addresses(&mut config, cfg_src, diags);
    let langs = languages(&config, cfg_src, diags);
    if langs.is_empty() {
        return None;
    }
    let lang_codes: Vec<&str> = langs.iter().map(|l| l.code.as_str()).collect();
    check_langmap(&config.title, "title", cfg_src, 1, &lang_codes, diags);

    let funds: BTreeMap<String, FundFile> = src
        .funds
        .as_ref()
        .and_then(|s| parse(s, &s.text, Origin::FILE, diags))
        .unwrap_or_default();
    let mut orgs: BTreeMap<String, OrgFile> = src
        .organisations
        .as_ref()
        .and_then(|s| parse(s, &s.text, Origin::FILE, diags))
        .unwrap_or_default();
    if let Some(s) = &src.organisations {
        for o in orgs.values_mut() {
            web_address(&mut o.website, Schemes::Web, s, Origin::FILE, diags);
        }
    }

    // Content files, parsed in parallel: each gets its own collector, merged in order.
    let old = memo.as_deref().filter(|m| {
        m.langs
            .iter()
            .map(String::as_str)
            .eq(lang_codes.iter().copied())
    });
    let had_memo = old.is_some();
    // (parsed, diagnostics, whether the memo holds it at the same place)
    let parsed: Vec<(ParsedDoc, Diagnostics, bool)> = src
        .content
        .par_iter()
        .enumerate()
        .map(|(i, cf)| {
            if let Some(hit) = old.and_then(|m| m.get(i, cf)) {
                let aligned = old
                    .and_then(|m| m.docs.get(i))
                    .is_some_and(|x| std::ptr::eq(x, hit));
                return (hit.1.clone(), hit.2.clone(), aligned);
            }
            let mut d = Diagnostics::new();
            let doc = parse_doc(cf, &lang_codes, &mut d);
            (doc, d, false)
        })
        .collect();
    if let Some(m) = memo {
        let same_files = m.docs.len() == src.content.len()
            && had_memo
            && m.langs
                .iter()
                .map(String::as_str)
                .eq(lang_codes.iter().copied());
        if same_files {
            // The same files as last time, some of them edited: only those are replaced.
            for (i, (cf, (doc, d, aligned))) in src.content.iter().zip(&parsed).enumerate() {
                if !*aligned {
                    m.docs[i] = (cf.clone(), doc.clone(), d.clone());
                }
            }
        } else {
            m.langs = lang_codes.iter().map(|l| l.to_string()).collect();
            m.docs = src
                .content
                .iter()
                .zip(&parsed)
                .map(|(cf, (doc, d, _))| (cf.clone(), doc.clone(), d.clone()))
                .collect();
        }
    }
    let mut home = None;
    let mut projects = Vec::new();
    let mut stories = Vec::new();
    let mut news = Vec::new();
    let mut pages = Vec::new();
    for (doc, d, _) in parsed {
        diags.extend(d);
        match doc {
            ParsedDoc::Home(k, doc) => add_doc(&mut home, k, doc),
            ParsedDoc::Project(k, doc) => push_doc(&mut projects, k, doc),
            ParsedDoc::Story(k, doc) => push_doc(&mut stories, k, doc),
            ParsedDoc::News(k, doc) => push_doc(&mut news, k, doc),
            ParsedDoc::Page(k, doc) => push_doc(&mut pages, k, doc),
            ParsedDoc::Failed => {}
        }
    }
    if !opts.drafts {
        drop_drafts(&mut projects, |fm| fm.draft);
        drop_drafts(&mut stories, |fm| fm.draft);
        drop_drafts(&mut news, |fm| fm.draft);
        drop_drafts(&mut pages, |fm| fm.draft);
    }

    let mut events = Vec::new();
    let mut event_ids: BTreeMap<String, PathBuf> = BTreeMap::new();
    for f in &src.events {
        let list: Vec<EventFile> = match parse(f, &f.text, Origin::FILE, diags) {
            Some(l) => l,
            None => continue,
        };
        for e in list {
            let id = e.id.value.clone();
            if let Some(first) = event_ids.get(&id) {
                diags
                    .error(
                        f,
                        Origin::FILE.pos_of(&e.id),
                        format!("the event id `{id}` is used twice"),
                    )
                    .help(format!(
                        "event ids must be unique across all calendars; it is already used in {}",
                        first.display()
                    ));
                continue;
            }
            event_ids.insert(id, f.path.clone());
            if let Some(ev) = event(f, e, diags) {
                events.push(ev);
            }
        }
    }
    events.sort_by(|a, b| (a.start, a.id()).cmp(&(b.start, b.id())));

    let mut indicators = Vec::new();
    for f in &src.indicators {
        if let Some(i) = parse::<IndicatorFile>(f, &f.text, Origin::FILE, diags) {
            indicators.push((f.clone(), i));
        }
    }

    let base_url = base_url(opts.base_url.as_deref(), &config, cfg_src, diags);

    let mut site = Site {
        config,
        langs,
        base_url,
        home,
        projects,
        stories,
        news,
        pages,
        events,
        funds,
        funds_src: src.funds.clone(),
        orgs,
        indicators: Vec::new(),
        assets: src.assets,
        taken_down: Vec::new(),
        i18n_overrides: src.i18n_overrides,
        today: opts.today,
    };

    validate_refs(&site, cfg_src, &indicators, diags);
    site.indicators = indicators.into_iter().map(|(_, i)| i).collect();
    privacy::check(&mut site, diags);
    let documents = bundle::document_types(&site.config, cfg_src, diags);
    bundle::keep_linked(&mut site, &documents, diags);
    Some(site)
}

fn languages(config: &ConfigFile, src: &SourceText, diags: &mut Diagnostics) -> Vec<Language> {
    let mut out: Vec<Language> = Vec::new();
    if config.languages.is_empty() {
        let pos = src.find_key(1, "languages:").unwrap_or(Pos::new(1, 1, 1));
        diags.error(src, pos, "the site has no languages").help(
            "list at least one language, for example `languages: [{code: it, name: Italiano}]`",
        );
    }
    for l in &config.languages {
        let code = &l.code.value;
        let valid = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
        if !valid {
            diags
                .error(src, Origin::FILE.pos_of(&l.code), format!("`{code}` is not a language code"))
                .help("use the two-letter ISO 639-1 code of the language, in lower case: it, en, fr, ar, ur, bn, ti…");
            continue;
        }
        if out.iter().any(|o| &o.code == code) {
            diags
                .error(
                    src,
                    Origin::FILE.pos_of(&l.code),
                    format!("the language `{code}` is listed twice"),
                )
                .help("keep one entry per language");
            continue;
        }
        let english = Sections::english();
        let s = l.sections.clone();
        let pick = |v: Option<String>, d: String| v.filter(|x| !x.is_empty()).unwrap_or(d);
        let sections = match s {
            Some(s) => Sections {
                projects: pick(s.projects, english.projects),
                stories: pick(s.stories, english.stories),
                news: pick(s.news, english.news),
                events: pick(s.events, english.events),
                regions: pick(s.regions, english.regions),
                calendar: pick(s.calendar, english.calendar),
                search: pick(s.search, english.search),
            },
            None => english,
        };
        for seg in [
            &sections.projects,
            &sections.stories,
            &sections.news,
            &sections.events,
            &sections.regions,
            &sections.calendar,
            &sections.search,
        ] {
            if let Err(bad) = regions::check_segment(seg) {
                let pos = src
                    .find_key(l.code.referenced.line() as usize, seg)
                    .unwrap_or(Origin::FILE.pos_of(&l.code));
                diags.error(src, pos, bad.message("", seg)).help(bad.help());
            }
        }
        out.push(Language {
            code: code.clone(),
            name: l.name.clone(),
            dir: l.dir.unwrap_or(Direction::Ltr),
            locale: l.locale.clone().unwrap_or_else(|| code.clone()),
            sections,
        });
    }
    out
}

/// Checks the web address in `field` (SPEC §7, Safety) and puts in its place the form that is
/// published: the one the URL parser writes back, so that what was checked is what readers'
/// browsers follow. A refused address is reported at its place and removed.
fn web_address(
    field: &mut Option<Spanned<String>>,
    schemes: Schemes,
    src: &SourceText,
    o: Origin,
    diags: &mut Diagnostics,
) {
    let Some(f) = field else { return };
    match weburl::check_url(&f.value, schemes) {
        Ok(url) => f.value = String::from(url),
        Err(p) => {
            diags.error(src, o.pos_of(f), p.message()).help(p.help());
            *field = None;
        }
    }
}

/// The addresses of site.yaml other than `base_url`: the accessibility statement (when it is
/// not a page key), the feedback email and the feedback address.
fn config_addresses(config: &mut ConfigFile, src: &SourceText, diags: &mut Diagnostics) {
    let o = Origin::FILE;
    let acc = &mut config.accessibility_statement;
    // A page key is one word (letters, digits, dashes); anything else is meant as an
    // address (checked against the pages in `validate_refs`).
    if !is_page_key(&acc.value) {
        match weburl::check_url(&acc.value, Schemes::Web) {
            Ok(url) => acc.value = String::from(url),
            Err(p) => {
                diags.error(src, o.pos_of(acc), p.message()).help(format!(
                    "{} (or the key of a page of this site, like `accessibility`)",
                    p.help()
                ));
                // Nothing is linked: an empty key is no page.
                acc.value.clear();
            }
        }
    }
    let email = &mut config.feedback.email;
    match weburl::check_email(&email.value) {
        Ok(e) => email.value = e,
        Err(p) => {
            diags
                .error(src, o.pos_of(email), p.message())
                .help(p.help());
            email.value.clear();
        }
    }
    web_address(&mut config.feedback.url, Schemes::WebOrMail, src, o, diags);
}

fn is_page_key(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The site's address: `--base-url` when given, else site.yaml's `base_url`; both must be
/// absolute `http(s)` addresses (SPEC §7). site.yaml's is checked even when the option
/// replaces it, so that `check` finds it wrong before a build without the option does.
fn base_url(
    option: Option<&str>,
    config: &ConfigFile,
    src: &SourceText,
    diags: &mut Diagnostics,
) -> String {
    let from_file = match weburl::check_base_url(&config.base_url.value) {
        Ok(b) => b,
        Err(p) => {
            diags
                .error(src, Origin::FILE.pos_of(&config.base_url), p.message())
                .help(p.help());
            String::new()
        }
    };
    match option {
        None => from_file,
        Some(raw) => match weburl::check_base_url(raw) {
            Ok(b) => b,
            Err(p) => {
                diags.file_error(
                    std::path::Path::new("--base-url"),
                    format!(
                        "the address given with --base-url is not usable: {}",
                        p.message()
                    ),
                    p.help(),
                );
                String::new()
            }
        },
    }
}

/// Reports language keys of a per-language text that are not site languages.
pub fn check_langmap(
    m: &LangMap,
    field: &str,
    src: &SourceText,
    from_line: usize,
    langs: &[&str],
    diags: &mut Diagnostics,
) {
    for k in m.langs() {
        if !langs.contains(&k) {
            let pos = src
                .find_key(from_line, &format!("{k}:"))
                .or_else(|| src.find_key(from_line, &format!("{field}:")))
                .unwrap_or(Pos::new(from_line, 1, 1));
            diags
                .error(
                    src,
                    pos,
                    format!("`{k}` is not one of the site's languages"),
                )
                .help(unknown_help("languages", k, langs.iter().copied()));
        }
    }
}

#[derive(Clone)]
enum ParsedDoc {
    Home(String, Arc<Doc<HomeFm>>),
    Project(String, Arc<Doc<ProjectFm>>),
    Story(String, Arc<Doc<StoryFm>>),
    News(String, Arc<Doc<NewsFm>>),
    Page(String, Arc<Doc<PageFm>>),
    Failed,
}

fn parse_doc(cf: &ContentFile, langs: &[&str], diags: &mut Diagnostics) -> ParsedDoc {
    if !langs.contains(&cf.lang.as_str()) {
        diags.file_error(
            &cf.src.path,
            format!(
                "the file name says its language is `{}`, which is not one of the site's languages",
                cf.lang
            ),
            format!(
                "{} (the file must be named index.<language>.md, with a language listed in site.yaml)",
                unknown_help("languages", &cf.lang, langs.iter().copied())
            ),
        );
        return ParsedDoc::Failed;
    }
    if let Err(bad) = regions::check_segment(&cf.key)
        && cf.section != "home"
    {
        let how = match bad {
            regions::BadSegment::Characters { .. } => " (lower-case letters, digits and dashes)",
            regions::BadSegment::TooLong { .. } => "",
        };
        diags.file_error(
            &cf.src.path,
            bad.message("the folder name ", &cf.key),
            format!("rename the folder to `{}`{how}", bad.instead()),
        );
        return ParsedDoc::Failed;
    }
    let origin = Origin {
        first_line: cf.fm_line,
    };
    macro_rules! doc {
        ($variant:ident, $ty:ty) => {
            doc!($variant, $ty, |_: &mut $ty, _: &mut Diagnostics| {})
        };
        ($variant:ident, $ty:ty, $addresses:expr) => {
            match parse::<$ty>(&cf.src, cf.front_matter(), origin, diags) {
                Some(mut fm) => {
                    $addresses(&mut fm, &mut *diags);
                    ParsedDoc::$variant(
                        cf.key.clone(),
                        Arc::new(Doc {
                            lang: cf.lang.clone(),
                            fm,
                            body_offset: cf.body_offset,
                            src: cf.src.clone(),
                        }),
                    )
                }
                None => ParsedDoc::Failed,
            }
        };
    }
    match cf.section.as_str() {
        "home" => doc!(Home, HomeFm),
        "projects" => doc!(
            Project,
            ProjectFm,
            |fm: &mut ProjectFm, diags: &mut Diagnostics| {
                web_address(&mut fm.website, Schemes::Web, &cf.src, origin, diags)
            }
        ),
        "stories" => doc!(Story, StoryFm),
        "news" => doc!(News, NewsFm),
        "pages" => doc!(Page, PageFm),
        _ => ParsedDoc::Failed,
    }
}

/// Removes draft translations, and entities left with none.
fn drop_drafts<T>(list: &mut Vec<Entity<T>>, is_draft: impl Fn(&T) -> bool) {
    for e in list.iter_mut() {
        e.docs.retain(|_, d| !is_draft(&d.fm));
    }
    list.retain(|e| !e.docs.is_empty());
}

fn push_doc<T>(list: &mut Vec<Entity<T>>, key: String, doc: Arc<Doc<T>>) {
    match list.last_mut() {
        Some(e) if e.key == key => {
            e.docs.insert(doc.lang.clone(), doc);
        }
        _ => {
            let mut docs = BTreeMap::new();
            docs.insert(doc.lang.clone(), doc);
            list.push(Entity { key, docs });
        }
    }
}

fn add_doc<T>(slot: &mut Option<Entity<T>>, key: String, doc: Arc<Doc<T>>) {
    match slot {
        Some(e) => {
            e.docs.insert(doc.lang.clone(), doc);
        }
        None => {
            let mut docs = BTreeMap::new();
            docs.insert(doc.lang.clone(), doc);
            *slot = Some(Entity { key, docs });
        }
    }
}

/// Parses an event's times and zone, and checks its addresses.
fn event(f: &SourceText, mut e: EventFile, diags: &mut Diagnostics) -> Option<Event> {
    let o = Origin::FILE;
    // Registering by email is as good as a form; a meeting link is a web page.
    web_address(&mut e.registration, Schemes::WebOrMail, f, o, diags);
    if let Some(online) = &mut e.online {
        web_address(&mut online.url, Schemes::Web, f, o, diags);
    }
    let parse_time = |s: &Spanned<String>, diags: &mut Diagnostics| -> Option<(DateTime, bool)> {
        let v = s.value.trim();
        if v.contains('T') {
            match v.parse::<DateTime>() {
                Ok(dt) => Some((dt, false)),
                Err(err) => {
                    diags
                        .error(f, o.pos_of(s), format!("`{v}` is not a valid date and time ({err})"))
                        .help("write the local date and time as YYYY-MM-DDTHH:MM, for example 2021-07-13T14:30");
                    None
                }
            }
        } else {
            match v.parse::<Date>() {
                Ok(d) => Some((d.to_datetime(jiff::civil::Time::midnight()), true)),
                Err(err) => {
                    diags
                        .error(f, o.pos_of(s), format!("`{v}` is not a valid date ({err})"))
                        .help("write YYYY-MM-DD when the time is not known, or YYYY-MM-DDTHH:MM, for example 2021-07-13T14:30");
                    None
                }
            }
        }
    };
    let start = parse_time(&e.start, diags);
    let end = e.end.as_ref().map(|s| parse_time(s, diags));
    let timezone = e
        .timezone
        .as_ref()
        .map(|t| t.value.clone())
        .unwrap_or_else(|| "Europe/Rome".to_string());
    let mut ok = true;
    let tz = jiff::tz::TimeZone::get(&timezone).ok();
    if let Some(t) = &e.timezone
        && tz.is_none()
    {
        ok = false;
        let names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
        diags
            .error(
                f,
                o.pos_of(t),
                format!("`{}` is not a time zone name", t.value),
            )
            .help(unknown_help(
                "time zones",
                &t.value,
                names.iter().map(String::as_str),
            ));
    }
    let (start, all_day) = start?;
    let end = match end {
        None => None,
        Some(None) => return None,
        Some(Some((end, end_all_day))) => {
            if end_all_day != all_day {
                let s = e.end.as_ref().map(|s| o.pos_of(s)).unwrap_or_default();
                diags
                    .error(
                        f,
                        s,
                        "the start and the end must both have a time, or both be dates only",
                    )
                    .help("write both as YYYY-MM-DDTHH:MM, or both as YYYY-MM-DD");
                return None;
            }
            if end < start {
                let s = e.end.as_ref().map(|s| o.pos_of(s)).unwrap_or_default();
                diags
                    .error(f, s, "the event ends before it starts")
                    .help("check the end date and time: it must come after the start");
                return None;
            }
            Some(end)
        }
    };
    // A local time skipped when clocks go forward does not exist: refuse it rather than guess.
    if let Some(tz) = &tz
        && !all_day
    {
        for (dt, s) in std::iter::once((start, &e.start))
            .chain(end.iter().zip(e.end.iter()).map(|(d, s)| (*d, s)))
        {
            if let jiff::tz::AmbiguousOffset::Gap { before, after } =
                tz.to_ambiguous_timestamp(dt).offset()
            {
                ok = false;
                diags
                    .error(f, o.pos_of(s), format!("{} does not exist in {timezone}: the clocks jump from {before} to {after} that night", s.value.trim()))
                    .help("choose a time outside the hour the clocks skip (for example one hour later)");
            }
        }
    }
    if e.venue.is_none() && e.online.is_none() {
        diags
            .error(
                f,
                o.pos_of(&e.id),
                format!("the event `{}` has no venue and is not online", e.id.value),
            )
            .help("add `venue: {name: …, city: …}` or `online: {platform: …}`");
        ok = false;
    }
    let tz = tz?;
    ok.then_some(Event {
        file: f.clone(),
        data: e,
        start,
        end,
        all_day,
        timezone,
        tz,
    })
}

/// Reference checks across the whole site: regions, projects, funds, organisations, pages.
fn validate_refs(
    site: &Site,
    cfg_src: &SourceText,
    indicators: &[(SourceText, IndicatorFile)],
    diags: &mut Diagnostics,
) {
    let project_keys: Vec<&str> = site.projects.iter().map(|p| p.key.as_str()).collect();
    let fund_keys: Vec<&str> = site.funds.keys().map(String::as_str).collect();
    let org_keys: Vec<&str> = site.orgs.keys().map(String::as_str).collect();
    let page_keys: Vec<&str> = site.pages.iter().map(|p| p.key.as_str()).collect();
    let lang_codes: Vec<&str> = site.langs.iter().map(|l| l.code.as_str()).collect();
    let region_keys: Vec<&str> = Region::keys().collect();

    let check = |diags: &mut Diagnostics,
                 src: &SourceText,
                 o: Origin,
                 key: &Spanned<String>,
                 known: &[&str],
                 what: &str,
                 file_hint: &str| {
        if !known.contains(&key.value.as_str()) {
            diags
                .error(
                    src,
                    o.pos_of(key),
                    format!("unknown {what} `{}`", key.value),
                )
                .help(format!(
                    "{}{}",
                    unknown_help(&format!("{what}s"), &key.value, known.iter().copied()),
                    file_hint
                ));
        }
    };
    let org_hint = " (organisations are defined in data/organisations.yaml)";
    let fund_hint = " (funds are defined in data/funds.yaml)";
    let project_hint = " (projects are the folders of content/projects)";
    let region_hint =
        " (regions are written with their Italian key, like lombardia or valle-d-aosta)";

    let cfg_o = Origin::FILE;
    for f in &site.config.funds {
        check(diags, cfg_src, cfg_o, f, &fund_keys, "fund", fund_hint);
    }
    check(
        diags,
        cfg_src,
        cfg_o,
        &site.config.privacy_page,
        &page_keys,
        "page",
        " (pages are the folders of content/pages)",
    );
    let acc = &site.config.accessibility_statement;
    if is_page_key(&acc.value) {
        check(
            diags,
            cfg_src,
            cfg_o,
            acc,
            &page_keys,
            "page",
            " (pages are the folders of content/pages; the statement can also be a full address starting with https://)",
        );
    }
    if let Some(p) = &site.config.publisher {
        check(
            diags,
            cfg_src,
            cfg_o,
            p,
            &org_keys,
            "organisation",
            org_hint,
        );
    }
    if let Some(m) = &site.config.map {
        let mut known: Vec<String> = vec!["projects".into(), "stories".into(), "events".into()];
        for (_, ind) in indicators {
            for f in &ind.figures {
                known.push(format!("{}/{}", ind.project.value, f.id));
            }
        }
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        check(
            diags,
            cfg_src,
            cfg_o,
            &m.figure,
            &known,
            "map figure",
            " (a count per region, or <project>/<figure id> from data/indicators)",
        );
    }

    if let Some(src) = &site.funds_src {
        for fund in site.funds.values() {
            for a in &fund.authorities {
                check(
                    diags,
                    src,
                    cfg_o,
                    &a.org,
                    &org_keys,
                    "organisation",
                    org_hint,
                );
            }
        }
    }

    for p in &site.projects {
        for d in p.docs.values() {
            let o = Origin { first_line: 2 };
            for f in &d.fm.funds {
                check(diags, &d.src, o, f, &fund_keys, "fund", fund_hint);
            }
            if let Some(l) = &d.fm.lead {
                check(diags, &d.src, o, l, &org_keys, "organisation", org_hint);
            }
            for pt in &d.fm.partners {
                check(
                    diags,
                    &d.src,
                    o,
                    &pt.org,
                    &org_keys,
                    "organisation",
                    org_hint,
                );
            }
            if let RegionSel::Some(list) = &d.fm.regions.value {
                for r in list {
                    check(diags, &d.src, o, r, &region_keys, "region", region_hint);
                }
            }
            let words = d.fm.summary.value.split_whitespace().count();
            if words > 100 {
                diags
                    .error(&d.src, o.pos_of(&d.fm.summary), format!("the summary has {words} words; the limit is 100"))
                    .help("shorten the summary: it is shown in lists and search results; the details belong in the text");
            }
            check_slug(d.fm.slug.as_ref(), &d.src, diags);
        }
    }
    let check_cover = |diags: &mut Diagnostics,
                       section: &str,
                       key: &str,
                       src: &SourceText,
                       img: &Option<Spanned<ImageFm>>| {
        let Some(img) = img else { return };
        let name = &img.value.src;
        let here: Vec<&str> = site
            .assets
            .iter()
            .filter(|a| a.section == section && a.key == key)
            .map(|a| a.name.as_str())
            .collect();
        if !here.contains(&name.value.as_str()) {
            diags
                .error(
                    src,
                    Origin { first_line: 2 }.pos_of(name),
                    format!("the picture `{}` is not in this story's folder", name.value),
                )
                .help(format!(
                    "put the picture beside the text, or correct the name; {}",
                    unknown_help("files here", &name.value, here.iter().copied())
                ));
        } else if !crate::picture_kind::is_raster(&name.value) {
            diags
                .error(
                    src,
                    Origin { first_line: 2 }.pos_of(name),
                    format!(
                        "`{}` is not a JPEG, PNG, WebP, GIF, TIFF or BMP picture",
                        name.value
                    ),
                )
                .help("save the picture as JPEG (photos) or PNG (drawings)");
        }
    };
    for s in &site.stories {
        for d in s.docs.values() {
            check_cover(diags, "stories", &s.key, &d.src, &d.fm.image);
            let o = Origin { first_line: 2 };
            check(
                diags,
                &d.src,
                o,
                &d.fm.project,
                &project_keys,
                "project",
                project_hint,
            );
            check(
                diags,
                &d.src,
                o,
                &d.fm.region,
                &region_keys,
                "region",
                region_hint,
            );
            check_slug(d.fm.slug.as_ref(), &d.src, diags);
        }
    }
    for n in &site.news {
        for d in n.docs.values() {
            check_cover(diags, "news", &n.key, &d.src, &d.fm.image);
            let o = Origin { first_line: 2 };
            for p in &d.fm.projects {
                check(diags, &d.src, o, p, &project_keys, "project", project_hint);
            }
            for r in &d.fm.regions {
                check(diags, &d.src, o, r, &region_keys, "region", region_hint);
            }
            check_slug(d.fm.slug.as_ref(), &d.src, diags);
        }
    }
    for p in &site.pages {
        for d in p.docs.values() {
            check_slug(d.fm.slug.as_ref(), &d.src, diags);
        }
    }
    for e in &site.events {
        let o = Origin::FILE;
        let f = &e.file;
        for p in &e.data.projects {
            check(diags, f, o, p, &project_keys, "project", project_hint);
        }
        for r in &e.data.regions {
            check(diags, f, o, r, &region_keys, "region", region_hint);
        }
        if let Some(org) = &e.data.organiser {
            check(diags, f, o, org, &org_keys, "organisation", org_hint);
        }
        for s in &e.data.programme {
            for sp in &s.speakers {
                if let Some(org) = &sp.org {
                    check(diags, f, o, org, &org_keys, "organisation", org_hint);
                }
            }
        }
        let line = e.data.id.referenced.line() as usize;
        check_langmap(&e.data.title, "title", f, line, &lang_codes, diags);
        let id = &e.data.id.value;
        if let Err(bad) = regions::check_segment(id) {
            diags
                .error(f, o.pos_of(&e.data.id), bad.message("the event id ", id))
                .help(bad.help());
        } else if let Some(l) = site.langs.iter().find(|l| &l.sections.calendar == id) {
            diags
                .error(
                    f,
                    o.pos_of(&e.data.id),
                    format!(
                        "the event id `{id}` is the name of the calendar file in {}",
                        l.name
                    ),
                )
                .help("give the event another id, for example with its place and year");
        }
    }
    for (src, ind) in indicators {
        let o = Origin::FILE;
        check(
            diags,
            src,
            o,
            &ind.project,
            &project_keys,
            "project",
            project_hint,
        );
        for fig in &ind.figures {
            for r in fig.regions.keys() {
                if !region_keys.contains(&r.as_str()) {
                    let pos = src
                        .find_key(1, &format!("{r}:"))
                        .unwrap_or(Pos::new(1, 1, 1));
                    diags
                        .error(src, pos, format!("unknown region `{r}`"))
                        .help(format!(
                            "{}{region_hint}",
                            unknown_help("regions", r, region_keys.iter().copied())
                        ));
                }
            }
        }
    }
}

fn check_slug(slug: Option<&Spanned<String>>, src: &SourceText, diags: &mut Diagnostics) {
    if let Some(s) = slug
        && let Err(bad) = regions::check_segment(&s.value)
    {
        diags
            .error(
                src,
                Origin { first_line: 2 }.pos_of(s),
                bad.message("", &s.value),
            )
            .help(bad.help());
    }
}
