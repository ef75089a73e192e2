//! Typed YAML with author-grade errors.
//!
//! Wraps serde-saphyr: its errors carry a line and column, which are shifted to the file's own
//! lines (front matter starts on line 2) and reworded for people who are not developers, with
//! "did you mean" for misspelt keys and values. saphyr's default budget refuses alias bombs,
//! deep nesting and huge documents.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_saphyr::{Location, Spanned};

use crate::diag::{Diagnostics, Pos, SourceText, did_you_mean};

/// Where a YAML document sits in its file: the file line of the document's first line.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    pub first_line: usize,
}

impl Origin {
    pub const FILE: Origin = Origin { first_line: 1 };

    /// The file position of a saphyr location.
    pub fn pos(&self, loc: &Location, len: usize) -> Pos {
        Pos::new(
            loc.line() as usize + self.first_line - 1,
            loc.column().max(1) as usize,
            len.max(1),
        )
    }

    pub fn pos_of<T>(&self, s: &Spanned<T>) -> Pos {
        let len = s.referenced.span().len() as usize;
        self.pos(&s.referenced, len)
    }
}

/// Parses `yaml` (a part of `src` starting at `origin`) into `T`, or reports why it cannot.
pub fn parse<T: DeserializeOwned>(
    src: &SourceText,
    yaml: &str,
    origin: Origin,
    diags: &mut Diagnostics,
) -> Option<T> {
    match serde_saphyr::from_str::<T>(yaml) {
        Ok(v) => Some(v),
        Err(e) => {
            let (pos, raw) = match e.location() {
                Some(loc) => (
                    origin.pos(&loc, loc.span().len() as usize),
                    e.without_snippet().to_string(),
                ),
                None => (Pos::new(origin.first_line, 1, 1), e.to_string()),
            };
            let raw = strip_location_suffix(&raw);
            let (message, help) = explain(original(&e), raw, yaml.trim().is_empty());
            diags.error(src, pos, message).help(help);
            None
        }
    }
}

fn strip_location_suffix(raw: &str) -> &str {
    match raw.rfind(" at line ") {
        Some(i) if raw[i..].contains(", column ") => &raw[..i],
        _ => raw,
    }
}

/// The error saphyr found, without the wrappers that carry a snippet or an alias's place.
fn original(mut e: &serde_saphyr::Error) -> &serde_saphyr::Error {
    while let serde_saphyr::Error::WithSnippet { error, .. }
    | serde_saphyr::Error::AliasError { error, .. } = e
    {
        e = error;
    }
    e
}

/// "did you mean" among `expected`, or the list of them.
fn names_help(name: &str, expected: &[&str], prefix: &str) -> String {
    let list = || expected.join(", ");
    match did_you_mean(name, expected.iter().copied()) {
        Some(s) if prefix.is_empty() => format!("did you mean `{s}`?"),
        Some(s) => format!("did you mean `{s}`? {prefix}{}", list()),
        None if prefix.is_empty() => format!("the keys allowed here are: {}", list()),
        None => format!("{}{}", prefix.to_lowercase(), list()),
    }
}

/// Rewords what the parser found for authors, with a concrete fix: by the kind of error
/// where saphyr tells it (`e`); by its text (`raw`, location removed) only for the
/// free-form messages of other libraries (a date that jiff cannot read).
fn explain(e: &serde_saphyr::Error, raw: &str, empty: bool) -> (String, String) {
    use serde_saphyr::Error as E;
    match e {
        _ if empty => {}
        E::SerdeUnknownField {
            field, expected, ..
        } => {
            return (
                format!("unknown key `{field}`"),
                names_help(field, expected, ""),
            );
        }
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            return (
                format!("`{variant}` is not an allowed value here"),
                names_help(variant, expected, "The allowed values are: "),
            );
        }
        E::SerdeMissingField { field, .. } => {
            return (
                format!("the required key `{field}` is missing"),
                format!("add a line `{field}: …` (see the README for what it holds)"),
            );
        }
        E::DuplicateMappingKey { key, .. } => {
            let name = key.as_deref().unwrap_or("?");
            return (
                format!("the key `{name}` appears twice"),
                "keep only one of them: the second would silently replace the first".into(),
            );
        }
        E::Budget { .. }
        | E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => {
            return (
                "this YAML is too large or too deeply nested to be read safely".into(),
                "simplify the file: avoid deep nesting and repeated anchors (&name / *name)".into(),
            );
        }
        _ => {}
    }
    if empty || matches!(e, E::Eof { .. }) || raw.starts_with("unexpected end of input") {
        return (
            "the front matter or file has no fields".into(),
            "write the fields between the `---` lines, for example `title: \"…\"`".into(),
        );
    }
    if raw.contains(super::dates::NOT_A_DAY_OR_MONTH) {
        return (raw.to_string(), super::dates::DAY_OR_MONTH_HELP.into());
    }
    let lower = raw.to_lowercase();
    if lower.contains("month")
        || lower.contains("day")
        || lower.contains("year")
        || lower.contains("civil date")
        || lower.contains("date")
    {
        return (
            format!("this is not a valid date ({raw})"),
            "write dates as YYYY-MM-DD, for example 2021-07-13".into(),
        );
    }
    if raw.contains("tagged enum expected") {
        return (
            "wrong kind of value: expected a single word here".into(),
            "write one of the allowed words (for example `status: concluded`), not a list or a group of keys".into(),
        );
    }
    if let Some(rest) = raw.strip_prefix("invalid type: ") {
        return (
            format!("wrong kind of value: {rest}"),
            "check the value's shape: text, a number, yes/no, a list (- item or [a, b]) or a group of keys".into(),
        );
    }
    if lower.starts_with("expected ") {
        return (
            format!("wrong kind of value: {raw}"),
            "check the value's shape: text (put it in quotes if it contains `: ` or starts with a symbol), a list, or a group of keys".into(),
        );
    }
    (
        format!("this YAML cannot be read: {raw}"),
        "check the indentation (spaces, not tabs) and put text containing `: ` or `#` in quotes"
            .into(),
    )
}

/// A text given per language: `{it: "…", en: "…"}`. A plain string counts for every language.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LangMap {
    pub values: BTreeMap<String, String>,
    /// The same text for every language (a plain string in YAML).
    pub all: Option<String>,
}

impl LangMap {
    /// The text in `lang`, else in the default language `fallback`, else any.
    pub fn get<'a>(&'a self, lang: &str, fallback: &str) -> &'a str {
        if let Some(a) = &self.all {
            return a;
        }
        self.values
            .get(lang)
            .or_else(|| self.values.get(fallback))
            .or_else(|| self.values.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn has(&self, lang: &str) -> bool {
        self.all.is_some() || self.values.contains_key(lang)
    }

    pub fn langs(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }
}

impl<'de> Deserialize<'de> for LangMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LangMap;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, or one text per language ({it: …, en: …})")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LangMap, E> {
                Ok(LangMap {
                    all: Some(v.to_string()),
                    ..Default::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<LangMap, A::Error> {
                let mut values = BTreeMap::new();
                while let Some((k, v)) = m.next_entry::<String, String>()? {
                    values.insert(k, v);
                }
                Ok(LangMap { values, all: None })
            }
        }
        d.deserialize_any(V)
    }
}

/// The JSON Schema of a `LangMap`: one text per language. The CMS's forms (src/admin/) show
/// a field per language of the site.
impl JsonSchema for LangMap {
    fn schema_name() -> Cow<'static, str> {
        "LangMap".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "additionalProperties": {"type": "string"},
            "x-vetrina-widget": "lang-map"
        })
    }
}

/// A date as authors write it (`2021-06-10`): how `jiff::civil::Date` reads, for the JSON
/// Schema of the front matter (`#[schemars(with = "DateText")]`).
pub struct DateText;

impl JsonSchema for DateText {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "format": "date"})
    }
}

/// The regions a project or news item concerns: `all` (national) or a list of region keys.
#[derive(Debug, Clone)]
pub enum RegionSel {
    All,
    Some(Vec<Spanned<String>>),
}

impl Default for RegionSel {
    fn default() -> Self {
        RegionSel::Some(Vec::new())
    }
}

/// `all` or a list of regions: in the CMS, a choice among the regions and "all".
impl JsonSchema for RegionSel {
    fn schema_name() -> Cow<'static, str> {
        "RegionSel".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "anyOf": [{"const": "all"}, {"type": "array", "items": {"type": "string"}}],
            "x-vetrina-ref": "region-or-all"
        })
    }
}

/// Written as it is read: `all`, or the list (what the parse cache keeps, `model::parse_cache`).
impl Serialize for RegionSel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RegionSel::All => s.serialize_str("all"),
            RegionSel::Some(list) => list.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for RegionSel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RegionSel;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`all` or a list of region keys such as [lombardia, lazio]")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RegionSel, E> {
                if v == "all" {
                    Ok(RegionSel::All)
                } else {
                    Err(E::custom(format!(
                        "expected `all` or a list of regions, found `{v}` (write a single region as [{v}])"
                    )))
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<RegionSel, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = s.next_element::<Spanned<String>>()? {
                    v.push(x);
                }
                // `[all]`: what the CMS's choice of regions writes for a national project.
                match v.as_slice() {
                    [only] if only.value == "all" => Ok(RegionSel::All),
                    _ if v.iter().any(|x| x.value == "all") => Err(de::Error::custom(
                        "`all` stands alone: write `regions: all` for every region, or list the regions",
                    )),
                    _ => Ok(RegionSel::Some(v)),
                }
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        #[serde(default)]
        regions: RegionSel,
        name: Option<LangMap>,
    }

    fn errs(yaml: &str) -> Vec<String> {
        let src = SourceText::new("f.md", format!("---\n{yaml}---\n"));
        let mut d = Diagnostics::new();
        let r: Option<T> = parse(&src, yaml, Origin { first_line: 2 }, &mut d);
        assert!(r.is_none());
        d.sorted().iter().map(|x| x.render(false)).collect()
    }

    #[test]
    fn unknown_key_has_did_you_mean_and_file_line() {
        let e = errs("title: a\nregoins: [lazio]\n");
        assert!(e[0].contains("unknown key `regoins`"), "{}", e[0]);
        assert!(e[0].contains("did you mean `regions`?"), "{}", e[0]);
        assert!(e[0].contains("f.md:3:1"), "{}", e[0]);
    }

    #[test]
    fn regions_all_or_list() {
        let src = SourceText::new("f", "");
        let mut d = Diagnostics::new();
        let t: T = parse(&src, "title: a\nregions: all\n", Origin::FILE, &mut d).unwrap();
        assert!(matches!(t.regions, RegionSel::All));
        let t: T = parse(&src, "title: a\nregions: [lazio]\n", Origin::FILE, &mut d).unwrap();
        match t.regions {
            RegionSel::Some(v) => assert_eq!(v[0].referenced.line(), 2),
            RegionSel::All => panic!("expected a list"),
        }
        assert!(errs("title: a\nregions: lazio\n")[0].contains("[lazio]"));
        // The CMS writes a national project's choice as a list of one.
        let t: T = parse(&src, "title: a\nregions: [all]\n", Origin::FILE, &mut d).unwrap();
        assert!(matches!(t.regions, RegionSel::All));
        assert!(errs("title: a\nregions: [all, lazio]\n")[0].contains("stands alone"));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut y = String::from("title: a\nx0: &a0 [1,1,1,1,1,1,1,1,1,1]\n");
        for i in 1..12 {
            let prev = i - 1;
            y.push_str(&format!(
                "x{i}: &a{i} [*a{prev},*a{prev},*a{prev},*a{prev},*a{prev},*a{prev},*a{prev},*a{prev},*a{prev},*a{prev}]\n"
            ));
        }
        let src = SourceText::new("f", y.clone());
        let mut d = Diagnostics::new();
        let r: Option<serde_json::Value> = parse(&src, &y, Origin::FILE, &mut d);
        assert!(r.is_none());
        assert!(d.has_errors());
    }
}
