//! CSV as RFC 4180 writes it: UTF-8, a header row, lines ending in CRLF, and a cell quoted
//! when it holds a comma, a quote (doubled inside) or a line break. The quoting is the `csv`
//! crate's; this file only decides the shape (header, cells, how several values share one).

use super::LIST_SEPARATOR;

/// A table on its way to CSV: the header, then rows of as many cells.
pub(super) struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub(super) fn new(header: Vec<String>) -> Self {
        Table {
            header,
            rows: Vec::new(),
        }
    }

    /// Adds a row; one of another length than the header (a bug of the caller) is padded or
    /// cut, so that the file stays a table.
    pub(super) fn push(&mut self, mut row: Vec<String>) {
        row.resize(self.header.len(), String::new());
        self.rows.push(row);
    }

    /// The table as CSV bytes.
    pub(super) fn to_csv(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        // Writing into memory cannot fail; a row that could not be written would be left
        // out rather than stop the build.
        let _ = w.write_record(&self.header);
        for row in &self.rows {
            let _ = w.write_record(row);
        }
        w.into_inner().unwrap_or_default()
    }
}

/// Several values in one cell, in their order: `lazio;puglia`.
pub(super) fn list<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> String {
    let mut out = String::new();
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 {
            out.push_str(LIST_SEPARATOR);
        }
        out.push_str(v.as_ref());
    }
    out
}

/// The header names of a column given once per language: `title_it`, `title_en`, ….
pub(super) fn per_lang_names(stem: &str, langs: &[&str]) -> Vec<String> {
    langs.iter().map(|l| format!("{stem}_{l}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(bytes: &[u8]) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(bytes)
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn cells_with_commas_quotes_and_line_breaks_are_quoted_as_rfc_4180_says() {
        let mut t = Table::new(vec!["key".into(), "title".into()]);
        let title = "Lavoro, casa e \"futuro\"\nseconda riga";
        t.push(vec!["a".into(), title.into()]);
        t.push(vec!["b".into(), "plain".into()]);
        let bytes = t.to_csv();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert_eq!(
            text,
            "key,title\r\na,\"Lavoro, casa e \"\"futuro\"\"\nseconda riga\"\r\nb,plain\r\n"
        );
        assert_eq!(
            read_back(&bytes),
            [
                vec!["key".to_string(), "title".into()],
                vec!["a".into(), title.into()],
                vec!["b".into(), "plain".into()],
            ]
        );
    }

    #[test]
    fn several_values_share_a_cell_and_languages_get_a_column_each() {
        assert_eq!(list(["lazio", "puglia"]), "lazio;puglia");
        assert_eq!(list(Vec::<String>::new()), "");
        assert_eq!(
            per_lang_names("title", &["it", "ar"]),
            ["title_it", "title_ar"]
        );
    }

    #[test]
    fn a_row_of_the_wrong_length_still_makes_a_table() {
        let mut t = Table::new(vec!["a".into(), "b".into()]);
        t.push(vec!["1".into()]);
        assert_eq!(t.to_csv(), b"a,b\r\n1,\r\n");
    }
}
