//! Budget optimiser: bounds and total respected, never below the current split, and optimal against
//! independent solutions (water-filling for concave curves, a brute-force grid for S-curves).

use campaign_lens::analysis::mix::interval::Bootstrap;
use campaign_lens::analysis::mix::optimize::{optimize_curves, BudgetOptions, Objective};
use campaign_lens::analysis::mix::transform::ResponseCurve;
use campaign_lens::analysis::mix::MixError;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

fn curve(
    rng: &mut Xoshiro256PlusPlus,
    weeks: usize,
    alpha: f64,
    gamma: f64,
    beta: f64,
    spend: f64,
) -> ResponseCurve {
    ResponseCurve {
        name: format!("c{alpha}"),
        z: (0..weeks).map(|_| rng.gen::<f64>()).collect(),
        alpha,
        gamma,
        beta,
        spend,
    }
}

/// Finite-difference slope of the response in spend (independent of the analytic derivative).
fn slope(c: &ResponseCurve, s: f64) -> f64 {
    let h = 1e-6 * c.spend;
    (c.response((s + h) / c.spend) - c.response((s - h) / c.spend)) / (2.0 * h)
}

/// Water-filling for concave curves: bisection on the common marginal return ν.
fn water_fill(curves: &[ResponseCurve], lo: f64, hi: f64, budget: f64) -> Vec<f64> {
    let at = |nu: f64| -> Vec<f64> {
        curves
            .iter()
            .map(|c| {
                let (mut a, mut b) = (lo * c.spend, hi * c.spend);
                if slope(c, a) <= nu {
                    return a;
                }
                if slope(c, b) >= nu {
                    return b;
                }
                for _ in 0..100 {
                    let m = 0.5 * (a + b);
                    if slope(c, m) > nu {
                        a = m;
                    } else {
                        b = m;
                    }
                }
                0.5 * (a + b)
            })
            .collect()
    };
    let (mut a, mut b) = (0.0, 1e3);
    for _ in 0..100 {
        let m = 0.5 * (a + b);
        if at(m).iter().sum::<f64>() > budget {
            a = m;
        } else {
            b = m;
        }
    }
    at(0.5 * (a + b))
}

fn kpi(curves: &[ResponseCurve], spend: &[f64]) -> f64 {
    curves
        .iter()
        .zip(spend)
        .map(|(c, s)| c.response(s / c.spend))
        .sum()
}

#[test]
fn concave_curves_reach_the_water_filling_optimum() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let curves: Vec<ResponseCurve> = [
        (0.5, 0.4, 900.0, 1000.0),
        (0.7, 0.3, 500.0, 300.0),
        (0.9, 0.6, 1200.0, 800.0),
        (1.0, 0.5, 300.0, 600.0),
        (0.6, 0.8, 700.0, 400.0),
    ]
    .iter()
    .map(|&(a, g, b, s)| curve(&mut rng, 40, a, g, b, s))
    .collect();
    let plan = optimize_curves(&curves, 0.0, None, &BudgetOptions::default()).expect("plan");
    let wf = water_fill(&curves, 0.7, 1.3, 3100.0);
    let proposed: Vec<f64> = plan.channels.iter().map(|c| c.proposed_spend).collect();
    let (ours, theirs) = (kpi(&curves, &proposed), kpi(&curves, &wf));
    assert!(ours >= theirs - 1e-7 * theirs, "{ours} < {theirs}");
    for (p, w) in proposed.iter().zip(&wf) {
        assert!((p - w).abs() < 1e-4 * w, "{proposed:?} vs {wf:?}");
    }
    // Interior channels end at (nearly) equal marginal ROAS.
    let interior: Vec<f64> = plan
        .channels
        .iter()
        .filter(|c| {
            c.proposed_spend > c.min_spend * 1.001 && c.proposed_spend < c.max_spend * 0.999
        })
        .map(|c| c.proposed_marginal_roas)
        .collect();
    assert!(interior.len() >= 2, "{interior:?}");
    let (mn, mx) = interior
        .iter()
        .fold((f64::INFINITY, 0.0_f64), |(a, b), &v| (a.min(v), b.max(v)));
    assert!(mx - mn < 1e-3 * mx, "{interior:?}");
}

#[test]
fn s_curves_match_a_brute_force_grid() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
    let curves: Vec<ResponseCurve> = [
        (2.5, 0.5, 800.0, 500.0),
        (3.0, 0.7, 1500.0, 400.0),
        (1.5, 0.4, 600.0, 600.0),
    ]
    .iter()
    .map(|&(a, g, b, s)| curve(&mut rng, 25, a, g, b, s))
    .collect();
    let opts = BudgetOptions {
        lo: 0.2,
        hi: 3.0,
        ..BudgetOptions::default()
    };
    let plan = optimize_curves(&curves, 0.0, None, &opts).expect("plan");
    let budget = 1500.0;
    let mut best = f64::NEG_INFINITY;
    let n = 300;
    for i in 0..=n {
        for j in 0..=n {
            let s1 = 100.0 + (1500.0 - 100.0) * i as f64 / n as f64;
            let s2 = 80.0 + (1200.0 - 80.0) * j as f64 / n as f64;
            let s3 = budget - s1 - s2;
            if (120.0..=1800.0).contains(&s3) {
                best = best.max(kpi(&curves, &[s1, s2, s3]));
            }
        }
    }
    let proposed: Vec<f64> = plan.channels.iter().map(|c| c.proposed_spend).collect();
    let ours = kpi(&curves, &proposed);
    assert!(
        ours >= best - 1e-9 * best,
        "optimiser {ours} below grid {best} at {proposed:?}"
    );
    assert!((proposed.iter().sum::<f64>() - budget).abs() < 1e-9 * budget);
}

#[test]
fn random_instances_respect_bounds_total_and_never_lose() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    for case in 0..40 {
        let k = rng.gen_range(2..7);
        let curves: Vec<ResponseCurve> = (0..k)
            .map(|_| {
                let (a, g) = (rng.gen_range(0.5..3.0), rng.gen_range(0.3..1.0));
                let (b, s) = (rng.gen_range(10.0..2000.0), rng.gen_range(10.0..1000.0));
                curve(&mut rng, 30, a, g, b, s)
            })
            .collect();
        let bounds: Vec<(f64, f64)> = (0..k)
            .map(|_| (rng.gen_range(0.3..1.0), rng.gen_range(1.0..2.0)))
            .collect();
        let factor = [1.0, 1.1, 0.9][case % 3];
        let total: f64 = curves.iter().map(|c| c.spend).sum::<f64>() * factor;
        let min: f64 = curves.iter().zip(&bounds).map(|(c, b)| c.spend * b.0).sum();
        let max: f64 = curves.iter().zip(&bounds).map(|(c, b)| c.spend * b.1).sum();
        let opts = BudgetOptions {
            total: Some(total),
            bounds: Some(bounds.clone()),
            seed: case as u64,
            ..BudgetOptions::default()
        };
        let result = optimize_curves(&curves, 100.0, None, &opts);
        if total < min || total > max {
            assert!(
                matches!(result, Err(MixError::InfeasibleBudget { .. })),
                "case {case}"
            );
            continue;
        }
        let plan = result.expect("feasible");
        let sum: f64 = plan.channels.iter().map(|c| c.proposed_spend).sum();
        assert!(
            (sum - total).abs() <= 1e-9 * total,
            "case {case}: {sum} vs {total}"
        );
        for (c, b) in plan.channels.iter().zip(&bounds) {
            let (l, h) = (b.0 * c.current_spend, b.1 * c.current_spend);
            assert!(
                c.proposed_spend >= l * (1.0 - 1e-12) && c.proposed_spend <= h * (1.0 + 1e-12),
                "case {case}"
            );
        }
        let proposed: Vec<f64> = plan.channels.iter().map(|c| c.proposed_spend).collect();
        assert!(
            (plan.kpi_proposed - 100.0 - kpi(&curves, &proposed)).abs() < 1e-9 * plan.kpi_proposed
        );
        if factor == 1.0 {
            assert!(plan.kpi_proposed >= plan.kpi_current, "case {case}");
        }
        // Whatever the budget, the plan beats the current split scaled to it (when that is feasible).
        let scaled: Vec<f64> = curves.iter().map(|c| c.spend * factor).collect();
        if bounds.iter().all(|b| b.0 <= factor && factor <= b.1) {
            assert!(
                plan.kpi_proposed - 100.0 >= kpi(&curves, &scaled) - 1e-12,
                "case {case}"
            );
        }
    }
}

#[test]
fn profit_objective_stops_spending_when_it_does_not_pay() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(4);
    let curves: Vec<ResponseCurve> = [(0.6, 0.4, 300.0, 1000.0), (0.9, 0.5, 200.0, 500.0)]
        .iter()
        .map(|&(a, g, b, s)| curve(&mut rng, 30, a, g, b, s))
        .collect();
    // Concave: marginal returns are highest at the lower bound; a margin below 1/max marginal means no
    // extra spend pays, so the optimum is every channel at its lower bound.
    let top = curves
        .iter()
        .map(|c| slope(c, 0.7 * c.spend))
        .fold(0.0, f64::max);
    let opts = BudgetOptions {
        objective: Objective::Profit { margin: 0.5 / top },
        ..BudgetOptions::default()
    };
    let plan = optimize_curves(&curves, 0.0, None, &opts).expect("plan");
    for c in &plan.channels {
        assert!(
            (c.proposed_spend - 0.7 * c.current_spend).abs() < 1e-6 * c.current_spend,
            "{c:?}"
        );
    }
    let (pc, pp) = (
        plan.profit_current.unwrap_or(f64::NAN),
        plan.profit_proposed.unwrap_or(f64::NAN),
    );
    assert!(pp >= pc, "{pp} < {pc}");
    // A huge margin: every unit pays, so the whole budget is spent (as for the KPI objective).
    let opts = BudgetOptions {
        objective: Objective::Profit { margin: 1e6 },
        ..BudgetOptions::default()
    };
    let plan = optimize_curves(&curves, 0.0, None, &opts).expect("plan");
    assert!((plan.total_proposed - 1500.0).abs() < 1e-6 * 1500.0);
}

#[test]
fn kpi_change_interval_scales_with_the_coefficient_draws() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    let curves: Vec<ResponseCurve> = [(0.8, 0.4, 300.0, 1000.0), (1.2, 0.5, 500.0, 500.0)]
        .iter()
        .map(|&(a, g, b, s)| curve(&mut rng, 30, a, g, b, s))
        .collect();
    let betas: Vec<f64> = curves.iter().map(|c| c.beta).collect();
    // Draws of exactly β and 2β: the change is linear in β, so the 90% interval is [Δ, 2Δ] up to the
    // interpolation between the two draws (5th/95th percentiles of {Δ, 2Δ} = 1.05Δ, 1.95Δ).
    let boot = Bootstrap {
        draws: vec![betas.clone(), betas.iter().map(|b| 2.0 * b).collect()],
        block_len: 4,
        level: 0.9,
    };
    let plan = optimize_curves(&curves, 0.0, Some(&boot), &BudgetOptions::default()).expect("plan");
    let d = plan.kpi_change;
    assert!(d > 0.0);
    let iv = plan.kpi_change_interval.expect("interval");
    assert!(
        (iv.lo - 1.05 * d).abs() < 1e-9 * d && (iv.hi - 1.95 * d).abs() < 1e-9 * d,
        "{iv:?} vs {d}"
    );
}

#[test]
fn bad_options_are_rejected() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(6);
    let curves = vec![curve(&mut rng, 10, 1.0, 0.5, 100.0, 100.0)];
    let wrong = BudgetOptions {
        bounds: Some(vec![(0.5, 1.5), (0.5, 1.5)]),
        ..BudgetOptions::default()
    };
    assert_eq!(
        optimize_curves(&curves, 0.0, None, &wrong),
        Err(MixError::ChannelCount {
            got: 2,
            expected: 1
        })
    );
    let inverted = BudgetOptions {
        lo: 1.5,
        hi: 0.5,
        ..BudgetOptions::default()
    };
    assert!(matches!(
        optimize_curves(&curves, 0.0, None, &inverted),
        Err(MixError::InvalidSetting { .. })
    ));
    let too_big = BudgetOptions {
        total: Some(1000.0),
        ..BudgetOptions::default()
    };
    let err = optimize_curves(&curves, 0.0, None, &too_big).expect_err("infeasible");
    assert!(matches!(err, MixError::InfeasibleBudget { .. }));
    assert!(err.to_string().contains("70.00 to 130.00"), "{err}");
}
