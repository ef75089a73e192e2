//! The `Site` and its entities: what `build` hands on, typed, validated and then only read.
//! Plain data with small lookups; nothing here validates or touches the disk.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use jiff::civil::Date;

use super::event::Event;
use super::schema::*;
use crate::diag::SourceText;
use crate::load::Asset;

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
    /// The page describing the open data: `dati`, `data`.
    pub data: String,
}

impl Sections {
    /// The English segments, used by a language that configures none.
    pub(super) fn english() -> Self {
        Sections {
            projects: "projects".into(),
            stories: "stories".into(),
            news: "news".into(),
            events: "events".into(),
            regions: "regions".into(),
            calendar: "calendar".into(),
            search: "search".into(),
            data: "data".into(),
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
    /// The prints of its file's text (`load::text_prints`), made once per file read and
    /// shared with the file it was read from (`load::ContentFile::prints`): the source
    /// snapshot keeps them, so that an unchanged file is not read to know them.
    pub prints: Arc<OnceLock<crate::load::TextPrints>>,
}

impl<T> Doc<T> {
    /// The Markdown text after the front matter.
    pub fn body(&self) -> &str {
        &self.src.text[self.body_offset..]
    }

    /// The prints of its file's text (see `load::TextPrints`).
    pub fn prints(&self) -> crate::load::TextPrints {
        *(self.prints).get_or_init(|| {
            crate::load::text_prints(&self.src.path, &self.src.text, self.body_offset)
        })
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

    /// The site's host name (`vetrina.example.org`), for calendar UIDs, feed tag URIs and
    /// the open data's publisher.
    pub fn host(&self) -> &str {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        rest.split('/').next().unwrap_or(rest)
    }
}
