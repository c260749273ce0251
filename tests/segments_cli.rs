//! `campaign-lens segment` as a user runs it.

mod common;

use assert_cmd::Command;
use common::{cli_fails, cli_json, fixture, sample};

/// scikit-learn 1.x KMeans(n_clusters=k, n_init=10, random_state=0).inertia_ on the bundled sample's ten
/// default features (StandardScaler, rows with a missing Income dropped: 4,940 rows), k = 2..10.
const SKLEARN: [f64; 9] = [
    32867.47749688079,
    28109.014066291526,
    25264.65097265736,
    23318.075224177,
    21673.614982335886,
    20433.266504312945,
    19695.484381986193,
    19035.85619052592,
    18345.15602513608,
];

#[test]
fn segment_json_on_the_sample_matches_scikit_learn() {
    let f = sample("customers.csv");
    let v = cli_json(&["segment", f.to_str().unwrap(), "--json", "--k", "4"]);
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "chosen_k",
            "elbow_k",
            "features",
            "notes",
            "personas",
            "rows_dropped",
            "rows_used",
            "scaled",
            "silhouette_k",
            "sweep"
        ]
    );
    assert_eq!(v["rows_used"], 4940);
    assert_eq!(v["rows_dropped"], 60);
    assert_eq!(v["scaled"], true);
    assert_eq!(v["features"].as_array().unwrap().len(), 10);
    let sweep = v["sweep"].as_array().unwrap();
    assert_eq!(sweep.len(), 9);
    for (p, sk) in sweep.iter().zip(SKLEARN) {
        let ours = p["inertia"].as_f64().unwrap();
        assert!(
            ours <= sk * 1.01,
            "k = {}: {ours} vs scikit-learn {sk}",
            p["k"]
        );
    }
    let inertia: Vec<f64> = sweep
        .iter()
        .map(|p| p["inertia"].as_f64().unwrap())
        .collect();
    assert!(inertia.windows(2).all(|w| w[1] <= w[0]), "{inertia:?}");
    assert_eq!(v["chosen_k"], 4);
    let personas = v["personas"].as_array().unwrap();
    assert_eq!(personas.len(), 4);
    let sizes: u64 = personas.iter().map(|p| p["size"].as_u64().unwrap()).sum();
    assert_eq!(sizes, 4940);
    let names: std::collections::HashSet<&str> = personas
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 4, "names are distinct");
    let p0 = &personas[0];
    for key in [
        "id",
        "name",
        "size",
        "share",
        "means",
        "z",
        "target_rate",
        "traits",
        "strategy",
    ] {
        assert!(p0.get(key).is_some(), "persona has {key}");
    }
    assert!(p0["means"]["Income"].is_number());
    assert!(p0["strategy"]["offer"].is_string());
}

#[test]
fn auto_k_picks_the_clear_elbow_and_names_with_spaces_work() {
    let f = fixture("mall.csv");
    let v = cli_json(&[
        "segment",
        f.to_str().unwrap(),
        "--features",
        "Annual Income (k$),Spending Score (1-100)",
        "--k-max",
        "8",
        "--json",
    ]);
    // five groups of twelve customers built into the fixture
    assert_eq!(v["elbow_k"], 5);
    assert_eq!(v["chosen_k"], 5);
    let sizes: Vec<u64> = v["personas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["size"].as_u64().unwrap())
        .collect();
    assert_eq!(sizes, vec![12; 5]);
    // unknown columns: names from the clustering features ("High … · Low …"), all distinct
    let names: Vec<&str> = v["personas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Low Annual Income (k$) · High Spending Score (1-100)"),
        "{names:?}"
    );
    assert!(
        names.contains(&"Typical Customers"),
        "the middle group: {names:?}"
    );
    let unique: std::collections::HashSet<&&str> = names.iter().collect();
    assert_eq!(unique.len(), 5);
}

#[test]
fn segment_errors_are_one_line_with_exit_code_2() {
    let f = fixture("mall.csv");
    let f = f.to_str().unwrap();
    cli_fails(
        &["segment", f, "--features", "Flat,Age"],
        "feature \"Flat\" has zero variance",
    );
    cli_fails(
        &["segment", f, "--features", "Age", "--k", "70"],
        "--k 70 is outside the sweep range 2..10",
    );
    cli_fails(&["segment", f, "--features", ""], "no features chosen");
    cli_fails(
        &["segment", f, "--features", "Nope"],
        "no column named \"Nope\"",
    );
    cli_fails(
        &["segment", f, "--k", "12"],
        "--k 12 is outside the sweep range 2..10",
    );
    cli_fails(
        &["segment", f, "--target", "Genre"],
        "target \"Genre\" is not binary",
    );
}

#[test]
fn readable_output_without_json() {
    let f = sample("customers.csv");
    let out = Command::cargo_bin("campaign-lens")
        .unwrap()
        .args(["segment", f.to_str().unwrap(), "--k", "3"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("4,940 rows clustered (60 left out for missing values)"),
        "{text}"
    );
    assert!(text.contains("◀ chosen"));
    assert!(text.contains("offer: "));
}

#[test]
fn text_features_are_one_hot_encoded() {
    let f = fixture("mall.csv");
    let v = cli_json(&[
        "segment",
        f.to_str().unwrap(),
        "--features",
        "Genre,Annual Income (k$)",
        "--k",
        "2",
        "--json",
    ]);
    assert_eq!(
        v["features"],
        serde_json::json!(["Genre", "Annual Income (k$)"])
    );
    assert_eq!(v["rows_used"], 60);
    // the profile describes the numeric feature; Genre went into the fit as Genre=Female / Genre=Male
    let means = v["personas"][0]["means"].as_object().unwrap();
    assert!(means.contains_key("Annual Income (k$)") && !means.contains_key("Genre"));
}
