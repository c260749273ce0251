//! The terminal runtime: sets up and always restores the terminal, turns key presses into actions through
//! the keymap, runs commands (jobs, mouse) and redraws.

use std::io;
use std::time::Duration;

use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyCode, KeyEvent, KeyEventKind,
    KeyModifiers, MouseEventKind,
};
use ratatui::crossterm::execute;
use ratatui::DefaultTerminal;

use crate::app::keymap::lookup;
use crate::app::{update, Action, App, Command, Overlay};
use crate::jobs::{JobEvent, Jobs};

/// Map a key press to an action: prompts take text, everything else goes through the keymap.
pub fn key_to_action(app: &App, key: &KeyEvent) -> Option<Action> {
    if let Overlay::Open { .. }
    | Overlay::Rename { .. }
    | Overlay::Value { .. }
    | Overlay::Rule { .. } = app.overlay
    {
        return match key.code {
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                Some(Action::Quit)
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                Some(Action::ClearInput)
            }
            KeyCode::Char(c) => Some(Action::Input(c)),
            _ => None,
        };
    }
    lookup(&app.keymap, app.tab, key)
}

fn restore_mouse() {
    let _ = execute!(io::stdout(), DisableMouseCapture);
}

/// Run the dashboard until the user quits. The terminal is restored on every exit, panics included.
pub fn run(mut app: App, initial: Vec<Command>) -> io::Result<()> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_mouse();
        ratatui::restore();
        hook(info);
    }));
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, &mut app, initial);
    restore_mouse();
    ratatui::restore();
    if app.sessions {
        save_session(&app);
    }
    result
}

fn save_session(app: &App) {
    if let Err(e) = crate::app::session_state::save(app) {
        eprintln!("campaign-lens: could not save the session: {e}");
    }
}

fn execute_commands(app: &mut App, jobs: &mut Jobs, cmds: Vec<Command>) -> io::Result<()> {
    for cmd in cmds {
        match cmd {
            Command::Start { id, kind } => {
                if app.sessions && matches!(kind, crate::jobs::JobKind::Load { .. }) {
                    save_session(app);
                }
                jobs.start(id, kind)
            }
            Command::LoadSession(path) => {
                let restored = match crate::session::load(&path) {
                    Ok(Some(s)) => Some(Ok(Box::new(s))),
                    Ok(None) => None,
                    Err(w) => Some(Err(w)),
                };
                if let Some(r) = restored {
                    let more = update(app, Action::Restore(r));
                    execute_commands(app, jobs, more)?;
                }
            }
            Command::Cancel => jobs.cancel_current(),
            Command::SetMouse(true) => execute!(io::stdout(), EnableMouseCapture)?,
            Command::SetMouse(false) => execute!(io::stdout(), DisableMouseCapture)?,
            Command::Quit => app.quit = true,
            Command::Export => {
                let result = crate::export::tab::export_tab(app);
                let more = update(app, Action::Exported(result));
                execute_commands(app, jobs, more)?;
            }
            Command::SaveModel => {
                let result = crate::export::model::save_models(app);
                let more = update(app, Action::SavedModel(result));
                execute_commands(app, jobs, more)?;
            }
        }
    }
    Ok(())
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    initial: Vec<Command>,
) -> io::Result<()> {
    let mut jobs = Jobs::default();
    execute_commands(app, &mut jobs, initial)?;
    while !app.quit {
        terminal.draw(|f| crate::ui::draw(f, app))?;
        if event::poll(Duration::from_millis(50))? {
            let action = match event::read()? {
                Event::Key(key) if key.kind == KeyEventKind::Press => key_to_action(app, &key),
                Event::Mouse(m) if app.mouse => match m.kind {
                    MouseEventKind::ScrollUp => Some(Action::Up),
                    MouseEventKind::ScrollDown => Some(Action::Down),
                    _ => None,
                },
                Event::Resize(_, _) => Some(Action::Resize),
                _ => None,
            };
            if let Some(action) = action {
                let cmds = update(app, action);
                execute_commands(app, &mut jobs, cmds)?;
            }
        }
        for ev in jobs.poll() {
            let action = match ev {
                JobEvent::Progress {
                    id,
                    fraction,
                    label,
                } => Action::JobProgress {
                    id,
                    fraction,
                    label,
                },
                JobEvent::Partial { id, outcome } => Action::JobPartial {
                    id,
                    outcome: Box::new(outcome),
                },
                JobEvent::Done { id, outcome } => Action::JobDone {
                    id,
                    outcome: Box::new(outcome),
                },
            };
            let cmds = update(app, action);
            execute_commands(app, &mut jobs, cmds)?;
        }
    }
    Ok(())
}
