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
