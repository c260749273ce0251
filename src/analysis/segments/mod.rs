//! Customer segments: k-means (k-means++ starts, Lloyd), the sweep over k with the elbow and silhouette,
//! and the two-component PCA the segment map is drawn on. Imports nothing outside this folder.
//! Entry points: [`segment::sweep`] (k over a range) and [`segment::fit_k`]; the kernels in [`kmeans`],
//! [`elbow`] and [`pca`].

pub mod cluster;
pub mod elbow;
pub mod kmeans;
pub mod pca;
pub mod segment;
