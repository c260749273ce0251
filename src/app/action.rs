//! Everything that can happen to the app: key-bound actions, typed text, and job results.

use crate::data::Workspace;
use crate::jobs::{JobKind, JobOutcome};

/// The seven tabs, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Data,
    Segments,
    Personas,
    Predict,
    Roi,
    Value,
    NextBuy,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Data,
        Tab::Segments,
        Tab::Personas,
        Tab::Predict,
        Tab::Roi,
        Tab::Value,
        Tab::NextBuy,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Data => "Data",
            Tab::Segments => "Segments",
            Tab::Personas => "Personas",
            Tab::Predict => "Predict",
            Tab::Roi => "ROI",
            Tab::Value => "Value",
            Tab::NextBuy => "Next buy",
        }
    }
    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }
    pub fn prev(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }
}

/// Actions bound to keys (see the keymap) plus events from outside.
#[derive(Debug, Clone)]
pub enum Action {
    Quit,
    NextTab,
    PrevTab,
    GoTab(Tab),
    ToggleHelp,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    Left,
    Right,
    Home,
    End,
    /// Open another file: shows the path prompt.
    OpenPrompt,
    ToggleMouse,
    /// Data tab: cycle the breakdown target among binary columns.
    CycleTarget,
    /// Data tab: move focus between the column list and the preview.
    SwitchFocus,
    /// Cancel the running job.
    CancelJob,
    /// Export the current tab's charts (PNG and SVG).
    Export,
    /// The export finished: files written, or why not.
    Exported(Result<Vec<std::path::PathBuf>, String>),
    /// Save the current segments and response model as a model file.
    SaveModel,
    /// An order log: build the customer table from it.
    BuildCustomers,
    /// The model file was written (where, and what it holds), or why not.
    SavedModel(Result<(std::path::PathBuf, String), String>),
    /// Segments: include/exclude the feature under the cursor.
    ToggleItem,
    /// Segments: z-scoring on/off.
    ToggleScale,
    /// Segments: drop rows with missing values, or fill with medians.
    ToggleNulls,
    /// Segments: run the sweep again.
    Run,
    /// Segments: widen / narrow the k range.
    KMore,
    KLess,
    /// Personas: rename the selected persona.
    Rename,
    /// Personas: full-screen presenter mode.
    Present,
    /// Personas: show the next customer of the persona (next-best category).
    NextCustomer,
    /// ROI: coarse slider steps (Shift-←/→).
    BigLeft,
    BigRight,
    /// ROI (campaigns): allocate the budget so marginal returns are equal.
    AutoAllocate,
    /// ROI (campaigns): back to today's spends.
    ResetPlan,
    /// Predict: threshold at the best F1.
    BestF1,
    /// Predict: threshold with the most profit (ROI costs).
    BestProfit,
    /// Predict: next chart (ROC, gains, calibration).
    NextView,
    /// Predict: show the next model's confusion matrix, curves and drivers.
    NextModel,
    /// Predict: score customers (personas, ROI) with the shown model instead of the best by CV AUC.
    UseModel,
    /// Predict: the other value of the target counts as positive.
    SwitchPositive,
    /// Predict: type a rule target such as "Recency > 60".
    RuleTarget,
    /// Text typed into a prompt.
    Input(char),
    Backspace,
    /// Clear a prompt's text (Ctrl-U).
    ClearInput,
    Submit,
    /// The terminal was resized: just redraw.
    Resize,
    /// A job reported progress (0..1) with a label.
    JobProgress {
        id: u64,
        fraction: f32,
        label: String,
    },
    /// A job delivered part of its result and goes on.
    JobPartial {
        id: u64,
        outcome: Box<JobOutcome>,
    },
    /// A job finished.
    JobDone {
        id: u64,
        outcome: Box<JobOutcome>,
    },
    /// Install a workspace directly (startup and tests).
    SetWorkspace(Box<Workspace>),
    /// A saved session for the current file (or why it could not be read).
    Restore(Result<Box<crate::session::Session>, String>),
}

/// Side effects `update` asks the runtime to perform (the app itself does no I/O).
#[derive(Debug, Clone)]
pub enum Command {
    Start {
        id: u64,
        kind: JobKind,
    },
    /// Draw the current tab's charts to files.
    Export,
    /// Write the current segments and response model to a model file.
    SaveModel,
    /// Read the saved session of this file.
    LoadSession(std::path::PathBuf),
    Cancel,
    SetMouse(bool),
    Quit,
}

/// ↑↓, PgUp/PgDn and Home/End on a position in a list of `len` rows; other actions leave it.
pub(crate) fn move_in_list(action: &Action, pos: &mut usize, len: usize) {
    let last = len.saturating_sub(1);
    *pos = match action {
        Action::Up => pos.saturating_sub(1),
        Action::Down => (*pos + 1).min(last),
        Action::PageUp => pos.saturating_sub(10),
        Action::PageDown => (*pos + 10).min(last),
        Action::Home => 0,
        Action::End => last,
        _ => *pos,
    };
}
