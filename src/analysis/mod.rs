//! Pure analyses: plain inputs in, plain results out, one error enum each, no terminal and no I/O.

pub mod channels;
pub mod cluster;
pub mod elbow;
pub mod evaluate;
pub mod importance;
pub mod kmeans;
pub mod logistic;
pub mod metrics;
pub mod pca;
pub mod persona;
pub mod predict;
pub mod roi;
pub mod segment;
pub mod split;
pub mod strategy;
pub mod tree;
