//! The help overlay, generated from the keymap table.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::centered;
use crate::app::keymap::Scope;
use crate::app::{App, Tab};

/// Lines of the help screen: every binding, grouped by where it applies.
pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    let th = &app.theme;
    let mut lines = Vec::new();
    let mut scopes = vec![Scope::Global];
    scopes.extend(Tab::ALL.iter().map(|t| Scope::Tab(*t)));
    for scope in scopes {
        let keys: Vec<_> = app.keymap.iter().filter(|b| b.scope == scope).collect();
        if keys.is_empty() {
            continue;
        }
        let title = match scope {
            Scope::Global => "Everywhere".to_string(),
            Scope::Tab(t) => format!("{} tab", t.title()),
        };
        lines.push(Line::from(Span::styled(title, th.title())));
        // one line per action: keys bound to the same thing are listed together
        let mut seen: Vec<&str> = Vec::new();
        for b in &keys {
            if seen.contains(&b.help) {
                continue;
            }
            seen.push(b.help);
            let labels: Vec<&str> = keys
                .iter()
                .filter(|k| k.help == b.help)
                .map(|k| k.label)
                .collect();
            lines.push(Line::from(format!(
                "  {:<14} {}",
                labels.join(" / "),
                b.help
            )));
        }
        lines.push(Line::from(""));
    }
    lines
}

pub fn draw(f: &mut Frame, app: &App, scroll: u16) {
    let area: Rect = centered(f.area(), 72, f.area().height.saturating_sub(4));
    f.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Keys · ↑/↓ scroll · Esc or ? closes ")
        .border_style(app.theme.title());
    f.render_widget(
        Paragraph::new(help_lines(app))
            .block(block)
            .scroll((scroll, 0)),
        area,
    );
}
