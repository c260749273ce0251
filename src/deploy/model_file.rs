//! The model file: versioned, human-readable JSON with the features and how each is built, the fitted
//! parameters, the target, the training data's fingerprint and the metrics at fit time. A file holds a
//! response model, a segmentation, or both (the dashboard's `w` and the report save both).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::saved::SavedModel;
use super::spec::FeatureSpec;
use super::DeployError;
use crate::analysis::models::calibrate::Calibrator;
use crate::analysis::models::predict::Model;
use crate::data::matrix::NullPolicy;
use crate::pipeline::predict::Target;

/// The `format` field every model file starts with.
pub const FORMAT: &str = "campaign-lens model";
/// The newest file version this build writes and reads.
pub const VERSION: u32 = 1;

/// Which file the model was fitted on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub file: String,
    pub rows: usize,
    pub columns: usize,
    pub bytes: u64,
    /// 64-bit FNV-1a of the file's bytes, in hex.
    pub fnv1a64: String,
}

/// Test-set quality at fit time (the figures the Predict tab showed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseMetrics {
    pub roc_auc: f64,
    pub cv_auc_mean: Option<f64>,
    pub cv_auc_sd: Option<f64>,
    pub brier: f64,
    pub accuracy: f64,
    pub positive_rate: f64,
    pub training_rows: usize,
    pub test_rows: usize,
    /// Why this model scores customers, in words.
    pub selected: String,
}

/// A response (or churn) model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseModel {
    pub target: Target,
    pub score_column: String,
    /// The model's name as the table showed it ("gradient boosting (100 trees, …)").
    pub name: String,
    pub features: FeatureSpec,
    pub design_columns: Vec<String>,
    pub model: SavedModel,
    /// Applied to the model's probability (fitted on out-of-fold training scores).
    pub calibration: Calibrator,
    pub metrics: ResponseMetrics,
}

/// The z-scoring of a segmentation's numeric features.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleSpec {
    pub mean: Vec<f64>,
    pub sd: Vec<f64>,
}

/// A persona: its cluster, name and strategy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedPersona {
    pub cluster: usize,
    pub name: String,
    pub customers: usize,
    pub share: f64,
    pub traits: Vec<String>,
    pub channel: Option<String>,
    pub offer: String,
    pub message: String,
    /// The products the persona's members are most likely to buy next (when the table had
    /// `next_products`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub next_products: Vec<String>,
}

/// The next-best category: the spend columns, their category names, and each cluster's typical share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextBest {
    pub columns: Vec<String>,
    pub categories: Vec<String>,
    pub typical: Vec<Vec<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentMetrics {
    pub k: usize,
    pub rows_used: usize,
    pub inertia: f64,
    pub k_reason: String,
}

/// A k-means segmentation with its personas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentsModel {
    pub features: FeatureSpec,
    /// Rows with a missing numeric feature: left unassigned (`Drop`) or filled with the median.
    pub missing: NullPolicy,
    /// The numeric features' z-scoring (absent when clustered on raw values).
    pub scale: Option<ScaleSpec>,
    pub design_columns: Vec<String>,
    /// One row per cluster, in design columns (numerics z-scored).
    pub centroids: Vec<Vec<f64>>,
    pub personas: Vec<SavedPersona>,
    pub next_best: Option<NextBest>,
    pub metrics: SegmentMetrics,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    pub format: String,
    pub version: u32,
    pub written_by: String,
    pub training_data: Fingerprint,
    /// The training file's ID column (written first by `score` and `sql`); None: rows are numbered.
    pub id_column: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseModel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segments: Option<SegmentsModel>,
}

impl ResponseModel {
    /// The model that scores (checked against the design).
    pub fn scorer(&self, path: &str) -> Result<Model, DeployError> {
        self.model.to_model(self.design_columns.len(), path)
    }
}

impl ModelFile {
    /// Write the file (pretty JSON, through a temporary file so a failed write leaves no half file).
    pub fn save(&self, path: &Path) -> Result<(), DeployError> {
        let text = serde_json::to_string_pretty(self).map_err(|e| DeployError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        crate::export::write_atomic(path, text.as_bytes()).map_err(|reason| DeployError::Io {
            path: path.display().to_string(),
            reason,
        })
    }

    /// Read and check a model file.
    pub fn load(path: &Path) -> Result<ModelFile, DeployError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| DeployError::Io {
            path: shown.clone(),
            reason: match e.kind() {
                std::io::ErrorKind::NotFound => "file not found".into(),
                std::io::ErrorKind::InvalidData => "not a text file".into(),
                _ => e.to_string(),
            },
        })?;
        Self::parse(&text, &shown)
    }

    pub fn parse(text: &str, shown: &str) -> Result<ModelFile, DeployError> {
        let corrupt = |reason: String| DeployError::Corrupt {
            path: shown.to_string(),
            reason,
        };
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| corrupt(format!("invalid JSON: {e}")))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(corrupt(format!("no \"format\": \"{FORMAT}\" field")));
        }
        let version = value
            .get("version")
            .and_then(|v| v.as_u64())
            .ok_or_else(|| corrupt("no version number".into()))?;
        if version > VERSION as u64 {
            return Err(DeployError::Version {
                path: shown.to_string(),
                found: version.min(u32::MAX as u64) as u32,
                supported: VERSION,
            });
        }
        let file: ModelFile = serde_json::from_value(value).map_err(|e| corrupt(e.to_string()))?;
        if file.response.is_none() && file.segments.is_none() {
            return Err(corrupt(
                "it holds neither a response model nor segments".into(),
            ));
        }
        if let Some(r) = &file.response {
            if r.features.columns() != r.design_columns {
                return Err(corrupt(
                    "the response model's features do not match its design columns".into(),
                ));
            }
            r.scorer(shown)?;
        }
        if let Some(s) = &file.segments {
            let width = s.design_columns.len();
            let ok = s.features.columns() == s.design_columns
                && !s.centroids.is_empty()
                && s.centroids.iter().all(|c| c.len() == width)
                && s.personas.len() == s.centroids.len()
                && s.scale.as_ref().is_none_or(|sc| {
                    sc.mean.len() == s.features.numeric.len() && sc.sd.len() == sc.mean.len()
                })
                && s.next_best.as_ref().is_none_or(|n| {
                    n.typical.len() == s.centroids.len() && n.columns.len() == n.categories.len()
                });
            if !ok {
                return Err(corrupt(
                    "the segments' centroids, personas and features disagree".into(),
                ));
            }
        }
        Ok(file)
    }
}
