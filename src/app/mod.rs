//! Application state and `update`: a pure state machine driven by `Action`s. It performs no I/O; side
//! effects (start a job, toggle the mouse, quit) come back as `Command`s for the runtime.

pub mod action;
pub mod data_tab;
mod job_events;
pub mod keymap;
pub mod order_log;
pub mod predict_tab;
pub mod recs_tab;
pub mod roi_tab;
pub mod segments_tab;
pub mod session_state;
pub mod value_tab;

use std::path::{Path, PathBuf};

pub(crate) use action::move_in_list;
pub use action::{Action, Command, Tab};
use data_tab::DataState;
use keymap::{default_keymap, Binding};
use predict_tab::PredictState;
use recs_tab::RecsState;
use roi_tab::RoiState;
use segments_tab::SegmentsState;
use value_tab::ValueState;

use crate::data::{LoadOptions, Workspace};
use crate::jobs::JobKind;

/// A modal layer over the tabs.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    None,
    Help {
        scroll: u16,
    },
    /// Path prompt for opening a file.
    Open {
        buffer: String,
    },
    /// New name for a persona.
    Rename {
        id: usize,
        buffer: String,
    },
    /// Full-screen persona pages.
    Presenter {
        page: usize,
    },
    /// Typing a rule target for Predict.
    Rule {
        buffer: String,
    },
    /// Typing a value for an ROI slider.
    Value {
        slider: usize,
        buffer: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub kind: StatusKind,
}

/// A job in flight, for the progress gauge.
#[derive(Debug, Clone, PartialEq)]
pub struct JobStatus {
    pub id: u64,
    pub label: String,
    pub fraction: f32,
}

pub struct App {
    pub tab: Tab,
    pub keymap: Vec<Binding>,
    pub ws: Option<Workspace>,
    pub overlay: Overlay,
    pub status: Option<Status>,
    pub job: Option<JobStatus>,
    pub mouse: bool,
    pub quit: bool,
    pub data: DataState,
    pub segments: SegmentsState,
    pub predict: PredictState,
    pub roi: RoiState,
    pub value: ValueState,
    pub recs: RecsState,
    /// The order log a customer table was built from (`C`), kept for the analyses of the log itself.
    pub order_log: Option<Box<Workspace>>,
    pub load_options: LoadOptions,
    pub theme: crate::ui::theme::Theme,
    pub settings: crate::config::Settings,
    /// Save and restore sessions (off in tests and with --no-session).
    pub sessions: bool,
    next_job: u64,
}

impl Default for App {
    fn default() -> Self {
        Self::new()
    }
}

impl App {
    pub fn new() -> Self {
        Self {
            tab: Tab::Data,
            keymap: default_keymap(),
            ws: None,
            overlay: Overlay::None,
            status: None,
            job: None,
            mouse: false,
            quit: false,
            data: DataState::default(),
            segments: SegmentsState::default(),
            predict: PredictState::default(),
            roi: RoiState::default(),
            value: ValueState::default(),
            recs: RecsState::default(),
            order_log: None,
            load_options: LoadOptions::default(),
            theme: crate::ui::theme::Theme::detect(),
            settings: crate::config::Settings::default(),
            sessions: false,
            next_job: 1,
        }
    }

    /// Apply settings: theme, key moves, defaults.
    pub fn with_settings(mut self, s: crate::config::Settings) -> Self {
        self.theme = crate::ui::theme::Theme::named(&s.theme);
        keymap::apply_keys(&mut self.keymap, &s.keys);
        self.settings = s;
        self
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            kind: StatusKind::Info,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            kind: StatusKind::Error,
        });
    }

    /// Queue a job; the runtime starts it.
    pub fn start_job(&mut self, kind: JobKind) -> Command {
        // a superseded Predict job's partial table no longer claims to be running
        self.predict.partial = false;
        let id = self.next_job;
        self.next_job += 1;
        self.job = Some(JobStatus {
            id,
            label: kind.label(),
            fraction: 0.0,
        });
        Command::Start { id, kind }
    }

    /// Request loading a file (keeps the current data until the new one is ready).
    pub fn open(&mut self, path: PathBuf) -> Command {
        let opts = self.load_options.clone();
        self.start_job(JobKind::Load { path, opts })
    }

    fn install(&mut self, ws: Workspace) {
        let msg = format!(
            "loaded {}: {} rows × {} columns in {:.2} s",
            ws.file_name(),
            crate::fmt::thousands(ws.rows() as f64),
            ws.df.width(),
            ws.load_time.as_secs_f64()
        );
        self.data = DataState::default();
        self.ws = Some(ws);
        data_tab::refresh(self);
        segments_tab::reset(self);
        predict_tab::reset(self);
        roi_tab::reset(self);
        value_tab::reset(self);
        recs_tab::reset(self);
        self.info(msg);
    }
}

/// Stop the running job; what was shown of a partial fit stays, marked as complete as it will get.
fn cancel_job(app: &mut App, cmds: &mut Vec<Command>) {
    if app.job.take().is_some() {
        app.predict.partial = false;
        cmds.push(Command::Cancel);
        app.info("cancelled");
    }
}

fn go_tab(app: &mut App, tab: Tab, cmds: &mut Vec<Command>) {
    app.tab = tab;
    if matches!(tab, Tab::Segments | Tab::Personas) {
        cmds.extend(segments_tab::on_visit(app));
    }
    if matches!(tab, Tab::Predict | Tab::Roi) {
        cmds.extend(predict_tab::on_visit(app));
    }
    if tab == Tab::NextBuy {
        cmds.extend(recs_tab::on_visit(app));
    }
}

/// The file a path typed into the open prompt names. The prompt starts with the current folder, so a path
/// typed after it is read as in Emacs' minibuffer: `folder//abs/file.csv` is `/abs/file.csv` and
/// `folder/~/file.csv` is `~/file.csv`; a leading `~/` is the home folder.
pub fn typed_path(text: &str, home: Option<&Path>) -> PathBuf {
    let mut rest = text;
    if let Some(i) = rest.rfind("//") {
        rest = &rest[i + 1..];
    }
    if let Some(i) = rest.rfind("/~/") {
        rest = &rest[i + 1..];
    }
    match (rest.strip_prefix("~/"), home) {
        (Some(tail), Some(home)) => home.join(tail),
        _ => PathBuf::from(rest),
    }
}

/// Apply one action to the app.
pub fn update(app: &mut App, action: Action) -> Vec<Command> {
    let mut cmds = Vec::new();
    // A prompt captures typing.
    if let Overlay::Open { buffer }
    | Overlay::Rename { buffer, .. }
    | Overlay::Value { buffer, .. }
    | Overlay::Rule { buffer } = &mut app.overlay
    {
        match action {
            Action::Input(c) => {
                buffer.push(c);
                return cmds;
            }
            Action::Backspace => {
                buffer.pop();
                return cmds;
            }
            Action::ClearInput => {
                buffer.clear();
                return cmds;
            }
            Action::Submit => {
                let text = buffer.trim().to_string();
                let overlay = std::mem::replace(&mut app.overlay, Overlay::None);
                match overlay {
                    Overlay::Rename { id, .. } => segments_tab::rename(app, id, &text),
                    Overlay::Value { slider, .. } => roi_tab::submit_value(app, slider, &text),
                    Overlay::Rule { .. } => cmds.extend(predict_tab::submit_rule(app, &text)),
                    _ if text.is_empty() => app.info("open cancelled: no path given"),
                    _ => {
                        let home = directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf());
                        cmds.push(app.open(typed_path(&text, home.as_deref())))
                    }
                }
                return cmds;
            }
            Action::Back => {
                app.overlay = Overlay::None;
                return cmds;
            }
            Action::Quit
            | Action::JobProgress { .. }
            | Action::JobPartial { .. }
            | Action::JobDone { .. }
            | Action::Resize => {}
            _ => return cmds,
        }
    }
    // Presenter mode: pages and Esc.
    if let Overlay::Presenter { page } = &mut app.overlay {
        let pages = app
            .segments
            .run
            .as_ref()
            .map(|r| r.personas.len())
            .unwrap_or(1)
            .max(1);
        match action {
            Action::Left | Action::Up | Action::PageUp => {
                *page = page.saturating_sub(1);
                return cmds;
            }
            Action::Right | Action::Down | Action::PageDown | Action::Run => {
                *page = (*page + 1).min(pages - 1);
                return cmds;
            }
            Action::Back | Action::Present => {
                app.segments.persona = *page;
                app.overlay = Overlay::None;
                return cmds;
            }
            Action::Quit
            | Action::JobProgress { .. }
            | Action::JobPartial { .. }
            | Action::JobDone { .. }
            | Action::Resize => {}
            _ => return cmds,
        }
    }
    match action {
        Action::Quit => {
            app.quit = true;
            cmds.push(Command::Quit);
        }
        Action::NextTab => go_tab(app, app.tab.next(), &mut cmds),
        Action::PrevTab => go_tab(app, app.tab.prev(), &mut cmds),
        Action::GoTab(t) => go_tab(app, t, &mut cmds),
        Action::ToggleHelp => {
            app.overlay = match app.overlay {
                Overlay::Help { .. } => Overlay::None,
                _ => Overlay::Help { scroll: 0 },
            }
        }
        Action::Back => {
            if app.overlay != Overlay::None {
                app.overlay = Overlay::None;
            } else if app.job.is_some() {
                cancel_job(app, &mut cmds);
            } else {
                app.status = None;
            }
        }
        Action::OpenPrompt => {
            let buffer = app
                .ws
                .as_ref()
                .and_then(|w| w.path.parent())
                .map(|p| {
                    let s = p.display().to_string();
                    if s.is_empty() {
                        s
                    } else {
                        format!("{s}/")
                    }
                })
                .unwrap_or_default();
            app.overlay = Overlay::Open { buffer };
        }
        Action::ToggleMouse => {
            app.mouse = !app.mouse;
            cmds.push(Command::SetMouse(app.mouse));
            app.info(if app.mouse {
                "mouse on: the wheel scrolls (hold Shift to select text)"
            } else {
                "mouse off"
            });
        }
        Action::Export => cmds.push(Command::Export),
        Action::Exported(Ok(files)) => {
            let dir = files
                .first()
                .and_then(|f| f.parent())
                .map(|d| d.display().to_string())
                .unwrap_or_default();
            let lists = files
                .iter()
                .filter(|f| f.extension().is_some_and(|e| e == "csv"))
                .count();
            let also = match lists {
                0 => String::new(),
                1 => " and 1 list (CSV)".to_string(),
                n => format!(" and {n} lists (CSV)"),
            };
            app.info(format!(
                "exported {} files (PNG and SVG){also} to {dir}",
                files.len() - lists
            ));
        }
        Action::Exported(Err(e)) => app.error(format!("export: {e}")),
        Action::SaveModel => cmds.push(Command::SaveModel),
        Action::SavedModel(Ok((path, what))) => {
            app.info(format!("saved {what} to {}", path.display()))
        }
        Action::SavedModel(Err(e)) => app.error(format!("save model: {e}")),
        Action::CancelJob => cancel_job(app, &mut cmds),
        Action::JobProgress {
            id,
            fraction,
            label,
        } => {
            if let Some(j) = app.job.as_mut().filter(|j| j.id == id) {
                j.fraction = fraction;
                j.label = label;
            }
        }
        Action::JobPartial { id, outcome } => job_events::on_partial(app, id, *outcome),
        Action::JobDone { id, outcome } => job_events::on_done(app, id, *outcome, &mut cmds),
        Action::SetWorkspace(ws) => {
            app.install(*ws);
            order_log::hint(app);
        }
        Action::BuildCustomers => order_log::build(app, &mut cmds),
        Action::Restore(Ok(s)) => {
            session_state::apply(app, &s);
            app.info("restored your last session for this file (--no-session ignores it)");
        }
        Action::Restore(Err(w)) => app.error(w),
        Action::Resize | Action::Input(_) | Action::Backspace | Action::Submit => {}
        other => {
            if let Overlay::Help { scroll } = &mut app.overlay {
                match other {
                    Action::Up => *scroll = scroll.saturating_sub(1),
                    Action::Down => *scroll = scroll.saturating_add(1),
                    Action::PageUp => *scroll = scroll.saturating_sub(10),
                    Action::PageDown => *scroll = scroll.saturating_add(10),
                    _ => {}
                }
                return cmds;
            }
            let cmd = match app.tab {
                Tab::Data => {
                    data_tab::handle(app, other);
                    None
                }
                Tab::Segments => segments_tab::handle_segments(app, other),
                Tab::Personas => segments_tab::handle_personas(app, other),
                Tab::Predict => predict_tab::handle(app, other),
                Tab::Roi => {
                    roi_tab::handle(app, other);
                    None
                }
                Tab::Value => {
                    value_tab::handle(app, other);
                    None
                }
                Tab::NextBuy => {
                    recs_tab::handle(app, other);
                    None
                }
            };
            cmds.extend(cmd);
        }
    }
    cmds
}
