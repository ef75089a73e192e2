//! `indicators.csv`: the key figures of `data/indicators/`, one row per figure and area: the
//! national total first (region `national`), then each region the figure gives a value for.

use super::tables::{Table, per_lang_names};
use super::{Column, Dataset, Format, number};
use crate::model::Site;
use crate::model::yaml::LangMap;

pub(super) const DATASET: Dataset = Dataset {
    id: "indicators",
    files: &[("indicators.csv", Format::Csv)],
    columns: &[
        Column {
            names: &["project"],
            text: "opendata_col_indicator_project",
        },
        Column {
            names: &["figure"],
            text: "opendata_col_figure",
        },
        Column {
            names: &["label_*"],
            text: "opendata_col_label",
        },
        Column {
            names: &["value"],
            text: "opendata_col_value",
        },
        Column {
            names: &["unit_*"],
            text: "opendata_col_unit",
        },
        Column {
            names: &["region"],
            text: "opendata_col_region",
        },
        Column {
            names: &["as_of"],
            text: "opendata_col_as_of",
        },
        Column {
            names: &["source_*"],
            text: "opendata_col_source",
        },
        Column {
            names: &["illustrative"],
            text: "opendata_col_illustrative",
        },
    ],
    themes: &["SOCI", "ECON"],
};

/// The area of the national total in the `region` column.
pub(crate) const NATIONAL: &str = "national";

/// The file.
pub(super) fn csv(site: &Site) -> Vec<u8> {
    let langs: Vec<&str> = site.langs.iter().map(|l| l.code.as_str()).collect();
    let mut header: Vec<String> = vec!["project".into(), "figure".into()];
    header.extend(per_lang_names("label", &langs));
    header.push("value".into());
    header.extend(per_lang_names("unit", &langs));
    header.extend(["region".into(), "as_of".into()]);
    header.extend(per_lang_names("source", &langs));
    header.push("illustrative".into());
    let mut table = Table::new(header);
    // Only the languages a text is written in: no fallback text.
    let texts = |m: Option<&LangMap>| -> Vec<String> {
        langs
            .iter()
            .map(|l| match m {
                Some(m) if m.has(l) => m.get(l, l).to_string(),
                _ => String::new(),
            })
            .collect()
    };
    let mut files: Vec<_> = site.indicators.iter().collect();
    files.sort_by(|a, b| a.project.value.cmp(&b.project.value));
    for f in files {
        for fig in &f.figures {
            let mut areas: Vec<(&str, f64, bool)> = Vec::new();
            if let Some(total) = fig.total {
                areas.push((NATIONAL, total, f.illustrative));
            }
            for (region, v) in &fig.regions {
                areas.push((
                    region.as_str(),
                    *v,
                    f.illustrative || fig.regions_illustrative,
                ));
            }
            for (area, value, illustrative) in areas {
                let mut row = vec![f.project.value.clone(), fig.id.clone()];
                row.extend(texts(Some(&fig.label)));
                row.push(number(value));
                row.extend(texts(fig.unit.as_ref()));
                row.extend([area.to_string(), f.as_of.to_string()]);
                row.extend(texts(Some(&f.source)));
                row.push(illustrative.to_string());
                table.push(row);
            }
        }
    }
    table.to_csv()
}
