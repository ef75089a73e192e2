//! The search page: the form, where the index and its script are (from the plan), and the
//! interface strings the script needs, as JSON. The index itself is made by `search`.

use super::context::{Cx, all_langs, i18n};
use super::filters::{Choice, choices};
use super::{PageContext, PageParts};
use crate::diag::Diagnostics;
use crate::model::regions::Region;
use crate::plan::FileKind;
use crate::render::i18n::Entry;

/// The choices of the search page's filters, with the keys the index gives each page (see
/// `search_facets`): every section, every region (a region's hub is indexed) and every
/// project, by name in the page's language. The years are those of the results, offered by
/// the script.
#[derive(serde::Serialize)]
struct SearchFilters {
    sections: Vec<Choice>,
    regions: Vec<Choice>,
    projects: Vec<Choice>,
}

fn search_filters(cx: &Cx) -> SearchFilters {
    let regions: Vec<&str> = Region::keys().collect();
    let projects: Vec<&str> = cx.site().projects.iter().map(|p| p.key.as_str()).collect();
    let named = choices(
        cx,
        regions.iter().copied(),
        projects.iter().copied(),
        std::iter::empty(),
    );
    let sections = [
        ("projects", "nav_projects"),
        ("stories", "nav_stories"),
        ("news", "nav_news"),
        ("events", "nav_events"),
        ("regions", "nav_regions"),
        ("pages", "search_section_pages"),
    ]
    .into_iter()
    .map(|(value, key)| Choice {
        value: value.to_string(),
        label: i18n(cx, key),
    })
    .collect();
    SearchFilters {
        sections,
        regions: named.regions,
        projects: named.projects,
    }
}

/// The search page: the form, where the index and its script are, and the interface strings its script
/// needs (the plural forms of the result count among them), as JSON.
pub(super) fn search_page(cx: &Cx, ctx: &mut PageContext, diags: &mut Diagnostics) -> PageParts {
    let l = cx.l();
    let mut strings = serde_json::Map::new();
    for key in [
        "search_loading",
        "search_empty",
        "search_none",
        "search_results",
    ] {
        let value = match cx.s.i18n.entry(l, key) {
            Some(entry) => entry.to_json(),
            None => {
                // The template that asks for it, in the site's own theme.
                let theme = cx.site().config.theme_name();
                diags.file_error(
                    std::path::Path::new(&format!("themes/{theme}/templates/search.html")),
                    format!("missing interface string `{key}` for language `{l}`"),
                    cx.s.i18n.missing_help(l, key),
                );
                continue;
            }
        };
        strings.insert(key.to_string(), value);
    }
    // Notes added later (words left out, words corrected, filtered counts, links to a
    // heading): a theme of its own without them still builds, its search page without them.
    for key in [
        "search_dropped",
        "search_corrected",
        "search_filtered",
        "search_sub",
    ] {
        if let Some(Entry::Text(t)) = cx.s.i18n.entry(l, key) {
            strings.insert(key.to_string(), serde_json::Value::from(t.as_str()));
        }
    }
    let json = crate::render::script_json::to_script(&serde_json::Value::Object(strings));
    ctx.insert("search_filters", &search_filters(cx));
    ctx.insert("search_strings", &json);
    ctx.insert("search_locale", &cx.lang.locale);
    ctx.insert(
        "search_bundle",
        &cx.file_link(FileKind::SearchScript)
            .map(|l| format!("{l}?v={}", crate::search::runtime_version()))
            .unwrap_or_default(),
    );
    ctx.insert(
        "search_index",
        &cx.file_link(FileKind::SearchIndex).unwrap_or_default(),
    );
    (
        "search.html",
        i18n(cx, "search_title"),
        cx.s.content_date(),
        all_langs(cx.site()),
    )
}
