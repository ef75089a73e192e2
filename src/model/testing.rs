//! For the unit tests of the model: a small site built from texts in memory, through the same
//! steps as a build (`config`, then `build`), without the disk. Only compiled for tests.

use std::sync::Arc;

use jiff::civil::Date;

use super::{ModelOptions, Site, build, config};
use crate::diag::{Diagnostic, Diagnostics, SourceText};
use crate::load::{Sources, split_front_matter};

/// site.yaml of the smallest site that checks clean: one language, the two pages it needs.
pub(crate) const SITE_YAML: &str = r#"title: {it: "Prova"}
base_url: "https://www.example.org"
languages:
  - code: it
    name: Italiano
funds: []
accessibility_statement: accessibility
privacy_page: privacy
feedback:
  email: "redazione@example.org"
"#;

/// A project that stories can name.
pub(crate) const PROJECT: &str = r#"---
title: "Alfa"
summary: "Un progetto di prova."
status: ongoing
regions: [lazio]
---

Testo.
"#;

/// A participant story with a valid consent that does not expire.
pub(crate) const STORY: &str = r#"---
title: "Dal tirocinio al lavoro"
date: 2025-06-01
kind: participant
project: alfa
region: lazio
summary: "Una storia di prova."
person:
  display_name: "Amina"
  identifiability: pseudonym
  minor: false
consent:
  reference: "R-1"
  date: 2025-05-01
  given_by: self
  scope: [web]
---

Testo.
"#;

/// The path of the test story's text.
pub(crate) const STORY_PATH: &str = "content/stories/dal-tirocinio-al-lavoro/index.it.md";

/// The build date of the tests.
pub(crate) const TODAY: Date = jiff::civil::date(2026, 1, 1);

/// The smallest clean site with one project, plus `files` (path, text), later ones replacing
/// earlier ones of the same path.
pub(crate) fn files<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all: Vec<(&str, &str)> = vec![
        ("site.yaml", SITE_YAML),
        (
            "content/pages/privacy/index.it.md",
            "---\ntitle: \"Privacy\"\n---\n",
        ),
        (
            "content/pages/accessibility/index.it.md",
            "---\ntitle: \"Accessibilità\"\n---\n",
        ),
        ("content/projects/alfa/index.it.md", PROJECT),
    ];
    for (p, t) in extra {
        all.retain(|(q, _)| q != p);
        all.push((p, t));
    }
    all
}

/// Builds the model of the site made of `files` (path, text), as on `today`.
pub(crate) fn build_site(files: &[(&str, &str)], today: Date) -> (Option<Site>, Diagnostics) {
    let (src, mut diags) = sources(files);
    let site = config(&src, &mut diags)
        .and_then(|c| build(src, c, &options(today), &mut diags, None, None));
    (site, diags)
}

/// The options of a test build on `today`.
pub(crate) fn options(today: Date) -> ModelOptions {
    ModelOptions {
        drafts: false,
        base_url: None,
        today,
        search: None,
    }
}

/// The sources of the site made of `files` (path, text), as `load` would read them, with
/// what reading them reported.
pub(crate) fn sources(files: &[(&str, &str)]) -> (Sources, Diagnostics) {
    let mut diags = Diagnostics::new();
    let mut src = Sources::default();
    for (path, text) in files {
        let text = SourceText::new(*path, *text);
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            ["site.yaml"] => src.config = Some(text),
            ["data", "funds.yaml"] => src.funds = Some(text),
            ["data", "organisations.yaml"] => src.organisations = Some(text),
            ["data", "events", _] => src.events.push(text),
            ["data", "indicators", _] => src.indicators.push(text),
            ["content", name] => {
                let lang = name
                    .strip_prefix("_index.")
                    .and_then(|n| n.strip_suffix(".md"))
                    .expect("content/_index.<lang>.md");
                let cf = split_front_matter(text, "home", "home", lang, &mut diags);
                src.content.extend(cf.map(Arc::new));
            }
            ["content", section, key, name] => {
                let lang = name
                    .strip_prefix("index.")
                    .and_then(|n| n.strip_suffix(".md"))
                    .expect("content/<section>/<key>/index.<lang>.md");
                let cf = split_front_matter(text, section, key, lang, &mut diags);
                src.content.extend(cf.map(Arc::new));
            }
            _ => panic!("the test site has no place for {path}"),
        }
    }
    src.content
        .sort_by(|a, b| (&a.section, &a.key, &a.lang).cmp(&(&b.section, &b.key, &b.lang)));
    (src, diags)
}

/// The diagnostics as `file:line: message | help`, in report order, for assertions.
pub(crate) fn lines(diags: &Diagnostics) -> Vec<String> {
    diags.sorted().into_iter().map(line).collect()
}

fn line(d: &Diagnostic) -> String {
    format!(
        "{}:{}: {} | {}",
        d.file.display(),
        d.pos.line,
        d.message,
        d.help.as_deref().unwrap_or("")
    )
}

#[test]
fn the_smallest_site_builds_clean() {
    let (site, diags) = build_site(&files(&[(STORY_PATH, STORY)]), TODAY);
    assert_eq!(lines(&diags), Vec::<String>::new());
    let site = site.expect("a site");
    assert_eq!(site.stories.len(), 1);
    assert_eq!(site.projects.len(), 1);
    assert!(site.taken_down.is_empty());
}
