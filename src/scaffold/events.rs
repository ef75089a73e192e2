//! A new event, appended to a calendar of `data/events/` (the project's own, or events.yaml):
//! its id checked against every calendar, the list's indentation and line ends followed, and
//! the existing text never touched: bytes are only ever added at the end.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::frontmatter::{Doc, quoted, todo_word};
use super::new::Ctx;
use super::{rel_parent, write_new};

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

pub(super) fn new_event(root: &Path, c: &Ctx, id: &str) -> Result<(PathBuf, Vec<String>), String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
