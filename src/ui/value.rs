//! The Value tab: the predicted-value distribution, the P(alive) matrix by repeat purchases × weeks since
//! the last purchase, and a list of customers (at risk, or the most valuable).

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::widgets::{fit, hbar};
use crate::app::value_tab::List;
use crate::app::App;
use crate::fmt::{money, num, pct, thousands};
use crate::pipeline::lifetime::value_view::{
    fold_tail, ValueView, AT_RISK_ALIVE, FREQUENCY_BANDS, HIGH_VALUE_SHARE, RECENCY_BANDS,
};

const NO_VIEW: &str = "Lifetime value needs a customer table built from an order log. Open an order \
log (o), for example Online Retail II, and press C: the customer table with RFM segments, P(alive) and \
CLV replaces it, and this tab shows who is worth most and who is slipping away. A CSV written by \
`campaign-lens customers LOG --out customers.csv` works too.";

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let Some(view) = &app.value.view else {
        let msg = if app.ws.is_some() {
            NO_VIEW.to_string()
        } else {
            "No file open: press o to open one.".to_string()
        };
        f.render_widget(
            Paragraph::new(msg)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL).title(" Value ")),
            area,
        );
        return;
    };
    let rows = FREQUENCY_BANDS.len() as u16 + 4;
    let [top, bottom] =
        Layout::vertical([Constraint::Length(rows), Constraint::Min(4)]).areas(area);
    let [hist, matrix] =
        Layout::horizontal([Constraint::Min(40), Constraint::Length(71)]).areas(top);
    draw_histogram(f, app, view, hist);
    draw_matrix(f, app, view, matrix);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
    draw_list(f, app, view, List::AtRisk, left);
    draw_list(f, app, view, List::MostValuable, right);
}

fn draw_histogram(f: &mut Frame, app: &App, v: &ValueView, area: Rect) {
    let cur = app.settings.currency.as_str();
    let mut lines = vec![
        Line::from(format!(
            "{} customers · {} in all",
            thousands(v.customers as f64),
            money(v.total_clv, cur),
        )),
        Line::from(Span::styled(
            format!("the top tenth hold {} of it", pct(v.top_tenth_share)),
            app.theme.dim(),
        )),
    ];
    let max = v.histogram.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let bar_w = (area.width as usize).saturating_sub(22).max(4);
    let room = (area.height as usize).saturating_sub(4);
    for (label, n) in fold_tail(&v.histogram, room) {
        let n = &n;
        lines.push(Line::from(vec![
            Span::raw(format!("{:>9} ", format!("{cur}{label}"))),
            Span::styled(
                fit(&hbar(*n as f64 / max as f64, bar_w), bar_w),
                app.theme.bar(),
            ),
            Span::raw(format!(" {:>6}", thousands(*n as f64))),
        ]));
    }
    let title = format!(" Predicted value, next {} days ", v.horizon_days);
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        area,
    );
}

/// Colour for a P(alive): red (likely gone) through yellow to green (likely active).
fn alive_colour(app: &App, p: f64) -> Style {
    if !app.theme.colour {
        return if p < AT_RISK_ALIVE {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
    }
    let c = match p {
        p if p >= 0.75 => Color::Green,
        p if p >= 0.5 => Color::Cyan,
        p if p >= 0.25 => Color::Yellow,
        _ => Color::Red,
    };
    Style::default().fg(c)
}

fn draw_matrix(f: &mut Frame, app: &App, v: &ValueView, area: Rect) {
    let cell = 10;
    let mut head = vec![Span::styled(format!("{:<7}", "repeat"), app.theme.dim())];
    for (label, _, _) in RECENCY_BANDS {
        head.push(Span::styled(format!("{label:>cell$}"), app.theme.dim()));
    }
    let mut lines = vec![Line::from(head)];
    for (i, row) in v.matrix.iter().enumerate() {
        let mut spans = vec![Span::raw(format!("{:<7}", FREQUENCY_BANDS[i].0))];
        for c in row {
            match c {
                Some((p, n)) => spans.push(Span::styled(
                    format!(
                        "{:>5}{:>5}",
                        format!("{:.0}%", p * 100.0),
                        thousands(*n as f64)
                    ),
                    alive_colour(app, *p),
                )),
                None => spans.push(Span::styled(format!("{:>cell$}", "·"), app.theme.dim())),
            }
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(Span::styled(
        "columns: weeks since the last purchase · no repeat: 1 by the model",
        app.theme.dim(),
    )));
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Still active? mean P(alive) by repeat purchases and recency "),
        ),
        area,
    );
}

fn draw_list(f: &mut Frame, app: &App, v: &ValueView, which: List, area: Rect) {
    let cur = app.settings.currency.as_str();
    let (rows, title) = match which {
        List::AtRisk => (
            &v.at_risk,
            format!(
                " At risk: {} of the top {} by spend, P(alive) < {} ",
                thousands(v.at_risk.len() as f64),
                pct(HIGH_VALUE_SHARE).replace(".0 ", " "),
                pct(AT_RISK_ALIVE).replace(".0 ", " "),
            ),
        ),
        List::MostValuable => (
            &v.most_valuable,
            format!(" Most valuable, by {}-day CLV ", v.horizon_days),
        ),
    };
    let focused = app.value.list == which;
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{:<11}{:>6}{:>11}{:>8}{:>9}{:>11}",
            "customer", "orders", "spent", "last", "P(alive)", "CLV"
        ),
        app.theme.dim(),
    ))];
    let room = (area.height as usize).saturating_sub(3);
    let start = if focused {
        app.value.scroll.min(rows.len().saturating_sub(room.max(1)))
    } else {
        0
    };
    for r in rows.iter().skip(start).take(room) {
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{:<11}{:>6}{:>11}{:>8}",
                fit(&r.id, 10),
                num(r.orders),
                money(r.monetary, cur),
                format!("{} d", thousands(r.recency_days)),
            )),
            Span::styled(
                format!("{:>9}", pct(r.p_alive)),
                alive_colour(app, r.p_alive),
            ),
            Span::raw(format!("{:>11}", money(r.clv, cur))),
        ]));
    }
    if rows.is_empty() {
        lines.push(Line::from(Span::styled(
            "nobody: every high spender still looks active",
            app.theme.good(),
        )));
    } else if which == List::AtRisk {
        let stake: f64 = rows.iter().map(|r| r.monetary).sum();
        lines.push(Line::from(Span::styled(
            format!(
                "spent {} · top fifth: from {} · at stake first",
                money(stake, cur),
                money(v.high_value_from, cur)
            ),
            app.theme.dim(),
        )));
    }
    let border = if focused {
        app.theme.title()
    } else {
        Style::default()
    };
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(border)
                .title(title),
        ),
        area,
    );
}
