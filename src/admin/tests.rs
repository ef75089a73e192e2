//! The admin's generated configuration read against the content model: every key of every
//! form, every choice, every required field; and a key added to the model appears in its form.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::config::config;
use super::fields::{Choices, Form, fields_of};
use super::labels::LABELS;
use crate::model::schema::{
    ConsentFm, EventFile, FundFile, ImageFm, NewsFm, OrgFile, PageFm, PersonFm, ProjectFm, StoryFm,
};
use crate::model::testing::{TODAY, build_site, files};

const CMS: &str = "cms: {backend: {name: gitlab, repo: gruppo/sito, branch: pubblica}}\n";

fn site_yaml_with_cms() -> String {
    format!(
        "{}{CMS}",
        crate::model::testing::SITE_YAML.replace(
            "languages:\n  - code: it\n    name: Italiano\n",
            "languages:\n  - code: it\n    name: Italiano\n  - code: en\n    name: English\n"
        )
    )
}

fn site_config(local: bool) -> Value {
    let yaml = site_yaml_with_cms();
    let all = files(&[("site.yaml", yaml.as_str())]);
    let (site, diags) = build_site(&all, TODAY);
    assert!(
        !diags.has_errors(),
        "{:?}",
        crate::model::testing::lines(&diags)
    );
    config(&site.expect("the site builds"), local)
}

fn collection<'a>(config: &'a Value, name: &str) -> &'a Value {
    config["collections"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("no collection {name}"))
}

fn field<'a>(fields: &'a Value, name: &str) -> &'a Value {
    fields
        .as_array()
        .and_then(|f| f.iter().find(|f| f["name"] == name))
        .unwrap_or_else(|| panic!("no field {name} in {fields}"))
}

fn names(fields: &Value) -> Vec<String> {
    fields
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|f| f["name"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The top-level keys the model reads for `T`, from its JSON Schema.
fn model_keys<T: JsonSchema>() -> Vec<String> {
    let schema = schemars::schema_for!(T);
    let mut keys: Vec<String> = schema.as_value()["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn every_key_of_every_form_is_a_key_of_the_model() {
    let c = site_config(false);
    let cases: [(&str, Vec<String>); 4] = [
        ("stories", model_keys::<StoryFm>()),
        ("projects", model_keys::<ProjectFm>()),
        ("news", model_keys::<NewsFm>()),
        ("pages", model_keys::<PageFm>()),
    ];
    for (name, mut keys) in cases {
        keys.push("body".into());
        keys.sort();
        assert_eq!(
            sorted(names(&collection(&c, name)["fields"])),
            keys,
            "{name}"
        );
    }
    let events = field(&collection(&c, "events")["fields"], "events");
    assert_eq!(sorted(names(&events["fields"])), model_keys::<EventFile>());
    let data = &collection(&c, "data")["files"];
    for (i, keys) in [model_keys::<OrgFile>(), model_keys::<FundFile>()]
        .into_iter()
        .enumerate()
    {
        let items = field(&data[i]["fields"], "items");
        let mut want = keys;
        want.push("key".into());
        assert_eq!(sorted(names(&items["fields"])), sorted(want));
    }
}

/// What a developer does when the model grows: a key added to a front matter struct.
#[derive(Deserialize, JsonSchema)]
#[allow(dead_code)]
struct StoryWithANewKey {
    #[serde(flatten)]
    story: StoryFm,
    /// A key the model does not have yet.
    #[schemars(with = "Option<crate::model::yaml::DateText>")]
    interview_date: Option<jiff::civil::Date>,
    #[schemars(with = "String", extend("x-vetrina-ref" = "project"))]
    sister_project: String,
}

#[test]
fn a_key_added_to_the_model_appears_in_the_form() {
    let choices = Choices {
        projects: vec![("alfa".into(), "Alfa".into())],
        organisations: Vec::new(),
        funds: Vec::new(),
    };
    let langs = vec!["it".to_string()];
    let form = Form {
        choices: &choices,
        langs: &langs,
        translated: Some(&["title"]),
    };
    let fields = Value::Array(fields_of::<StoryWithANewKey>(&form));
    for key in model_keys::<StoryFm>() {
        field(&fields, &key);
    }
    let sister = field(&fields, "sister_project");
    assert_eq!(sister["widget"], "select");
    assert_eq!(
        sister["options"],
        json!([{"label": "Alfa", "value": "alfa"}])
    );
    assert_eq!(sister["required"], true);
    assert_eq!(sister["i18n"], "duplicate");
    let new = field(&fields, "interview_date");
    assert_eq!(new["widget"], "datetime");
    assert_eq!(new["required"], false);
    // No Italian label yet: the key itself, until the table has one.
    assert_eq!(new["label"], "interview_date");
}

#[test]
fn every_key_of_the_model_has_an_italian_label() {
    let mut missing = Vec::new();
    let mut check = |ty: &str, keys: Vec<String>| {
        for k in keys {
            if !LABELS.iter().any(|l| l.ty == ty && l.key == k) {
                missing.push(format!("{ty}.{k}"));
            }
        }
    };
    check("StoryFm", model_keys::<StoryFm>());
    check("ImageFm", model_keys::<ImageFm>());
    check("PersonFm", model_keys::<PersonFm>());
    check("ConsentFm", model_keys::<ConsentFm>());
    check("ProjectFm", model_keys::<ProjectFm>());
    check("NewsFm", model_keys::<NewsFm>());
    check("PageFm", model_keys::<PageFm>());
    check("EventFile", model_keys::<EventFile>());
    check("OrgFile", model_keys::<OrgFile>());
    check("FundFile", model_keys::<FundFile>());
    assert!(
        missing.is_empty(),
        "add Italian labels to src/admin/labels.rs for {missing:?}"
    );
    for l in LABELS {
        assert!(
            !l.label.is_empty() && l.hint.is_none_or(|h| !h.is_empty()),
            "{}.{}",
            l.ty,
            l.key
        );
    }
}

#[test]
fn stories_are_bundles_with_a_file_per_language_and_pictures_beside_them() {
    let c = site_config(false);
    assert_eq!(
        c["i18n"],
        json!({"structure": "multiple_files", "locales": ["it", "en"], "default_locale": "it"})
    );
    for (name, folder) in [
        ("stories", "content/stories"),
        ("projects", "content/projects"),
        ("news", "content/news"),
        ("pages", "content/pages"),
    ] {
        let s = collection(&c, name);
        assert_eq!(s["folder"], folder);
        assert_eq!(s["path"], "{{slug}}/index");
        assert_eq!(s["extension"], "md");
        assert_eq!(s["media_folder"], "");
        assert_eq!(s["public_folder"], "");
        assert_eq!(s["i18n"], true);
    }
    let f = &collection(&c, "stories")["fields"];
    assert_eq!(field(f, "title")["i18n"], true);
    assert_eq!(field(f, "body")["i18n"], true);
    assert_eq!(field(f, "region")["i18n"], "duplicate");
    assert_eq!(field(f, "consent")["i18n"], "duplicate");
    assert_eq!(collection(&c, "events")["folder"], "data/events");
    let data = &collection(&c, "data")["files"];
    assert_eq!(data[0]["file"], "data/organisations.yaml");
    assert_eq!(data[1]["file"], "data/funds.yaml");
}

#[test]
fn choices_are_the_regions_and_the_sites_keys() {
    let c = site_config(false);
    let f = &collection(&c, "stories")["fields"];
    let region = field(f, "region");
    assert_eq!(region["widget"], "select");
    let options = region["options"].as_array().expect("options");
    assert_eq!(options.len(), 20);
    assert!(options.contains(&json!({"label": "Lombardia", "value": "lombardia"})));
    assert!(options.contains(&json!({"label": "Sardegna", "value": "sardegna"})));
    assert_eq!(
        field(f, "project")["options"],
        json!([{"label": "Alfa", "value": "alfa"}])
    );
    let kind = field(f, "kind");
    assert_eq!(
        kind["options"][0],
        json!({"label": "Persona partecipante", "value": "participant"})
    );
    let projects = &collection(&c, "projects")["fields"];
    let regions = field(projects, "regions");
    assert_eq!(regions["multiple"], true);
    assert_eq!(regions["options"].as_array().map(Vec::len), Some(21));
    assert_eq!(regions["options"][0]["value"], "all");
    assert_eq!(field(projects, "status")["widget"], "select");
    let date = field(f, "date");
    assert_eq!(date["widget"], "datetime");
    assert_eq!(date["format"], "YYYY-MM-DD");
    assert_eq!(date["time_format"], false);
}

#[test]
fn the_consent_is_required_beside_a_person_and_every_picture_needs_its_alt_text() {
    let c = site_config(false);
    let f = &collection(&c, "stories")["fields"];
    let consent = field(f, "consent");
    assert_eq!(consent["vetrina_required_with"], "person");
    for key in ["reference", "date", "given_by", "scope"] {
        let sub = field(&consent["fields"], key);
        assert_eq!(sub["vetrina_required"], true, "{key}");
        assert!(sub["hint"].as_str().is_some_and(|h| !h.is_empty()), "{key}");
    }
    for key in ["expires", "withdrawn"] {
        assert!(
            field(&consent["fields"], key)
                .get("vetrina_required")
                .is_none(),
            "{key}"
        );
    }
    assert!(
        field(&consent["fields"], "reference")["hint"]
            .as_str()
            .is_some_and(|h| h.contains("non caricarlo"))
    );
    let scope = field(&consent["fields"], "scope");
    assert_eq!(scope["multiple"], true);
    assert_eq!(scope["pattern"][0], "(^|,)web(,|$)");
    let image = field(f, "image");
    assert_eq!(field(&image["fields"], "alt")["vetrina_required"], true);
    assert_eq!(field(&image["fields"], "src")["widget"], "image");
    let body = field(f, "body");
    let pattern = regex_lite_check(body["pattern"][0].as_str().unwrap_or(""));
    assert!(pattern);
    assert_eq!(field(f, "example")["widget"], "boolean");
}

/// The body's pattern refuses an empty alt text: checked here by its shape (the browser test
/// runs it in Decap).
fn regex_lite_check(p: &str) -> bool {
    p.starts_with("^(?!") && p.contains(r"!\[\s*\]\(")
}

#[test]
fn the_backend_is_the_git_host_of_site_yaml_or_the_local_folder_under_serve() {
    let c = site_config(false);
    assert_eq!(
        c["backend"],
        json!({"name": "gitlab", "repo": "gruppo/sito", "branch": "pubblica"})
    );
    let local = site_config(true);
    assert_eq!(
        local["backend"],
        json!({"name": "proxy", "proxy_url": "/api/v1", "branch": "pubblica"})
    );
    assert_eq!(local["locale"], "it");
}

#[test]
fn the_admin_is_published_only_with_cms_and_never_indexed() {
    let yaml = site_yaml_with_cms();
    let all = files(&[("site.yaml", yaml.as_str())]);
    let site = build_site(&all, TODAY).0.expect("site");
    let out = super::files(&site, false);
    let page = out
        .iter()
        .find(|(p, _)| p == "admin/index.html")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("admin/index.html");
    assert!(page.contains(r#"<meta name="robots" content="noindex, nofollow">"#));
    assert!(
        page.contains("connect-src 'self' blob: https://gitlab.com;"),
        "{page}"
    );
    assert!(
        !page.contains("http://") && !page.contains("//cdn"),
        "{page}"
    );
    let yml = out
        .iter()
        .find(|(p, _)| p == "admin/config.yml")
        .expect("config.yml");
    let parsed: Value = serde_saphyr::from_slice(&yml.1).expect("config.yml is YAML");
    assert_eq!(parsed, config(&site, false));

    let plain = build_site(&files(&[]), TODAY).0.expect("site");
    assert!(super::files(&plain, false).is_empty());
    // Under serve, the admin saves to the folder: no `cms:` needed.
    let local = super::files(&plain, true);
    assert!(local.iter().any(|(p, _)| p == "admin/config.yml"));
    assert_eq!(config(&plain, true)["backend"]["name"], "proxy");
}

#[test]
fn a_bad_backend_block_is_an_error_at_its_line() {
    let yaml = format!(
        "{}cms: {{backend: {{name: gitlab, repo: \"gruppo/../x\", api_root: \"javascript:alert(1)\"}}}}\n",
        crate::model::testing::SITE_YAML
    );
    let (_, diags) = build_site(&files(&[("site.yaml", yaml.as_str())]), TODAY);
    let lines = crate::model::testing::lines(&diags);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("site.yaml:11") && l.contains("is not a repository")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("site.yaml:11") && l.contains("javascript")),
        "{lines:?}"
    );
    let yaml = format!(
        "{}cms: {{backend: {{name: gitlub, repo: a/b}}}}\n",
        crate::model::testing::SITE_YAML
    );
    let (_, diags) = build_site(&files(&[("site.yaml", yaml.as_str())]), TODAY);
    let lines = crate::model::testing::lines(&diags);
    assert!(lines.iter().any(|l| l.contains("gitlab")), "{lines:?}");
}

#[test]
fn the_vendored_files_are_there_sorted_and_look_like_javascript() {
    use super::vendored::{CMS_FILES, DECAP_VERSION};
    let file = |name: &str| {
        CMS_FILES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, bytes)| *bytes)
            .unwrap_or_else(|| panic!("{name} is not vendored"))
    };
    assert!(!DECAP_VERSION.is_empty());
    let decap = file("decap-cms.js");
    assert!(
        decap.len() > 1_000_000,
        "decap-cms.js is {} bytes",
        decap.len()
    );
    assert!(decap.starts_with(b"/*! For license information") || decap.starts_with(b"!function"));
    let yaml = file("js-yaml.min.js");
    assert!(yaml.starts_with(b"!function") && yaml.len() > 10_000);
    assert!(CMS_FILES.iter().any(|(n, _)| n.ends_with(".decap-cms.js")));
    assert!(
        CMS_FILES.windows(2).all(|w| w[0].0 < w[1].0),
        "CMS_FILES is not sorted"
    );
}
