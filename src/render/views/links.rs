//! The links written in texts: the Markdown of an entry rendered with its pictures and
//! files, and every address in it that points into the site checked against the planned
//! pages (a missing page is reported with the nearest address, a story taken down as such).

use crate::diag::Diagnostics;
use crate::images::{Placement, picture_html};
use crate::model::{Doc, Entity};
use crate::plan::{href, url_name};
use crate::render::markdown::{self, MdInput};

use super::context::Cx;

/// The page path closest to a mistyped one, if it is a likely typo: a few letters apart
/// (`/progetti/puio/` → `/progetti/puoi/`), not merely sharing a folder.
fn nearest_path<'p>(path: &str, paths: impl Iterator<Item = &'p str>) -> Option<String> {
    let most = (path.chars().count() / 6).clamp(1, 4);
    paths
        .map(|p| (strsim::levenshtein(path, p), p))
        .filter(|(d, _)| *d <= most)
        .min()
        .map(|(_, p)| p.to_string())
}

impl Cx<'_, '_> {
    pub(super) fn markdown<T>(
        &self,
        section: &str,
        e: &Entity<T>,
        doc: &Doc<T>,
        diags: &mut Diagnostics,
    ) -> String {
        let names: Vec<&str> = self
            .site()
            .assets
            .iter()
            .filter(|a| a.section == section && a.key == e.key)
            .map(|a| a.name.as_str())
            .collect();
        let dir = self
            .s
            .plan
            .bundle_dir(section, &e.key)
            .unwrap_or("/")
            .to_string();
        let asset_href = |n: &str| href(self.path, &format!("{dir}{}", url_name(n)));
        let picture = |n: &str, alt: &str| -> Option<String> {
            let p = self.s.pictures.get(section, &e.key, n)?;
            Some(picture_html(p, &asset_href, alt, Placement::InText))
        };
        // Relative links are checked in the text's own language only: a page shown in
        // another language's place (no translation yet) has other addresses around it.
        let own = doc.lang == self.l();
        let site_link = |url: &str| self.site_link(url, own);
        markdown::render(
            &MdInput {
                site_link: &site_link,
                picture: &picture,
                body: doc.body(),
                body_offset: doc.body_offset,
                src: &doc.src,
                assets: &names,
                asset_href: &asset_href,
            },
            diags,
        )
    }
    /// What `url`, written in a text, is to the site. Addresses of the site are those that
    /// start with `/` (not `//`) or with the site's `base_url`, and, when `relative` is set,
    /// those relative to this page (`../altra-storia/`); of those, the addresses of pages
    /// (ending in `/` or `.html`, or in a name without a dot) are checked against the site's
    /// pages, and written relative to this page so that they work from disk and under any
    /// folder. Files (`/feed.xml`, a PDF) are left as written.
    pub(super) fn site_link(&self, url: &str, relative: bool) -> markdown::SiteLink {
        use markdown::SiteLink;
        let base = self.site().base_url.trim_end_matches('/');
        // The folder the site is published under, if any (`https://example.org/sito`): an
        // address copied from the browser without the host starts with it.
        let folder = base
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or("");
        let local = match url.strip_prefix(base) {
            Some("") if !base.is_empty() => "/".to_string(),
            Some(rest) if !base.is_empty() && rest.starts_with(['/', '?', '#']) => {
                format!("/{}", rest.trim_start_matches('/'))
            }
            _ if url.starts_with('/') => match url.strip_prefix(folder) {
                Some(rest) if !folder.is_empty() && rest.is_empty() => "/".to_string(),
                Some(rest) if !folder.is_empty() && rest.starts_with(['/', '?', '#']) => {
                    format!("/{}", rest.trim_start_matches('/'))
                }
                _ => url.to_string(),
            },
            _ if relative
                && !url.is_empty()
                && !url.starts_with(['#', '?'])
                && !url.split('/').next().unwrap_or_default().contains(':') =>
            {
                let mut parts: Vec<&str> = self.path.split('/').filter(|p| !p.is_empty()).collect();
                if !self.path.ends_with('/') {
                    parts.pop();
                }
                let ends_in_folder = url.ends_with('/');
                for seg in url.split('/').filter(|p| !p.is_empty()) {
                    match seg {
                        "." => {}
                        ".." => {
                            if parts.pop().is_none() {
                                return SiteLink::Other;
                            }
                        }
                        s => parts.push(s),
                    }
                }
                format!(
                    "/{}{}",
                    parts.join("/"),
                    if ends_in_folder && !parts.is_empty() {
                        "/"
                    } else {
                        ""
                    }
                )
            }
            _ => return SiteLink::Other,
        };
        let local = local.as_str();
        if !local.starts_with('/') || local.starts_with("//") {
            return SiteLink::Other;
        }
        let cut = local.find(['?', '#']).unwrap_or(local.len());
        let (path, suffix) = local.split_at(cut);
        let last = path.rsplit('/').next().unwrap_or_default();
        let page = match last {
            "index.html" => path.trim_end_matches("index.html").to_string(),
            l if l.ends_with(".html") => path.to_string(),
            l if l.contains('.') => return SiteLink::Other,
            "" => path.to_string(),
            _ => format!("{path}/"),
        };
        if self.s.page_paths().contains(page.as_str()) {
            return SiteLink::Page(href(self.path, &page) + suffix);
        }
        if self.s.plan.withdrawn.contains(&page) {
            return SiteLink::Withdrawn(page);
        }
        SiteLink::Missing {
            near: nearest_path(&page, self.s.page_paths().iter().copied()),
            path: page,
        }
    }
}
