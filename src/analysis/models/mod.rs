//! Response models and how they are judged: logistic regression, the decision tree, the random forest,
//! gradient boosting (histograms, compact trees) and the SVM; stratified splits and folds, metrics,
//! calibration, drivers and the lineup that picks the scoring model. Imports nothing outside this folder.
//! Entry points: [`evaluate::fit_and_evaluate`] (the whole lineup on a [`predict::Dataset`]),
//! [`lineup::fit_model`] (one model on some rows), [`metrics`].

pub mod boost;
pub mod calibrate;
pub mod drivers;
pub mod evaluate;
pub mod flat;
pub mod forest;
pub mod histogram;
pub mod importance;
pub mod lineup;
pub mod logistic;
pub mod metrics;
pub mod predict;
pub mod split;
pub mod svm;
pub mod tree;
