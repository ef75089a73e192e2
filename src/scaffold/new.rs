//! `vetrina new`: checks what was asked (title, language, region, project) against the site,
//! then hands the new text to `frontmatter` or the new event to `events`. site.yaml is read
//! with the model's own parser (`model::config_from_text`), never a second one.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::frontmatter::{list_hint, news, page, project_sheet, story};
use super::{rel_parent, write_new};
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
        return super::events::new_event(&o.root, &ctx, &slug);
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

/// What `new` needs to know about the site: its languages and what can be referred to.
pub(super) struct SiteInfo {
    langs: Vec<String>,
    pub(super) projects: Vec<String>,
    pub(super) funds: Vec<String>,
    /// The calendar file name of each language (`calendario`, `calendar`): no event id.
    pub(super) calendar_names: Vec<String>,
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
        let config = crate::model::config_from_text(&text).map_err(|why| {
            format!("cannot read site.yaml ({why}): run `vetrina check` to see what to fix")
        })?;
        let calendar_names = config
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
        let langs: Vec<String> = config.languages.into_iter().map(|l| l.code.value).collect();
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

/// Everything the text of a new file needs.
pub(super) struct Ctx<'a> {
    pub(super) site: &'a SiteInfo,
    pub(super) lang: &'a str,
    pub(super) title: &'a str,
    pub(super) region: Option<&'a str>,
    pub(super) project: Option<&'a str>,
    pub(super) today: Date,
}

impl Ctx<'_> {
    pub(super) fn projects_hint(&self) -> String {
        list_hint(&self.site.projects)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
