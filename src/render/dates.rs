//! Dates, times, ranges and lists as each language writes them, from CLDR's patterns through
//! ICU4X (compiled data): "13 luglio 2021 alle ore 14:30–17:00", "marzo 2023", "PUOI, FARO e
//! PARTI", and in Arabic "13 يوليو 2021 في 2:30–5:00 م", "PUOI وFARO وPARTI". No hand-written
//! month names, glue words or separators.
//!
//! In a right-to-left language every number of a date or time is wrapped in Unicode isolates
//! (LRI … PDI), so that "2:30" and "2021" keep their own order and never merge with their
//! neighbours, while the parts themselves follow the line's direction (a range reads from its
//! start at the right). Never used for machine-readable dates: those are `FactDate::iso` and
//! RFC 3339 strings.

use icu_calendar::{Date as IcuDate, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::{YM, YMD, YMDT};
use icu_datetime::input::{DateTime as IcuDateTime, Time as IcuTime};
use icu_datetime::range::FixedCalendarDateRangeFormatter;
use icu_list::ListFormatter;
use icu_list::options::ListFormatterOptions;
use icu_locale_core::Locale;
use jiff::civil::{Date, DateTime};

use crate::model::dates::FactDate;

/// Left-to-right isolate and pop directional isolate (Unicode Bidirectional Algorithm).
const LRI: char = '\u{2066}';
const PDI: char = '\u{2069}';

/// The formatters of one language.
pub(crate) struct DateFormats {
    day: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    month: Option<FixedCalendarDateTimeFormatter<Gregorian, YM>>,
    day_time: Option<FixedCalendarDateTimeFormatter<Gregorian, YMDT>>,
    day_time_range: Option<FixedCalendarDateRangeFormatter<Gregorian, YMDT>>,
    /// What CLDR puts between the two sides of a range it cannot shorten ("{0} – {1}"),
    /// taken from a range of two days formatted by ICU4X; used between two days or months.
    range_glue: String,
    and_list: Option<ListFormatter>,
}

impl DateFormats {
    pub(crate) fn new(locale: &Locale) -> Option<DateFormats> {
        let day = FixedCalendarDateTimeFormatter::try_new(locale.into(), YMD::long()).ok()?;
        let month = FixedCalendarDateTimeFormatter::try_new(locale.into(), YM::long()).ok();
        let day_time =
            FixedCalendarDateTimeFormatter::try_new(locale.into(), YMD::long().with_time_hm()).ok();
        let day_time_range =
            FixedCalendarDateRangeFormatter::try_new(locale.into(), YMD::long().with_time_hm())
                .ok();
        let range_glue = day_time_range
            .as_ref()
            .zip(day_time.as_ref())
            .and_then(|(r, f)| glue_of(r, f))
            .unwrap_or_else(|| " – ".to_string());
        let and_list =
            ListFormatter::try_new_and(locale.into(), ListFormatterOptions::default()).ok();
        Some(DateFormats {
            day,
            month,
            day_time,
            day_time_range,
            range_glue,
            and_list,
        })
    }

    /// "13 luglio 2021".
    pub(crate) fn day(&self, d: Date) -> String {
        match icu_date(d) {
            Some(icu) => self.day.format(&icu).to_string(),
            None => d.to_string(),
        }
    }

    /// "13 luglio 2021", or "marzo 2023" when only the month is known.
    pub(crate) fn fact_date(&self, d: FactDate) -> String {
        match (&self.month, icu_date(d.first_day())) {
            (Some(m), Some(icu)) if d.is_month_only() => m.format(&icu).to_string(),
            _ => self.day(d.first_day()),
        }
    }

    /// When an event takes place: a day or a month, two of them, or a day and time with its
    /// end ("13 luglio 2021 alle ore 14:30–17:00"), as CLDR writes ranges in the language.
    /// `rtl`: isolate the numbers (see the module's comment).
    pub(crate) fn event_when(
        &self,
        start: DateTime,
        end: Option<DateTime>,
        precision: Precision,
        rtl: bool,
    ) -> String {
        let text = match precision {
            Precision::Day | Precision::Month => {
                let show = |dt: DateTime| {
                    if precision == Precision::Month {
                        self.fact_date(FactDate::month_of(dt.date()))
                    } else {
                        self.day(dt.date())
                    }
                };
                let first = show(start);
                match end.map(show) {
                    Some(last) if last != first => format!("{first}{}{last}", self.range_glue),
                    _ => first,
                }
            }
            Precision::Time => match (icu_datetime(start), end.and_then(icu_datetime)) {
                (Some(s), Some(e)) => match &self.day_time_range {
                    Some(r) => r.format(&s, &e).to_string(),
                    None => start.to_string(),
                },
                (Some(s), None) => match &self.day_time {
                    Some(f) => f.format(&s).to_string(),
                    None => start.to_string(),
                },
                _ => start.to_string(),
            },
        };
        if rtl { isolate_numbers(&text) } else { text }
    }

    /// The items joined as CLDR's "and" list of the language: "a, b e c", "أ وب وج".
    pub(crate) fn and_list(&self, items: &[String]) -> String {
        match &self.and_list {
            Some(f) => f.format(items.iter()).to_string(),
            None => items.join(", "),
        }
    }

    /// What CLDR's "and" list puts around `n` items, for a template that writes the items
    /// itself (as links): `n + 1` texts, the one before the first item, then the one after
    /// each. `["", ", ", " e ", ""]` in Italian for three.
    pub(crate) fn and_list_glue(&self, n: usize) -> Vec<String> {
        let marks: Vec<String> = (0..n).map(|i| format!("\u{E000}{i}\u{E001}")).collect();
        let joined = self.and_list(&marks);
        let mut glue = vec![String::new()];
        let mut rest = joined.as_str();
        while let Some(open) = rest.find('\u{E000}') {
            if let Some(last) = glue.last_mut() {
                last.push_str(&rest[..open]);
            }
            let Some(close) = rest[open..].find('\u{E001}') else {
                break;
            };
            rest = &rest[open + close + '\u{E001}'.len_utf8()..];
            glue.push(String::new());
        }
        if let Some(last) = glue.last_mut() {
            last.push_str(rest);
        }
        glue.resize(n + 1, String::new());
        glue
    }
}

/// What is known of an event's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Precision {
    Time,
    Day,
    Month,
}

fn icu_date(d: Date) -> Option<IcuDate<Gregorian>> {
    IcuDate::try_new_gregorian(i32::from(d.year()), d.month() as u8, d.day() as u8).ok()
}

fn icu_datetime(dt: DateTime) -> Option<IcuDateTime<Gregorian>> {
    Some(IcuDateTime {
        date: icu_date(dt.date())?,
        time: IcuTime::try_new(dt.hour() as u8, dt.minute() as u8, 0, 0).ok()?,
    })
}

/// CLDR's fallback between the sides of a range: what a range of two different days puts
/// between the first day written alone and the second.
fn glue_of(
    r: &FixedCalendarDateRangeFormatter<Gregorian, YMDT>,
    f: &FixedCalendarDateTimeFormatter<Gregorian, YMDT>,
) -> Option<String> {
    let a = icu_datetime(jiff::civil::date(2021, 7, 13).at(9, 0, 0, 0))?;
    let b = icu_datetime(jiff::civil::date(2021, 7, 14).at(9, 0, 0, 0))?;
    let (left, right) = (f.format(&a).to_string(), f.format(&b).to_string());
    let both = r.format(&a, &b).to_string();
    let glue = both.strip_prefix(&left)?.strip_suffix(&right)?;
    (!glue.is_empty()).then(|| glue.to_string())
}

/// Wraps every number ("13", "2021", "2:30") in a left-to-right isolate. A number is a run of
/// digits (of any script), with single `:` `.` `/` `,` between digits kept inside it.
pub(crate) fn isolate_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_numeric() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_numeric()
                || (matches!(chars[i], ':' | '.' | '/' | ',')
                    && chars.get(i + 1).is_some_and(|c| c.is_numeric())
                    && chars[i - 1].is_numeric()))
        {
            i += 1;
        }
        out.push(LRI);
        out.extend(&chars[start..i]);
        out.push(PDI);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formats(l: &str) -> DateFormats {
        DateFormats::new(&l.parse().unwrap()).unwrap()
    }

    #[test]
    fn event_times_as_cldr_writes_them() {
        let start = jiff::civil::date(2021, 7, 13).at(14, 30, 0, 0);
        let end = jiff::civil::date(2021, 7, 13).at(17, 0, 0, 0);
        let it = formats("it");
        assert_eq!(
            it.event_when(start, Some(end), Precision::Time, false),
            "13 luglio 2021 alle ore 14:30–17:00"
        );
        let ar = formats("ar");
        assert_eq!(
            ar.event_when(start, Some(end), Precision::Time, false),
            "13 يوليو 2021 في 2:30–5:00 م"
        );
        assert_eq!(
            ar.event_when(start, Some(end), Precision::Time, true),
            "\u{2066}13\u{2069} يوليو \u{2066}2021\u{2069} في \u{2066}2:30\u{2069}–\u{2066}5:00\u{2069} م"
        );
        let next = jiff::civil::date(2021, 7, 14).at(17, 0, 0, 0);
        assert_eq!(
            it.event_when(start, Some(next), Precision::Time, false),
            "13 luglio 2021 alle ore 14:30\u{2009}–\u{2009}14 luglio 2021 alle ore 17:00"
        );
        assert_eq!(
            ar.event_when(start, Some(next), Precision::Time, false),
            "13 يوليو 2021 في 2:30 م – 14 يوليو 2021 في 5:00 م"
        );
        assert_eq!(
            it.event_when(start, None, Precision::Time, false),
            "13 luglio 2021 alle ore 14:30"
        );
        let day = jiff::civil::date(2023, 3, 28).at(0, 0, 0, 0);
        let day2 = jiff::civil::date(2023, 3, 29).at(0, 0, 0, 0);
        assert_eq!(
            it.event_when(day, None, Precision::Day, false),
            "28 marzo 2023"
        );
        assert_eq!(
            it.event_when(day, Some(day2), Precision::Day, false),
            "28 marzo 2023\u{2009}–\u{2009}29 marzo 2023"
        );
        assert_eq!(
            it.event_when(day, Some(day), Precision::Day, false),
            "28 marzo 2023"
        );
        assert_eq!(
            it.event_when(day, None, Precision::Month, false),
            "marzo 2023"
        );
    }

    #[test]
    fn months_per_language() {
        let m = FactDate::parse("2023-03").unwrap();
        let d = FactDate::parse("2023-03-28").unwrap();
        assert_eq!(formats("it").fact_date(m), "marzo 2023");
        assert_eq!(formats("en-GB").fact_date(m), "March 2023");
        assert_eq!(formats("fr").fact_date(m), "mars 2023");
        assert_eq!(formats("ar").fact_date(m), "مارس 2023");
        assert_eq!(formats("it").fact_date(d), "28 marzo 2023");
        assert_eq!(formats("en-GB").fact_date(d), "28 March 2023");
    }

    #[test]
    fn lists_follow_cldr() {
        let items: Vec<String> = ["PUOI", "FARO", "PARTI"].map(String::from).to_vec();
        assert_eq!(formats("it").and_list(&items), "PUOI, FARO e PARTI");
        assert_eq!(formats("en-GB").and_list(&items), "PUOI, FARO and PARTI");
        assert_eq!(formats("fr").and_list(&items), "PUOI, FARO et PARTI");
        assert_eq!(formats("ar").and_list(&items), "PUOI وFARO وPARTI");
        assert_eq!(formats("it").and_list(&items[..1]), "PUOI");
        assert_eq!(formats("it").and_list_glue(3), ["", ", ", " e ", ""]);
        assert_eq!(formats("ar").and_list_glue(2), ["", " و", ""]);
        assert_eq!(formats("ar").and_list_glue(0), [""]);
    }

    #[test]
    fn numbers_are_isolated() {
        assert_eq!(
            isolate_numbers("x 1.5, 2:30 y 7"),
            "x \u{2066}1.5\u{2069}, \u{2066}2:30\u{2069} y \u{2066}7\u{2069}"
        );
        assert_eq!(isolate_numbers("٢:٣٠"), "\u{2066}٢:٣٠\u{2069}");
        assert_eq!(isolate_numbers("no digits"), "no digits");
    }
}
