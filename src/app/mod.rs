//! Application state and `update`: a pure state machine driven by `Action`s. It performs no I/O; side
//! effects (start a job, toggle the mouse, quit) come back as `Command`s for the runtime.

pub mod action;
pub mod data_tab;
pub mod keymap;

use std::path::PathBuf;

pub use action::{Action, Command, Tab};
use data_tab::DataState;
use keymap::{default_keymap, Binding};

use crate::data::{LoadOptions, Workspace};
use crate::jobs::{JobKind, JobOutcome};

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
    pub load_options: LoadOptions,
    pub theme: crate::ui::theme::Theme,
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
            load_options: LoadOptions::default(),
            theme: crate::ui::theme::Theme::detect(),
            next_job: 1,
        }
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
        self.info(msg);
    }
}

/// Apply one action to the app.
pub fn update(app: &mut App, action: Action) -> Vec<Command> {
    let mut cmds = Vec::new();
    // A prompt captures typing.
    if let Overlay::Open { buffer } = &mut app.overlay {
        match action {
            Action::Input(c) => {
                buffer.push(c);
                return cmds;
            }
            Action::Backspace => {
                buffer.pop();
                return cmds;
            }
            Action::Submit => {
                let path = buffer.trim().to_string();
                app.overlay = Overlay::None;
                if path.is_empty() {
                    app.info("open cancelled: no path given");
                } else {
                    cmds.push(app.open(PathBuf::from(path)));
                }
                return cmds;
            }
            Action::Back => {
                app.overlay = Overlay::None;
                return cmds;
            }
            Action::Quit | Action::JobProgress { .. } | Action::JobDone { .. } | Action::Resize => {
            }
            _ => return cmds,
        }
    }
    match action {
        Action::Quit => {
            app.quit = true;
            cmds.push(Command::Quit);
        }
        Action::NextTab => app.tab = app.tab.next(),
        Action::PrevTab => app.tab = app.tab.prev(),
        Action::GoTab(t) => app.tab = t,
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
                cmds.push(Command::Cancel);
                app.job = None;
                app.info("cancelled");
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
        Action::CancelJob => {
            if app.job.take().is_some() {
                cmds.push(Command::Cancel);
                app.info("cancelled");
            }
        }
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
        Action::JobDone { id, outcome } => {
            if app.job.as_ref().map(|j| j.id) != Some(id) {
                return cmds; // a cancelled or superseded job
            }
            app.job = None;
            match *outcome {
                JobOutcome::Loaded(Ok(ws)) => app.install(*ws),
                JobOutcome::Loaded(Err(e)) => {
                    let kept = app
                        .ws
                        .as_ref()
                        .map(|w| format!(" (still showing {})", w.file_name()))
                        .unwrap_or_default();
                    app.error(format!("{e}{kept}"));
                }
                JobOutcome::Cancelled => app.info("cancelled"),
            }
        }
        Action::SetWorkspace(ws) => app.install(*ws),
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
            if app.tab == Tab::Data {
                data_tab::handle(app, other);
            }
        }
    }
    cmds
}
