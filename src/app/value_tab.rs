//! The Value tab: the lifetime-value view of a customer table (built with `C` from an order log, or a
//! `campaign-lens customers` CSV opened again). ↑↓ scroll a list; `l` moves between the at-risk list
//! and the most valuable customers.

use super::{Action, App};
use crate::pipeline::lifetime::value_view::{value_view, ValueView};

/// The list that ↑↓ scroll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum List {
    #[default]
    AtRisk,
    MostValuable,
}

#[derive(Debug, Clone, Default)]
pub struct ValueState {
    pub view: Option<ValueView>,
    pub list: List,
    pub scroll: usize,
}

impl ValueState {
    /// The rows of the list shown.
    pub fn rows(&self) -> &[crate::pipeline::lifetime::value_view::ValueRow] {
        match (&self.view, self.list) {
            (Some(v), List::AtRisk) => &v.at_risk,
            (Some(v), List::MostValuable) => &v.most_valuable,
            (None, _) => &[],
        }
    }
}

/// A new workspace: the view when it is a customer table with lifetime columns.
pub(super) fn reset(app: &mut App) {
    app.value = ValueState {
        view: app.ws.as_ref().and_then(|w| value_view(&w.df)),
        ..ValueState::default()
    };
}

pub(super) fn handle(app: &mut App, action: Action) {
    if let Action::SwitchFocus = action {
        app.value.list = match app.value.list {
            List::AtRisk => List::MostValuable,
            List::MostValuable => List::AtRisk,
        };
        app.value.scroll = 0;
        return;
    }
    let len = app.value.rows().len();
    super::move_in_list(&action, &mut app.value.scroll, len);
}
