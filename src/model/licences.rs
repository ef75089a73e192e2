//! The licences `open_data.licence` of site.yaml may name by their SPDX id, with what the
//! open-data catalogue says of each: its name, its web address, its entry in the Italian
//! controlled vocabulary of licences (which DCAT-AP_IT asks for) and its ADMS licence type.
//! Plain data: the check is `model::config`, the use `opendata`.

/// One licence the site may publish its data under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Licence {
    /// The SPDX identifier authors write: `CC-BY-4.0`.
    pub id: &'static str,
    /// Its name, as its authors give it.
    pub name: &'static str,
    /// The licence's own page.
    pub url: &'static str,
    /// Its concept in the Italian vocabulary of licences
    /// (`https://w3id.org/italia/controlled-vocabulary/licences/`).
    pub vocabulary: &'static str,
    /// Its type in the ADMS vocabulary (`http://purl.org/adms/licencetype/`).
    pub kind: &'static str,
    /// The version, as `owl:versionInfo` gives it.
    pub version: &'static str,
}

/// The licence of the open data when site.yaml names none.
pub(crate) const DEFAULT_LICENCE: &str = "CC-BY-4.0";

const VOCABULARY: &str = "https://w3id.org/italia/controlled-vocabulary/licences/";

/// Open licences only: a licence that forbids reuse makes no open data.
pub(crate) const LICENCES: [Licence; 6] = [
    Licence {
        id: "CC-BY-4.0",
        name: "Creative Commons Attribution 4.0 International",
        url: "https://creativecommons.org/licenses/by/4.0/",
        vocabulary: "A21_CCBY40",
        kind: "Attribution",
        version: "4.0",
    },
    Licence {
        id: "CC-BY-SA-4.0",
        name: "Creative Commons Attribution-ShareAlike 4.0 International",
        url: "https://creativecommons.org/licenses/by-sa/4.0/",
        vocabulary: "A31_CCBYSA40",
        kind: "ShareAlike",
        version: "4.0",
    },
    Licence {
        id: "CC0-1.0",
        name: "Creative Commons Zero v1.0 Universal",
        url: "https://creativecommons.org/publicdomain/zero/1.0/",
        vocabulary: "A11_CCO10",
        kind: "PublicDomain",
        version: "1.0",
    },
    Licence {
        id: "ODbL-1.0",
        name: "Open Data Commons Open Database License v1.0",
        url: "https://opendatacommons.org/licenses/odbl/1-0/",
        vocabulary: "A310_ODBL",
        kind: "ShareAlike",
        version: "1.0",
    },
    Licence {
        id: "ODC-By-1.0",
        name: "Open Data Commons Attribution License v1.0",
        url: "https://opendatacommons.org/licenses/by/1-0/",
        vocabulary: "A210_ODCBY",
        kind: "Attribution",
        version: "1.0",
    },
    Licence {
        id: "PDDL-1.0",
        name: "Open Data Commons Public Domain Dedication & License 1.0",
        url: "https://opendatacommons.org/licenses/pddl/1-0/",
        vocabulary: "A12_PDDL",
        kind: "PublicDomain",
        version: "1.0",
    },
];

impl Licence {
    /// The licence of this SPDX id (as SPDX writes it: ids are matched exactly).
    pub(crate) fn by_id(id: &str) -> Option<&'static Licence> {
        LICENCES.iter().find(|l| l.id == id)
    }

    /// Its concept in the Italian vocabulary of licences, as an address.
    pub(crate) fn vocabulary_uri(&self) -> String {
        format!("{VOCABULARY}{}", self.vocabulary)
    }

    /// Its ADMS licence type, as an address.
    pub(crate) fn kind_uri(&self) -> String {
        format!("http://purl.org/adms/licencetype/{}", self.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_a_known_licence_and_ids_are_unique() {
        assert!(Licence::by_id(DEFAULT_LICENCE).is_some());
        for (i, l) in LICENCES.iter().enumerate() {
            assert!(LICENCES[..i].iter().all(|o| o.id != l.id), "{}", l.id);
            assert!(l.url.starts_with("https://"), "{}", l.id);
        }
        assert_eq!(
            Licence::by_id("CC-BY-4.0").map(Licence::vocabulary_uri),
            Some("https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40".into())
        );
    }
}
