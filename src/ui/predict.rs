//! The Predict tab: model comparison, the confusion matrix at the threshold, ROC / gains / calibration,
//! coefficients in words, mean propensity per persona and the top-scored customers.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph, Wrap};
use ratatui::Frame;

use super::widgets::fit;
use crate::app::predict_tab::PredictView;
use crate::app::App;
use crate::cli::predict::auc_words;
use crate::data::profile::{cell, Flag};
use crate::fmt::{pct, thousands};
use crate::pipeline::predict::PredictRun;

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let st = &app.predict;
    let Some(run) = &st.run else {
        let msg = if let Some(e) = &st.error {
            e.clone()
        } else if app.job.is_some() {
            "Fitting the response model… (progress below; Esc cancels)".into()
        } else if st.target.is_none() {
            "No binary column to predict: the table needs a Yes/No, 0/1 or True/False column."
                .into()
        } else {
            "Press Enter to fit the models.".into()
        };
        f.render_widget(
            Paragraph::new(msg)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL)),
            area,
        );
        return;
    };
    let [head, top, bottom] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Percentage(62),
        Constraint::Min(6),
    ])
    .areas(area);
    let r = &run.report;
    let lines = vec![
        Line::from(vec![
            Span::styled(format!(" {} = {}", run.target.label(), run.target.positive_label()), app.theme.title()),
            Span::raw(format!(
                " · {} rows · positive rate {} · {} features · test split 25 % · t target · Enter refit",
                thousands(r.rows as f64),
                pct(r.base_rate),
                run.features_used.len()
            )),
        ]),
        Line::from(Span::styled(format!(" {}", run.notes.join(" · ")), app.theme.dim())),
    ];
    f.render_widget(Paragraph::new(lines), head);
    let [left, chart] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(top);
    draw_models(f, app, run, left);
    draw_chart(f, app, run, chart);
    let [coefs, side] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(bottom);
    draw_coefficients(f, app, run, coefs);
    draw_side(f, app, run, side);
}

/// The models the run will have when it is done.
fn expected_models(run: &PredictRun) -> Vec<crate::analysis::models::predict::ModelKind> {
    run.params.models.kinds()
}

fn draw_models(f: &mut Frame, app: &App, run: &PredictRun, area: Rect) {
    let th = &app.theme;
    let st = &app.predict;
    let r = &run.report;
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "  {:<19}{:>6}{:>6}{:>6}{:>6}{:>6}{:>6}{:>12}",
            "model", "acc", "prec", "rec", "F1", "AUC", "Brier", "CV AUC"
        ),
        th.dim(),
    ))];
    for (i, m) in r.models.iter().enumerate() {
        let cv = match (m.cv_auc_mean, m.cv_auc_sd) {
            (Some(a), Some(s)) => format!("{a:.3}±{}", format!("{s:.3}").trim_start_matches('0')),
            _ if st.partial && run.params.cv_folds.is_some() => "running…".into(),
            _ => "–".into(),
        };
        let style = if i == st.model {
            th.selected()
        } else {
            Style::default()
        };
        let mark = if r.selection.as_ref().map(|s| s.index) == Some(i) {
            "▶ "
        } else {
            "  "
        };
        lines.push(Line::from(Span::styled(
            format!(
                "{mark}{}{:>6.3}{:>6.3}{:>6.3}{:>6.3}{:>6.3}{:>6.3}{:>12}",
                fit(m.kind.label(), 19),
                m.accuracy,
                m.precision,
                m.recall,
                m.f1,
                m.roc_auc,
                m.brier,
                cv
            ),
            style,
        )));
    }
    if st.partial {
        for kind in expected_models(run).iter().skip(r.models.len()) {
            lines.push(Line::from(Span::styled(
                format!(
                    "  {}  fitting… (shown when it is done)",
                    fit(kind.label(), 19)
                ),
                th.dim(),
            )));
        }
    }
    lines.push(Line::from(format!(
        "  {}{:>6.3}  (always guess the majority)",
        fit("majority baseline", 19),
        r.baseline_accuracy
    )));
    if let Some(sel) = &r.selection {
        lines.push(Line::from(Span::styled(
            format!("▶ {}", sel.words),
            th.title(),
        )));
    }
    if let Some(m) = r.models.get(st.model) {
        lines.push(Line::from(format!(
            "{}: {}",
            m.kind.label(),
            auc_words(
                m.roc_auc,
                &format!("{} = {}", run.target.label(), run.target.positive_label()),
            )
        )));
    }
    if let Some(c) = st.confusion() {
        lines.push(Line::from(Span::styled(
            format!(
                "Threshold {:.2} (←/→, b best F1, $ most profit) on {} test rows",
                st.threshold,
                thousands(c.total() as f64)
            ),
            th.title(),
        )));
        lines.push(Line::from(format!(
            "{:>22}{:>14}{:>14}",
            "", "predicted yes", "predicted no"
        )));
        lines.push(Line::from(format!(
            "{:>22}{:>14}{:>14}",
            "actually positive",
            thousands(c.tp as f64),
            thousands(c.fn_ as f64)
        )));
        lines.push(Line::from(format!(
            "{:>22}{:>14}{:>14}",
            "actually negative",
            thousands(c.fp as f64),
            thousands(c.tn as f64)
        )));
        lines.push(Line::from(format!(
            "precision {} · recall {} · F1 {:.3} · accuracy {}",
            pct(c.precision()),
            pct(c.recall()),
            c.f1(),
            pct(c.accuracy())
        )));
    }
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Models (M shows the next, u scores with it) "),
        ),
        area,
    );
}

fn draw_chart(f: &mut Frame, app: &App, run: &PredictRun, area: Rect) {
    let th = &app.theme;
    let Some(m) = run.report.models.get(app.predict.model) else {
        return;
    };
    let diag = vec![(0.0, 0.0), (1.0, 1.0)];
    let before: Vec<(f64, f64)> = if m.calibrator.name() != "none" {
        m.curve_uncalibrated
            .iter()
            .map(|x| (x.mean_predicted, x.observed))
            .collect()
    } else {
        Vec::new()
    };
    let (title, x_title, y_title, series, y_max): (String, &str, &str, Vec<(f64, f64)>, f64) =
        match app.predict.view {
            PredictView::Roc => (
                format!(" ROC curve · AUC {:.3} · v next chart ", m.roc_auc),
                "false positive rate",
                "true positive rate",
                app.predict
                    .curves
                    .get(app.predict.model)
                    .map(|c| c.0.clone())
                    .unwrap_or_default(),
                1.0,
            ),
            PredictView::Gains => {
                let d = app
                    .predict
                    .curves
                    .get(app.predict.model)
                    .map(|c| c.1.clone())
                    .unwrap_or_default();
                let lift1 = d.first().map(|x| x.lift).unwrap_or(f64::NAN);
                let mut pts = vec![(0.0, 0.0)];
                pts.extend(d.iter().map(|x| (x.depth, x.captured)));
                (
                    format!(" Cumulative gains · top-decile lift {lift1:.1}× · v next "),
                    "share contacted",
                    "share of positives found",
                    pts,
                    1.0,
                )
            }
            PredictView::Calibration => {
                let pts: Vec<(f64, f64)> = m
                    .curve
                    .iter()
                    .map(|x| (x.mean_predicted, x.observed))
                    .collect();
                let top = pts
                    .iter()
                    .chain(before.iter())
                    .map(|p| p.0.max(p.1))
                    .fold(0.05f64, f64::max)
                    .min(1.0);
                let title = match m.calibrator.name() {
                    "none" => format!(" Calibration · Brier {:.4}, no correction · v ", m.brier),
                    c => format!(
                        " Calibrated ({c}) · Brier {:.4}→{:.4} · v ",
                        m.brier_uncalibrated, m.brier
                    ),
                };
                (title, "mean predicted", "observed rate", pts, top)
            }
        };
    let diag = if app.predict.view == PredictView::Calibration {
        vec![(0.0, 0.0), (y_max, y_max)]
    } else {
        diag
    };
    let mut sets = vec![Dataset::default()
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(th.dim())
        .data(&diag)];
    if app.predict.view == PredictView::Calibration && !before.is_empty() {
        sets.push(
            Dataset::default()
                .name("before")
                .marker(Marker::Dot)
                .graph_type(GraphType::Line)
                .style(th.dim())
                .data(&before),
        );
    }
    sets.push(
        Dataset::default()
            .name(m.kind.label())
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(th.series(0)))
            .data(&series),
    );
    let chart = Chart::new(sets)
        .block(Block::default().borders(Borders::ALL).title(title))
        .x_axis(
            Axis::default()
                .bounds([0.0, y_max])
                .title(x_title)
                .labels(vec![Span::raw("0"), Span::raw(format!("{y_max:.2}"))]),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, y_max])
                .title(y_title)
                .labels(vec![Span::raw("0"), Span::raw(format!("{y_max:.2}"))]),
        );
    f.render_widget(chart, area);
}

/// The logistic model's coefficients (as odds changes); for another model, its permutation drivers.
fn draw_coefficients(f: &mut Frame, app: &App, run: &PredictRun, area: Rect) {
    let shown = run.report.models.get(app.predict.model);
    if let Some(m) = shown.filter(|m| {
        m.kind != crate::analysis::models::predict::ModelKind::Logistic
            || run.report.coefficients.is_empty()
    }) {
        let outcome = format!("{} = {}", run.target.label(), run.target.positive_label());
        let lines: Vec<Line> = m
            .drivers
            .iter()
            .take(area.height.saturating_sub(2) as usize)
            .map(|d| Line::from(format!("{:.3}  {}", d.importance, d.words(&outcome))))
            .collect();
        let name = m.kind.label();
        f.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" What drives the {name} (AUC drop when shuffled) ")),
            ),
            area,
        );
        return;
    }
    let lines: Vec<Line> = run
        .report
        .coefficients
        .iter()
        .take(area.height.saturating_sub(2) as usize)
        .map(|c| {
            let change = (c.coef.exp() - 1.0) * 100.0;
            let unit = if c.feature.contains('=') {
                ""
            } else {
                " +1 sd"
            };
            Line::from(format!(
                "{:+.2}  {}{unit} → odds {change:+.0} %",
                c.coef, c.feature
            ))
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" What drives it (standardised logistic coefficients) "),
        ),
        area,
    );
}

fn draw_side(f: &mut Frame, app: &App, run: &PredictRun, area: Rect) {
    let th = &app.theme;
    let mut lines = Vec::new();
    let scores = &run.scores;
    if let Some(seg) = &app.segments.run {
        lines.push(Line::from(Span::styled(
            "Mean propensity by persona",
            th.title(),
        )));
        let mut sums = vec![(0.0, 0usize); seg.personas.len()];
        for (&row, &l) in seg.rows.iter().zip(&seg.model.labels) {
            sums[l].0 += scores[row];
            sums[l].1 += 1;
        }
        for p in &seg.personas {
            let (s, n) = sums[p.id];
            lines.push(Line::from(format!(
                "  {} {}",
                fit(&p.name, 34),
                pct(s / n.max(1) as f64)
            )));
        }
        lines.push(Line::from(""));
    }
    lines.push(Line::from(Span::styled(
        "Top-scored customers (the list to call first)",
        th.title(),
    )));
    if let (Some(ws), Some(t)) = (&app.ws, &app.roi.targeting) {
        // the scores were sorted once when the model was installed; only the shown rows are read
        let id = ws
            .profiles
            .iter()
            .find(|p| p.has(Flag::Id))
            .and_then(|p| ws.df.column(&p.name).ok());
        let persona = ws.df.column(crate::pipeline::PERSONA_COL).ok();
        for &i in t.order.iter().take(area.height as usize) {
            let who = id
                .and_then(|c| cell(c, i))
                .unwrap_or_else(|| format!("row {}", i + 1));
            let p = persona.and_then(|c| cell(c, i)).unwrap_or_default();
            lines.push(Line::from(format!(
                "  {:<12} {:>7}  {}",
                fit(&who, 12),
                pct(scores[i]),
                p
            )));
        }
    }
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" Scores ")),
        area,
    );
}
