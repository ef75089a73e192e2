//! The 20 Italian regions, built in: ISTAT code, NUTS-2 code(s), ISO 3166-2 code and names.
//!
//! Keys are the Italian slugs authors write in front matter (`lombardia`). The slug in another
//! language comes from the region's name in that language (`lombardy`, `lombardie`); a language
//! with no name of its own here uses the English slug.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Region {
    pub key: &'static str,
    pub istat: &'static str,
    pub nuts: &'static [&'static str],
    pub iso: &'static str,
    pub it: &'static str,
    pub en: &'static str,
    pub fr: &'static str,
    pub de: &'static str,
    pub ar: &'static str,
}

macro_rules! region {
    ($key:literal, $istat:literal, [$($nuts:literal),+], $iso:literal, $it:literal, $en:literal, $fr:literal, $de:literal, $ar:literal) => {
        Region { key: $key, istat: $istat, nuts: &[$($nuts),+], iso: $iso, it: $it, en: $en, fr: $fr, de: $de, ar: $ar }
    };
}

/// In ISTAT order. Arabic names follow the forms common in Arabic-language sources.
pub static REGIONS: [Region; 20] = [
    region!(
        "piemonte",
        "01",
        ["ITC1"],
        "IT-21",
        "Piemonte",
        "Piedmont",
        "Piémont",
        "Piemont",
        "بيمونتي"
    ),
    region!(
        "valle-d-aosta",
        "02",
        ["ITC2"],
        "IT-23",
        "Valle d'Aosta/Vallée d'Aoste",
        "Aosta Valley",
        "Vallée d'Aoste",
        "Aostatal",
        "وادي أوستا"
    ),
    region!(
        "lombardia",
        "03",
        ["ITC4"],
        "IT-25",
        "Lombardia",
        "Lombardy",
        "Lombardie",
        "Lombardei",
        "لومبارديا"
    ),
    region!(
        "trentino-alto-adige",
        "04",
        ["ITH1", "ITH2"],
        "IT-32",
        "Trentino-Alto Adige/Südtirol",
        "Trentino-South Tyrol",
        "Trentin-Haut-Adige",
        "Trentino-Südtirol",
        "ترينتينو ألتو أديجي"
    ),
    region!(
        "veneto",
        "05",
        ["ITH3"],
        "IT-34",
        "Veneto",
        "Veneto",
        "Vénétie",
        "Venetien",
        "فينيتو"
    ),
    region!(
        "friuli-venezia-giulia",
        "06",
        ["ITH4"],
        "IT-36",
        "Friuli Venezia Giulia",
        "Friuli Venezia Giulia",
        "Frioul-Vénétie julienne",
        "Friaul-Julisch Venetien",
        "فريولي فينيتسيا جوليا"
    ),
    region!(
        "liguria",
        "07",
        ["ITC3"],
        "IT-42",
        "Liguria",
        "Liguria",
        "Ligurie",
        "Ligurien",
        "ليغوريا"
    ),
    region!(
        "emilia-romagna",
        "08",
        ["ITH5"],
        "IT-45",
        "Emilia-Romagna",
        "Emilia-Romagna",
        "Émilie-Romagne",
        "Emilia-Romagna",
        "إميليا رومانيا"
    ),
    region!(
        "toscana",
        "09",
        ["ITI1"],
        "IT-52",
        "Toscana",
        "Tuscany",
        "Toscane",
        "Toskana",
        "توسكانا"
    ),
    region!(
        "umbria",
        "10",
        ["ITI2"],
        "IT-55",
        "Umbria",
        "Umbria",
        "Ombrie",
        "Umbrien",
        "أومبريا"
    ),
    region!(
        "marche",
        "11",
        ["ITI3"],
        "IT-57",
        "Marche",
        "Marche",
        "Marches",
        "Marken",
        "ماركي"
    ),
    region!(
        "lazio",
        "12",
        ["ITI4"],
        "IT-62",
        "Lazio",
        "Lazio",
        "Latium",
        "Latium",
        "لاتسيو"
    ),
    region!(
        "abruzzo",
        "13",
        ["ITF1"],
        "IT-65",
        "Abruzzo",
        "Abruzzo",
        "Abruzzes",
        "Abruzzen",
        "أبروتسو"
    ),
    region!(
        "molise",
        "14",
        ["ITF2"],
        "IT-67",
        "Molise",
        "Molise",
        "Molise",
        "Molise",
        "موليزي"
    ),
    region!(
        "campania",
        "15",
        ["ITF3"],
        "IT-72",
        "Campania",
        "Campania",
        "Campanie",
        "Kampanien",
        "كامبانيا"
    ),
    region!(
        "puglia",
        "16",
        ["ITF4"],
        "IT-75",
        "Puglia",
        "Apulia",
        "Pouilles",
        "Apulien",
        "بوليا"
    ),
    region!(
        "basilicata",
        "17",
        ["ITF5"],
        "IT-77",
        "Basilicata",
        "Basilicata",
        "Basilicate",
        "Basilikata",
        "بازيليكاتا"
    ),
    region!(
        "calabria",
        "18",
        ["ITF6"],
        "IT-78",
        "Calabria",
        "Calabria",
        "Calabre",
        "Kalabrien",
        "كالابريا"
    ),
    region!(
        "sicilia",
        "19",
        ["ITG1"],
        "IT-82",
        "Sicilia",
        "Sicily",
        "Sicile",
        "Sizilien",
        "صقلية"
    ),
    region!(
        "sardegna",
        "20",
        ["ITG2"],
        "IT-88",
        "Sardegna",
        "Sardinia",
        "Sardaigne",
        "Sardinien",
        "سردينيا"
    ),
];

impl Region {
    pub fn get(key: &str) -> Option<&'static Region> {
        REGIONS.iter().find(|r| r.key == key)
    }

    pub fn keys() -> impl Iterator<Item = &'static str> + Clone {
        REGIONS.iter().map(|r| r.key)
    }

    /// The region's name in `lang` (Italian official name for `it`, English otherwise unknown).
    pub fn name(&self, lang: &str) -> &'static str {
        match lang {
            "it" => self.it,
            "fr" => self.fr,
            "de" => self.de,
            "ar" => self.ar,
            _ => self.en,
        }
    }

    /// The URL slug in `lang`: from the localised name in a Latin script, else English.
    pub fn slug(&self, lang: &str) -> String {
        match lang {
            "it" => self.key.to_string(),
            "fr" | "de" => slugify(self.name(lang).split('/').next().unwrap_or(self.key)),
            _ => slugify(self.en),
        }
    }
}

/// A URL slug: lower case ASCII letters and digits separated by single dashes.
pub fn slugify(s: &str) -> String {
    slug::slugify(s)
}

/// The longest folder name or event id that `vetrina new` makes from a title, in characters.
pub const MAX_SLUG: usize = 80;

/// The longest part of a web address a site may use (a slug, a content folder's name, an
/// event id, a section), in characters: a page is written as a folder of that name, and file
/// systems refuse names past 255 bytes; long before that, an address stops being readable.
pub const MAX_SEGMENT: usize = 100;

/// A folder name or event id from a title: transliterated to ASCII, lower case, words joined
/// by dashes ("Caffè e lavoro: un'idea" → `caffe-e-lavoro-un-idea`), at most `MAX_SLUG`
/// characters, cut between words.
pub fn slug_of(title: &str) -> String {
    let s = slugify(title);
    if s.len() <= MAX_SLUG {
        return s;
    }
    let cut = s[..=MAX_SLUG]
        .rfind('-')
        .filter(|&i| i > 0)
        .unwrap_or(MAX_SLUG);
    s[..cut].trim_end_matches('-').to_string()
}

/// Why a text cannot be one part of a web address, with a form that can.
#[derive(Debug, PartialEq, Eq)]
pub enum BadSegment {
    /// It has characters other than lower-case ASCII letters, digits and single dashes.
    Characters { instead: String },
    /// It is longer than `MAX_SEGMENT` characters.
    TooLong { chars: usize, instead: String },
}

impl BadSegment {
    /// What is wrong, for an error message about `what` (for example "the folder name").
    pub fn message(&self, what: &str, text: &str) -> String {
        match self {
            BadSegment::Characters { .. } => {
                format!("{what}`{text}` cannot be used in a web address")
            }
            BadSegment::TooLong { chars, .. } => format!(
                "{what}`{text}` is too long for a web address: {chars} characters, at most {MAX_SEGMENT}"
            ),
        }
    }

    /// How to mend it.
    pub fn help(&self) -> String {
        match self {
            BadSegment::Characters { instead } => {
                format!("use lower-case letters, digits and dashes only, for example `{instead}`")
            }
            BadSegment::TooLong { instead, .. } => {
                format!("shorten it, for example to `{instead}`")
            }
        }
    }

    /// The form suggested instead.
    pub fn instead(&self) -> &str {
        match self {
            BadSegment::Characters { instead } | BadSegment::TooLong { instead, .. } => instead,
        }
    }
}

/// Whether `s` can be one part of a web address as it is.
pub fn check_segment(s: &str) -> Result<(), BadSegment> {
    let slug = slugify(s);
    if slug != s {
        let instead = if slug.len() > MAX_SEGMENT {
            slug_of(s)
        } else {
            slug
        };
        return Err(BadSegment::Characters { instead });
    }
    if s.len() > MAX_SEGMENT {
        return Err(BadSegment::TooLong {
            chars: s.len(),
            instead: slug_of(s),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_regions_with_unique_codes_and_slugs() {
        let mut seen = std::collections::BTreeSet::new();
        for r in &REGIONS {
            assert!(seen.insert(r.iso));
            assert!(seen.insert(r.istat));
            for lang in ["it", "en", "fr", "ar"] {
                assert!(seen.insert(Box::leak(
                    format!("{lang}/{}", r.slug(lang)).into_boxed_str()
                )));
            }
        }
        assert_eq!(REGIONS.len(), 20);
    }

    #[test]
    fn web_address_parts_are_checked_for_characters_and_length() {
        assert_eq!(check_segment("lavoro-e-casa"), Ok(()));
        assert_eq!(check_segment(&"a".repeat(MAX_SEGMENT)), Ok(()));
        assert_eq!(
            check_segment("Lavoro e casa"),
            Err(BadSegment::Characters {
                instead: "lavoro-e-casa".into()
            })
        );
        let long = "parola-".repeat(20) + "fine";
        let Err(BadSegment::TooLong { chars, instead }) = check_segment(&long) else {
            panic!("{long} is accepted");
        };
        assert_eq!(chars, long.len());
        assert!(
            instead.len() <= MAX_SLUG && long.starts_with(&instead),
            "{instead}"
        );
        assert_eq!(check_segment(&instead), Ok(()));
        // Both wrong: the suggestion mends both.
        let Err(bad) = check_segment(&long.to_uppercase()) else {
            panic!("accepted");
        };
        assert_eq!(check_segment(bad.instead()), Ok(()));
    }

    #[test]
    fn localised_slugs() {
        let l = Region::get("lombardia").unwrap();
        assert_eq!(
            (l.slug("it"), l.slug("en"), l.slug("fr"), l.slug("ar")),
            (
                "lombardia".into(),
                "lombardy".into(),
                "lombardie".into(),
                "lombardy".into()
            )
        );
        assert_eq!(
            Region::get("valle-d-aosta").unwrap().slug("fr"),
            "vallee-d-aoste"
        );
        assert_eq!(
            Region::get("friuli-venezia-giulia").unwrap().slug("fr"),
            "frioul-venetie-julienne"
        );
    }
}
