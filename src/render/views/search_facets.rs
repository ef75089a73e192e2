//! What an indexed page says of itself for the search page's filters: its section and the
//! keys of the regions and projects it is about. The base template writes them as
//! attributes of the indexed element (`data-search-section`, `data-search-regions`,
//! `data-search-projects`), where the search index reads them (it never reads the model).
//! A national project is about every region, as its region hubs show it; a region hub is
//! about the projects it lists.

use serde::Serialize;

use super::context::Cx;
use crate::model::regions::Region;
use crate::model::yaml::RegionSel;
use crate::plan::Kind;

/// A page's facets, keys separated by spaces.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub(super) struct SearchFacets {
    section: &'static str,
    regions: String,
    projects: String,
}

/// The facets of an indexed page of this kind; none for pages the index leaves out.
pub(super) fn search_facets(cx: &Cx, kind: &Kind) -> Option<SearchFacets> {
    let site = cx.site();
    let l = cx.l();
    let join = |keys: &mut dyn Iterator<Item = &str>| keys.collect::<Vec<_>>().join(" ");
    let regions_of = |sel: &RegionSel| match sel {
        RegionSel::All => join(&mut Region::keys()),
        RegionSel::Some(v) => join(&mut v.iter().map(|r| r.value.as_str())),
    };
    let (section, regions, projects) = match kind {
        Kind::Project(key) => {
            let p = site.project(key)?;
            let fm = &p.doc(l, &site.langs).0.fm;
            ("projects", regions_of(&fm.regions.value), key.clone())
        }
        Kind::Story(key) => {
            let fm = &cx.s.story(key.as_str())?.doc(l, &site.langs).0.fm;
            ("stories", fm.region.value.clone(), fm.project.value.clone())
        }
        Kind::News(key) => {
            let fm = &cx.s.news(key.as_str())?.doc(l, &site.langs).0.fm;
            (
                "news",
                join(&mut fm.regions.iter().map(|r| r.value.as_str())),
                join(&mut fm.projects.iter().map(|p| p.value.as_str())),
            )
        }
        Kind::Event(id) => {
            let e = site.events.iter().find(|e| e.id() == id)?;
            (
                "events",
                join(&mut e.data.regions.iter().map(|r| r.value.as_str())),
                join(&mut e.data.projects.iter().map(|p| p.value.as_str())),
            )
        }
        Kind::Region(key) => {
            let projects =
                site.projects
                    .iter()
                    .filter(|p| match &p.source(&site.langs).fm.regions.value {
                        RegionSel::All => true,
                        RegionSel::Some(v) => v.iter().any(|r| &r.value == key),
                    });
            (
                "regions",
                key.clone(),
                join(&mut projects.map(|p| p.key.as_str())),
            )
        }
        // The open data page is a page among the others.
        Kind::Page(_) | Kind::Data => ("pages", String::new(), String::new()),
        _ => return None,
    };
    Some(SearchFacets {
        section,
        regions,
        projects,
    })
}
