//! Segmentation: the chosen features → k-means sweep → chosen k → personas → cluster/persona columns.

use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::columns::is_analysis_column;
pub use super::columns::{
    candidate_features, PipelineError, CLUSTER_COL, NEXT_BEST_COL, PERSONA_COL,
};
use super::personas::{describe, next_best_for};
use crate::analysis::personas::persona::Persona;
use crate::analysis::segments::segment::{
    self, fit_k, model_from, pca2, sweep, KModel, Pca2, SegmentError, Sweep, SweepParams,
};
use crate::data::matrix::{numeric_matrix, MatrixError, NullPolicy};
use crate::data::Workspace;
use polars::prelude::*;

/// How to segment.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct SegmentConfig {
    pub features: Vec<String>,
    pub scale: bool,
    pub k_min: usize,
    pub k_max: usize,
    /// None = automatic (the elbow when it is clear, else the silhouette's best).
    pub k: Option<usize>,
    pub seed: u64,
    pub n_init: usize,
    pub nulls: NullPolicy,
    /// Binary column whose rate is shown per persona (None: the default target).
    pub target: Option<String>,
}

impl Default for SegmentConfig {
    fn default() -> Self {
        Self {
            features: Vec::new(),
            scale: true,
            k_min: 2,
            k_max: 10,
            k: None,
            seed: 42,
            n_init: 10,
            nulls: NullPolicy::Drop,
            target: None,
        }
    }
}

/// Features recognised in the marketing table, used by default when present.
const MARKETING_FEATURES: [&str; 10] = [
    "Income",
    "Age",
    "Spent",
    "Children",
    "Recency",
    "NumDealsPurchases",
    "NumWebPurchases",
    "NumCatalogPurchases",
    "NumStorePurchases",
    "NumWebVisitsMonth",
];

/// The default features: the recognised marketing ones when the table has them, else every candidate (at
/// most 12).
pub fn default_features(ws: &Workspace) -> Vec<String> {
    let cands = candidate_features(ws);
    let known: Vec<String> = MARKETING_FEATURES
        .iter()
        .filter_map(|f| cands.iter().find(|c| c.eq_ignore_ascii_case(f)).cloned())
        .collect();
    if known.len() >= 4 {
        known
    } else {
        cands.into_iter().take(12).collect()
    }
}

/// Everything a segmentation produced.
#[derive(Debug, Clone)]
pub struct SegmentRun {
    pub config: SegmentConfig,
    pub rows_used: usize,
    pub rows_dropped: usize,
    pub imputed: usize,
    /// Frame row of each clustered row.
    pub rows: Vec<usize>,
    pub sweep: Sweep,
    pub chosen_k: usize,
    /// Why this k, in words.
    pub k_reason: String,
    pub model: KModel,
    pub pca: Pca2,
    pub personas: Vec<Persona>,
    pub target: Option<String>,
    /// Next-best category per frame row (None when the table has no spend categories).
    pub next_best: Option<Vec<Option<String>>>,
    /// What was adjusted to fit the data (a k range shrunk to the rows there are).
    pub notes: Vec<String>,
}

impl SegmentRun {
    /// Each frame row's cluster (None for a row left out of the fit).
    pub fn frame_labels(&self, rows: usize) -> Vec<Option<usize>> {
        let mut labels = vec![None; rows];
        for (r, &row) in self.rows.iter().enumerate() {
            if let Some(l) = labels.get_mut(row) {
                *l = self.model.labels.get(r).copied();
            }
        }
        labels
    }
}

fn seg_err(ws_features: &[String]) -> impl Fn(SegmentError) -> PipelineError + '_ {
    move |e| match e {
        SegmentError::ZeroVariance(j) => PipelineError::Segment(format!(
            "feature {:?} has zero variance (every row has the same value): leave it out",
            ws_features.get(j).map(String::as_str).unwrap_or("?")
        )),
        SegmentError::Cancelled => PipelineError::Cancelled,
        other => PipelineError::Segment(other.to_string()),
    }
}

/// The chosen features split into numeric and text (one-hot) ones, in their order.
pub fn split_features(ws: &Workspace, features: &[String]) -> (Vec<String>, Vec<String>) {
    let is_text = |f: &String| ws.profile(f).is_some_and(|p| !p.numeric);
    features.iter().cloned().partition(|f| !is_text(f))
}

/// The matrix to cluster: the chosen features, nulls handled, z-scored when asked.
pub fn prepare(
    ws: &Workspace,
    cfg: &SegmentConfig,
) -> Result<crate::data::matrix::Matrix, PipelineError> {
    // numeric features (nulls dropped or median-filled, z-scored when asked) then one-hot categoricals
    let (numeric, categorical) = split_features(ws, &cfg.features);
    if cfg.features.is_empty() {
        return Err(MatrixError::NoFeatures.into());
    }
    let mut m = if numeric.is_empty() {
        crate::data::matrix::Matrix {
            x: ndarray::Array2::zeros((ws.rows(), 0)),
            names: Vec::new(),
            rows: (0..ws.rows()).collect(),
            dropped: 0,
            imputed: 0,
        }
    } else {
        numeric_matrix(&ws.df, &numeric, cfg.nulls)?
    };
    if cfg.scale && !numeric.is_empty() {
        segment::zscore_in_place(&mut m.x).map_err(seg_err(&numeric))?;
    }
    if !categorical.is_empty() {
        let d = crate::data::matrix::design_matrix(
            &ws.df,
            &[],
            &categorical,
            super::predict::MAX_LEVELS,
        )?;
        let dummies = d.x.select(ndarray::Axis(0), &m.rows);
        m.x = ndarray::concatenate(ndarray::Axis(1), &[m.x.view(), dummies.view()])
            .map_err(|e| PipelineError::Segment(e.to_string()))?;
        m.names.extend(d.names);
    }
    Ok(m)
}

/// One-hot-able text columns offered in the feature picker (at most 20 levels).
pub fn candidate_categoricals(ws: &Workspace) -> Vec<String> {
    // the outcome (Response, Churn, …) describes personas; it is not offered as a clustering feature
    let target = ws.default_target().map(|p| p.name.clone());
    ws.profiles
        .iter()
        .filter(|p| p.is_categorical() && p.distinct <= 20 && !is_analysis_column(&p.name))
        .filter(|p| Some(&p.name) != target.as_ref())
        .map(|p| p.name.clone())
        .collect()
}

/// Sweep k, pick one, fit it on all rows and describe the clusters as personas.
pub fn run_segments(
    ws: &Workspace,
    cfg: &SegmentConfig,
    progress: &dyn Fn(f32, String),
    cancel: &AtomicBool,
) -> Result<SegmentRun, PipelineError> {
    let m = prepare(ws, cfg)?;
    let rows = m.x.nrows();
    if rows < 3 {
        return Err(PipelineError::Segment(format!(
            "{}: only {rows} row{} with values in the chosen features: at least 3 are needed to find segments",
            ws.file_name(),
            if rows == 1 { "" } else { "s" }
        )));
    }
    // k can be at most rows − 1 (a silhouette needs two clusters and a point with company), and at most
    // the number of distinct rows (identical rows cannot be split: a cluster would stay empty)
    let distinct = distinct_rows(&m.x, cfg.k_max + 1);
    if distinct < 2 {
        return Err(PipelineError::Segment(format!(
            "{}: every row has the same values in the chosen features: there are no segments to find",
            ws.file_name()
        )));
    }
    let mut notes = Vec::new();
    let limit = (rows - 1).min(distinct);
    let (k_min, k_max) = if cfg.k_max > limit {
        let (lo, hi) = (cfg.k_min.min(limit), limit);
        let what = if distinct < rows {
            format!("only {distinct} distinct rows")
        } else {
            format!("only {rows} rows")
        };
        notes.push(format!(
            "{what}: k range {}–{} shrunk to {lo}–{hi}",
            cfg.k_min, cfg.k_max
        ));
        (lo, hi)
    } else {
        (cfg.k_min, cfg.k_max)
    };
    let params = SweepParams {
        k_min,
        k_max,
        seed: cfg.seed,
        n_init: cfg.n_init,
        ..Default::default()
    };
    let sw = sweep(
        &m.x,
        &params,
        &|p| progress(p.fraction * 0.9, format!("k-means sweep: k = {}", p.k)),
        cancel,
    )
    .map_err(seg_err(&cfg.features))?;
    progress(0.92, "fitting the chosen k".into());
    let (k, reason) = match cfg.k {
        Some(k) => (k, format!("k = {k} chosen by hand")),
        None => auto_k(&sw),
    };
    let mut run = finish(ws, cfg, m, sw, k, reason)?;
    run.notes = notes;
    Ok(run)
}

/// How many distinct rows `x` has, counting no further than `enough`.
fn distinct_rows(x: &ndarray::Array2<f64>, enough: usize) -> usize {
    let mut seen = std::collections::HashSet::new();
    for row in x.rows() {
        seen.insert(row.iter().map(|v| v.to_bits()).collect::<Vec<u64>>());
        if seen.len() >= enough {
            break;
        }
    }
    seen.len()
}

/// The automatic k: the elbow when it is clear, else the silhouette's best.
pub fn auto_k(sw: &Sweep) -> (usize, String) {
    let v = &sw.verdict;
    match (v.clear, v.elbow_k, v.silhouette_k) {
        (true, Some(k), _) => (k, v.message.clone()),
        (_, _, Some(s)) => (s, format!("{}; using k = {s}", v.message)),
        (_, Some(k), None) => (k, v.message.clone()),
        _ => (sw.points[0].k, v.message.clone()),
    }
}

/// Re-fit another k from an existing sweep (←/→ in the Segments tab).
pub fn refit(
    ws: &Workspace,
    cfg: &SegmentConfig,
    sw: Sweep,
    k: usize,
) -> Result<SegmentRun, PipelineError> {
    let m = prepare(ws, cfg)?;
    finish(ws, cfg, m, sw, k, format!("k = {k} chosen by hand"))
}

fn finish(
    ws: &Workspace,
    cfg: &SegmentConfig,
    m: crate::data::matrix::Matrix,
    sw: Sweep,
    k: usize,
    k_reason: String,
) -> Result<SegmentRun, PipelineError> {
    // the sweep already fitted this k: label the rows by its centres instead of fitting again
    let fitted = sw
        .points
        .iter()
        .find(|p| p.k == k)
        .and_then(|p| p.centroids.as_ref());
    let model = match fitted {
        Some(c) => model_from(&m.x, c),
        None => fit_k(&m.x, k, cfg.seed, cfg.n_init),
    }
    .map_err(seg_err(&cfg.features))?;
    let pca = pca2(&m.x).map_err(seg_err(&cfg.features))?;
    let mut labels: Vec<Option<usize>> = vec![None; ws.rows()];
    for (r, &i) in m.rows.iter().enumerate() {
        labels[i] = Some(model.labels[r]);
    }
    let target = match &cfg.target {
        Some(t) => {
            let p = ws
                .profile(t)
                .ok_or_else(|| PipelineError::Segment(format!("no column named {t:?}")))?;
            if p.positive.is_none() {
                return Err(PipelineError::Segment(format!(
                    "target {t:?} is not binary (Yes/No, 0/1, True/False)"
                )));
            }
            Some(t.clone())
        }
        None => ws.default_target().map(|p| p.name.clone()),
    };
    let personas = describe(ws, &labels, k, &cfg.features, target.as_deref())?;
    let next_best = next_best_for(ws, &labels)?;
    Ok(SegmentRun {
        config: SegmentConfig {
            k: Some(k),
            ..cfg.clone()
        },
        rows_used: m.rows.len(),
        rows_dropped: m.dropped,
        imputed: m.imputed,
        rows: m.rows,
        sweep: sw,
        chosen_k: k,
        k_reason,
        model,
        pca,
        personas,
        target,
        next_best,
        notes: Vec::new(),
    })
}

/// Write the cluster, persona and next-best columns into the shared frame (rows left out: null cluster,
/// persona "unassigned").
pub fn apply_segments(ws: &mut Workspace, run: &SegmentRun) -> PolarsResult<()> {
    let n = ws.rows();
    let mut cluster: Vec<Option<i64>> = vec![None; n];
    for (r, &i) in run.rows.iter().enumerate() {
        cluster[i] = Some(run.model.labels[r] as i64);
    }
    let persona: Vec<String> = cluster
        .iter()
        .map(|c| match c {
            Some(c) => run.personas[*c as usize].name.clone(),
            None => "unassigned".to_string(),
        })
        .collect();
    let formula = format!(
        "k-means, k = {} on {}{}",
        run.chosen_k,
        run.config.features.join(", "),
        if run.config.scale { " (z-scored)" } else { "" }
    );
    let ca: Int64Chunked = cluster.into_iter().collect();
    ws.set_column(ca.with_name(CLUSTER_COL.into()).into_column(), &formula)?;
    let ps =
        StringChunked::from_iter_values(PERSONA_COL.into(), persona.iter().map(String::as_str));
    ws.set_column(ps.into_column(), "persona name of the cluster")?;
    if let Some(nb) = &run.next_best {
        let ca: StringChunked = nb.iter().map(|v| v.as_deref()).collect();
        ws.set_column(
            ca.with_name(NEXT_BEST_COL.into()).into_column(),
            "category furthest below the persona's typical share of spend",
        )?;
    }
    Ok(())
}
