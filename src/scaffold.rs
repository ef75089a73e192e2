//! Scaffolding: `vetrina new` and `vetrina init`.
//!
//! `new_content` writes a new story, project sheet, news item or page where the site expects
//! it (`content/<section>/<slug>/index.<lang>.md`), or appends a new event to a calendar of
//! `data/events/`. Every required key is either filled in or marked for the author, and every
//! mark makes `vetrina check` fail with a clear error until it is replaced:
//!
//! - a value the schema reads as a word from a list, a date or a reference to something else
//!   of the site (`kind`, `status`, `date`, `project`, `region`, `funds`, …) is written `TODO`:
//!   the check says that `TODO` is not an allowed value, not a date, or not a known project;
//! - a required text (`summary`, a consent's `reference`, a person's `display_name`) cannot
//!   be refused by the check if it holds a placeholder, so its line is written commented out,
//!   starting with `#TODO `: the check says that the required key is missing until the author
//!   writes the text and removes the `#TODO `.
//!
//! `init` creates a small site that builds and checks clean, with the default theme, which is
//! embedded in the binary (`DEFAULT_THEME`).
//!
//! Nothing here ever overwrites a file: new files are created with `create_new`, and a
//! calendar is only ever appended to, so its existing text stays byte for byte as it was.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Deserialize;

use crate::diag::did_you_mean;
use crate::model::regions::{REGIONS, Region, slug_of, slugify};

/// What `vetrina new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    Story,
    Project,
    News,
    Page,
    Event,
}

impl NewKind {
    pub const ALL: [NewKind; 5] = [
        NewKind::Story,
        NewKind::Project,
        NewKind::News,
        NewKind::Page,
        NewKind::Event,
    ];

    /// The word used on the command line: `story`, `project`, `news`, `page`, `event`.
    pub fn as_str(self) -> &'static str {
        match self {
            NewKind::Story => "story",
            NewKind::Project => "project",
            NewKind::News => "news",
            NewKind::Page => "page",
            NewKind::Event => "event",
        }
    }

    /// The folder under `content/` (events live in `data/events/`).
    fn section(self) -> &'static str {
        match self {
            NewKind::Story => "stories",
            NewKind::Project => "projects",
            NewKind::News => "news",
            NewKind::Page => "pages",
            NewKind::Event => "events",
        }
    }

    /// "story", "project sheet", "news item", … as a sentence names it.
    fn noun(self) -> &'static str {
        match self {
            NewKind::Story => "story",
            NewKind::Project => "project sheet",
            NewKind::News => "news item",
            NewKind::Page => "page",
            NewKind::Event => "event",
        }
    }
}

impl std::fmt::Display for NewKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for NewKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim().to_lowercase();
        if let Some(k) = NewKind::ALL.iter().find(|k| k.as_str() == s) {
            return Ok(*k);
        }
        // The section names are natural too: `vetrina new stories …`.
        if let Some(k) = NewKind::ALL.iter().find(|k| k.section() == s) {
            return Ok(*k);
        }
        let names = NewKind::ALL.map(NewKind::as_str);
        Err(match did_you_mean(&s, names) {
            Some(m) => format!(
                "`{s}` is not something Vetrina can create: did you mean `{m}`? (one of: {})",
                names.join(", ")
            ),
            None => format!(
                "`{s}` is not something Vetrina can create: write one of {}",
                names.join(", ")
            ),
        })
    }
}

/// What `vetrina new` was asked for.
#[derive(Debug, Clone)]
pub struct NewOptions {
    /// The site folder (holding site.yaml).
    pub root: PathBuf,
    pub kind: NewKind,
    pub title: String,
    /// The language of the new text; the site's default language (the first in site.yaml) if
    /// not given.
    pub lang: Option<String>,
    /// A region key (`lombardia`); not for pages.
    pub region: Option<String>,
    /// A project key (the folder name in content/projects); not for projects and pages.
    pub project: Option<String>,
    /// The date written as the new content's date (and `updated`).
    pub today: Date,
}

/// Creates the file; returns the path written (relative to root) and a list of the values the
/// author must still fill in (human sentences), or an error message that tells the author how
/// to fix it.
pub fn new_content(o: &NewOptions) -> Result<(PathBuf, Vec<String>), String> {
    let site = SiteInfo::read(&o.root)?;
    let lang = site.lang(o.lang.as_deref())?;
    let title = o.title.trim();
    if title.is_empty() {
        return Err(format!(
            "the new {} needs a title: write it after the command, in quotes, for example `vetrina new {} \"Dal tirocinio al contratto\"`",
            o.kind.noun(),
            o.kind
        ));
    }
    if title.contains(['\n', '\r']) {
        return Err("the title must be on one line".to_string());
    }
    let slug = slug_of(title);
    if slug.is_empty() {
        return Err(format!(
            "the title `{title}` gives no name for the {}'s folder or address: use a title with some letters or digits",
            o.kind.noun()
        ));
    }
    match o.kind {
        NewKind::Page if o.region.is_some() || o.project.is_some() => {
            return Err(
                "a page belongs to no region or project: leave out --region and --project"
                    .to_string(),
            );
        }
        NewKind::Project if o.project.is_some() => {
            return Err("--project names the project of a story, news item or event; a new project sheet takes its folder name from its title: leave out --project".to_string());
        }
        _ => {}
    }
    let region = o.region.as_deref().map(check_region).transpose()?;
    let project = o
        .project
        .as_deref()
        .map(|p| site.check_project(p))
        .transpose()?;
    let ctx = Ctx {
        site: &site,
        lang: &lang,
        title,
        region: region.as_deref(),
        project: project.as_deref(),
        today: o.today,
    };
    if o.kind == NewKind::Event {
        return new_event(&o.root, &ctx, &slug);
    }

    let rel = PathBuf::from("content")
        .join(o.kind.section())
        .join(&slug)
        .join(format!("index.{lang}.md"));
    let path = o.root.join(&rel);
    if path.exists() {
        return Err(format!(
            "{} already exists, and Vetrina never overwrites a file: edit that file, or choose another title",
            rel.display()
        ));
    }
    let doc = match o.kind {
        NewKind::Story => story(&ctx),
        NewKind::Project => project_sheet(&ctx),
        NewKind::News => news(&ctx),
        NewKind::Page => page(&ctx),
        NewKind::Event => unreachable!("events are appended to a calendar above"),
    };
    let text = doc.text("\n");
    if let Some(dir) = path.parent() {
        crate::load::inside_site_folder(&o.root, dir)?;
        fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the folder {}: {e}", rel_parent(&rel)))?;
    }
    write_new(&path, text.as_bytes()).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => format!(
            "{} already exists, and Vetrina never overwrites a file: edit that file, or choose another title",
            rel.display()
        ),
        _ => format!("cannot write {}: {e}", rel.display()),
    })?;
    Ok((rel, doc.notes(0)))
}

fn rel_parent(rel: &Path) -> String {
    rel.parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

/// Creates a file that must not exist yet.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)?;
    f.flush()
}

// ---------------------------------------------------------------- the site being added to

/// What `new` needs to know about the site: its languages and what can be referred to.
struct SiteInfo {
    langs: Vec<String>,
    projects: Vec<String>,
    funds: Vec<String>,
    /// The calendar file name of each language (`calendario`, `calendar`): no event id.
    calendar_names: Vec<String>,
}

#[derive(Deserialize)]
struct LiteConfig {
    #[serde(default)]
    languages: Vec<LiteLang>,
}

#[derive(Deserialize)]
struct LiteLang {
    code: String,
    #[serde(default)]
    sections: Option<LiteSections>,
}

#[derive(Deserialize)]
struct LiteSections {
    #[serde(default)]
    calendar: Option<String>,
}

impl SiteInfo {
    fn read(root: &Path) -> Result<SiteInfo, String> {
        let cfg = root.join("site.yaml");
        if !cfg.is_file() {
            return Err(format!(
                "{} has no site.yaml, so it is not a Vetrina site: run the command in the site's folder, give it with --root DIR, or create a new site with `vetrina init DIR`",
                display_dir(root)
            ));
        }
        let text = crate::load::read_site_file(root, &cfg)?;
        let text = text.as_str();
        let lite: LiteConfig = serde_saphyr::from_str(text).map_err(|e| {
            format!(
                "cannot read the languages in site.yaml ({}): run `vetrina check` to see what to fix",
                e.without_snippet()
            )
        })?;
        let calendar_names = lite
            .languages
            .iter()
            .map(|l| {
                l.sections
                    .as_ref()
                    .and_then(|s| s.calendar.clone())
                    .filter(|c| !c.is_empty())
                    .unwrap_or_else(|| "calendar".to_string())
            })
            .collect();
        let langs: Vec<String> = lite.languages.into_iter().map(|l| l.code).collect();
        if langs.is_empty() {
            return Err("site.yaml lists no languages: add at least one, for example `languages: [{code: it, name: Italiano}]`".to_string());
        }
        let projects = folders(&root.join("content").join("projects"));
        let funds = crate::load::read_site_file(root, &root.join("data").join("funds.yaml"))
            .ok()
            .and_then(|t| {
                serde_saphyr::from_str::<BTreeMap<String, serde::de::IgnoredAny>>(&t).ok()
            })
            .map(|m| m.into_keys().collect())
            .unwrap_or_default();
        Ok(SiteInfo {
            langs,
            projects,
            funds,
            calendar_names,
        })
    }

    /// The language asked for, checked against site.yaml, or the default language.
    fn lang(&self, asked: Option<&str>) -> Result<String, String> {
        let Some(l) = asked else {
            return Ok(self.langs[0].clone());
        };
        let l = l.trim().to_lowercase();
        if self.langs.contains(&l) {
            return Ok(l);
        }
        let list = self.langs.join(", ");
        Err(
            match did_you_mean(&l, self.langs.iter().map(String::as_str)) {
                Some(m) => format!(
                    "`{l}` is not one of the site's languages: did you mean `{m}`? (site.yaml lists {list})"
                ),
                None => format!(
                    "`{l}` is not one of the site's languages: site.yaml lists {list}; to write in a new language, add it to `languages` in site.yaml first"
                ),
            },
        )
    }

    /// A project key, checked against the folders of content/projects.
    fn check_project(&self, p: &str) -> Result<String, String> {
        let p = p.trim();
        if self.projects.iter().any(|k| k == p) {
            return Ok(p.to_string());
        }
        let s = slugify(p);
        if self.projects.contains(&s) {
            return Ok(s);
        }
        let hint = "(projects are the folders of content/projects)";
        Err(
            match did_you_mean(p, self.projects.iter().map(String::as_str)) {
                Some(m) => format!("unknown project `{p}`: did you mean `{m}`? {hint}"),
                None if self.projects.is_empty() => format!(
                    "unknown project `{p}`: the site has no project yet {hint}; create one first with `vetrina new project \"Its title\"`"
                ),
                None => format!(
                    "unknown project `{p}`: the site's projects are {} {hint}",
                    self.projects.join(", ")
                ),
            },
        )
    }
}

fn display_dir(root: &Path) -> String {
    let s = root.display().to_string();
    if s.is_empty() || s == "." {
        "this folder".to_string()
    } else {
        format!("the folder {s}")
    }
}

/// The sub-folders of `dir`, sorted (none if it does not exist).
fn folders(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// A region key, checked against the built-in registry. A name written differently
/// (`Lombardia`, `Valle d'Aosta`) is accepted as its key; a name in another language
/// (`lombardy`) or a misspelling gets a "did you mean".
fn check_region(r: &str) -> Result<String, String> {
    let r = r.trim();
    let s = slugify(r);
    if Region::get(&s).is_some() {
        return Ok(s);
    }
    let by_name = REGIONS.iter().find(|reg| {
        ["it", "en", "fr", "de", "ar"].iter().any(|l| {
            reg.slug(l) == s
                || slugify(reg.name(l)) == s
                || reg.name(l).split('/').any(|n| slugify(n) == s)
        })
    });
    let hint = "(regions are written with their Italian key, like lombardia or valle-d-aosta)";
    let suggestion = by_name
        .map(|reg| reg.key.to_string())
        .or_else(|| did_you_mean(r, Region::keys()));
    Err(match suggestion {
        Some(m) => format!("unknown region `{r}`: did you mean `{m}`? {hint}"),
        None => format!(
            "unknown region `{r}` {hint}; the regions are: {}",
            Region::keys().collect::<Vec<_>>().join(", ")
        ),
    })
}

// ---------------------------------------------------------------- templates

/// Everything a template needs.
struct Ctx<'a> {
    site: &'a SiteInfo,
    lang: &'a str,
    title: &'a str,
    region: Option<&'a str>,
    project: Option<&'a str>,
    today: Date,
}

impl Ctx<'_> {
    fn projects_hint(&self) -> String {
        list_hint(&self.site.projects)
    }
}

/// ": a, b, c" (shortened when long), or "" when the list is empty.
fn list_hint(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1..=6 => format!(": {}", items.join(", ")),
        n => format!(": {}, … ({n} in all)", items[..5].join(", ")),
    }
}

/// The lines of a new file, and the notes on the lines the author must fill in.
#[derive(Default)]
struct Doc {
    lines: Vec<String>,
    /// (0-based line index, what to do).
    todos: Vec<(usize, String)>,
    /// What to write below the front matter, if anything (shown after the line notes).
    body_note: Option<String>,
}

impl Doc {
    /// A Markdown document's front matter, opened with the convention header and the title.
    fn front_matter(title: &str) -> Doc {
        let mut d = Doc::default();
        d.line("---", "");
        d.line(HEADER_1, "");
        d.line(HEADER_2, "");
        d.line(&format!("title: {}", quoted(title)), "");
        d
    }

    /// Closes the front matter; `what` says what to write below it.
    fn close(mut self, what: &str) -> Doc {
        self.line("---", "");
        self.line("", "");
        self.body_note = Some(format!("below line {}: {what}", self.lines.len() - 1));
        self
    }

    fn line(&mut self, code: &str, comment: &str) {
        self.lines.push(commented(code, comment));
    }

    /// A line the author must change; `note` says how, as a sentence.
    fn todo(&mut self, code: &str, comment: &str, note: impl Into<String>) {
        self.todos.push((self.lines.len(), note.into()));
        self.line(code, comment);
    }

    fn text(&self, eol: &str) -> String {
        let mut s = self.lines.join(eol);
        s.push_str(eol);
        s
    }

    /// The notes, with 1-based line numbers; `first_line` is the number of lines before the
    /// first line of this document in its file.
    fn notes(&self, first_line: usize) -> Vec<String> {
        let mut out: Vec<String> = self
            .todos
            .iter()
            .map(|(i, n)| format!("line {}: {n}", first_line + i + 1))
            .collect();
        out.extend(self.body_note.clone());
        out
    }
}

/// `code` followed by a YAML comment aligned on column 30.
fn commented(code: &str, comment: &str) -> String {
    if comment.is_empty() {
        return code.to_string();
    }
    let width = code.chars().count();
    let pad = if width < 29 { 29 - width } else { 1 };
    format!("{code}{}# {comment}", " ".repeat(pad))
}

/// A YAML double-quoted scalar.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const HEADER_1: &str =
    "# Replace every TODO below. Where a line starts with `#TODO`, write the text and remove";
const HEADER_2: &str = "# the `#TODO ` in front of it. `vetrina check` fails, naming what is left, until all are done.";

fn todo_word(key: &str, allowed: &str) -> String {
    format!("replace TODO in `{key}` with {allowed}")
}

fn todo_text(key: &str, what: &str) -> String {
    format!("write the `{key}`: {what}; then remove the `#TODO ` at the start of the line")
}

fn story(c: &Ctx) -> Doc {
    let mut d = Doc::front_matter(c.title);
    d.line(
        &format!("date: {}", c.today),
        "the day of the story (YYYY-MM-DD)",
    );
    d.todo(
        "kind: TODO",
        "participant | host | operator | partner",
        todo_word(
            "kind",
            "what the story is about: participant, host, operator or partner",
        ),
    );
    let phint = format!(
        "the folder name of a project in content/projects{}",
        c.projects_hint()
    );
    match c.project {
        Some(p) => d.line(&format!("project: {p}"), &phint),
        None => d.todo(
            "project: TODO",
            &phint,
            todo_word(
                "project",
                &format!("the project's folder name{}", c.projects_hint()),
            ),
        ),
    }
    let rhint = "the Italian key of the region, such as lombardia";
    match c.region {
        Some(r) => d.line(&format!("region: {r}"), rhint),
        None => d.todo(
            "region: TODO",
            rhint,
            todo_word("region", "the Italian key of the region, such as lombardia"),
        ),
    }
    d.line("themes: []", "optional: such as [internship, orientation]");
    d.todo(
        "#TODO summary: \"…\"",
        "two sentences shown in lists, feeds and the page description",
        todo_text("summary", "two sentences that sum the story up"),
    );
    d.line(
        "# image: {src: cover.jpg, alt: \"…\", faces: none}",
        "optional: a picture beside this file; faces: none | consented | blurred",
    );
    d.line(
        "# A story about a person needs both blocks below (a participant story always is one);",
        "",
    );
    d.line(
        "# delete them only if the story is about no one in particular. Never put the person's",
        "",
    );
    d.line(
        "# name in the folder name or in picture file names: they are published.",
        "",
    );
    d.line("person:", "");
    d.todo(
        "  #TODO display_name: \"…\"",
        "the name the page may show, as the consent allows",
        todo_text(
            "display_name",
            "the name the page may show (as the consent allows)",
        ),
    );
    d.todo(
        "  identifiability: TODO",
        "named | first-name | pseudonym | anonymous",
        todo_word(
            "identifiability",
            "how the person may be shown: named, first-name, pseudonym or anonymous (a minor: pseudonym or anonymous)",
        ),
    );
    d.todo(
        "  minor: TODO",
        "true if the person is under 18, else false",
        todo_word("minor", "true if the person is under 18, else false"),
    );
    d.line("consent:", "the signed consent record");
    d.todo(
        "  #TODO reference: \"…\"",
        "the record's id, never the document itself",
        todo_text(
            "reference",
            "the id of the signed consent record (never the document itself)",
        ),
    );
    d.todo(
        "  date: TODO",
        "the day it was signed (YYYY-MM-DD)",
        todo_word(
            "date",
            "the day the consent was signed, as YYYY-MM-DD (in the consent block)",
        ),
    );
    d.todo(
        "  given_by: TODO",
        "self | parent | guardian",
        todo_word(
            "given_by",
            "who signed the consent: self, parent or guardian (a minor: parent or guardian)",
        ),
    );
    d.line(
        "  scope: [web]",
        "where it may be published: web, social, print",
    );
    d.line(
        "  # expires: YYYY-MM-DD",
        "if the consent ends: the story is then taken down",
    );
    d.line(
        "  withdrawn: false",
        "true takes the story down at the next build",
    );
    d.line(
        "example: true",
        "shown as \"illustrative example\"; false for a real story",
    );
    d.close(
        "write the text of the story, in Markdown (pictures beside the file: ![what it shows](picture.jpg)); check that `date` and `example` are right",
    )
}

fn project_sheet(c: &Ctx) -> Doc {
    let mut d = Doc::front_matter(c.title);
    d.line("# acronym: \"…\"", "optional: the short name, such as PUOI");
    d.todo(
        "#TODO summary: \"…\"",
        "at most 100 words, shown in lists and search results",
        todo_text("summary", "what the project does, in at most 100 words"),
    );
    d.todo(
        "status: TODO",
        "planned | ongoing | concluded | mainstreamed",
        todo_word("status", "planned, ongoing, concluded or mainstreamed"),
    );
    d.line(
        "# period: {start: YYYY-MM-DD, end: YYYY-MM-DD}",
        "optional: only the dates that are known",
    );
    let fhint = format!("keys of data/funds.yaml{}", list_hint(&c.site.funds));
    d.todo(
        "funds: [TODO]",
        &fhint,
        todo_word(
            "funds",
            &format!("the keys of the funds that co-fund the project ({fhint})"),
        ),
    );
    d.line(
        "# codes: {prog: …, cup: …}",
        "optional: the PROG and CUP codes",
    );
    d.todo(
        "lead: TODO",
        "the lead organisation: its key in data/organisations.yaml",
        todo_word(
            "lead",
            "the key of the lead organisation in data/organisations.yaml (add it there if it is missing)",
        ),
    );
    d.line(
        "# partners: [{org: …, role: partner}]",
        "optional: keys of data/organisations.yaml",
    );
    let rhint = "region keys such as [lombardia], or: all";
    match c.region {
        Some(r) => d.line(&format!("regions: [{r}]"), rhint),
        None => d.todo(
            "regions: [TODO]",
            rhint,
            todo_word(
                "regions",
                "the keys of the regions where the project works, such as [lombardia, lazio], or `all` for a national project",
            ),
        ),
    }
    d.line("# target_groups: []", "optional: such as [refugees]");
    d.line(
        "# themes: []",
        "optional: such as [internship, orientation]",
    );
    d.line(
        "# unit_cost: {amount: …, currency: EUR, label: \"…\"}",
        "optional",
    );
    d.line("# website: \"https://…\"", "optional");
    d.line(
        &format!("updated: {}", c.today),
        "the day this sheet was last brought up to date",
    );
    d.close(
        "write the text of the sheet, in Markdown, with these sections: context, objectives, how it works, results, lessons learned; figures go in data/indicators/<project>.yaml",
    )
}

fn news(c: &Ctx) -> Doc {
    let mut d = Doc::front_matter(c.title);
    d.line(
        &format!("date: {}", c.today),
        "the day of the news (YYYY-MM-DD)",
    );
    d.todo(
        "#TODO summary: \"…\"",
        "two sentences shown in lists, feeds and the page description",
        todo_text("summary", "two sentences that sum the news up"),
    );
    let rlist = c.region.map(str::to_string).unwrap_or_default();
    d.line(
        &format!("regions: [{rlist}]"),
        "optional: region keys such as [lombardia]",
    );
    let plist = c.project.map(str::to_string).unwrap_or_default();
    d.line(
        &format!("projects: [{plist}]"),
        &format!("optional: project folder names{}", c.projects_hint()),
    );
    d.line(
        "# image: {src: cover.jpg, alt: \"…\"}",
        "optional: a picture beside this file",
    );
    d.close("write the text of the news, in Markdown; check that `date` is right")
}

fn page(c: &Ctx) -> Doc {
    let mut d = Doc::front_matter(c.title);
    d.line(
        "# summary: \"…\"",
        "optional: one sentence for search engines and link previews",
    );
    d.todo(
        "updated: TODO",
        "the day the text is ready (YYYY-MM-DD), shown at the foot of the page",
        todo_word(
            "updated",
            "the day the text is ready, as YYYY-MM-DD (it is shown as \"last updated\" at the foot of the page)",
        ),
    );
    d.close("write the text of the page, in Markdown")
}

// ---------------------------------------------------------------- events

#[derive(Deserialize)]
struct IdOnly {
    #[serde(default)]
    id: Option<String>,
}

/// The calendars of `data/events/`, as (path relative to root, text).
fn calendars(root: &Path) -> Vec<(PathBuf, String)> {
    let dir = root.join("data").join("events");
    let mut out = Vec::new();
    let Ok(rd) = fs::read_dir(&dir) else {
        return out;
    };
    let mut names: Vec<String> = rd
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && (n.ends_with(".yaml") || n.ends_with(".yml")))
        .collect();
    names.sort();
    for n in names {
        if let Ok(t) = crate::load::read_site_file(root, &dir.join(&n)) {
            out.push((PathBuf::from("data").join("events").join(n), t));
        }
    }
    out
}

/// The event ids of a calendar: from its YAML where it can be read, else from its lines.
fn event_ids(text: &str) -> Vec<String> {
    if let Ok(list) = serde_saphyr::from_str::<Vec<IdOnly>>(text) {
        return list.into_iter().filter_map(|e| e.id).collect();
    }
    text.lines()
        .filter_map(|l| {
            let t = l.trim_start();
            let t = t.strip_prefix("- ").map(str::trim_start).unwrap_or(t);
            let v = t.strip_prefix("id:")?;
            let v = v.split(" #").next().unwrap_or(v).trim();
            Some(v.trim_matches(['"', '\'']).to_string())
        })
        .collect()
}

/// How the list items of a calendar are indented, or why nothing can be appended to it.
fn list_indent(text: &str) -> Result<usize, String> {
    for l in text.lines() {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') || t == "---" {
            continue;
        }
        if t == "-" || t.starts_with("- ") {
            return Ok(l.len() - t.len());
        }
        return Err(format!(
            "it does not start as a list of events (`- id: …`), but with `{t}`"
        ));
    }
    Ok(0)
}

fn new_event(root: &Path, c: &Ctx, id: &str) -> Result<(PathBuf, Vec<String>), String> {
    if c.site.calendar_names.iter().any(|n| n == id) {
        return Err(format!(
            "the event id `{id}` made from the title is the name of the calendar files: give the event a longer title, for example with its place or year"
        ));
    }
    let cals = calendars(root);
    for (file, text) in &cals {
        if event_ids(text).iter().any(|i| i == id) {
            return Err(format!(
                "an event with the id `{id}` (made from the title) already exists in {}: edit that event, or give the new one a title that tells it apart, for example with its place or year",
                file.display()
            ));
        }
    }
    // The project's own calendar, as in the demo site (data/events/puoi.yaml); events of no
    // project go to data/events/events.yaml.
    let name = c.project.unwrap_or("events");
    let dir = PathBuf::from("data").join("events");
    // A calendar written as `.yml` is added to as well.
    let yaml = dir.join(format!("{name}.yaml"));
    let yml = dir.join(format!("{name}.yml"));
    let use_yml = !root.join(&yaml).exists() && root.join(&yml).is_file();
    let rel = if use_yml { yml } else { yaml };
    let path = root.join(&rel);
    let existing = match cals.iter().find(|(f, _)| *f == rel) {
        Some((_, t)) => Some(t.clone()),
        None if path.symlink_metadata().is_ok() => Some(crate::load::read_site_file(root, &path)?),
        None => None,
    };

    let mut d = Doc::default();
    d.line(&format!("- id: {id}"), "");
    d.todo(
        "  kind: TODO",
        "focus-group | seminar | webinar | conference | workshop | meeting",
        todo_word(
            "kind",
            "focus-group, seminar, webinar, conference, workshop or meeting",
        ),
    );
    d.line("  title:", "");
    d.line(&format!("    {}: {}", c.lang, quoted(c.title)), "");
    d.line(
        &format!("  # summary: {{{}: \"…\"}}", c.lang),
        "optional: what the event is about",
    );
    d.todo(
        "  start: TODO",
        "local time: 2026-03-28T14:30, or only the date if the time is not known",
        todo_word(
            "start",
            "the local date and time it starts, as YYYY-MM-DDTHH:MM (or only YYYY-MM-DD if the time is not known)",
        ),
    );
    d.line("  # end: YYYY-MM-DDTHH:MM", "optional: written like start");
    d.line("  timezone: Europe/Rome", "");
    d.line(
        "  status: scheduled",
        "scheduled | cancelled | postponed | moved-online",
    );
    let rlist = c.region.map(str::to_string).unwrap_or_default();
    d.line(
        &format!("  regions: [{rlist}]"),
        "optional: region keys such as [lombardia]",
    );
    let plist = c.project.map(str::to_string).unwrap_or_default();
    d.line(
        &format!("  projects: [{plist}]"),
        &format!("optional: project folder names{}", c.projects_hint()),
    );
    d.line(
        "  # organiser: …",
        "optional: a key of data/organisations.yaml",
    );
    d.todo(
        "  #TODO where: a venue, or online, or both: remove the # of the one that applies",
        "",
        "write where the event takes place: remove the `# ` in front of `venue:` or `online:` (or both) and fill it in",
    );
    d.line("  # venue: {name: \"…\", address: \"…\", city: \"…\"}", "");
    d.line("  # online: {platform: \"…\", url: \"https://…\"}", "");
    d.line(
        "  # registration: \"https://…\"",
        "optional: where to sign up",
    );

    let (bytes, first_line) = match &existing {
        Some(text) => {
            let indent = list_indent(text).map_err(|why| {
                format!(
                    "cannot add the event at the end of {}: {why}. Add it by hand, or give another --project",
                    rel.display()
                )
            })?;
            let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
            let mut add = String::new();
            if !text.is_empty() && !text.ends_with('\n') {
                add.push_str(eol);
            }
            if !text.trim().is_empty() {
                add.push_str(eol);
            }
            let before = format!("{text}{add}");
            let pad = " ".repeat(indent);
            for l in &d.lines {
                add.push_str(&pad);
                add.push_str(l);
                add.push_str(eol);
            }
            (add.into_bytes(), before.matches('\n').count())
        }
        None => {
            let header = match c.project {
                Some(p) => {
                    format!("# The events of the project {p}: a list, one entry per event.\n\n")
                }
                None => "# Events: a list, one entry per event.\n\n".to_string(),
            };
            let lines = header.matches('\n').count();
            (format!("{header}{}", d.text("\n")).into_bytes(), lines)
        }
    };

    match existing {
        Some(_) => {
            // Appending never touches the existing bytes.
            let mut f = fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .map_err(|e| format!("cannot open {} to add the event: {e}", rel.display()))?;
            f.write_all(&bytes)
                .and_then(|_| f.flush())
                .map_err(|e| format!("cannot add the event to {}: {e}", rel.display()))?;
        }
        None => {
            if let Some(dir) = path.parent() {
                crate::load::inside_site_folder(root, dir)?;
                fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create the folder {}: {e}", rel_parent(&rel)))?;
            }
            write_new(&path, &bytes).map_err(|e| format!("cannot write {}: {e}", rel.display()))?;
        }
    }
    Ok((rel, d.notes(first_line)))
}

// ---------------------------------------------------------------- init

/// Declares the default theme's files, embedded in the binary.
macro_rules! theme_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../themes/default/", $path)) as &[u8])),*]
    };
}

/// Every file of `themes/default/` (path under it, bytes). A unit test fails if a file of the
/// folder is missing here.
pub const DEFAULT_THEME: &[(&str, &[u8])] = theme_files![
    "i18n/ar.yaml",
    "i18n/en.yaml",
    "i18n/fr.yaml",
    "i18n/it.yaml",
    "static/search.js",
    "static/share.png",
    "static/style.css",
    "templates/404.html",
    "templates/base.html",
    "templates/event-list.html",
    "templates/event.html",
    "templates/home.html",
    "templates/news-list.html",
    "templates/news.html",
    "templates/page.html",
    "templates/partials/eu-band.html",
    "templates/partials/eu-emblem.svg",
    "templates/partials/event-cards.html",
    "templates/partials/footer.html",
    "templates/partials/lang-switcher.html",
    "templates/partials/news-cards.html",
    "templates/partials/project-cards.html",
    "templates/partials/story-cards.html",
    "templates/project-list.html",
    "templates/project.html",
    "templates/region-list.html",
    "templates/region.html",
    "templates/search.html",
    "templates/story-list.html",
    "templates/story.html",
];

/// Creates a small new site in `dir` (must not exist or be empty): one language (it), one
/// project, one story, one event, the default theme; it builds and checks clean. Returns the
/// files written, relative to `dir`.
///
/// A folder holding only hidden entries (such as `.git`) counts as empty; nothing in it is
/// overwritten.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let shown = dir.display();
    if dir.exists() {
        if !dir.is_dir() {
            return Err(format!(
                "{shown} is a file, not a folder: give the name of a new folder for the site"
            ));
        }
        let entries: Vec<String> = fs::read_dir(dir)
            .map_err(|e| format!("cannot read the folder {shown}: {e}"))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let visible: Vec<&String> = entries.iter().filter(|n| !n.starts_with('.')).collect();
        if !visible.is_empty() {
            let mut v: Vec<&str> = visible.iter().map(|s| s.as_str()).collect();
            v.sort();
            let more = if v.len() > 3 { ", …" } else { "" };
            v.truncate(3);
            return Err(format!(
                "the folder {shown} is not empty (it holds {}{more}): a new site is only created in a new or empty folder, so that nothing is overwritten; give the name of a new folder",
                v.join(", ")
            ));
        }
    }
    let today =
        crate::options::today_from_env().unwrap_or_else(|_| jiff::ZonedDateTime::now().date());
    let files = site_files(today);
    fs::create_dir_all(dir).map_err(|e| format!("cannot create the folder {shown}: {e}"))?;
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if rel == ".gitignore" && path.exists() {
            continue; // the folder's own, kept as it is
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create the folder {}: {e}", parent.display()))?;
        }
        write_new(&path, &bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}

/// The files of a new site, in the order they are written.
fn site_files(today: Date) -> Vec<(String, Vec<u8>)> {
    // An upcoming example event, four weeks ahead, on a weekday.
    let mut event_day = today
        .checked_add(jiff::Span::new().days(28))
        .unwrap_or(today);
    while matches!(
        event_day.weekday(),
        jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
    ) {
        match event_day.tomorrow() {
            Ok(d) => event_day = d,
            Err(_) => break,
        }
    }
    let story_slug = "dall-orientamento-al-tirocinio-un-percorso-di-esempio";
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (".gitignore".into(), GITIGNORE.into()),
        ("site.yaml".into(), SITE_YAML.into()),
        ("data/funds.yaml".into(), FUNDS_YAML.into()),
        ("data/organisations.yaml".into(), ORGS_YAML.into()),
        (
            "data/events/progetto-di-esempio.yaml".into(),
            EVENTS_YAML
                .replace("{event_day}", &event_day.to_string())
                .into(),
        ),
        ("content/_index.it.md".into(), HOME_MD.into()),
        (
            "content/projects/progetto-di-esempio/index.it.md".into(),
            PROJECT_MD.replace("{today}", &today.to_string()).into(),
        ),
        (
            format!("content/stories/{story_slug}/index.it.md"),
            STORY_MD.replace("{today}", &today.to_string()).into(),
        ),
        (
            "content/pages/privacy/index.it.md".into(),
            PRIVACY_MD.into(),
        ),
        (
            "content/pages/accessibility/index.it.md".into(),
            ACCESSIBILITY_MD.into(),
        ),
    ];
    for (path, bytes) in DEFAULT_THEME {
        files.push((format!("themes/default/{path}"), bytes.to_vec()));
    }
    files
}

const GITIGNORE: &str = "# Written by `vetrina build`: never edited by hand, never committed.
/public/
/.vetrina-cache/
";

const SITE_YAML: &str = r#"# A new Vetrina site. The README of Vetrina describes every key.
title:
  it: "Sito di esempio"
tagline:
  it: "Risultati e buone pratiche di un progetto per l'inserimento lavorativo"
description:
  it: "Un nuovo sito creato con Vetrina: schede dei progetti, storie ed eventi, regione per regione."
# The address where the site will be published.
base_url: "https://www.example.org"
theme: default
# The first language is the default one, at the root of the site; add others below it.
languages:
  - code: it
    name: Italiano
    sections: {projects: progetti, stories: storie, news: notizie, events: eventi, regions: regioni, calendar: calendario, search: cerca}
# The funds named next to the EU emblem on every page: keys of data/funds.yaml.
funds: [fami-2021-2027]
# The accessibility statement: a page key of this site, or the address of the statement
# published on AgID's form site.
accessibility_statement: accessibility
privacy_page: privacy
# Where readers can write about the site (shown in the footer of every page).
feedback:
  email: "redazione@example.org"
# What shades the map of Italy on the regions page: projects, stories or events per region.
map: {figure: projects}
"#;

const FUNDS_YAML: &str = r#"# Funding sources referenced by site.yaml and the project sheets (key -> fund).

fami-2021-2027:
  name:
    it: "Fondo Asilo, Migrazione e Integrazione (FAMI) 2021-2027"
  short:
    it: "FAMI"
  statement:
    it: "Cofinanziato dall'Unione europea"
  eu: true
"#;

const ORGS_YAML: &str = r#"# Organisations referenced by key from projects, funds, events and stories.
# kind: public-body | company | cooperative | association | school | consortium | foundation

ente-di-esempio:
  name: "Ente di esempio"
  kind: association
  note:
    it: "Un'organizzazione immaginaria, usata negli esempi di questo nuovo sito."
"#;

const EVENTS_YAML: &str = r#"# The events of the project progetto-di-esempio: a list, one entry per event.

- id: presentazione-del-progetto-di-esempio
  kind: webinar
  title:
    it: "Presentazione del progetto di esempio"
  summary:
    it: "Un evento di esempio, creato insieme al sito: mostra come si annuncia un incontro online. Sostituitelo con un evento reale."
  start: {event_day}T10:00
  end: {event_day}T12:00
  timezone: Europe/Rome
  status: scheduled
  regions: [lazio]
  projects: [progetto-di-esempio]
  organiser: ente-di-esempio
  online: {platform: "Videoconferenza"}
"#;

const HOME_MD: &str = r#"---
title: "Sito di esempio"
summary: "Un nuovo sito creato con Vetrina, con un progetto, una storia e un evento di esempio."
---

Questo sito è appena stato creato con Vetrina. Contiene un progetto, una storia e un evento **di esempio**, che mostrano come si scrivono i contenuti: sostituiteli con quelli dei vostri progetti.

- Le schede dei progetti sono in `content/projects/`, le storie in `content/stories/`, le notizie in `content/news/` e le pagine in `content/pages/`.
- Gli eventi sono in `data/events/`; i fondi e le organizzazioni in `data/funds.yaml` e `data/organisations.yaml`.
- `vetrina new story "Titolo"` crea una nuova storia, `vetrina check` controlla il sito e `vetrina build` lo scrive nella cartella `public/`.
"#;

const PROJECT_MD: &str = r#"---
title: "Progetto di esempio"
acronym: "ESEMPIO"
summary: "Una scheda di esempio, creata insieme al sito: mostra come si descrive un progetto. Il progetto e l'ente capofila sono immaginari."
status: ongoing
funds: [fami-2021-2027]
lead: ente-di-esempio
regions: [lazio]
updated: {today}
---

*Questa è una scheda di esempio: il progetto e l'ente capofila sono immaginari. Sostituitela con la scheda di un progetto reale.*

## Contesto

Qui si descrive il bisogno a cui il progetto risponde e il territorio in cui opera.

## Obiettivi

Qui si elencano gli obiettivi del progetto e le persone a cui si rivolge.

## Come funziona

Qui si racconta il percorso offerto: accoglienza, orientamento, formazione, tirocinio, accompagnamento al lavoro.

## Risultati

Qui si riportano i risultati, indicando per ogni cifra la fonte e la data. Le cifre principali si scrivono in `data/indicators/progetto-di-esempio.yaml`.

## Lezioni apprese

Qui si raccoglie ciò che il progetto ha insegnato: che cosa ha funzionato e che cosa cambiare.
"#;

const STORY_MD: &str = r#"---
title: "Dall'orientamento al tirocinio: un percorso di esempio"
date: {today}
kind: participant
project: progetto-di-esempio
region: lazio
summary: "Una storia di esempio, con un nome di fantasia: mostra come si racconta un percorso verso il lavoro e come si registra il consenso della persona."
person:
  display_name: "Amina"
  identifiability: pseudonym
  minor: false
consent:
  reference: "ESEMPIO-0001"
  date: {today}
  given_by: self
  scope: [web]
  withdrawn: false
example: true
---

*Questa è una storia di esempio, scritta per mostrare come si presenta una storia su questo sito. La persona e il percorso sono immaginari; Amina è un nome di fantasia.*

## Il percorso

Una storia racconta un percorso concreto: il primo incontro con gli operatori del progetto, il bilancio delle competenze, un corso di italiano, il tirocinio in un'azienda del territorio e ciò che è venuto dopo.

## Il consenso

Una storia che parla di una persona si pubblica solo con il suo consenso firmato. Il blocco `consent` della storia ne riporta il codice di riferimento, la data e gli usi consentiti; il modulo firmato resta presso il progetto. Se il consenso scade o viene revocato, la storia viene tolta dal sito alla pubblicazione successiva.
"#;

const PRIVACY_MD: &str = r#"---
title: "Informativa sulla privacy"
slug: privacy
---

## Navigare su questo sito

Questo sito non usa cookie, né propri né di terze parti, e non contiene strumenti di tracciamento o di statistica: tutte le risorse delle pagine sono servite dallo stesso sito. Il servizio che lo ospita può registrare dati tecnici di accesso (ad esempio l'indirizzo IP e l'ora della richiesta) per motivi di sicurezza.

## Le storie e il consenso

Una storia che riguarda una persona è pubblicata solo se esiste un consenso firmato, che resta presso il progetto che ha raccolto la storia; il sito ne conserva soltanto un codice di riferimento. Il consenso si può revocare in qualsiasi momento: la storia viene allora tolta dal sito alla pubblicazione successiva.

## Titolare del trattamento

Indicate qui chi è il titolare del trattamento dei dati e come esercitare i diritti previsti dal Regolamento (UE) 2016/679.
"#;

const ACCESSIBILITY_MD: &str = r#"---
title: "Dichiarazione di accessibilità"
slug: dichiarazione-di-accessibilita
---

Questo sito vuole essere utilizzabile da tutte le persone, comprese quelle che usano lettori di schermo, ingranditori, la sola tastiera o altre tecnologie assistive. È progettato per rispettare le Linee guida per l'accessibilità dei contenuti web (WCAG) 2.1 al livello AA.

## Stato di conformità

Il sito non è ancora stato sottoposto a una verifica: fino ad allora lo consideriamo **parzialmente conforme**. Quando la verifica sarà svolta, ne indicheremo qui la data, il metodo e l'esito.

## Segnalare un problema

Se incontrate un ostacolo, scriveteci all'indirizzo indicato nel piè di pagina, specificando la pagina e il problema riscontrato.
"#;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file under themes/default must be embedded, with the same bytes.
    #[test]
    fn embedded_theme_lists_every_file_of_the_default_theme() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes")
            .join("default");
        let mut on_disk = Vec::new();
        for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let e = e.unwrap();
            if !e.file_type().is_file() || e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let rel = e
                .path()
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            on_disk.push(rel);
        }
        let embedded: Vec<&str> = DEFAULT_THEME.iter().map(|(p, _)| *p).collect();
        let missing: Vec<&String> = on_disk
            .iter()
            .filter(|p| !embedded.contains(&p.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "files of themes/default missing from DEFAULT_THEME in src/scaffold.rs: {missing:?}"
        );
        let gone: Vec<&&str> = embedded
            .iter()
            .filter(|p| !on_disk.iter().any(|d| d == *p))
            .collect();
        assert!(gone.is_empty(), "embedded but no longer on disk: {gone:?}");
        for (p, bytes) in DEFAULT_THEME {
            assert_eq!(
                fs::read(dir.join(p)).unwrap(),
                *bytes,
                "{p} differs from the embedded copy"
            );
        }
    }

    #[test]
    fn slugs_are_transliterated_and_short() {
        use crate::model::regions::MAX_SLUG;
        assert_eq!(slug_of("Caffè e lavoro: un'idea"), "caffe-e-lavoro-un-idea");
        assert_eq!(slug_of("  PUOI!  "), "puoi");
        let long = slug_of(&"parola ".repeat(40));
        assert!(long.len() <= MAX_SLUG, "{long}");
        assert!(!long.ends_with('-') && long.ends_with("parola"), "{long}");
        assert_eq!(slug_of("!!!"), "");
    }

    #[test]
    fn quoted_yaml_reads_back_as_the_same_text() {
        for s in ["Caffè e lavoro: un'idea", "a \"b\" \\ c # d", "tab\there"] {
            let y = format!("t: {}\n", quoted(s));
            let m: BTreeMap<String, String> = serde_saphyr::from_str(&y).unwrap();
            assert_eq!(m["t"], s);
        }
    }

    #[test]
    fn comments_align_and_long_code_keeps_a_space() {
        assert_eq!(commented("a: b", ""), "a: b");
        assert_eq!(commented("a: b", "x"), format!("a: b{}# x", " ".repeat(25)));
        let long = "k".repeat(40);
        assert_eq!(commented(&long, "x"), format!("{long} # x"));
    }

    #[test]
    fn event_ids_from_yaml_or_from_lines() {
        let ok = "# c\n- id: a\n  kind: seminar\n- id: \"b\"\n";
        assert_eq!(event_ids(ok), ["a", "b"]);
        let broken = "- id: a\n  kind: [unclosed\n- id: 'b'  # note\n";
        assert_eq!(event_ids(broken), ["a", "b"]);
    }

    #[test]
    fn list_indent_follows_the_file() {
        assert_eq!(list_indent("# c\n\n- id: a\n"), Ok(0));
        assert_eq!(list_indent("---\n  - id: a\n"), Ok(2));
        assert_eq!(list_indent("# only a comment\n"), Ok(0));
        assert_eq!(list_indent(""), Ok(0));
        assert!(list_indent("[]\n").is_err());
        assert!(list_indent("id: a\n").is_err());
    }

    #[test]
    fn regions_accept_other_spellings_and_suggest() {
        assert_eq!(check_region("lombardia").unwrap(), "lombardia");
        assert_eq!(check_region("Valle d'Aosta").unwrap(), "valle-d-aosta");
        let e = check_region("lombrdia").unwrap_err();
        assert!(e.contains("did you mean `lombardia`?"), "{e}");
        let e = check_region("Lombardy").unwrap_err();
        assert!(e.contains("did you mean `lombardia`?"), "{e}");
        let e = check_region("atlantide").unwrap_err();
        assert!(e.contains("piemonte"), "{e}");
    }

    #[test]
    fn kinds_parse_with_suggestions() {
        assert_eq!("story".parse::<NewKind>(), Ok(NewKind::Story));
        assert_eq!("Events".parse::<NewKind>(), Ok(NewKind::Event));
        let e = "stroy".parse::<NewKind>().unwrap_err();
        assert!(e.contains("did you mean `story`?"), "{e}");
    }

    #[test]
    fn new_site_files_hold_the_whole_theme() {
        let files = site_files(jiff::civil::date(2026, 11, 25));
        for (p, _) in DEFAULT_THEME {
            let want = format!("themes/default/{p}");
            assert!(files.iter().any(|(f, _)| *f == want), "{want}");
        }
        let events = &files
            .iter()
            .find(|(f, _)| f == "data/events/progetto-di-esempio.yaml")
            .unwrap()
            .1;
        let events = String::from_utf8_lossy(events);
        assert!(events.contains("start: 2026-12-23T10:00"), "{events}");
        let saturday = site_files(jiff::civil::date(2026, 11, 28));
        let (_, events) = saturday
            .iter()
            .find(|(f, _)| f == "data/events/progetto-di-esempio.yaml")
            .unwrap();
        assert!(String::from_utf8_lossy(events).contains("start: 2026-12-28T10:00"));
        assert!(!files.iter().any(|(_, b)| {
            let t = String::from_utf8_lossy(b);
            t.contains("{today}") || t.contains("{event_day}")
        }));
    }
}
