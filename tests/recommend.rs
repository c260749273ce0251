//! Product recommendations: the protocol on a hand-made log where the right answer is known, the
//! popularity baseline and EASE on the shared Online Retail II log against the reference (computed
//! with pandas, scipy and numpy: `bench/recommend_reference.py`), the customer table's `next_products`, the
//! Next buy tab, and the messages for logs that cannot be evaluated.

mod common;

use campaign_lens::app::{update, Action, Command, Tab};
use campaign_lens::jobs::JobKind;

const HEAD: &str = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID\n";

/// Ten customers buy X and Y together, ten buy Z and W; customer 20 buys only X and customer 21 only Z
/// before February, then 20 buys Y and 21 buys W. Counts: W 10, X 11, Y 10, Z 11 (codes sorted W X Y Z).
fn known_log() -> String {
    let mut t = String::from(HEAD);
    let mut inv = 1;
    let mut line = |t: &mut String, code: &str, day: &str, cust: u32| {
        t.push_str(&format!(
            "{inv},{code},Product {code},1,2010-{day} 10:00:00,2.00,{cust}\n"
        ));
        inv += 1;
    };
    for c in 0..10 {
        line(&mut t, "X", "01-05", c);
        line(&mut t, "Y", "01-06", c);
    }
    for c in 10..20 {
        line(&mut t, "Z", "01-05", c);
        line(&mut t, "W", "01-07", c);
    }
    line(&mut t, "X", "01-10", 20);
    line(&mut t, "Z", "01-10", 21);
    line(&mut t, "Y", "02-03", 20);
    line(&mut t, "W", "02-04", 21);
    // a cancellation of Y by customer 21 is no purchase of Y
    t.push_str(
        "C99,Y,-1,2010-02-05 10:00:00,2.00,21\n"
            .replace(",-1,", ",Product Y,-1,")
            .as_str(),
    );
    t
}

fn figures(v: &serde_json::Value, k: usize) -> [f64; 3] {
    let f = |n: &str| v[format!("{n}_at_{k}")].as_f64().unwrap();
    [f("hit_rate"), f("precision"), f("recall")]
}

#[test]
fn the_item_bought_with_x_is_recommended_to_whoever_has_only_x() {
    let dir = tempfile::tempdir().unwrap();
    let log = common::write_file(&dir, "orders.csv", &known_log());
    let log = log.to_str().unwrap();
    fn args<'a>(log: &'a str, k: &'a str) -> Vec<&'a str> {
        vec![
            "recommend",
            log,
            "--top",
            k,
            "--holdout-from",
            "2010-02-01",
            "--json",
        ]
    }
    // K = 1: EASE gives 20 Y and 21 W (both hits); popularity gives 20 Z and 21 X (both misses)
    let v = common::cli_json(&args(log, "1"));
    let h = &v["holdout"];
    assert_eq!(h["customers"], 2);
    assert_eq!(h["from"], "2010-02-01");
    assert_eq!(figures(h, 1), [1.0, 1.0, 1.0]);
    assert_eq!(figures(&h["baseline_popularity"], 1), [0.0, 0.0, 0.0]);
    // K = 2: popularity gives 20 [Z, W] (miss) and 21 [X, W] (W: a hit): hit rate 1/2, precision
    // (0 + 1/2)/2, recall (0 + 1)/2
    let v = common::cli_json(&args(log, "2"));
    let h = &v["holdout"];
    assert_eq!(figures(h, 2), [1.0, 0.5, 1.0]);
    assert_eq!(figures(&h["baseline_popularity"], 2), [0.5, 0.25, 0.5]);
    assert_eq!(v["customers"], 22);
    assert_eq!(v["items"], 4);
    // the lists, refitted on every purchase: customer 20 has X and Y, so W and Z remain
    let out = dir.path().join("recs.csv");
    let mut a = args(log, "1");
    a.pop();
    a.extend(["--out", out.to_str().unwrap()]);
    assert_cmd::Command::cargo_bin("campaign-lens")
        .unwrap()
        .args(&a)
        .assert()
        .success();
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(
        csv.starts_with("customer,rank,product,description,score\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + 22);
    let first = csv.lines().find(|l| l.starts_with("0,")).unwrap();
    assert!(
        first.starts_with("0,1,W,Product W,") || first.starts_with("0,1,Z,Product Z,"),
        "{first}"
    );
}

#[test]
fn logs_that_cannot_be_evaluated_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let one_item: String =
        HEAD.to_string() + "1,A,a,1,2010-01-01 10:00:00,1,1\n2,A,a,1,2010-02-01 10:00:00,1,2\n";
    let one_customer: String =
        HEAD.to_string() + "1,A,a,1,2010-01-01 10:00:00,1,1\n2,B,b,1,2010-02-01 10:00:00,1,1\n";
    let no_product =
        "Invoice,Quantity,InvoiceDate,Price,Customer ID\n1,1,2010-01-01,1,1\n2,1,2010-01-02,1,2\n";
    let cases = [
        (
            "one_item.csv",
            one_item.as_str(),
            "one_item.csv: only 1 product bought",
        ),
        (
            "one_customer.csv",
            one_customer.as_str(),
            "one_customer.csv: only 1 customer",
        ),
        (
            "no_product.csv",
            no_product,
            "no_product.csv: no product column",
        ),
    ];
    for (name, text, needle) in cases {
        let p = common::write_file(&dir, name, text);
        common::cli_fails(&["recommend", p.to_str().unwrap()], needle);
    }
    let log = common::write_file(&dir, "orders.csv", &known_log());
    let log = log.to_str().unwrap();
    common::cli_fails(
        &["recommend", log, "--holdout-from", "2011-01-01"],
        "orders.csv: no purchases on or after 2011-01-01: the holdout is empty",
    );
    common::cli_fails(
        &["recommend", log, "--holdout-from", "2009-01-01"],
        "no purchases before 2009-01-01",
    );
    common::cli_fails(
        &["recommend", log, "--top", "0"],
        "--top must be at least 1",
    );
    common::cli_fails(
        &["recommend", log, "--holdout-from", "Feb"],
        "--holdout-from must be a date",
    );
}

#[test]
fn online_retail_matches_the_reference_and_beats_popularity() {
    let Some(log) = common::shared("online_retail_II_2009-2010.parquet") else {
        return;
    };
    let v = common::cli_json(&[
        "recommend",
        log.to_str().unwrap(),
        "--holdout-from",
        "2010-11-09",
        "--json",
    ]);
    let h = &v["holdout"];
    // bench/recommend_reference.py (pandas 2, scipy, numpy): 1,227 evaluated customers, 3,962 items,
    // popularity 0.2421 / 0.0332 / 0.0180, EASE λ = 100 0.4980 / 0.0825 / 0.0733
    assert_eq!(h["customers"], 1227);
    assert_eq!(h["train_items"], 3962);
    assert_eq!(h["train_customers"], 4026);
    let pop = figures(&h["baseline_popularity"], 10);
    for (got, want) in pop.iter().zip([0.242, 0.033, 0.018]) {
        assert!((got - want).abs() <= 0.005, "popularity {pop:?}");
    }
    let ease = figures(h, 10);
    assert!(ease[0] >= 0.49, "hit rate {ease:?}");
    assert!(ease[0] >= 2.0 * pop[0], "{ease:?} vs {pop:?}");
    for (got, want) in ease.iter().zip([0.4980, 0.0825, 0.0733]) {
        assert!((got - want).abs() <= 0.002, "EASE {ease:?}");
    }
}

#[test]
fn the_customer_table_gets_next_products() {
    let dir = tempfile::tempdir().unwrap();
    let log = common::write_file(&dir, "orders.csv", &known_log());
    let out = dir.path().join("customers.csv");
    assert_cmd::Command::cargo_bin("campaign-lens")
        .unwrap()
        .args([
            "customers",
            log.to_str().unwrap(),
            "--next-products",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    let csv = std::fs::read_to_string(&out).unwrap();
    let head: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = head
        .iter()
        .position(|h| *h == "next_products")
        .expect("next_products");
    // customer 20 has X and Y: what is left is W and Z
    let row = csv.lines().find(|l| l.starts_with("20,")).unwrap();
    let cell = row.split(',').nth(col).unwrap();
    assert!(
        cell == "Product W; Product Z" || cell == "Product Z; Product W",
        "{cell}"
    );
}

#[test]
fn the_next_buy_tab_runs_as_a_job_and_shows_a_customer_beside_their_purchases() {
    let dir = tempfile::tempdir().unwrap();
    let log = common::write_file(&dir, "orders.csv", &known_log());
    let mut app = common::app_on_path(&log);
    let cmds = update(&mut app, Action::BuildCustomers);
    common::run_jobs(&mut app, cmds);
    let cmds = update(&mut app, Action::GoTab(Tab::NextBuy));
    assert!(matches!(
        &cmds[..],
        [Command::Start {
            kind: JobKind::Recommend { .. },
            ..
        }]
    ));
    common::run_jobs(&mut app, cmds);
    let s = common::screen::screen(&app, 120, 40);
    assert!(s.contains("Holdout from"), "{s}");
    assert!(s.contains("lift over best sellers"), "{s}");
    assert!(s.contains("Customers (22)"), "{s}");
    assert!(s.contains("Bought before (2 products):"), "{s}");
    // the customer table has the column, and a second visit does not refit
    assert!(app.ws.as_ref().unwrap().profile("next_products").is_some());
    update(&mut app, Action::GoTab(Tab::Data));
    assert!(update(&mut app, Action::GoTab(Tab::NextBuy)).is_empty());
    // a file that is no order log says what the tab needs
    let mut plain = common::app_on_sample("customers.csv");
    assert!(update(&mut plain, Action::GoTab(Tab::NextBuy)).is_empty());
    let s = common::screen::screen(&plain, 120, 40);
    assert!(s.contains("Recommendations need an order log"), "{s}");
}

#[test]
fn score_carries_each_personas_likely_next_buys() {
    let dir = tempfile::tempdir().unwrap();
    let log = common::write_file(&dir, "orders.csv", &known_log());
    let path = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("campaign-lens")
            .unwrap()
            .args(args)
            .assert()
            .success();
    };
    let (table, model, scored) = (
        path("customers.csv"),
        path("segments.json"),
        path("scored.csv"),
    );
    run(&[
        "customers",
        log.to_str().unwrap(),
        "--next-products",
        "--out",
        &table,
    ]);
    run(&[
        "segment",
        &table,
        "--k",
        "2",
        "--features",
        "monetary,recency_days",
        "--save-model",
        &model,
    ]);
    run(&["score", &model, &table, "--out", &scored]);
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    let personas = m["segments"]["personas"].as_array().unwrap();
    let saved: Vec<String> = personas
        .iter()
        .map(|p| {
            let v: Vec<&str> = p["next_products"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap())
                .collect();
            v.join("; ")
        })
        .collect();
    assert!(saved.iter().all(|s| !s.is_empty()), "{saved:?}");
    let text = std::fs::read_to_string(&scored).unwrap();
    let head: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let (ci, pi) = (
        head.iter().position(|h| *h == "cluster").unwrap(),
        head.iter()
            .position(|h| *h == "persona_next_products")
            .expect("the column"),
    );
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let c: usize = cells[ci].parse().unwrap();
        assert_eq!(cells[pi], saved[c], "{line}");
    }
}

#[test]
fn a_holdout_target_does_not_learn_from_the_other_holdout_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = String::from("id,monetary,holdout_purchases,bought_again\n");
    for i in 0..40 {
        t.push_str(&format!(
            "{i},{},{},{}\n",
            i * 3 % 17,
            i % 3,
            u8::from(i % 3 > 0)
        ));
    }
    let p = common::write_file(&dir, "table.csv", &t);
    let ws = campaign_lens::data::Workspace::open(&p, &Default::default()).unwrap();
    let target = campaign_lens::pipeline::predict::Target::Column {
        name: "bought_again".into(),
        positive: "1".into(),
    };
    let (numeric, _) = campaign_lens::pipeline::predict::default_predictors(&ws, &target, &[]);
    assert!(numeric.contains(&"monetary".to_string()), "{numeric:?}");
    assert!(
        !numeric.contains(&"holdout_purchases".to_string()),
        "{numeric:?}"
    );
}
