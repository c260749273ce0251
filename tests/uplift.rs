//! Test tables: the readout against statsmodels and scipy (figures from
//! `bench/uplift_reference/readout_cli_reference.py` on `sample --test --rows 6000 --seed 5`), the
//! sample-ratio warning, the sample size, the control group drawn for a list, the uplift learners on a
//! generated test with a known effect per row, and the messages for tables that are not a test.

mod common;

use campaign_lens::analysis::uplift::qini::qini_auc_score;
use campaign_lens::synth::uplift::{uplift_csv, Truth};

fn cli(args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("campaign-lens")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

fn write(
    dir: &tempfile::TempDir,
    name: &str,
    rows: usize,
    seed: u64,
    arms: usize,
    control: f64,
) -> (String, Vec<Truth>) {
    let (text, truth) = uplift_csv(rows, seed, arms, control);
    let p = common::write_file(dir, name, &text);
    (p.display().to_string(), truth)
}

fn close(got: &serde_json::Value, want: f64, tol: f64, what: &str) {
    let g = got.as_f64().unwrap_or_else(|| panic!("{what}: {got}"));
    assert!(
        (g - want).abs() <= tol * want.abs().max(1e-3),
        "{what}: {g} vs {want}"
    );
}

#[test]
fn the_readout_matches_statsmodels_and_scipy() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = write(&dir, "t.csv", 6000, 5, 3, 1.0 / 3.0);
    let r = common::cli_json(&["readout", &file, "--json"]);
    assert_eq!(r["treatment"], "segment");
    assert_eq!(r["control"], "No E-Mail");
    assert_eq!(r["rows"], 6000);
    let arm = |name: &str| {
        r["arms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(arm("No E-Mail")["rows"], 1995);
    assert!(arm("No E-Mail")["outcomes"]["conversion"]["lift"].is_null());
    // statsmodels proportions_ztest + confint_proportions_2indep(method="wald"); scipy
    // ttest_ind(equal_var=False).confidence_interval(0.95)
    let facts = [
        (
            "Mens E-Mail",
            "conversion",
            0.01497446386747725,
            0.21879486680991667,
            -0.00888932358946962,
            0.03883825132442412,
        ),
        (
            "Mens E-Mail",
            "visit",
            0.02390485028692635,
            0.08443681218768774,
            -0.0032400986738919148,
            0.05104979924774461,
        ),
        (
            "Mens E-Mail",
            "spend",
            0.8155539983459903,
            0.20581723517893444,
            -0.44807618735825927,
            2.0791841840502396,
        ),
        (
            "Womens E-Mail",
            "conversion",
            0.006776843097843599,
            0.5727651778402719,
            -0.016770977078125526,
            0.030324663273812724,
        ),
        (
            "Womens E-Mail",
            "spend",
            0.5516402392118902,
            0.3822864055390307,
            -0.686099648414684,
            1.7893801268384644,
        ),
    ];
    for (a, o, lift, p, lo, hi) in facts {
        let f = &arm(a)["outcomes"][o];
        close(&f["lift"], lift, 1e-12, &format!("{a} {o} lift"));
        close(&f["p_value"], p, 1e-9, &format!("{a} {o} p"));
        close(&f["lift_ci"][0], lo, 1e-9, &format!("{a} {o} ci low"));
        close(&f["lift_ci"][1], hi, 1e-9, &format!("{a} {o} ci high"));
        let rows = arm(a)["rows"].as_f64().unwrap();
        close(
            &f["incremental_total"],
            lift * rows,
            1e-12,
            "incremental total",
        );
    }
    // scipy.stats.chisquare on the arm counts: 0.325, p 0.8500160902253981
    close(&r["srm"]["p_value"], 0.8500160902253981, 1e-9, "srm p");
    assert_eq!(r["srm"]["mismatch"], false);
    // the treatment and outcomes are not balance columns; the features are
    let cols: Vec<&str> = r["balance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["column"].as_str().unwrap())
        .collect();
    assert!(cols.contains(&"recency") && cols.contains(&"history"));
    assert!(!cols
        .iter()
        .any(|c| ["segment", "visit", "conversion", "spend", "customer_id"].contains(c)));
}

#[test]
fn a_lopsided_split_is_a_sample_ratio_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    // 30 % control where the plan says half
    let (file, _) = write(&dir, "t.csv", 4000, 2, 2, 0.3);
    let out = cli(&["readout", &file, "--json"]);
    assert!(out.status.success());
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["srm"]["mismatch"], true);
    assert!(r["srm"]["p_value"].as_f64().unwrap() < 0.001);
    assert!(String::from_utf8_lossy(&out.stderr).contains("SAMPLE-RATIO MISMATCH"));
    // told the plan, the same split is fine
    let r = common::cli_json(&["readout", &file, "--split", "0.3,0.7", "--json"]);
    assert_eq!(r["srm"]["mismatch"], false);
}

#[test]
fn money_and_cuped_follow_from_the_lift() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = write(&dir, "t.csv", 6000, 5, 3, 1.0 / 3.0);
    let r = common::cli_json(&[
        "readout",
        &file,
        "--outcome",
        "conversion",
        "--value-per-response",
        "40",
        "--cost-per-contact",
        "0.25",
        "--covariates",
        "history",
        "--json",
    ]);
    let mens = &r["arms"][1];
    let lift = mens["outcomes"]["conversion"]["lift"].as_f64().unwrap();
    let rows = mens["rows"].as_f64().unwrap();
    close(
        &mens["money"]["incremental_profit"],
        lift * rows * 40.0 - rows * 0.25,
        1e-12,
        "profit",
    );
    close(
        &mens["money"]["roi"],
        (lift * rows * 40.0 - rows * 0.25) / (rows * 0.25),
        1e-12,
        "roi",
    );
    let c = &r["cuped"][0];
    assert_eq!(c["arm"], "Mens E-Mail");
    // history tells sure things (big spenders) apart, so it explains some of the outcome's variance
    let ratio = c["ci_width_ratio"].as_f64().unwrap();
    assert!(ratio > 0.5 && ratio < 1.0, "{ratio}");
    let vr = c["variance_reduction"].as_f64().unwrap();
    close(
        &c["ci_width_ratio"],
        (1.0 - vr).sqrt(),
        0.05,
        "width follows the variance",
    );
}

#[test]
fn the_sample_size_follows_the_two_proportion_formula() {
    // (z.975 √(2 p̄ q̄) + z.8 √(p1 q1 + p2 q2))² / δ² = 14,750.79 (scipy.stats.norm.ppf); statsmodels'
    // arcsine route (NormalIndPower, proportion_effectsize) gives 14,744.1: 0.04 % fewer
    let r = common::cli_json(&["plan-test", "--baseline", "0.10", "--mde", "0.01", "--json"]);
    assert_eq!(r["rows_per_arm"], 14751);
    let bad = cli(&["plan-test", "--baseline", "1.2", "--mde", "0.01"]);
    assert_eq!(bad.status.code(), Some(2));
    let none = cli(&["plan-test"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("--baseline and --mde"));
}

#[test]
fn a_control_group_is_drawn_within_each_persona() {
    let dir = tempfile::tempdir().unwrap();
    let scored = dir.path().join("scored.csv");
    let out = cli(&[
        "segment",
        &common::sample("customers.csv").display().to_string(),
        "--json",
    ]);
    assert!(out.status.success());
    // a list with personas: the bundled sample scored by the report's scored_customers-like columns
    let mut text = String::from("id,persona\n");
    for i in 0..1000 {
        text.push_str(&format!("{i:04},{}\n", ["A", "B", "C"][i % 3]));
    }
    let list = common::write_file(&dir, "list.csv", &text);
    let r = common::cli_json(&[
        "plan-test",
        &list.display().to_string(),
        "--control-share",
        "0.2",
        "--seed",
        "3",
        "--out",
        &scored.display().to_string(),
        "--json",
    ]);
    assert_eq!(r["stratified_by"], "persona");
    let written = std::fs::read_to_string(&scored).unwrap();
    let rows: Vec<Vec<&str>> = written
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 1000);
    for p in ["A", "B", "C"] {
        let of: Vec<_> = rows.iter().filter(|r| r[1] == p).collect();
        let control = of.iter().filter(|r| r[2] == "control").count();
        assert_eq!(
            control,
            (of.len() as f64 * 0.2).round() as usize,
            "persona {p}"
        );
    }
    assert_eq!(written.lines().next(), Some("id,persona,group"));
    // 334, 333 and 333 rows: 67 + 67 + 67
    assert_eq!(r["control_rows"], 201);
    // the input is untouched and another seed draws another group
    assert_eq!(std::fs::read_to_string(&list).unwrap(), text);
}

#[test]
fn the_learners_find_who_responds_because_of_the_email() {
    let dir = tempfile::tempdir().unwrap();
    let (file, truth) = write(&dir, "t.csv", 20_000, 11, 2, 0.5);
    let out_csv = dir.path().join("scored.csv");
    for (method, model) in [
        ("two-model", "boosting"),
        ("class-transformation", "logistic"),
    ] {
        let r = common::cli_json(&[
            "uplift",
            &file,
            "--outcome",
            "conversion",
            "--method",
            method,
            "--model",
            model,
            "--out",
            &out_csv.display().to_string(),
            "--json",
        ]);
        let qini = r["qini"].as_f64().unwrap();
        assert!(
            qini > 0.1,
            "{method}: Qini {qini} is not well above random (0)"
        );
        assert!(
            r["uplift_at_30"].as_f64().unwrap()
                > r["random"]["uplift_at_30"].as_f64().unwrap() + 0.05
        );
        assert_eq!(r["test_rows"], 6000);
        // every row back in the input's order with its uplift, part and group
        let text = std::fs::read_to_string(&out_csv).unwrap();
        let head: Vec<&str> = text.lines().next().unwrap().split(',').collect();
        assert_eq!(&head[head.len() - 3..], ["uplift", "part", "group"]);
        let rows: Vec<Vec<String>> = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').map(String::from).collect())
            .collect();
        assert_eq!(rows.len(), 20_000);
        assert_eq!(rows[0][0], "100000");
        let k = head.len();
        let uplift: Vec<f64> = rows.iter().map(|r| r[k - 3].parse().unwrap()).collect();
        // the held-out rows' Qini recomputed from the file equals the JSON's
        let test: Vec<usize> = (0..rows.len())
            .filter(|&i| rows[i][k - 2] == "test")
            .collect();
        let conv = head.iter().position(|h| *h == "conversion").unwrap();
        let y: Vec<f64> = test
            .iter()
            .map(|&i| rows[i][conv].parse().unwrap())
            .collect();
        let s: Vec<f64> = test.iter().map(|&i| uplift[i]).collect();
        let t: Vec<bool> = test.iter().map(|&i| rows[i][8] != "No E-Mail").collect();
        close(
            &r["qini"],
            qini_auc_score(&y, &s, &t).unwrap(),
            1e-12,
            "qini from the file",
        );
        // the top decile's true uplift is close to the persuadables' (+18 points), the bottom's negative
        let mut order: Vec<usize> = (0..truth.len()).collect();
        order.sort_by(|&a, &b| uplift[b].total_cmp(&uplift[a]));
        let mean = |v: &[usize]| v.iter().map(|&i| truth[i].uplift()).sum::<f64>() / v.len() as f64;
        let top = mean(&order[..2000]);
        let bottom = mean(&order[18_000..]);
        assert!(top > 0.12, "{method}: top decile's true uplift {top}");
        assert!(
            bottom < -0.1,
            "{method}: bottom decile's true uplift {bottom}"
        );
        // persuadables are mostly persuadables by construction
        let hit = (0..truth.len())
            .filter(|&i| rows[i][k - 1] == "persuadables")
            .filter(|&i| truth[i].group == 0)
            .count() as f64
            / (0..truth.len())
                .filter(|&i| rows[i][k - 1] == "persuadables")
                .count()
                .max(1) as f64;
        assert!(
            hit > 0.6,
            "{method}: {hit} of the persuadables are persuadables"
        );
    }
}

#[test]
fn tables_that_are_not_a_test_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, String, Vec<&str>, &str)> = vec![
        (
            "one_arm.csv",
            "treatment,conversion\ncontrol,1\ncontrol,0\ncontrol,1\n".into(),
            vec![],
            "only one arm",
        ),
        (
            "no_control.csv",
            "treatment,conversion\nemail,1\nsms,0\nemail,1\nsms,1\n".into(),
            vec![],
            "no control arm",
        ),
        (
            "constant.csv",
            "treatment,conversion\ncontrol,0\ncontrol,0\ntreatment,0\ntreatment,0\n".into(),
            vec![],
            "constant",
        ),
        (
            "fifty.csv",
            (0..200).fold("treatment,conversion\n".to_string(), |mut t, i| {
                t.push_str(&format!("arm{},{}\n", i % 50, i % 2));
                t
            }),
            vec![],
            "2 to 10 arms",
        ),
        (
            "no_outcome.csv",
            "treatment,age\ncontrol,30\ntreatment,40\ncontrol,35\ntreatment,41\n".into(),
            vec![],
            "no outcome",
        ),
        (
            "x.csv",
            "treatment,conversion\ncontrol,1\ntreatment,0\ncontrol,0\ntreatment,1\n".into(),
            vec!["--control", "holdout"],
            "not a value",
        ),
    ];
    for (name, text, extra, want) in cases {
        let p = common::write_file(&dir, name, &text).display().to_string();
        let mut args = vec!["readout", p.as_str()];
        args.extend(extra);
        let out = cli(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(want) && err.contains(name), "{name}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{name}: {err}");
    }
    // an uplift model of an amount, or with too few responders
    let (file, _) = write(&dir, "t.csv", 2000, 1, 2, 0.5);
    let out = cli(&["uplift", &file, "--outcome", "spend"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("an amount, not a response"));
    let out = cli(&[
        "uplift",
        &file,
        "--outcome",
        "conversion",
        "--arm",
        "No E-Mail",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("is the control arm"));
}
