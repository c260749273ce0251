//! The Value tab: the lifetime-value view of a customer table, on a hand-made table where every figure is
//! known, on the customer table built from the shared Online Retail II log, and its exports.

mod common;

use campaign_lens::app::{update, Action, Tab};
use campaign_lens::pipeline::lifetime::value_view::{value_view, AT_RISK_ALIVE, HIGH_VALUE_SHARE};

/// Ten customers as `campaign-lens customers --out` writes them: c1 spends most and has gone quiet,
/// c2 spends almost as much and is active, the rest spend little.
fn table() -> String {
    let mut t = String::from(
        "Customer ID,recency_days,frequency,repeat_purchases,monetary,p_alive,clv_365\n",
    );
    t.push_str("c1,300,12,11,5000,0.30,400\n");
    t.push_str("c2,5,10,9,4000,0.99,3000\n");
    for i in 3..=10 {
        t.push_str(&format!("c{i},{},1,0,{},1.0,{}\n", i * 10, i * 10, i * 5));
    }
    t
}

#[test]
fn a_customer_table_gets_the_value_view_with_known_figures() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::write_file(&dir, "customers.csv", &table());
    let mut app = common::app_on_path(&path);
    update(&mut app, Action::GoTab(Tab::Value));
    let v = app.value.view.as_ref().expect("a view");
    assert_eq!(v.customers, 10);
    assert_eq!(v.clv_column, "clv_365");
    // CLV: 400 + 3000 + 5·(3+…+10) = 3,660; the top tenth (one customer, c2) holds 3000/3660
    assert!((v.total_clv - 3660.0).abs() < 1e-9);
    assert!((v.top_tenth_share - 3000.0 / 3660.0).abs() < 1e-12);
    assert_eq!(v.most_valuable[0].id, "c2");
    // the top fifth by spend is c1 and c2 (from 4,000); only c1 has P(alive) below the line
    assert_eq!(v.high_value_from, 4000.0);
    assert_eq!(v.at_risk.len(), 1);
    assert_eq!(v.at_risk[0].id, "c1");
    assert_eq!(v.histogram.iter().map(|b| b.1).sum::<usize>(), 10);
    // the matrix: c1 (11 repeats, 300 days: "10-19" × "39+"), eight one-time buyers, c2
    let cells: usize = v.matrix.iter().flatten().flatten().map(|c| c.1).sum();
    assert_eq!(cells, 10);
    assert_eq!(v.matrix[5][5], Some((0.30, 1)));
    let s = common::screen::screen(&app, 120, 40);
    assert!(s.contains("At risk: 1 of the top 20 % by spend"), "{s}");
    assert!(s.contains("c1") && s.contains("30.0 %"), "{s}");
    assert!(s.contains("10 customers · $3,660 in all"), "{s}");
    assert!(s.contains("the top tenth hold 82.0 % of it"), "{s}");
    // ↓ scrolls the at-risk list; l moves to the other list
    update(&mut app, Action::SwitchFocus);
    update(&mut app, Action::Down);
    assert_eq!(app.value.scroll, 1);
    let s = common::screen::screen(&app, 120, 40);
    assert!(s.contains("Most valuable, by 365-day CLV"), "{s}");
}

#[test]
fn a_table_without_lifetime_columns_says_how_to_get_them() {
    let mut app = common::app_on_sample("customers.csv");
    update(&mut app, Action::GoTab(Tab::Value));
    assert!(app.value.view.is_none());
    let s = common::screen::screen(&app, 120, 40);
    assert!(s.contains("Lifetime value needs a customer table"), "{s}");
    assert!(s.contains("press C"), "{s}");
    update(&mut app, Action::Export);
    let err = campaign_lens::export::tab::export_tab(&app).unwrap_err();
    assert!(err.contains("build the customer table"), "{err}");
}

#[test]
fn the_online_retail_view_agrees_with_its_customer_table_and_exports() {
    let Some(log) = common::shared("online_retail_II_2009-2010.parquet") else {
        return;
    };
    let mut app = common::app_on_path(&log);
    let cmds = update(&mut app, Action::BuildCustomers);
    common::run_jobs(&mut app, cmds);
    update(&mut app, Action::GoTab(Tab::Value));
    let ws = app.ws.as_ref().unwrap();
    let col = |n: &str| {
        campaign_lens::data::profile::f64_values(ws.df.column(n).unwrap())
            .unwrap()
            .into_iter()
            .map(|v| v.unwrap())
            .collect::<Vec<f64>>()
    };
    let (spend, alive, clv) = (col("monetary"), col("p_alive"), col("clv_365"));
    // independent: the top fifth by spend (ceil(0.2 · 4,314) = 863 customers) and P(alive) < 0.8
    let mut sorted = spend.clone();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let from = sorted[(sorted.len() as f64 * HIGH_VALUE_SHARE).ceil() as usize - 1];
    let at_risk = (0..spend.len())
        .filter(|&i| spend[i] >= from && alive[i] < AT_RISK_ALIVE)
        .count();
    let v = value_view(&ws.df).unwrap();
    assert_eq!(v.customers, 4314);
    assert_eq!(v.high_value_from, from);
    assert_eq!(v.at_risk.len(), at_risk);
    assert!(at_risk > 0);
    assert!((v.total_clv - clv.iter().sum::<f64>()).abs() < 1e-6 * v.total_clv);
    let stake = |r: &campaign_lens::pipeline::lifetime::value_view::ValueRow| {
        r.monetary * (1.0 - r.p_alive)
    };
    assert!(v.at_risk.windows(2).all(|w| stake(&w[0]) >= stake(&w[1])));
    let s = common::screen::screen(&app, 120, 40);
    assert!(
        s.contains(&format!("At risk: {at_risk} of the top 20 % by spend")),
        "{s}"
    );
    assert!(s.contains("Still active? mean P(alive)"), "{s}");
    let out = tempfile::tempdir().unwrap();
    std::env::set_var("CAMPAIGN_LENS_EXPORT_DIR", out.path());
    let files = campaign_lens::export::tab::export_tab(&app).unwrap();
    std::env::remove_var("CAMPAIGN_LENS_EXPORT_DIR");
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    for n in [
        "clv_distribution.svg",
        "alive_matrix.png",
        "at_risk.csv",
        "most_valuable.csv",
    ] {
        assert!(names.iter().any(|x| x == n), "{names:?}");
    }
    let csv = std::fs::read_to_string(files.iter().find(|f| f.ends_with("at_risk.csv")).unwrap())
        .unwrap();
    assert_eq!(csv.lines().count(), at_risk + 1);
    assert!(csv.starts_with("id,orders,monetary,recency_days,p_alive,clv_365\n"));
    // the heat map's title: customers in cells whose mean P(alive) is ≥ 90 % and < 50 %, summed here
    let (mut all, mut active, mut gone) = (0usize, 0usize, 0usize);
    for (p, n) in v.matrix.iter().flatten().flatten() {
        all += n;
        active += if *p >= 0.9 { *n } else { 0 };
        gone += if *p < 0.5 { *n } else { 0 };
    }
    let svg = std::fs::read_to_string(
        files
            .iter()
            .find(|f| f.ends_with("alive_matrix.svg"))
            .unwrap(),
    )
    .unwrap();
    let want = format!(
        "{} of customers sit where the mean P(alive) is 90 % or more, {} where it is under 50 %",
        campaign_lens::fmt::pct(active as f64 / all as f64),
        campaign_lens::fmt::pct(gone as f64 / all as f64)
    );
    assert!(svg.contains(&want), "{want}");
    common::svg::text_fits(&svg, "alive_matrix");
}
