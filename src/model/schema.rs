//! The shapes authors write: site.yaml, front matter and data files (SPEC §2 and appendix).
//!
//! Every struct refuses unknown keys, so a misspelt key is an error with "did you mean" rather
//! than a silently ignored line. References to other entities are `Spanned` so that a wrong
//! reference can be pointed at; they are checked in `model::validate`.

use std::collections::BTreeMap;

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::dates::FactDate;
use super::yaml::{DateText, LangMap, RegionSel};

pub type Key = Spanned<String>;

// ---------------------------------------------------------------- site.yaml

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub title: LangMap,
    #[serde(default)]
    pub tagline: Option<LangMap>,
    #[serde(default)]
    pub description: Option<LangMap>,
    /// The address the site is published at; checked by `weburl::check_base_url`.
    pub base_url: Spanned<String>,
    pub languages: Vec<LanguageFile>,
    /// The folder of themes/ whose templates, strings and static files the site uses
    /// (`default` when absent): see `ConfigFile::theme_name`, read before `load::theme`.
    #[serde(default)]
    pub theme: Option<String>,
    /// The funds named in the EU band and footer of every page.
    pub funds: Vec<Key>,
    /// URL of the accessibility statement (for Italian public bodies, the one published on
    /// AgID's form site), or a page key of this site.
    pub accessibility_statement: Spanned<String>,
    /// Key of the page holding the privacy notice.
    pub privacy_page: Key,
    pub feedback: Feedback,
    /// Organisation publishing the site: the author of articles in structured data.
    #[serde(default)]
    pub publisher: Option<Key>,
    /// Stories per page in the story list.
    #[serde(default)]
    pub stories_per_page: Option<usize>,
    /// Minify the HTML (with its inline CSS and JavaScript); on by default.
    #[serde(default)]
    pub minify: Option<bool>,
    /// Build the search index and the search page of every language; on by default.
    #[serde(default)]
    pub search: Option<bool>,
    /// The figure that shades the map of Italy on the regions page.
    #[serde(default)]
    pub map: Option<MapConfig>,
    /// The types of documents (by extension: pdf, odt, …) that texts may link to and the
    /// site publishes; pictures are always published re-encoded. See `model::bundle`.
    #[serde(default)]
    pub documents: Option<Vec<Spanned<String>>>,
    /// How the build looks after consents (`privacy: {expiry_warning_days: 60}`).
    #[serde(default)]
    pub privacy: Option<PrivacyConfig>,
    /// The editing admin at /admin/ (Decap CMS) and where it saves: see `src/admin/`.
    #[serde(default)]
    pub cms: Option<CmsConfig>,
    /// The files of `/opendata/` and their catalogue (`open_data: {licence: CC-BY-4.0}`):
    /// see `src/opendata/`.
    #[serde(default)]
    pub open_data: Option<OpenDataConfig>,
}

/// `open_data:` of site.yaml. Both keys are checked by `model::config` (`open_data`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenDataConfig {
    /// The licence of the published data: an SPDX id of `model::licences::LICENCES`, or the
    /// web address of another licence. CC-BY-4.0 when absent.
    #[serde(default)]
    pub licence: Option<Spanned<String>>,
    /// The publisher's identifier in the catalogue (for an Italian public body, its code in
    /// the Indice PA); the site's address when absent.
    #[serde(default)]
    pub publisher_id: Option<Spanned<String>>,
}

/// `cms:` of site.yaml: Decap CMS's backend block, e.g.
/// `{backend: {name: gitlab, repo: group/site, branch: main}}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CmsConfig {
    pub backend: CmsBackend,
}

/// The git hosts the admin can save to, as Decap CMS names them.
#[derive(Debug, Deserialize, Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum CmsBackendName {
    Gitlab,
    Github,
    Gitea,
}

/// The keys of Decap's backend block that Vetrina passes on (an allowlist: each is checked).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CmsBackend {
    pub name: CmsBackendName,
    /// `group/site`: the repository of the site on the git host.
    pub repo: Spanned<String>,
    /// The branch the admin saves to (`main` when absent).
    #[serde(default)]
    pub branch: Option<Spanned<String>>,
    /// The git host's API, for a self-hosted GitLab or Gitea (`https://git.example.org/api/v4`).
    #[serde(default)]
    pub api_root: Option<Spanned<String>>,
    /// The address of the OAuth server that signs staff in (GitLab: the GitLab instance).
    #[serde(default)]
    pub base_url: Option<Spanned<String>>,
    /// The OAuth path on `base_url` (GitLab: `oauth/authorize`).
    #[serde(default)]
    pub auth_endpoint: Option<Spanned<String>>,
    /// `pkce` (GitLab and Gitea, no server of your own needed) or `implicit`.
    #[serde(default)]
    pub auth_type: Option<Spanned<String>>,
    /// The OAuth application's id on the git host.
    #[serde(default)]
    pub app_id: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyConfig {
    /// A consent expiring within this many days is warned about by every check and build
    /// (60 by default).
    #[serde(default)]
    pub expiry_warning_days: Option<u32>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapConfig {
    /// `projects`, `stories` or `events` (counted per region), or `<project>/<figure id>`
    /// for a figure of data/indicators/<project>.yaml with per-region values.
    pub figure: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    pub email: Spanned<String>,
    #[serde(default)]
    pub url: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageFile {
    pub code: Key,
    pub name: String,
    #[serde(default)]
    pub dir: Option<Direction>,
    /// The CLDR locale for dates and numbers when it differs from the code (`en-GB` writes
    /// "13 July 2021", plain `en` "July 13, 2021").
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub sections: Option<SectionNames>,
}

#[derive(Debug, Deserialize, Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

/// Translated path segments of the sections (`progetti`, `projects`, `projets`).
#[derive(Debug, Deserialize, Serialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct SectionNames {
    pub projects: Option<String>,
    pub stories: Option<String>,
    pub news: Option<String>,
    pub events: Option<String>,
    pub regions: Option<String>,
    pub calendar: Option<String>,
    pub search: Option<String>,
    /// The open-data page: `dati`, `data`, `donnees`.
    pub data: Option<String>,
}

// ---------------------------------------------------------------- content

#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProjectStatus {
    Planned,
    Ongoing,
    Concluded,
    Mainstreamed,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectFm {
    pub title: String,
    #[serde(default)]
    pub acronym: Option<String>,
    #[schemars(with = "String")]
    pub summary: Spanned<String>,
    pub status: ProjectStatus,
    #[serde(default)]
    pub period: Option<Period>,
    #[serde(default)]
    #[schemars(with = "Vec<String>", extend("x-vetrina-ref" = "fund"))]
    pub funds: Vec<Key>,
    #[serde(default)]
    pub codes: Option<Codes>,
    #[serde(default)]
    #[schemars(with = "Option<String>", extend("x-vetrina-ref" = "organisation"))]
    pub lead: Option<Key>,
    #[serde(default)]
    pub partners: Vec<Partner>,
    #[schemars(with = "RegionSel")]
    pub regions: Spanned<RegionSel>,
    #[serde(default)]
    pub target_groups: Vec<String>,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub unit_cost: Option<UnitCost>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub website: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<DateText>")]
    pub updated: Option<Date>,
    #[serde(default)]
    #[schemars(with = "Option<DateText>")]
    pub verified: Option<Date>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub slug: Option<Key>,
    #[serde(default)]
    pub draft: bool,
}

#[derive(Debug, Deserialize, JsonSchema, Serialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Period {
    #[serde(default)]
    #[schemars(with = "Option<DateText>")]
    pub start: Option<Date>,
    #[serde(default)]
    #[schemars(with = "Option<DateText>")]
    pub end: Option<Date>,
}

#[derive(Debug, Deserialize, JsonSchema, Serialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Codes {
    #[serde(default)]
    pub prog: Option<String>,
    #[serde(default)]
    pub cup: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Lead,
    Partner,
    Adhering,
    Promoter,
    Implementer,
    DelegatedAuthority,
    ResponsibleAuthority,
    ManagingAuthority,
}

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Partner => "partner",
            Role::Adhering => "adhering",
            Role::Promoter => "promoter",
            Role::Implementer => "implementer",
            Role::DelegatedAuthority => "delegated-authority",
            Role::ResponsibleAuthority => "responsible-authority",
            Role::ManagingAuthority => "managing-authority",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    #[schemars(with = "String", extend("x-vetrina-ref" = "organisation"))]
    pub org: Key,
    pub role: Role,
}

#[derive(Debug, Deserialize, JsonSchema, Serialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct UnitCost {
    pub amount: f64,
    pub currency: String,
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StoryKind {
    Participant,
    Host,
    Operator,
    Partner,
}

#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Faces {
    #[default]
    None,
    Consented,
    Blurred,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageFm {
    #[schemars(with = "String", extend("x-vetrina-widget" = "image"))]
    pub src: Spanned<String>,
    /// Required by the privacy and accessibility rules (`model::privacy`), which say so at
    /// the picture's line: optional only for the parser.
    #[serde(default)]
    #[schemars(with = "Option<String>", extend("x-vetrina-required" = true))]
    pub alt: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<Faces>")]
    pub faces: Option<Spanned<Faces>>,
    #[serde(default)]
    pub caption: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Identifiability {
    Named,
    FirstName,
    Pseudonym,
    Anonymous,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonFm {
    #[schemars(with = "String")]
    pub display_name: Spanned<String>,
    #[schemars(with = "Identifiability")]
    pub identifiability: Spanned<Identifiability>,
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    pub minor: Option<Spanned<bool>>,
}

#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GivenBy {
    #[serde(rename = "self")]
    Myself,
    Parent,
    Guardian,
}

#[derive(
    Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord,
)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    Web,
    Social,
    Print,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // reference and date: required on record, never published
pub struct ConsentFm {
    pub reference: String,
    #[schemars(with = "DateText")]
    pub date: Date,
    #[schemars(with = "GivenBy")]
    pub given_by: Spanned<GivenBy>,
    pub scope: Vec<Scope>,
    #[serde(default)]
    #[schemars(with = "Option<DateText>")]
    pub expires: Option<Spanned<Date>>,
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    pub withdrawn: Option<Spanned<bool>>,
    /// The day the withdrawal was recorded (`vetrina takedown` writes it).
    #[serde(default)]
    #[schemars(with = "Option<DateText>")]
    pub withdrawn_on: Option<Date>,
    /// Why the consent was withdrawn, for the register; never published.
    #[serde(default)]
    pub withdrawal_reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StoryFm {
    pub title: String,
    #[schemars(with = "DateText")]
    pub date: Date,
    #[schemars(with = "StoryKind")]
    pub kind: Spanned<StoryKind>,
    #[schemars(with = "String", extend("x-vetrina-ref" = "project"))]
    pub project: Key,
    #[schemars(with = "String", extend("x-vetrina-ref" = "region"))]
    pub region: Key,
    #[serde(default)]
    pub themes: Vec<String>,
    pub summary: String,
    #[serde(default)]
    #[schemars(with = "Option<ImageFm>")]
    pub image: Option<Spanned<ImageFm>>,
    #[serde(default)]
    #[schemars(with = "Option<PersonFm>")]
    pub person: Option<Spanned<PersonFm>>,
    #[serde(default)]
    #[schemars(with = "Option<ConsentFm>")]
    pub consent: Option<Spanned<ConsentFm>>,
    #[serde(default)]
    pub example: bool,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub slug: Option<Key>,
    #[serde(default)]
    #[schemars(with = "Option<DateText>")]
    pub updated: Option<Date>,
    #[serde(default)]
    pub draft: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewsFm {
    pub title: String,
    /// The day, or the month when the day is not known (`2023-03`).
    pub date: FactDate,
    pub summary: String,
    #[serde(default)]
    #[schemars(with = "Vec<String>", extend("x-vetrina-ref" = "region"))]
    pub regions: Vec<Key>,
    #[serde(default)]
    #[schemars(with = "Vec<String>", extend("x-vetrina-ref" = "project"))]
    pub projects: Vec<Key>,
    #[serde(default)]
    #[schemars(with = "Option<ImageFm>")]
    pub image: Option<Spanned<ImageFm>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub slug: Option<Key>,
    #[serde(default)]
    #[schemars(with = "Option<DateText>")]
    pub updated: Option<Date>,
    #[serde(default)]
    pub draft: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageFm {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub slug: Option<Key>,
    #[serde(default)]
    #[schemars(with = "Option<DateText>")]
    pub updated: Option<Date>,
    #[serde(default)]
    pub draft: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HomeFm {
    pub title: String,
    /// The home page's description for search engines and link previews.
    #[serde(default)]
    pub summary: Option<String>,
}

// ---------------------------------------------------------------- data

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FundFile {
    pub name: LangMap,
    #[serde(default)]
    pub short: Option<LangMap>,
    pub statement: LangMap,
    pub eu: bool,
    #[serde(default)]
    pub authorities: Vec<Partner>,
}

#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrgKind {
    PublicBody,
    Company,
    Cooperative,
    Association,
    School,
    Consortium,
    Foundation,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgFile {
    pub name: String,
    #[serde(default)]
    pub short: Option<String>,
    #[allow(dead_code)] // validated now; structured data (JSON-LD) will use it
    pub kind: OrgKind,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub website: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<LangMap>,
}

#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    FocusGroup,
    Seminar,
    Webinar,
    Conference,
    Workshop,
    Meeting,
}

#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum EventStatus {
    #[default]
    Scheduled,
    Cancelled,
    Postponed,
    MovedOnline,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventFile {
    #[schemars(with = "String")]
    pub id: Key,
    pub kind: EventKind,
    pub title: LangMap,
    #[serde(default)]
    pub summary: Option<LangMap>,
    #[schemars(with = "String", extend("x-vetrina-widget" = "datetime"))]
    pub start: Spanned<String>,
    #[serde(default)]
    #[schemars(with = "Option<String>", extend("x-vetrina-widget" = "datetime"))]
    pub end: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub timezone: Option<Spanned<String>>,
    #[serde(default)]
    pub status: EventStatus,
    #[serde(default)]
    #[schemars(with = "Vec<String>", extend("x-vetrina-ref" = "region"))]
    pub regions: Vec<Key>,
    #[serde(default)]
    #[schemars(with = "Vec<String>", extend("x-vetrina-ref" = "project"))]
    pub projects: Vec<Key>,
    #[serde(default)]
    pub venue: Option<Venue>,
    #[serde(default)]
    pub online: Option<Online>,
    #[serde(default)]
    #[schemars(with = "Option<String>", extend("x-vetrina-ref" = "organisation"))]
    pub organiser: Option<Key>,
    #[serde(default)]
    pub programme: Vec<Session>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub registration: Option<Spanned<String>>,
    /// When the event's details were last changed: the calendars' DTSTAMP.
    #[serde(default)]
    #[schemars(with = "Option<DateText>")]
    pub updated: Option<Date>,
    /// Raise by one each time the date, time or place of an announced event changes, so that
    /// calendar apps replace their copy (iCalendar SEQUENCE).
    #[serde(default)]
    pub sequence: u32,
}

#[derive(Debug, Deserialize, JsonSchema, Serialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Venue {
    pub name: String,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema, Serialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Online {
    pub platform: String,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Session {
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub time: Option<Spanned<String>>,
    pub title: LangMap,
    #[serde(default)]
    pub speakers: Vec<Speaker>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    pub role: LangMap,
    #[serde(default)]
    #[schemars(with = "Option<String>", extend("x-vetrina-ref" = "organisation"))]
    pub org: Option<Key>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorFile {
    #[schemars(with = "String", extend("x-vetrina-ref" = "project"))]
    pub project: Key,
    #[schemars(with = "DateText")]
    pub as_of: Date,
    pub source: LangMap,
    #[serde(default)]
    pub illustrative: bool,
    pub figures: Vec<FigureFile>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FigureFile {
    pub id: String,
    pub label: LangMap,
    #[serde(default)]
    pub unit: Option<LangMap>,
    #[serde(default)]
    pub total: Option<f64>,
    #[serde(default)]
    pub regions: BTreeMap<String, f64>,
    /// Per-region values with no published source are shown as illustrative.
    #[serde(default)]
    pub regions_illustrative: bool,
}
