//! The Tera engine of a theme, its functions, and template errors as diagnostics.
//!
//! Functions available to templates:
//! - `t(key="…")`: the interface string in the page's language (a missing key is an error
//!   naming the key, the language and the template);
//! - `plural(key="…", n=3)`: the string in the plural form CLDR chooses for `n` in the page's
//!   language, with `{n}` replaced by the number;
//! - `url(kind="project", key="puoi", lang="en")`: a link, relative to the current page, to any
//!   page of the site (`lang` defaults to the page's language);
//! - `asset(path="style.css")`: a link, relative to the current page, to a file of the theme's
//!   `static/` folder under its published name (CSS and JavaScript carry a content hash).

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use tera::{Context, ErrorKind, Kwargs, State, Tera};

use super::i18n::I18n;
use crate::diag::{Diagnostics, Pos, SourceText};
use crate::load::Theme;
use crate::plan::{PageKind, Plan, href};

/// The theme's templates, compiled: as written, and minified when the site is.
pub struct Engine {
    /// The templates as written: their errors point at the lines authors see.
    written: Tera,
    /// The templates minified (see [`super::minify`]): what pages are rendered with.
    minified: Option<Tera>,
}

/// A variable of the page as text: a string as it is (Tera's `String` argument formats
/// every value anew, a cost in every `url()` and `t()`), another value as Tera writes it.
fn var(state: &State, name: &str) -> tera::TeraResult<Option<String>> {
    Ok(state.get::<tera::Value>(name)?.map(|v| match v.as_str() {
        Some(s) => s.to_string(),
        None => v.to_string(),
    }))
}

/// The language a function is asked for: its `lang` argument, else the page's.
fn lang_of(kw: &Kwargs, state: &State) -> tera::TeraResult<String> {
    Ok(match kw.get::<Cow<str>>("lang")? {
        Some(l) => l.into_owned(),
        None => var(state, "lang")?.unwrap_or_default(),
    })
}

/// The templates whose values Tera escapes for HTML.
const AUTOESCAPE: [&str; 3] = [".html", ".svg", ".xml"];

pub fn engine(
    theme: &Theme,
    i18n: Arc<I18n>,
    plan: Arc<Plan>,
    statics: Arc<rustc_hash::FxHashMap<String, String>>,
    minify: bool,
    diags: &mut Diagnostics,
) -> Option<Engine> {
    // Arguments as `Cow<str>`: a string is borrowed (`String` formats every value anew).
    let mut tera = Tera::new();
    tera.register_function(
        "asset",
        move |kw: Kwargs, state: &State| -> tera::TeraResult<String> {
            let path: Cow<str> = kw.must_get("path")?;
            let from = var(state, "page_path")?.unwrap_or_else(|| "/".into());
            match statics.get(path.trim_start_matches('/')) {
                Some(published) => Ok(href(&from, published)),
                None => {
                    let known: Vec<&str> = statics.keys().map(String::as_str).collect();
                    let hint = crate::diag::did_you_mean(&path, known.iter().copied())
                        .map(|s| format!(" Did you mean `{s}`?"))
                        .unwrap_or_default();
                    Err(tera::Error::message(format!(
                        "asset(): the theme has no file `static/{path}`.{hint}"
                    )))
                }
            }
        },
    );
    tera.autoescape_on(AUTOESCAPE);
    let plurals = i18n.clone();
    tera.register_function(
        "plural",
        move |kw: Kwargs, state: &State| -> tera::TeraResult<String> {
            let key: Cow<str> = kw.must_get("key")?;
            let n: u64 = kw.must_get("n")?;
            let lang = var(state, "lang")?.unwrap_or_default();
            plurals.plural(&lang, &key, n).map_err(|help| {
                tera::Error::message(format!(
                    "missing interface string `{key}` for language `{lang}`. {help}"
                ))
            })
        },
    );
    tera.register_function(
        "t",
        move |kw: Kwargs, state: &State| -> tera::TeraResult<String> {
            let key: Cow<str> = kw.must_get("key")?;
            let lang = lang_of(&kw, state)?;
            match i18n.get(&lang, &key) {
                Some(s) => Ok(s.to_string()),
                None => Err(tera::Error::message(format!(
                    "missing interface string `{key}` for language `{lang}`. {}",
                    i18n.missing_help(&lang, &key)
                ))),
            }
        },
    );
    tera.register_function(
        "url",
        move |kw: Kwargs, state: &State| -> tera::TeraResult<String> {
            LOOKED_UP_ADDRESSES.set(true);
            let kind: Cow<str> = kw.must_get("kind")?;
            let key: Cow<str> = kw.get("key")?.unwrap_or_default();
            let lang = lang_of(&kw, state)?;
            let from = var(state, "page_path")?.unwrap_or_else(|| "/".into());
            let page_kind = PageKind::from_name(&kind);
            match page_kind.and_then(|k| plan.path(k, &key, &lang)) {
                Some(p) => Ok(href(&from, p)),
                None => Err(tera::Error::message(url_error(
                    page_kind, &kind, &key, &lang,
                ))),
            }
        },
    );
    let sources: Vec<(&str, &str)> = theme
        .templates
        .iter()
        .map(|(name, src)| (name.as_str(), src.text.as_str()))
        .collect();
    let mut minified = minify.then(|| {
        let mut m = Tera::new();
        m.register_from(&tera);
        m.autoescape_on(AUTOESCAPE);
        m
    });
    if let Err(e) = tera.add_raw_templates(sources.iter().copied()) {
        report(theme, &e, diags);
        return None;
    }
    if let Some(m) = &mut minified {
        // Only the templates whose names say HTML; a template the minifier cannot take
        // safely is used as written.
        let texts: Vec<(&str, Cow<str>)> = sources
            .iter()
            .map(|&(name, src)| {
                let small = (name.ends_with(".html") || name.ends_with(".htm"))
                    .then(|| super::minify::template(src))
                    .flatten();
                (name, small.map_or(src.into(), Into::into))
            })
            .collect();
        if m.add_raw_templates(texts.iter().map(|(n, t)| (*n, &**t)))
            .is_err()
        {
            // Never expected (the written templates compiled): pages are rendered from them.
            minified = None;
        }
    }
    Some(Engine {
        written: tera,
        minified,
    })
}

/// Why `url()` found no page: no such page, or (`page_kind` is none) no such kind of page,
/// with the kinds there are.
fn url_error(page_kind: Option<PageKind>, kind: &str, key: &str, lang: &str) -> String {
    let missing =
        format!("url(): there is no page of kind `{kind}` with key `{key}` in language `{lang}`");
    if page_kind.is_some() {
        return missing;
    }
    let kinds: Vec<String> = PageKind::ALL
        .iter()
        .map(|k| format!("`{}`", k.name()))
        .collect();
    let hint = crate::diag::did_you_mean(kind, PageKind::ALL.iter().map(|k| k.name()))
        .map(|s| format!(" Did you mean `{s}`?"))
        .unwrap_or_default();
    format!(
        "{missing}: `{kind}` is not a kind of page (the kinds are {}).{hint}",
        kinds.join(", ")
    )
}

thread_local! {
    /// Set by `url()` while a page renders: the page shows an address taken from the plan,
    /// not from its context (see [`Rendered::looked_up_addresses`]).
    static LOOKED_UP_ADDRESSES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A page rendered by [`render_page`].
pub struct Rendered {
    pub bytes: Vec<u8>,
    /// Whether its templates called `url()`: what such a page shows depends on the site's
    /// addresses besides its context (the ledger keeps it only while they are the same).
    pub looked_up_addresses: bool,
}

/// [`render`], and whether the page's templates looked an address up.
pub fn render_page(
    engine: &Engine,
    theme: &Theme,
    template: &str,
    context: &Context,
    diags: &mut Diagnostics,
) -> Option<Rendered> {
    LOOKED_UP_ADDRESSES.set(false);
    let bytes = render(engine, theme, template, context, diags)?;
    Some(Rendered {
        bytes,
        looked_up_addresses: LOOKED_UP_ADDRESSES.get(),
    })
}

/// Renders a page, as bytes (UTF-8: Tera writes nothing but strings).
///
/// Into a buffer the size of the last page this thread made from the same template, and
/// without Tera's check of the whole page as UTF-8 (`render` makes a `String`): growing the
/// buffer from Tera's estimate and checking every page again are a visible part of a large
/// build. The search index checks the part it reads (see `search`).
pub fn render(
    engine: &Engine,
    theme: &Theme,
    template: &str,
    context: &Context,
    diags: &mut Diagnostics,
) -> Option<Vec<u8>> {
    thread_local! {
        static LAST_SIZE: std::cell::RefCell<rustc_hash::FxHashMap<String, usize>> =
            Default::default();
    }
    let tera = engine.minified.as_ref().unwrap_or(&engine.written);
    let hint = LAST_SIZE.with_borrow(|m| m.get(template).copied().unwrap_or(16 * 1024));
    // A quarter more than last time: pages of one template differ a little in length.
    let mut page = Vec::with_capacity(hint + hint / 4);
    match tera.render_to(template, context, &mut page) {
        Ok(()) => {
            LAST_SIZE.with_borrow_mut(|m| match m.get_mut(template) {
                Some(n) => *n = page.len(),
                None => {
                    m.insert(template.to_string(), page.len());
                }
            });
            Some(page)
        }
        Err(e) => {
            // Told from the templates as written, where its line and column are the author's.
            let e = match engine.minified {
                Some(_) => engine.written.render(template, context).err().unwrap_or(e),
                None => e,
            };
            report(theme, &e, diags);
            None
        }
    }
}

/// Turns a Tera error into a diagnostic pointing at the template file and line.
fn report(theme: &Theme, e: &tera::Error, diags: &mut Diagnostics) {
    let dir = PathBuf::from("themes").join(&theme.name).join("templates");
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let name = r.filename();
            let src = theme
                .templates
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, s)| s.clone())
                .unwrap_or_else(|| SourceText::new(dir.join(name), ""));
            let span = r.span();
            let len = if span.end_line == span.start_line {
                span.end_col.saturating_sub(span.start_col).max(1)
            } else {
                1
            };
            let message = r.message().to_string();
            let (message, help) = match message.split_once(". add `") {
                Some((m, rest)) => (m.to_string(), format!("add `{rest}")),
                None => (
                    format!("template error: {message}"),
                    "fix the template; theme templates use the Tera syntax ({{ value }}, {% if %}, {% for %})".to_string(),
                ),
            };
            diags
                .error(
                    &src,
                    Pos::new(span.start_line, span.start_col + 1, len),
                    message,
                )
                .help(help);
        }
        _ => {
            diags.file_error(
                &dir,
                format!("template error: {e}"),
                "fix the template named in the message",
            );
        }
    }
}
