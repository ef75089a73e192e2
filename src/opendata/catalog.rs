//! `catalog.jsonld`: the open data described in DCAT-AP_IT, the Italian profile of DCAT-AP,
//! as JSON-LD, for the national catalogue (dati.gov.it) and European portals to harvest.
//!
//! What it follows, from AgID's "Linee guida per i cataloghi dati" (the DCAT-AP_IT profile,
//! github.com/italia/linee-guida-cataloghi-dati-dcat-ap-it) and the DCAT-AP_IT ontology
//! (http://dati.gov.it/onto/dcatapit):
//! - every node carries the DCAT class and its DCAT-AP_IT subclass (`dcat:Catalog` and
//!   `dcatapit:Catalog`, and so on);
//! - the catalogue's mandatory properties: `dct:title` and `dct:description` (one per
//!   language), `dct:publisher`, `dct:modified`, `dcat:dataset`; recommended
//!   `foaf:homepage` and `dcat:themeTaxonomy`;
//! - each data set's mandatory properties: `dct:identifier`, `dct:title`,
//!   `dct:description`, `dct:modified` (`xsd:date`), `dcat:theme` (URIs of the EU
//!   data-theme vocabulary: SOCI, ECON), `dct:rightsHolder`, `dct:accrualPeriodicity` (the
//!   EU frequency vocabulary: IRREG, as the data change whenever the site is edited),
//!   `dcat:distribution` (mandatory for open data); recommended `dct:publisher`,
//!   `dcat:contactPoint`, `dcat:landingPage`, `dct:spatial`;
//! - each distribution's mandatory `dcat:accessURL`, `dct:format` (the EU file-type
//!   vocabulary: CSV, JSON) and `dct:license`; recommended `dcat:downloadURL`,
//!   `dcat:byteSize`; DCAT-AP's `dcat:mediaType` with IANA's media-type URIs;
//! - agents (`dcatapit:Agent`, `foaf:Agent`) with `foaf:name` and `dct:identifier` (the
//!   publisher's code in the Indice PA where site.yaml gives one, as `open_data.publisher_id`;
//!   else the site's address), and no person's name;
//! - the licence as a `dcatapit:LicenseDocument` identified by its concept in the Italian
//!   vocabulary of licences, with its ADMS licence type (`dct:type`), name and version;
//!   a licence given by its address has only its address and name;
//! - the contact point (`dcatapit:Organization`, a `vcard:Kind`) with `vcard:fn` and
//!   `vcard:hasEmail`, from site.yaml's `feedback.email`.
//!
//! Data-set identifiers are `<publisher id>:<data set>`: the national catalogue gives its own
//! on harvesting.

use serde_json::{Map, Value, json};

use super::{
    CATALOG_FILE, DATASETS, DataLicence, Texts, catalog_modified, file_url, json_bytes, licence,
    modified, publisher_name,
};
use crate::model::Site;
use crate::plan::{PageKind, Plan};

const DATA_THEME: &str = "http://publications.europa.eu/resource/authority/data-theme";
const FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type";
const FREQUENCY_IRREGULAR: &str =
    "http://publications.europa.eu/resource/authority/frequency/IRREG";
const ITALY: &str = "http://publications.europa.eu/resource/authority/country/ITA";
const MEDIA_TYPES: &str = "https://www.iana.org/assignments/media-types";

/// Texts of `key` in every language of the site that has one, tagged with their language.
fn tagged(site: &Site, texts: &Texts, key: &str, with: impl Fn(&str, String) -> String) -> Value {
    Value::Array(
        site.langs
            .iter()
            .filter_map(|l| {
                let t = texts(&l.code, key)?;
                Some(json!({"@language": l.code, "@value": with(&l.code, t)}))
            })
            .collect(),
    )
}

fn id(v: impl Into<String>) -> Value {
    json!({"@id": v.into()})
}

fn date(d: jiff::civil::Date) -> Value {
    json!({"@type": "xsd:date", "@value": d.to_string()})
}

/// The catalogue; `sizes` gives the byte size of each file it describes.
pub(super) fn catalog(site: &Site, plan: &Plan, texts: &Texts, sizes: &[(&str, usize)]) -> Vec<u8> {
    let dl = site.default_lang();
    let me = file_url(site, plan, CATALOG_FILE);
    let publisher_id = site
        .config
        .open_data
        .as_ref()
        .and_then(|o| o.publisher_id.as_ref())
        .map(|p| p.value.clone());
    let agent_id = format!("{me}#publisher");
    let contact_id = format!("{me}#contact-point");
    let site_title = |l: &str| site.config.title.get(l, dl).to_string();
    let publisher_name = publisher_name(site);
    let data_page = plan
        .path(PageKind::Data, "", dl)
        .map(|p| format!("{}{p}", site.base_url))
        .unwrap_or_else(|| site.base_url.clone());
    let modified_all = catalog_modified(site);
    let lic = licence(site);
    let licence_id = match &lic {
        DataLicence::Known(l) => l.vocabulary_uri(),
        DataLicence::Url(u) => u.clone(),
    };
    let id_prefix = publisher_id
        .clone()
        .unwrap_or_else(|| site.host().to_string());

    let mut graph: Vec<Value> = Vec::new();
    graph.push(json!({
        "@id": format!("{me}#catalog"),
        "@type": ["dcat:Catalog", "dcatapit:Catalog"],
        "dct:title": tagged(site, texts, "opendata_title", |l, t| format!("{t} – {}", site_title(l))),
        "dct:description": tagged(site, texts, "opendata_catalog_description", |_, t| t),
        "dct:publisher": id(&agent_id),
        "dct:modified": date(modified_all),
        "foaf:homepage": id(&data_page),
        "dcat:themeTaxonomy": id(DATA_THEME),
        "dcat:dataset": DATASETS.iter().map(|d| id(format!("{me}#{}", d.id))).collect::<Vec<_>>(),
    }));
    graph.push(json!({
        "@id": agent_id,
        "@type": ["foaf:Agent", "dcatapit:Agent"],
        "dct:identifier": publisher_id.unwrap_or_else(|| site.base_url.clone()),
        "foaf:name": publisher_name,
    }));
    graph.push(json!({
        "@id": contact_id,
        "@type": ["vcard:Kind", "vcard:Organization", "dcatapit:Organization"],
        "vcard:fn": site_title(dl),
        "vcard:hasEmail": id(format!("mailto:{}", site.config.feedback.email.value)),
    }));
    let mut licence_node = Map::new();
    licence_node.insert("@id".into(), Value::from(licence_id.clone()));
    licence_node.insert(
        "@type".into(),
        json!(["dct:LicenseDocument", "dcatapit:LicenseDocument"]),
    );
    if let DataLicence::Known(l) = &lic {
        licence_node.insert("dct:type".into(), id(l.kind_uri()));
        licence_node.insert("owl:versionInfo".into(), Value::from(l.version));
    }
    licence_node.insert("foaf:name".into(), Value::from(lic.name()));
    graph.push(Value::Object(licence_node));

    for d in &DATASETS {
        let changed = modified(site, d.id);
        graph.push(json!({
            "@id": format!("{me}#{}", d.id),
            "@type": ["dcat:Dataset", "dcatapit:Dataset"],
            "dct:identifier": format!("{id_prefix}:{}", d.id),
            "dct:title": tagged(site, texts, &d.title_key(), |_, t| t),
            "dct:description": tagged(site, texts, &d.description_key(), |_, t| t),
            "dct:modified": date(changed),
            "dcat:theme": d.themes.iter().map(|t| id(format!("{DATA_THEME}/{t}"))).collect::<Vec<_>>(),
            "dct:rightsHolder": id(format!("{me}#publisher")),
            "dct:publisher": id(format!("{me}#publisher")),
            "dct:accrualPeriodicity": id(FREQUENCY_IRREGULAR),
            "dct:spatial": id(ITALY),
            "dcat:contactPoint": id(format!("{me}#contact-point")),
            "dcat:landingPage": id(format!("{data_page}#{}", d.id)),
            "dcat:distribution": d.files.iter().map(|(f, _)| id(format!("{me}#{f}"))).collect::<Vec<_>>(),
        }));
        for (file, format) in d.files {
            let url = file_url(site, plan, file);
            let size = sizes
                .iter()
                .find(|(n, _)| n == file)
                .map(|(_, s)| *s)
                .unwrap_or_default();
            graph.push(json!({
                "@id": format!("{me}#{file}"),
                "@type": ["dcat:Distribution", "dcatapit:Distribution"],
                "dct:title": file,
                "dcat:accessURL": id(&url),
                "dcat:downloadURL": id(&url),
                "dcat:mediaType": id(format!("{MEDIA_TYPES}/{}", format.media_type())),
                "dct:format": id(format!("{FILE_TYPE}/{}", format.eu_file_type())),
                "dct:license": id(&licence_id),
                "dct:modified": date(changed),
                "dcat:byteSize": {"@type": "xsd:nonNegativeInteger", "@value": size.to_string()},
            }));
        }
    }
    let doc = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dcatapit": "http://dati.gov.it/onto/dcatapit#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "owl": "http://www.w3.org/2002/07/owl#",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@graph": graph,
    });
    json_bytes(&doc)
}
