//! From a finished run to a model file: the design rebuilt from the workspace to read its levels, the
//! medians of every numeric feature (for blanks in next month's file), the scoring model's parameters and
//! calibration, and the training file's fingerprint.

use std::path::Path;

use super::model_file::{
    Fingerprint, ModelFile, NextBest, ResponseMetrics, ResponseModel, SavedPersona, ScaleSpec,
    SegmentMetrics, SegmentsModel, FORMAT, VERSION,
};
use super::saved::{compact, SavedModel};
use super::spec::FeatureSpec;
use super::{fnv1a64, DeployError};
use crate::analysis::personas::strategy::typical_shares;
use crate::analysis::segments::segment::zscore_in_place;
use crate::data::matrix::{design_matrix, numeric_matrix};
use crate::data::profile::Flag;
use crate::data::Workspace;
use crate::pipeline::predict::{PredictRun, MAX_LEVELS};
use crate::pipeline::{spend_table, split_features, SegmentRun};

fn changed(what: &str) -> DeployError {
    DeployError::Mismatch(format!(
        "the table changed since the {what} was fitted; fit it again before saving"
    ))
}

/// The response model that scores customers in `run` (the selected one), frozen.
pub fn response_model(ws: &Workspace, run: &PredictRun) -> Result<ResponseModel, DeployError> {
    let (numeric, categorical) = &run.columns;
    let design = design_matrix(&ws.df, numeric, categorical, MAX_LEVELS)
        .map_err(|e| DeployError::Mismatch(format!("{}: {e}", ws.file_name())))?;
    if design.names != run.features_used {
        return Err(changed("model"));
    }
    let features = FeatureSpec::freeze(&ws.df, &ws.derived, numeric, design.categories)?;
    let report = &run.report;
    let chosen = report
        .selected()
        .ok_or_else(|| DeployError::Unsupported("no model was fitted".into()))?;
    let model = chosen
        .model
        .as_ref()
        .ok_or_else(|| DeployError::Unsupported(format!("{} was not fitted", chosen.name)))?;
    Ok(ResponseModel {
        target: run.target.clone(),
        score_column: run.target.score_column(),
        name: chosen.name.clone(),
        design_columns: features.columns(),
        features,
        model: SavedModel::from_model(model),
        calibration: compact(&chosen.calibrator),
        metrics: ResponseMetrics {
            roc_auc: chosen.roc_auc,
            cv_auc_mean: chosen.cv_auc_mean,
            cv_auc_sd: chosen.cv_auc_sd,
            brier: chosen.brier,
            accuracy: chosen.accuracy,
            positive_rate: report.base_rate,
            training_rows: report.train_rows.len(),
            test_rows: report.test_rows.len(),
            selected: report
                .selection
                .as_ref()
                .map(|s| s.words.clone())
                .unwrap_or_default(),
        },
    })
}

/// The segmentation of `run` with its personas and next-best categories, frozen.
pub fn segments_model(ws: &Workspace, run: &SegmentRun) -> Result<SegmentsModel, DeployError> {
    let cfg = &run.config;
    let (numeric, categorical) = split_features(ws, &cfg.features);
    let levels = if categorical.is_empty() {
        Vec::new()
    } else {
        design_matrix(&ws.df, &[], &categorical, MAX_LEVELS)
            .map_err(|e| DeployError::Mismatch(e.to_string()))?
            .categories
    };
    let scale = if cfg.scale && !numeric.is_empty() {
        let mut m = numeric_matrix(&ws.df, &numeric, cfg.nulls)
            .map_err(|e| DeployError::Mismatch(e.to_string()))?;
        let (mean, sd) = zscore_in_place(&mut m.x).map_err(|_| changed("segmentation"))?;
        Some(ScaleSpec { mean, sd })
    } else {
        None
    };
    let features = FeatureSpec::freeze(&ws.df, &ws.derived, &numeric, levels)?;
    let design_columns = features.columns();
    let centroids: Vec<Vec<f64>> = run
        .model
        .centroids
        .rows()
        .into_iter()
        .map(|r| r.to_vec())
        .collect();
    if centroids.first().map_or(0, Vec::len) != design_columns.len() {
        return Err(changed("segmentation"));
    }
    let frame_labels = run.frame_labels(ws.rows());
    let next_products = crate::pipeline::recommend::columns::persona_next_products(
        &ws.df,
        &frame_labels,
        run.personas.len(),
        3,
    );
    let personas = run
        .personas
        .iter()
        .enumerate()
        .map(|(c, p)| SavedPersona {
            next_products: next_products
                .get(c)
                .map(|v| v.iter().map(|(n, _)| n.clone()).collect())
                .unwrap_or_default(),
            cluster: c,
            name: p.name.clone(),
            customers: p.size,
            share: p.share,
            traits: p.traits.clone(),
            channel: p.strategy.channel.clone(),
            offer: p.strategy.offer.clone(),
            message: p.strategy.message.clone(),
        })
        .collect();
    let next_best = match (&run.next_best, spend_table(ws)) {
        (Some(_), Some((columns, categories, spend))) => {
            let typical = typical_shares(&spend, &frame_labels, run.chosen_k, categories.len());
            Some(NextBest {
                columns,
                categories,
                typical,
            })
        }
        _ => None,
    };
    Ok(SegmentsModel {
        features,
        missing: cfg.nulls,
        scale,
        design_columns,
        centroids,
        personas,
        next_best,
        metrics: SegmentMetrics {
            k: run.chosen_k,
            rows_used: run.rows_used,
            inertia: run.model.inertia,
            k_reason: run.k_reason.clone(),
        },
    })
}

/// The training file's fingerprint (its bytes hashed; a file that cannot be read is fingerprinted by
/// its shape alone).
pub fn fingerprint(ws: &Workspace) -> Fingerprint {
    let bytes = std::fs::read(&ws.path).ok();
    Fingerprint {
        file: ws.file_name(),
        rows: ws.rows(),
        columns: ws.df.width(),
        bytes: bytes.as_ref().map_or(0, |b| b.len() as u64),
        fnv1a64: bytes
            .map(|b| format!("{:016x}", fnv1a64(&b)))
            .unwrap_or_default(),
    }
}

/// A model file of whatever `ws` has fitted.
pub fn model_file(
    ws: &Workspace,
    predict: Option<&PredictRun>,
    segments: Option<&SegmentRun>,
) -> Result<ModelFile, DeployError> {
    if predict.is_none() && segments.is_none() {
        return Err(DeployError::Unsupported(
            "nothing to save yet: find segments (2) or fit a response model (4) first".into(),
        ));
    }
    Ok(ModelFile {
        format: FORMAT.into(),
        version: VERSION,
        written_by: format!("campaign-lens {}", env!("CARGO_PKG_VERSION")),
        training_data: fingerprint(ws),
        id_column: ws
            .profiles
            .iter()
            .find(|p| p.has(Flag::Id) && !p.derived)
            .map(|p| p.name.clone()),
        response: predict.map(|r| response_model(ws, r)).transpose()?,
        segments: segments.map(|s| segments_model(ws, s)).transpose()?,
    })
}

/// Freeze and write in one step.
pub fn save(
    ws: &Workspace,
    predict: Option<&PredictRun>,
    segments: Option<&SegmentRun>,
    path: &Path,
) -> Result<ModelFile, DeployError> {
    let file = model_file(ws, predict, segments)?;
    file.save(path)?;
    Ok(file)
}
