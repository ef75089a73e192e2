//! What a build is asked to do: the site folder, the output, the build date and the
//! options of the command line. Plain data, read by every stage that needs it.

use std::path::PathBuf;

use jiff::civil::Date;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holding site.yaml).
    pub root: PathBuf,
    /// The output folder; `public/` inside the site by default. It must be new, empty, or
    /// one that Vetrina made (it carries a `.vetrina-output` marker): see `write::check_output`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of site.yaml (for a preview or staging host).
    pub base_url: Option<String>,
    /// Publish drafts too.
    pub drafts: bool,
    /// The build date; today by default. Consent expiry and upcoming/past events use it.
    pub today: Option<Date>,
    /// Where processed pictures are kept between builds; `.vetrina-cache/` in the site.
    pub cache_dir: Option<PathBuf>,
    /// Overrides `minify` of site.yaml (tests read unminified pages).
    pub minify: Option<bool>,
    /// Overrides `search` of site.yaml (`vetrina build --no-search`).
    pub search: Option<bool>,
    /// The CMS at /admin/ saves through `vetrina serve`'s own local backend (`/api/v1`)
    /// instead of the git host of site.yaml's `cms:` block.
    pub cms_local_backend: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            today: None,
            cache_dir: None,
            minify: None,
            search: None,
            cms_local_backend: false,
        }
    }

    /// Where processed pictures and search indexes are kept between builds.
    pub fn cache_path(&self) -> PathBuf {
        self.cache_dir
            .clone()
            .unwrap_or_else(|| self.root.join(".vetrina-cache"))
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// The build date: `VETRINA_NOW` (YYYY-MM-DD) if set, for reproducible builds, else today.
pub fn today_from_env() -> Result<Date, String> {
    match std::env::var("VETRINA_NOW") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .get(..10)
            .unwrap_or(v.trim())
            .parse::<Date>()
            .map_err(|e| format!("VETRINA_NOW=`{v}` is not a date (YYYY-MM-DD): {e}")),
        _ => Ok(jiff::ZonedDateTime::now().date()),
    }
}
