//! Chart titles that state the finding ("The best 17 % of customers earn $1,831"), in one place so the
//! charts, the report and the deck say the same thing.

use crate::analysis::models::metrics::Decile;
use crate::analysis::money::roi::Outcome;
use crate::analysis::personas::persona::Persona;
use crate::analysis::segments::segment::Sweep;
use crate::fmt::{money, pct};

/// What the positives are called in a title: "responders", "leavers", or "customers with y = yes".
pub fn positives_noun(label: &str, positive: &str) -> String {
    let l = label.to_lowercase();
    if ["churn", "attrition", "exited", "left", "cancel"]
        .iter()
        .any(|w| l.contains(w))
    {
        "leavers".into()
    } else if ["response", "respond", "accepted", "convert"]
        .iter()
        .any(|w| l.contains(w))
        || (l == "y" && positive.eq_ignore_ascii_case("yes"))
    {
        "responders".into()
    } else if ["bought_again", "repeat", "returned"]
        .iter()
        .any(|w| l.contains(w))
    {
        "repeat buyers".into()
    } else if positive.is_empty() {
        format!("{label} positives")
    } else {
        format!("customers with {label} = {positive}")
    }
}

/// The elbow chart: how many segments and why.
pub fn elbow(sweep: &Sweep, chosen: usize) -> String {
    let v = &sweep.verdict;
    let sil = sweep
        .points
        .iter()
        .find(|p| p.k == chosen)
        .and_then(|p| p.silhouette);
    if v.clear && v.elbow_k == Some(chosen) {
        format!("{chosen} segments: past k = {chosen}, more groups add little")
    } else if v.silhouette_k == Some(chosen) {
        match sil {
            Some(s) => format!("{chosen} segments: the best-separated split (silhouette {s:.2})"),
            None => format!("{chosen} segments: the best-separated split"),
        }
    } else {
        format!("{chosen} segments, as set")
    }
}

/// The rate over all personas, weighted by size.
pub fn overall_rate(personas: &[Persona]) -> Option<f64> {
    let n: usize = personas.iter().map(|p| p.size).sum();
    let hits: f64 = personas
        .iter()
        .map(|p| p.target_rate.map(|r| r * p.size as f64))
        .sum::<Option<f64>>()?;
    (n > 0).then(|| hits / n as f64)
}

/// Personas this small are left out of "the best persona" when a larger one exists: a rate on a handful of
/// customers is not a plan.
pub const MIN_BEST_SHARE: f64 = 0.05;

/// The persona with the highest target rate (among those holding at least 5 % of customers), else the
/// largest.
pub fn best_persona(personas: &[Persona]) -> Option<&Persona> {
    if personas.iter().all(|p| p.target_rate.is_some()) {
        let big = personas.iter().any(|p| p.share >= MIN_BEST_SHARE);
        personas
            .iter()
            .filter(|p| !big || p.share >= MIN_BEST_SHARE)
            .max_by(|a, b| {
                a.target_rate
                    .partial_cmp(&b.target_rate)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(b.id.cmp(&a.id))
            })
    } else {
        personas
            .iter()
            .max_by_key(|p| (p.size, std::cmp::Reverse(p.id)))
    }
}

/// The persona chart: who stands out.
pub fn personas(personas: &[Persona], noun: &str) -> String {
    let Some(best) = best_persona(personas) else {
        return "No personas".into();
    };
    match (best.target_rate, overall_rate(personas)) {
        (Some(r), Some(all)) => format!(
            "{}: {} are {noun}, against {} overall",
            best.name,
            pct(r),
            pct(all)
        ),
        _ => format!(
            "{} is the largest group: {} of customers",
            best.name,
            pct(best.share)
        ),
    }
}

/// The model's quality in one word.
pub fn quality(auc: f64) -> &'static str {
    match auc {
        a if a >= 0.9 => "excellent",
        a if a >= 0.8 => "good",
        a if a >= 0.7 => "fair",
        a if a >= 0.6 => "weak",
        _ => "barely better than chance",
    }
}

/// The ROC chart.
pub fn roc(auc: f64) -> String {
    format!(
        "A {} model: it ranks the right customer first {:.0} % of the time (AUC {auc:.3})",
        quality(auc),
        auc * 100.0
    )
}

/// The gains chart.
pub fn gains(deciles: &[Decile], noun: &str) -> String {
    match deciles.first() {
        Some(d) => format!(
            "The top-scored 10 % hold {:.0} % of the {noun}: {:.1}× a random 10 %",
            d.captured * 100.0,
            d.lift
        ),
        None => "Cumulative gains".into(),
    }
}

/// The profit chart.
pub fn profit(best: &Outcome, symbol: &str) -> String {
    if best.contacted == 0 || best.profit <= 0.0 {
        "No targeting depth makes a profit at these prices".into()
    } else {
        format!(
            "The best {:.0} % of customers earn {}",
            best.depth * 100.0,
            money(best.profit, symbol)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nouns_follow_the_target() {
        assert_eq!(positives_noun("Churn", "Yes"), "leavers");
        assert_eq!(positives_noun("Response", "1"), "responders");
        assert_eq!(positives_noun("y", "yes"), "responders");
        assert_eq!(
            positives_noun("Complain", "1"),
            "customers with Complain = 1"
        );
    }

    #[test]
    fn the_profit_title_states_the_best_depth() {
        let best = Outcome {
            depth: 0.1718,
            contacted: 859,
            profit: 1830.6,
            ..Default::default()
        };
        assert_eq!(profit(&best, "$"), "The best 17 % of customers earn $1,831");
        let none = Outcome::default();
        assert!(profit(&none, "$").starts_with("No targeting depth"));
        assert_eq!(quality(0.812), "good");
        assert!(roc(0.812).contains("81 % of the time (AUC 0.812)"));
    }
}
