//! Golden outputs: the CLI's JSON for `profile`, `segment`, `predict`, `roi`, `customers` and `recommend`
//! on the bundled sample (and, for the order-log commands, `tests/golden/orders.csv`, written by
//! `bench/make_golden_orders.py`), byte for byte as recorded in `tests/golden/` before the analysis folders
//! were reorganised (issue 25). A change in any figure, key or format fails here; when a change is meant,
//! `CAMPAIGN_LENS_BLESS=1 cargo test --release --test golden` records the new outputs (review the diff).

use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn check(name: &str, args: &[&str]) {
    let out = assert_cmd::Command::cargo_bin("campaign-lens")
        .unwrap()
        .current_dir(ROOT)
        .env(
            "CAMPAIGN_LENS_DATA_DIR",
            std::env::temp_dir().join("campaign-lens-golden"),
        )
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // paths are printed relative to the checkout, so a clone elsewhere gives the same bytes
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .replace(ROOT, "<repo>");
    // the time a command took is the one figure that may change
    let text: String = text
        .lines()
        .map(|l| match l.split_once("\"seconds\": ") {
            Some((head, tail)) => format!(
                "{head}\"seconds\": \"…\"{}\n",
                if tail.ends_with(',') { "," } else { "" }
            ),
            None => format!("{l}\n"),
        })
        .collect();
    serde_json::from_str::<serde_json::Value>(&text).expect("the output is JSON");
    let golden = Path::new(ROOT)
        .join("tests/golden")
        .join(format!("{name}.json"));
    if std::env::var_os("CAMPAIGN_LENS_BLESS").is_some() {
        std::fs::write(&golden, &text).unwrap();
        return;
    }
    let want =
        std::fs::read_to_string(&golden).unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
    if text != want {
        let line = text
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(text.lines().count().min(want.lines().count()));
        panic!(
            "{name}: the output differs from {} from line {}:\n got: {}\nwant: {}",
            golden.display(),
            line + 1,
            text.lines().nth(line).unwrap_or("(end)"),
            want.lines().nth(line).unwrap_or("(end)")
        );
    }
}

const SAMPLE: &str = "sample_data/customers.csv";
const ORDERS: &str = "tests/golden/orders.csv";

#[test]
fn profile_json_is_unchanged() {
    check("profile", &["profile", SAMPLE, "--json"]);
}

#[test]
fn segment_json_is_unchanged() {
    check("segment", &["segment", SAMPLE, "--json"]);
}

#[test]
fn predict_json_is_unchanged() {
    check("predict", &["predict", SAMPLE, "--json"]);
}

#[test]
fn roi_json_is_unchanged() {
    check("roi", &["roi", SAMPLE, "--json"]);
    check(
        "roi_campaigns",
        &["roi", "sample_data/campaigns.csv", "--campaigns", "--json"],
    );
}

#[test]
fn customers_json_is_unchanged() {
    check("customers", &["customers", ORDERS, "--json"]);
    check(
        "customers_holdout",
        &[
            "customers",
            ORDERS,
            "--calibration-end",
            "2010-09-30",
            "--json",
        ],
    );
}

#[test]
fn recommend_json_is_unchanged() {
    check("recommend", &["recommend", ORDERS, "--json"]);
}
