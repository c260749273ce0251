//! `e` in the dashboard: every chart of the current tab to PNG and SVG.

use std::path::PathBuf;

use super::charts::{
    draw_bars, draw_calibration, draw_channel_curves, draw_elbow, draw_gains, draw_personas,
    draw_profit, draw_roc, draw_scatter,
};
use crate::analysis::models::metrics::{deciles, roc_curve};
use crate::app::{App, Tab};
use crate::save_both;

/// Where exports go: `$CAMPAIGN_LENS_EXPORT_DIR`, else the user data folder's `exports/<file name>`.
pub fn export_dir(app: &App) -> PathBuf {
    let stem = app
        .ws
        .as_ref()
        .and_then(|w| w.path.file_stem().map(|s| s.to_string_lossy().to_string()))
        .unwrap_or_else(|| "untitled".into());
    if let Some(d) = std::env::var_os("CAMPAIGN_LENS_EXPORT_DIR") {
        return PathBuf::from(d).join(stem);
    }
    directories::ProjectDirs::from("", "", "campaign-lens")
        .map(|p| p.data_dir().join("exports").join(&stem))
        .unwrap_or_else(|| PathBuf::from("campaign-lens-exports").join(stem))
}

/// Draw the current tab's charts; returns the files written.
pub fn export_tab(app: &App) -> Result<Vec<PathBuf>, String> {
    let dir = export_dir(app);
    let mut files = Vec::new();
    match app.tab {
        Tab::Data => {
            let v = &app.data.view;
            let name = v.column.replace(|c: char| !c.is_alphanumeric(), "_");
            if let Some(h) = &v.histogram {
                let vals: Vec<f64> = h.counts.iter().map(|c| *c as f64).collect();
                let top = h
                    .counts
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, c)| (**c, std::cmp::Reverse(*i)));
                let title = match top {
                    Some((i, c)) => format!(
                        "{}: the most common range is {} ({} customers)",
                        v.column,
                        h.labels.get(i).cloned().unwrap_or_default(),
                        crate::fmt::thousands(*c as f64)
                    ),
                    None => format!("{}: distribution", v.column),
                };
                files.extend(save_both!(&dir, &format!("histogram_{name}"), |root| {
                    draw_bars(root, &title, &h.labels, &vals, "customers")
                })?);
            } else if !v.frequencies.is_empty() {
                let labels: Vec<String> = v.frequencies.iter().map(|f| f.0.clone()).collect();
                let vals: Vec<f64> = v.frequencies.iter().map(|f| f.1 as f64).collect();
                let title = format!(
                    "{}: {} is the most frequent value ({} customers)",
                    v.column,
                    labels[0],
                    crate::fmt::thousands(vals[0])
                );
                files.extend(save_both!(&dir, &format!("frequencies_{name}"), |root| {
                    draw_bars(root, &title, &labels, &vals, "customers")
                })?);
            }
            if let Some(Ok(b)) = &v.breakdown {
                let labels: Vec<String> = b.groups.iter().map(|g| g.value.clone()).collect();
                let vals: Vec<f64> = b.groups.iter().map(|g| g.rate).collect();
                let top = b.groups.iter().max_by(|x, y| x.rate.total_cmp(&y.rate));
                let title = match top {
                    Some(g) => format!(
                        "{} = {} is highest where {} is {} ({})",
                        b.target,
                        b.positive,
                        b.by,
                        g.value,
                        crate::fmt::pct(g.rate)
                    ),
                    None => format!("{} = {} by {}", b.target, b.positive, b.by),
                };
                files.extend(save_both!(&dir, &format!("breakdown_{name}"), |root| {
                    draw_bars(root, &title, &labels, &vals, "rate")
                })?);
            }
        }
        Tab::Segments | Tab::Personas => {
            let run = app
                .segments
                .run
                .as_ref()
                .ok_or("no segments yet: run the sweep first")?;
            if app.tab == Tab::Segments {
                files.extend(save_both!(&dir, "elbow", |root| draw_elbow(
                    root,
                    &run.sweep,
                    run.chosen_k
                ))?);
                let names: Vec<String> = run.personas.iter().map(|p| p.name.clone()).collect();
                let (c, l, ex) = (&run.pca.coords, &run.model.labels, run.pca.explained);
                files.extend(save_both!(&dir, "pca_map", |root| draw_scatter(
                    root, c, l, &names, ex
                ))?);
            } else {
                let noun = super::charts::findings::positives_noun(
                    run.target.as_deref().unwrap_or(""),
                    "",
                );
                files.extend(save_both!(&dir, "personas", |root| draw_personas(
                    root,
                    &run.personas,
                    &noun
                ))?);
            }
        }
        Tab::Predict => {
            let run = app
                .predict
                .run
                .as_ref()
                .ok_or("no model yet: fit it first")?;
            let m = run.report.models.get(app.predict.model).ok_or("no model")?;
            let roc = roc_curve(&m.test_y, &m.test_scores).map_err(|e| e.to_string())?;
            let dec = deciles(&m.test_y, &m.test_scores).map_err(|e| e.to_string())?;
            files.extend(save_both!(&dir, "roc", |root| draw_roc(
                root, &roc, m.roc_auc
            ))?);
            let noun = super::charts::findings::positives_noun(
                &run.target.label(),
                &run.target.positive_label(),
            );
            files.extend(save_both!(&dir, "gains", |root| draw_gains(
                root, &dec, &noun
            ))?);
            files.extend(save_both!(&dir, "calibration", |root| draw_calibration(
                root, m
            ))?);
        }
        Tab::Roi => {
            if let Some(r) = &app.roi.campaign {
                let names: Vec<String> = r.channels.iter().map(|c| c.name.clone()).collect();
                files.extend(save_both!(&dir, "channel_curves", |root| {
                    draw_channel_curves(root, &names, &r.curves, &r.current)
                })?);
            } else {
                let t = app
                    .roi
                    .targeting
                    .as_ref()
                    .ok_or("no scores yet: fit the model on the Predict tab")?;
                let curve = t.curve(&app.roi.econ, 101);
                let best = app.roi.optimal.unwrap_or_default();
                files.extend(save_both!(&dir, "profit_curve", |root| draw_profit(
                    root, &curve, &best, "$"
                ))?);
            }
        }
        Tab::Value => files.extend(export_value(app, &dir)?),
        Tab::NextBuy => files.extend(super::recs_export::export_recs(app, &dir)?),
    }
    if files.is_empty() {
        return Err("nothing to export on this tab yet".into());
    }
    Ok(files)
}

/// The Value tab: the CLV distribution and the P(alive) matrix as charts, both customer lists as CSV.
fn export_value(app: &App, dir: &std::path::Path) -> Result<Vec<PathBuf>, String> {
    use super::charts::value::{draw_alive_matrix, rows_csv};
    let v = app
        .value
        .view
        .as_ref()
        .ok_or("no lifetime value here: build the customer table from an order log with C")?;
    let cur = app.settings.currency.as_str();
    let labels: Vec<String> = v
        .histogram
        .iter()
        .map(|b| format!("{cur}{}", b.0))
        .collect();
    let counts: Vec<f64> = v.histogram.iter().map(|b| b.1 as f64).collect();
    let title = format!(
        "Predicted {}-day value: the top 10 % of customers hold {}",
        v.horizon_days,
        crate::fmt::pct(v.top_tenth_share)
    );
    let mut files = save_both!(dir, "clv_distribution", |root| draw_bars(
        root,
        &title,
        &labels,
        &counts,
        "customers"
    ))?;
    files.extend(save_both!(dir, "alive_matrix", |root| draw_alive_matrix(
        root, &v.matrix
    ))?);
    for (name, rows) in [("at_risk", &v.at_risk), ("most_valuable", &v.most_valuable)] {
        let path = dir.join(format!("{name}.csv"));
        super::write_atomic(&path, rows_csv(rows, &v.clv_column).as_bytes())?;
        files.push(path);
    }
    Ok(files)
}
