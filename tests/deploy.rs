//! Saved models: every kind scores the training file exactly as at fit time, a new file with reordered
//! and extra columns, an unseen category and blanks scores as documented, and every error a user can
//! hit is one clear line with exit code 2.

mod common;

use campaign_lens::analysis::models::predict::{ModelChoice, ModelKind};
use campaign_lens::deploy::model_file::ModelFile;
use campaign_lens::deploy::saved::SavedModel;
use campaign_lens::deploy::score::Values;
use campaign_lens::pipeline::apply_segments;
use common::deploy::{fit, max_diff, open, raw, round_trip, score, segments};
use common::{cli_fails, sample, shared};

fn floats(v: &Values) -> &[f64] {
    match v {
        Values::Float(x) => x,
        other => panic!("not scores: {other:?}"),
    }
}

#[test]
fn every_model_kind_scores_the_training_file_as_at_fit_time() {
    let path = sample("customers.csv");
    let ws = open(&path);
    let df = raw(&path);
    let dir = tempfile::tempdir().unwrap();
    // the whole lineup with CV, so that calibrators (Platt or isotonic) are fitted and saved too
    let mut run = fit(&ws, ModelChoice::All, Some(3));
    let mut methods = Vec::new();
    for (i, kind) in ModelKind::ALL.iter().enumerate() {
        run.rescore(&ws, Some(i)).unwrap();
        assert_eq!(run.report.models[i].kind, *kind);
        let name = format!("{}.json", kind.word());
        let (p, file) = round_trip(&ws, Some(&run), None, dir.path(), &name);
        let r = file.response.as_ref().unwrap();
        methods.push(r.calibration.name());
        assert_eq!(r.score_column, "score_Response");
        assert_eq!(file.id_column.as_deref(), Some("ID"));
        let scored = score(&[(p, file.clone())], &df);
        assert_eq!(scored.id_column, "ID");
        assert_eq!(scored.columns[0].0, "score_Response");
        let d = max_diff(floats(&scored.columns[0].1), &run.scores);
        assert!(d <= 1e-9, "{kind:?}: scores differ by {d}");
    }
    // at least one model was calibrated, so a calibrator went through the file
    assert!(methods.iter().any(|m| *m != "none"), "{methods:?}");
}

#[test]
fn saved_segments_give_every_customer_the_same_cluster_persona_and_offer() {
    let path = sample("customers.csv");
    let mut ws = open(&path);
    let run = segments(&ws, 4);
    let dir = tempfile::tempdir().unwrap();
    let (p, file) = round_trip(&ws, None, Some(&run), dir.path(), "seg.json");
    let seg = file.segments.as_ref().unwrap();
    assert_eq!(seg.centroids.len(), 4);
    assert!(seg.scale.is_some(), "z-scored by default");
    let scored = score(&[(p, file.clone())], &raw(&path));
    apply_segments(&mut ws, &run).unwrap();
    let names: Vec<&str> = scored.columns.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(names, ["cluster", "persona", "next_best_category"]);
    let at_fit = |c: &str| campaign_lens::data::profile::string_values(ws.df.column(c).unwrap());
    let as_text = |v: &Values| -> Vec<Option<String>> {
        match v {
            Values::Int(x) => x.iter().map(|c| c.map(|c| c.to_string())).collect(),
            Values::Text(x) => x.clone(),
            Values::Float(_) => panic!("not labels"),
        }
    };
    for (name, values) in &scored.columns {
        assert_eq!(as_text(values), at_fit(name), "{name}");
    }
    // the sample has 60 customers without an income: unassigned at fit time and now
    assert_eq!(scored.unassigned, 60);
}

/// The sample with its columns reversed, an extra column, an education never seen at fit time in rows
/// 1–3 and blank incomes in rows 4–5.
fn next_month(text: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if (1..=3).contains(&i) {
            cells[2] = "Doctorate".into();
        }
        if (4..=5).contains(&i) {
            cells[4] = String::new();
        }
        cells.reverse();
        cells.push(if i == 0 {
            "Notes".into()
        } else {
            "called".into()
        });
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

#[test]
fn a_new_file_with_reordered_and_extra_columns_unseen_levels_and_blanks_scores_as_documented() {
    let path = sample("customers.csv");
    let ws = open(&path);
    let run = fit(&ws, ModelChoice::Logistic, None);
    let dir = tempfile::tempdir().unwrap();
    let (p, file) = round_trip(&ws, Some(&run), None, dir.path(), "m.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let new = common::write_file(&dir, "next.csv", &next_month(&text));
    let scored = score(&[(p.clone(), file.clone())], &raw(&new));
    let s = floats(&scored.columns[0].1);
    // untouched rows score as at fit time: the columns' order and the extra column do not matter
    for (i, (a, b)) in s.iter().zip(&run.scores).enumerate().skip(5) {
        assert!((a - b).abs() <= 1e-12, "row {i}");
    }
    // the unseen level is counted and named
    assert_eq!(scored.unseen.len(), 1);
    assert_eq!(scored.unseen[0].column, "Education");
    assert_eq!(scored.unseen[0].rows, 3);
    assert_eq!(scored.unseen[0].examples, ["Doctorate"]);
    // a level the model never saw turns the row's own level off: the logit drops by that level's
    // weight, coef / sd, read from the model file (an independent reading of the saved parameters)
    let r = file.response.as_ref().unwrap();
    let SavedModel::Logistic { coef, sd, mean, .. } = &r.model else {
        panic!("logistic")
    };
    let logit = |p: f64| (p / (1.0 - p)).ln();
    let rows: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    for i in 1..=3 {
        let level = format!("Education={}", rows[i][2]);
        let j = r.design_columns.iter().position(|c| *c == level).unwrap();
        let expected = logit(run.scores[i - 1]) - coef[j] / sd[j] * (1.0 - mean[j])
            + coef[j] / sd[j] * (0.0 - mean[j]);
        assert!((logit(s[i - 1]) - expected).abs() < 1e-9, "row {i}");
    }
    // a blank income is filled with the training median: the same score as writing the median in
    let median = r
        .features
        .numeric
        .iter()
        .find(|n| n.column == "Income")
        .unwrap()
        .fill;
    let filled: String = next_month(&text)
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let mut cells: Vec<String> = l.split(',').map(str::to_string).collect();
            let n = cells.len();
            // Income (column 4 of n - 1) after reversing, before the extra column appended last
            if (4..=5).contains(&i) {
                cells[(n - 2) - 4] = format!("{median}");
            }
            cells.join(",") + "\n"
        })
        .collect();
    let median_file = common::write_file(&dir, "median.csv", &filled);
    let with_median = score(&[(p, file)], &raw(&median_file));
    let m = floats(&with_median.columns[0].1);
    assert_eq!(&s[3..5], &m[3..5]);
    assert!(scored
        .filled
        .iter()
        .any(|(c, n)| c == "Income" && *n == 60 + 2));
}

#[test]
fn the_cli_saves_scores_and_reports_what_it_filled() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample("customers.csv");
    let model = dir.path().join("m.json");
    let fitted = dir.path().join("fit.csv");
    let out = dir.path().join("out.csv");
    common::cli_json(&[
        "predict",
        sample.to_str().unwrap(),
        "--model",
        "boosting",
        "--cv",
        "3",
        "--save-model",
        model.to_str().unwrap(),
        "--scores-out",
        fitted.to_str().unwrap(),
        "--json",
    ]);
    let summary = common::cli_json(&[
        "score",
        model.to_str().unwrap(),
        sample.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(summary["rows"], 5000);
    assert_eq!(summary["columns"][0], "ID");
    assert_eq!(summary["columns"][1], "score_Response");
    assert_eq!(summary["filled"][0]["column"], "Income");
    assert_eq!(summary["filled"][0]["rows"], 60);
    // the scores equal predict's --scores-out (written to 6 decimals) row by row
    let read = |p: &std::path::Path| -> Vec<(String, f64)> {
        std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| {
                let (id, s) = l.split_once(',').unwrap();
                (id.to_string(), s.parse().unwrap())
            })
            .collect()
    };
    let (a, b) = (read(&out), read(&fitted));
    assert_eq!(a.len(), b.len());
    for ((ia, sa), (ib, sb)) in a.iter().zip(&b) {
        assert_eq!(ia, ib);
        assert!((sa - sb).abs() <= 5e-7, "{ia}: {sa} vs {sb}");
    }
}

#[test]
fn bad_model_files_and_missing_columns_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample("customers.csv");
    let s = sample.to_str().unwrap();
    let model = dir.path().join("m.json");
    let m = model.to_str().unwrap();
    let out = dir.path().join("out.csv");
    let o = out.to_str().unwrap();
    common::cli_json(&[
        "predict",
        s,
        "--model",
        "logistic",
        "--cv",
        "0",
        "--save-model",
        m,
        "--json",
    ]);
    let good = std::fs::read_to_string(&model).unwrap();
    // a feature column missing from the new file
    let text = std::fs::read_to_string(&sample).unwrap();
    let without = |col: usize| -> String {
        text.lines()
            .map(|l| {
                let mut c: Vec<&str> = l.split(',').collect();
                c.remove(col);
                c.join(",") + "\n"
            })
            .collect()
    };
    let no_income = common::write_file(&dir, "no_income.csv", &without(4));
    cli_fails(
        &["score", m, no_income.to_str().unwrap(), "--out", o],
        "no_income.csv: no column named \"Income\"",
    );
    // a column a derived feature is computed from (Age = 2014 - Year_Birth)
    let no_birth = common::write_file(&dir, "no_birth.csv", &without(1));
    cli_fails(
        &["score", m, no_birth.to_str().unwrap(), "--out", o],
        "no column named \"Year_Birth\", which the model needs (Age = 2014 - Year_Birth",
    );
    // the ID column
    let no_id = common::write_file(&dir, "no_id.csv", &without(0));
    cli_fails(
        &["score", m, no_id.to_str().unwrap(), "--out", o],
        "no column named \"ID\", which the model needs (the ID column",
    );
    // corrupt, foreign, truncated and future files
    let bad = |name: &str, body: &str, needle: &str| {
        let p = common::write_file(&dir, name, body);
        cli_fails(&["score", p.to_str().unwrap(), s, "--out", o], needle);
        cli_fails(
            &[
                "sql",
                p.to_str().unwrap(),
                "--dialect",
                "postgres",
                "--table",
                "t",
            ],
            needle,
        );
    };
    bad(
        "junk.json",
        "not json at all",
        "junk.json: not a campaign-lens model file (invalid JSON",
    );
    bad(
        "foreign.json",
        "{\"a\": 1}",
        "foreign.json: not a campaign-lens model file (no \"format\"",
    );
    bad(
        "cut.json",
        &good[..good.len() / 2],
        "cut.json: not a campaign-lens model file (invalid JSON",
    );
    let future = good.replacen("\"version\": 1", "\"version\": 99", 1);
    bad(
        "future.json",
        &future,
        "future.json: model file version 99 is newer than this campaign-lens reads (up to 1)",
    );
    let mut v: serde_json::Value = serde_json::from_str(&good).unwrap();
    v["response"]["model"]["coef"] = serde_json::json!([1.0]);
    bad(
        "short.json",
        &v.to_string(),
        "short.json: not a campaign-lens model file (coef has 1 values",
    );
    cli_fails(
        &["score", "nowhere.json", s, "--out", o],
        "nowhere.json: file not found",
    );
    // the output may not overwrite the input, which is left as it was
    let before = std::fs::read(&sample).unwrap();
    cli_fails(
        &["score", m, s, "--out", s],
        "--out is the file being scored",
    );
    assert_eq!(std::fs::read(&sample).unwrap(), before);
    assert!(!out.exists(), "nothing written after an error");
    cli_fails(
        &["sql", m, "--dialect", "oracle", "--table", "t"],
        "--dialect must be one of postgres, duckdb, sqlite",
    );
}

#[test]
fn an_svm_is_saved_and_scored_but_not_written_as_sql() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample("customers.csv");
    let model = dir.path().join("svm.json");
    common::cli_json(&[
        "predict",
        sample.to_str().unwrap(),
        "--model",
        "svm",
        "--cv",
        "0",
        "--save-model",
        model.to_str().unwrap(),
        "--json",
    ]);
    let file = ModelFile::load(&model).unwrap();
    assert!(matches!(
        file.response.unwrap().model,
        SavedModel::Svm { .. }
    ));
    cli_fails(
        &[
            "sql",
            model.to_str().unwrap(),
            "--dialect",
            "sqlite",
            "--table",
            "t",
        ],
        "an SVM",
    );
}

#[test]
fn real_files_round_trip() {
    let (Some(bank), Some(telco)) = (
        shared("bank-full.csv"),
        shared("WA_Fn-UseC_-Telco-Customer-Churn.csv"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (path, kind, cv) in [
        (&bank, ModelChoice::Boosting, None),
        (&telco, ModelChoice::Logistic, Some(3)),
        (&telco, ModelChoice::Tree, Some(3)),
    ] {
        let ws = open(path);
        let run = fit(&ws, kind, cv);
        let (p, file) = round_trip(&ws, Some(&run), None, dir.path(), "real.json");
        let scored = score(&[(p, file.clone())], &raw(path));
        let d = max_diff(floats(&scored.columns[0].1), &run.scores);
        assert!(d <= 1e-9, "{}: {kind:?} differs by {d}", ws.file_name());
        // bank-full has no ID column: rows are numbered; Telco's is customerID
        let expected_id = if path == &bank { "row" } else { "customerID" };
        assert_eq!(scored.id_column, expected_id);
        assert_eq!(file.training_data.rows, ws.rows());
    }
}
