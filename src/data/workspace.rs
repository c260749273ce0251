//! The one shared frame: the loaded table, the columns campaign-lens derived or added (cluster, persona,
//! score), and their profiles. Every tab and every CLI command reads from a `Workspace`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use polars::prelude::*;

use super::features::{add_derived, Derived};
use super::load::{load, LoadError, LoadOptions, Loaded};
use super::profile::{profile_column, profile_frame, ColumnProfile, Flag};

/// Column names that usually hold a response or churn outcome, in order of preference.
const TARGET_HINTS: [&str; 8] = [
    "response",
    "churn",
    "y",
    "converted",
    "didpurchase",
    "purchased",
    "target",
    "label",
];

#[derive(Debug, Clone)]
pub struct Workspace {
    pub path: PathBuf,
    pub df: DataFrame,
    pub separator: Option<u8>,
    /// How the file was read, for people ("separator: comma", "sheet \"Customers\" of 3", "Parquet").
    pub source: String,
    pub load_time: Duration,
    pub notes: Vec<String>,
    /// Columns computed at load (Age, Spent, …) and by analyses (cluster, persona, score_…).
    pub derived: Vec<Derived>,
    pub profiles: Vec<ColumnProfile>,
}

impl Workspace {
    /// Load a file and build its workspace (derived features, profiles).
    pub fn open(path: &Path, opts: &LoadOptions) -> Result<Self, LoadError> {
        let loaded = load(path, opts)?;
        Self::from_loaded(loaded).map_err(|e| LoadError::Parse {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
    }

    pub fn from_loaded(loaded: Loaded) -> PolarsResult<Self> {
        let Loaded {
            path,
            mut df,
            separator,
            source,
            elapsed,
            notes,
        } = loaded;
        let derived = add_derived(&mut df)?;
        let profiles = profile_frame(&df, |n| derived.iter().any(|d| d.name == n));
        Ok(Self {
            path,
            df,
            separator,
            source,
            load_time: elapsed,
            notes,
            derived,
            profiles,
        })
    }

    pub fn rows(&self) -> usize {
        self.df.height()
    }

    pub fn profile(&self, name: &str) -> Option<&ColumnProfile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    pub fn formula(&self, name: &str) -> Option<&str> {
        self.derived
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.formula.as_str())
    }

    /// The columns derived column `name` is computed from (empty for a column read from the file).
    pub fn sources_of(&self, name: &str) -> Vec<String> {
        self.derived
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.sources.clone())
            .unwrap_or_default()
    }

    /// Derived columns computed from column `name`.
    pub fn derived_from(&self, name: &str) -> Vec<String> {
        self.derived
            .iter()
            .filter(|d| d.sources.iter().any(|s| s == name))
            .map(|d| d.name.clone())
            .collect()
    }

    /// Columns flagged binary (candidate targets).
    pub fn binary_columns(&self) -> Vec<&ColumnProfile> {
        self.profiles
            .iter()
            .filter(|p| p.has(Flag::Binary))
            .collect()
    }

    /// The binary column that looks most like an outcome (Response, Churn, y, …), else the last binary one.
    pub fn default_target(&self) -> Option<&ColumnProfile> {
        let bins = self.binary_columns();
        for hint in TARGET_HINTS {
            if let Some(p) = bins.iter().find(|p| p.name.to_ascii_lowercase() == hint) {
                return Some(p);
            }
        }
        bins.into_iter().rev().find(|p| !p.derived)
    }

    /// Add or replace an analysis column (cluster, persona, score) so every view sees it.
    pub fn set_column(&mut self, column: Column, formula: &str) -> PolarsResult<()> {
        let name = column.name().to_string();
        self.df.with_column(column)?;
        match self.derived.iter_mut().find(|d| d.name == name) {
            Some(d) => d.formula = formula.to_string(),
            None => self.derived.push(Derived {
                name: name.clone(),
                formula: formula.to_string(),
                sources: Vec::new(),
                recipe: None,
            }),
        }
        let profile = profile_column(self.df.column(&name)?, true);
        match self.profiles.iter_mut().find(|p| p.name == name) {
            Some(p) => *p = profile,
            None => self.profiles.push(profile),
        }
        Ok(())
    }

    /// File name for titles.
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_else(|| self.path.display().to_string())
    }
}
