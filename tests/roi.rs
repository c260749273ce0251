//! Targeting economics and channel budgets, checked by hand.

use campaign_lens::analysis::money::channels::*;
use campaign_lens::analysis::money::roi::*;

fn econ(budget: Option<f64>) -> Economics {
    Economics {
        cost_per_contact: 1.0,
        revenue_per_response: 2.0,
        fixed_cost: 0.5,
        budget,
    }
}

#[test]
fn profit_at_each_depth_by_hand() {
    // scores 0.9, 0.6, 0.3, 0.1; cost 1 per contact, 2 per response, 0.5 fixed
    let t = Targeting::new(&[0.3, 0.9, 0.1, 0.6], Some(&[false, true, false, true])).unwrap();
    let e = econ(None);
    // profit(c) = 2·cum(c) − 0.5 − c: -0.5, 0.3, 0.5, 0.1, -0.7
    let expected = [-0.5, 0.3, 0.5, 0.1, -0.7];
    for (c, p) in expected.iter().enumerate() {
        assert!((t.at_count(&e, c).profit - p).abs() < 1e-12, "c = {c}");
    }
    let best = t.optimal(&e);
    assert_eq!(best.contacted, 2);
    assert!((best.profit - 0.5).abs() < 1e-12);
    assert!((best.roi.unwrap() - 0.2).abs() < 1e-12, "(3 − 2.5) / 2.5");
    assert!((best.cpa.unwrap() - 2.5 / 1.5).abs() < 1e-12);
    assert_eq!(best.observed_responses, Some(2.0));
    assert_eq!(e.break_even_rate(), 0.5);
    let half = t.at_depth(&e, 0.5);
    assert_eq!(half.contacted, 2);
    // random 2 of 4 at the base rate 1.9 / 4
    let r = t.random_same_size(&e, 2);
    assert!((r.expected_responses - 0.95).abs() < 1e-12 && (r.profit - -0.6).abs() < 1e-12);
    // the next customer at depth 0.5 scores 0.3: 2 × 0.3 / 1 − 1 = −0.4
    assert!((t.marginal_roi(&e, 0.5).unwrap() - -0.4).abs() < 1e-12);
    let curve = t.curve(&e, 21);
    assert_eq!(curve.len(), 21);
    assert_eq!(curve[0], (0.0, -0.5));
    assert!((curve[20].1 - -0.7).abs() < 1e-12);
}

#[test]
fn a_binding_budget_caps_the_contacts() {
    let t = Targeting::new(&[0.9, 0.6, 0.3, 0.1], None).unwrap();
    // budget 2.0 − fixed 0.5 = 1.5 → one contact
    let e = econ(Some(2.0));
    let all = t.at_depth(&e, 1.0);
    assert_eq!(all.contacted, 1);
    assert!(all.budget_limited);
    assert_eq!(t.optimal(&e).contacted, 1);
}

#[test]
fn invalid_inputs_are_errors() {
    assert_eq!(Targeting::new(&[], None).unwrap_err(), RoiError::Empty);
    assert_eq!(
        Targeting::new(&[0.2, 1.5], None).unwrap_err(),
        RoiError::BadScore(1.5, 1)
    );
    assert_eq!(
        Targeting::new(&[0.2], Some(&[true, false])).unwrap_err(),
        RoiError::Length(2, 1)
    );
    let e = Economics {
        cost_per_contact: -1.0,
        ..econ(None)
    };
    assert_eq!(
        e.check().unwrap_err(),
        RoiError::Negative("cost per contact")
    );
}

#[test]
fn groups_are_ranked_by_profit() {
    let scores = [0.5, 0.5, 0.1, 0.1, 0.9];
    let groups = [Some(0), Some(0), Some(1), Some(1), None];
    let g = by_group(&scores, &groups, &["A".into(), "B".into()], &econ(None));
    // A: 2 × 1.0 − 2 = 0; B: 2 × 0.2 − 2 = −1.6
    assert_eq!(g[0].name, "A");
    assert!((g[0].profit - 0.0).abs() < 1e-12 && (g[1].profit - -1.6).abs() < 1e-12);
    assert!((g[1].cumulative_profit - (-0.5 + 0.0 - 1.6)).abs() < 1e-12);
}

fn lcg(n: usize) -> Vec<f64> {
    let mut s = 5u64;
    (0..n)
        .map(|_| {
            s = (1_664_525 * s + 1_013_904_223) % (1 << 32);
            s as f64 / (1u64 << 32) as f64
        })
        .collect()
}

#[test]
fn the_curve_fit_recovers_known_parameters() {
    let spend: Vec<f64> = (0..40).map(|i| 1000.0 + 1000.0 * i as f64).collect();
    let exact: Vec<f64> = spend
        .iter()
        .map(|s| 500.0 * (1.0 + s / 8000.0).ln())
        .collect();
    let c = fit_curve(&spend, &exact).unwrap();
    assert!(
        (c.a - 500.0).abs() < 0.5 && (c.b - 8000.0).abs() < 10.0,
        "{c:?}"
    );
    assert!(c.r2 > 0.999_999);
    // ±5 % multiplicative noise: still close
    let u = lcg(40);
    let noisy: Vec<f64> = exact
        .iter()
        .zip(&u)
        .map(|(y, u)| y * (0.95 + 0.1 * u))
        .collect();
    let c = fit_curve(&spend, &noisy).unwrap();
    assert!(
        (c.a / 500.0 - 1.0).abs() < 0.15 && (c.b / 8000.0 - 1.0).abs() < 0.3,
        "{c:?}"
    );
    assert!(
        fit_curve(&[1.0, 1.0, 1.0], &[2.0, 3.0, 4.0]).is_none(),
        "no spread in spend"
    );
    assert!(
        fit_curve(&[1.0, 2.0], &[2.0, 3.0]).is_none(),
        "too few rows"
    );
}

#[test]
fn allocation_equalises_marginal_returns_and_keeps_the_total() {
    let curves = [
        Curve {
            a: 1000.0,
            b: 5000.0,
            r2: 1.0,
        },
        Curve {
            a: 500.0,
            b: 10_000.0,
            r2: 1.0,
        },
    ];
    let current = [10_000.0, 10_000.0];
    let p = allocate(&curves, &current, 20_000.0, 1.0).unwrap();
    assert!((p.iter().sum::<f64>() - 20_000.0).abs() < 1e-6);
    // within ±100 %: 1000/(5000+s1) = 500/(10000+s2), s1+s2 = 20000 → 1500·s1 = 27.5M → s1 = 18,333.3
    assert!((p[0] - 55_000.0 / 3.0).abs() < 1e-3, "{p:?}");
    assert!((curves[0].marginal(p[0]) - curves[1].marginal(p[1])).abs() < 1e-9);
    let before = predict_totals(&curves, &current, 10.0);
    let after = predict_totals(&curves, &p, 10.0);
    assert!(after.conversions > before.conversions);
    // bounds bind: within ±50 % (the default) the first channel stops at 15,000
    let p = allocate(&curves, &current, 20_000.0, 0.5).unwrap();
    assert!(
        (p[0] - 15_000.0).abs() < 1e-6 && (p[1] - 5_000.0).abs() < 1e-6,
        "{p:?}"
    );
    assert!(allocate(&curves, &current, 50_000.0, 0.5).is_err());
}

#[test]
fn channel_metrics_by_hand() {
    let row = |g: &str, s, i, c, v, r| CampaignRow {
        group: g.into(),
        spend: s,
        impressions: Some(i),
        clicks: Some(c),
        conversions: Some(v),
        revenue: Some(r),
    };
    let t = channel_table(&[
        row("Email", 100.0, 10_000.0, 200.0, 10.0, 500.0),
        row("Email", 300.0, 30_000.0, 600.0, 30.0, 700.0),
        row("Search", 1000.0, 5_000.0, 250.0, 25.0, 800.0),
    ])
    .unwrap();
    let e = &t[0];
    assert_eq!((e.campaigns, e.spend), (2, 400.0));
    assert_eq!(e.cpc, Some(0.5)); // 400 / 800
    assert_eq!(e.ctr, Some(0.02)); // 800 / 40,000
    assert_eq!(e.conversion_rate, Some(0.05)); // 40 / 800
    assert_eq!(e.cpa, Some(10.0)); // 400 / 40
    assert_eq!(e.roas, Some(3.0)); // 1,200 / 400
    assert_eq!(e.roi, Some(2.0)); // (1,200 − 400) / 400
    assert_eq!(t[1].roi, Some(-0.2));
    let missing = CampaignRow {
        group: "X".into(),
        spend: 10.0,
        impressions: None,
        clicks: None,
        conversions: None,
        revenue: None,
    };
    let t = channel_table(&[missing]).unwrap();
    assert_eq!((t[0].cpc, t[0].roas), (None, None));
}

#[test]
fn attribute_effects_recover_a_known_model() {
    // y = 1 + 2·[type = b] − 0.5·[aud = q]
    let mut attrs = Vec::new();
    let mut y = Vec::new();
    for t in ["a", "b"] {
        for a in ["p", "q"] {
            for _ in 0..3 {
                attrs.push(vec![t.to_string(), a.to_string()]);
                y.push(1.0 + if t == "b" { 2.0 } else { 0.0 } - if a == "q" { 0.5 } else { 0.0 });
            }
        }
    }
    let e = attribute_effects(&attrs, &["type".into(), "aud".into()], &y).unwrap();
    assert_eq!(e.len(), 2);
    assert!((e[0].effect - 2.0).abs() < 1e-6 && e[0].level == "b" && e[0].reference == "a");
    assert!((e[1].effect - -0.5).abs() < 1e-6 && e[1].n == 6);
}
