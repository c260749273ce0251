//! Segments → personas: per-cluster profiles and names, the next-best category, and the cluster/persona
//! columns written back into the shared frame.

use super::columns::{candidate_features, PipelineError};
use crate::analysis::personas::persona::{
    build_personas, next_best_category, Persona, ProfileInput, Vocabulary,
};
use crate::data::profile::{f64_values, string_values};
use crate::data::Workspace;

/// Per-cluster means of the profile columns and the target rate, turned into personas.
pub fn describe(
    ws: &Workspace,
    labels: &[Option<usize>],
    k: usize,
    features: &[String],
    target: Option<&str>,
) -> Result<Vec<Persona>, PipelineError> {
    // text features are one-hot in the fit; the profile describes the numeric ones
    let mut columns: Vec<String> = features
        .iter()
        .filter(|f| ws.profile(f).is_some_and(|p| p.numeric))
        .cloned()
        .collect();
    let features = columns.clone();
    let features = features.as_slice();
    let has_age = ws.profile("Age").is_some();
    for c in candidate_features(ws) {
        // Year_Birth says what Age says, backwards
        let redundant = has_age && c.eq_ignore_ascii_case("year_birth");
        if !columns.contains(&c) && !redundant {
            columns.push(c);
        }
    }
    let mut cluster_means = vec![vec![f64::NAN; columns.len()]; k];
    let (mut overall_mean, mut overall_sd) = (Vec::new(), Vec::new());
    for (j, c) in columns.iter().enumerate() {
        let vals = ws
            .df
            .column(c)
            .ok()
            .and_then(f64_values)
            .unwrap_or_default();
        let (mut sum, mut cnt) = (vec![0.0; k], vec![0usize; k]);
        let mut all = Vec::new();
        for (v, l) in vals.iter().zip(labels) {
            if let (Some(v), Some(l)) = (v, l) {
                sum[*l] += v;
                cnt[*l] += 1;
                all.push(*v);
            }
        }
        for ci in 0..k {
            if cnt[ci] > 0 {
                cluster_means[ci][j] = sum[ci] / cnt[ci] as f64;
            }
        }
        let n = all.len().max(1) as f64;
        let m = all.iter().sum::<f64>() / n;
        overall_mean.push(m);
        overall_sd.push((all.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n).sqrt());
    }
    let mut sizes = vec![0usize; k];
    for l in labels.iter().flatten() {
        sizes[*l] += 1;
    }
    let target_rates = target.and_then(|t| {
        let positive = ws.profile(t)?.positive.clone()?;
        let vals = string_values(ws.df.column(t).ok()?);
        let (mut hits, mut n) = (vec![0usize; k], vec![0usize; k]);
        let (mut all_h, mut all_n) = (0usize, 0usize);
        for (v, l) in vals.iter().zip(labels) {
            if let (Some(v), Some(l)) = (v, l) {
                let h = crate::data::breakdown::is_positive(v, &positive);
                hits[*l] += h as usize;
                n[*l] += 1;
                all_h += h as usize;
                all_n += 1;
            }
        }
        let rates = (0..k)
            .map(|c| hits[c] as f64 / n[c].max(1) as f64)
            .collect();
        Some((t.to_string(), rates, all_h as f64 / all_n.max(1) as f64))
    });
    let input = ProfileInput {
        columns,
        cluster_means,
        overall_mean,
        overall_sd,
        sizes,
        features: features.to_vec(),
        target: target_rates,
    };
    let vocab = Vocabulary::embedded().map_err(|e| PipelineError::Persona(e.to_string()))?;
    build_personas(&input, &vocab).map_err(|e| PipelineError::Persona(e.to_string()))
}

/// Spend columns, their category names, and every row's spend.
pub type SpendTable = (Vec<String>, Vec<String>, Vec<Vec<f64>>);

/// The spend columns the vocabulary knows as categories (MntWines → Wine): their names, the category
/// names, and every row's spend (missing as 0). None with fewer than two.
pub fn spend_table(ws: &Workspace) -> Option<SpendTable> {
    let vocab = Vocabulary::embedded().ok()?;
    let cats: Vec<(String, String, Vec<Option<f64>>)> = ws
        .df
        .columns()
        .iter()
        .filter_map(|c| {
            let name = vocab.category_name(c.name())?.to_string();
            Some((c.name().to_string(), name, f64_values(c)?))
        })
        .collect();
    if cats.len() < 2 {
        return None;
    }
    let spend: Vec<Vec<f64>> = (0..ws.rows())
        .map(|i| cats.iter().map(|c| c.2[i].unwrap_or(0.0)).collect())
        .collect();
    let (columns, names) = cats.into_iter().map(|c| (c.0, c.1)).unzip();
    Some((columns, names, spend))
}

pub(crate) fn next_best_for(
    ws: &Workspace,
    labels: &[Option<usize>],
) -> Result<Option<Vec<Option<String>>>, PipelineError> {
    // the vocabulary is embedded: failing to read it is a build error, reported as such
    Vocabulary::embedded().map_err(|e| PipelineError::Persona(e.to_string()))?;
    let Some((_, names, spend)) = spend_table(ws) else {
        return Ok(None);
    };
    next_best_category(&spend, labels, &names)
        .map(Some)
        .map_err(|e| PipelineError::Persona(e.to_string()))
}
