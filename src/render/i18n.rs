//! Interface strings and dates per language.
//!
//! Strings come from the theme's `i18n/<lang>.yaml`, overridden key by key by the site's
//! `data/i18n/<lang>.yaml`. Dates are written with CLDR data through ICU4X ("13 luglio 2021",
//! "13 July 2021", Arabic month names): no hand-written month tables.

use std::collections::{BTreeMap, HashMap};

use icu_calendar::{Date as IcuDate, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_locale_core::Locale;
use jiff::civil::Date;

use crate::diag::{Diagnostics, Pos, SourceText, unknown_help};
use crate::model::yaml::{Origin, parse};

pub struct I18n {
    strings: HashMap<String, BTreeMap<String, String>>,
    dates: HashMap<String, FixedCalendarDateTimeFormatter<Gregorian, YMD>>,
    numbers: HashMap<String, DecimalFormatter>,
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
        let mut strings: HashMap<String, BTreeMap<String, String>> = HashMap::new();
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
            if let Some(map) =
                parse::<BTreeMap<String, String>>(src, &src.text, Origin::FILE, diags)
            {
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
        let mut dates = HashMap::new();
        let mut numbers = HashMap::new();
        for (l, loc) in locales {
            let locale: Locale = loc
                .parse()
                .or_else(|_| l.parse())
                .unwrap_or(Locale::UNKNOWN);
            if let Ok(f) = FixedCalendarDateTimeFormatter::try_new((&locale).into(), YMD::long()) {
                dates.insert(l.to_string(), f);
            }
            if let Ok(f) = DecimalFormatter::try_new((&locale).into(), Default::default()) {
                numbers.insert(l.to_string(), f);
            }
        }
        I18n {
            strings,
            dates,
            numbers,
        }
    }

    pub fn get(&self, lang: &str, key: &str) -> Option<&str> {
        self.strings.get(lang)?.get(key).map(String::as_str)
    }

    /// The help text for a missing key: the closest existing key, if any.
    pub fn missing_help(&self, lang: &str, key: &str) -> String {
        let keys: Vec<&str> = self
            .strings
            .get(lang)
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        format!(
            "add `{key}: \"…\"` to themes/<theme>/i18n/{lang}.yaml or data/i18n/{lang}.yaml; {}",
            unknown_help("keys", key, keys)
        )
    }

    /// The date written the way `lang` writes it, for example "13 luglio 2021".
    pub fn date(&self, lang: &str, d: Date) -> String {
        let icu = IcuDate::try_new_gregorian(d.year() as i32, d.month() as u8, d.day() as u8);
        match (self.dates.get(lang), icu) {
            (Some(f), Ok(icu)) => f.format(&icu).to_string(),
            _ => d.to_string(),
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
}
