//! Fitting, saving and scoring for the deploy tests, through the library (the CLI tests go through the
//! binary).

use std::path::Path;
use std::sync::atomic::AtomicBool;

use campaign_lens::analysis::models::predict::{ModelChoice, PredictParams};
use campaign_lens::data::load::load;
use campaign_lens::data::{LoadOptions, Workspace};
use campaign_lens::deploy::freeze::model_file;
use campaign_lens::deploy::model_file::ModelFile;
use campaign_lens::deploy::score::{score_frame, Scored};
use campaign_lens::pipeline::predict::{resolve_target, run_predict, PredictRun};
use campaign_lens::pipeline::{default_features, run_segments, SegmentConfig, SegmentRun};
use polars::prelude::DataFrame;

pub fn open(path: &Path) -> Workspace {
    Workspace::open(path, &LoadOptions::default()).unwrap()
}

/// The file as `score` reads it (no derived features: the model file rebuilds them).
pub fn raw(path: &Path) -> DataFrame {
    load(path, &LoadOptions::default()).unwrap().df
}

/// Fit `models` on the default target with `cv` folds.
pub fn fit(ws: &Workspace, models: ModelChoice, cv: Option<usize>) -> PredictRun {
    let target = resolve_target(ws, None, None).unwrap();
    let params = PredictParams {
        models,
        cv_folds: cv,
        ..Default::default()
    };
    run_predict(
        ws,
        &target,
        None,
        &[],
        &params,
        &|_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap()
}

/// Segments on the default features with a fixed k (no sweep beyond it).
pub fn segments(ws: &Workspace, k: usize) -> SegmentRun {
    let cfg = SegmentConfig {
        features: default_features(ws),
        k_min: k,
        k_max: k,
        k: Some(k),
        ..Default::default()
    };
    run_segments(ws, &cfg, &|_, _| {}, &AtomicBool::new(false)).unwrap()
}

/// Save to a temporary file and read it back, as a user's next session would.
pub fn round_trip(
    ws: &Workspace,
    predict: Option<&PredictRun>,
    seg: Option<&SegmentRun>,
    dir: &Path,
    name: &str,
) -> (String, ModelFile) {
    let path = dir.join(name);
    model_file(ws, predict, seg).unwrap().save(&path).unwrap();
    let file = ModelFile::load(&path).unwrap();
    (path.display().to_string(), file)
}

pub fn score(models: &[(String, ModelFile)], df: &DataFrame) -> Scored {
    score_frame(models, df, "test file").unwrap()
}

/// The largest difference between two score vectors.
pub fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}
