//! Render: every planned route becomes bytes, through the theme's Tera templates.
//!
//! All sorting, grouping, formatting and URL building happen here in Rust and reach the
//! templates as plain data (the "views" below); templates only lay it out. Routes render in
//! parallel over a shared, read-only `Site`. Nothing here touches the disk.

pub mod i18n;
pub mod markdown;
mod templates;
mod views;

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::Diagnostics;
use crate::load::Theme;
use crate::model::Site;
use crate::plan::Plan;
use i18n::I18n;

/// Everything a build publishes, in memory, before anything is written.
#[derive(Debug, Default)]
pub struct Output {
    /// Generated files: (path relative to the output folder, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    /// Files copied as they are: (path relative to the output folder, source file).
    pub copies: Vec<(String, PathBuf)>,
}

/// Renders every route of `plan`. Template and Markdown problems are diagnostics.
pub fn render(site: &Site, plan: Plan, theme: &Theme, diags: &mut Diagnostics) -> Output {
    let langs: Vec<(&str, &str)> = site
        .langs
        .iter()
        .map(|l| (l.code.as_str(), l.locale.as_str()))
        .collect();
    let i18n = Arc::new(I18n::load(&theme.i18n, &site.i18n_overrides, &langs, diags));
    let plan = Arc::new(plan);
    let Some(tera) = templates::engine(theme, i18n.clone(), plan.clone(), diags) else {
        return Output::default();
    };
    let ctx = views::Shared::new(site, &plan, &i18n);

    type Rendered = (Option<(String, Vec<u8>)>, Diagnostics);
    let results: Vec<Rendered> = plan
        .routes
        .par_iter()
        .map(|route| {
            let mut d = Diagnostics::new();
            let page = views::page(&ctx, route, &mut d).and_then(|(template, context)| {
                templates::render(&tera, theme, &template, &context, &mut d)
            });
            (page.map(|html| (route.file(), html.into_bytes())), d)
        })
        .collect();
    let mut out = Output::default();
    for (file, d) in results {
        diags.extend(d);
        out.files.extend(file);
    }
    for a in &site.assets {
        if let Some(dir) = plan.bundle_dir(&a.section, &a.key) {
            let dest = crate::plan::file_of(&format!("{dir}{}", a.name));
            out.copies.push((dest, a.abs.clone()));
        }
    }
    for (rel, abs) in &theme.statics {
        out.copies.push((rel.clone(), abs.clone()));
    }
    out.files.sort_by(|a, b| a.0.cmp(&b.0));
    out.copies.sort();
    out
}
