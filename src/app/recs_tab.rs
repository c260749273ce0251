//! The Next buy tab: product recommendations from the order log behind the customer table (or the log
//! itself), run as a job on the first visit. It shows the holdout figures against popularity and, for the
//! selected customer, the list beside what they bought before. The result also reaches the customer table
//! (`next_products`) and the persona cards.

use std::sync::Arc;

use super::{Action, App, Command};
use crate::jobs::JobKind;
use crate::pipeline::recommend::columns::{next_products_column, persona_next_products};
use crate::pipeline::recommend::Recommendations;

#[derive(Debug, Clone, Default)]
pub struct RecsState {
    pub result: Option<Arc<Recommendations>>,
    pub error: Option<String>,
    /// Customers with a list, in the log's order (indices into `Recommendations::customer_ids`).
    pub customers: Vec<usize>,
    pub selected: usize,
    /// Per persona: the products its members are most likely to buy next, and how many have each.
    pub persona_products: Vec<Vec<(String, usize)>>,
}

impl RecsState {
    pub fn selected_customer(&self) -> Option<usize> {
        self.customers.get(self.selected).copied()
    }
}

/// The order log to recommend from: the one kept by `C`, or the open file when it is a log.
fn log(app: &App) -> Option<&crate::data::Workspace> {
    app.order_log.as_deref().or(app
        .ws
        .as_ref()
        .filter(|w| super::order_log::is_order_log(w)))
}

/// A new workspace: the figures stay only while the same log stands behind it.
pub(super) fn reset(app: &mut App) {
    let keep = app.recs.result.is_some() && app.order_log.is_some();
    if !keep {
        app.recs = RecsState::default();
    }
    refresh_personas(app);
}

/// First visit: start the job when there is a log and nothing yet.
pub(super) fn on_visit(app: &mut App) -> Option<Command> {
    if app.recs.result.is_some() || app.recs.error.is_some() || app.job.is_some() {
        return None;
    }
    let log = Box::new(log(app)?.clone());
    Some(app.start_job(JobKind::Recommend { log }))
}

pub(super) fn install(app: &mut App, r: Recommendations) {
    let customers: Vec<usize> = (0..r.lists.len())
        .filter(|&c| !r.lists[c].is_empty())
        .collect();
    let h = &r.holdout;
    app.info(format!(
        "recommendations for {} customers in {:.1} s · holdout from {}: hit rate@{} {:.3} against popularity's {:.3}",
        crate::fmt::thousands(customers.len() as f64),
        r.seconds,
        h.from,
        r.top,
        h.method.hit_rate,
        h.popularity.hit_rate
    ));
    if let Some(ws) = app.ws.as_mut().filter(|_| app.order_log.is_some()) {
        if let Ok(col) = next_products_column(&ws.df, &r, 3) {
            let _ = ws.set_column(col, "the three most likely next products (EASE)");
        }
    }
    app.recs = RecsState {
        result: Some(Arc::new(r)),
        error: None,
        customers,
        selected: 0,
        persona_products: Vec::new(),
    };
    refresh_personas(app);
}

/// The persona cards' "likely next buys", from the customer table's `next_products`.
pub fn refresh_personas(app: &mut App) {
    app.recs.persona_products = match (&app.ws, &app.segments.run) {
        (Some(ws), Some(run)) => {
            persona_next_products(&ws.df, &run.frame_labels(ws.rows()), run.personas.len(), 3)
        }
        _ => Vec::new(),
    };
}

pub(super) fn handle(app: &mut App, action: Action) {
    let len = app.recs.customers.len();
    super::move_in_list(&action, &mut app.recs.selected, len);
}
