//! A fitted model's parameters as they are written to a model file: plain numbers and nested lists, one
//! variant per kind, converted to and from the `Model` that scores (so a saved model scores with the
//! same code as at fit time).

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::DeployError;
use crate::analysis::models::boost::BoostFit;
use crate::analysis::models::calibrate::{Calibrator, Isotonic};
use crate::analysis::models::flat::{FlatNode, LEAF};
use crate::analysis::models::forest::ForestFit;
use crate::analysis::models::predict::{Model, Scaler};
use crate::analysis::models::svm::SvmFit;
use crate::analysis::models::tree::{Node, TreeFit};

/// A node of an ensemble tree: a split (`x[feature] <= threshold` goes to `left`, else `left + 1`) or a
/// leaf with its output.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SavedNode {
    Split {
        feature: u32,
        threshold: f64,
        left: u32,
    },
    Leaf {
        leaf: f64,
    },
}

/// A decision-tree node: a split on `feature` (`<= threshold` goes `left`) or a leaf (`feature` null)
/// whose probability is `positives / rows`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedTreeNode {
    pub feature: Option<usize>,
    pub threshold: f64,
    pub left: usize,
    pub right: usize,
    pub rows: usize,
    pub positives: usize,
    pub depth: usize,
}

/// The fitted parameters, by kind. Features are indices into the model's `design_columns`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum SavedModel {
    /// P = sigmoid(intercept + Σ coef_j · (x_j − mean_j) / sd_j).
    Logistic {
        mean: Vec<f64>,
        sd: Vec<f64>,
        coef: Vec<f64>,
        intercept: f64,
    },
    Tree {
        nodes: Vec<SavedTreeNode>,
    },
    /// P = sigmoid(baseline + Σ trees).
    Boosting {
        baseline: f64,
        trees: Vec<Vec<SavedNode>>,
    },
    /// P = mean over trees of the leaf's positive share.
    Forest {
        samples_per_tree: usize,
        trees: Vec<Vec<SavedNode>>,
    },
    /// P = Platt(Σ coef_i · exp(−gamma ‖z − support_i‖²) − rho), z the z-scored row.
    Svm {
        mean: Vec<f64>,
        sd: Vec<f64>,
        support: Vec<Vec<f64>>,
        coef: Vec<f64>,
        rho: f64,
        gamma: f64,
        platt_a: f64,
        platt_b: f64,
        fit_rows: usize,
        platt_rows: usize,
    },
}

fn save_flat(trees: &[Vec<FlatNode>]) -> Vec<Vec<SavedNode>> {
    trees
        .iter()
        .map(|t| {
            t.iter()
                .map(|n| match n.feature {
                    LEAF => SavedNode::Leaf { leaf: n.value },
                    f => SavedNode::Split {
                        feature: f,
                        threshold: n.value,
                        left: n.left,
                    },
                })
                .collect()
        })
        .collect()
}

fn load_flat(trees: &[Vec<SavedNode>], width: usize) -> Result<Vec<Vec<FlatNode>>, String> {
    trees
        .iter()
        .map(|t| {
            t.iter()
                .map(|n| match *n {
                    SavedNode::Leaf { leaf } => Ok(FlatNode {
                        feature: LEAF,
                        left: 0,
                        value: leaf,
                    }),
                    SavedNode::Split {
                        feature,
                        threshold,
                        left,
                    } => {
                        if feature as usize >= width || left as usize + 1 >= t.len() {
                            return Err(format!("a tree node points outside its tree ({n:?})"));
                        }
                        Ok(FlatNode {
                            feature,
                            left,
                            value: threshold,
                        })
                    }
                })
                .collect()
        })
        .collect()
}

impl SavedModel {
    pub fn from_model(model: &Model) -> SavedModel {
        match model {
            Model::Logistic {
                scaler,
                coef,
                intercept,
            } => SavedModel::Logistic {
                mean: scaler.mean.clone(),
                sd: scaler.sd.clone(),
                coef: coef.clone(),
                intercept: *intercept,
            },
            Model::Tree { tree } => SavedModel::Tree {
                nodes: tree
                    .nodes
                    .iter()
                    .map(|n| SavedTreeNode {
                        feature: n.feature,
                        threshold: n.threshold,
                        left: n.left,
                        right: n.right,
                        rows: n.rows,
                        positives: n.positives,
                        depth: n.depth,
                    })
                    .collect(),
            },
            Model::Boosting { fit } => SavedModel::Boosting {
                baseline: fit.baseline,
                trees: save_flat(&fit.trees),
            },
            Model::Forest { fit } => SavedModel::Forest {
                samples_per_tree: fit.samples_per_tree,
                trees: save_flat(&fit.trees),
            },
            Model::Svm { fit } => SavedModel::Svm {
                mean: fit.scaler.mean.clone(),
                sd: fit.scaler.sd.clone(),
                support: fit.support.rows().into_iter().map(|r| r.to_vec()).collect(),
                coef: fit.coef.clone(),
                rho: fit.rho,
                gamma: fit.gamma,
                platt_a: fit.platt.a,
                platt_b: fit.platt.b,
                fit_rows: fit.fit_rows,
                platt_rows: fit.platt_rows,
            },
        }
    }

    /// The model that scores, checked against the design's width (`path` names the file).
    pub fn to_model(&self, width: usize, path: &str) -> Result<Model, DeployError> {
        let bad = |reason: String| DeployError::Corrupt {
            path: path.into(),
            reason,
        };
        let same = |what: &str, n: usize| {
            if n == width {
                Ok(())
            } else {
                Err(bad(format!(
                    "{what} has {n} values for {width} design columns"
                )))
            }
        };
        Ok(match self {
            SavedModel::Logistic {
                mean,
                sd,
                coef,
                intercept,
            } => {
                same("mean", mean.len())?;
                same("sd", sd.len())?;
                same("coef", coef.len())?;
                Model::Logistic {
                    scaler: Scaler {
                        mean: mean.clone(),
                        sd: sd.clone(),
                    },
                    coef: coef.clone(),
                    intercept: *intercept,
                }
            }
            SavedModel::Tree { nodes } => {
                let n = nodes.len();
                let ok = n > 0
                    && nodes.iter().all(|v| match v.feature {
                        Some(f) => f < width && v.left < n && v.right < n,
                        None => true,
                    });
                if !ok {
                    return Err(bad("a tree node points outside the tree".into()));
                }
                Model::Tree {
                    tree: Box::new(TreeFit {
                        nodes: nodes
                            .iter()
                            .map(|v| Node {
                                feature: v.feature,
                                threshold: v.threshold,
                                left: v.left,
                                right: v.right,
                                rows: v.rows,
                                positives: v.positives,
                                depth: v.depth,
                            })
                            .collect(),
                    }),
                }
            }
            SavedModel::Boosting { baseline, trees } => Model::Boosting {
                fit: Box::new(BoostFit {
                    baseline: *baseline,
                    trees: load_flat(trees, width).map_err(bad)?,
                    validation_rows: 0,
                    early_stopped: false,
                }),
            },
            SavedModel::Forest {
                samples_per_tree,
                trees,
            } => Model::Forest {
                fit: Box::new(ForestFit {
                    trees: load_flat(trees, width).map_err(bad)?,
                    samples_per_tree: *samples_per_tree,
                }),
            },
            SavedModel::Svm {
                mean,
                sd,
                support,
                coef,
                rho,
                gamma,
                platt_a,
                platt_b,
                fit_rows,
                platt_rows,
            } => {
                same("mean", mean.len())?;
                if support.len() != coef.len() || support.iter().any(|r| r.len() != width) {
                    return Err(bad("support vectors and coefficients disagree".into()));
                }
                let flat: Vec<f64> = support.iter().flatten().copied().collect();
                let support = Array2::from_shape_vec((coef.len(), width), flat)
                    .map_err(|e| bad(e.to_string()))?;
                Model::Svm {
                    fit: Box::new(SvmFit {
                        scaler: Scaler {
                            mean: mean.clone(),
                            sd: sd.clone(),
                        },
                        support,
                        coef: coef.clone(),
                        rho: *rho,
                        gamma: *gamma,
                        platt: crate::analysis::models::calibrate::Platt {
                            a: *platt_a,
                            b: *platt_b,
                        },
                        fit_rows: *fit_rows,
                        platt_rows: *platt_rows,
                    }),
                }
            }
        })
    }
}

/// The calibrator as saved: an isotonic step keeps only the ends of its flat runs (the same function,
/// a few dozen points instead of one per distinct training score).
pub fn compact(cal: &Calibrator) -> Calibrator {
    match cal {
        Calibrator::Isotonic(iso) => {
            let n = iso.x.len();
            let mut x = Vec::new();
            let mut y = Vec::new();
            for i in 0..n {
                let interior =
                    i > 0 && i + 1 < n && iso.y[i - 1] == iso.y[i] && iso.y[i + 1] == iso.y[i];
                if !interior {
                    x.push(iso.x[i]);
                    y.push(iso.y[i]);
                }
            }
            Calibrator::Isotonic(Isotonic { x, y })
        }
        other => other.clone(),
    }
}
