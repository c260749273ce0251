//! ROI tab state: economics sliders over sorted propensity scores (every move O(1), the optimum O(n) once
//! per change of costs, never a refit), or, for campaign tables, a budget plan across channels.

use super::{Action, App, Overlay};
use crate::analysis::money::channels::Totals;
use crate::analysis::money::roi::{Economics, Outcome, Targeting};
use crate::pipeline::predict::{outcome, PredictRun};
use crate::pipeline::roi::{campaign_report, default_economics, detect_roles, CampaignReport};

/// The sliders, in screen order.
pub const SLIDERS: [&str; 5] = [
    "cost per contact",
    "revenue per response",
    "fixed campaign cost",
    "budget cap",
    "targeting depth",
];

#[derive(Debug, Clone)]
pub struct RoiState {
    pub econ: Economics,
    pub sources: Vec<String>,
    pub depth: f64,
    pub slider: usize,
    pub targeting: Option<Targeting>,
    pub optimal: Option<Outcome>,
    pub campaign: Option<CampaignReport>,
    pub plan: Vec<f64>,
    pub channel: usize,
    /// Sum of scores and size per persona (recomputed when scores or segments change, not per frame).
    pub group_sums: Vec<(f64, usize)>,
}

impl Default for RoiState {
    fn default() -> Self {
        Self {
            econ: Economics {
                cost_per_contact: 3.0,
                revenue_per_response: 11.0,
                fixed_cost: 0.0,
                budget: None,
            },
            sources: Vec::new(),
            depth: 0.3,
            slider: 0,
            targeting: None,
            optimal: None,
            campaign: None,
            plan: Vec::new(),
            channel: 0,
            group_sums: Vec::new(),
        }
    }
}

impl RoiState {
    pub fn at_depth(&self) -> Option<Outcome> {
        Some(self.targeting.as_ref()?.at_depth(&self.econ, self.depth))
    }
    /// Recompute the cached optimum after the economics changed (O(n)).
    pub fn refresh_optimum(&mut self) {
        self.optimal = self.targeting.as_ref().map(|t| t.optimal(&self.econ));
    }
    pub fn plan_totals(&self) -> Option<(Totals, Totals)> {
        let r = self.campaign.as_ref()?;
        Some((r.totals(&r.current), r.totals(&self.plan)))
    }
}

/// Fresh state for a newly loaded file: economics from the data; a campaign table gets a budget plan.
pub fn reset(app: &mut App) {
    let Some(ws) = app.ws.as_ref() else { return };
    let (mut econ, mut sources) = default_economics(ws);
    // the settings file's fallbacks replace the built-in 3 and 11 when the data does not say
    if let (Some(c), true) = (
        app.settings.cost_per_contact,
        sources[0].contains("(default"),
    ) {
        econ.cost_per_contact = c;
        sources[0] = format!("cost per contact {c} (from your settings file)");
    }
    if let (Some(r), true) = (
        app.settings.revenue_per_response,
        sources[1].contains("(default"),
    ) {
        econ.revenue_per_response = r;
        sources[1] = format!("revenue per response {r} (from your settings file)");
    }
    let roles = detect_roles(ws);
    let campaign = if roles.is_campaign_table() {
        campaign_report(ws, &roles, None, 0.5).ok()
    } else {
        None
    };
    app.predict.cost_per_contact = econ.cost_per_contact;
    app.predict.revenue_per_response = econ.revenue_per_response;
    app.roi = RoiState {
        econ,
        sources,
        plan: campaign
            .as_ref()
            .map(|c| c.current.clone())
            .unwrap_or_default(),
        campaign,
        ..Default::default()
    };
}

/// Per-persona score sums for the "contact whole personas" table.
pub fn refresh_groups(app: &mut App) {
    let (Some(seg), Some(run)) = (&app.segments.run, &app.predict.run) else {
        app.roi.group_sums.clear();
        return;
    };
    let mut groups = vec![None; run.scores.len()];
    for (&row, &l) in seg.rows.iter().zip(&seg.model.labels) {
        if row < groups.len() {
            groups[row] = Some(l);
        }
    }
    app.roi.group_sums =
        crate::analysis::money::roi::group_sums(&run.scores, &groups, seg.personas.len());
}

/// New scores: sort them once.
pub fn on_scores(app: &mut App, run: &PredictRun) {
    let observed: Option<Vec<bool>> = app
        .ws
        .as_ref()
        .and_then(|ws| outcome(ws, &run.target).ok())
        .map(|v| v.into_iter().map(|x| x.unwrap_or(false)).collect());
    match Targeting::new(&run.scores, observed.as_deref()) {
        Ok(t) => app.roi.targeting = Some(t),
        Err(e) => {
            app.roi.targeting = None;
            app.error(format!("ROI: {e}"));
        }
    }
    app.roi.refresh_optimum();
}

/// Set a slider to a value (typed or stepped); economics changes refresh the optimum.
pub fn set_slider(st: &mut RoiState, slider: usize, value: f64) {
    let everyone = st
        .targeting
        .as_ref()
        .map(|t| st.econ.fixed_cost + st.econ.cost_per_contact * t.len() as f64);
    match slider {
        0 => st.econ.cost_per_contact = value.max(0.0),
        1 => st.econ.revenue_per_response = value.max(0.0),
        2 => st.econ.fixed_cost = value.max(0.0),
        3 => {
            st.econ.budget = match everyone {
                Some(max) if value >= max => None,
                _ => Some(value.max(0.0)),
            }
        }
        _ => st.depth = value.clamp(0.0, 1.0),
    }
    if slider < 4 {
        st.refresh_optimum();
    }
}

pub fn slider_value(st: &RoiState, slider: usize) -> f64 {
    let everyone = st
        .targeting
        .as_ref()
        .map(|t| st.econ.fixed_cost + st.econ.cost_per_contact * t.len() as f64);
    match slider {
        0 => st.econ.cost_per_contact,
        1 => st.econ.revenue_per_response,
        2 => st.econ.fixed_cost,
        3 => st.econ.budget.or(everyone).unwrap_or(0.0),
        _ => st.depth,
    }
}

fn step(st: &RoiState, slider: usize, coarse: bool) -> f64 {
    let everyone = st
        .targeting
        .as_ref()
        .map(|t| st.econ.cost_per_contact * t.len() as f64)
        .unwrap_or(1000.0);
    let k = if coarse { 10.0 } else { 1.0 };
    k * match slider {
        0 => 0.1,
        1 => 0.5,
        2 => 100.0,
        3 => (everyone / 100.0).max(1.0),
        _ => 0.01,
    }
}

/// Move budget into (dir = +1) or out of the selected channel, 5 % of its current spend at a time; the other
/// channels give or take in proportion to their plan, so the total stays fixed.
fn shift_budget(st: &mut RoiState, dir: f64, coarse: bool) {
    let Some(r) = st.campaign.as_ref() else {
        return;
    };
    let i = st.channel.min(st.plan.len().saturating_sub(1));
    let delta = dir * r.current[i] * if coarse { 0.25 } else { 0.05 };
    let others: f64 = st
        .plan
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(_, v)| v)
        .sum();
    if others <= 0.0 || st.plan[i] + delta < 0.0 || delta > others {
        return;
    }
    for (j, v) in st.plan.iter_mut().enumerate() {
        if j == i {
            *v += delta;
        } else {
            *v -= delta * *v / others;
        }
    }
}

pub fn handle(app: &mut App, action: Action) {
    let st = &mut app.roi;
    let campaign = st.campaign.is_some();
    let n = if campaign {
        st.plan.len()
    } else {
        SLIDERS.len()
    };
    match action {
        Action::Up => {
            if campaign {
                st.channel = st.channel.saturating_sub(1);
            } else {
                st.slider = st.slider.saturating_sub(1);
            }
        }
        Action::Down => {
            if campaign {
                st.channel = (st.channel + 1).min(n.saturating_sub(1));
            } else {
                st.slider = (st.slider + 1).min(n - 1);
            }
        }
        Action::Left | Action::Right | Action::BigLeft | Action::BigRight => {
            let dir = if matches!(action, Action::Left | Action::BigLeft) {
                -1.0
            } else {
                1.0
            };
            let coarse = matches!(action, Action::BigLeft | Action::BigRight);
            if campaign {
                shift_budget(st, dir, coarse);
            } else {
                let s = st.slider;
                let v = slider_value(st, s) + dir * step(st, s, coarse);
                set_slider(st, s, v);
            }
        }
        Action::AutoAllocate => {
            if let Some(r) = &st.campaign {
                st.plan = r.proposed.clone();
                let msg = format!(
                    "budget spread so marginal returns are equal (each channel within ±{:.0} % of today)",
                    r.bounds * 100.0
                );
                app.info(msg);
            }
        }
        Action::ResetPlan => {
            if let Some(r) = &st.campaign {
                st.plan = r.current.clone();
            }
        }
        Action::Run if !campaign => {
            let slider = st.slider;
            app.overlay = Overlay::Value {
                slider,
                buffer: String::new(),
            };
        }
        _ => {}
    }
    app.predict.cost_per_contact = app.roi.econ.cost_per_contact;
    app.predict.revenue_per_response = app.roi.econ.revenue_per_response;
}

/// A typed slider value.
pub fn submit_value(app: &mut App, slider: usize, text: &str) {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | '$' | '%' | ' '))
        .collect();
    match cleaned.parse::<f64>() {
        Ok(v) if v.is_finite() => {
            let v = if slider == 4 && v > 1.0 { v / 100.0 } else { v };
            set_slider(&mut app.roi, slider, v);
        }
        _ => app.error(format!(
            "{text:?} is not a number for {}",
            SLIDERS[slider.min(4)]
        )),
    }
}
