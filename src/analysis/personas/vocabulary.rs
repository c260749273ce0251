//! What personas are built from, shared by the naming (`persona`) and the strategy (`strategy`): the
//! naming vocabulary of `assets/personas.toml`, the per-cluster profile, and the error type.

use std::collections::HashMap;

use serde::Deserialize;
use thiserror::Error;

const VOCABULARY: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/personas.toml"));

#[derive(Debug, Error, PartialEq)]
pub enum PersonaError {
    #[error("no clusters to describe")]
    Empty,
    #[error("inputs disagree: {0}")]
    Mismatch(String),
    #[error("personas vocabulary: {0}")]
    Vocabulary(String),
    #[error("a persona name cannot be empty")]
    EmptyName,
    #[error("another persona is already called {0:?}")]
    DuplicateName(String),
    #[error("no persona {0}")]
    NoPersona(usize),
}

#[derive(Debug, Clone, Deserialize)]
pub struct TraitWords {
    pub column: String,
    pub label: String,
    pub high: Option<String>,
    pub low: Option<String>,
    pub high_noun: Option<String>,
    pub low_noun: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Rule {
    pub word: String,
    pub when: Vec<(String, String)>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChannelWords {
    pub name: String,
    pub word: String,
}

/// The naming vocabulary.
#[derive(Debug, Clone, Deserialize)]
pub struct Vocabulary {
    pub min_z: f64,
    pub min_index: f64,
    pub default_noun: String,
    #[serde(rename = "trait", default)]
    pub traits: Vec<TraitWords>,
    #[serde(rename = "rule", default)]
    pub rules: Vec<Rule>,
    #[serde(default)]
    pub channels: HashMap<String, ChannelWords>,
    #[serde(default)]
    pub categories: HashMap<String, String>,
}

impl Vocabulary {
    /// The vocabulary shipped in `assets/personas.toml`.
    pub fn embedded() -> Result<Self, PersonaError> {
        Self::parse(VOCABULARY)
    }
    pub fn parse(text: &str) -> Result<Self, PersonaError> {
        toml::from_str(text).map_err(|e| PersonaError::Vocabulary(e.to_string().replace('\n', " ")))
    }
    /// Readable name of a spend category column ("MntFishProducts" → "Fish").
    pub fn category_name(&self, column: &str) -> Option<&str> {
        self.categories
            .get(&column.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// Per-cluster means of numeric columns, with the overall statistics.
#[derive(Debug, Clone)]
pub struct ProfileInput {
    pub columns: Vec<String>,
    /// k × columns, original units (NaN where unknown).
    pub cluster_means: Vec<Vec<f64>>,
    pub overall_mean: Vec<f64>,
    /// Population standard deviations.
    pub overall_sd: Vec<f64>,
    pub sizes: Vec<usize>,
    /// The clustering features (reported as `means` and `z`).
    pub features: Vec<String>,
    /// Rate of a binary target per cluster and overall.
    pub target: Option<(String, Vec<f64>, f64)>,
}
