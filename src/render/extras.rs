//! The files made beside the pages: calendars, feeds, the sitemap, the story cards the
//! lists' filters read, the open data and the web editor's files. Each kind is made by one
//! [`Job`], on whichever thread is free, and each file says which story cards it shows
//! (`prints::card_print` of each): a feed and a file of cards show stories' titles and
//! summaries; the other files show none.
//!
//! That is what lets a rebuild after an edit of what cards show (a story's title or
//! summary, see `reuse`) keep most of them: a file whose cards are all among the site's
//! now is as the last build made it, and so is every file of a job that shows no card
//! (nothing it reads changed). After a title edit at 10,000 stories, the file of cards of
//! the edited language and the few feeds that show the story are made again, not the
//! other three files of cards, the hundred feeds and the sitemap.

use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::i18n::I18n;
use super::views::{self, Shared};
use super::{feeds, ics};
use crate::model::Site;
use crate::plan::Plan;
use crate::write::Bytes;
use crate::{admin, opendata};

/// A file made beside the pages.
#[derive(Clone, Debug)]
pub(crate) struct Extra {
    /// Its path in the output.
    pub path: String,
    /// Its bytes: none when it is taken from the output folder as it is.
    pub bytes: Bytes,
    /// Whether it is in the output as the last build left it (not written again).
    pub kept: bool,
    /// The job that made it.
    pub job: Job,
    /// The prints of the story cards it shows, sorted (none for most).
    pub cards: Arc<[u64]>,
}

impl Extra {
    fn made(job: Job, path: String, bytes: Bytes, cards: Vec<u64>) -> Extra {
        Extra {
            path,
            bytes,
            kept: false,
            job,
            cards: cards.into(),
        }
    }
}

/// What makes the files beside the pages, one kind each. The number is the one the
/// ledger records: a new job takes a new number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Job {
    Calendars = 0,
    Feeds = 1,
    Sitemap = 2,
    StoryCards = 3,
    OpenData = 4,
    Editor = 5,
}

impl Job {
    pub(crate) const ALL: [Job; 6] = [
        Job::Calendars,
        Job::Feeds,
        Job::Sitemap,
        Job::StoryCards,
        Job::OpenData,
        Job::Editor,
    ];

    /// The job recorded as `n`.
    pub(crate) fn from_number(n: u8) -> Option<Job> {
        Job::ALL.into_iter().find(|j| *j as u8 == n)
    }
}

/// What a build may keep of the last build's files beside the pages (`reuse::Decisions`).
pub(super) trait KeptExtras: Sync {
    /// Every file `job` made in the last build, if each is kept (see the module's text).
    fn kept_job(&self, job: Job) -> Option<Vec<Extra>>;
    /// The last build's file at `path`, if it is kept.
    fn kept_file(&self, path: &str) -> Option<Extra>;
}

/// What the jobs read.
pub(super) struct Sources<'a> {
    pub site: &'a Site,
    pub plan: &'a Plan,
    pub views: &'a Shared<'a>,
    pub i18n: &'a I18n,
    pub cms_local_backend: bool,
}

/// Every file beside the pages: those `kept` allows taken from the last build, the others
/// made, each job on whichever thread is free.
pub(super) fn make(src: &Sources, kept: &dyn KeptExtras) -> Vec<Extra> {
    let made: Vec<Vec<Extra>> = Job::ALL
        .par_iter()
        .map(|&job| kept.kept_job(job).unwrap_or_else(|| run(src, job, kept)))
        .collect();
    made.into_iter().flatten().collect()
}

/// The files of `job`; those of its files `kept` allows (feeds and files of cards, which
/// are made one by one) are taken instead of made.
fn run(src: &Sources, job: Job, kept: &dyn KeptExtras) -> Vec<Extra> {
    let Sources {
        site,
        plan,
        views,
        i18n,
        cms_local_backend,
    } = *src;
    let no_cards = |files: Vec<(String, Bytes)>| -> Vec<Extra> {
        (files.into_iter())
            .map(|(p, b)| Extra::made(job, p, b, Vec::new()))
            .collect()
    };
    let shared = |files: Vec<(String, Vec<u8>)>| {
        no_cards(files.into_iter().map(|(p, b)| (p, Arc::new(b))).collect())
    };
    // The files of the job that are kept, gathered as the job passes them by.
    let taken = Mutex::new(Vec::new());
    let skip = |path: &str| match kept.kept_file(path) {
        Some(x) => {
            taken.lock().unwrap_or_else(|e| e.into_inner()).push(x);
            true
        }
        None => false,
    };
    let mut files = match job {
        Job::Calendars => no_cards(ics::calendars(site, plan)),
        Job::Feeds => {
            let print = |s: &_, d: &_| views.card_print(s, d);
            (feeds::atom_feeds(site, plan, &print, &skip).into_iter())
                .map(|(p, b, cards)| Extra::made(job, p, b, cards))
                .collect()
        }
        Job::Sitemap => shared(feeds::sitemap(site, plan)),
        Job::StoryCards => (views::story_cards_files(views, &skip).into_iter())
            .map(|(p, b, cards)| Extra::made(job, p, Arc::new(b), cards))
            .collect(),
        Job::OpenData => {
            let texts = |l: &str, k: &str| i18n.get(l, k).map(str::to_string);
            shared(opendata::files(site, plan, &texts))
        }
        // The web editor reads the site's settings and its forms, not its texts.
        Job::Editor => shared(admin::files(site, cms_local_backend)),
    };
    files.extend(taken.into_inner().unwrap_or_else(|e| e.into_inner()));
    files
}
