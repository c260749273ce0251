//! Pure analyses: plain inputs in, plain results out, one error enum each, no terminal and no I/O.
//!
//! One folder per capability. A folder's files import their own folder, [`stats`] and the layers below
//! (`fmt`, the crates); never another capability. What the pipelines compose from several capabilities
//! (an uplift model built from the lineup's classifiers, say) lives in `pipeline/`.
//!
//! | folder | holds |
//! |---|---|
//! | [`segments`] | k-means, the elbow and silhouette, PCA for the map |
//! | [`models`] | the response-model lineup: logistic, tree, forest, boosting, SVM; splits, metrics, calibration, drivers |
//! | [`personas`] | naming segments, their strategy, the vocabulary |
//! | [`money`] | what targeting earns (ROI) and the channel budget split |
//! | [`lifetime`] | RFM, BG/NBD, Gamma-Gamma |
//! | [`recommend`] | baskets, popularity, EASE, the holdout protocol |
//! | [`mix`] | the marketing-mix model: adstock, saturation, a non-negative ridge with a searched fit, block-bootstrap intervals, the budget optimiser |
//! | [`uplift`] | test readouts (lift, SRM, balance, CUPED, sample size) and uplift evaluation (Qini, AUUC) |
//! | [`stats`] | what several share: special functions, Nelder-Mead |

pub mod lifetime;
pub mod mix;
pub mod models;
pub mod money;
pub mod personas;
pub mod recommend;
pub mod segments;
pub mod stats;
pub mod uplift;
