//! Site-level overrides (SPEC §9): `templates/`, `i18n/` and `static/` at the site root
//! replace the theme's files of the same name, problems in them name the site's file, and a
//! change in them is a change of the site.

mod common;

use std::fs;
use std::path::Path;

use common::*;

fn theme_file(root: &Path, rel: &str) -> String {
    read(root, &format!("themes/default/{rel}"))
}

/// Every HTML page of the output, as text.
fn pages(out: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for e in walkdir::WalkDir::new(out) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "html") {
            found.push((
                e.path().display().to_string(),
                fs::read_to_string(e.path()).unwrap(),
            ));
        }
    }
    found
}

#[test]
fn a_template_of_the_site_replaces_the_themes_on_every_page() {
    let t = fixture("story-ok");
    let footer = theme_file(t.path(), "templates/partials/footer.html");
    write(
        t.path(),
        "templates/partials/footer.html",
        &footer.replace(
            "<footer class=\"site-footer\">",
            "<footer class=\"site-footer\"><p>Ente esempio: sede regionale</p>",
        ),
    );
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let pages = pages(&t.path().join("public"));
    assert!(pages.len() > 5, "{} pages", pages.len());
    for (path, html) in &pages {
        assert!(
            html.contains("Ente esempio: sede regionale"),
            "{path} keeps the theme's footer"
        );
    }
    // The theme itself is untouched: the override is the site's.
    assert!(!theme_file(t.path(), "templates/partials/footer.html").contains("sede regionale"));
}

#[test]
fn interface_strings_and_static_files_of_the_site_replace_the_themes() {
    let t = fixture("story-ok");
    let it = theme_file(t.path(), "i18n/it.yaml");
    assert!(it.contains("skip_link: \"Vai al contenuto\""));
    write(
        t.path(),
        "i18n/it.yaml",
        &it.replace(
            "skip_link: \"Vai al contenuto\"",
            "skip_link: \"Salta al testo\"",
        ),
    );
    write(t.path(), "static/style.css", "body { color: #123456; }\n");
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("Salta al testo") && !home.contains("Vai al contenuto"));
    // One stylesheet, the site's, published under its fingerprinted name.
    let css: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("style.") && n.ends_with(".css"))
        .collect();
    assert_eq!(css.len(), 1, "{css:?}");
    assert_eq!(
        fs::read_to_string(out.join(&css[0])).unwrap(),
        "body { color: #123456; }\n"
    );
    assert!(
        home.contains(&css[0]),
        "the pages link the site's stylesheet"
    );
}

#[test]
fn a_mistake_in_an_override_names_the_sites_file() {
    let t = fixture("story-ok");
    write(
        t.path(),
        "templates/partials/footer.html",
        "<footer>{% if %}</footer>\n",
    );
    let r = check(t.path());
    assert!(!r.ok());
    let text = rendered(&r);
    assert!(text.contains("templates/partials/footer.html"), "{text}");
    assert!(
        !text.contains("themes/default/templates/partials/footer.html"),
        "{text}"
    );

    let t = fixture("story-ok");
    write(t.path(), "i18n/it.yaml", "skip_link: [unclosed\n");
    let text = rendered(&check(t.path()));
    assert!(text.contains("i18n/it.yaml:1:"), "{text}");
    assert!(!text.contains("themes/default/i18n/it.yaml"), "{text}");
}

#[test]
fn changing_an_override_is_a_change_of_the_site() {
    let t = fixture("story-ok");
    let footer = theme_file(t.path(), "templates/partials/footer.html");
    write(
        t.path(),
        "templates/partials/footer.html",
        &footer.replace(
            "<footer class=\"site-footer\">",
            "<footer class=\"site-footer\"><p>prima</p>",
        ),
    );
    let r = build(t.path());
    assert!(r.ok() && !r.nothing_changed, "{}", rendered(&r));
    assert!(
        build(t.path()).nothing_changed,
        "nothing changed the second time"
    );
    write(
        t.path(),
        "templates/partials/footer.html",
        &footer.replace(
            "<footer class=\"site-footer\">",
            "<footer class=\"site-footer\"><p>dopo</p>",
        ),
    );
    let r = build(t.path());
    assert!(r.ok() && !r.nothing_changed, "{}", rendered(&r));
    let home = fs::read_to_string(t.path().join("public/index.html")).unwrap();
    assert!(home.contains("dopo") && !home.contains("prima"));
}
