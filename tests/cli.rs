//! The binary as a user runs it: JSON output parsed and checked, bad input gives exit code 2 and one line.

mod common;

use assert_cmd::Command;
use common::{fixture, shared, write_file};
use serde_json::Value;

fn bin() -> Command {
    Command::cargo_bin("campaign-lens").unwrap()
}

fn json(args: &[&str]) -> Value {
    let out = bin().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn profile_json_has_exactly_the_documented_fields() {
    let f = fixture("blanks_numeric.csv");
    let v = json(&["profile", f.to_str().unwrap(), "--json"]);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(keys, ["columns", "path", "rows", "separator"]);
    assert_eq!(v["rows"], 5);
    assert_eq!(v["separator"], ",");
    let income = &v["columns"][1];
    let mut ckeys: Vec<&str> = income
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    ckeys.sort();
    assert_eq!(
        ckeys,
        ["derived", "distinct", "dtype", "flags", "max", "mean", "min", "name", "nulls"]
    );
    assert_eq!(income["name"], "income");
    assert_eq!(income["dtype"], "i64");
    assert_eq!(income["nulls"], 3);
    assert_eq!(income["mean"], 200.0);
    assert_eq!(
        v["columns"][2]["min"],
        Value::Null,
        "text columns have no min"
    );
}

#[test]
fn breakdown_json_rates_and_intervals() {
    let f = fixture("breakdown.csv");
    let v = json(&[
        "breakdown",
        f.to_str().unwrap(),
        "--by",
        "segment",
        "--target",
        "buys",
        "--json",
    ]);
    assert_eq!(v["positive"], "yes");
    // 3 of 8 rows buy
    assert_eq!(v["overall_rate"], 0.375);
    let groups = v["groups"].as_array().unwrap();
    let names: Vec<&str> = groups
        .iter()
        .map(|g| g["value"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["A", "B", "C"]);
    assert_eq!(groups[0]["count"], 3);
    assert!((groups[0]["rate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
    // statsmodels proportion_confint(1, 4, method="wilson") = (0.0455873, 0.6993582)
    assert!((groups[1]["ci_low"].as_f64().unwrap() - 0.045_587_3).abs() < 1e-6);
    assert!((groups[1]["ci_high"].as_f64().unwrap() - 0.699_358_2).abs() < 1e-6);
}

#[test]
fn breakdown_of_a_numeric_column_uses_quintile_bins_and_positive_override() {
    let f = fixture("breakdown.csv");
    let v = json(&[
        "breakdown",
        f.to_str().unwrap(),
        "--by",
        "spend",
        "--target",
        "buys",
        "--positive",
        "no",
        "--json",
    ]);
    assert_eq!(v["positive"], "no");
    assert_eq!(v["overall_rate"], 0.625);
    let total: u64 = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 8);
}

fn fails_with(args: &[&str], needle: &str) {
    let out = bin().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(needle), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
}

#[test]
fn bad_input_exits_with_code_2_and_one_line() {
    let f = |n: &str| fixture(n).to_str().unwrap().to_string();
    fails_with(&["profile", "nope.csv"], "nope.csv: file not found");
    fails_with(
        &["profile", &f("ragged.csv")],
        "ragged.csv: row 4 has 2 fields but the header has 3",
    );
    fails_with(&["profile", &f("empty.csv")], "empty.csv: file is empty");
    fails_with(
        &["profile", &f("header_only.csv")],
        "header_only.csv: has a header but no data rows",
    );
    fails_with(
        &["profile", &f("latin1.csv"), "--encoding", "utf-8"],
        "latin1.csv: not valid UTF-8",
    );
    fails_with(
        &["profile", &f("latin1.csv"), "--encoding", "klingon"],
        "unknown encoding \"klingon\"",
    );
    fails_with(
        &["profile", &f("binary.csv")],
        "binary.csv: looks like a binary file",
    );
    fails_with(&["profile", &f("")], "is a directory");
    let b = f("breakdown.csv");
    fails_with(
        &["breakdown", &b, "--by", "nope", "--target", "buys"],
        "no column named \"nope\"",
    );
    fails_with(
        &["breakdown", &b, "--by", "segment", "--target", "nope"],
        "no column named \"nope\"",
    );
    fails_with(
        &["breakdown", &b, "--by", "buys", "--target", "segment"],
        "target \"segment\" has 3 distinct values",
    );
    fails_with(
        &[
            "breakdown",
            &b,
            "--by",
            "segment",
            "--target",
            "buys",
            "--positive",
            "maybe",
        ],
        "never occurs",
    );
    fails_with(
        &["profile", &b, "--separator", "ab"],
        "separator must be one character",
    );
    // opening the dashboard on a bad file fails before the terminal is touched
    fails_with(&[&f("ragged.csv")], "ragged.csv: row 4");
}

#[test]
fn real_bank_marketing_file_profiles_cleanly() {
    let Some(p) = shared("bank-full.csv") else {
        return;
    };
    let v = json(&["profile", p.to_str().unwrap(), "--json"]);
    // ../shared/data/README.md: 45,211 rows × 17 columns, separator ';'
    assert_eq!(v["rows"], 45_211);
    assert_eq!(v["separator"], ";");
    let cols = v["columns"].as_array().unwrap();
    assert_eq!(cols.len(), 17);
    let dtype = |n: &str| cols.iter().find(|c| c["name"] == n).unwrap()["dtype"].clone();
    assert_eq!(dtype("age"), "i64");
    assert_eq!(dtype("balance"), "i64");
    assert_eq!(dtype("job"), "str");
    assert!(
        cols.iter().all(|c| c["nulls"] == 0),
        "no missing values in bank-full"
    );
    let b = json(&[
        "breakdown",
        p.to_str().unwrap(),
        "--by",
        "job",
        "--target",
        "y",
        "--json",
    ]);
    // README: y yes-rate 11.70 % (5,289 of 45,211)
    assert!((b["overall_rate"].as_f64().unwrap() - 5289.0 / 45211.0).abs() < 1e-12);
    assert_eq!(b["positive"], "yes");
    // pandas 3.1: df.groupby("job")["y"].agg(count="size", hits=lambda s: (s == "yes").sum())
    assert_groups(
        &b,
        &[
            ("admin.", 5171, 631),
            ("blue-collar", 9732, 708),
            ("entrepreneur", 1487, 123),
            ("housemaid", 1240, 109),
            ("management", 9458, 1301),
            ("retired", 2264, 516),
            ("self-employed", 1579, 187),
            ("services", 4154, 369),
            ("student", 938, 269),
            ("technician", 7597, 840),
            ("unemployed", 1303, 202),
            ("unknown", 288, 34),
        ],
    );
}

/// Each group's value, count and rate equal (value, rows, hits) in order.
fn assert_groups(b: &Value, expected: &[(&str, u64, u64)]) {
    let groups = b["groups"].as_array().unwrap();
    assert_eq!(groups.len(), expected.len());
    for (g, (value, count, hits)) in groups.iter().zip(expected) {
        assert_eq!(g["value"], *value);
        assert_eq!(g["count"], *count, "{value}");
        let rate = *hits as f64 / *count as f64;
        assert!(
            (g["rate"].as_f64().unwrap() - rate).abs() < 1e-12,
            "{value}"
        );
    }
}

#[test]
fn real_telco_file_reads_total_charges_as_numeric_with_11_nulls() {
    let Some(p) = shared("WA_Fn-UseC_-Telco-Customer-Churn.csv") else {
        return;
    };
    let v = json(&["profile", p.to_str().unwrap(), "--json"]);
    assert_eq!(v["rows"], 7_043);
    let cols = v["columns"].as_array().unwrap();
    assert_eq!(cols.len(), 21);
    let col = |n: &str| cols.iter().find(|c| c["name"] == n).unwrap().clone();
    assert_eq!(col("TotalCharges")["dtype"], "f64");
    assert_eq!(col("TotalCharges")["nulls"], 11);
    assert_eq!(col("customerID")["flags"], serde_json::json!(["id"]));
    assert_eq!(col("Churn")["flags"], serde_json::json!(["binary"]));
    let b = json(&[
        "breakdown",
        p.to_str().unwrap(),
        "--by",
        "Contract",
        "--target",
        "Churn",
        "--json",
    ]);
    // README: churn rate 26.54 % (1,869 of 7,043)
    assert!((b["overall_rate"].as_f64().unwrap() - 1869.0 / 7043.0).abs() < 1e-12);
    // pandas 3.1: df.groupby("Contract")["Churn"].agg(count="size", hits=lambda s: (s == "Yes").sum())
    assert_groups(
        &b,
        &[
            ("Month-to-month", 3875, 1655),
            ("One year", 1473, 166),
            ("Two year", 1695, 48),
        ],
    );
    // tenure (73 values) is binned at nearest-rank quintiles; numpy: sorted[round((n - 1) q)] for
    // q = 0, .2, .4, .6, .8, 1 gives 0, 6, 20, 40, 60, 72
    let t = json(&[
        "breakdown",
        p.to_str().unwrap(),
        "--by",
        "tenure",
        "--target",
        "Churn",
        "--json",
    ]);
    let labels: Vec<&str> = t["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["value"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        ["[0, 6)", "[6, 20)", "[20, 40)", "[40, 60)", "[60, 72]"]
    );
}

/// (column, nulls, distinct non-null, (min, mean, max) for numeric columns), computed with pandas 3.1:
/// `df[c].isna().sum(), df[c].nunique(), df[c].min(), df[c].mean(), df[c].max()` (Telco's TotalCharges
/// through `pd.to_numeric(errors="coerce")`, as pandas reads it as text because of its blank cells).
type Expected = (&'static str, u64, u64, Option<(f64, f64, f64)>);

fn assert_profile_matches(path: &std::path::Path, expected: &[Expected]) {
    let v = json(&["profile", path.to_str().unwrap(), "--json"]);
    let cols = v["columns"].as_array().unwrap();
    assert_eq!(cols.len(), expected.len());
    for (col, (name, nulls, distinct, stats)) in cols.iter().zip(expected) {
        assert_eq!(col["name"], *name);
        assert_eq!(col["nulls"], *nulls, "{name} nulls");
        assert_eq!(col["distinct"], *distinct, "{name} distinct");
        match stats {
            Some((min, mean, max)) => {
                let got = |k: &str| col[k].as_f64().unwrap();
                assert_eq!(got("min"), *min, "{name} min");
                assert_eq!(got("max"), *max, "{name} max");
                assert!(
                    (got("mean") - mean).abs() < 1e-9 * mean.abs().max(1.0),
                    "{name} mean"
                );
            }
            None => assert!(col["mean"].is_null(), "{name} is not numeric"),
        }
    }
}

#[test]
fn real_files_profile_like_pandas_column_by_column() {
    if let Some(p) = shared("bank-full.csv") {
        assert_profile_matches(
            &p,
            &[
                ("age", 0, 77, Some((18.0, 40.93621021432837, 95.0))),
                ("job", 0, 12, None),
                ("marital", 0, 3, None),
                ("education", 0, 4, None),
                ("default", 0, 2, None),
                (
                    "balance",
                    0,
                    7168,
                    Some((-8019.0, 1362.2720576850766, 102127.0)),
                ),
                ("housing", 0, 2, None),
                ("loan", 0, 2, None),
                ("contact", 0, 3, None),
                ("day", 0, 31, Some((1.0, 15.80641879188693, 31.0))),
                ("month", 0, 12, None),
                ("duration", 0, 1573, Some((0.0, 258.1630797814691, 4918.0))),
                ("campaign", 0, 48, Some((1.0, 2.763840658246887, 63.0))),
                ("pdays", 0, 559, Some((-1.0, 40.19782796222158, 871.0))),
                ("previous", 0, 41, Some((0.0, 0.5803233726305546, 275.0))),
                ("poutcome", 0, 4, None),
                ("y", 0, 2, None),
            ],
        );
    }
    if let Some(p) = shared("WA_Fn-UseC_-Telco-Customer-Churn.csv") {
        assert_profile_matches(
            &p,
            &[
                ("customerID", 0, 7043, None),
                ("gender", 0, 2, None),
                ("SeniorCitizen", 0, 2, Some((0.0, 0.1621468124378816, 1.0))),
                ("Partner", 0, 2, None),
                ("Dependents", 0, 2, None),
                ("tenure", 0, 73, Some((0.0, 32.37114865824223, 72.0))),
                ("PhoneService", 0, 2, None),
                ("MultipleLines", 0, 3, None),
                ("InternetService", 0, 3, None),
                ("OnlineSecurity", 0, 3, None),
                ("OnlineBackup", 0, 3, None),
                ("DeviceProtection", 0, 3, None),
                ("TechSupport", 0, 3, None),
                ("StreamingTV", 0, 3, None),
                ("StreamingMovies", 0, 3, None),
                ("Contract", 0, 3, None),
                ("PaperlessBilling", 0, 2, None),
                ("PaymentMethod", 0, 4, None),
                (
                    "MonthlyCharges",
                    0,
                    1585,
                    Some((18.25, 64.76169246059918, 118.75)),
                ),
                (
                    "TotalCharges",
                    11,
                    6530,
                    Some((18.8, 2283.3004408418656, 8684.8)),
                ),
                ("Churn", 0, 2, None),
            ],
        );
    }
}

#[test]
fn breakdown_groups_follow_exact_values() {
    let dir = tempfile::tempdir().unwrap();
    // 2^53 and 2^53 + 1 are different customers' values though they share an f64; 0.0 and -0.0 are one
    let path = write_file(
        &dir,
        "values.csv",
        "big,zero,Response\n9007199254740992,0.0,Yes\n9007199254740993,-0.0,No\n9007199254740993,1.5,No\n5,0.0,Yes\n",
    );
    let p = path.to_str().unwrap();
    let b = json(&[
        "breakdown",
        p,
        "--by",
        "big",
        "--target",
        "Response",
        "--json",
    ]);
    let values: Vec<&str> = b["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["5", "9007199254740992", "9007199254740993"]);
    let z = json(&[
        "breakdown",
        p,
        "--by",
        "zero",
        "--target",
        "Response",
        "--json",
    ]);
    let counts: Vec<u64> = z["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [3, 1], "0.0 and -0.0 are one group: {z}");
}
