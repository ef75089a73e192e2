//! Interface strings and dates per language.
//!
//! Strings come from the theme's `i18n/<lang>.yaml`, overridden key by key by the site's
//! `data/i18n/<lang>.yaml`. Dates are written with CLDR data through ICU4X ("13 luglio 2021",
//! "13 July 2021", Arabic month names; times, ranges and lists in `dates`): no hand-written
//! month tables. Plural forms follow CLDR's rules per language (Arabic has six), through
//! ICU4X's plural rules.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};
use jiff::civil::Date;
use serde::Deserialize;

use super::dates::{DateFormats, Precision};
use crate::diag::{Diagnostics, Pos, SourceText, unknown_help};
use crate::model::dates::FactDate;
use crate::model::yaml::{Origin, parse};

/// One interface string: a text, or one text per CLDR plural category
/// (`{one: "{n} storia", other: "{n} storie"}`), where `{n}` stands for the number.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Entry {
    Text(String),
    Plural(BTreeMap<String, String>),
}

impl Entry {
    /// The string as a page's script reads it: a text, or an object of one text per plural
    /// category.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Entry::Text(t) => serde_json::Value::from(t.as_str()),
            Entry::Plural(forms) => serde_json::Value::from(
                forms
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str())))
                    .collect::<serde_json::Map<_, _>>(),
            ),
        }
    }
}

pub struct I18n {
    strings: FxHashMap<String, BTreeMap<String, Entry>>,
    plurals: FxHashMap<String, PluralRules>,
    /// Open Graph locale per language (`it_IT`, `en_GB`, `ar_EG`), CLDR's likely region.
    og_locales: FxHashMap<String, String>,
    dates: FxHashMap<String, DateFormats>,
    numbers: FxHashMap<String, DecimalFormatter>,
}

impl I18n {
    /// Loads the strings of every site language; a language with no file in the theme nor in
    /// `data/i18n` is an error.
    pub fn load(
        theme: &[SourceText],
        overrides: &[SourceText],
        langs: &[(&str, &str)],
        diags: &mut Diagnostics,
    ) -> I18n {
        let locales = langs;
        let langs: Vec<&str> = locales.iter().map(|(l, _)| *l).collect();
        let langs = langs.as_slice();
        let mut strings: FxHashMap<String, BTreeMap<String, Entry>> = FxHashMap::default();
        for src in theme.iter().chain(overrides) {
            let lang = src
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !langs.contains(&lang.as_str()) {
                // Strings for languages the site does not use are simply not needed.
                continue;
            }
            if let Some(map) = parse::<BTreeMap<String, Entry>>(src, &src.text, Origin::FILE, diags)
            {
                check_plural_categories(src, &map, diags);
                strings.entry(lang).or_default().extend(map);
            }
        }
        for l in langs {
            if !strings.contains_key(*l) {
                let src = SourceText::new("site.yaml", "");
                diags
                    .error(&src, Pos::new(1, 1, 1), format!("there are no interface strings for the language `{l}`"))
                    .help(format!("add themes/<theme>/i18n/{l}.yaml or data/i18n/{l}.yaml, translated from the English file"));
            }
        }
        let mut dates = FxHashMap::default();
        let mut numbers = FxHashMap::default();
        let mut plurals = FxHashMap::default();
        let mut og_locales = FxHashMap::default();
        let expander = icu_locale::LocaleExpander::new_common();
        for (l, loc) in locales {
            let locale: Locale = loc
                .parse()
                .or_else(|_| l.parse())
                .unwrap_or(Locale::UNKNOWN);
            if let Some(f) = DateFormats::new(&locale) {
                dates.insert(l.to_string(), f);
            }
            let mut id = locale.id.clone();
            expander.maximize(&mut id);
            let og = match id.region {
                Some(r) => format!("{}_{}", id.language.as_str(), r.as_str()),
                None => id.language.as_str().to_string(),
            };
            og_locales.insert(l.to_string(), og);
            if let Ok(r) = PluralRules::try_new_cardinal((&locale).into()) {
                plurals.insert(l.to_string(), r);
            }
            if let Ok(f) = DecimalFormatter::try_new((&locale).into(), Default::default()) {
                numbers.insert(l.to_string(), f);
            }
        }
        I18n {
            strings,
            plurals,
            og_locales,
            dates,
            numbers,
        }
    }

    /// A plain interface string (`None` if missing or if it has plural forms).
    pub fn get(&self, lang: &str, key: &str) -> Option<&str> {
        match self.strings.get(lang)?.get(key)? {
            Entry::Text(s) => Some(s),
            Entry::Plural(_) => None,
        }
    }

    pub fn entry(&self, lang: &str, key: &str) -> Option<&Entry> {
        self.strings.get(lang)?.get(key)
    }

    /// The Open Graph locale of `lang` (`language_TERRITORY`).
    pub fn og_locale<'a>(&'a self, lang: &'a str) -> &'a str {
        self.og_locales
            .get(lang)
            .map(String::as_str)
            .unwrap_or(lang)
    }

    /// The CLDR plural category of `n` in `lang`: "zero", "one", "two", "few", "many", "other".
    pub fn category(&self, lang: &str, n: u64) -> &'static str {
        let cat = self
            .plurals
            .get(lang)
            .map(|r| r.category_for(n))
            .unwrap_or(PluralCategory::Other);
        match cat {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }

    /// The string `key` for the count `n`, in the form CLDR's rules choose for `lang`, with
    /// `{n}` replaced by the number written the language's way. Falls back to `other`.
    pub fn plural(&self, lang: &str, key: &str, n: u64) -> Result<String, String> {
        let forms = match self.entry(lang, key) {
            Some(Entry::Plural(f)) => f,
            Some(Entry::Text(t)) => return Ok(t.replace("{n}", &self.number(lang, n as f64))),
            None => return Err(self.missing_help(lang, key)),
        };
        let cat = self.category(lang, n);
        let form = forms
            .get(cat)
            .or_else(|| forms.get("other"))
            .ok_or_else(|| {
                format!("add the `{cat}` and `other` forms of `{key}` in the {lang} strings")
            })?;
        Ok(form.replace("{n}", &self.number(lang, n as f64)))
    }

    /// The help text for a missing key: the closest existing key, if any.
    pub fn missing_help(&self, lang: &str, key: &str) -> String {
        let keys: Vec<&str> = self
            .strings
            .get(lang)
            .map(|m: &BTreeMap<String, Entry>| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        format!(
            "add `{key}: \"…\"` to themes/<theme>/i18n/{lang}.yaml or data/i18n/{lang}.yaml; {}",
            unknown_help("keys", key, keys)
        )
    }

    /// The date written the way `lang` writes it, for example "13 luglio 2021".
    pub fn date(&self, lang: &str, d: Date) -> String {
        match self.dates.get(lang) {
            Some(f) => f.day(d),
            None => d.to_string(),
        }
    }

    /// A day, or a month when only the month is known: "28 marzo 2023", "marzo 2023".
    pub fn fact_date(&self, lang: &str, d: FactDate) -> String {
        match self.dates.get(lang) {
            Some(f) => f.fact_date(d),
            None => d.iso(),
        }
    }

    /// When an event takes place, as CLDR writes it in `lang` (see `render::dates`).
    pub(crate) fn event_when(
        &self,
        lang: &str,
        start: jiff::civil::DateTime,
        end: Option<jiff::civil::DateTime>,
        precision: Precision,
        rtl: bool,
    ) -> String {
        match self.dates.get(lang) {
            Some(f) => f.event_when(start, end, precision, rtl),
            None => start.to_string(),
        }
    }

    /// What CLDR's "and" list of `lang` puts before, between and after `n` items (see
    /// `DateFormats::and_list_glue`).
    pub fn and_list_glue(&self, lang: &str, n: usize) -> Vec<String> {
        match self.dates.get(lang) {
            Some(f) => f.and_list_glue(n),
            None => {
                let mut g = vec![", ".to_string(); n + 1];
                g[0].clear();
                g[n].clear();
                g
            }
        }
    }
}

impl I18n {
    /// A number written the way `lang` writes it: "4.776", "4,776", "4 776", Arabic digits.
    pub fn number(&self, lang: &str, v: f64) -> String {
        // Figures are shown with at most two decimals.
        let dec = if !v.is_finite() || v.abs() >= 9.0e13 {
            None
        } else if v.fract() == 0.0 {
            Some(Decimal::from(v as i64))
        } else {
            let mut d = Decimal::from((v * 100.0).round() as i64);
            d.multiply_pow10(-2);
            d.absolute.trim_end();
            Some(d)
        };
        match (self.numbers.get(lang), dec) {
            (Some(f), Some(d)) => {
                let s = f.format(&d).to_string();
                if (1000.0..10000.0).contains(&v.abs()) {
                    group_thousands(f, s)
                } else {
                    s
                }
            }
            _ => v.to_string(),
        }
    }
}

/// Plural forms must be CLDR category names, and must include `other`.
fn check_plural_categories(
    src: &SourceText,
    map: &BTreeMap<String, Entry>,
    diags: &mut Diagnostics,
) {
    const CATS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];
    for (key, e) in map {
        let Entry::Plural(forms) = e else { continue };
        let at = src
            .find_key(1, &format!("{key}:"))
            .unwrap_or(Pos::new(1, 1, 1));
        for cat in forms.keys() {
            if !CATS.contains(&cat.as_str()) {
                let pos = src.find_key(at.line, &format!("{cat}:")).unwrap_or(at);
                diags
                    .error(src, pos, format!("`{cat}` is not a plural form"))
                    .help(unknown_help("plural forms", cat, CATS));
            }
        }
        if !forms.contains_key("other") {
            diags
                .error(
                    src,
                    at,
                    format!("the plural string `{key}` has no `other` form"),
                )
                .help(
                    "every plural string needs `other:`, used for every count no other form covers",
                );
        }
    }
}

/// CLDR's minimum grouping digits leave four-digit numbers ungrouped in Italian ("4776");
/// Italian public bodies write "4.776", and a table of figures reads better when all are
/// grouped alike. The separator and digits are CLDR's: taken from how 10000 is written.
fn group_thousands(f: &DecimalFormatter, s: String) -> String {
    let ten_k = f.format(&Decimal::from(10000)).to_string();
    let Some(sep) = ten_k.chars().nth(2).filter(|c| !c.is_numeric()) else {
        return s;
    };
    if s.contains(sep) {
        return s;
    }
    // Insert the separator after the first digit of the four-digit integer part.
    let mut out = String::with_capacity(s.len() + sep.len_utf8());
    let mut digits_seen = 0;
    let int_digits = s.chars().take_while(|c| !c.is_numeric()).count();
    for (i, c) in s.chars().enumerate() {
        out.push(c);
        if c.is_numeric() && i >= int_digits {
            digits_seen += 1;
            if digits_seen == 1 {
                out.push(sep);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_per_language() {
        let mut d = Diagnostics::new();
        let langs = [("it", "it"), ("en", "en-GB"), ("fr", "fr"), ("ar", "ar")];
        let i = I18n::load(&[], &[], &langs, &mut d);
        let date = jiff::civil::date(2021, 7, 13);
        assert_eq!(i.date("it", date), "13 luglio 2021");
        let og: Vec<&str> = ["it", "en", "fr", "ar"]
            .iter()
            .map(|l| i.og_locale(l))
            .collect();
        assert_eq!(og, ["it_IT", "en_GB", "fr_FR", "ar_EG"]);
        assert_eq!(i.date("en", date), "13 July 2021");
        assert_eq!(i.date("fr", date), "13 juillet 2021");
        assert!(
            i.date("ar", date).contains("يوليو"),
            "{}",
            i.date("ar", date)
        );
        assert_eq!(i.number("it", 5940.0), "5.940");
        assert_eq!(i.number("en", 4776.0), "4,776");
        assert_eq!(i.number("fr", 4776.0), "4\u{202f}776");
        assert_eq!(i.number("it", 2046.5), "2.046,5");
        assert_eq!(i.number("it", 123.0), "123");
        assert_eq!(i.number("it", 12345.0), "12.345");
        // CLDR's default for plain `ar` is Latin digits; a site can ask for Arabic-Indic ones.
        assert_eq!(i.number("ar", 4776.0), "4,776");
        let arab = I18n::load(&[], &[], &[("ar", "ar-u-nu-arab")], &mut d);
        assert_eq!(arab.number("ar", 4776.0), "٤٬٧٧٦");
    }

    #[test]
    fn plural_categories_follow_cldr() {
        let mut d = Diagnostics::new();
        let langs = [("it", "it"), ("en", "en"), ("fr", "fr"), ("ar", "ar")];
        let i = I18n::load(&[], &[], &langs, &mut d);
        let ar: Vec<&str> = [0, 1, 2, 3, 11, 100]
            .iter()
            .map(|n| i.category("ar", *n))
            .collect();
        assert_eq!(ar, ["zero", "one", "two", "few", "many", "other"]);
        assert_eq!(i.category("it", 1), "one");
        assert_eq!(i.category("it", 0), "other");
        assert_eq!(i.category("fr", 0), "one", "French counts 0 as singular");
        assert_eq!(i.category("en", 0), "other");
    }

    #[test]
    fn plural_strings() {
        let src = SourceText::new(
            "themes/t/i18n/ar.yaml",
            "stories_count:\n  zero: \"لا قصص\"\n  one: \"قصة واحدة\"\n  two: \"قصتان\"\n  few: \"{n} قصص\"\n  many: \"{n} قصة\"\n  other: \"{n} قصة.\"\n",
        );
        let mut d = Diagnostics::new();
        let i = I18n::load(&[src], &[], &[("ar", "ar")], &mut d);
        assert!(d.is_empty(), "{:?}", d.sorted());
        assert_eq!(i.plural("ar", "stories_count", 0).unwrap(), "لا قصص");
        assert_eq!(i.plural("ar", "stories_count", 2).unwrap(), "قصتان");
        assert_eq!(i.plural("ar", "stories_count", 5).unwrap(), "5 قصص");
        assert_eq!(i.plural("ar", "stories_count", 11).unwrap(), "11 قصة");
        assert_eq!(i.plural("ar", "stories_count", 100).unwrap(), "100 قصة.");

        let bad = SourceText::new("i18n/it.yaml", "x:\n  uno: \"a\"\n");
        let mut d = Diagnostics::new();
        I18n::load(&[bad], &[], &[("it", "it")], &mut d);
        let all: Vec<String> = d.sorted().iter().map(|x| x.render(false)).collect();
        assert!(
            all.iter().any(|e| e.contains("`uno` is not a plural form")
                && e.contains("zero, one, two, few, many, other")),
            "{all:?}"
        );
        assert!(all.iter().any(|e| e.contains("no `other` form")), "{all:?}");
    }
}
