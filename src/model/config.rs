//! site.yaml: its settings read with the same typed parser as every other file (`config`,
//! the first step of the model, whose `theme` tells `load` which theme to read), then its
//! languages, addresses and per-language texts checked. Nothing here touches the disk.

use serde_saphyr::Spanned;

use super::licences::{DEFAULT_LICENCE, LICENCES, Licence};
use super::regions;
use super::schema::{CmsBackend, CmsBackendName, ConfigFile, Direction, OpenDataConfig};
use super::site::{Language, Sections};
use super::yaml::{LangMap, Origin, parse};
use crate::diag::{Diagnostics, Pos, SourceText, unknown_help};
use crate::load::Sources;
use crate::weburl::{self, Schemes};

/// site.yaml parsed into its settings, or `None` (with the problems reported) when the site
/// has none or it cannot be read. Read before the rest of the model: its `theme` names the
/// theme that `load::theme` reads.
pub(crate) fn config(src: &Sources, diags: &mut Diagnostics) -> Option<ConfigFile> {
    let cfg_src = src.config.as_ref()?;
    parse(cfg_src, &cfg_src.text, Origin::FILE, diags)
}

/// `config`, taken from the last build of this process (`vetrina serve`) when site.yaml's
/// text is the same.
pub(crate) fn config_memo(
    src: &Sources,
    diags: &mut Diagnostics,
    memo: Option<&mut super::Memo>,
) -> Option<ConfigFile> {
    let Some(memo) = memo else {
        return config(src, diags);
    };
    let text = src.config.as_ref().map(|s| s.text.as_str());
    if let (Some(text), Some((was, config, d))) = (text, &memo.config)
        && text == was
    {
        diags.extend(d.clone());
        return config.clone();
    }
    let mut d = Diagnostics::new();
    let read = config(src, &mut d);
    memo.config = text.map(|t| (t.to_string(), read.clone(), d.clone()));
    diags.extend(d);
    read
}

/// site.yaml's settings from its text alone, for a command that needs a few of them
/// (`vetrina new`: the languages): the same typed parse as `config`; when it fails, the
/// first problem found, as `line N: what; help`.
pub(crate) fn config_from_text(text: &str) -> Result<ConfigFile, String> {
    let src = SourceText::new("site.yaml", text);
    let mut diags = Diagnostics::new();
    parse(&src, text, Origin::FILE, &mut diags).ok_or_else(|| {
        diags
            .errors()
            .next()
            .map(|d| match &d.help {
                Some(h) => format!("line {}: {}; {h}", d.pos.line, d.message),
                None => format!("line {}: {}", d.pos.line, d.message),
            })
            .unwrap_or_else(|| "it cannot be read".to_string())
    })
}

impl ConfigFile {
    /// The theme's name as site.yaml gives it (`default` when it gives none). Not yet checked:
    /// `load::theme` refuses anything but a plain folder name of themes/.
    pub(crate) fn theme_name(&self) -> &str {
        self.theme
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or("default")
    }
}

pub(super) fn languages(
    config: &ConfigFile,
    src: &SourceText,
    diags: &mut Diagnostics,
) -> Vec<Language> {
    let mut out: Vec<Language> = Vec::new();
    if config.languages.is_empty() {
        let pos = src.find_key(1, "languages:").unwrap_or(Pos::new(1, 1, 1));
        diags.error(src, pos, "the site has no languages").help(
            "list at least one language, for example `languages: [{code: it, name: Italiano}]`",
        );
    }
    for l in &config.languages {
        let code = &l.code.value;
        let valid = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
        if !valid {
            diags
                .error(src, Origin::FILE.pos_of(&l.code), format!("`{code}` is not a language code"))
                .help("use the two-letter ISO 639-1 code of the language, in lower case: it, en, fr, ar, ur, bn, ti…");
            continue;
        }
        if out.iter().any(|o| &o.code == code) {
            diags
                .error(
                    src,
                    Origin::FILE.pos_of(&l.code),
                    format!("the language `{code}` is listed twice"),
                )
                .help("keep one entry per language");
            continue;
        }
        let english = Sections::english();
        let s = l.sections.clone();
        let pick = |v: Option<String>, d: String| v.filter(|x| !x.is_empty()).unwrap_or(d);
        let sections = match s {
            Some(s) => Sections {
                projects: pick(s.projects, english.projects),
                stories: pick(s.stories, english.stories),
                news: pick(s.news, english.news),
                events: pick(s.events, english.events),
                regions: pick(s.regions, english.regions),
                calendar: pick(s.calendar, english.calendar),
                search: pick(s.search, english.search),
                data: pick(s.data, english.data),
            },
            None => english,
        };
        for seg in [
            &sections.projects,
            &sections.stories,
            &sections.news,
            &sections.events,
            &sections.regions,
            &sections.calendar,
            &sections.search,
            &sections.data,
        ] {
            if let Err(bad) = regions::check_segment(seg) {
                let pos = src
                    .find_key(l.code.referenced.line() as usize, seg)
                    .unwrap_or(Origin::FILE.pos_of(&l.code));
                diags.error(src, pos, bad.message("", seg)).help(bad.help());
            }
        }
        out.push(Language {
            code: code.clone(),
            name: l.name.clone(),
            dir: l.dir.unwrap_or(Direction::Ltr),
            locale: l.locale.clone().unwrap_or_else(|| code.clone()),
            sections,
        });
    }
    out
}

/// Checks the web address in `field` (SPEC §7, Safety) and puts in its place the form that is
/// published: the one the URL parser writes back, so that what was checked is what readers'
/// browsers follow. A refused address is reported at its place and removed.
pub(super) fn web_address(
    field: &mut Option<Spanned<String>>,
    schemes: Schemes,
    src: &SourceText,
    o: Origin,
    diags: &mut Diagnostics,
) {
    let Some(f) = field else { return };
    match weburl::check_url(&f.value, schemes) {
        Ok(url) => f.value = String::from(url),
        Err(p) => {
            diags.error(src, o.pos_of(f), p.message()).help(p.help());
            *field = None;
        }
    }
}

/// The addresses of site.yaml other than `base_url`: the accessibility statement (when it is
/// not a page key), the feedback email and the feedback address.
pub(super) fn config_addresses(config: &mut ConfigFile, src: &SourceText, diags: &mut Diagnostics) {
    let o = Origin::FILE;
    let acc = &mut config.accessibility_statement;
    // A page key is one word (letters, digits, dashes); anything else is meant as an
    // address (checked against the pages in `validate_refs`).
    if !is_page_key(&acc.value) {
        match weburl::check_url(&acc.value, Schemes::Web) {
            Ok(url) => acc.value = String::from(url),
            Err(p) => {
                diags.error(src, o.pos_of(acc), p.message()).help(format!(
                    "{} (or the key of a page of this site, like `accessibility`)",
                    p.help()
                ));
                // Nothing is linked: an empty key is no page.
                acc.value.clear();
            }
        }
    }
    let email = &mut config.feedback.email;
    match weburl::check_email(&email.value) {
        Ok(e) => email.value = e,
        Err(p) => {
            diags
                .error(src, o.pos_of(email), p.message())
                .help(p.help());
            email.value.clear();
        }
    }
    web_address(&mut config.feedback.url, Schemes::WebOrMail, src, o, diags);
    if let Some(cms) = &mut config.cms {
        cms_backend(&mut cms.backend, src, diags);
    }
    if let Some(od) = &mut config.open_data {
        open_data(od, src, diags);
    }
}

/// `open_data:`: the licence is an SPDX id of the licences Vetrina knows, or the address of
/// another licence (parsed as browsers parse it, and published in that form); the
/// publisher's identifier is one plain word. A refused value is reported and left out.
fn open_data(od: &mut OpenDataConfig, src: &SourceText, diags: &mut Diagnostics) {
    let o = Origin::FILE;
    if let Some(l) = &mut od.licence {
        let v = l.value.trim();
        if Licence::by_id(v).is_some() {
            l.value = v.to_string();
        } else if v.contains(':') || v.contains('/') {
            match weburl::check_url(v, Schemes::Web) {
                Ok(url) => l.value = String::from(url),
                Err(p) => {
                    diags.error(src, o.pos_of(l), p.message()).help(format!(
                        "{} (or the SPDX id of an open licence, like `{DEFAULT_LICENCE}`)",
                        p.help()
                    ));
                    od.licence = None;
                }
            }
        } else {
            let ids = LICENCES.iter().map(|l| l.id);
            let help = match did_you_mean_licence(v) {
                Some(id) => format!("did you mean `{id}`?"),
                None => format!(
                    "write the SPDX id of an open licence ({}), or the web address of the licence",
                    ids.collect::<Vec<_>>().join(", ")
                ),
            };
            diags
                .error(
                    src,
                    o.pos_of(l),
                    format!("`{v}` is not a licence Vetrina knows"),
                )
                .help(help);
            od.licence = None;
        }
    }
    if let Some(id) = &od.publisher_id {
        let ok = !id.value.is_empty()
            && id.value.len() <= 100
            && id
                .value
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/'));
        if !ok {
            diags
                .error(
                    src,
                    o.pos_of(id),
                    format!("`{}` is not an identifier", id.value),
                )
                .help("write the publisher's code in the Indice PA (like `r_lazio`), or another identifier of letters, digits, `-`, `_`, `.`, `:`, `/`");
            od.publisher_id = None;
        }
    }
}

/// The licence id closest to `v`, ignoring case and separators (`cc by 4.0`, `CC-BY-4`).
fn did_you_mean_licence(v: &str) -> Option<&'static str> {
    let plain = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let want = plain(v);
    LICENCES
        .iter()
        .map(|l| (l.id, strsim::jaro_winkler(&want, &plain(l.id))))
        .filter(|(_, score)| *score >= 0.85)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

/// The CMS's backend block: addresses parsed as browsers parse them, every other value a plain
/// name (what each may hold is said in the error). The block is copied into the admin's
/// configuration, so nothing else may pass.
fn cms_backend(b: &mut CmsBackend, src: &SourceText, diags: &mut Diagnostics) {
    let o = Origin::FILE;
    web_address(&mut b.api_root, Schemes::Web, src, o, diags);
    web_address(&mut b.base_url, Schemes::Web, src, o, diags);
    let name_chars = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let path_of_names = |v: &str| {
        !v.is_empty()
            && v.split('/')
                .all(|seg| !seg.is_empty() && seg != ".." && seg.chars().all(name_chars))
    };
    if b.name == CmsBackendName::Gitea && (b.api_root.is_none() || b.base_url.is_none()) {
        diags
            .error(
                src,
                o.pos_of(&b.repo),
                "a Gitea backend needs the address of its server",
            )
            .help(
                "add `api_root: https://<your Gitea>/api/v1` and `base_url: https://<your Gitea>`",
            );
    }
    let repo_ok = path_of_names(&b.repo.value) && b.repo.value.contains('/');
    if !repo_ok {
        diags
            .error(src, o.pos_of(&b.repo), format!("`{}` is not a repository", b.repo.value))
            .help("write the repository as the git host shows it: `group/site` (letters, digits, `-`, `_`, `.`)");
    }
    let mut plain = |field: &Option<Spanned<String>>, ok: &dyn Fn(&str) -> bool, what: &str| {
        if let Some(f) = field
            && !ok(&f.value)
        {
            diags
                .error(src, o.pos_of(f), format!("`{}` is not {what}", f.value))
                .help(format!("write {what}"));
        }
    };
    plain(
        &b.branch,
        &path_of_names,
        "a branch name (letters, digits, `-`, `_`, `.`, `/`)",
    );
    plain(
        &b.auth_endpoint,
        &path_of_names,
        "a path such as `oauth/authorize`",
    );
    plain(
        &b.app_id,
        &|v: &str| !v.is_empty() && v.chars().all(name_chars),
        "an application id (letters, digits, `-`, `_`, `.`)",
    );
    plain(
        &b.auth_type,
        &|v: &str| v == "pkce" || v == "implicit",
        "`pkce` or `implicit`",
    );
}

pub(super) fn is_page_key(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The site's address: `--base-url` when given, else site.yaml's `base_url`; both must be
/// absolute `http(s)` addresses (SPEC §7). site.yaml's is checked even when the option
/// replaces it, so that `check` finds it wrong before a build without the option does.
pub(super) fn base_url(
    option: Option<&str>,
    config: &ConfigFile,
    src: &SourceText,
    diags: &mut Diagnostics,
) -> String {
    let from_file = match weburl::check_base_url(&config.base_url.value) {
        Ok(b) => b,
        Err(p) => {
            diags
                .error(src, Origin::FILE.pos_of(&config.base_url), p.message())
                .help(p.help());
            String::new()
        }
    };
    match option {
        None => from_file,
        Some(raw) => match weburl::check_base_url(raw) {
            Ok(b) => b,
            Err(p) => {
                diags.file_error(
                    std::path::Path::new("--base-url"),
                    format!(
                        "the address given with --base-url is not usable: {}",
                        p.message()
                    ),
                    p.help(),
                );
                String::new()
            }
        },
    }
}

/// Reports language keys of a per-language text that are not site languages.
pub fn check_langmap(
    m: &LangMap,
    field: &str,
    src: &SourceText,
    from_line: usize,
    langs: &[&str],
    diags: &mut Diagnostics,
) {
    for k in m.langs() {
        if !langs.contains(&k) {
            let pos = src
                .find_key(from_line, &format!("{k}:"))
                .or_else(|| src.find_key(from_line, &format!("{field}:")))
                .unwrap_or(Pos::new(from_line, 1, 1));
            diags
                .error(
                    src,
                    pos,
                    format!("`{k}` is not one of the site's languages"),
                )
                .help(unknown_help("languages", k, langs.iter().copied()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::config_from_text;
    use crate::model::testing::{SITE_YAML, TODAY, build_site, files, lines};

    #[test]
    fn a_misspelt_key_of_site_yaml_gets_a_did_you_mean_at_its_line() {
        let yaml = SITE_YAML.replace("privacy_page:", "privacy_pgae:");
        let (site, d) = build_site(&files(&[("site.yaml", yaml.as_str())]), TODAY);
        assert!(site.is_none());
        assert_eq!(
            lines(&d),
            ["site.yaml:8: unknown key `privacy_pgae` | did you mean `privacy_page`?"]
        );
        // `vetrina new` reads site.yaml with the same parser, and says the same.
        let Err(e) = config_from_text(&yaml) else {
            panic!("a misspelt key must be refused")
        };
        assert_eq!(
            e,
            "line 8: unknown key `privacy_pgae`; did you mean `privacy_page`?"
        );
    }

    #[test]
    fn the_theme_name_comes_from_the_parsed_settings() {
        let c = config_from_text(SITE_YAML).unwrap();
        assert_eq!(c.theme_name(), "default");
        let c = config_from_text(&format!("{SITE_YAML}theme: \"sobrio\"  # ours\n")).unwrap();
        assert_eq!(c.theme_name(), "sobrio");
        let c = config_from_text(&format!("{SITE_YAML}theme: \"\"\n")).unwrap();
        assert_eq!(c.theme_name(), "default");
    }

    #[test]
    fn languages_must_be_codes_listed_once_and_texts_in_them() {
        let yaml = SITE_YAML
            .replace("title: {it: \"Prova\"}", "title: {it: \"Prova\", de: \"Probe\"}")
            .replace(
                "    name: Italiano\n",
                "    name: Italiano\n  - code: it\n    name: Ancora\n  - code: English\n    name: English\n",
            );
        let (_, d) = build_site(&files(&[("site.yaml", yaml.as_str())]), TODAY);
        let d = lines(&d);
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(
            d[0].starts_with("site.yaml:1: `de` is not one of the site's languages |"),
            "{d:?}"
        );
        assert!(
            d[1].starts_with("site.yaml:6: the language `it` is listed twice |"),
            "{d:?}"
        );
        assert!(
            d[2].starts_with("site.yaml:8: `English` is not a language code |"),
            "{d:?}"
        );
    }

    #[test]
    fn open_data_keys_and_the_licence_are_checked_with_a_did_you_mean() {
        let with = |block: &str| {
            let yaml = format!("{SITE_YAML}open_data:\n{block}");
            let (site, d) = build_site(&files(&[("site.yaml", yaml.as_str())]), TODAY);
            (site, lines(&d))
        };
        let (site, d) = with("  licnce: CC-BY-4.0\n");
        assert!(site.is_none());
        assert_eq!(
            d,
            ["site.yaml:12: unknown key `licnce` | did you mean `licence`?"]
        );
        let (_, d) = with("  licence: CC-BY-4\n");
        assert_eq!(
            d,
            ["site.yaml:12: `CC-BY-4` is not a licence Vetrina knows | did you mean `CC-BY-4.0`?"]
        );
        let (_, d) = with("  licence: cc by sa 4.0\n");
        assert_eq!(
            d,
            [
                "site.yaml:12: `cc by sa 4.0` is not a licence Vetrina knows | did you mean `CC-BY-SA-4.0`?"
            ]
        );
        let (_, d) = with("  licence: MIT\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].starts_with("site.yaml:12: `MIT` is not a licence Vetrina knows | write the SPDX id of an open licence (CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0, ODbL-1.0, ODC-By-1.0, PDDL-1.0), or"),
            "{d:?}"
        );
        let (_, d) = with("  licence: \"javascript:alert(1)\"\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].starts_with("site.yaml:12: "), "{d:?}");
        let (_, d) =
            with("  licence: \"https://example.org/licenza\"\n  publisher_id: \"r lazio\"\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].starts_with("site.yaml:13: `r lazio` is not an identifier |"),
            "{d:?}"
        );
        let (site, d) = with("  licence: ODbL-1.0\n  publisher_id: r_lazio\n");
        assert_eq!(d, Vec::<String>::new());
        let od = site.unwrap().config.open_data.unwrap();
        assert_eq!(od.licence.unwrap().value, "ODbL-1.0");
    }
}
