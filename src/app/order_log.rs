//! An order log opened in the dashboard: recognised on load (a customer column that repeats, a date, an
//! amount or quantity × price), and turned into the customer table with `C` as a job. The log is kept
//! (`App::order_log`) while every tab works on the customer table.

use super::{App, Command};
use crate::data::orders::{RoleOverrides, Roles};
use crate::data::Workspace;
use crate::jobs::JobKind;

/// Whether `ws` looks like an order log: the roles are there and customers repeat.
pub fn is_order_log(ws: &Workspace) -> bool {
    let Ok(roles) = Roles::detect(&ws.df, &RoleOverrides::default(), &ws.file_name()) else {
        return false;
    };
    ws.profile(&roles.customer)
        .is_some_and(|p| p.distinct > 0 && p.distinct < ws.rows())
}

/// After a load: say that `C` builds the customer table.
pub(super) fn hint(app: &mut App) {
    if app.ws.as_ref().is_some_and(is_order_log) {
        let text = app
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default();
        app.info(format!(
            "{text} · an order log: C builds the customer table"
        ));
    }
}

/// `C`: start the job, or say why not.
pub(super) fn build(app: &mut App, cmds: &mut Vec<Command>) {
    let Some(ws) = app.ws.as_ref() else {
        return;
    };
    if !is_order_log(ws) {
        let why = Roles::detect(&ws.df, &RoleOverrides::default(), &ws.file_name())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_else(|| {
                format!(
                    "{}: every customer appears once: not an order log",
                    ws.file_name()
                )
            });
        app.error(why);
        return;
    }
    let kind = JobKind::Customers {
        ws: Box::new(ws.clone()),
    };
    cmds.push(app.start_job(kind));
}

/// The finished table: it becomes the workspace, the log is kept.
pub(super) fn install(app: &mut App, table: Workspace, summary: String) {
    app.order_log = app.ws.take().map(Box::new);
    app.install(table);
    app.info(format!("built {summary}"));
}
