//! Predict tab state: the target, the latest fit, the threshold and which model/chart is shown. A threshold
//! move recounts the confusion matrix from the stored test scores; it never refits.

use super::{Action, App, Command};
use crate::analysis::models::metrics::{best_f1_threshold, Confusion};
use crate::analysis::models::predict::PredictParams;
use crate::jobs::JobKind;
use crate::pipeline::predict::{apply_scores, resolve_target, PredictRun, Target};

/// Charts the Predict tab can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PredictView {
    #[default]
    Roc,
    Gains,
    Calibration,
}

/// A model's ROC points and score deciles.
pub type ModelCurves = (
    Vec<(f64, f64)>,
    Vec<crate::analysis::models::metrics::Decile>,
);

#[derive(Debug, Clone)]
pub struct PredictState {
    pub target: Option<Target>,
    pub run: Option<PredictRun>,
    pub threshold: f64,
    /// Index into the run's models.
    pub model: usize,
    pub view: PredictView,
    pub started: bool,
    /// The shown run is partial: more models or their cross-validation are still fitting.
    pub partial: bool,
    pub error: Option<String>,
    /// ROC points and deciles per model, computed once per fit (not per frame).
    pub curves: Vec<ModelCurves>,
    /// Economics used for the "most profitable" threshold (the ROI tab's defaults).
    pub cost_per_contact: f64,
    pub revenue_per_response: f64,
}

impl Default for PredictState {
    fn default() -> Self {
        Self {
            target: None,
            run: None,
            threshold: 0.5,
            model: 0,
            view: PredictView::Roc,
            started: false,
            partial: false,
            error: None,
            curves: Vec::new(),
            cost_per_contact: 3.0,
            revenue_per_response: 11.0,
        }
    }
}

impl PredictState {
    /// Confusion counts of the shown model at the current threshold (test rows).
    pub fn confusion(&self) -> Option<Confusion> {
        let m = self.run.as_ref()?.report.models.get(self.model)?;
        Confusion::at(&m.test_y, &m.test_scores, self.threshold).ok()
    }
}

/// Fresh state for a new file: the default target (Response, Churn, y, …).
pub fn reset(app: &mut App) {
    let target = app
        .ws
        .as_ref()
        .and_then(|ws| resolve_target(ws, None, None).ok());
    app.predict = PredictState {
        target,
        ..Default::default()
    };
}

pub fn start_fit(app: &mut App) -> Option<Command> {
    let ws = app.ws.clone()?;
    let Some(target) = app.predict.target.clone() else {
        app.error("no binary column to predict (Yes/No, 0/1, True/False)");
        return None;
    };
    app.predict.started = true;
    app.predict.error = None;
    Some(app.start_job(JobKind::Predict {
        ws: Box::new(ws),
        target,
        params: PredictParams {
            cv_folds: Some(5),
            ..Default::default()
        },
    }))
}

/// First visit: fit the default model by itself.
pub fn on_visit(app: &mut App) -> Option<Command> {
    let campaign_table = app.roi.campaign.is_some();
    if !app.predict.started && app.job.is_none() && app.predict.target.is_some() && !campaign_table
    {
        return start_fit(app);
    }
    None
}

/// A finished fit: keep it and add the score column to the shared frame.
pub fn install(app: &mut App, run: PredictRun) {
    let col = run.target.score_column();
    let (name, auc) = run
        .report
        .selected()
        .map(|m| (m.kind.label(), m.roc_auc))
        .unwrap_or(("no model", f64::NAN));
    app.predict.partial = false;
    if let Some(i) = run.report.selection.as_ref().map(|s| s.index) {
        app.predict.model = i;
    }
    if keep(app, run) {
        app.info(format!(
            "models fitted: {col} from {name} (test AUC {auc:.3}); u scores with the shown model"
        ));
    }
}

/// `u`: score with the shown model; on the model already scoring, back to the best by CV AUC. Scoring
/// every row (an SVM on a large table takes seconds) runs as a job.
fn use_model(app: &mut App) -> Option<Command> {
    if app.predict.partial || app.job.is_some() {
        app.error(
            "models are still fitting: choose the scoring model when they are done (Esc stops)",
        );
        return None;
    }
    let run = app.predict.run.clone()?;
    let shown = app.predict.model;
    let forced = match run.report.selection.as_ref() {
        Some(s) if s.index == shown && s.reason.starts_with("chosen by you") => None,
        _ => Some(shown),
    };
    let ws = app.ws.clone()?;
    Some(app.start_job(JobKind::Rescore {
        ws: Box::new(ws),
        run: Box::new(run),
        forced,
    }))
}

/// The run scored again with the user's pick: its scores into the frame, the choice on the status line.
pub fn install_rescored(app: &mut App, run: PredictRun) {
    let words = run
        .report
        .selection
        .as_ref()
        .map(|s| s.words.clone())
        .unwrap_or_default();
    if keep(app, run) {
        app.info(words);
    }
}

/// A model that finished while the others are still fitting: shown at once, replaced as more arrive.
pub fn install_partial(app: &mut App, run: PredictRun) {
    let col = run.target.score_column();
    let done: Vec<String> = run
        .report
        .models
        .iter()
        .map(|m| {
            let name = m.kind.label();
            match m.cv_auc_mean {
                Some(cv) => format!("{name} AUC {:.3} (CV {cv:.3})", m.roc_auc),
                None => format!("{name} AUC {:.3}", m.roc_auc),
            }
        })
        .collect();
    app.predict.partial = true;
    if keep(app, run) {
        app.info(format!(
            "{} · column {col} added · still fitting (Esc cancels)",
            done.join(" · ")
        ));
    }
}

/// Keep a (possibly partial) run: scores into the frame, curves computed once. False when the frame
/// refused the score column (the error is on the status line).
fn keep(app: &mut App, run: PredictRun) -> bool {
    let col = run.target.score_column();
    if let Some(ws) = app.ws.as_mut() {
        if let Err(e) = apply_scores(ws, &run) {
            app.error(format!("could not add {col}: {e}"));
            return false;
        }
    }
    app.predict.model = app
        .predict
        .model
        .min(run.report.models.len().saturating_sub(1));
    super::roi_tab::on_scores(app, &run);
    app.predict.curves = run
        .report
        .models
        .iter()
        .map(|m| {
            use crate::analysis::models::metrics::{deciles, roc_curve};
            (
                roc_curve(&m.test_y, &m.test_scores).unwrap_or_default(),
                deciles(&m.test_y, &m.test_scores).unwrap_or_default(),
            )
        })
        .collect();
    app.predict.run = Some(run);
    super::roi_tab::refresh_groups(app);
    super::data_tab::refresh(app);
    true
}

/// A typed rule ("Recency > 60") becomes the target and the models are refitted.
pub fn submit_rule(app: &mut App, text: &str) -> Option<Command> {
    let ws = app.ws.as_ref()?;
    match resolve_target(ws, Some(text), None) {
        Ok(t @ Target::Rule { .. }) => {
            app.predict.target = Some(t);
            start_fit(app)
        }
        Ok(_) => {
            app.error(format!(
                "{text:?} is a column, not a rule: use t to cycle binary columns"
            ));
            None
        }
        Err(e) => {
            app.error(e.to_string());
            None
        }
    }
}

/// Threshold with the most profit on the test rows: revenue × TP − cost × (TP + FP).
pub fn best_profit_threshold(st: &PredictState) -> Option<f64> {
    let m = st.run.as_ref()?.report.models.get(st.model)?;
    let mut idx: Vec<usize> = (0..m.test_scores.len()).collect();
    idx.sort_by(|&a, &b| m.test_scores[b].total_cmp(&m.test_scores[a]));
    let (mut best, mut best_t, mut profit) = (0.0f64, 1.0 + f64::EPSILON, 0.0f64);
    for (n, &i) in idx.iter().enumerate() {
        profit += if m.test_y[i] {
            st.revenue_per_response
        } else {
            0.0
        } - st.cost_per_contact;
        let last_of_tie = n + 1 == idx.len() || m.test_scores[idx[n + 1]] != m.test_scores[i];
        if last_of_tie && profit > best {
            best = profit;
            best_t = m.test_scores[i];
        }
    }
    Some(best_t.min(1.0))
}

pub fn handle(app: &mut App, action: Action) -> Option<Command> {
    let st = &mut app.predict;
    let step = |t: f64, d: f64| ((t + d) * 100.0).round().clamp(0.0, 100.0) / 100.0;
    match action {
        Action::Left | Action::Down => st.threshold = step(st.threshold, -0.01),
        Action::Right | Action::Up => st.threshold = step(st.threshold, 0.01),
        Action::PageDown => st.threshold = step(st.threshold, -0.1),
        Action::PageUp => st.threshold = step(st.threshold, 0.1),
        Action::BestF1 => {
            let m = st.run.as_ref()?.report.models.get(st.model)?;
            let (t, f1) = best_f1_threshold(&m.test_y, &m.test_scores).ok()?;
            st.threshold = t;
            app.info(format!(
                "threshold {t:.3}: best F1 {f1:.3} on the test rows"
            ));
        }
        Action::BestProfit => {
            let t = best_profit_threshold(st)?;
            st.threshold = t;
            let (c, r) = (st.cost_per_contact, st.revenue_per_response);
            app.info(format!(
                "threshold {t:.3}: most profit at cost {c} per contact and {r} per response"
            ));
        }
        Action::NextView => {
            st.view = match st.view {
                PredictView::Roc => PredictView::Gains,
                PredictView::Gains => PredictView::Calibration,
                PredictView::Calibration => PredictView::Roc,
            }
        }
        Action::NextModel => {
            let n = st
                .run
                .as_ref()
                .map(|r| r.report.models.len())
                .unwrap_or(1)
                .max(1);
            st.model = (st.model + 1) % n;
        }
        Action::UseModel => return use_model(app),
        Action::CycleTarget => {
            let ws = app.ws.as_ref()?;
            let bins: Vec<String> = ws.binary_columns().iter().map(|p| p.name.clone()).collect();
            if bins.is_empty() {
                return None;
            }
            let cur = st
                .target
                .as_ref()
                .and_then(|t| bins.iter().position(|b| b == t.column()));
            let next = bins[cur.map(|i| (i + 1) % bins.len()).unwrap_or(0)].clone();
            st.target = resolve_target(ws, Some(&next), None).ok();
            return start_fit(app);
        }
        Action::Run => return start_fit(app),
        Action::SwitchPositive => {
            let ws = app.ws.as_ref()?;
            let Some(Target::Column { name, positive }) = st.target.clone() else {
                app.info("a rule target has no other value to switch to");
                return None;
            };
            let mut values: Vec<String> =
                crate::data::profile::string_values(ws.df.column(&name).ok()?)
                    .into_iter()
                    .flatten()
                    .collect();
            values.sort();
            values.dedup();
            let other = values
                .into_iter()
                .find(|v| !crate::data::breakdown::is_positive(v, &positive))?;
            st.target = resolve_target(ws, Some(&name), Some(&other)).ok();
            return start_fit(app);
        }
        Action::RuleTarget => {
            app.overlay = super::Overlay::Rule {
                buffer: String::new(),
            };
        }
        _ => {}
    }
    None
}
