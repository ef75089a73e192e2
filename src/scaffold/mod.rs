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
//! embedded in the binary (`DEFAULT_THEME`), and the publishing pipelines for GitLab and
//! GitHub, which `init_pipelines` also adds to an existing site.
//!
//! Nothing here ever overwrites a file: new files are created with `create_new`, and a
//! calendar is only ever appended to, so its existing text stays byte for byte as it was.

//!
//! The work is split by job: `new` (the command, and what it reads of the site), `frontmatter`
//! (the text of a new story, project sheet, news item or page), `events` (an event appended to a
//! calendar), `init` (a new site, from the starter files of `starter/` and the default theme).

mod events;
mod frontmatter;
mod init;
mod new;

use std::fs;
use std::io::Write;
use std::path::Path;

pub use init::{
    DEFAULT_THEME, PIPELINE_FILES, RUST_VERSION, VETRINA_VERSION, init, init_pipelines,
};
pub use new::{NewKind, NewOptions, new_content};

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
