//! The `vetrina` command: parse the arguments, call the library, print, set the exit code.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use vetrina::{BuildOptions, Date, Report};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Vetrina turns the stories, project sheets, news and event calendars of your projects into a
/// public website, in every language of the site.
///
/// Run the commands in the folder of your site (the one with site.yaml), or give it with --root.
#[derive(Parser)]
#[command(name = "vetrina", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the website into the output folder (public/ by default).
    ///
    /// Every file of the site is checked first. If anything is wrong, all the problems are
    /// listed with the file, the line and how to fix them, and the website already in the
    /// output folder is left exactly as it was.
    Build {
        /// The site's folder, the one that holds site.yaml
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Where to write the website [default: public/ inside the site's folder]
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// The address where the site will be published, if not the one in site.yaml
        /// (for example a test server: https://test.example.org)
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Also publish drafts (pages with `draft: true`), to preview them
        #[arg(long)]
        drafts: bool,
        /// Build as if today were this date (YYYY-MM-DD): events become upcoming or past,
        /// and consents expire, relative to it. Also settable with VETRINA_NOW.
        #[arg(long, value_name = "DATE")]
        now: Option<Date>,
        /// Leave out the search index and the search pages, as `search: false` in site.yaml
        /// does, for a quicker preview build. Do not publish such a build: its menus have no
        /// search.
        #[arg(long)]
        no_search: bool,
    },
    /// Build the site, serve it on this computer, and rebuild it as you edit.
    ///
    /// Open the address it prints in a browser: every saved change to content/, data/,
    /// themes/ or site.yaml rebuilds what it affects and reloads the page. If a change breaks
    /// the site, the problem is shown over the page (and here) until it is fixed, and the
    /// last good version stays visible underneath. Stop with Ctrl-C.
    Serve {
        /// The site's folder, the one that holds site.yaml
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; keep 127.0.0.1 unless others must see your preview
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Where to write the website [default: public/ inside the site's folder]
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Also show drafts (pages with `draft: true`)
        #[arg(long)]
        drafts: bool,
        /// Serve as if today were this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        now: Option<Date>,
    },
    /// Start a new story, project, news item, page or event, with every key to fill in.
    ///
    /// The file is created in the right place (an event is added to a calendar in
    /// data/events/); values you must write yourself are marked TODO, and `vetrina check`
    /// reports them until they are filled in. An existing file is never overwritten.
    New {
        /// What to create: story, project, news, page or event
        #[arg(value_name = "KIND")]
        kind: vetrina::scaffold::NewKind,
        /// The title; the file's folder name (and an event's id) is made from it
        #[arg(value_name = "TITLE", num_args = 1.., required = true)]
        title: Vec<String>,
        /// The site's folder, the one that holds site.yaml
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// The language of the text [default: the site's first language]
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
        /// The region (for example lombardia)
        #[arg(long, value_name = "REGION")]
        region: Option<String>,
        /// The project it belongs to (the folder name under content/projects)
        #[arg(long, value_name = "PROJECT")]
        project: Option<String>,
    },
    /// Create a small new site in DIR (one language, one project, one story, one event and
    /// the default theme) that builds as it is.
    Init {
        /// The folder to create (it must not exist, or be empty)
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Show which pages are translated into each language, which are missing, and which are
    /// outdated because the original changed after the translation.
    Translations {
        /// The site's folder, the one that holds site.yaml
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// `text` for a table, `json` for other tools
        #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
        format: String,
    },
    /// List every story about a person with its consent record: who gave it, for what, until
    /// when, and whether the story is published, expiring, taken down or refused.
    ///
    /// For data protection officers and communications staff: `--format csv` opens in a
    /// spreadsheet, `--format json` feeds other tools. Nothing is changed.
    Consents {
        /// The site's folder, the one that holds site.yaml
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// As if today were this date (YYYY-MM-DD). Also settable with VETRINA_NOW.
        #[arg(long, value_name = "DATE")]
        now: Option<Date>,
        /// Only the consents that expire within this many days, or have expired
        #[arg(long, value_name = "DAYS")]
        within: Option<u32>,
        /// `text` for a table, `csv` for a spreadsheet, `json` for other tools
        #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "csv", "json"])]
        format: String,
    },
    /// Record that a person withdrew their consent: the story is marked `withdrawn: true` in
    /// every language, and the next build removes it from the site.
    ///
    /// Only the `consent:` block of the story's files changes (`withdrawn: true`,
    /// `withdrawn_on:` today, and the reason if given). The story stays online until the site
    /// is built and published again.
    Takedown {
        /// The story: its folder name under content/stories (or its `slug`)
        #[arg(value_name = "SLUG")]
        slug: String,
        /// The site's folder, the one that holds site.yaml
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Why, as recorded (for example the request's reference); kept in the file, never
        /// published
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        /// The date of the withdrawal (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE")]
        now: Option<Date>,
    },
    /// Check the whole site without writing anything; lists every problem, and every story
    /// taken down because its consent expired or was withdrawn.
    ///
    /// Exits with status 1 if there is any error, so it can guard a publishing pipeline.
    Check {
        /// The site's folder, the one that holds site.yaml
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Check as if today were this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        now: Option<Date>,
    },
}

/// A build is one pass that ends with the process: the memory it frees is kept for its own
/// next allocations rather than given back to the system and faulted in again. (mimalloc
/// gives freed memory back after a second by default: a 10,000-story build took 11,200 page
/// faults instead of 3,200, 2.6 s of system time instead of 1.5 s.) `vetrina serve` keeps
/// the default, so that a server left idle after a large build gives its memory back.
fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc.h; -1: never purge.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: a plain store into mimalloc's table of options (not thread safe: called first
    // thing, before the build starts any thread).
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// No transparent huge pages for this process. mimalloc asks for them on its arenas, and the
/// kernel then clears 2 MiB at the first touch of any byte in one: a 1,000-story build
/// peaked at 162 MiB instead of 97, and clearing pages was 9.5 % of its samples (perf), on
/// machines where memory touched for the first time is slow (1.3 ms per MiB measured here).
fn no_huge_pages() {
    // The setting is the process's, for the regions mimalloc reserved before `main` too. A
    // kernel without it leaves things as they were: nothing to report.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

fn main() -> ExitCode {
    no_huge_pages();
    let cli = Cli::parse();
    let styled = std::io::stderr().is_terminal();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            now,
            no_search,
        } => {
            keep_freed_memory();
            let opts = BuildOptions {
                root,
                output,
                base_url,
                drafts,
                today: now,
                cache_dir: None,
                minify: None,
                search: no_search.then_some(false),
            };
            let report = vetrina::build(&opts);
            print_diagnostics(&report, styled);
            if report.nothing_changed {
                eprintln!(
                    "Nothing changed since the last build ({} pages, {} files in {}): nothing to do ({} ms).",
                    report.pages.iter().map(|(_, n)| n).sum::<usize>(),
                    report.files_unchanged,
                    opts.output_dir().display(),
                    report.elapsed.as_millis()
                );
                ExitCode::SUCCESS
            } else if report.ok() {
                let pages: Vec<String> = report
                    .pages
                    .iter()
                    .map(|(l, n)| format!("{l} {n}"))
                    .collect();
                let kept = match report.pages_kept {
                    0 => String::new(),
                    n => format!(
                        ", {n} of them unchanged since the last build and not rendered again"
                    ),
                };
                eprintln!(
                    "Built {} pages ({}{kept}) into {} in {} ms: {} files written, {} unchanged, {} removed; pictures: {} processed, {} reused.",
                    report.pages.iter().map(|(_, n)| n).sum::<usize>(),
                    pages.join(", "),
                    opts.output_dir().display(),
                    report.elapsed.as_millis(),
                    report.files_written,
                    report.files_unchanged,
                    report.files_removed,
                    report.images_processed,
                    report.images_reused
                );
                if !report.search_pages.is_empty() {
                    let per_lang: Vec<String> = report
                        .search_pages
                        .iter()
                        .map(|(l, n)| format!("{l} {n}"))
                        .collect();
                    eprintln!(
                        "Search index: {} pages ({}) in {} ms.",
                        report.search_urls.len(),
                        per_lang.join(", "),
                        report.search_elapsed.as_millis()
                    );
                }
                ExitCode::SUCCESS
            } else {
                fail_summary(&report);
                ExitCode::FAILURE
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            output,
            drafts,
            now,
        } => {
            let mut build = BuildOptions::new(root);
            build.output = output;
            build.drafts = drafts;
            build.today = now;
            let opts = vetrina::serve::ServeOptions { build, bind, port };
            let log: vetrina::serve::Logger = std::sync::Arc::new(move |report, reused, took| {
                print_diagnostics(report, styled);
                if report.ok() {
                    eprintln!(
                        "Rebuilt in {} ms: {} pages ({} unchanged, taken from the last build), {} files written, {} removed.",
                        took.as_millis(),
                        report.pages.iter().map(|(_, n)| n).sum::<usize>(),
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
            });
            match vetrina::serve::start(opts, log) {
                Ok(handle) => {
                    let url = handle.url();
                    eprintln!("Serving the site at {url} — stop with Ctrl-C.");
                    if open {
                        open_browser(&url);
                    }
                    handle.wait();
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::New {
            kind,
            title,
            root,
            lang,
            region,
            project,
        } => {
            let today = match vetrina::today_from_env() {
                Ok(d) => d,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let o = vetrina::scaffold::NewOptions {
                root: root.clone(),
                kind,
                title: title.join(" "),
                lang,
                region,
                project,
                today,
            };
            match vetrina::scaffold::new_content(&o) {
                Ok((path, todo)) => {
                    eprintln!("Created {}", root.join(&path).display());
                    if !todo.is_empty() {
                        eprintln!("Still to fill in:");
                        for t in &todo {
                            eprintln!("  - {t}");
                        }
                        eprintln!("Then run `vetrina check` to see that the site is fine.");
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Init { dir } => match vetrina::scaffold::init(&dir) {
            Ok(files) => {
                eprintln!(
                    "Created a new site in {} ({} files). Next:\n  cd {}\n  vetrina serve",
                    dir.display(),
                    files.len(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Translations { root, format } => {
            let (report, t) = vetrina::translations(&BuildOptions::new(root));
            print_diagnostics(&report, styled);
            match t {
                Some(t) if format == "json" => {
                    println!("{}", serde_json::to_string_pretty(&t).unwrap_or_default());
                    ExitCode::SUCCESS
                }
                Some(t) => {
                    print!("{}", t.to_text());
                    ExitCode::SUCCESS
                }
                None => {
                    fail_summary(&report);
                    ExitCode::FAILURE
                }
            }
        }
        Command::Consents {
            root,
            now,
            within,
            format,
        } => consents(root, now, within, &format, styled),
        Command::Takedown {
            slug,
            root,
            reason,
            now,
        } => takedown(root, &slug, reason.as_deref(), now, styled),
        Command::Check { root, now } => {
            keep_freed_memory();
            let mut opts = BuildOptions::new(root);
            opts.today = now;
            let report = vetrina::check(&opts);
            print_diagnostics(&report, styled);
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
                    report.pages.iter().map(|(_, n)| n).sum::<usize>()
                );
                ExitCode::SUCCESS
            } else {
                fail_summary(&report);
                ExitCode::FAILURE
            }
        }
    }
}

/// Opens `url` in the desktop's browser, if there is one; says so if not.
fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        eprintln!("Could not open a browser ({cmd}); open {url} yourself.");
    }
}

fn print_diagnostics(report: &Report, styled: bool) {
    for d in report.diagnostics.sorted() {
        eprintln!("{}\n", d.render(styled));
    }
}

fn fail_summary(report: &Report) {
    let n = report.diagnostics.errors().count();
    eprintln!(
        "{n} error{} found: nothing was written, the website in the output folder is unchanged.",
        if n == 1 { "" } else { "s" }
    );
}

fn consents(
    root: PathBuf,
    now: Option<Date>,
    within: Option<u32>,
    format: &str,
    styled: bool,
) -> ExitCode {
    let mut opts = BuildOptions::new(root);
    match vetrina::consents::today(now) {
        Ok(d) => opts.today = Some(d),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    let (report, register) = vetrina::consents::register(&opts, within);
    // Only the errors: the warnings about expiring consents are the register's own rows.
    for d in report.diagnostics.errors() {
        eprintln!("{}\n", d.render(styled));
    }
    let Some(register) = register else {
        fail_summary(&report);
        return ExitCode::FAILURE;
    };
    if report.diagnostics.has_errors() {
        eprintln!(
            "The site has errors (above): the register lists the stories that could be read.\n"
        );
    }
    match format {
        "json" => println!(
            "{}",
            serde_json::to_string_pretty(&register).unwrap_or_default()
        ),
        "csv" => print!("{}", register.to_csv()),
        _ => print!("{}", register.to_text()),
    }
    ExitCode::SUCCESS
}

fn takedown(
    root: PathBuf,
    slug: &str,
    reason: Option<&str>,
    now: Option<Date>,
    styled: bool,
) -> ExitCode {
    let today = match vetrina::consents::today(now) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let opts = BuildOptions::new(root);
    let (report, outcome) = vetrina::takedown::takedown(&opts, slug, reason, today);
    match outcome {
        Err(message) => {
            print_diagnostics(&report, styled);
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
        Ok(o) if o.changed.is_empty() => {
            eprintln!(
                "The consent for story `{}` is already recorded as withdrawn: nothing to change.",
                o.key
            );
            ExitCode::SUCCESS
        }
        Ok(o) => {
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
            ExitCode::SUCCESS
        }
    }
}
