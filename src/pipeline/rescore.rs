//! Scoring every row again with another model of a finished run (the dashboard's `M`, the CLI's
//! `--score-with`): the design matrix is rebuilt from the run's columns, the run's selection records
//! the user's pick, and the scores are that model's calibrated probabilities.

use super::predict::{PredictRun, MAX_LEVELS};
use super::PipelineError;
use crate::data::matrix::design_matrix;
use crate::data::Workspace;

impl PredictRun {
    /// Score with model `forced` (an index into the report's models; `None` = back to the best).
    pub fn rescore(&mut self, ws: &Workspace, forced: Option<usize>) -> Result<(), PipelineError> {
        let file = ws.file_name();
        self.report.reselect(forced);
        let model = self
            .report
            .selected()
            .filter(|m| m.model.is_some())
            .ok_or_else(|| PipelineError::Segment(format!("{file}: no model was fitted")))?;
        let (numeric, categorical) = &self.columns;
        let design = design_matrix(&ws.df, numeric, categorical, MAX_LEVELS)
            .map_err(|e| PipelineError::Segment(format!("{file}: {e}")))?;
        if design.names != self.features_used {
            return Err(PipelineError::Segment(format!(
                "{file}: the table changed since the model was fitted; fit it again"
            )));
        }
        self.scores = model.score(&design.x);
        Ok(())
    }
}
