//! A persona's strategy (channel, deal sensitivity, categories, offer, message) and each customer's next-best
//! category.

use serde::Serialize;

use crate::analysis::personas::vocabulary::{ChannelWords, PersonaError, ProfileInput, Vocabulary};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Strategy {
    pub channel: Option<String>,
    /// Share of purchases per channel (web, catalog, store) for this persona and overall.
    pub channel_shares: Vec<(String, f64, f64)>,
    pub deal_sensitivity: Option<String>,
    /// Categories with share-of-wallet index above 110 (100 = average), highest first.
    pub over_indexed: Vec<(String, f64)>,
    pub offer: String,
    pub message: String,
}

pub(crate) fn strategy(
    input: &ProfileInput,
    c: usize,
    vocab: &Vocabulary,
    z_of: &dyn Fn(&str) -> Option<f64>,
) -> Strategy {
    let means = &input.cluster_means[c];
    let find = |lower: &str| {
        input
            .columns
            .iter()
            .position(|n| n.to_ascii_lowercase() == lower)
    };
    let mut shares = Vec::new();
    let mut chan_cols: Vec<(&String, &ChannelWords)> = vocab.channels.iter().collect();
    chan_cols.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let present: Vec<(String, usize)> = chan_cols
        .iter()
        .filter_map(|(col, w)| find(col).map(|j| (w.name.clone(), j)))
        .collect();
    let (tot, otot): (f64, f64) = (
        present.iter().map(|p| means[p.1]).sum(),
        present.iter().map(|p| input.overall_mean[p.1]).sum(),
    );
    for (name, j) in &present {
        shares.push((name.clone(), means[*j] / tot, input.overall_mean[*j] / otot));
    }
    let channel = shares
        .iter()
        .filter(|s| s.1.is_finite() && s.2 > 0.0)
        .max_by(|a, b| (a.1 / a.2).total_cmp(&(b.1 / b.2)))
        .map(|s| {
            format!(
                "{} ({:.0} % of purchases, index {:.0})",
                s.0,
                s.1 * 100.0,
                100.0 * s.1 / s.2
            )
        });
    let deal_index = match (find("numdealspurchases"), find("purchases")) {
        (Some(d), Some(p)) => Some((
            means[d] / means[p],
            input.overall_mean[d] / input.overall_mean[p],
        )),
        _ => None,
    };
    let deal_sensitivity = deal_index
        .filter(|d| d.0.is_finite() && d.1 > 0.0)
        .map(|(s, o)| {
            let level = if s / o >= 1.2 {
                "high"
            } else if s / o <= 0.8 {
                "low"
            } else {
                "average"
            };
            format!(
                "{level}: {:.0} % of purchases on deals vs {:.0} % overall",
                s * 100.0,
                o * 100.0
            )
        });
    // in the table's column order: the vocabulary is a hash map, and its order would change the sums'
    // last digits (and the pick among ties) from run to run
    let mut cats: Vec<(String, usize)> = vocab
        .categories
        .iter()
        .filter_map(|(col, name)| find(col).map(|j| (name.clone(), j)))
        .collect();
    cats.sort_by_key(|c| c.1);
    let (ctot, cotot): (f64, f64) = (
        cats.iter().map(|x| means[x.1]).sum(),
        cats.iter().map(|x| input.overall_mean[x.1]).sum(),
    );
    let mut over: Vec<(String, f64)> = cats
        .iter()
        .map(|(n, j)| {
            (
                n.clone(),
                100.0 * (means[*j] / ctot) / (input.overall_mean[*j] / cotot),
            )
        })
        .filter(|x| x.1.is_finite() && x.1 > 110.0)
        .collect();
    over.sort_by(|a, b| b.1.total_cmp(&a.1));
    let top_cat = over.first().map(|o| o.0.clone()).or_else(|| {
        cats.iter()
            .max_by(|a, b| means[a.1].total_cmp(&means[b.1]))
            .map(|c| c.0.clone())
    });
    let cat = top_cat
        .clone()
        .unwrap_or_else(|| "your best sellers".into());
    let z = |n: &str| z_of(n).unwrap_or(0.0);
    let deals_high = deal_index.is_some_and(|(s, o)| s / o >= 1.2);
    let (offer, message) = if z("recency") >= 0.5 {
        (
            "Win-back: 15 % off the next order within 30 days".to_string(),
            "We miss you: here is a reason to come back".to_string(),
        )
    } else if deals_high || z("income") <= -0.5 {
        (
            format!("Bundle discounts and coupons on {cat}"),
            format!("Save more on the {cat} you already buy"),
        )
    } else if z("income") >= 0.5 || z("spent") >= 0.5 {
        (
            format!("Premium {cat} selection with early access"),
            format!("Hand-picked {cat} for people who know what they like"),
        )
    } else if z("children") >= 0.5 || z("kidhome") >= 0.5 || z("teenhome") >= 0.5 {
        (
            format!("Family packs of {cat} at a multi-buy price"),
            "More for the whole family, for less".to_string(),
        )
    } else {
        (
            format!("Cross-sell {cat} with a small first-order incentive"),
            format!(
                "Customers like you are discovering our {}",
                cat.trim_start_matches("your ")
            ),
        )
    };
    let message = match &channel {
        Some(ch) => format!(
            "{message} (send by {})",
            ch.split(' ').next().unwrap_or("email")
        ),
        None => message,
    };
    Strategy {
        channel,
        channel_shares: shares,
        deal_sensitivity,
        over_indexed: over,
        offer,
        message,
    }
}

/// Describe every cluster as a persona with a distinct name.
/// For each customer, the category where their share of spend falls furthest short of their persona's
/// typical share (the mean share over its members). Zero spenders get the persona's top category;
/// unassigned customers get None.
pub fn next_best_category(
    spend: &[Vec<f64>],
    labels: &[Option<usize>],
    categories: &[String],
) -> Result<Vec<Option<String>>, PersonaError> {
    if spend.len() != labels.len() {
        return Err(PersonaError::Mismatch(format!(
            "{} spend rows for {} labels",
            spend.len(),
            labels.len()
        )));
    }
    let nc = categories.len();
    if nc == 0 || spend.iter().any(|r| r.len() != nc) {
        return Err(PersonaError::Mismatch(
            "spend rows must have one value per category".into(),
        ));
    }
    let k = labels.iter().flatten().max().map(|m| m + 1).unwrap_or(0);
    let typical = typical_shares(spend, labels, k, nc);
    Ok(spend
        .iter()
        .zip(labels)
        .map(|(row, l)| next_best_of(&typical[(*l)?], row).map(|i| categories[i].clone()))
        .collect())
}

/// A row's share of spend per category (None when it spent nothing).
fn shares(row: &[f64]) -> Option<Vec<f64>> {
    let t: f64 = row.iter().filter(|v| v.is_finite()).sum();
    (t > 0.0).then(|| {
        row.iter()
            .map(|v| if v.is_finite() { v / t } else { 0.0 })
            .collect()
    })
}

/// Each cluster's mean share of spend per category (over its members who spent anything).
pub fn typical_shares(
    spend: &[Vec<f64>],
    labels: &[Option<usize>],
    k: usize,
    nc: usize,
) -> Vec<Vec<f64>> {
    let mut typical = vec![vec![0.0; nc]; k];
    let mut counts = vec![0usize; k];
    for (row, l) in spend.iter().zip(labels) {
        if let (Some(l), Some(s)) = (l, shares(row)) {
            for (t, v) in typical[*l].iter_mut().zip(&s) {
                *t += v;
            }
            counts[*l] += 1;
        }
    }
    for (t, n) in typical.iter_mut().zip(&counts) {
        t.iter_mut().for_each(|v| *v /= (*n).max(1) as f64);
    }
    typical
}

/// The category furthest below the cluster's typical share for this row (the typical favourite when the
/// row spent nothing); ties go to the later category.
pub fn next_best_of(typical: &[f64], row: &[f64]) -> Option<usize> {
    let argmax = |v: &[f64]| {
        v.iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|x| x.0)
    };
    match shares(row) {
        Some(s) => argmax(
            &typical
                .iter()
                .zip(&s)
                .map(|(t, c)| t - c)
                .collect::<Vec<_>>(),
        ),
        None => argmax(typical),
    }
}
