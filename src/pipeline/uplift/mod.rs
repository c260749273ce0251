//! Test tables through the uplift analyses: the readout (per arm, lift against control, sample-ratio
//! mismatch, balance, CUPED) and the uplift models (two-model and class-transformation learners built
//! from the lineup's classifiers, evaluated on a held-out part). Entry points: [`readout::run_readout`],
//! [`model::run_uplift`].

pub mod model;
pub mod readout;
pub mod split;

use crate::data::experiment::{Experiment, ExperimentError};
use crate::data::Workspace;

/// What the user named: the treatment column, its control value and the outcomes (all optional).
#[derive(Debug, Clone, Default)]
pub struct Roles<'a> {
    pub treatment: Option<&'a str>,
    pub control: Option<&'a str>,
    pub outcomes: Option<&'a [String]>,
}

/// Resolve the test's roles on `ws`; errors name the file.
pub fn resolve(ws: &Workspace, roles: &Roles) -> Result<Experiment, String> {
    let file = ws.file_name();
    let err = |e: ExperimentError| format!("{file}: {e}");
    let treatment = crate::data::experiment::find_treatment(ws, roles.treatment).map_err(err)?;
    crate::data::experiment::experiment(ws, &treatment, roles.control, roles.outcomes).map_err(err)
}
