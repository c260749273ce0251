//! How a saved model's features are built from a raw file: derived features from their recipes (with the
//! reference values frozen at fit time), numerics with the training median where a value is missing, and
//! one-hot levels (a value not seen at fit time goes to the `=other` column when there is one, else to no
//! column, and is counted).

use std::collections::HashMap;

use ndarray::Array2;
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::DeployError;
use crate::data::features::{evaluate, Recipe, RecipeError};
use crate::data::matrix::{median, Levels, MISSING_LEVEL};
use crate::data::profile::f64_chunked;

/// A derived feature and how to compute it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivedSpec {
    pub name: String,
    pub formula: String,
    pub recipe: Recipe,
}

/// A numeric feature and the value a missing cell gets (the training median).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumericSpec {
    pub column: String,
    pub fill: f64,
    /// Cells that were missing in the training file.
    pub missing_at_fit: usize,
}

/// Everything needed to rebuild a design matrix: derived features first, then numerics, then one-hot
/// categoricals, in design column order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct FeatureSpec {
    pub derived: Vec<DerivedSpec>,
    pub numeric: Vec<NumericSpec>,
    pub categorical: Vec<Levels>,
}

/// A categorical value the model never saw, and how often.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unseen {
    pub column: String,
    pub rows: usize,
    /// Up to three of the values, for the message.
    pub examples: Vec<String>,
}

/// A design matrix built from a spec, with what was filled or unseen.
#[derive(Debug, Clone)]
pub struct Built {
    pub x: Array2<f64>,
    /// Rows with every numeric feature present (segments leave the others unassigned under "drop").
    pub complete: Vec<bool>,
    /// Numeric cells filled with the training median, per column (columns with none left out).
    pub filled: Vec<(String, usize)>,
    pub unseen: Vec<Unseen>,
}

impl FeatureSpec {
    /// Design column names, as at fit time (`col=level`, `col=other`).
    pub fn columns(&self) -> Vec<String> {
        let mut names: Vec<String> = self.numeric.iter().map(|n| n.column.clone()).collect();
        for c in &self.categorical {
            names.extend(c.levels.iter().map(|l| format!("{}={l}", c.column)));
            if c.pooled {
                names.push(format!("{}=other", c.column));
            }
        }
        names
    }

    /// The raw columns a file must have.
    pub fn raw_inputs(&self) -> Vec<String> {
        let derived: Vec<&str> = self.derived.iter().map(|d| d.name.as_str()).collect();
        let mut out: Vec<String> = Vec::new();
        let mut add = |c: String| {
            if !out.contains(&c) {
                out.push(c);
            }
        };
        for d in &self.derived {
            d.recipe.inputs().into_iter().for_each(&mut add);
        }
        for n in &self.numeric {
            if !derived.contains(&n.column.as_str()) {
                add(n.column.clone());
            }
        }
        for c in &self.categorical {
            add(c.column.clone());
        }
        out
    }

    /// Freeze a spec from the training frame: `derived` are the frame's derived features (only those a
    /// feature uses are kept), the fills are the medians of the whole column.
    pub fn freeze(
        df: &DataFrame,
        derived: &[crate::data::features::Derived],
        numeric: &[String],
        categorical: Vec<Levels>,
    ) -> Result<FeatureSpec, DeployError> {
        let used = |name: &str| numeric.iter().any(|n| n == name);
        let derived = derived
            .iter()
            .filter(|d| used(&d.name))
            .filter_map(|d| {
                Some(DerivedSpec {
                    name: d.name.clone(),
                    formula: d.formula.clone(),
                    recipe: d.recipe.clone()?,
                })
            })
            .collect();
        let mut specs = Vec::with_capacity(numeric.len());
        for c in numeric {
            let col = df.column(c).map_err(|_| DeployError::MissingColumn {
                file: "the training table".into(),
                column: c.clone(),
                why: "a feature".into(),
            })?;
            let ca = f64_chunked(col).ok_or_else(|| DeployError::NotNumeric {
                file: "the training table".into(),
                column: c.clone(),
            })?;
            let vals: Vec<Option<f64>> = ca.iter().collect();
            let missing = vals
                .iter()
                .filter(|v| !v.is_some_and(f64::is_finite))
                .count();
            specs.push(NumericSpec {
                column: c.clone(),
                fill: median(&vals).unwrap_or(0.0),
                missing_at_fit: missing,
            });
        }
        Ok(FeatureSpec {
            derived,
            numeric: specs,
            categorical,
        })
    }

    /// The design matrix of `df` (`file` names it in messages).
    pub fn build(&self, df: &DataFrame, file: &str) -> Result<Built, DeployError> {
        let mut frame = df.clone();
        for d in &self.derived {
            let col = evaluate(&frame, &d.name, &d.recipe).map_err(|e| match e {
                RecipeError::Missing(c) => DeployError::MissingColumn {
                    file: file.into(),
                    column: c,
                    why: format!("{} = {}", d.name, d.formula),
                },
                RecipeError::NotNumeric(c) => DeployError::NotNumeric {
                    file: file.into(),
                    column: c,
                },
                RecipeError::NotDate(c) => DeployError::NotDate {
                    file: file.into(),
                    column: c,
                },
                RecipeError::BadReference(r) => DeployError::Mismatch(format!(
                    "{file}: the model's reference date {r:?} is not a date"
                )),
            })?;
            frame
                .with_column(col)
                .map_err(|e| DeployError::Mismatch(e.to_string()))?;
        }
        let n = frame.height();
        let names = self.columns();
        let mut x = Array2::<f64>::zeros((n, names.len()));
        let mut complete = vec![true; n];
        let mut filled = Vec::new();
        for (j, spec) in self.numeric.iter().enumerate() {
            let col = frame
                .column(&spec.column)
                .map_err(|_| DeployError::MissingColumn {
                    file: file.into(),
                    column: spec.column.clone(),
                    why: "a feature".into(),
                })?;
            // a column with no values at all is read as text: every cell is missing
            let ca = match f64_chunked(col) {
                Some(ca) => ca,
                None if col.null_count() == col.len() => {
                    Float64Chunked::full_null(spec.column.as_str().into(), col.len())
                }
                None => {
                    return Err(DeployError::NotNumeric {
                        file: file.into(),
                        column: spec.column.clone(),
                    })
                }
            };
            let mut count = 0;
            for ((dst, v), ok) in x.column_mut(j).iter_mut().zip(ca.iter()).zip(&mut complete) {
                match v.filter(|v| v.is_finite()) {
                    Some(v) => *dst = v,
                    None => {
                        *dst = spec.fill;
                        *ok = false;
                        count += 1;
                    }
                }
            }
            if count > 0 {
                filled.push((spec.column.clone(), count));
            }
        }
        let mut first = self.numeric.len();
        let mut unseen = Vec::new();
        for c in &self.categorical {
            let col = frame
                .column(&c.column)
                .map_err(|_| DeployError::MissingColumn {
                    file: file.into(),
                    column: c.column.clone(),
                    why: "a feature".into(),
                })?;
            let text = col
                .as_materialized_series()
                .cast(&DataType::String)
                .map_err(|e| DeployError::Mismatch(format!("{file}: {}: {e}", c.column)))?;
            let ca = text
                .str()
                .map_err(|e| DeployError::Mismatch(format!("{file}: {}: {e}", c.column)))?;
            let slots: HashMap<&str, usize> = c
                .levels
                .iter()
                .enumerate()
                .map(|(i, l)| (l.as_str(), first + i))
                .collect();
            let other = c.pooled.then_some(first + c.levels.len());
            let mut new = Unseen {
                column: c.column.clone(),
                rows: 0,
                examples: Vec::new(),
            };
            for (i, v) in ca.iter().enumerate() {
                let v = v.unwrap_or(MISSING_LEVEL);
                match slots.get(v).copied() {
                    Some(s) => x[[i, s]] = 1.0,
                    None => {
                        // not one of the model's levels (new, or rare and pooled at fit time)
                        new.rows += 1;
                        if new.examples.len() < 3 && !new.examples.iter().any(|e| e == v) {
                            new.examples.push(v.to_string());
                        }
                        if let Some(o) = other {
                            x[[i, o]] = 1.0;
                        }
                    }
                }
            }
            if new.rows > 0 {
                unseen.push(new);
            }
            first += c.levels.len() + usize::from(c.pooled);
        }
        Ok(Built {
            x,
            complete,
            filled,
            unseen,
        })
    }
}
