//! The editing admin at `/admin/` (Decap CMS), published when site.yaml has `cms:` (and always
//! under `vetrina serve`, which saves to the site folder itself): the CMS
//! vendored from its npm package (`vendored`), its configuration generated from the model's
//! schema (`config`, `fields`, `labels`), and Vetrina's own script beside it
//! (`vetrina-cms.js`: the formats of data files, the checks Decap cannot express).
//!
//! Everything is served from the site itself: no script, style or font from another site. The
//! page says `noindex`, and nothing under `/admin/` is in the sitemap, the search index or a
//! feed (they are made from the plan's routes, which have no admin page).

mod config;
mod fields;
mod labels;
mod vendored;

use crate::model::Site;
use crate::model::schema::{CmsBackend, CmsBackendName};

/// The admin's folder in the output.
pub(crate) const ADMIN_DIR: &str = "admin";

/// Vetrina's script, loaded after Decap's: it registers the data-file formats and the checks
/// and then starts the CMS.
const ADMIN_SCRIPT: &str = include_str!("vetrina-cms.js");
/// Loaded before Decap's bundle: asks it to wait for `ADMIN_SCRIPT` before starting.
const BEFORE_SCRIPT: &str = "window.CMS_MANUAL_INIT = true;\n";

/// The files of `/admin/` (path in the output, bytes), or none when site.yaml has no `cms:`.
/// `local_backend`: the admin saves through `vetrina serve` (`/api/v1`) instead of the git
/// host.
/// Under `vetrina serve` the admin is there even without `cms:`: it saves to the folder.
pub(crate) fn files(site: &Site, local_backend: bool) -> Vec<(String, Vec<u8>)> {
    let backend = site.config.cms.as_ref().map(|c| &c.backend);
    if backend.is_none() && !local_backend {
        return Vec::new();
    }
    let mut files = vec![
        (
            format!("{ADMIN_DIR}/index.html"),
            index_html(site, backend, local_backend).into_bytes(),
        ),
        (
            format!("{ADMIN_DIR}/config.yml"),
            config::config_yml(site, local_backend).into_bytes(),
        ),
        (
            format!("{ADMIN_DIR}/vetrina-cms.js"),
            ADMIN_SCRIPT.as_bytes().to_vec(),
        ),
        (
            format!("{ADMIN_DIR}/vetrina-before.js"),
            BEFORE_SCRIPT.as_bytes().to_vec(),
        ),
    ];
    for (name, bytes) in vendored::CMS_FILES {
        files.push((format!("{ADMIN_DIR}/{name}"), bytes.to_vec()));
    }
    files
}

/// The admin's page: Decap's bundle and Vetrina's script, under a Content-Security-Policy
/// that lets the page reach only the site itself and the git host it saves to.
fn index_html(site: &Site, backend: Option<&CmsBackend>, local_backend: bool) -> String {
    let title = site.config.title.get("it", site.default_lang());
    // blob: the pictures chosen in the form are read back from the browser's memory to be
    // saved.
    let mut connect = vec!["'self'".to_string(), "blob:".to_string()];
    if !local_backend && let Some(b) = backend {
        connect.extend(backend_origins(b));
    }
    // Decap compiles its configuration's schema with `new Function` (Ajv), and its styles are
    // injected at run time (emotion): hence 'unsafe-eval' and inline styles, on this page only.
    let csp = format!(
        "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' blob: data:; connect-src {}; object-src 'none'; base-uri 'self'; \
         form-action 'self'",
        connect.join(" ")
    );
    format!(
        "<!doctype html>\n<html lang=\"it\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex, nofollow\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"referrer\" content=\"same-origin\">\n\
         <meta name=\"generator\" content=\"Vetrina, Decap CMS {decap}\">\n\
         <title>Modifica il sito – {title}</title>\n\
         <link href=\"config.yml\" type=\"text/yaml\" rel=\"cms-config-url\">\n\
         </head>\n<body>\n\
         <noscript>Per modificare il sito serve JavaScript.</noscript>\n\
         <script src=\"vetrina-before.js\"></script>\n\
         <script src=\"js-yaml.min.js\"></script>\n\
         <script src=\"decap-cms.js\"></script>\n\
         <script src=\"vetrina-cms.js\"></script>\n\
         </body>\n</html>\n",
        title = escape_html(title),
        decap = vendored::DECAP_VERSION,
    )
}

/// The origins the admin talks to when it saves to the git host: its API and its sign-in.
fn backend_origins(b: &CmsBackend) -> Vec<String> {
    let default = match b.name {
        CmsBackendName::Gitlab => Some("https://gitlab.com"),
        CmsBackendName::Github => Some("https://api.github.com"),
        CmsBackendName::Gitea => None,
    };
    let mut origins: Vec<String> = [b.api_root.as_ref(), b.base_url.as_ref()]
        .into_iter()
        .flatten()
        .filter_map(|u| url::Url::parse(&u.value).ok())
        .map(|u| u.origin().ascii_serialization())
        .collect();
    if b.api_root.is_none()
        && let Some(d) = default
    {
        origins.push(d.to_string());
    }
    origins.sort();
    origins.dedup();
    origins
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests;
