//! What the `vetrina` command tells the person at the keyboard: the diagnostics, the closing
//! lines of each command, and the reports of `translations`, `consents` and `takedown` (on
//! stdout, for other tools; everything else goes to stderr). It only prints: it never calls the
//! library's commands nor decides the exit status.

use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::time::Duration;

use vetrina::consents::Register;
use vetrina::takedown::Outcome;
use vetrina::translations::TranslationReport;
use vetrina::{Date, Report};

/// Every diagnostic of the run, in order, each followed by an empty line; `styled`: with the
/// terminal's colours.
pub(crate) fn diagnostics(report: &Report, styled: bool) {
    for d in report.diagnostics.sorted() {
        eprintln!("{}\n", d.render(styled));
    }
}

/// Only the errors of the run: for `consents`, whose warnings about expiring consents are the
/// register's own rows.
pub(crate) fn errors(report: &Report, styled: bool) {
    for d in report.diagnostics.errors() {
        eprintln!("{}\n", d.render(styled));
    }
}

/// A failure that is not a diagnostic of the site (a bad date, a file that exists, a port in
/// use).
pub(crate) fn error(e: impl Display) {
    eprintln!("error: {e}");
}

/// The closing line of a run that found errors.
pub(crate) fn fail_summary(report: &Report) {
    let n = report.diagnostics.errors().count();
    eprintln!(
        "{n} error{} found: nothing was written, the website in the output folder is unchanged.",
        if n == 1 { "" } else { "s" }
    );
}

fn page_count(report: &Report) -> usize {
    report.pages.iter().map(|(_, n)| n).sum()
}

/// "it 49, en 49": a count per language.
fn per_language(counts: &[(String, usize)]) -> String {
    let each: Vec<String> = counts.iter().map(|(l, n)| format!("{l} {n}")).collect();
    each.join(", ")
}

/// The closing lines of `vetrina build`: nothing to do, what was built into `output` (and the
/// search index), or how many errors stopped it.
pub(crate) fn build_summary(report: &Report, output: &Path) {
    if report.nothing_changed {
        eprintln!(
            "Nothing changed since the last build ({} pages, {} files in {}): nothing to do ({} ms).",
            page_count(report),
            report.files_unchanged,
            output.display(),
            report.elapsed.as_millis()
        );
    } else if report.ok() {
        let kept = match report.pages_kept {
            0 => String::new(),
            n => format!(", {n} of them unchanged since the last build and not rendered again"),
        };
        eprintln!(
            "Built {} pages ({}{kept}) into {} in {} ms: {} files written, {} unchanged, {} removed; pictures: {} processed, {} reused.",
            page_count(report),
            per_language(&report.pages),
            output.display(),
            report.elapsed.as_millis(),
            report.files_written,
            report.files_unchanged,
            report.files_removed,
            report.images_processed,
            report.images_reused
        );
        if !report.search_pages.is_empty() {
            let recalled = match report.search_recalled {
                0 => String::new(),
                n => format!(", {n} of them as the last build left them"),
            };
            eprintln!(
                "Search index: {} pages ({}{recalled}) in {} ms.",
                report.search_urls.len(),
                per_language(&report.search_pages),
                report.search_elapsed.as_millis()
            );
        }
    } else {
        fail_summary(report);
    }
}

/// The line `vetrina serve` prints after each rebuild that `took` so long; `reused`: the pages
/// taken from the last build.
pub(crate) fn rebuilt(report: &Report, reused: Option<usize>, took: Duration) {
    if report.ok() {
        eprintln!(
            "Rebuilt in {} ms: {} pages ({} unchanged, taken from the last build), {} files written, {} removed.",
            took.as_millis(),
            page_count(report),
            reused.unwrap_or(0),
            report.files_written,
            report.files_removed
        );
    } else {
        let n = report.diagnostics.errors().count();
        eprintln!(
            "{n} error{} found: the browser shows {}; the last good site is still served.",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        );
    }
}

/// Where `vetrina serve` can be seen.
pub(crate) fn serving(url: &str) {
    eprintln!("Serving the site at {url} — stop with Ctrl-C.");
}

/// What `vetrina new` created, and what is still to be written in it.
pub(crate) fn created(file: &Path, todo: &[String]) {
    eprintln!("Created {}", file.display());
    if !todo.is_empty() {
        eprintln!("Still to fill in:");
        for t in todo {
            eprintln!("  - {t}");
        }
        eprintln!("Then run `vetrina check` to see that the site is fine.");
    }
}

/// What `vetrina init` created in `dir` (`files`, relative to it), and what to do next.
pub(crate) fn site_created(dir: &Path, files: &[PathBuf]) {
    eprintln!(
        "Created a new site in {} ({} files). Next:\n  cd {}\n  vetrina serve",
        dir.display(),
        files.len(),
        dir.display()
    );
    let written = |rel: &str| files.iter().any(|f| f == Path::new(rel));
    eprintln!(
        "To publish it, put the folder in a GitLab or GitHub repository: these files check every merge request, publish the main branch, and rebuild the site every day (see \"Publish your site\" in Vetrina's README):"
    );
    for (rel, host) in vetrina::scaffold::PIPELINE_FILES {
        if written(rel) {
            eprintln!("  {rel:<31} {host}");
        } else {
            eprintln!("  {rel:<31} {host} (the folder's own, kept as it was)");
        }
    }
}

/// What `vetrina init --pipelines` added to the site in `dir`.
pub(crate) fn pipelines_added(dir: &Path, files: &[PathBuf]) {
    eprintln!("Added to the site in {}:", dir.display());
    for (rel, host) in vetrina::scaffold::PIPELINE_FILES {
        if files.iter().any(|f| f == Path::new(rel)) {
            eprintln!("  {rel:<31} {host}");
        }
    }
    eprintln!(
        "Commit them, and see \"Publish your site\" in Vetrina's README for the rest (the daily schedule on GitLab, the Pages setting on GitHub)."
    );
}

/// The closing lines of `vetrina check`: the stories taken down, then whether the site is fine.
pub(crate) fn check_summary(report: &Report) {
    if !report.taken_down.is_empty() {
        eprintln!("Taken down ({}):", report.taken_down.len());
        for t in &report.taken_down {
            eprintln!(
                "  taken down: {} ({}) — {}",
                t.key,
                t.file.display(),
                t.reason
            );
        }
    }
    if report.ok() {
        eprintln!(
            "The site is fine: {} pages would be built, no errors.",
            page_count(report)
        );
    } else {
        fail_summary(report);
    }
}

/// The translation table of `vetrina translations`, as `text` or `json`.
pub(crate) fn translations(t: &TranslationReport, format: &str) {
    if format == "json" {
        println!("{}", serde_json::to_string_pretty(t).unwrap_or_default());
    } else {
        print!("{}", t.to_text());
    }
}

/// The consent register of `vetrina consents`, as `text`, `csv` or `json`; first a note if the
/// site has errors (printed above), since the register then lists only the stories read.
pub(crate) fn register(report: &Report, register: &Register, format: &str) {
    if report.diagnostics.has_errors() {
        eprintln!(
            "The site has errors (above): the register lists the stories that could be read.\n"
        );
    }
    match format {
        "json" => println!(
            "{}",
            serde_json::to_string_pretty(register).unwrap_or_default()
        ),
        "csv" => print!("{}", register.to_csv()),
        _ => print!("{}", register.to_text()),
    }
}

/// What `vetrina takedown` recorded on `today` (or that nothing was left to record), and what
/// the next build removes.
pub(crate) fn takedown(o: &Outcome, today: Date) {
    if o.changed.is_empty() {
        eprintln!(
            "The consent for story `{}` is already recorded as withdrawn: nothing to change.",
            o.key
        );
        return;
    }
    eprintln!(
        "Recorded the withdrawal of the consent for story `{}` (withdrawn_on: {today}) in:",
        o.key
    );
    for f in &o.changed {
        eprintln!("  {}", f.display());
    }
    if !o.addresses.is_empty() {
        eprintln!(
            "The next build removes these pages, and the story from every list, feed, sitemap and search index:"
        );
        for a in &o.addresses {
            eprintln!("  {a}");
        }
    }
    eprintln!(
        "The story is still online until you build the site (`vetrina build`) and publish it: do it now. Its text stays in content/ for your records."
    );
}
