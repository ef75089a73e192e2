//! Region hubs, the tile map of Italy, indicators and charts.

mod common;

use common::*;

#[test]
fn twenty_hubs_in_every_language_with_the_national_project() {
    let t = demo_copy();
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    for (dir, lang) in [
        ("regioni", "it"),
        ("en/regions", "en"),
        ("fr/regions", "fr"),
        ("ar/regions", "ar"),
    ] {
        let hubs: Vec<_> = std::fs::read_dir(out.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("index.html").is_file())
            .collect();
        assert_eq!(hubs.len(), 20, "{lang}");
        for h in hubs {
            let html = std::fs::read_to_string(h.join("index.html")).unwrap();
            assert!(
                html.contains("PUOI"),
                "{}: the national project is listed",
                h.display()
            );
            assert!(
                html.contains(r#"class="tile-map tile-map-small""#),
                "{}: the small map",
                h.display()
            );
            assert!(
                html.contains("feed.xml") && html.contains(".ics"),
                "{}: feed and calendar",
                h.display()
            );
        }
    }
    let lombardia = read(&out, "regioni/lombardia/index.html");
    for p in ["PUOI", "FARO", "PARTI", "PRIMA il Lavoro"] {
        assert_eq!(lombardia.contains(p), p != "PRIMA il Lavoro", "{p}");
    }
    assert!(
        lombardia.contains("Il progetto PUOI nella Regione Lombardia"),
        "the 13 July 2021 focus group"
    );
    assert!(lombardia.contains("13 luglio 2021"));
    assert!(lombardia.contains("3 progetti attivi nella regione"));
    let molise = read(&out, "regioni/molise/index.html");
    assert!(
        molise.contains("region-contact") && molise.contains("mailto:"),
        "a hub with no content says how to get in touch"
    );
}

#[test]
fn the_regions_index_has_a_shaded_map_linking_every_hub_and_a_table() {
    let t = demo_copy();
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    let idx = read(&out, "regioni/index.html");
    assert_eq!(idx.matches(r#"<a class="map-tile""#).count(), 20);
    for r in ["lombardia", "sicilia", "sardegna", "valle-d-aosta"] {
        assert!(
            idx.contains(&format!(r#"<a class="map-tile" href="{r}/index.html""#)),
            "{r}"
        );
    }
    // Shaded by the number of active projects: Lombardia (3) darkest, Molise (1) lightest.
    let tile = |name: &str| {
        let at = idx.find(&format!(r#"aria-label="{name}: "#)).unwrap();
        let fill = idx[at..].find("fill=\"").unwrap() + at + 6;
        idx[fill..fill + 7].to_string()
    };
    assert_eq!(tile("Lombardia"), "#08306b");
    assert_eq!(tile("Molise"), "#eff3ff");
    assert!(idx.contains(r#"aria-label="Lombardia: 3""#));
    // The same figures as a table for screen readers.
    assert!(idx.contains(
        r#"<th scope="row"><a href="lombardia/index.html">Lombardia</a></th><td>3</td>"#
    ));
    // Right-to-left pages keep Italy's shape: the same tile positions.
    let ar = read(&out, "ar/regions/index.html");
    let pos = |html: &str, href: &str| {
        let at = html.find(&format!(r#"href="{href}/index.html""#)).unwrap();
        let x = html[at..].find("x=\"").unwrap() + at + 3;
        html[x..x + 4].to_string()
    };
    assert_eq!(pos(&idx, "sardegna"), pos(&ar, "sardinia"));
    assert_eq!(pos(&idx, "puglia"), pos(&ar, "apulia"));
}

#[test]
fn project_chart_values_equal_the_data_in_every_language() {
    let t = demo_copy();
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    let it = read(&out, "progetti/puoi/index.html");
    assert!(it.contains("Percorsi avviati: 4.776; Tirocini conclusi: 2.046; Persone con almeno un contratto di lavoro: 1.363"));
    assert!(it.contains(r#"role="img" aria-labelledby="project-chart-title project-chart-desc""#));
    // Bars proportional to the values: 4,776 → full width 331, 2,046 → 141.80.
    assert!(
        it.contains(r#"width="331.00""#)
            && it.contains(r#"width="141.80""#)
            && it.contains(r#"width="94.46""#)
    );
    assert!(
        it.contains("<td>4.776 percorsi</td>"),
        "the same numbers in a table"
    );
    assert!(read(&out, "en/projects/puoi/index.html").contains("Paths started: 4,776"));
    assert!(read(&out, "fr/projets/puoi/index.html").contains("4\u{202f}776"));
    assert!(read(&out, "ar/projects/puoi/index.html").contains("4,776"));
}

#[test]
fn per_region_figures_without_a_source_are_marked_illustrative() {
    let t = demo_copy();
    edit(
        t.path(),
        "data/indicators/puoi.yaml",
        "    total: 4776\n",
        "    total: 4776\n    regions: {lombardia: 900, puglia: 450, lazio: 300}\n    regions_illustrative: true\n",
    );
    edit(
        t.path(),
        "site.yaml",
        "map: {figure: projects}",
        "map: {figure: puoi/paths-started}",
    );
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    let idx = read(&out, "regioni/index.html");
    assert!(idx.contains("Questi valori per regione sono illustrativi"));
    assert!(
        idx.contains(r#"aria-label="Lombardia: 900""#)
            && idx.contains(r#"aria-label="Molise: nessun dato""#)
    );
    let hub = read(&out, "regioni/lombardia/index.html");
    assert!(
        hub.contains("region-figures")
            && hub.contains("<td>900 percorsi (valori illustrativi, non ufficiali)</td>")
    );
    assert!(hub.contains(r#"class="bar-chart""#));

    let t = demo_copy();
    edit(
        t.path(),
        "site.yaml",
        "map: {figure: projects}",
        "map: {figure: puoi/paths-strated}",
    );
    let e = one_error(&build(t.path()));
    assert!(
        e.contains("unknown map figure `puoi/paths-strated`")
            && e.contains("did you mean `puoi/paths-started`?"),
        "{e}"
    );
}

/// A hub shows the figures an indicator file gives for its region; a project whose file
/// gives national totals only is named, in every language, with its totals marked as
/// national, never as the region's.
#[test]
fn a_hub_shows_its_regional_figures_and_says_when_a_project_has_national_totals_only() {
    let t = demo_copy();
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    for (page, notice, total) in [
        (
            "regioni/lombardia/index.html",
            "PUOI comunica solo totali nazionali: non ci sono dati per Lombardia.",
            "Percorsi avviati: 4.776 percorsi (totale nazionale)",
        ),
        (
            "en/regions/lombardy/index.html",
            "PUOI reports national totals only: there are no figures for Lombardy.",
            "Paths started: 4,776 paths (national total)",
        ),
        (
            "fr/regions/lombardie/index.html",
            "PUOI ne communique que des totaux nationaux\u{a0}: aucun chiffre",
            "Parcours engagés\u{a0}: 4\u{202f}776 parcours (total national)",
        ),
        (
            "ar/regions/lombardy/index.html",
            "لا يقدّم مشروع PUOI إلا أرقامًا إجمالية على المستوى الوطني، ولا تتوفر أرقام خاصة بإقليم لومبارديا.",
            "المسارات التي انطلقت: 4,776 مسارًا (المجموع الوطني)",
        ),
    ] {
        let html = read(&out, page);
        assert!(html.contains(notice), "{page}: {notice}");
        assert!(html.contains(total), "{page}: {total}");
        assert!(!html.contains("bar-chart"), "{page}: no regional chart");
    }

    // A published regional value: the hub shows it as the region's, and no longer says
    // national totals only.
    let t = demo_copy();
    edit(
        t.path(),
        "data/indicators/puoi.yaml",
        "    total: 4776\n",
        "    total: 4776\n    regions: {lombardia: 900}\n",
    );
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    let hub = read(&out, "regioni/lombardia/index.html");
    assert!(hub.contains("<td>900 percorsi</td>"), "the regional value");
    assert!(hub.contains(r#"class="bar-chart""#));
    assert!(!hub.contains("solo totali nazionali"));
    let en = read(&out, "en/regions/lombardy/index.html");
    assert!(en.contains("<td>900 paths</td>") && !en.contains("national totals only"));
}
