//! References between the parts of a site: every region, project, fund, organisation, page,
//! picture and map figure named somewhere must exist; an unknown one is an error with a "did
//! you mean". Also slugs and event ids that cannot be addresses. Nothing here touches the disk.

use rayon::prelude::*;
use serde_saphyr::Spanned;

use super::config::{check_langmap, is_page_key};
use super::regions::{self, Region};
use super::schema::{ImageFm, IndicatorFile};
use super::site::Site;
use super::yaml::{Origin, RegionSel};
use crate::diag::{Diagnostics, Pos, SourceText, unknown_help};

/// Reference checks across the whole site: regions, projects, funds, organisations, pages.
pub(super) fn check(
    site: &Site,
    cfg_src: &SourceText,
    indicators: &[(SourceText, IndicatorFile)],
    diags: &mut Diagnostics,
) {
    let project_keys: Vec<&str> = site.projects.iter().map(|p| p.key.as_str()).collect();
    let fund_keys: Vec<&str> = site.funds.keys().map(String::as_str).collect();
    let org_keys: Vec<&str> = site.orgs.keys().map(String::as_str).collect();
    let page_keys: Vec<&str> = site.pages.iter().map(|p| p.key.as_str()).collect();
    let lang_codes: Vec<&str> = site.langs.iter().map(|l| l.code.as_str()).collect();
    let region_keys: Vec<&str> = Region::keys().collect();

    let check = |diags: &mut Diagnostics,
                 src: &SourceText,
                 o: Origin,
                 key: &Spanned<String>,
                 known: &[&str],
                 what: &str,
                 file_hint: &str| {
        if !known.contains(&key.value.as_str()) {
            diags
                .error(
                    src,
                    o.pos_of(key),
                    format!("unknown {what} `{}`", key.value),
                )
                .help(format!(
                    "{}{}",
                    unknown_help(&format!("{what}s"), &key.value, known.iter().copied()),
                    file_hint
                ));
        }
    };
    let org_hint = " (organisations are defined in data/organisations.yaml)";
    let fund_hint = " (funds are defined in data/funds.yaml)";
    let project_hint = " (projects are the folders of content/projects)";
    let region_hint =
        " (regions are written with their Italian key, like lombardia or valle-d-aosta)";

    let cfg_o = Origin::FILE;
    for f in &site.config.funds {
        check(diags, cfg_src, cfg_o, f, &fund_keys, "fund", fund_hint);
    }
    check(
        diags,
        cfg_src,
        cfg_o,
        &site.config.privacy_page,
        &page_keys,
        "page",
        " (pages are the folders of content/pages)",
    );
    let acc = &site.config.accessibility_statement;
    if is_page_key(&acc.value) {
        check(
            diags,
            cfg_src,
            cfg_o,
            acc,
            &page_keys,
            "page",
            " (pages are the folders of content/pages; the statement can also be a full address starting with https://)",
        );
    }
    if let Some(p) = &site.config.publisher {
        check(
            diags,
            cfg_src,
            cfg_o,
            p,
            &org_keys,
            "organisation",
            org_hint,
        );
    }
    if let Some(m) = &site.config.map {
        let mut known: Vec<String> = vec!["projects".into(), "stories".into(), "events".into()];
        for (_, ind) in indicators {
            for f in &ind.figures {
                known.push(format!("{}/{}", ind.project.value, f.id));
            }
        }
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        check(
            diags,
            cfg_src,
            cfg_o,
            &m.figure,
            &known,
            "map figure",
            " (a count per region, or <project>/<figure id> from data/indicators)",
        );
    }

    if let Some(src) = &site.funds_src {
        for fund in site.funds.values() {
            for a in &fund.authorities {
                check(
                    diags,
                    src,
                    cfg_o,
                    &a.org,
                    &org_keys,
                    "organisation",
                    org_hint,
                );
            }
        }
    }

    for p in &site.projects {
        for d in p.docs.values() {
            let o = Origin { first_line: 2 };
            for f in &d.fm.funds {
                check(diags, &d.src, o, f, &fund_keys, "fund", fund_hint);
            }
            if let Some(l) = &d.fm.lead {
                check(diags, &d.src, o, l, &org_keys, "organisation", org_hint);
            }
            for pt in &d.fm.partners {
                check(
                    diags,
                    &d.src,
                    o,
                    &pt.org,
                    &org_keys,
                    "organisation",
                    org_hint,
                );
            }
            if let RegionSel::Some(list) = &d.fm.regions.value {
                for r in list {
                    check(diags, &d.src, o, r, &region_keys, "region", region_hint);
                }
            }
            let words = d.fm.summary.value.split_whitespace().count();
            if words > 100 {
                diags
                    .error(&d.src, o.pos_of(&d.fm.summary), format!("the summary has {words} words; the limit is 100"))
                    .help("shorten the summary: it is shown in lists and search results; the details belong in the text");
            }
            check_slug(d.fm.slug.as_ref(), &d.src, diags);
        }
    }
    let check_cover = |diags: &mut Diagnostics,
                       section: &str,
                       key: &str,
                       src: &SourceText,
                       img: &Option<Spanned<ImageFm>>| {
        let Some(img) = img else { return };
        let name = &img.value.src;
        let here: Vec<&str> = site
            .assets
            .iter()
            .filter(|a| a.section == section && a.key == key)
            .map(|a| a.name.as_str())
            .collect();
        if !here.contains(&name.value.as_str()) {
            diags
                .error(
                    src,
                    Origin { first_line: 2 }.pos_of(name),
                    format!("the picture `{}` is not in this story's folder", name.value),
                )
                .help(format!(
                    "put the picture beside the text, or correct the name; {}",
                    unknown_help("files here", &name.value, here.iter().copied())
                ));
        } else if !crate::picture_kind::is_raster(&name.value) {
            diags
                .error(
                    src,
                    Origin { first_line: 2 }.pos_of(name),
                    format!(
                        "`{}` is not a JPEG, PNG, WebP, GIF, TIFF or BMP picture",
                        name.value
                    ),
                )
                .help("save the picture as JPEG (photos) or PNG (drawings)");
        }
    };
    // The stories (most of the site) checked on any thread, what each reports kept in
    // their order.
    let found: Vec<Diagnostics> = site
        .stories
        .par_iter()
        .map(|s| {
            let mut diags = Diagnostics::new();
            let diags = &mut diags;
            for d in s.docs.values() {
                check_cover(diags, "stories", &s.key, &d.src, &d.fm.image);
                let o = Origin { first_line: 2 };
                check(
                    diags,
                    &d.src,
                    o,
                    &d.fm.project,
                    &project_keys,
                    "project",
                    project_hint,
                );
                check(
                    diags,
                    &d.src,
                    o,
                    &d.fm.region,
                    &region_keys,
                    "region",
                    region_hint,
                );
                check_slug(d.fm.slug.as_ref(), &d.src, diags);
            }
            std::mem::take(diags)
        })
        .collect();
    for d in found {
        diags.extend(d);
    }
    for n in &site.news {
        for d in n.docs.values() {
            check_cover(diags, "news", &n.key, &d.src, &d.fm.image);
            let o = Origin { first_line: 2 };
            for p in &d.fm.projects {
                check(diags, &d.src, o, p, &project_keys, "project", project_hint);
            }
            for r in &d.fm.regions {
                check(diags, &d.src, o, r, &region_keys, "region", region_hint);
            }
            check_slug(d.fm.slug.as_ref(), &d.src, diags);
        }
    }
    for p in &site.pages {
        for d in p.docs.values() {
            check_slug(d.fm.slug.as_ref(), &d.src, diags);
        }
    }
    for e in &site.events {
        let o = Origin::FILE;
        let f = &e.file;
        for p in &e.data.projects {
            check(diags, f, o, p, &project_keys, "project", project_hint);
        }
        for r in &e.data.regions {
            check(diags, f, o, r, &region_keys, "region", region_hint);
        }
        if let Some(org) = &e.data.organiser {
            check(diags, f, o, org, &org_keys, "organisation", org_hint);
        }
        for s in &e.data.programme {
            for sp in &s.speakers {
                if let Some(org) = &sp.org {
                    check(diags, f, o, org, &org_keys, "organisation", org_hint);
                }
            }
        }
        let line = e.data.id.referenced.line() as usize;
        check_langmap(&e.data.title, "title", f, line, &lang_codes, diags);
        let id = &e.data.id.value;
        if let Err(bad) = regions::check_segment(id) {
            diags
                .error(f, o.pos_of(&e.data.id), bad.message("the event id ", id))
                .help(bad.help());
        } else if let Some(l) = site.langs.iter().find(|l| &l.sections.calendar == id) {
            diags
                .error(
                    f,
                    o.pos_of(&e.data.id),
                    format!(
                        "the event id `{id}` is the name of the calendar file in {}",
                        l.name
                    ),
                )
                .help("give the event another id, for example with its place and year");
        }
    }
    for (src, ind) in indicators {
        let o = Origin::FILE;
        check(
            diags,
            src,
            o,
            &ind.project,
            &project_keys,
            "project",
            project_hint,
        );
        for fig in &ind.figures {
            for r in fig.regions.keys() {
                if !region_keys.contains(&r.as_str()) {
                    let pos = src
                        .find_key(1, &format!("{r}:"))
                        .unwrap_or(Pos::new(1, 1, 1));
                    diags
                        .error(src, pos, format!("unknown region `{r}`"))
                        .help(format!(
                            "{}{region_hint}",
                            unknown_help("regions", r, region_keys.iter().copied())
                        ));
                }
            }
        }
    }
}

fn check_slug(slug: Option<&Spanned<String>>, src: &SourceText, diags: &mut Diagnostics) {
    if let Some(s) = slug
        && let Err(bad) = regions::check_segment(&s.value)
    {
        diags
            .error(
                src,
                Origin { first_line: 2 }.pos_of(s),
                bad.message("", &s.value),
            )
            .help(bad.help());
    }
}

#[cfg(test)]
mod tests {
    use crate::model::testing::{STORY, STORY_PATH, TODAY, build_site, files, lines};

    #[test]
    fn an_unknown_project_is_an_error_with_did_you_mean_at_its_line() {
        let story = STORY.replace("project: alfa", "project: alfs");
        let (_, d) = build_site(&files(&[(STORY_PATH, story.as_str())]), TODAY);
        assert_eq!(
            lines(&d),
            [format!(
                "{STORY_PATH}:5: unknown project `alfs` | did you mean `alfa`? (projects are the folders of content/projects)"
            )]
        );
        // Nothing close: the known projects are listed instead.
        let story = STORY.replace("project: alfa", "project: zeta-sud");
        let (_, d) = build_site(&files(&[(STORY_PATH, story.as_str())]), TODAY);
        assert_eq!(
            lines(&d),
            [format!(
                "{STORY_PATH}:5: unknown project `zeta-sud` | known projects: alfa (projects are the folders of content/projects)"
            )]
        );
    }

    #[test]
    fn unknown_regions_funds_and_pages_are_named_where_they_are_written() {
        let story = STORY.replace("region: lazio", "region: lazzio");
        let yaml = crate::model::testing::SITE_YAML
            .replace("funds: []", "funds: [fami]")
            .replace("privacy_page: privacy", "privacy_page: privaci");
        let (_, d) = build_site(
            &files(&[(STORY_PATH, story.as_str()), ("site.yaml", yaml.as_str())]),
            TODAY,
        );
        let d = lines(&d);
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(
            d.contains(&format!(
                "{STORY_PATH}:6: unknown region `lazzio` | did you mean `lazio`? (regions are written with their Italian key, like lombardia or valle-d-aosta)"
            )),
            "{d:?}"
        );
        assert!(
            d.contains(&"site.yaml:6: unknown fund `fami` | none of the funds is defined yet (funds are defined in data/funds.yaml)".to_string()),
            "{d:?}"
        );
        assert!(
            d.iter()
                .any(|l| l
                    .starts_with("site.yaml:8: unknown page `privaci` | did you mean `privacy`?")),
            "{d:?}"
        );
    }
}
