//! The ROI tab and `campaign-lens roi`, driven as a user would.

mod common;

use assert_cmd::Command as Bin;
use campaign_lens::app::{update, Action, App, Overlay, Tab};
use common::screen::screen;
use common::{app_on_sample, cli_json, run_jobs, sample};

fn app_on(file: &str) -> App {
    let mut app = app_on_sample(file);
    let cmds = update(&mut app, Action::GoTab(Tab::Roi));
    run_jobs(&mut app, cmds);
    app
}

#[test]
fn defaults_come_from_the_data_and_sliders_move_the_numbers() {
    let mut app = app_on("customers.csv");
    let st = &app.roi;
    assert_eq!(
        (st.econ.cost_per_contact, st.econ.revenue_per_response),
        (3.0, 11.0)
    );
    assert!(st.sources[0].contains("from the Z_CostContact column"));
    let t = st
        .targeting
        .as_ref()
        .expect("the first visit scores customers");
    assert_eq!(t.len(), 5000);
    let before = st.at_depth().unwrap();
    let s = screen(&app, 120, 40);
    assert!(s.contains("What this campaign is worth"), "{s}");
    assert!(s.contains("at depth 30.0 %       1,500"), "{s}");
    assert!(s.contains("break-even response rate 27.3 %"));
    // select the cost slider and raise it by 10 steps of 0.1 (one Shift step)
    update(&mut app, Action::BigRight);
    assert!((app.roi.econ.cost_per_contact - 4.0).abs() < 1e-9);
    let after = app.roi.at_depth().unwrap();
    assert_eq!(after.contacted, before.contacted);
    assert!(
        (after.cost - before.cost - 1500.0).abs() < 1e-6,
        "1,500 contacts × 1 more"
    );
    assert_eq!(
        app.roi.optimal.unwrap(),
        app.roi.targeting.as_ref().unwrap().optimal(&app.roi.econ),
        "the cached optimum follows"
    );
    let s2 = screen(&app, 120, 40);
    assert!(
        s2.contains("$4.00") && !s2.contains(&format!("{:>10}", "$4,500")),
        "the screen shows the new cost"
    );
    // depth slider: down to the last slider, then type 50 (%)
    for _ in 0..4 {
        update(&mut app, Action::Down);
    }
    update(&mut app, Action::Run);
    assert!(matches!(app.overlay, Overlay::Value { slider: 4, .. }));
    for c in "50".chars() {
        update(&mut app, Action::Input(c));
    }
    update(&mut app, Action::Submit);
    assert!((app.roi.depth - 0.5).abs() < 1e-12);
    assert_eq!(app.roi.at_depth().unwrap().contacted, 2500);
    update(&mut app, Action::Run);
    for c in "abc".chars() {
        update(&mut app, Action::Input(c));
    }
    update(&mut app, Action::Submit);
    assert!(app.status.clone().unwrap().text.contains("is not a number"));
}

#[test]
fn campaign_tables_get_channels_and_a_budget_plan() {
    let mut app = app_on("campaigns.csv");
    let r = app.roi.campaign.clone().expect("campaign mode");
    assert_eq!(r.channels.len(), 5);
    let total: f64 = app.roi.plan.iter().sum();
    update(&mut app, Action::Right);
    assert!(
        (app.roi.plan.iter().sum::<f64>() - total).abs() < 1e-6,
        "moving budget keeps the total"
    );
    assert!(app.roi.plan[0] > r.current[0]);
    update(&mut app, Action::AutoAllocate);
    assert_eq!(app.roi.plan, r.proposed);
    let (b, a) = app.roi.plan_totals().unwrap();
    assert!(
        a.conversions >= b.conversions,
        "the plan predicts at least as many conversions"
    );
    let s = screen(&app, 120, 40);
    assert!(s.contains("◀ best") && s.contains("◀ worst"), "{s}");
    assert!(s.contains("correlation, not cause"));
    update(&mut app, Action::ResetPlan);
    assert_eq!(app.roi.plan, r.current);
    // the exported chart: its title names the channel with the most conversions per extra dollar at
    // today's spend (a / (b + spend)), and no text leaves the image
    use plotters::prelude::*;
    let names: Vec<String> = r.channels.iter().map(|c| c.name.clone()).collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, campaign_lens::export::charts::SIZE)
            .into_drawing_area();
        campaign_lens::export::charts::draw_channel_curves(&root, &names, &r.curves, &r.current)
            .unwrap();
    }
    common::svg::text_fits(&svg, "channel_curves");
    let best = names
        .iter()
        .zip(&r.curves)
        .zip(&r.current)
        .filter_map(|((n, c), s)| c.as_ref().map(|c| (n, c.a / (c.b + s))))
        .max_by(|x, y| x.1.total_cmp(&y.1))
        .unwrap();
    assert!(
        svg.contains(&format!("{} returns the most per extra dollar", best.0)),
        "{}",
        best.0
    );
}

#[test]
fn roi_json_for_customers() {
    let f = sample("customers.csv");
    let v = cli_json(&[
        "roi",
        f.to_str().unwrap(),
        "--target",
        "Response",
        "--depth",
        "0.2",
        "--json",
    ]);
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "at_depth",
            "base_rate",
            "break_even_rate",
            "cost_per_contact",
            "curve",
            "everyone",
            "optimal",
            "revenue_per_response"
        ]
    );
    assert_eq!(v["cost_per_contact"], 3.0);
    assert!((v["break_even_rate"].as_f64().unwrap() - 3.0 / 11.0).abs() < 1e-12);
    assert_eq!(v["at_depth"]["contacted"], 1000);
    let everyone = &v["everyone"];
    assert_eq!(everyone["contacted"], 5000);
    assert_eq!(everyone["cost"], 15000.0);
    let curve = v["curve"].as_array().unwrap();
    assert!(curve.len() >= 20);
    let best = v["optimal"]["profit"].as_f64().unwrap();
    assert!(
        curve
            .iter()
            .all(|p| p["profit"].as_f64().unwrap() <= best + 1e-6),
        "the optimum beats every curve point"
    );
    // profit = revenue − cost, ROI = profit / cost
    let o = &v["optimal"];
    let (c, r, p) = (
        o["cost"].as_f64().unwrap(),
        o["revenue"].as_f64().unwrap(),
        o["profit"].as_f64().unwrap(),
    );
    assert!((r - c - p).abs() < 1e-6 && (o["roi"].as_f64().unwrap() - p / c).abs() < 1e-9);
}

#[test]
fn roi_json_for_campaigns() {
    let f = sample("campaigns.csv");
    let v = cli_json(&["roi", f.to_str().unwrap(), "--campaigns", "--json"]);
    let ch = v["channels"].as_array().unwrap();
    assert_eq!(ch.len(), 5);
    let email = &ch[0];
    assert_eq!(email["name"], "Email");
    // CPA and ROAS recomputed from the channel's own totals
    let (s, conv) = (
        email["spend"].as_f64().unwrap(),
        email["conversions"].as_f64().unwrap(),
    );
    assert!((email["cpa"].as_f64().unwrap() - s / conv).abs() < 1e-9);
    assert!(email["curve"]["a"].is_number() && email["curve"]["b"].is_number());
    let alloc = v["allocation"].as_array().unwrap();
    let cur: f64 = alloc.iter().map(|a| a["current"].as_f64().unwrap()).sum();
    let pro: f64 = alloc.iter().map(|a| a["proposed"].as_f64().unwrap()).sum();
    assert!((cur - pro).abs() < 1e-3, "the total budget is kept");
    let out = Bin::cargo_bin("campaign-lens")
        .unwrap()
        .args(["roi", f.to_str().unwrap(), "--campaigns", "--group", "Nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no column named \"Nope\""));
    let out = Bin::cargo_bin("campaign-lens")
        .unwrap()
        .args([
            "roi",
            sample("customers.csv").to_str().unwrap(),
            "--cost-per-contact=-1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cost per contact must not be negative"));
}
