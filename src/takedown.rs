//! `vetrina takedown`: records that a person withdrew their consent, in every language file
//! of their story, so that the next build removes the story from the site; and, after a
//! build, the deletion of the processed copies of a taken-down story's pictures.
//!
//! The files are edited as text, line by line: `withdrawn: true` and `withdrawn_on: <date>`
//! (and `withdrawal_reason:`) go into the `consent:` block with its indentation and line
//! ends, and every other byte of the file stays as it was. What cannot be edited safely (a
//! consent written on one line, `consent: {…}`) is refused with a message, and no file is
//! changed unless every file of the story can be.

use std::path::PathBuf;

use crate::diag::unknown_help;
use crate::model::schema::StoryFm;
use crate::model::{Entity, Site};
use crate::options::BuildOptions;
use crate::report::Report;
use jiff::civil::Date;

/// What `takedown` did.
#[derive(Debug)]
pub struct Outcome {
    /// The story's key (its folder under content/stories).
    pub key: String,
    /// The files changed, relative to the site's folder.
    pub changed: Vec<PathBuf>,
    /// The files whose consent already said `withdrawn: true`.
    pub already: Vec<PathBuf>,
    /// The addresses the next build removes (empty when the story is already off the site).
    pub addresses: Vec<String>,
}

/// Records the withdrawal of the consent of story `slug` (its key, or the `slug` of one of
/// its languages) in every language file. `Err`: a message for the person at the keyboard;
/// no file was changed.
pub fn takedown(
    opts: &BuildOptions,
    slug: &str,
    reason: Option<&str>,
    today: Date,
) -> (Report, Result<Outcome, String>) {
    let (report, site) = crate::pipeline::read_model(opts);
    let outcome = record_in_files(opts, site.as_ref(), slug, reason, today);
    (report, outcome)
}

fn record_in_files(
    opts: &BuildOptions,
    site: Option<&Site>,
    slug: &str,
    reason: Option<&str>,
    today: Date,
) -> Result<Outcome, String> {
    let Some(site) = site else {
        return Err("the site cannot be read (see the errors above); nothing was changed".into());
    };
    let matches = |e: &Entity<StoryFm>| {
        e.key == slug
            || e.docs
                .values()
                .any(|d| d.fm.slug.as_ref().is_some_and(|s| s.value == slug))
    };
    let story = site.stories.iter().find(|e| matches(e)).or_else(|| {
        site.taken_down
            .iter()
            .map(|t| &*t.story)
            .find(|e| matches(e))
    });
    let Some(story) = story else {
        let keys: Vec<&str> = site
            .stories
            .iter()
            .map(|e| e.key.as_str())
            .chain(site.taken_down.iter().map(|t| t.key.as_str()))
            .collect();
        return Err(format!(
            "there is no story `{slug}` in content/stories; {}",
            unknown_help("stories", slug, keys.iter().copied())
        ));
    };
    let addresses = addresses(site, &story.key);
    let mut edits = Vec::new();
    let mut already = Vec::new();
    for doc in story.docs.values() {
        // Diagnostics name files relative to the site's folder: the file is found from there.
        let rel = doc.src.path.clone();
        let path = opts.root.join(&rel);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => return Err(format!("cannot read {}: {e}", rel.display())),
        };
        match record(&text, today, reason) {
            Ok(Some(new)) => edits.push((path, rel, new)),
            Ok(None) => already.push(rel),
            Err(why) => {
                return Err(format!("{}: {why}; nothing was changed", rel.display()));
            }
        }
    }
    let mut changed = Vec::new();
    for (path, rel, new) in edits {
        if let Err(e) = crate::fileio::write_atomic(&path, new.as_bytes()) {
            return Err(format!(
                "cannot write {}: {e}; the files listed before it were changed: run the command again once it can be written",
                rel.display()
            ));
        }
        changed.push(rel);
    }
    let addresses = if changed.is_empty() {
        Vec::new()
    } else {
        addresses
    };
    Ok(Outcome {
        key: story.key.clone(),
        changed,
        already,
        addresses,
    })
}

/// The addresses of story `key` on the site, one per language (none once taken down).
fn addresses(site: &Site, key: &str) -> Vec<String> {
    if !site.stories.iter().any(|s| s.key == key) {
        return Vec::new();
    }
    let plan = crate::plan::plan(site, &mut crate::diag::Diagnostics::new());
    site.langs
        .iter()
        .filter_map(|l| plan.path(crate::plan::PageKind::Story, key, &l.code))
        .map(|p| format!("{}{p}", site.base_url))
        .collect()
}

/// The text of a story file with the withdrawal recorded in its `consent:` block; `None` if
/// it already says `withdrawn: true`; `Err` if the block cannot be edited safely.
pub fn record(text: &str, today: Date, reason: Option<&str>) -> Result<Option<String>, String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let fm_end = if lines.first().map(|l| l.trim_end()) == Some("---") {
        lines
            .iter()
            .skip(1)
            .position(|l| l.trim_end() == "---")
            .map(|i| i + 1)
    } else {
        None
    };
    let Some(fm_end) = fm_end else {
        return Err("the file has no front matter between `---` lines".into());
    };
    let Some(start) = (1..fm_end).find(|&i| key_of(lines[i]) == Some("consent")) else {
        return Err("the story has no `consent:` block: there is no consent to withdraw (a story without consent is not published; to remove it, delete it or set `draft: true`)".into());
    };
    let rest = value_of(lines[start]);
    if !rest.is_empty() {
        return Err("the consent is written on one line (`consent: {…}`), which cannot be edited safely; write it one key per line (`consent:` then `  reference: …`, `  withdrawn: false`, …) and run the command again".into());
    }
    let eol = if lines[start].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    // The block: the indented lines after `consent:` (blank lines inside it included).
    let mut end = start + 1;
    let mut last = start;
    while end < fm_end {
        let l = lines[end];
        if l.trim().is_empty() {
            end += 1;
            continue;
        }
        if !l.starts_with([' ', '\t']) {
            break;
        }
        last = end;
        end += 1;
    }
    if last == start {
        return Err("the `consent:` block is empty".into());
    }
    let indent: String = lines[start + 1..=last]
        .iter()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.chars().take_while(|c| *c == ' ').collect())
        .unwrap_or_default();
    if indent.is_empty() {
        return Err("the `consent:` block is indented with tabs, which YAML does not allow".into());
    }
    let own = |i: usize, key: &str| {
        let l = lines[i];
        l.strip_prefix(indent.as_str())
            .filter(|r| !r.starts_with([' ', '\t']))
            .and_then(|r| key_of(r))
            == Some(key)
    };
    let find = |key: &str| (start + 1..=last).find(|&i| own(i, key));
    let withdrawn = find("withdrawn");
    if let Some(i) = withdrawn {
        let v = value_of(lines[i]);
        if v == "true" {
            return Ok(None);
        }
        if v != "false" {
            return Err(format!(
                "`withdrawn:` says `{v}`, neither true nor false; correct it and run the command again"
            ));
        }
    }
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let mut add_after = last;
    match withdrawn {
        Some(i) => {
            out[i] = format!("{indent}withdrawn: true{eol}");
            add_after = i;
        }
        None => out[last].push_str(&format!("{indent}withdrawn: true{eol}")),
    }
    let mut new_lines = Vec::new();
    match find("withdrawn_on") {
        Some(i) => out[i] = format!("{indent}withdrawn_on: {today}{eol}"),
        None => new_lines.push(format!("{indent}withdrawn_on: {today}{eol}")),
    }
    if let Some(r) = reason.map(str::trim).filter(|r| !r.is_empty()) {
        // A JSON string is a YAML double-quoted string: quotes, backslashes and line breaks
        // of the reason are escaped.
        let quoted = serde_json::to_string(r).unwrap_or_default();
        match find("withdrawal_reason") {
            Some(i) => out[i] = format!("{indent}withdrawal_reason: {quoted}{eol}"),
            None => new_lines.push(format!("{indent}withdrawal_reason: {quoted}{eol}")),
        }
    }
    for l in new_lines {
        out[add_after].push_str(&l);
    }
    let new: String = out.concat();
    // The edited front matter must still read, and say what was meant.
    let fm: String = new
        .split_inclusive('\n')
        .skip(1)
        .take_while(|l| l.trim_end() != "---")
        .collect();
    match serde_saphyr::from_str::<StoryFm>(&fm) {
        Ok(f) if f
            .consent
            .as_ref()
            .and_then(|c| c.value.withdrawn.as_ref())
            .is_some_and(|w| w.value) => {}
        _ => return Err("the consent block could not be edited safely (its layout is unusual); add `withdrawn: true` and `withdrawn_on: …` to it by hand".into()),
    }
    Ok(Some(new))
}

/// The key of a `key: value` line (without indentation), if it is one.
fn key_of(line: &str) -> Option<&str> {
    let (k, _) = line.split_once(':')?;
    (!k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(k)
}

/// The value of a `key: value` line, without a trailing comment.
fn value_of(line: &str) -> &str {
    let v = line.split_once(':').map(|x| x.1).unwrap_or("");
    let v = match v.find(" #") {
        Some(i) => &v[..i],
        None => v,
    };
    v.trim()
}

#[cfg(test)]
mod tests {
    use super::record;

    const FM: &str = "---\ntitle: \"T\"\ndate: 2024-01-01\nkind: participant\nproject: p\nregion: r\nsummary: \"S\"\nperson:\n  display_name: \"A\"\n  identifiability: pseudonym\nconsent:\n  reference: \"R\"\n  date: 2024-01-01\n  given_by: self\n  scope:\n    - web\n  # checked by the DPO\n  expires: 2028-01-01\nexample: true\n---\n\nText.\n";

    fn day() -> jiff::civil::Date {
        jiff::civil::date(2026, 11, 26)
    }

    #[test]
    fn adds_the_lines_after_the_block_keeping_lists_and_comments() {
        let new = record(FM, day(), None).unwrap().unwrap();
        let want = FM.replace(
            "  expires: 2028-01-01\n",
            "  expires: 2028-01-01\n  withdrawn: true\n  withdrawn_on: 2026-11-26\n",
        );
        assert_eq!(new, want);
        assert_eq!(
            record(&new, day(), None).unwrap(),
            None,
            "already withdrawn"
        );
    }

    #[test]
    fn replaces_an_earlier_withdrawal_date_and_refuses_odd_values() {
        let text = FM.replace(
            "  expires: 2028-01-01\n",
            "  expires: 2028-01-01\n  withdrawn: false\n  withdrawn_on: 2020-01-01\n",
        );
        let new = record(&text, day(), Some("line\nbreak")).unwrap().unwrap();
        assert!(new.contains("  withdrawn: true\n  withdrawal_reason: \"line\\nbreak\"\n  withdrawn_on: 2026-11-26\n"), "{new}");
        let odd = FM.replace("  expires: 2028-01-01\n", "  withdrawn: yes\n");
        assert!(
            record(&odd, day(), None)
                .unwrap_err()
                .contains("neither true nor false")
        );
        assert!(record("no front matter", day(), None).is_err());
        let none = FM.replace("consent:", "consent_missing:");
        assert!(record(&none, day(), None).is_err());
    }
}
