//! The fields of a CMS form, generated from the model's JSON Schema (`schemars`, derived on the
//! structs of `model::schema` that read the same files): every key of a type is a field, its
//! kind of value decides the widget, its required-ness comes from serde's own attributes, and
//! references to other entities (`x-vetrina-ref`) become choices among the site's keys.
//!
//! Decap CMS enforces required sub-fields even in an empty optional object; so the sub-fields
//! of an optional object are written `required: false` with `vetrina_required: true`, and
//! the admin's own script (`vetrina-cms.js`) refuses to save a half-filled object.

use schemars::JsonSchema;
use serde_json::{Map, Value, json};

use super::labels;
use crate::model::regions::Region;

/// The keys a form may choose among: (key, label) of the site's projects, organisations and
/// funds.
pub(crate) struct Choices {
    pub projects: Vec<(String, String)>,
    pub organisations: Vec<(String, String)>,
    pub funds: Vec<(String, String)>,
}

/// How the form of one collection is made.
pub(crate) struct Form<'a> {
    pub choices: &'a Choices,
    /// The site's language codes, the default first: one field each for a `LangMap`.
    pub langs: &'a [String],
    /// `Some(translated keys)` for a collection with a file per language: those keys are
    /// translated, every other top-level key is the same in every language (`duplicate`).
    pub translated: Option<&'a [&'a str]>,
}

/// The fields of the form of `T`.
pub(crate) fn fields_of<T: JsonSchema>(form: &Form) -> Vec<Value> {
    let schema = schemars::schema_for!(T);
    let root = schema.as_value();
    let defs = root
        .get("$defs")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let generator = Generator { defs: &defs, form };
    generator.object_fields(&T::schema_name(), root, true)
}

struct Generator<'a> {
    defs: &'a Map<String, Value>,
    form: &'a Form<'a>,
}

impl Generator<'_> {
    /// The fields of an object schema of type `ty`, in the order of the label table.
    fn object_fields(&self, ty: &str, obj: &Value, top: bool) -> Vec<Value> {
        let Some(props) = obj.get("properties").and_then(Value::as_object) else {
            return Vec::new();
        };
        let required: Vec<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut keys: Vec<&String> = props.keys().collect();
        keys.sort_by_key(|k| (labels::rank(ty, k), k.as_str()));
        keys.into_iter()
            .map(|k| {
                self.field(
                    ty,
                    k,
                    &props[k.as_str()],
                    required.contains(&k.as_str()),
                    top,
                )
            })
            .collect()
    }

    fn field(&self, ty: &str, key: &str, prop: &Value, required: bool, top: bool) -> Value {
        let mut f = Map::new();
        f.insert("name".into(), json!(key));
        match labels::label(ty, key) {
            Some(l) => {
                f.insert("label".into(), json!(l.label));
                if let Some(hint) = l.hint {
                    f.insert("hint".into(), json!(hint));
                }
            }
            None => {
                f.insert("label".into(), json!(key));
            }
        }
        let (inner, nullable) = self.without_null(prop);
        self.widget(&mut f, key, prop, &inner);
        // A key the model's rules require though the parser does not (`x-vetrina-required`).
        let required =
            (required && !nullable) || prop.get("x-vetrina-required") == Some(&json!(true));
        f.insert("required".into(), json!(required));
        if let Some(default) = prop.get("default").filter(|d| !d.is_null()) {
            f.insert("default".into(), default.clone());
        }
        if top && let Some(translated) = self.form.translated {
            let i18n = if translated.contains(&key) {
                json!(true)
            } else {
                json!("duplicate")
            };
            f.insert("i18n".into(), i18n);
        }
        Value::Object(f)
    }

    /// The schema without its `null` alternative (an `Option`), with `$ref`s followed, and
    /// whether `null` was allowed. Extensions (`x-vetrina-*`) of the outer schema are kept.
    fn without_null(&self, prop: &Value) -> (Value, bool) {
        let mut nullable = false;
        let mut s = prop.clone();
        if let Some(alts) = prop.get("anyOf").and_then(Value::as_array) {
            let rest: Vec<&Value> = alts
                .iter()
                .filter(|a| a.get("type") != Some(&json!("null")))
                .collect();
            if rest.len() < alts.len() && rest.len() == 1 {
                nullable = true;
                s = rest[0].clone();
            }
        }
        if let Some(types) = s.get("type").and_then(Value::as_array).cloned()
            && types.contains(&json!("null"))
        {
            nullable = true;
            let rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
            if let (Some(obj), [one]) = (s.as_object_mut(), rest.as_slice()) {
                obj.insert("type".into(), one.clone());
            }
        }
        (self.resolved(&s), nullable)
    }

    /// `s` with a `$ref` replaced by its definition; `x-vetrina-type` names the definition.
    fn resolved(&self, s: &Value) -> Value {
        let Some(name) = s
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
        else {
            return s.clone();
        };
        let mut def = self.defs.get(name).cloned().unwrap_or(json!({}));
        if let Some(obj) = def.as_object_mut() {
            obj.insert("x-vetrina-type".into(), json!(name));
        }
        def
    }

    /// Sets the widget of field `f` (and its options) from its schema `s`; `outer` is the
    /// field's schema as written (where the `x-vetrina-*` extensions are).
    fn widget(&self, f: &mut Map<String, Value>, key: &str, outer: &Value, s: &Value) {
        let ext = |name: &str| {
            outer
                .get(name)
                .or_else(|| s.get(name))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let is_array = s.get("type") == Some(&json!("array"));
        if let Some(reference) = ext("x-vetrina-ref") {
            let options = self.options_of(&reference);
            f.insert("widget".into(), json!("select"));
            f.insert("options".into(), json!(options));
            if is_array || reference == "region-or-all" {
                f.insert("multiple".into(), json!(true));
            }
            return;
        }
        match ext("x-vetrina-widget").as_deref() {
            Some("image") => {
                f.insert("widget".into(), json!("image"));
                f.insert("choose_url".into(), json!(false));
                return;
            }
            Some("datetime") => {
                f.insert("widget".into(), json!("datetime"));
                f.insert("format".into(), json!("YYYY-MM-DDTHH:mm"));
                f.insert("date_format".into(), json!("DD/MM/YYYY"));
                f.insert("time_format".into(), json!("HH:mm"));
                return;
            }
            Some("lang-map") => {
                let fields: Vec<Value> = self
                    .form
                    .langs
                    .iter()
                    .enumerate()
                    .map(|(i, lang)| {
                        json!({"name": lang, "label": lang.to_uppercase(), "widget": "string",
                               "required": i == 0})
                    })
                    .collect();
                f.insert("widget".into(), json!("vetrina-group"));
                f.insert("collapsed".into(), json!(false));
                f.insert("fields".into(), json!(fields));
                return;
            }
            _ => {}
        }
        if let Some(options) = self.enum_options(s) {
            f.insert("widget".into(), json!("select"));
            f.insert("options".into(), json!(options));
            return;
        }
        match s.get("type").and_then(Value::as_str) {
            Some("boolean") => {
                f.insert("widget".into(), json!("boolean"));
            }
            Some("integer") | Some("number") => {
                f.insert("widget".into(), json!("number"));
                let int = s.get("type") == Some(&json!("integer"));
                f.insert(
                    "value_type".into(),
                    json!(if int { "int" } else { "float" }),
                );
                if int {
                    f.insert("min".into(), json!(0));
                }
            }
            Some("string") if s.get("format") == Some(&json!("date")) => {
                f.insert("widget".into(), json!("datetime"));
                f.insert("format".into(), json!("YYYY-MM-DD"));
                f.insert("date_format".into(), json!("DD/MM/YYYY"));
                f.insert("time_format".into(), json!(false));
            }
            Some("object") => {
                let ty = s
                    .get("x-vetrina-type")
                    .and_then(Value::as_str)
                    .unwrap_or(key)
                    .to_owned();
                let mut fields = self.object_fields(&ty, s, false);
                // Decap enforces required sub-fields of an empty optional object: they are
                // checked by the admin's script instead, once the object is filled in.
                for sub in &mut fields {
                    if sub.get("required") == Some(&json!(true)) {
                        sub["required"] = json!(false);
                        sub["vetrina_required"] = json!(true);
                    }
                }
                f.insert("widget".into(), json!("vetrina-group"));
                f.insert("collapsed".into(), json!(false));
                f.insert("fields".into(), json!(fields));
            }
            Some("array") => {
                let items = self.resolved(s.get("items").unwrap_or(&json!({})));
                if let Some(options) = self.enum_options(&items) {
                    f.insert("widget".into(), json!("select"));
                    f.insert("multiple".into(), json!(true));
                    f.insert("options".into(), json!(options));
                } else if items.get("type") == Some(&json!("object")) {
                    let ty = items
                        .get("x-vetrina-type")
                        .and_then(Value::as_str)
                        .unwrap_or(key)
                        .to_owned();
                    f.insert("widget".into(), json!("vetrina-list"));
                    f.insert(
                        "fields".into(),
                        json!(self.object_fields(&ty, &items, false)),
                    );
                } else {
                    f.insert("widget".into(), json!("vetrina-list"));
                }
            }
            _ if key == "summary" || key == "note" || key == "withdrawal_reason" => {
                f.insert("widget".into(), json!("text"));
            }
            _ => {
                f.insert("widget".into(), json!("string"));
            }
        }
    }

    /// The choices of an enum schema (`enum: [...]`, or `oneOf` of `const`s), labelled in
    /// Italian.
    fn enum_options(&self, s: &Value) -> Option<Vec<Value>> {
        let ty = s
            .get("x-vetrina-type")
            .and_then(Value::as_str)
            .unwrap_or("");
        let values: Vec<String> = if let Some(values) = s.get("enum").and_then(Value::as_array) {
            values
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        } else {
            let alts = s.get("oneOf").and_then(Value::as_array)?;
            let consts: Vec<String> = alts
                .iter()
                .filter_map(|a| {
                    a.get("const")
                        .or_else(|| a.get("enum").and_then(|e| e.get(0)))
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                })
                .collect();
            if consts.len() != alts.len() {
                return None;
            }
            consts
        };
        Some(
            values
                .iter()
                .map(|v| json!({"label": labels::choice(ty, v), "value": v}))
                .collect(),
        )
    }

    /// The choices of a reference: the site's keys of that kind, with their names.
    fn options_of(&self, reference: &str) -> Vec<Value> {
        let pairs: Vec<(String, String)> = match reference {
            "project" => self.form.choices.projects.clone(),
            "organisation" => self.form.choices.organisations.clone(),
            "fund" => self.form.choices.funds.clone(),
            "region" | "region-or-all" => {
                let mut regions: Vec<(String, String)> = Region::keys()
                    .filter_map(Region::get)
                    .map(|r| (r.key.to_owned(), r.name("it").to_owned()))
                    .collect();
                if reference == "region-or-all" {
                    regions.insert(0, ("all".into(), "Tutte le regioni (nazionale)".into()));
                }
                regions
            }
            _ => Vec::new(),
        };
        pairs
            .into_iter()
            .map(|(value, label)| json!({"label": label, "value": value}))
            .collect()
    }
}
