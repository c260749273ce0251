//! The Personas tab (one card per cluster) and presenter mode (one persona per full-screen page).

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;

use super::widgets::{fit, hbar};
use crate::analysis::personas::persona::Persona;
use crate::app::segments_tab::members;
use crate::app::App;
use crate::fmt::{num, pct, thousands};
use crate::pipeline::SegmentRun;

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let Some(run) = &app.segments.run else {
        let msg = if app.job.is_some() {
            "Finding segments… the personas appear when the sweep is done."
        } else {
            "No personas yet: run the k-means sweep on the Segments tab (2, then Enter)."
        };
        f.render_widget(
            Paragraph::new(msg).block(Block::default().borders(Borders::ALL)),
            area,
        );
        return;
    };
    let [list, card] =
        Layout::horizontal([Constraint::Length(40), Constraint::Min(40)]).areas(area);
    let items: Vec<ListItem> = run
        .personas
        .iter()
        .map(|p| {
            let rate = p
                .target_rate
                .map(|r| format!(" · {} {}", run.target.clone().unwrap_or_default(), pct(r)))
                .unwrap_or_default();
            ListItem::new(vec![
                Line::from(Span::styled(
                    p.name.clone(),
                    Style::default()
                        .fg(app.theme.series(p.id))
                        .add_modifier(Modifier::BOLD),
                )),
                Line::from(Span::styled(
                    format!("  {} · {}{rate}", thousands(p.size as f64), pct(p.share)),
                    app.theme.dim(),
                )),
            ])
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(app.segments.persona));
    f.render_stateful_widget(
        List::new(items)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" Personas (k = {}) ", run.chosen_k)),
            )
            .highlight_style(app.theme.selected()),
        list,
        &mut state,
    );
    if let Some(p) = run.personas.get(app.segments.persona) {
        draw_card(f, app, run, p, card);
    }
}

/// A z-score as a bar centred on the average: left of │ below, right above (±2 sd fills the half).
pub fn z_bar(z: f64, half: usize) -> String {
    let cells = ((z.abs() / 2.0).min(1.0) * half as f64).round() as usize;
    if z < 0.0 {
        format!(
            "{}{}│{}",
            " ".repeat(half - cells),
            "█".repeat(cells),
            " ".repeat(half)
        )
    } else {
        format!(
            "{}│{}{}",
            " ".repeat(half),
            "█".repeat(cells),
            " ".repeat(half - cells)
        )
    }
}

fn overall_rate(run: &SegmentRun) -> Option<f64> {
    let total: usize = run.personas.iter().map(|p| p.size).sum();
    let hits: f64 = run
        .personas
        .iter()
        .filter_map(|p| p.target_rate.map(|r| r * p.size as f64))
        .sum();
    run.target.as_ref().map(|_| hits / total.max(1) as f64)
}

fn draw_card(f: &mut Frame, app: &App, run: &SegmentRun, p: &Persona, area: Rect) {
    let th = &app.theme;
    let mut lines = vec![Line::from(vec![
        Span::styled(p.name.clone(), th.title()),
        Span::raw(format!(
            "  ·  {} customers, {} of the base",
            thousands(p.size as f64),
            pct(p.share)
        )),
    ])];
    if let (Some(r), Some(t), Some(o)) = (p.target_rate, &run.target, overall_rate(run)) {
        lines.push(Line::from(format!(
            "{t} rate {} vs {} overall ({:.1}× the average)",
            pct(r),
            pct(o),
            r / o.max(1e-12)
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            "{:<22}{:>10}{:>10}   below ← average → above",
            "feature", "persona", "average"
        ),
        th.dim(),
    )));
    for (name, m, om, z) in &p.profile {
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{}{:>10}{:>10}  ",
                fit(name, 22),
                num(*m),
                num(*om)
            )),
            Span::styled(z_bar(*z, 10), Style::default().fg(th.series(p.id))),
            Span::raw(format!(" {z:+.1} sd")),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("What sets them apart", th.title())));
    for t in &p.traits {
        lines.push(Line::from(format!("  · {t}")));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("Strategy", th.title())));
    let s = &p.strategy;
    if let Some(c) = &s.channel {
        lines.push(Line::from(format!("  channel   {c}")));
    }
    if let Some(d) = &s.deal_sensitivity {
        lines.push(Line::from(format!("  deals     {d}")));
    }
    if !s.over_indexed.is_empty() {
        let cats: Vec<String> = s
            .over_indexed
            .iter()
            .map(|(c, i)| format!("{c} {i:.0}"))
            .collect();
        lines.push(Line::from(format!(
            "  buys more {} (index, 100 = average)",
            cats.join(", ")
        )));
    }
    lines.push(Line::from(format!("  offer     {}", s.offer)));
    lines.push(Line::from(format!("  message   {}", s.message)));
    if let Some(next) = likely_next(app, p) {
        lines.push(Line::from(format!("  next buys {next}")));
    }
    if let Some(nb) = next_best_line(app, run, p) {
        lines.push(Line::from(""));
        lines.push(Line::from(nb));
    }
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Persona card · r rename · p present · n next customer "),
        ),
        area,
    );
}

/// "Customer 1234: customers like you buy more Fish" for the selected member.
fn next_best_line(app: &App, run: &SegmentRun, p: &Persona) -> Option<String> {
    let nb = run.next_best.as_ref()?;
    let rows = members(run, p.id);
    if rows.is_empty() {
        return None;
    }
    let row = rows[app.segments.customer % rows.len()];
    let ws = app.ws.as_ref()?;
    let id_col = ws
        .profiles
        .iter()
        .find(|c| c.has(crate::data::profile::Flag::Id));
    let who = id_col
        .and_then(|c| ws.df.column(&c.name).ok())
        .and_then(|c| crate::data::profile::cell(c, row))
        .map(|v| format!("customer {v}"))
        .unwrap_or_else(|| format!("row {}", row + 1));
    let cat = nb.get(row)?.clone()?;
    Some(format!(
        "Next best for {who} ({} of {}): customers like you buy more {cat}",
        app.segments.customer % rows.len() + 1,
        thousands(rows.len() as f64)
    ))
}

/// Presenter mode: one persona per page, large name, facts in plain words, bars, actions.
pub fn draw_presenter(f: &mut Frame, app: &App, page: usize) {
    let area = f.area();
    f.render_widget(Clear, area);
    let th = &app.theme;
    let Some(run) = &app.segments.run else {
        f.render_widget(Paragraph::new("No personas yet. Esc leaves."), area);
        return;
    };
    let Some(p) = run.personas.get(page) else {
        return;
    };
    let spaced: String = p
        .name
        .to_uppercase()
        .chars()
        .map(|c| format!("{c} "))
        .collect();
    let name = if spaced.chars().count() <= area.width as usize - 4 {
        spaced.trim_end().to_string()
    } else {
        p.name.to_uppercase()
    };
    let mut lines = vec![
        Line::from(""),
        Line::from(Span::styled(name, th.title().add_modifier(Modifier::BOLD))).centered(),
        Line::from(format!(
            "{} customers · {} of the base",
            thousands(p.size as f64),
            pct(p.share)
        ))
        .centered(),
        Line::from(""),
    ];
    if let (Some(r), Some(t), Some(o)) = (p.target_rate, &run.target, overall_rate(run)) {
        lines.push(Line::from(format!(
            "  ▸ {t}: {} respond, against {} on average",
            pct(r),
            pct(o)
        )));
    }
    for t in p.traits.iter().take(4) {
        lines.push(Line::from(format!("  ▸ {t}")));
    }
    lines.push(Line::from(""));
    let bar_w = (area.width as usize).saturating_sub(44).clamp(8, 40);
    let mut prof = p.profile.clone();
    prof.sort_by(|a, b| b.3.abs().total_cmp(&a.3.abs()));
    for (name, m, om, _) in prof.iter().take(4) {
        let max = m.abs().max(om.abs()).max(1e-12);
        lines.push(Line::from(vec![
            Span::raw(format!("  {:<16}", fit(name, 16))),
            Span::styled(
                fit(&hbar(m.abs() / max, bar_w), bar_w),
                Style::default().fg(th.series(p.id)),
            ),
            Span::raw(format!(" {}", num(*m))),
        ]));
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<16}", "  average"), th.dim()),
            Span::styled(fit(&hbar(om.abs() / max, bar_w), bar_w), th.dim()),
            Span::styled(format!(" {}", num(*om)), th.dim()),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("  Recommended", th.title())));
    lines.push(Line::from(format!("  ▸ Offer: {}", p.strategy.offer)));
    lines.push(Line::from(format!("  ▸ Message: {}", p.strategy.message)));
    if let Some(next) = likely_next(app, p) {
        lines.push(Line::from(format!("  ▸ Likely next buys: {next}")));
    }
    let footer = format!(
        " ←/→ persona {} of {} · Esc leaves ",
        page + 1,
        run.personas.len()
    );
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Personas ")
                .title_bottom(footer),
        ),
        area,
    );
}

/// The products a persona's members are most likely to buy next (from the Next buy tab's lists).
fn likely_next(app: &App, p: &Persona) -> Option<String> {
    let products = app.recs.persona_products.get(p.id)?;
    if products.is_empty() {
        return None;
    }
    let names: Vec<String> = products
        .iter()
        .map(|(name, n)| format!("{name} ({} customers)", thousands(*n as f64)))
        .collect();
    Some(names.join(" · "))
}
