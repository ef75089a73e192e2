//! Diagnostics: what went wrong, where, and how to fix it.
//!
//! Every stage pushes `Diagnostic`s into a `Diagnostics` collector and carries on, so that one
//! run reports every problem of a site. Rendering follows the rustc look (SPEC §7):
//! `error:` / `--> file:line:col` / the offending line with a caret / `help:`.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

/// How serious a diagnostic is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file: 1-based line and column (in characters), and the length of the
/// offending text in characters (at least one caret is drawn).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
    pub len: usize,
}

impl Pos {
    pub fn new(line: usize, col: usize, len: usize) -> Self {
        Pos { line, col, len }
    }
}

/// One problem found in the site, with everything an author needs to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, as the author knows it.
    pub file: PathBuf,
    pub pos: Pos,
    /// The full text of the offending line (empty when the file has no text to show).
    pub line_text: String,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    /// The `file:line:col` triple, as printed after `-->`.
    pub fn location(&self) -> String {
        format!(
            "{}:{}:{}",
            self.file.display(),
            self.pos.line.max(1),
            self.pos.col.max(1)
        )
    }

    /// Renders the diagnostic as text; `styled` adds terminal colours.
    pub fn render(&self, styled: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.file.display().to_string();
        let line = self.pos.line.max(1);
        let (text, span) = caret_span(&self.line_text, self.pos.col, self.pos.len);
        let mut group = level.primary_title(&self.message).element(
            Snippet::source(text.as_str())
                .line_start(line)
                .path(path.as_str())
                .fold(false)
                .annotation(AnnotationKind::Primary.span(span)),
        );
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut out = renderer.render(&[group]);
        // annotate-snippets shows the path and line, but not the column: SPEC §7 wants
        // `file:line:col`, so the header line is rewritten with the column added.
        let short = format!("--> {path}:{line}");
        if let Some(at) = out.find(&short) {
            let after = at + short.len();
            if !out[after..].starts_with(':') {
                out.insert_str(after, &format!(":{}", self.pos.col.max(1)));
            }
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Turns a 1-based character column and length into a byte range of `line`, clamped to it.
/// An empty line gets a single space so that the caret has somewhere to stand.
fn caret_span(line: &str, col: usize, len: usize) -> (String, std::ops::Range<usize>) {
    let mut text: String = line.trim_end_matches(['\r', '\n']).to_string();
    if text.is_empty() {
        text.push(' ');
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let start_char = col.saturating_sub(1).min(chars.len().saturating_sub(1));
    let end_char = (start_char + len.max(1)).min(chars.len());
    let start = chars[start_char].0;
    let end = if end_char >= chars.len() {
        text.len()
    } else {
        chars[end_char].0
    };
    // A span is never empty: `start` is the index of a character, so `end > start`.
    let end = end.max(start + text[start..].chars().next().map_or(1, char::len_utf8));
    (text, start..end)
}

/// The collector every stage pushes into.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// An error at `pos` in `src`, with the offending line taken from the source text.
    pub fn error(&mut self, src: &SourceText, pos: Pos, message: impl Into<String>) -> Builder<'_> {
        self.add(Severity::Error, src, pos, message.into())
    }

    pub fn warning(
        &mut self,
        src: &SourceText,
        pos: Pos,
        message: impl Into<String>,
    ) -> Builder<'_> {
        self.add(Severity::Warning, src, pos, message.into())
    }

    /// An error about a file as a whole (unreadable, not UTF-8, …) where no line can be shown.
    pub fn file_error(&mut self, file: &Path, message: impl Into<String>, help: impl Into<String>) {
        self.items.push(Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            pos: Pos::new(1, 1, 1),
            line_text: String::new(),
            message: message.into(),
            help: Some(help.into()),
        });
    }

    fn add(
        &mut self,
        severity: Severity,
        src: &SourceText,
        pos: Pos,
        message: String,
    ) -> Builder<'_> {
        let line_text = src.line(pos.line).to_string();
        self.items.push(Diagnostic {
            severity,
            file: src.path.clone(),
            pos,
            line_text,
            message,
            help: None,
        });
        let last = self.items.len() - 1;
        Builder {
            diag: &mut self.items[last],
        }
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// The distinct errors (the same template error met on many pages counts once).
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.sorted()
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.sorted()
            .into_iter()
            .filter(|d| d.severity == Severity::Warning)
    }

    /// All diagnostics, errors first, each group in file and line order, so that the report
    /// reads the same from run to run whatever order the parallel stages finished in.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            (a.severity, &a.file, a.pos.line, a.pos.col, &a.message)
                .cmp(&(b.severity, &b.file, b.pos.line, b.pos.col, &b.message))
        });
        v.dedup_by(|a, b| a == b);
        v
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Lets a caller add the help text to the diagnostic it just pushed.
pub struct Builder<'a> {
    diag: &'a mut Diagnostic,
}

impl Builder<'_> {
    pub fn help(self, help: impl Into<String>) {
        self.diag.help = Some(help.into());
    }
}

/// A file's text, shared: the documents, diagnostics and caches made from a file all point
/// at one copy. It reads as a `str`.
///
/// A text can also be read late, the first time it is asked for: `vetrina build` knows from
/// the source snapshot (`load::snapshot`) what every unchanged file holds (its prints and
/// where its front matter ends) without reading it, and most of those texts are never
/// asked for (their pages are not made again). What reads it then checks that it is the
/// text the snapshot promised, and answers with an empty text otherwise, having told the
/// build, which then stops (see `load::snapshot::LateReads`).
#[derive(Clone)]
pub struct SharedText(std::sync::Arc<TextCell>);

struct TextCell {
    text: std::sync::OnceLock<String>,
    later: Option<Box<dyn Fn() -> String + Send + Sync>>,
}

impl SharedText {
    /// A text to be read by `read` the first time it is asked for (once).
    pub fn later(read: impl Fn() -> String + Send + Sync + 'static) -> Self {
        SharedText(std::sync::Arc::new(TextCell {
            text: std::sync::OnceLock::new(),
            later: Some(Box::new(read)),
        }))
    }

    pub fn as_str(&self) -> &str {
        self
    }

    /// Whether the text is in memory (given, or read since).
    pub fn is_held(&self) -> bool {
        self.0.text.get().is_some()
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> Self {
        SharedText(std::sync::Arc::new(TextCell {
            text: std::sync::OnceLock::from(text),
            later: None,
        }))
    }
}

impl std::ops::Deref for SharedText {
    type Target = str;
    fn deref(&self) -> &str {
        let cell = &self.0;
        cell.text
            .get_or_init(|| cell.later.as_ref().map_or_else(String::new, |read| read()))
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// A source file's text with its path relative to the site root, so that diagnostics can show
/// the offending line.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub path: PathBuf,
    pub text: SharedText,
}

impl SourceText {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        SourceText {
            path: path.into(),
            text: SharedText::from(text.into()),
        }
    }

    /// The text of the 1-based line `n`, or "" past the end.
    pub fn line(&self, n: usize) -> &str {
        self.text.lines().nth(n.saturating_sub(1)).unwrap_or("")
    }

    /// The 1-based line and column (in characters) of byte offset `offset`.
    pub fn pos_of(&self, offset: usize, len_bytes: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let mut start = offset;
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let before = &self.text[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let col = before[line_start..].chars().count() + 1;
        let mut end = (start + len_bytes).min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let len = self.text[start..end]
            .split('\n')
            .next()
            .map(|s| s.chars().count())
            .unwrap_or(1)
            .max(1);
        Pos::new(line, col, len)
    }

    /// Finds the first line (at or after line `from`) that starts, after indentation, with
    /// `needle`, and returns the position of the needle. Used to point at a key whose value the
    /// YAML parser gave no location for.
    pub fn find_key(&self, from: usize, needle: &str) -> Option<Pos> {
        for (i, l) in self.text.lines().enumerate().skip(from.saturating_sub(1)) {
            let trimmed = l.trim_start();
            let t = trimmed.strip_prefix("- ").unwrap_or(trimmed);
            if t.starts_with(needle) {
                let col = l.chars().count() - t.chars().count() + 1;
                return Some(Pos::new(i + 1, col, needle.chars().count()));
            }
        }
        None
    }
}

/// "did you mean" over the known names: the closest candidate, if it is close enough to be a
/// plausible misspelling.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let input_l = input.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&input_l, &c.to_lowercase());
        let lev = strsim::levenshtein(&input_l, &c.to_lowercase());
        // Short names need a closer match: "fr" is not a misspelling of "it".
        let max_edits = (input_l.chars().count() / 3).max(1);
        let plausible = (score >= 0.85 && input_l.chars().count() > 3)
            || lev <= max_edits
            || (input_l.len() >= 3 && c.to_lowercase().contains(&input_l));
        if plausible && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// The help text for an unknown name: "did you mean `x`?" when one is close, else the list of
/// known names (shortened when long).
pub fn unknown_help<'a, I>(what: &str, input: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str> + Clone,
{
    match did_you_mean(input, candidates.clone()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => {
            let all: Vec<&str> = candidates.into_iter().collect();
            if all.is_empty() {
                format!("none of the {what} is defined yet")
            } else if all.len() <= 12 {
                format!("known {what}: {}", all.join(", "))
            } else {
                format!(
                    "known {what} include: {}, … ({} in all)",
                    all[..10].join(", "),
                    all.len()
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_spec_format_with_column() {
        let src = SourceText::new("content/x.md", "title: a\nregoin: lombardia\n");
        let mut d = Diagnostics::new();
        d.error(&src, Pos::new(2, 1, 6), "unknown key `regoin`")
            .help("did you mean `region`?");
        let out = d.sorted()[0].render(false);
        assert!(out.starts_with("error: unknown key `regoin`"), "{out}");
        assert!(out.contains("--> content/x.md:2:1"), "{out}");
        assert!(out.contains("2 | regoin: lombardia"), "{out}");
        assert!(out.contains("^^^^^^"), "{out}");
        assert!(out.contains("help: did you mean `region`?"), "{out}");
    }

    #[test]
    fn caret_survives_multibyte_and_out_of_range_columns() {
        let src = SourceText::new("a.yaml", "città: «Südtirol»\n");
        let mut d = Diagnostics::new();
        d.error(&src, Pos::new(1, 40, 3), "x");
        d.error(&src, Pos::new(9, 1, 1), "y");
        for diag in d.sorted() {
            let _ = diag.render(false);
        }
        // Byte 8 is «, two bytes long: one character.
        assert_eq!(src.pos_of(8, 2), Pos::new(1, 8, 1));
    }

    #[test]
    fn suggestions() {
        let regions = ["lombardia", "lazio", "puglia"];
        assert_eq!(
            did_you_mean("lombarida", regions),
            Some("lombardia".to_string())
        );
        assert_eq!(did_you_mean("xyz", regions), None);
    }
}
