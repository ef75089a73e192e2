//! The arguments of the `vetrina` command: its subcommands and their options, with the help
//! texts that `vetrina --help` shows. Only their shape: what a command does is in main.rs and
//! the library.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use vetrina::Date;

/// Vetrina turns the stories, project sheets, news and event calendars of your projects into a
/// public website, in every language of the site.
///
/// Run the commands in the folder of your site (the one with site.yaml), or give it with --root.
#[derive(Parser)]
#[command(name = "vetrina", version, about, long_about)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
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
    /// the default theme) that builds as it is, with the files that publish it from GitLab
    /// or GitHub.
    ///
    /// The publishing files (.gitlab-ci.yml and .github/workflows/publish.yml) check every
    /// merge request, publish the main branch, and rebuild the site every day so that a
    /// story whose consent expired is taken down. `vetrina init --pipelines` adds just
    /// these two files to an existing site.
    Init {
        /// The folder to create (it must not exist, or be empty); with --pipelines, the
        /// existing site's folder [default: .]
        #[arg(value_name = "DIR", required_unless_present = "pipelines")]
        dir: Option<PathBuf>,
        /// Only add the publishing files to an existing site; a file already there is never
        /// replaced
        #[arg(long)]
        pipelines: bool,
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
