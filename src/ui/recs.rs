//! The Next buy tab: the holdout figures of the recommender against best sellers, the customers, and the
//! selected customer's list beside what they bought before.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;

use super::widgets::fit;
use crate::app::App;
use crate::fmt::thousands;
use crate::pipeline::recommend::Recommendations;

const NO_LOG: &str = "Recommendations need an order log with a product column (Online Retail II's \
StockCode and Description, for example). Open one (o), then come back here: the list of each customer's \
most likely next products is fitted as a job and measured on the last 30 days against best sellers. `C` \
first builds the customer table; the log is kept for this tab.";

fn message(f: &mut Frame, area: Rect, text: &str) {
    f.render_widget(
        Paragraph::new(text.to_string())
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(" Next buy ")),
        area,
    );
}

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let Some(r) = app.recs.result.as_deref() else {
        if let Some(e) = &app.recs.error {
            return message(f, area, &format!("No recommendations: {e}"));
        }
        if app.job.is_some() {
            return message(
                f,
                area,
                "Fitting the recommender… the lists appear when it is done.",
            );
        }
        return message(f, area, NO_LOG);
    };
    let [top, bottom] = Layout::vertical([Constraint::Length(7), Constraint::Min(6)]).areas(area);
    draw_figures(f, app, r, top);
    let [list, detail] =
        Layout::horizontal([Constraint::Length(30), Constraint::Min(40)]).areas(bottom);
    draw_customers(f, app, r, list);
    draw_detail(f, app, r, detail);
}

fn draw_figures(f: &mut Frame, app: &App, r: &Recommendations, area: Rect) {
    let (h, k) = (&r.holdout, r.top);
    let head = format!(
        "{:<24}{:>14}{:>16}{:>13}",
        "",
        format!("hit rate@{k}"),
        format!("precision@{k}"),
        format!("recall@{k}")
    );
    let row = |name: &str, a: f64, b: f64, c: f64| format!("{name:<24}{a:>14.3}{b:>16.3}{c:>13.3}");
    let lift = |a: f64, b: f64| {
        if b > 0.0 {
            format!("{:.1}×", a / b)
        } else {
            "–".into()
        }
    };
    let (m, p) = (&h.method, &h.popularity);
    let lines = vec![
        Line::from(Span::styled(head, app.theme.dim())),
        Line::from(Span::styled(
            row(
                &format!("{} (λ = {})", r.method, r.lambda),
                m.hit_rate,
                m.precision,
                m.recall,
            ),
            app.theme.good(),
        )),
        Line::from(row("best sellers", p.hit_rate, p.precision, p.recall)),
        Line::from(format!(
            "{:<24}{:>14}{:>16}{:>13}",
            "lift over best sellers",
            lift(m.hit_rate, p.hit_rate),
            lift(m.precision, p.precision),
            lift(m.recall, p.recall)
        )),
        Line::from(Span::styled(
            format!(
                "{} of {} customers who bought something new after {} find it in their top {k}",
                thousands((m.hit_rate * h.customers as f64).round()),
                thousands(h.customers as f64),
                h.from
            ),
            app.theme.dim(),
        )),
    ];
    let title = format!(
        " Holdout from {}: trained on {} customers and {} products before it ",
        h.from,
        thousands(h.train_customers as f64),
        thousands(h.train_items as f64)
    );
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        area,
    );
}

fn draw_customers(f: &mut Frame, app: &App, r: &Recommendations, area: Rect) {
    let items: Vec<ListItem> = app
        .recs
        .customers
        .iter()
        .map(|&c| {
            ListItem::new(format!(
                "{:<14}{:>6} bought",
                fit(&r.customer_ids[c], 13),
                r.bought.of[c].len()
            ))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(app.recs.selected));
    let title = format!(" Customers ({}) ", thousands(items.len() as f64));
    f.render_stateful_widget(
        List::new(items)
            .block(Block::default().borders(Borders::ALL).title(title))
            .highlight_style(app.theme.selected()),
        area,
        &mut state,
    );
}

fn draw_detail(f: &mut Frame, app: &App, r: &Recommendations, area: Rect) {
    let Some(c) = app.recs.selected_customer() else {
        return message(f, area, "No customer has a list.");
    };
    let width = (area.width as usize).saturating_sub(14).max(10);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "Most likely next, refitted on every purchase (top {}):",
            r.top
        ),
        app.theme.title(),
    ))];
    for (rank, (item, score)) in r.lists[c].iter().enumerate() {
        lines.push(Line::from(format!(
            "{:>3}. {}{score:>7.3}",
            rank + 1,
            fit(r.name(*item), width)
        )));
    }
    let bought = &r.bought.of[c];
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            "Bought before ({} products):",
            thousands(bought.len() as f64)
        ),
        app.theme.title(),
    )));
    let room = (area.height as usize).saturating_sub(lines.len() + 2);
    let shown: Vec<String> = bought
        .iter()
        .take(room.max(1) * 2)
        .map(|&i| r.name(i).to_string())
        .collect();
    let half = (area.width as usize).saturating_sub(4) / 2;
    for pair in shown.chunks(2).take(room) {
        let left = fit(&pair[0], half.saturating_sub(2));
        let right = pair
            .get(1)
            .map(|s| fit(s, half.saturating_sub(2)))
            .unwrap_or_default();
        lines.push(Line::from(Span::styled(
            format!("  {left}  {right}"),
            app.theme.dim(),
        )));
    }
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" Customer {} ", r.customer_ids[c])),
        ),
        area,
    );
}
