//! Charts and the stakeholder report: real files, checked as a reader and as bytes.

mod common;

use campaign_lens::analysis::segments::segment::{sweep, SweepParams};
use campaign_lens::export::charts::{draw_elbow, register_fonts};
use common::svg::text_fits;
use common::{cli_fails, cli_json, sample};
use ndarray::Array2;
use plotters::prelude::*;

#[test]
fn a_chart_drawn_in_memory_is_not_blank() {
    register_fonts();
    let x = Array2::from_shape_fn((60, 2), |(i, j)| {
        ((i % 3) * 10 + j) as f64 + (i as f64 * 0.37).sin()
    });
    let sw = sweep(
        &x,
        &SweepParams {
            k_min: 2,
            k_max: 5,
            ..Default::default()
        },
        &|_| {},
        &Default::default(),
    )
    .unwrap();
    let (w, h) = (400u32, 300u32);
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        draw_elbow(&root, &sw, 3).unwrap();
    }
    let pixels: Vec<[u8; 3]> = buf.chunks(3).map(|c| [c[0], c[1], c[2]]).collect();
    let white = pixels.iter().filter(|p| **p == [255, 255, 255]).count();
    // the palette's blue (0, 114, 178) for the curve and vermillion (213, 94, 0) for the chosen k
    let near = |p: &[u8; 3], (r, g, b): (u8, u8, u8)| {
        p[0].abs_diff(r) < 12 && p[1].abs_diff(g) < 12 && p[2].abs_diff(b) < 12
    };
    let blueish = pixels
        .iter()
        .filter(|p| near(p, campaign_lens::palette::MAIN.rgb))
        .count();
    let reddish = pixels
        .iter()
        .filter(|p| near(p, campaign_lens::palette::MARK.rgb))
        .count();
    assert!(white < pixels.len(), "something is drawn");
    assert!(
        blueish > 200,
        "the inertia line is there ({blueish} blue pixels)"
    );
    assert!(
        reddish > 50,
        "the chosen-k marker is there ({reddish} red pixels)"
    );
    let dark = pixels.iter().filter(|p| p.iter().all(|&c| c < 60)).count();
    assert!(
        dark > 300,
        "text and axes are drawn with the bundled font ({dark} dark pixels)"
    );
}

#[test]
fn the_report_on_the_sample_has_every_section_and_agrees_with_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let f = sample("customers.csv");
    let f = f.to_str().unwrap();
    let o = out.to_str().unwrap();
    let status = assert_cmd::Command::cargo_bin("campaign-lens")
        .unwrap()
        .args(["report", f, "--out", o])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(
        stderr.contains("report: finding segments"),
        "progress on stderr: {stderr}"
    );
    for name in ["elbow", "personas", "roc", "gains", "profit"] {
        let png = std::fs::read(out.join(format!("charts/{name}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}.png is a PNG");
        let svg = std::fs::read_to_string(out.join(format!("charts/{name}.svg"))).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.contains("<text"),
            "{name}.svg has text"
        );
    }
    for name in [
        "elbow",
        "personas",
        "roc",
        "gains",
        "profit",
        "calibration",
        "pca_map",
    ] {
        let Ok(svg) = std::fs::read_to_string(out.join(format!("charts/{name}.svg"))) else {
            continue;
        };
        text_fits(&svg, name);
    }
    let profit_svg = std::fs::read_to_string(out.join("charts/profit.svg")).unwrap();
    assert!(
        profit_svg.contains("share of customers contacted") && profit_svg.contains("<polyline"),
        "axis label and series"
    );
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    // every sentence starts with a capital ("… 10 groups. No clear elbow", not ". no clear elbow")
    let words: Vec<&str> = md.split_whitespace().collect();
    for w in words.windows(2) {
        if w[0].ends_with('.') && w[0].len() > 3 {
            assert!(
                !w[1].starts_with(|c: char| c.is_lowercase()),
                "{} {}",
                w[0],
                w[1]
            );
        }
    }
    for section in [
        "## The data",
        "customer segments",
        "## Persona: ",
        "## How well we can predict who responds",
        "## What the campaign is worth",
    ] {
        assert!(md.contains(section), "report.md has {section}");
    }
    assert!(
        html.contains("data:image/png;base64,iVBORw0KGgo"),
        "images are embedded"
    );
    assert!(!html.contains("src=\"charts/"), "index.html stands alone");
    // the numbers agree with the headless commands
    let seg = cli_json(&["segment", f, "--json"]);
    assert!(
        md.contains(&format!("## {} customer segments", seg["chosen_k"])),
        "{md}"
    );
    for p in seg["personas"].as_array().unwrap() {
        assert!(md.contains(&format!("## Persona: {}", p["name"].as_str().unwrap())));
    }
    // the report scores with the model `predict` selects (the best by CV AUC) and says why
    let pred = cli_json(&["predict", f, "--json"]);
    let chosen = pred["selected"]["index"].as_u64().unwrap() as usize;
    let auc = pred["models"][chosen]["roc_auc"].as_f64().unwrap();
    assert!(
        md.contains(&format!("it has not seen: ROC AUC {auc:.3} (")),
        "{auc}"
    );
    assert!(
        md.contains(pred["selected"]["words"].as_str().unwrap()),
        "{md}"
    );
    let roi = cli_json(&["roi", f, "--json"]);
    let n = roi["optimal"]["contacted"].as_f64().unwrap();
    assert!(
        md.contains(&format!(
            "contact the best {} customers",
            campaign_lens::fmt::thousands(n)
        )),
        "{n}"
    );
    let scored = std::fs::read_to_string(out.join("scored_customers.csv")).unwrap();
    assert_eq!(
        scored.lines().next(),
        Some("ID,cluster,persona,score,contact,next_best_category")
    );
    assert_eq!(scored.lines().count(), 5001);
    // model.json holds the report's segments and response model: `score` gives back its columns
    let rescored = out.join("rescored.csv");
    let model = out.join("model.json");
    cli_json(&[
        "score",
        model.to_str().unwrap(),
        f,
        "--out",
        rescored.to_str().unwrap(),
        "--json",
    ]);
    let rows = |text: &str| -> Vec<Vec<String>> {
        text.lines()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    };
    let (report_rows, score_rows) = (
        rows(&scored),
        rows(&std::fs::read_to_string(&rescored).unwrap()),
    );
    assert_eq!(
        score_rows[0],
        [
            "ID",
            "score_Response",
            "cluster",
            "persona",
            "next_best_category"
        ]
    );
    for (r, s) in report_rows.iter().zip(&score_rows).skip(1) {
        assert_eq!((&r[0], &r[1], &r[2], &r[5]), (&s[0], &s[2], &s[3], &s[4]));
        let (a, b): (f64, f64) = (r[3].parse().unwrap(), s[1].parse().unwrap());
        assert!((a - b).abs() < 1e-4, "{}: {a} vs {b}", r[0]);
    }
    let personas = std::fs::read_to_string(out.join("personas.csv")).unwrap();
    assert_eq!(
        personas.lines().count(),
        seg["personas"].as_array().unwrap().len() + 1
    );
    // an existing folder is reused only with --force; the input is never touched
    let before = std::fs::read(sample("customers.csv")).unwrap();
    cli_fails(
        &["report", f, "--out", o],
        "already exists; pass --force to reuse it",
    );
    let again = assert_cmd::Command::cargo_bin("campaign-lens")
        .unwrap()
        .args(["report", f, "--out", o, "--force"])
        .output()
        .unwrap();
    assert!(again.status.success());
    assert_eq!(std::fs::read(sample("customers.csv")).unwrap(), before);
}

/// The tests that set CAMPAIGN_LENS_EXPORT_DIR take turns (the variable is the process's).
static EXPORT_DIR: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn e_exports_every_tabs_charts_as_png_and_svg() {
    use campaign_lens::app::{update, Action, Tab};
    use campaign_lens::export::tab::export_tab;
    let _env = EXPORT_DIR.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var("CAMPAIGN_LENS_EXPORT_DIR", dir.path());
    let mut app = common::app_on_sample("customers.csv");
    let expected: [(Tab, &[&str]); 5] = [
        (Tab::Data, &["histogram_ID", "breakdown_ID"][..1]),
        (Tab::Segments, &["elbow", "pca_map"]),
        (Tab::Personas, &["personas"]),
        (Tab::Predict, &["roc", "gains", "calibration"]),
        (Tab::Roi, &["profit_curve"]),
    ];
    for (tab, names) in expected {
        let cmds = update(&mut app, Action::GoTab(tab));
        common::run_jobs(&mut app, cmds);
        let files = export_tab(&app).unwrap();
        for n in names {
            let png = dir.path().join("customers").join(format!("{n}.png"));
            assert!(files.contains(&png), "{tab:?}: {files:?}");
            assert_eq!(&std::fs::read(&png).unwrap()[..8], b"\x89PNG\r\n\x1a\n");
            let svg = dir.path().join("customers").join(format!("{n}.svg"));
            text_fits(&std::fs::read_to_string(&svg).unwrap(), n);
        }
        // the status line says where the files went
        let cmds = update(&mut app, Action::Exported(Ok(files)));
        assert!(cmds.is_empty());
        assert!(app
            .status
            .clone()
            .unwrap()
            .text
            .contains(&dir.path().join("customers").display().to_string()));
    }
}

#[test]
fn w_saves_the_segments_and_response_model_beside_the_exports() {
    use campaign_lens::app::{update, Action, Command, Tab};
    use campaign_lens::export::model::save_models;
    let _env = EXPORT_DIR.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var("CAMPAIGN_LENS_EXPORT_DIR", dir.path());
    let mut app = common::app_on_sample("customers.csv");
    // nothing fitted yet: a message, no file
    let err = save_models(&app).unwrap_err();
    assert!(err.contains("nothing to save yet"), "{err}");
    let cmds = update(&mut app, Action::SavedModel(Err(err)));
    assert!(cmds.is_empty());
    assert!(app
        .status
        .clone()
        .unwrap()
        .text
        .starts_with("save model: nothing to save yet"));
    for tab in [Tab::Segments, Tab::Predict] {
        let cmds = update(&mut app, Action::GoTab(tab));
        common::run_jobs(&mut app, cmds);
    }
    assert!(matches!(
        &update(&mut app, Action::SaveModel)[..],
        [Command::SaveModel]
    ));
    let (path, what) = save_models(&app).unwrap();
    assert_eq!(
        path,
        dir.path().join("customers").join("customers.model.json")
    );
    let file = campaign_lens::deploy::model_file::ModelFile::load(&path).unwrap();
    let k = app.segments.run.as_ref().unwrap().chosen_k;
    assert_eq!(file.segments.as_ref().unwrap().centroids.len(), k);
    let run = app.predict.run.as_ref().unwrap();
    let r = file.response.as_ref().unwrap();
    assert_eq!(r.score_column, "score_Response");
    assert_eq!(r.name, run.report.selected().unwrap().name);
    assert!(what.starts_with(&format!("{k} segments and ")), "{what}");
    update(&mut app, Action::SavedModel(Ok((path.clone(), what))));
    let status = app.status.clone().unwrap().text;
    assert!(status.contains(&path.display().to_string()), "{status}");
    assert!(
        status.starts_with(&format!("saved {k} segments and ")),
        "{status}"
    );
}

/// A customer table with `next_products` (as `customers --next-products` writes it): the report names each
/// persona's likely next buys, the same products an independent tally of its members' lists gives (first
/// place 3, second 2, third 1, ties by name), and `scored_customers.csv` carries every row's list.
#[test]
fn the_report_names_each_personas_likely_next_buys() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(sample("customers.csv")).unwrap();
    let products = ["Mug", "Tray", "Jug", "Lamp", "Vase"];
    let mut with = String::new();
    for (i, line) in text.lines().enumerate() {
        if i == 0 {
            with.push_str(&format!("{line},next_products\n"));
        } else {
            let list: Vec<&str> = (0..3).map(|r| products[(i * (r + 2) + r) % 5]).collect();
            with.push_str(&format!("{line},{}\n", list.join("; ")));
        }
    }
    let f = common::write_file(&dir, "customers_next.csv", &with);
    let out = dir.path().join("report");
    assert_cmd::Command::cargo_bin("campaign-lens")
        .unwrap()
        .args([
            "report",
            f.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    let scored = std::fs::read_to_string(out.join("scored_customers.csv")).unwrap();
    let head: Vec<&str> = scored.lines().next().unwrap().split(',').collect();
    assert_eq!(head.last(), Some(&"next_products"), "{head:?}");
    let pi = head.iter().position(|h| *h == "persona").unwrap();
    let mut tally: std::collections::BTreeMap<String, std::collections::BTreeMap<String, usize>> =
        Default::default();
    for line in scored.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if cells[pi].is_empty() || cells[pi] == "unassigned" {
            continue; // a row left out of the segments (a missing value)
        }
        let t = tally.entry(cells[pi].to_string()).or_default();
        for (rank, p) in cells.last().unwrap().split("; ").enumerate() {
            *t.entry(p.to_string()).or_default() += 3 - rank;
        }
    }
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    for (persona, t) in &tally {
        let mut v: Vec<(&String, &usize)> = t.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let want: Vec<&str> = v.iter().take(3).map(|(n, _)| n.as_str()).collect();
        let section = md
            .split(&format!("## Persona: {persona}\n"))
            .nth(1)
            .expect(persona);
        let line = section
            .lines()
            .find(|l| l.starts_with("Most likely next buys"))
            .expect("the line");
        assert!(
            line.ends_with(&format!(": {}.", want.join(", "))),
            "{persona}: {line} vs {want:?}"
        );
    }
}
