//! The text of a new story, project sheet, news item or page: its front matter with every
//! required key filled in or marked for the author (see the module notes of `scaffold`), and
//! the notes that tell the author which lines are left. Writes nothing itself.

use super::new::Ctx;

/// ": a, b, c" (shortened when long), or "" when the list is empty.
pub(super) fn list_hint(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1..=6 => format!(": {}", items.join(", ")),
        n => format!(": {}, … ({n} in all)", items[..5].join(", ")),
    }
}

/// The lines of a new file, and the notes on the lines the author must fill in.
#[derive(Default)]
pub(super) struct Doc {
    pub(super) lines: Vec<String>,
    /// (0-based line index, what to do).
    todos: Vec<(usize, String)>,
    /// What to write below the front matter, if anything (shown after the line notes).
    body_note: Option<String>,
}

impl Doc {
    /// A Markdown document's front matter, opened with the convention header and the title.
    fn front_matter(title: &str) -> Doc {
        let mut d = Doc::default();
        d.line("---", "");
        d.line(HEADER_1, "");
        d.line(HEADER_2, "");
        d.line(&format!("title: {}", quoted(title)), "");
        d
    }

    /// Closes the front matter; `what` says what to write below it.
    fn close(mut self, what: &str) -> Doc {
        self.line("---", "");
        self.line("", "");
        self.body_note = Some(format!("below line {}: {what}", self.lines.len() - 1));
        self
    }

    pub(super) fn line(&mut self, code: &str, comment: &str) {
        self.lines.push(commented(code, comment));
    }

    /// A line the author must change; `note` says how, as a sentence.
    pub(super) fn todo(&mut self, code: &str, comment: &str, note: impl Into<String>) {
        self.todos.push((self.lines.len(), note.into()));
        self.line(code, comment);
    }

    pub(super) fn text(&self, eol: &str) -> String {
        let mut s = self.lines.join(eol);
        s.push_str(eol);
        s
    }

    /// The notes, with 1-based line numbers; `first_line` is the number of lines before the
    /// first line of this document in its file.
    pub(super) fn notes(&self, first_line: usize) -> Vec<String> {
        let mut out: Vec<String> = self
            .todos
            .iter()
            .map(|(i, n)| format!("line {}: {n}", first_line + i + 1))
            .collect();
        out.extend(self.body_note.clone());
        out
    }
}

/// `code` followed by a YAML comment aligned on column 30.
pub(super) fn commented(code: &str, comment: &str) -> String {
    if comment.is_empty() {
        return code.to_string();
    }
    let width = code.chars().count();
    let pad = if width < 29 { 29 - width } else { 1 };
    format!("{code}{}# {comment}", " ".repeat(pad))
}

/// A YAML double-quoted scalar.
pub(super) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const HEADER_1: &str =
    "# Replace every TODO below. Where a line starts with `#TODO`, write the text and remove";
const HEADER_2: &str = "# the `#TODO ` in front of it. `vetrina check` fails, naming what is left, until all are done.";

pub(super) fn todo_word(key: &str, allowed: &str) -> String {
    format!("replace TODO in `{key}` with {allowed}")
}

pub(super) fn todo_text(key: &str, what: &str) -> String {
    format!("write the `{key}`: {what}; then remove the `#TODO ` at the start of the line")
}

pub(super) fn story(c: &Ctx) -> Doc {
    let mut d = Doc::front_matter(c.title);
    d.line(
        &format!("date: {}", c.today),
        "the day of the story (YYYY-MM-DD)",
    );
    d.todo(
        "kind: TODO",
        "participant | host | operator | partner",
        todo_word(
            "kind",
            "what the story is about: participant, host, operator or partner",
        ),
    );
    let phint = format!(
        "the folder name of a project in content/projects{}",
        c.projects_hint()
    );
    match c.project {
        Some(p) => d.line(&format!("project: {p}"), &phint),
        None => d.todo(
            "project: TODO",
            &phint,
            todo_word(
                "project",
                &format!("the project's folder name{}", c.projects_hint()),
            ),
        ),
    }
    let rhint = "the Italian key of the region, such as lombardia";
    match c.region {
        Some(r) => d.line(&format!("region: {r}"), rhint),
        None => d.todo(
            "region: TODO",
            rhint,
            todo_word("region", "the Italian key of the region, such as lombardia"),
        ),
    }
    d.line("themes: []", "optional: such as [internship, orientation]");
    d.todo(
        "#TODO summary: \"…\"",
        "two sentences shown in lists, feeds and the page description",
        todo_text("summary", "two sentences that sum the story up"),
    );
    d.line(
        "# image: {src: cover.jpg, alt: \"…\", faces: none}",
        "optional: a picture beside this file; faces: none | consented | blurred",
    );
    d.line(
        "# A story about a person needs both blocks below (a participant story always is one);",
        "",
    );
    d.line(
        "# delete them only if the story is about no one in particular. Never put the person's",
        "",
    );
    d.line(
        "# name in the folder name or in picture file names: they are published.",
        "",
    );
    d.line("person:", "");
    d.todo(
        "  #TODO display_name: \"…\"",
        "the name the page may show, as the consent allows",
        todo_text(
            "display_name",
            "the name the page may show (as the consent allows)",
        ),
    );
    d.todo(
        "  identifiability: TODO",
        "named | first-name | pseudonym | anonymous",
        todo_word(
            "identifiability",
            "how the person may be shown: named, first-name, pseudonym or anonymous (a minor: pseudonym or anonymous)",
        ),
    );
    d.todo(
        "  minor: TODO",
        "true if the person is under 18, else false",
        todo_word("minor", "true if the person is under 18, else false"),
    );
    d.line("consent:", "the signed consent record");
    d.todo(
        "  #TODO reference: \"…\"",
        "the record's id, never the document itself",
        todo_text(
            "reference",
            "the id of the signed consent record (never the document itself)",
        ),
    );
    d.todo(
        "  date: TODO",
        "the day it was signed (YYYY-MM-DD)",
        todo_word(
            "date",
            "the day the consent was signed, as YYYY-MM-DD (in the consent block)",
        ),
    );
    d.todo(
        "  given_by: TODO",
        "self | parent | guardian",
        todo_word(
            "given_by",
            "who signed the consent: self, parent or guardian (a minor: parent or guardian)",
        ),
    );
    d.line(
        "  scope: [web]",
        "where it may be published: web, social, print",
    );
    d.line(
        "  # expires: YYYY-MM-DD",
        "if the consent ends: the story is then taken down",
    );
    d.line(
        "  withdrawn: false",
        "true takes the story down at the next build",
    );
    d.line(
        "example: true",
        "shown as \"illustrative example\"; false for a real story",
    );
    d.close(
        "write the text of the story, in Markdown (pictures beside the file: ![what it shows](picture.jpg)); check that `date` and `example` are right",
    )
}

pub(super) fn project_sheet(c: &Ctx) -> Doc {
    let mut d = Doc::front_matter(c.title);
    d.line("# acronym: \"…\"", "optional: the short name, such as PUOI");
    d.todo(
        "#TODO summary: \"…\"",
        "at most 100 words, shown in lists and search results",
        todo_text("summary", "what the project does, in at most 100 words"),
    );
    d.todo(
        "status: TODO",
        "planned | ongoing | concluded | mainstreamed",
        todo_word("status", "planned, ongoing, concluded or mainstreamed"),
    );
    d.line(
        "# period: {start: YYYY-MM-DD, end: YYYY-MM-DD}",
        "optional: only the dates that are known",
    );
    let fhint = format!("keys of data/funds.yaml{}", list_hint(&c.site.funds));
    d.todo(
        "funds: [TODO]",
        &fhint,
        todo_word(
            "funds",
            &format!("the keys of the funds that co-fund the project ({fhint})"),
        ),
    );
    d.line(
        "# codes: {prog: …, cup: …}",
        "optional: the PROG and CUP codes",
    );
    d.todo(
        "lead: TODO",
        "the lead organisation: its key in data/organisations.yaml",
        todo_word(
            "lead",
            "the key of the lead organisation in data/organisations.yaml (add it there if it is missing)",
        ),
    );
    d.line(
        "# partners: [{org: …, role: partner}]",
        "optional: keys of data/organisations.yaml",
    );
    let rhint = "region keys such as [lombardia], or: all";
    match c.region {
        Some(r) => d.line(&format!("regions: [{r}]"), rhint),
        None => d.todo(
            "regions: [TODO]",
            rhint,
            todo_word(
                "regions",
                "the keys of the regions where the project works, such as [lombardia, lazio], or `all` for a national project",
            ),
        ),
    }
    d.line("# target_groups: []", "optional: such as [refugees]");
    d.line(
        "# themes: []",
        "optional: such as [internship, orientation]",
    );
    d.line(
        "# unit_cost: {amount: …, currency: EUR, label: \"…\"}",
        "optional",
    );
    d.line("# website: \"https://…\"", "optional");
    d.line(
        &format!("updated: {}", c.today),
        "the day this sheet was last brought up to date",
    );
    d.close(
        "write the text of the sheet, in Markdown, with these sections: context, objectives, how it works, results, lessons learned; figures go in data/indicators/<project>.yaml",
    )
}

pub(super) fn news(c: &Ctx) -> Doc {
    let mut d = Doc::front_matter(c.title);
    d.line(
        &format!("date: {}", c.today),
        "the day of the news (YYYY-MM-DD)",
    );
    d.todo(
        "#TODO summary: \"…\"",
        "two sentences shown in lists, feeds and the page description",
        todo_text("summary", "two sentences that sum the news up"),
    );
    let rlist = c.region.map(str::to_string).unwrap_or_default();
    d.line(
        &format!("regions: [{rlist}]"),
        "optional: region keys such as [lombardia]",
    );
    let plist = c.project.map(str::to_string).unwrap_or_default();
    d.line(
        &format!("projects: [{plist}]"),
        &format!("optional: project folder names{}", c.projects_hint()),
    );
    d.line(
        "# image: {src: cover.jpg, alt: \"…\"}",
        "optional: a picture beside this file",
    );
    d.close("write the text of the news, in Markdown; check that `date` is right")
}

pub(super) fn page(c: &Ctx) -> Doc {
    let mut d = Doc::front_matter(c.title);
    d.line(
        "# summary: \"…\"",
        "optional: one sentence for search engines and link previews",
    );
    d.todo(
        "updated: TODO",
        "the day the text is ready (YYYY-MM-DD), shown at the foot of the page",
        todo_word(
            "updated",
            "the day the text is ready, as YYYY-MM-DD (it is shown as \"last updated\" at the foot of the page)",
        ),
    );
    d.close("write the text of the page, in Markdown")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn quoted_yaml_reads_back_as_the_same_text() {
        for s in ["Caffè e lavoro: un'idea", "a \"b\" \\ c # d", "tab\there"] {
            let y = format!("t: {}\n", quoted(s));
            let m: BTreeMap<String, String> = serde_saphyr::from_str(&y).unwrap();
            assert_eq!(m["t"], s);
        }
    }

    #[test]
    fn comments_align_and_long_code_keeps_a_space() {
        assert_eq!(commented("a: b", ""), "a: b");
        assert_eq!(commented("a: b", "x"), format!("a: b{}# x", " ".repeat(25)));
        let long = "k".repeat(40);
        assert_eq!(commented(&long, "x"), format!("{long} # x"));
    }
}
