//! The files a build publishes as they are: the re-encoded variants of the pictures beside
//! the texts (never an original), the documents the texts link to, and the theme's static
//! files, each with its place in the output.

use std::path::PathBuf;

use crate::images::{Pictures, is_raster};
use crate::load::Theme;
use crate::model::Site;
use crate::plan::{Plan, file_of};

/// (path in the output, source file) of every file copied as it is, sorted.
pub(super) fn copies(
    site: &Site,
    plan: &Plan,
    theme: &Theme,
    pictures: &Pictures,
) -> Vec<(String, PathBuf)> {
    let mut copies = Vec::new();
    for a in &site.assets {
        let Some(dir) = plan.bundle_dir(&a.section, &a.key) else {
            continue;
        };
        if is_raster(&a.name) {
            // Never the original: only the re-encoded variants, free of metadata.
            if let Some(p) = pictures.get(&a.section, &a.key, &a.name) {
                for v in &p.variants {
                    copies.push((file_of(&format!("{dir}{}", v.file_name)), v.cached.clone()));
                }
            }
        } else {
            copies.push((file_of(&format!("{dir}{}", a.name)), a.abs.clone()));
        }
    }
    for (_, published, abs) in &theme.statics {
        copies.push((published.clone(), abs.clone()));
    }
    copies.sort();
    copies
}
