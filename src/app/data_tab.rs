//! Data tab state: the selected column, its chart and breakdown (computed once per selection, not per
//! frame), and the preview scroll position.

use super::{Action, App};
use crate::data::breakdown::{breakdown, Breakdown};
use crate::data::profile::Flag;
use crate::data::summary::{frequencies, histogram, Histogram};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Columns,
    Preview,
}

/// What the Data tab shows for the selected column.
#[derive(Debug, Clone, Default)]
pub struct DataView {
    pub column: String,
    pub histogram: Option<Histogram>,
    pub frequencies: Vec<(String, usize)>,
    /// Rate of the target per value of the selected column; Err explains why there is none.
    pub breakdown: Option<Result<Breakdown, String>>,
}

#[derive(Debug, Clone, Default)]
pub struct DataState {
    pub selected: usize,
    pub focus: Focus,
    pub preview_row: usize,
    pub preview_col: usize,
    /// Breakdown target (a binary column).
    pub target: Option<String>,
    pub view: DataView,
}

/// Bins in the Data tab histogram.
pub const HIST_BINS: usize = 24;

/// Recompute the view for the current selection and target.
pub fn refresh(app: &mut App) {
    let Some(ws) = app.ws.as_ref() else { return };
    let n = ws.profiles.len();
    if n == 0 {
        return;
    }
    let st = &mut app.data;
    st.selected = st.selected.min(n - 1);
    if st.target.as_ref().and_then(|t| ws.profile(t)).is_none() {
        st.target = ws.default_target().map(|p| p.name.clone());
    }
    let p = &ws.profiles[st.selected];
    let Ok(col) = ws.df.column(&p.name) else {
        return;
    };
    let breakdown = match &st.target {
        None => Some(Err(
            "no binary column to use as a target (Yes/No, 0/1, True/False)".into(),
        )),
        Some(t) if *t == p.name => Some(Err(format!(
            "{t} is the target itself: press t for another"
        ))),
        Some(_) if p.has(Flag::Id) => Some(Err(format!(
            "{} is an identifier: one row per value",
            p.name
        ))),
        Some(_) if p.has(Flag::Constant) => Some(Err(format!("{} has a single value", p.name))),
        Some(t) => Some(breakdown(ws, &p.name, t, None).map_err(|e| e.to_string())),
    };
    st.view = DataView {
        column: p.name.clone(),
        histogram: if p.numeric {
            histogram(col, HIST_BINS)
        } else {
            None
        },
        frequencies: if p.numeric {
            Vec::new()
        } else {
            frequencies(col, 12, p.distinct)
        },
        breakdown,
    };
}

/// Data tab keys.
pub fn handle(app: &mut App, action: Action) {
    let Some(ws) = app.ws.as_ref() else {
        return;
    };
    let ncols = ws.profiles.len();
    let nrows = ws.rows();
    let width = ws.df.width();
    let st = &mut app.data;
    let step = |pos: usize, delta: isize, len: usize| -> usize {
        if len == 0 {
            return 0;
        }
        (pos as isize + delta).clamp(0, len as isize - 1) as usize
    };
    let mut reselect = false;
    match (action, st.focus) {
        (Action::SwitchFocus, f) => {
            st.focus = if f == Focus::Columns {
                Focus::Preview
            } else {
                Focus::Columns
            }
        }
        (Action::CycleTarget, _) => {
            let bins: Vec<String> = ws.binary_columns().iter().map(|p| p.name.clone()).collect();
            if bins.is_empty() {
                app.info("no binary column to use as a target");
                return;
            }
            let cur = st
                .target
                .as_ref()
                .and_then(|t| bins.iter().position(|b| b == t));
            st.target = Some(bins[cur.map(|i| (i + 1) % bins.len()).unwrap_or(0)].clone());
            let msg = format!(
                "breakdown target: {}",
                st.target.clone().unwrap_or_default()
            );
            refresh(app);
            app.info(msg);
            return;
        }
        (Action::Left, _) => st.preview_col = st.preview_col.saturating_sub(1),
        (Action::Right, _) => st.preview_col = step(st.preview_col, 1, width),
        (a, Focus::Columns) => {
            let before = st.selected;
            st.selected = match a {
                Action::Up => step(st.selected, -1, ncols),
                Action::Down => step(st.selected, 1, ncols),
                Action::PageUp => step(st.selected, -10, ncols),
                Action::PageDown => step(st.selected, 10, ncols),
                Action::Home => 0,
                Action::End => ncols.saturating_sub(1),
                _ => st.selected,
            };
            reselect = st.selected != before;
        }
        (a, Focus::Preview) => {
            st.preview_row = match a {
                Action::Up => step(st.preview_row, -1, nrows),
                Action::Down => step(st.preview_row, 1, nrows),
                Action::PageUp => step(st.preview_row, -20, nrows),
                Action::PageDown => step(st.preview_row, 20, nrows),
                Action::Home => 0,
                Action::End => nrows.saturating_sub(1),
                _ => st.preview_row,
            }
        }
    }
    if reselect {
        refresh(app);
    }
}
