//! Drawing. Every function reads `&App` and never changes it: the tab bar, one file per tab, the status
//! line with the job gauge, the key-hint bar built from the keymap, and the overlays.

pub mod data;
pub mod help;
pub mod personas;
pub mod predict;
pub mod recs;
pub mod roi;
pub mod segments;
pub mod theme;
pub mod value;
pub mod widgets;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph, Tabs};
use ratatui::Frame;

use crate::app::keymap::Scope;
use crate::app::{App, Overlay, StatusKind, Tab};

/// Draw the whole screen.
pub fn draw(f: &mut Frame, app: &App) {
    let [top, body, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(f.area());
    draw_tabs(f, app, top);
    match app.tab {
        Tab::Data => data::draw(f, app, body),
        Tab::Segments => segments::draw(f, app, body),
        Tab::Personas => personas::draw(f, app, body),
        Tab::Predict => predict::draw(f, app, body),
        Tab::Roi => roi::draw(f, app, body),
        Tab::Value => value::draw(f, app, body),
        Tab::NextBuy => recs::draw(f, app, body),
    }
    draw_status(f, app, status);
    draw_hints(f, app, hints);
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help { scroll } => help::draw(f, app, *scroll),
        Overlay::Open { buffer } => {
            draw_prompt(f, app, " Open a CSV, TSV or Parquet file ", buffer)
        }
        Overlay::Rename { buffer, .. } => draw_prompt(f, app, " New name for the persona ", buffer),
        Overlay::Presenter { page } => personas::draw_presenter(f, app, *page),
        Overlay::Rule { buffer } => draw_prompt(f, app, " Target rule, e.g. Recency > 60 ", buffer),
        Overlay::Value { slider, buffer } => {
            let title = format!(
                " New value: {} ",
                crate::app::roi_tab::SLIDERS[(*slider).min(4)]
            );
            draw_prompt(f, app, &title, buffer)
        }
    }
}

fn draw_tabs(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.theme;
    let titles: Vec<Line> = Tab::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| Line::from(format!("{} {}", i + 1, t.title())))
        .collect();
    // each title is padded by a space on both sides, with a one-cell divider between
    let tabs_width: usize = titles.iter().map(|t| t.width() + 3).sum::<usize>();
    // the tabs come first: the file name takes what is left, and is left out below 8 cells
    let room = (area.width as usize).saturating_sub(15 + tabs_width);
    let max = room.min(area.width as usize / 3);
    let file = match &app.ws {
        _ if max < 8 => String::new(),
        Some(w) => format!("{} ", widgets::fit(&w.file_name(), max).trim_end()),
        None => "no file ".into(),
    };
    let [brand, tabs, right] = Layout::horizontal([
        Constraint::Length(15),
        Constraint::Min(10),
        Constraint::Length(file.chars().count() as u16),
    ])
    .areas(area);
    f.render_widget(
        Paragraph::new(Span::styled(" campaign-lens", th.title())),
        brand,
    );
    f.render_widget(
        Tabs::new(titles)
            .select(app.tab.index())
            .highlight_style(th.selected().add_modifier(Modifier::BOLD))
            .divider("│"),
        tabs,
    );
    f.render_widget(Paragraph::new(Span::styled(file, th.dim())), right);
}

fn draw_status(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.theme;
    if let Some(job) = &app.job {
        let gauge = Gauge::default()
            .gauge_style(th.bar())
            .ratio(job.fraction.clamp(0.0, 1.0) as f64)
            .label(format!(
                "{} · {:.0} % · Esc cancels",
                job.label,
                job.fraction * 100.0
            ));
        f.render_widget(gauge, area);
        return;
    }
    if let Some(s) = &app.status {
        let style = match s.kind {
            StatusKind::Error => th.error(),
            StatusKind::Info => Style::default(),
        };
        f.render_widget(
            Paragraph::new(Span::styled(format!(" {}", s.text), style)),
            area,
        );
    }
}

/// The hint bar: keys marked as hints, global and for the current tab, from the keymap table.
pub fn hint_text(app: &App) -> String {
    app.keymap
        .iter()
        .filter(|b| b.scope == Scope::Global || b.scope == Scope::Tab(app.tab))
        .filter_map(|b| b.hint.map(|h| format!("{} {h}", b.label)))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn draw_hints(f: &mut Frame, app: &App, area: Rect) {
    let text = format!(" 1-7 tabs · ↑↓←→ move · Esc back · {}", hint_text(app));
    f.render_widget(Paragraph::new(Span::styled(text, app.theme.dim())), area);
}

/// A centred rectangle of at most `w` × `h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn draw_prompt(f: &mut Frame, app: &App, title: &str, buffer: &str) {
    let area = centered(f.area(), 80, 5);
    f.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title.to_string())
        .border_style(app.theme.title());
    let text = vec![
        Line::from(format!("{buffer}█")),
        Line::from(Span::styled(
            "Enter confirms · Esc cancels · Ctrl-U clears",
            app.theme.dim(),
        )),
    ];
    f.render_widget(Paragraph::new(text).block(block), area);
}
