//! A job's results reaching the app: a partial result (a model that finished while others fit) and the
//! final outcome of every job kind, installed in its tab or reported on the status line.

use super::{predict_tab, segments_tab, App, Command};
use crate::jobs::JobOutcome;

/// A model that finished while the rest of its job runs; ignored for a cancelled or superseded job.
pub(super) fn on_partial(app: &mut App, id: u64, outcome: JobOutcome) {
    if app.job.as_ref().map(|j| j.id) != Some(id) {
        return;
    }
    if let JobOutcome::Predicted(Ok(run)) = outcome {
        predict_tab::install_partial(app, *run);
    }
}

/// A finished job; ignored for a cancelled or superseded one.
pub(super) fn on_done(app: &mut App, id: u64, outcome: JobOutcome, cmds: &mut Vec<Command>) {
    if app.job.as_ref().map(|j| j.id) != Some(id) {
        return;
    }
    app.job = None;
    app.predict.partial = false;
    match outcome {
        JobOutcome::Loaded(Ok(ws)) => {
            app.install(*ws);
            super::order_log::hint(app);
            if app.sessions {
                let path = app.ws.as_ref().map(|w| w.path.clone());
                cmds.extend(path.map(Command::LoadSession));
            }
        }
        JobOutcome::Loaded(Err(e)) => {
            let kept = app
                .ws
                .as_ref()
                .map(|w| format!(" (still showing {})", w.file_name()))
                .unwrap_or_default();
            app.error(format!("{e}{kept}"));
        }
        JobOutcome::Segmented(Ok(run)) => segments_tab::install(app, *run),
        JobOutcome::Predicted(Ok(run)) => predict_tab::install(app, *run),
        JobOutcome::Rescored(Ok(run)) => predict_tab::install_rescored(app, *run),
        JobOutcome::Rescored(Err(e)) => app.error(e),
        JobOutcome::Customers(Ok((ws, summary))) => super::order_log::install(app, *ws, summary),
        JobOutcome::Customers(Err(e)) => app.error(e),
        JobOutcome::Recommended(Ok(r)) => super::recs_tab::install(app, *r),
        JobOutcome::Recommended(Err(e)) => {
            app.recs.error = Some(e.clone());
            app.error(e);
        }
        JobOutcome::Predicted(Err(e)) => {
            app.predict.error = Some(e.clone());
            app.error(e);
        }
        JobOutcome::Segmented(Err(e)) => {
            app.segments.error = Some(e.clone());
            app.error(e);
        }
        JobOutcome::Cancelled => app.info("cancelled"),
    }
}
