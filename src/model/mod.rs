//! Model: turn the loaded sources into a typed, validated, immutable `Site`.
//!
//! Everything an author can get wrong is found here and reported with its file and line:
//! YAML shape, unknown keys, bad dates, web addresses that could carry script or lead
//! nowhere (see `weburl`), references to unknown regions, projects, funds and
//! organisations, and the privacy rules of SPEC §6. Validation never stops at the first error.
//! Nothing here touches the disk.
//!
//! This file is the entry: `config` reads site.yaml (first, because it names the theme that
//! `load` reads next), `build` the rest. The entities are in `site`, site.yaml's settings in
//! `config`, calendars in `event`, the checks between entities in `refs`, the consent rules
//! in `privacy`; what the last `vetrina build` parsed of each front matter, in
//! `parse_cache`.

mod bodies_only;
pub mod bundle;
mod config;
pub mod dates;
mod event;
pub(crate) mod licences;
pub mod parse_cache;
pub mod privacy;
mod refs;
pub mod regions;
pub mod schema;
mod site;
#[cfg(test)]
pub(crate) mod testing;
pub mod yaml;

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::diag::{Diagnostics, unknown_help};
use crate::load::{ContentFile, Sources};
use crate::weburl::Schemes;
use schema::*;
use yaml::{Origin, parse};

pub use config::check_langmap;
use config::{base_url, config_addresses, languages, web_address};
pub(crate) use config::{config, config_from_text, config_memo};
pub use event::Event;
pub use parse_cache::ParseCache;
use parse_cache::Remembered;
pub use site::{Doc, Entity, Language, Site, TakenDown};

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
    /// site.yaml's text, its settings and what reading them reported.
    config: Option<(String, Option<ConfigFile>, Diagnostics)>,
    /// The site of the last build, handed back once rendered (`keep_site`), for a build in
    /// which only bodies changed (see `bodies_only`).
    last: Option<bodies_only::LastSite>,
    /// The print of what the site just built was made from, when building it reported
    /// nothing: only such a site is kept.
    pending: Option<blake3::Hash>,
}

impl Memo {
    /// Keeps the site the last `build` made (after it was rendered), if it may be taken by
    /// the next build.
    pub fn keep_site(&mut self, site: Site) {
        if let Some(inputs) = self.pending.take() {
            self.last = Some(bodies_only::LastSite { site, inputs });
        }
    }
}

impl Memo {
    /// Takes the files whose texts `load`'s memo let go (`load::Memo::release_texts`): each
    /// document read from one of them, in this memo and in the kept site, is replaced by the
    /// same document over the file's new text, so that no text is held by both.
    pub fn release_texts(&mut self, released: &crate::load::Released) {
        if released.is_empty() {
            return;
        }
        let mut docs = ReleasedDocs::default();
        for (cf, parsed, _) in &mut self.docs {
            let Some(new) = released.get(&(Arc::as_ptr(cf) as usize)) else {
                continue;
            };
            *cf = new.clone();
            match parsed {
                ParsedDoc::Home(_, d) => *d = docs.home.over(d, new),
                ParsedDoc::Project(_, d) => *d = docs.projects.over(d, new),
                ParsedDoc::Story(_, d) => *d = docs.stories.over(d, new),
                ParsedDoc::News(_, d) => *d = docs.news.over(d, new),
                ParsedDoc::Page(_, d) => *d = docs.pages.over(d, new),
                ParsedDoc::Failed => {}
            }
        }
        if let Some(last) = &mut self.last {
            let site = &mut last.site;
            docs.home.swap_in(site.home.iter_mut());
            docs.projects.swap_in(site.projects.iter_mut());
            docs.stories.swap_in(site.stories.iter_mut());
            docs.news.swap_in(site.news.iter_mut());
            docs.pages.swap_in(site.pages.iter_mut());
        }
    }

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

/// Builds the `Site` from the sources and their site.yaml (as `config` read it), or reports
/// every problem found.
pub fn build(
    src: Sources,
    config: ConfigFile,
    opts: &ModelOptions,
    diags: &mut Diagnostics,
    memo: Option<&mut Memo>,
    cache: Option<&mut ParseCache>,
) -> Option<Site> {
    let Some(cache) = cache else {
        return build_with(src, config, opts, diags, memo, None);
    };
    if !cache.has_past() {
        return build_with(src, config, opts, diags, memo, Some(cache));
    }
    // Front matters taken from the cache have lost the places of their values, which a
    // message points at: when there is anything to report, the site is built again from
    // the files alone.
    let mut reported = Diagnostics::new();
    let site = build_with(
        src.clone(),
        config.clone(),
        opts,
        &mut reported,
        None,
        Some(&mut *cache),
    );
    if reported.is_empty() || cache.taken == 0 {
        diags.extend(reported);
        return site;
    }
    cache.forget_past();
    build_with(src, config, opts, diags, memo, Some(cache))
}

fn build_with(
    src: Sources,
    mut config: ConfigFile,
    opts: &ModelOptions,
    diags: &mut Diagnostics,
    mut memo: Option<&mut Memo>,
    cache: Option<&mut ParseCache>,
) -> Option<Site> {
    let reported_before = diags.len();
    let cfg_src = src.config.as_ref()?;
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

    // `vetrina serve`, after an edit of Markdown texts only: the last site, updated.
    let inputs = memo
        .is_some()
        .then(|| bodies_only::inputs_print(&src, opts));
    if let Some(m) = memo.as_deref_mut() {
        m.pending = None;
        if let (Some(last), Some(inputs)) = (m.last.take(), inputs)
            && last.inputs == inputs
            && let Some(site) = bodies_only::update(last, &src, m, &lang_codes)
        {
            m.pending = Some(inputs);
            return Some(site);
        }
    }

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
    let past = cache.as_deref();
    // (parsed, diagnostics, whether the memo holds it at the same place, what it leaves
    // in the parse cache)
    let mut parsed: Vec<(ParsedDoc, Diagnostics, bool, Remembered)> = src
        .content
        .par_iter()
        .enumerate()
        .map(|(i, cf)| {
            if let Some(hit) = old.and_then(|m| m.get(i, cf)) {
                let aligned = old
                    .and_then(|m| m.docs.get(i))
                    .is_some_and(|x| std::ptr::eq(x, hit));
                return (hit.1.clone(), hit.2.clone(), aligned, Remembered::Nothing);
            }
            let mut d = Diagnostics::new();
            let (doc, remembered) = parse_doc(cf, &lang_codes, &mut d, past);
            (doc, d, false, remembered)
        })
        .collect();
    if let Some(c) = cache {
        c.taken = (parsed.iter())
            .filter(|p| matches!(p.3, Remembered::Taken(_)))
            .count();
        c.next = (parsed.iter_mut())
            .map(|p| std::mem::replace(&mut p.3, Remembered::Nothing))
            .collect();
    }
    if let Some(m) = memo.as_deref_mut() {
        let same_files = m.docs.len() == src.content.len()
            && had_memo
            && m.langs
                .iter()
                .map(String::as_str)
                .eq(lang_codes.iter().copied());
        if same_files {
            // The same files as last time, some of them edited: only those are replaced.
            for (i, (cf, (doc, d, aligned, _))) in src.content.iter().zip(&parsed).enumerate() {
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
                .map(|(cf, (doc, d, ..))| (cf.clone(), doc.clone(), d.clone()))
                .collect();
        }
    }
    let mut home = None;
    let mut projects = Vec::new();
    let mut stories = Vec::new();
    let mut news = Vec::new();
    let mut pages = Vec::new();
    for (doc, d, ..) in parsed {
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

    let events = event::events(&src.events, diags);

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

    refs::check(&site, cfg_src, &indicators, diags);
    site.indicators = indicators.into_iter().map(|(_, i)| i).collect();
    privacy::check(&mut site, diags);
    let documents = bundle::document_types(&site.config, cfg_src, diags);
    bundle::keep_linked(&mut site, &documents, diags);
    if let Some(m) = memo {
        m.pending = inputs.filter(|_| diags.len() == reported_before);
    }
    Some(site)
}

/// The documents made again over files whose texts were let go, by the address of the
/// document each replaces; one table per kind of front matter.
#[derive(Default)]
struct ReleasedDocs {
    home: DocsOver<HomeFm>,
    projects: DocsOver<ProjectFm>,
    stories: DocsOver<StoryFm>,
    news: DocsOver<NewsFm>,
    pages: DocsOver<PageFm>,
}

struct DocsOver<T>(rustc_hash::FxHashMap<usize, Arc<Doc<T>>>);

impl<T> Default for DocsOver<T> {
    fn default() -> Self {
        DocsOver(Default::default())
    }
}

impl<T: Clone> DocsOver<T> {
    /// `doc` over the text of `cf` (the file it was read from, its text let go), made once.
    fn over(&mut self, doc: &Arc<Doc<T>>, cf: &ContentFile) -> Arc<Doc<T>> {
        let made = self.0.entry(Arc::as_ptr(doc) as usize).or_insert_with(|| {
            Arc::new(Doc {
                lang: doc.lang.clone(),
                fm: doc.fm.clone(),
                body_offset: doc.body_offset,
                src: cf.src.clone(),
                prints: doc.prints.clone(),
            })
        });
        made.clone()
    }

    /// Puts the documents made again in place of those they replace in `entities`.
    fn swap_in<'e>(&self, entities: impl Iterator<Item = &'e mut Entity<T>>)
    where
        T: 'e,
    {
        for e in entities {
            for doc in e.docs.values_mut() {
                if let Some(new) = self.0.get(&(Arc::as_ptr(doc) as usize)) {
                    *doc = new.clone();
                }
            }
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

/// The front matter of `cf` parsed, or taken from the last build's `cache` (when given);
/// with what it leaves in the cache for the next build.
fn parse_doc(
    cf: &ContentFile,
    langs: &[&str],
    diags: &mut Diagnostics,
    cache: Option<&ParseCache>,
) -> (ParsedDoc, Remembered) {
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
        return (ParsedDoc::Failed, Remembered::Nothing);
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
        return (ParsedDoc::Failed, Remembered::Nothing);
    }
    let origin = Origin {
        first_line: cf.fm_line,
    };
    macro_rules! doc {
        ($variant:ident, $ty:ty) => {
            doc!($variant, $ty, |_: &mut $ty, _: &mut Diagnostics| {})
        };
        ($variant:ident, $ty:ty, $addresses:expr) => {{
            let doc = |fm: $ty| {
                ParsedDoc::$variant(
                    cf.key.clone(),
                    Arc::new(Doc {
                        lang: cf.lang.clone(),
                        fm,
                        body_offset: cf.body_offset,
                        src: cf.src.clone(),
                        prints: cf.prints.clone(),
                    }),
                )
            };
            // The cache replaces the YAML parse only: the checks that follow it (a
            // project's web address) run on every front matter, taken or parsed.
            let key = cache.map(|_| parse_cache::key(&cf.prints()));
            let taken = (cache.zip(key.as_ref()))
                .and_then(|(c, k)| c.get(k))
                .and_then(parse_cache::read::<$ty>);
            let (fm, remembered) = match (taken, key) {
                (Some(fm), Some(key)) => (Some(fm), Remembered::Taken(key)),
                (_, key) => {
                    let before = diags.len();
                    let fm = parse::<$ty>(&cf.src, cf.front_matter(), origin, diags);
                    let remembered = match (&fm, key) {
                        (Some(fm), Some(key)) if diags.len() == before => parse_cache::write(fm)
                            .map_or(Remembered::Nothing, |json| Remembered::Parsed(key, json)),
                        _ => Remembered::Nothing,
                    };
                    (fm, remembered)
                }
            };
            match fm {
                Some(mut fm) => {
                    $addresses(&mut fm, &mut *diags);
                    (doc(fm), remembered)
                }
                None => (ParsedDoc::Failed, Remembered::Nothing),
            }
        }};
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
        _ => (ParsedDoc::Failed, Remembered::Nothing),
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
