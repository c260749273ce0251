//! Coverage of the 90% bootstrap intervals over 20 synthetic data sets (156 weeks, 4 channels).
//!
//! Measured (release and debug agree; the code is deterministic):
//! - full procedure (searched hyperparameters): effect share 0.50, ROAS 0.49, KPI change of the
//!   proposed budget 11/20 = 0.55. The bootstrap holds the hyperparameters at the chosen values, so
//!   their (dominant) uncertainty is missing and the intervals are too narrow.
//! - with the true hyperparameters (same bootstrap): share 0.86, ROAS 0.74, change 18/20. This checks
//!   the resampling itself; ROAS falls short of 0.90 because ridge shrinkage biases β down.
//!
//! The floors below sit well under the measurements but far above what a broken bootstrap (e.g. all
//! replicates identical, or rows not resampled) gives: 0.

use campaign_lens::analysis::mix::fit::{fit_with, Problem};
use campaign_lens::analysis::mix::interval::bootstrap;
use campaign_lens::analysis::mix::synth::{generate, SynthSpec};
use campaign_lens::analysis::mix::{fit_mix, optimize_budget, BudgetOptions, MixConfig};

#[derive(Default)]
struct Tally {
    share: usize,
    roas: usize,
    change: usize,
    channels: usize,
    plans: usize,
}

#[test]
fn interval_coverage_over_20_seeds() {
    let (mut full, mut oracle) = (Tally::default(), Tally::default());
    for seed in 1..=20 {
        let s = generate(&SynthSpec::standard(156, 4, seed));
        let config = MixConfig {
            seed,
            ..MixConfig::default()
        };
        let m = fit_mix(&s.data, &config).expect("fit");
        for (c, ch) in m.channels.iter().enumerate() {
            full.share += ch.effect_share_interval.contains(s.truth.effect_share[c]) as usize;
            full.roas += ch.roas_interval.contains(s.truth.roas[c]) as usize;
            full.channels += 1;
        }
        let plan = optimize_budget(&m, &BudgetOptions::default()).expect("plan");
        let true_change: f64 = s
            .truth
            .curves
            .iter()
            .zip(&plan.channels)
            .map(|(c, p)| c.response(p.proposed_spend / p.current_spend) - c.response(1.0))
            .sum();
        full.change += plan
            .kpi_change_interval
            .is_some_and(|iv| iv.contains(true_change)) as usize;
        full.plans += 1;

        // Same bootstrap around the true hyperparameters.
        let problem = Problem::new(&s.data, &config).expect("valid");
        let fit = fit_with(&problem, &s.truth.hyper).expect("fit");
        let boot = bootstrap(&problem, &fit, &config.bootstrap, seed).expect("bootstrap");
        let shares = boot.share_intervals(&fit.curves);
        let roas = boot.roas_intervals(&fit.curves);
        for c in 0..4 {
            oracle.share += shares[c].contains(s.truth.effect_share[c]) as usize;
            oracle.roas += roas[c].contains(s.truth.roas[c]) as usize;
            oracle.channels += 1;
        }
        let k: Vec<f64> = plan
            .channels
            .iter()
            .map(|p| p.proposed_spend / p.current_spend)
            .collect();
        let true_change: f64 = s
            .truth
            .curves
            .iter()
            .zip(&k)
            .map(|(c, &k)| c.response(k) - c.response(1.0))
            .sum();
        oracle.change += boot.change_interval(&fit.curves, &k).contains(true_change) as usize;
        oracle.plans += 1;
    }
    let rate = |hits: usize, n: usize| hits as f64 / n as f64;
    let f = (
        rate(full.share, full.channels),
        rate(full.roas, full.channels),
        rate(full.change, full.plans),
    );
    let o = (
        rate(oracle.share, oracle.channels),
        rate(oracle.roas, oracle.channels),
        rate(oracle.change, oracle.plans),
    );
    println!("coverage full {f:?} oracle {o:?}");
    assert!(
        f.0 >= 0.3 && f.1 >= 0.3 && f.2 >= 0.3,
        "full procedure {f:?}"
    );
    assert!(
        o.0 >= 0.75 && o.1 >= 0.6 && o.2 >= 0.65,
        "true hyperparameters {o:?}"
    );
}
