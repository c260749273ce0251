//! Pure analyses: plain inputs in, plain results out, one error enum each, no terminal and no I/O.

pub mod boost;
pub mod calibrate;
pub mod channels;
pub mod cluster;
pub mod drivers;
pub mod elbow;
pub mod evaluate;
pub mod flat;
pub mod forest;
pub mod histogram;
pub mod importance;
pub mod kmeans;
pub mod lineup;
pub mod logistic;
pub mod metrics;
pub mod pca;
pub mod persona;
pub mod predict;
pub mod roi;
pub mod segment;
pub mod split;
pub mod strategy;
pub mod svm;
pub mod tree;
