//! Dates as precise as the facts: a news item or an event may be known to the day
//! (`2023-03-28`) or only to the month (`2023-03`). A month is kept as its first day, so that
//! it sorts at the month's start and every feed, calendar and sitemap gets a valid date, and
//! it remembers that only the month is known, so that pages show "marzo 2023". Never guess a
//! day the author did not write.

use std::borrow::Cow;
use std::fmt;

use jiff::civil::Date;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A day, or a month when the day is not known (then `first_day` is the month's first day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FactDate {
    first_day: Date,
    month_only: bool,
}

/// The phrase every refusal starts with: `yaml::explain` knows it and gives the fix.
pub const NOT_A_DAY_OR_MONTH: &str = "is not a valid day or month";

/// How to write one, for the help line of every refusal.
pub const DAY_OR_MONTH_HELP: &str = "write the day as YYYY-MM-DD (for example 2023-03-28) or, when only the month is known, the month as YYYY-MM (for example 2023-03), with two-digit months and days";

impl FactDate {
    pub fn day(d: Date) -> FactDate {
        FactDate {
            first_day: d,
            month_only: false,
        }
    }

    /// The month `d` falls in, when only the month is known.
    pub fn month_of(d: Date) -> FactDate {
        FactDate {
            first_day: d.first_of_month(),
            month_only: true,
        }
    }

    /// The day, or the first day of the month: where it sorts, and what feeds and calendars
    /// publish.
    pub fn first_day(self) -> Date {
        self.first_day
    }

    pub fn is_month_only(self) -> bool {
        self.month_only
    }

    pub fn year(self) -> i16 {
        self.first_day.year()
    }

    /// The last day it may mean: the day itself, or the month's last day.
    pub fn last_day(self) -> Date {
        if self.month_only {
            self.first_day.last_of_month()
        } else {
            self.first_day
        }
    }

    /// As HTML's `<time datetime>` and the source write it: `2023-03-28` or `2023-03`.
    pub fn iso(self) -> String {
        if self.month_only {
            format!("{:04}-{:02}", self.first_day.year(), self.first_day.month())
        } else {
            self.first_day.to_string()
        }
    }

    /// Reads `YYYY-MM-DD` or `YYYY-MM`; the error says what is wrong (the caller adds
    /// [`DAY_OR_MONTH_HELP`]).
    pub fn parse(text: &str) -> Result<FactDate, String> {
        let v = text.trim();
        let bad = |why: &str| format!("`{v}` {NOT_A_DAY_OR_MONTH}: {why}");
        let parts: Vec<&str> = v.split('-').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        match parts.as_slice() {
            [y, m] if digits(y, 4) && digits(m, 2) => {
                let (Ok(year), Ok(month)) = (y.parse::<i16>(), m.parse::<i8>()) else {
                    return Err(bad("expected digits"));
                };
                if !(1..=12).contains(&month) {
                    return Err(bad("months go from 01 to 12"));
                }
                Date::new(year, month, 1)
                    .map(|first_day| FactDate {
                        first_day,
                        month_only: true,
                    })
                    .map_err(|e| bad(&e.to_string()))
            }
            [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => v
                .parse::<Date>()
                .map(FactDate::day)
                .map_err(|e| bad(&e.to_string())),
            [y, m, ..]
                if digits(y, 4) && (m.len() == 1 || parts.get(2).is_some_and(|d| d.len() == 1)) =>
            {
                Err(bad("months and days take two digits (03, not 3)"))
            }
            _ => Err(bad("expected YYYY-MM-DD or YYYY-MM")),
        }
    }
}

impl fmt::Display for FactDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for FactDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = FactDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a day (YYYY-MM-DD) or a month (YYYY-MM)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FactDate, E> {
                FactDate::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

impl Serialize for FactDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

/// For the JSON Schema of the front matter (the CMS's form): a text that is a day or a month.
impl JsonSchema for FactDate {
    fn schema_name() -> Cow<'static, str> {
        "DayOrMonth".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_months() {
        let m = FactDate::parse("2023-03").unwrap();
        assert!(m.is_month_only());
        assert_eq!(m.first_day(), jiff::civil::date(2023, 3, 1));
        assert_eq!(m.last_day(), jiff::civil::date(2023, 3, 31));
        assert_eq!(m.iso(), "2023-03");
        let d = FactDate::parse("2023-03-28").unwrap();
        assert!(!d.is_month_only());
        assert_eq!(d.iso(), "2023-03-28");
        // A month sorts at its start: before every day of it but the first.
        assert!(m < d);
        assert!(FactDate::parse("2023-02-28").unwrap() < m);
        for (bad, why) in [
            ("2023-13", "months go from 01 to 12"),
            ("2023-00", "months go from 01 to 12"),
            ("2023-3", "two digits"),
            ("2023-03-5", "two digits"),
            ("2023-02-30", NOT_A_DAY_OR_MONTH),
            ("marzo 2023", "expected YYYY-MM-DD or YYYY-MM"),
            ("2023", "expected YYYY-MM-DD or YYYY-MM"),
        ] {
            let e = FactDate::parse(bad).unwrap_err();
            assert!(
                e.contains(why) && e.contains(NOT_A_DAY_OR_MONTH),
                "{bad}: {e}"
            );
        }
    }
}
