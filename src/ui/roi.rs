//! The ROI tab: economics sliders, what the campaign is worth at this depth against the best depth,
//! everyone and a random sample, the profit curve, profit by persona — or, for campaign tables, channel
//! metrics and a budget plan.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph, Wrap};
use ratatui::Frame;

use super::widgets::{fit, hbar};
use crate::analysis::money::roi::{by_group_sums, Outcome};
use crate::app::roi_tab::{slider_value, SLIDERS};
use crate::app::App;
use crate::fmt::{money, pct, thousands};

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let cur = app.settings.currency.as_str();
    if app.roi.campaign.is_some() {
        draw_campaigns(f, app, area);
        return;
    }
    let st = &app.roi;
    let Some(t) = &st.targeting else {
        let msg = if let Some(e) = &app.predict.error {
            format!("The ROI what-if needs propensity scores, and the response model could not be fitted: {e}")
        } else if app.job.is_some() {
            "Scoring customers first (the response model is being fitted)…".to_string()
        } else if app.predict.target.is_none() {
            "The ROI what-if needs propensity scores, and this table has no binary outcome to model. A campaign table (Channel, Spend, Conversions, …) gets channel ROI instead.".to_string()
        } else {
            "The ROI what-if uses propensity scores: open the Predict tab (4) to fit the model."
                .to_string()
        };
        f.render_widget(
            Paragraph::new(msg)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL)),
            area,
        );
        return;
    };
    let [left, right] =
        Layout::horizontal([Constraint::Length(36), Constraint::Min(40)]).areas(area);
    draw_sliders(f, app, left);
    let [table, chart, groups] = Layout::vertical([
        Constraint::Length(11),
        Constraint::Min(8),
        Constraint::Length(if app.segments.run.is_some() { 8 } else { 0 }),
    ])
    .areas(right);
    let e = &st.econ;
    let at = t.at_depth(e, st.depth);
    let best = st.optimal.unwrap_or_else(|| t.optimal(e));
    let all = t.everyone(e);
    let rnd = t.random_same_size(e, at.contacted);
    let row = |name: &str, o: &Outcome, style: Style| {
        Line::from(Span::styled(
            format!(
                "{:<18}{:>9}{:>10}{:>10}{:>10}{:>10}{:>8}",
                name,
                thousands(o.contacted as f64),
                format!("{:.0}", o.expected_responses),
                money(o.cost, cur),
                money(o.revenue, cur),
                money(o.profit, cur),
                o.roi.map(pct).unwrap_or_else(|| "–".into())
            ),
            style,
        ))
    };
    let th = &app.theme;
    let lift = if rnd.expected_responses > 0.0 {
        at.expected_responses / rnd.expected_responses
    } else {
        f64::NAN
    };
    let mut lines = vec![
        Line::from(Span::styled(
            format!(
                "{:<18}{:>9}{:>10}{:>10}{:>10}{:>10}{:>8}",
                "", "contacted", "responses", "cost", "revenue", "profit", "ROI"
            ),
            th.dim(),
        )),
        row(&format!("at depth {}", pct(st.depth)), &at, th.title()),
        row("best depth", &best, Style::default()),
        row("contact everyone", &all, Style::default()),
        row("random, same size", &rnd, th.dim()),
        Line::from(""),
        Line::from(format!(
            "lift {lift:.1}× over random · CPA {} · break-even response rate {}",
            at.cpa.map(|c| money(c, cur)).unwrap_or_else(|| "–".into()),
            pct(e.break_even_rate())
        )),
        Line::from(format!(
            "next contact's return {} · best: contact the top {} for {}",
            t.marginal_roi(e, st.depth)
                .map(pct)
                .unwrap_or_else(|| "–".into()),
            pct(best.depth),
            money(best.profit, cur)
        )),
    ];
    if let Some(obs) = at.observed_responses {
        lines.push(Line::from(Span::styled(
            format!(
                "observed responders among them: {obs:.0} (expected {:.0})",
                at.expected_responses
            ),
            th.dim(),
        )));
    }
    if at.budget_limited {
        lines.push(Line::from(Span::styled(
            "the budget cap limits how many can be contacted",
            th.error(),
        )));
    }
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" What this campaign is worth "),
        ),
        table,
    );
    draw_curve(f, app, best.depth, chart);
    if let Some(seg) = &app.segments.run {
        let names: Vec<String> = seg.personas.iter().map(|p| p.name.clone()).collect();
        let g = by_group_sums(&st.group_sums, &names, e);
        let mut lines = vec![Line::from(Span::styled(
            format!(
                "{:<30} {:>7} {:>8} {:>10} {:>11}",
                "persona", "size", "respond", "profit", "cumulative"
            ),
            th.dim(),
        ))];
        lines.extend(g.iter().map(|g| {
            Line::from(format!(
                "{} {:>7} {:>8} {:>10} {:>11}",
                fit(&g.name, 30),
                thousands(g.size as f64),
                pct(g.mean_score),
                money(g.profit, cur),
                money(g.cumulative_profit, cur)
            ))
        }));
        f.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(" Contacting whole personas, best first "),
            ),
            groups,
        );
    }
}

fn draw_sliders(f: &mut Frame, app: &App, area: Rect) {
    let cur = app.settings.currency.as_str();
    let st = &app.roi;
    let th = &app.theme;
    let mut lines = Vec::new();
    for (i, name) in SLIDERS.iter().enumerate() {
        let v = slider_value(st, i);
        let text = match i {
            3 if st.econ.budget.is_none() => "no cap".to_string(),
            4 => pct(v),
            0 | 1 => money(v, cur),
            _ => money(v, cur),
        };
        let style = if i == st.slider {
            th.selected()
        } else {
            Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} {:<20}", if i == st.slider { "▶" } else { " " }, name),
                style,
            ),
            Span::styled(format!("{text:>12}"), style.add_modifier(Modifier::BOLD)),
        ]));
        if i == 4 {
            lines.push(Line::from(Span::styled(
                format!("  {}", fit(&hbar(st.depth, 30), 30)),
                th.bar(),
            )));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "Where the defaults came from",
        th.title(),
    )));
    for s in &st.sources {
        lines.push(Line::from(format!("· {s}")));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "↑/↓ slider · ←/→ adjust · Shift big steps · Enter type a value",
        th.dim(),
    )));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL).title(" What-if ")),
        area,
    );
}

fn draw_curve(f: &mut Frame, app: &App, best_depth: f64, area: Rect) {
    let sym = app.settings.currency.as_str();
    let st = &app.roi;
    let Some(t) = &st.targeting else { return };
    let th = &app.theme;
    let curve = t.curve(&st.econ, 101);
    let (lo, hi) = curve
        .iter()
        .fold((0.0f64, 0.0f64), |(l, h), p| (l.min(p.1), h.max(p.1)));
    let (lo, hi) = (lo, if hi > lo { hi } else { lo + 1.0 });
    let cur = vec![(st.depth, lo), (st.depth, hi)];
    let best = vec![(best_depth, lo), (best_depth, hi)];
    let zero = vec![(0.0, 0.0), (1.0, 0.0)];
    let cap: Vec<(f64, f64)> = st
        .econ
        .max_contacts()
        .map(|m| {
            let d = (m as f64 / t.len() as f64).min(1.0);
            vec![(d, lo), (d, hi)]
        })
        .unwrap_or_default();
    let mut sets = vec![
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(th.dim())
            .data(&zero),
        Dataset::default()
            .name("profit")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(th.series(0)))
            .data(&curve),
        Dataset::default()
            .name("your depth")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(th.series(1)))
            .data(&cur),
        Dataset::default()
            .name("best")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(th.series(3)))
            .data(&best),
    ];
    if !cap.is_empty() {
        sets.push(
            Dataset::default()
                .name("budget cap")
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::default().fg(th.series(5)))
                .data(&cap),
        );
    }
    let chart = Chart::new(sets)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Profit by targeting depth (best customers first) "),
        )
        .x_axis(
            Axis::default()
                .bounds([0.0, 1.0])
                .title("share contacted")
                .labels(vec![Span::raw("0"), Span::raw("50 %"), Span::raw("100 %")]),
        )
        .y_axis(
            Axis::default()
                .bounds([lo, hi])
                .labels(vec![Span::raw(money(lo, sym)), Span::raw(money(hi, sym))]),
        );
    f.render_widget(chart, area);
}

fn draw_campaigns(f: &mut Frame, app: &App, area: Rect) {
    let cur = app.settings.currency.as_str();
    let st = &app.roi;
    let th = &app.theme;
    let Some(r) = &st.campaign else { return };
    let [table, plan, effects] = Layout::vertical([
        Constraint::Length(r.channels.len() as u16 + 4),
        Constraint::Min(8),
        Constraint::Length(7),
    ])
    .areas(area);
    let best = r
        .channels
        .iter()
        .enumerate()
        .filter(|c| c.1.roi.is_some())
        .max_by(|a, b| a.1.roi.unwrap_or(0.0).total_cmp(&b.1.roi.unwrap_or(0.0)))
        .map(|c| c.0);
    let worst = r
        .channels
        .iter()
        .enumerate()
        .filter(|c| c.1.roi.is_some())
        .min_by(|a, b| a.1.roi.unwrap_or(0.0).total_cmp(&b.1.roi.unwrap_or(0.0)))
        .map(|c| c.0);
    let o = |x: Option<f64>, f: &dyn Fn(f64) -> String| x.map(f).unwrap_or_else(|| "–".into());
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{:<16}{:>12}{:>8}{:>8}{:>9}{:>10}{:>8}{:>9}",
            "channel", "spend", "CPC", "CTR", "conv.", "CPA", "ROAS", "ROI"
        ),
        th.dim(),
    ))];
    for (i, c) in r.channels.iter().enumerate() {
        let tag = if Some(i) == best {
            " ◀ best"
        } else if Some(i) == worst {
            " ◀ worst"
        } else {
            ""
        };
        let style = if Some(i) == best {
            th.good()
        } else if Some(i) == worst {
            th.error()
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(
            format!(
                "{:<16}{:>12}{:>8}{:>8}{:>9}{:>10}{:>8}{:>9}{tag}",
                fit(&c.name, 16),
                money(c.spend, cur),
                o(c.cpc, &|v| money(v, cur)),
                o(c.ctr, &pct),
                o(c.conversion_rate, &pct),
                o(c.cpa, &|v| money(v, cur)),
                o(c.roas, &|v| format!("{v:.2}")),
                o(c.roi, &pct)
            ),
            style,
        )));
    }
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" Channels ")),
        table,
    );
    let max = st
        .plan
        .iter()
        .chain(&r.current)
        .fold(0.0f64, |m, v| m.max(*v))
        .max(1.0);
    let mut lines = Vec::new();
    for (i, c) in r.channels.iter().enumerate() {
        let style = if i == st.channel {
            th.selected()
        } else {
            Style::default()
        };
        let curve = r.curves[i]
            .map(|k| format!("a {:.0}, b {:.0}, R² {:.2}", k.a, k.b, k.r2))
            .unwrap_or_else(|| "no curve".into());
        lines.push(Line::from(vec![
            Span::styled(format!("{:<16}", fit(&c.name, 16)), style),
            Span::raw(format!(
                "{:>11} → {:>11} ",
                money(r.current[i], cur),
                money(st.plan[i], cur)
            )),
            Span::styled(fit(&hbar(st.plan[i] / max, 24), 24), th.bar()),
            Span::styled(format!(" {curve}"), th.dim()),
        ]));
    }
    if let Some((b, a)) = st.plan_totals() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            format!(
                "predicted conversions {:.0} → {:.0} · revenue {} → {} · ROI {} → {}",
                b.conversions,
                a.conversions,
                money(b.revenue, cur),
                money(a.revenue, cur),
                pct(b.roi),
                pct(a.roi)
            ),
            th.title(),
        )));
    }
    lines.push(Line::from(Span::styled(
        "↑/↓ channel · ←/→ move 5 % of its budget (Shift 25 %) · a allocate for equal marginal ROI · r reset",
        th.dim(),
    )));
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Budget plan: conversions = a·ln(1 + spend/b) per channel, total fixed "),
        ),
        plan,
    );
    let mut fx = r.effects.clone();
    fx.sort_by(|a, b| b.effect.abs().total_cmp(&a.effect.abs()));
    let lines: Vec<Line> = fx
        .iter()
        .take(5)
        .map(|e| {
            Line::from(format!(
                "{} = {} goes with {:+.0} points of ROI vs {} (n = {})",
                e.attribute,
                e.level,
                e.effect * 100.0,
                e.reference,
                e.n
            ))
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" What goes with higher ROI (a linear model: correlation, not cause) "),
        ),
        effects,
    );
}
