//! The `vetrina` command: parse the arguments, call the library, print, set the exit code.
//! The arguments and their help are in `cli::args`, what is printed in `cli::print`, the
//! allocator and process set-up in `cli::process`.

mod cli;

use std::fmt::Display;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use cli::args::{Cli, Command};
use cli::{browser, print, process};
use vetrina::BuildOptions;

fn main() -> ExitCode {
    process::no_huge_pages();
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
            process::keep_freed_memory();
            let opts = BuildOptions {
                root,
                output,
                base_url,
                drafts,
                today: now,
                cache_dir: None,
                minify: None,
                search: no_search.then_some(false),
                cms_local_backend: false,
            };
            let report = vetrina::build(&opts);
            print::diagnostics(&report, styled);
            print::build_summary(&report, &opts.output_dir());
            exit(report.nothing_changed || report.ok())
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
            process::keep_freed_memory_between_saves();
            let mut build = BuildOptions::new(root);
            build.output = output;
            build.drafts = drafts;
            build.today = now;
            let opts = vetrina::serve::ServeOptions {
                build,
                bind,
                port,
                after_index: Some(process::give_back_freed_memory_if_over_limit),
                give_back_memory: Some(process::give_back_freed_memory),
            };
            let log: vetrina::serve::Logger = Arc::new(move |report, reused, took| {
                print::diagnostics(report, styled);
                print::rebuilt(report, reused, took);
            });
            match vetrina::serve::start(opts, log) {
                Ok(handle) => {
                    let url = handle.url();
                    print::serving(&url);
                    if open {
                        browser::open_browser(&url);
                    }
                    handle.wait();
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
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
                Err(e) => return fail(e),
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
                    print::created(&root.join(&path), &todo);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::Init { dir, pipelines } => {
            let dir = dir.unwrap_or_else(|| ".".into());
            let done = if pipelines {
                vetrina::scaffold::init_pipelines(&dir).map(|f| print::pipelines_added(&dir, &f))
            } else {
                vetrina::scaffold::init(&dir).map(|f| print::site_created(&dir, &f))
            };
            done.map_or_else(fail, |()| ExitCode::SUCCESS)
        }
        Command::Translations { root, format } => {
            let (report, t) = vetrina::translations(&BuildOptions::new(root));
            print::diagnostics(&report, styled);
            let Some(t) = t else {
                print::fail_summary(&report);
                return ExitCode::FAILURE;
            };
            print::translations(&t, &format);
            ExitCode::SUCCESS
        }
        Command::Consents {
            root,
            now,
            within,
            format,
        } => {
            let mut opts = BuildOptions::new(root);
            match vetrina::consents::today(now) {
                Ok(d) => opts.today = Some(d),
                Err(e) => return fail(e),
            }
            let (report, register) = vetrina::consents::register(&opts, within);
            print::errors(&report, styled);
            let Some(register) = register else {
                print::fail_summary(&report);
                return ExitCode::FAILURE;
            };
            print::register(&report, &register, &format);
            ExitCode::SUCCESS
        }
        Command::Takedown {
            slug,
            root,
            reason,
            now,
        } => {
            let today = match vetrina::consents::today(now) {
                Ok(d) => d,
                Err(e) => return fail(e),
            };
            let opts = BuildOptions::new(root);
            match vetrina::takedown::takedown(&opts, &slug, reason.as_deref(), today) {
                (_, Ok(outcome)) => {
                    print::takedown(&outcome, today);
                    ExitCode::SUCCESS
                }
                (report, Err(message)) => {
                    print::diagnostics(&report, styled);
                    fail(message)
                }
            }
        }
        Command::Check { root, now } => {
            process::keep_freed_memory();
            let mut opts = BuildOptions::new(root);
            opts.today = now;
            let report = vetrina::check(&opts);
            print::diagnostics(&report, styled);
            print::check_summary(&report);
            exit(report.ok())
        }
    }
}

/// Says what failed; the process ends with status 1.
fn fail(e: impl Display) -> ExitCode {
    print::error(e);
    ExitCode::FAILURE
}

fn exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
