//! `campaign-lens bench mix`: the marketing-mix model's search, final fit, bootstrap and budget plan on
//! generated weeks with a known truth (the speed bar: 208 weeks x 10 channels under 30 s on 2 cores).

use std::time::Instant;

use crate::analysis::mix::synth::{generate, SynthSpec};
use crate::analysis::mix::{fit_mix, optimize_budget, BudgetOptions, MixConfig};
use crate::cli::{CliResult, UserError};

pub fn mix(weeks: usize, channels: usize, seed: u64) -> CliResult {
    let s = generate(&SynthSpec::standard(weeks, channels, seed));
    let start = Instant::now();
    let model = fit_mix(&s.data, &MixConfig::default()).map_err(|e| UserError(e.to_string()))?;
    let fitted = start.elapsed().as_secs_f64();
    let plan =
        optimize_budget(&model, &BudgetOptions::default()).map_err(|e| UserError(e.to_string()))?;
    let total = start.elapsed().as_secs_f64();
    println!(
        "mix {weeks} weeks x {channels} channels: search + fit + bootstrap {fitted:.2} s ({} evaluations, \
         {} bootstrap fits), with the budget plan {total:.2} s on {} threads; modelled KPI {:.0} -> {:.0}",
        model.search.evaluations,
        model.bootstrap.draws.len(),
        rayon::current_num_threads(),
        plan.kpi_current,
        plan.kpi_proposed
    );
    Ok(())
}
