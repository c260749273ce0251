//! The Data tab: file summary, column table, the selected column's chart and statistics, the breakdown of a
//! binary target by that column, and a scrollable preview of rows.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Bar, BarChart, BarGroup, Block, Borders, Cell, Paragraph, Row, Table, TableState,
};
use ratatui::Frame;

use super::widgets::{fit, hbar};
use crate::app::data_tab::Focus;
use crate::app::App;
use crate::data::profile::{string_values, ColumnProfile, Flag};
use crate::data::Workspace;
use crate::fmt::{num, pct, thousands};

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let Some(ws) = app.ws.as_ref() else {
        let text = vec![
            Line::from("No data loaded."),
            Line::from("Press o and type the path of a CSV, TSV or Parquet file."),
        ];
        f.render_widget(
            Paragraph::new(text).block(Block::default().borders(Borders::ALL)),
            area,
        );
        return;
    };
    // On short terminals the preview goes first, then the charts shrink.
    let tall = area.height >= 30;
    let [summary, columns, middle, preview] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(5),
        Constraint::Length(if tall { 12 } else { 9 }),
        Constraint::Length(if tall { 8 } else { 0 }),
    ])
    .areas(area);
    draw_summary(f, app, ws, summary);
    draw_columns(f, app, ws, columns);
    let [chart, brk] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(middle);
    draw_chart(f, app, ws, chart);
    draw_breakdown(f, app, brk);
    if preview.height > 0 {
        draw_preview(f, app, ws, preview);
    }
}

fn draw_summary(f: &mut Frame, app: &App, ws: &Workspace, area: Rect) {
    let th = &app.theme;
    let line1 = Line::from(vec![
        Span::styled(format!(" {}", ws.path.display()), th.title()),
        Span::raw(format!(
            " · {} rows × {} columns · {} · loaded in {:.2} s",
            thousands(ws.rows() as f64),
            ws.df.width(),
            ws.source,
            ws.load_time.as_secs_f64()
        )),
    ]);
    let derived: Vec<&str> = ws.derived.iter().map(|d| d.name.as_str()).collect();
    let mut parts = Vec::new();
    if !derived.is_empty() {
        parts.push(format!("derived: {}", derived.join(", ")));
    }
    parts.extend(ws.notes.iter().cloned());
    let line2 = Line::from(Span::styled(format!(" {}", parts.join(" · ")), th.dim()));
    f.render_widget(Paragraph::new(vec![line1, line2]), area);
}

fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

/// A column's statistic: calendar years (an integer column named like Year_Birth) without separators.
fn stat(p: &ColumnProfile, x: Option<f64>) -> String {
    let year = p.dtype.starts_with('i') && crate::fmt::is_year_column(&p.name);
    match x {
        Some(v) if year && v.abs() < 10_000.0 => format!("{v:.0}"),
        _ => opt(x),
    }
}

fn right(s: String) -> Cell<'static> {
    Cell::from(Line::from(s).alignment(ratatui::layout::Alignment::Right))
}

fn draw_columns(f: &mut Frame, app: &App, ws: &Workspace, area: Rect) {
    let th = &app.theme;
    let rows = ws.rows().max(1) as f64;
    let header = Row::new([
        "Column", "Type", "Nulls", "%", "Distinct", "Min", "Mean", "Max", "Flags",
    ])
    .style(th.title());
    let body: Vec<Row> = ws
        .profiles
        .iter()
        .map(|p| {
            let flags: Vec<&str> = p.flags.iter().map(|f| f.label()).collect();
            Row::new(vec![
                Cell::from(p.name.clone()),
                Cell::from(p.dtype.clone()),
                right(thousands(p.nulls as f64)),
                right(if p.nulls > 0 {
                    pct(p.nulls as f64 / rows)
                } else {
                    String::new()
                }),
                right(thousands(p.distinct as f64)),
                right(stat(p, p.min)),
                right(stat(p, p.mean)),
                right(stat(p, p.max)),
                Cell::from(format!(" {}", flags.join(" "))),
            ])
        })
        .collect();
    let name_w = ws
        .profiles
        .iter()
        .map(|p| p.name.chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 28) as u16;
    let widths = [
        Constraint::Length(name_w),
        Constraint::Length(4),
        Constraint::Length(8),
        Constraint::Length(7),
        Constraint::Length(9),
        Constraint::Length(11),
        Constraint::Length(11),
        Constraint::Length(11),
        Constraint::Fill(1),
    ];
    let focus = app.data.focus == Focus::Columns;
    let title = format!(
        " Columns ({}) {}",
        ws.profiles.len(),
        if focus { "· ↑/↓ select " } else { "" }
    );
    let table = Table::new(body, widths)
        .header(header)
        .block(Block::default().borders(Borders::ALL).title(title))
        .row_highlight_style(if focus {
            th.selected()
        } else {
            Style::default().add_modifier(ratatui::style::Modifier::BOLD)
        });
    let mut state = TableState::default().with_selected(Some(app.data.selected));
    f.render_stateful_widget(table, area, &mut state);
}

fn draw_chart(f: &mut Frame, app: &App, ws: &Workspace, area: Rect) {
    let th = &app.theme;
    let view = &app.data.view;
    let Some(p) = ws.profile(&view.column) else {
        return;
    };
    let mut title = format!(" {} ", p.name);
    if let Some(formula) = ws.formula(&p.name) {
        title.push_str(&format!("= {formula} "));
    }
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [stats, chart] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
    let stat_line = match (p.mean, p.sd) {
        (Some(m), Some(sd)) => format!(
            "mean {} · sd {}\nrange {} to {} · {} missing",
            stat(p, Some(m)),
            num(sd),
            stat(p, p.min),
            stat(p, p.max),
            thousands(p.nulls as f64)
        ),
        _ if p.has(Flag::Id) => format!(
            "{} distinct values: one per row, an identifier\n{} missing · the first values:",
            thousands(p.distinct as f64),
            thousands(p.nulls as f64)
        ),
        _ => format!(
            "{} distinct values\n{} missing",
            thousands(p.distinct as f64),
            thousands(p.nulls as f64)
        ),
    };
    let stat_line = match view.histogram.as_ref().map(|h| h.clipped) {
        Some(n) if n > 0 => format!("{stat_line} · {n} off chart"),
        _ => stat_line,
    };
    f.render_widget(
        Paragraph::new(ratatui::text::Text::styled(stat_line, th.dim())),
        stats,
    );
    if let Some(h) = &view.histogram {
        let n = h.counts.len().max(1) as u16;
        let bar_width = (chart.width.saturating_sub(1) / n).max(1);
        let bars: Vec<Bar> = h
            .counts
            .iter()
            .map(|&c| Bar::default().value(c).text_value(String::new()))
            .collect();
        let [plot, axis] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(chart);
        f.render_widget(
            BarChart::default()
                .data(BarGroup::default().bars(&bars))
                .bar_width(bar_width)
                .bar_gap(0)
                .bar_style(th.bar()),
            plot,
        );
        let lo = h.labels.first().cloned().unwrap_or_default();
        let hi = crate::data::summary::short(h.hi);
        let used = (bar_width * n) as usize;
        let pad = used.saturating_sub(lo.len() + hi.len());
        f.render_widget(
            Paragraph::new(Span::styled(
                format!("{lo}{}{hi}", " ".repeat(pad)),
                th.dim(),
            )),
            axis,
        );
    } else if p.has(Flag::Id) {
        // counts of 1 say nothing: list the values
        let lines: Vec<Line> = view
            .frequencies
            .iter()
            .filter(|(v, _)| v != "(other)" && v != "(missing)")
            .map(|(v, _)| Line::from(fit(v, chart.width as usize)))
            .collect();
        f.render_widget(Paragraph::new(lines), chart);
    } else {
        let total: usize = view.frequencies.iter().map(|x| x.1).sum::<usize>().max(1);
        let maxc = view
            .frequencies
            .iter()
            .map(|x| x.1)
            .max()
            .unwrap_or(1)
            .max(1);
        let label_w = 14usize;
        let bar_w = (chart.width as usize).saturating_sub(label_w + 18).max(4);
        let lines: Vec<Line> = view
            .frequencies
            .iter()
            .map(|(v, c)| {
                Line::from(vec![
                    Span::raw(fit(v, label_w)),
                    Span::styled(fit(&hbar(*c as f64 / maxc as f64, bar_w), bar_w), th.bar()),
                    Span::raw(format!(
                        " {} ({})",
                        thousands(*c as f64),
                        pct(*c as f64 / total as f64)
                    )),
                ])
            })
            .collect();
        f.render_widget(Paragraph::new(lines), chart);
    }
}

/// The headline sentence of a breakdown: highest and lowest groups.
pub fn breakdown_headline(b: &crate::data::breakdown::Breakdown) -> String {
    let mut g: Vec<_> = b.groups.iter().filter(|g| g.value != "(missing)").collect();
    g.sort_by(|a, b| b.rate.total_cmp(&a.rate));
    match (g.first(), g.last()) {
        (Some(hi), Some(lo)) if g.len() > 1 => format!(
            "{} = {}: {} at {}, {} at {} (overall {})",
            b.target,
            b.positive,
            hi.value,
            pct(hi.rate),
            lo.value,
            pct(lo.rate),
            pct(b.overall_rate)
        ),
        _ => format!(
            "{} = {}: overall {}",
            b.target,
            b.positive,
            pct(b.overall_rate)
        ),
    }
}

fn draw_breakdown(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.theme;
    let view = &app.data.view;
    let target = app.data.target.clone().unwrap_or_else(|| "—".into());
    let block = Block::default().borders(Borders::ALL).title(format!(
        " Breakdown: {target} by {} · t target ",
        view.column
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let lines: Vec<Line> = match &view.breakdown {
        None => vec![],
        Some(Err(e)) => vec![Line::from(Span::styled(e.clone(), th.dim()))],
        Some(Ok(b)) => {
            let max_rate = b
                .groups
                .iter()
                .map(|g| g.ci_high)
                .fold(0.0f64, f64::max)
                .max(1e-9);
            // as wide as the longest label (within 6..=20), plus a space before the bar
            let label_w = b
                .groups
                .iter()
                .map(|g| g.value.chars().count())
                .max()
                .unwrap_or(0)
                .clamp(6, 20)
                + 1;
            let bar_w = (inner.width as usize).saturating_sub(label_w + 32).max(4);
            let mut lines = vec![Line::from(Span::styled(
                fit(&breakdown_headline(b), inner.width as usize),
                th.title(),
            ))];
            for g in b
                .groups
                .iter()
                .take(inner.height.saturating_sub(1) as usize)
            {
                lines.push(Line::from(vec![
                    Span::raw(format!("{} ", fit(&g.value, label_w - 1))),
                    Span::styled(fit(&hbar(g.rate / max_rate, bar_w), bar_w), th.bar()),
                    Span::raw(format!(
                        " {:>6} n={:<7} {:.1}–{:.1}",
                        pct(g.rate),
                        thousands(g.count as f64),
                        g.ci_low * 100.0,
                        g.ci_high * 100.0
                    )),
                ]));
            }
            lines
        }
    };
    f.render_widget(Paragraph::new(lines), inner);
}

fn draw_preview(f: &mut Frame, app: &App, ws: &Workspace, area: Rect) {
    let th = &app.theme;
    let st = &app.data;
    let height = area.height.saturating_sub(3) as usize;
    let start = st.preview_row.min(ws.rows().saturating_sub(1));
    let slice = ws.df.slice(start as i64, height);
    let cols: Vec<_> = slice.columns().iter().skip(st.preview_col).collect();
    let col_w = 12u16;
    let fit_cols = ((area.width.saturating_sub(9)) / (col_w + 1)).max(1) as usize;
    let cols = &cols[..cols.len().min(fit_cols)];
    let values: Vec<Vec<Option<String>>> = cols.iter().map(|c| string_values(c)).collect();
    let header = Row::new(
        std::iter::once(Cell::from("row"))
            .chain(cols.iter().map(|c| Cell::from(c.name().to_string()))),
    )
    .style(th.title());
    let rows: Vec<Row> = (0..slice.height())
        .map(|i| {
            Row::new(
                std::iter::once(Cell::from(thousands((start + i + 1) as f64))).chain(
                    values
                        .iter()
                        .map(|v| Cell::from(v[i].clone().unwrap_or_else(|| "·".into()))),
                ),
            )
        })
        .collect();
    let mut widths = vec![Constraint::Length(8)];
    widths.extend(std::iter::repeat_n(Constraint::Length(col_w), cols.len()));
    let focus = if st.focus == Focus::Preview {
        "· ↑/↓ PgUp/PgDn scroll "
    } else {
        "· f to scroll "
    };
    let title = format!(
        " Rows {}–{} of {} · columns from {} · ←/→ {focus}",
        thousands((start + 1) as f64),
        thousands((start + slice.height()) as f64),
        thousands(ws.rows() as f64),
        st.preview_col + 1
    );
    f.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(Block::default().borders(Borders::ALL).title(title)),
        area,
    );
}
