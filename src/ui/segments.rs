//! The Segments tab: feature picker and settings, the elbow and silhouette curves, the verdict in words,
//! and a PCA map of the customers coloured by cluster.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{Canvas, Points};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::App;
use crate::data::matrix::NullPolicy;
use crate::fmt::{num, pct, thousands};
use crate::pipeline::SegmentRun;

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let [left, right] =
        Layout::horizontal([Constraint::Length(34), Constraint::Min(40)]).areas(area);
    draw_settings(f, app, left);
    match &app.segments.run {
        Some(run) => {
            let [charts, verdict, map] = Layout::vertical([
                Constraint::Percentage(45),
                Constraint::Length(2),
                Constraint::Min(6),
            ])
            .areas(right);
            draw_curves(f, app, run, charts);
            draw_verdict(f, app, run, verdict);
            draw_map(f, app, run, map);
        }
        None => {
            let text = if let Some(e) = &app.segments.error {
                vec![Line::from(Span::styled(e.clone(), app.theme.error()))]
            } else if app.job.is_some() {
                vec![Line::from(
                    "Running the k-means sweep… (progress below; Esc cancels)",
                )]
            } else {
                vec![
                    Line::from("No segments yet."),
                    Line::from("Pick features with ↑/↓ and Space, then press Enter to run the k-means sweep."),
                ]
            };
            f.render_widget(
                Paragraph::new(text)
                    .wrap(Wrap { trim: true })
                    .block(Block::default().borders(Borders::ALL)),
                right,
            );
        }
    }
}

fn draw_settings(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.theme;
    let st = &app.segments;
    let cfg = &st.config;
    let mut lines: Vec<Line> = Vec::new();
    let list_h = area.height.saturating_sub(9) as usize;
    let start = st.cursor.saturating_sub(list_h.saturating_sub(1));
    for (i, name) in st.available.iter().enumerate().skip(start).take(list_h) {
        let on = cfg.features.contains(name);
        let text_col = app
            .ws
            .as_ref()
            .and_then(|w| w.profile(name))
            .is_some_and(|p| !p.numeric);
        let text = format!(
            "{} {}{}",
            if on { "[x]" } else { "[ ]" },
            name,
            if text_col { " (one-hot)" } else { "" }
        );
        let style = if i == st.cursor {
            th.selected()
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(format!(
        "scaling  {}",
        if cfg.scale {
            "z-score (pop. sd)"
        } else {
            "off (raw units)"
        }
    )));
    lines.push(Line::from(format!(
        "missing  {}",
        match cfg.nulls {
            NullPolicy::Drop => "drop rows",
            NullPolicy::Median => "median fill",
        }
    )));
    lines.push(Line::from(format!(
        "k range  {}–{}   seed {}",
        cfg.k_min, cfg.k_max, cfg.seed
    )));
    if let Some(run) = &st.run {
        lines.push(Line::from(format!(
            "rows     {} clustered",
            thousands(run.rows_used as f64)
        )));
        if run.rows_dropped > 0 {
            lines.push(Line::from(Span::styled(
                format!(
                    "         {} unassigned (missing values)",
                    thousands(run.rows_dropped as f64)
                ),
                th.dim(),
            )));
        }
        if run.imputed > 0 {
            lines.push(Line::from(format!(
                "         {} cells median-filled",
                thousands(run.imputed as f64)
            )));
        }
    }
    let title = format!(" Features {}/{} ", cfg.features.len(), st.available.len());
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        area,
    );
}

fn draw_curves(f: &mut Frame, app: &App, run: &SegmentRun, area: Rect) {
    let th = &app.theme;
    let [a, b] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let pts = &run.sweep.points;
    let (k0, k1) = (pts[0].k as f64, pts[pts.len() - 1].k as f64);
    let inertia: Vec<(f64, f64)> = pts.iter().map(|p| (p.k as f64, p.inertia)).collect();
    let (lo, hi) = inertia
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), p| {
            (l.min(p.1), h.max(p.1))
        });
    let chosen = run.chosen_k as f64;
    let mark_i = vec![(chosen, lo), (chosen, hi)];
    let k_labels: Vec<Span> = [k0, (k0 + k1) / 2.0, k1]
        .iter()
        .map(|k| Span::raw(format!("{k:.0}")))
        .collect();
    let chart = Chart::new(vec![
        Dataset::default()
            .name("inertia")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(th.series(0)))
            .data(&inertia),
        Dataset::default()
            .name(format!("k = {}", run.chosen_k))
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(th.series(1)))
            .data(&mark_i),
    ])
    .block(
        Block::default()
            .borders(Borders::ALL)
            .title(" Elbow: inertia (sum of squared distances) by k "),
    )
    .x_axis(
        Axis::default()
            .bounds([k0, k1])
            .labels(k_labels.clone())
            .title("k"),
    )
    .y_axis(
        Axis::default()
            .bounds([lo * 0.95, hi * 1.02])
            .labels(vec![Span::raw(num(lo)), Span::raw(num(hi))]),
    );
    f.render_widget(chart, a);
    let sil: Vec<(f64, f64)> = pts
        .iter()
        .filter_map(|p| p.silhouette.map(|s| (p.k as f64, s)))
        .collect();
    let (slo, shi) = sil
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), p| {
            (l.min(p.1), h.max(p.1))
        });
    let (slo, shi) = if slo.is_finite() {
        (slo.min(0.0), shi.max(0.1))
    } else {
        (0.0, 1.0)
    };
    let mark_s = vec![(chosen, slo), (chosen, shi)];
    let chart = Chart::new(vec![
        Dataset::default()
            .name("silhouette")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(th.series(2)))
            .data(&sil),
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(th.series(1)))
            .data(&mark_s),
    ])
    .block(
        Block::default()
            .borders(Borders::ALL)
            .title(" Silhouette (sampled) "),
    )
    .x_axis(Axis::default().bounds([k0, k1]).labels(k_labels).title("k"))
    .y_axis(Axis::default().bounds([slo, shi]).labels(vec![
        Span::raw(format!("{slo:.2}")),
        Span::raw(format!("{shi:.2}")),
    ]));
    f.render_widget(chart, b);
}

fn draw_verdict(f: &mut Frame, app: &App, run: &SegmentRun, area: Rect) {
    let th = &app.theme;
    let p = run.sweep.points.iter().find(|p| p.k == run.chosen_k);
    let detail = p
        .map(|p| {
            format!(
                "k = {} · inertia {} · silhouette {} · ←/→ choose k",
                p.k,
                num(p.inertia),
                p.silhouette
                    .map(|s| format!("{s:.3}"))
                    .unwrap_or_else(|| "–".into())
            )
        })
        .unwrap_or_default();
    let lines = vec![
        Line::from(Span::styled(format!(" {}", run.k_reason), th.title())),
        Line::from(Span::styled(format!(" {detail}"), th.dim())),
    ];
    f.render_widget(Paragraph::new(lines), area);
}

fn draw_map(f: &mut Frame, app: &App, run: &SegmentRun, area: Rect) {
    let th = &app.theme;
    let [map, legend] =
        Layout::horizontal([Constraint::Min(20), Constraint::Length(40)]).areas(area);
    let c = &run.pca.coords;
    let n = c.nrows();
    let (mut x0, mut x1, mut y0, mut y1) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for r in c.rows() {
        x0 = x0.min(r[0]);
        x1 = x1.max(r[0]);
        y0 = y0.min(r[1]);
        y1 = y1.max(r[1]);
    }
    // at most ~8 points per character cell (braille resolution); a stride keeps the draw cheap
    let budget = (map.width as usize * map.height as usize * 8).max(1);
    let stride = n.div_ceil(budget).max(1);
    let k = run.chosen_k;
    let mut groups: Vec<Vec<(f64, f64)>> = vec![Vec::new(); k];
    for i in (0..n).step_by(stride) {
        groups[run.model.labels[i]].push((c[[i, 0]], c[[i, 1]]));
    }
    let title = format!(
        " PCA map: axis 1 explains {}, axis 2 {} of the variance ",
        pct(run.pca.explained[0]),
        pct(run.pca.explained[1])
    );
    let canvas = Canvas::default()
        .block(Block::default().borders(Borders::ALL).title(title))
        .marker(Marker::Braille)
        .x_bounds([x0, x1.max(x0 + 1e-9)])
        .y_bounds([y0, y1.max(y0 + 1e-9)])
        .paint(|ctx| {
            for (g, pts) in groups.iter().enumerate() {
                ctx.draw(&Points {
                    coords: pts,
                    color: th.series(g),
                });
            }
        });
    f.render_widget(canvas, map);
    let lines: Vec<Line> = run
        .personas
        .iter()
        .map(|p| {
            Line::from(vec![
                Span::styled("● ", Style::default().fg(th.series(p.id))),
                Span::styled(
                    p.name.clone(),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(format!("  {} ({})", thousands(p.size as f64), pct(p.share))),
            ])
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(" Clusters ")),
        legend,
    );
}
