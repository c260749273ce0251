//! Segments and Personas state: the feature picker and settings, the latest run, the selected persona and
//! customer. Fits are jobs; a key press here only changes settings or asks for a job.

use super::{Action, App, Command, Overlay};
use crate::jobs::JobKind;
use crate::pipeline::{
    apply_segments, candidate_features, default_features, SegmentConfig, SegmentRun,
};

#[derive(Debug, Clone, Default)]
pub struct SegmentsState {
    pub config: SegmentConfig,
    /// Numeric columns that can be picked.
    pub available: Vec<String>,
    pub cursor: usize,
    pub run: Option<SegmentRun>,
    /// The automatic first sweep has been started for this file.
    pub started: bool,
    pub error: Option<String>,
    /// Persona names and k restored from a saved session, applied to the first run.
    pub restore_names: Vec<(usize, String)>,
    pub restore_k: Option<usize>,
    /// Personas tab: selected persona and the customer shown for next-best.
    pub persona: usize,
    pub customer: usize,
}

/// Fresh settings for a newly loaded file.
pub fn reset(app: &mut App) {
    let Some(ws) = app.ws.as_ref() else { return };
    app.segments = SegmentsState {
        config: SegmentConfig {
            features: default_features(ws),
            k_min: app.settings.k_min,
            k_max: app.settings.k_max,
            seed: app.settings.seed,
            ..Default::default()
        },
        available: candidate_features(ws)
            .into_iter()
            .chain(crate::pipeline::candidate_categoricals(ws))
            .collect(),
        ..Default::default()
    };
}

/// True when the table has the recognised marketing features (so a default sweep is worth starting).
pub fn recognised(app: &App) -> bool {
    app.ws.as_ref().is_some_and(|w| !w.derived.is_empty())
        && app.segments.config.features.len() >= 4
}

/// Ask for a sweep with the current settings.
pub fn start_sweep(app: &mut App) -> Option<Command> {
    let ws = app.ws.clone()?;
    if app.segments.config.features.is_empty() {
        app.error("pick at least one feature (Space) before running the sweep");
        return None;
    }
    app.segments.started = true;
    app.segments.error = None;
    let cfg = SegmentConfig {
        k: app.segments.restore_k.take(),
        ..app.segments.config.clone()
    };
    Some(app.start_job(JobKind::Segment {
        ws: Box::new(ws),
        cfg,
    }))
}

/// First visit to Segments or Personas: start the default sweep by itself.
pub fn on_visit(app: &mut App) -> Option<Command> {
    if !app.segments.started && app.job.is_none() && recognised(app) {
        return start_sweep(app);
    }
    None
}

/// A finished segmentation: keep it and write its columns into the shared frame.
pub fn install(app: &mut App, mut run: SegmentRun) {
    // names from a saved session, when the segmentation has the same number of personas
    let names = std::mem::take(&mut app.segments.restore_names);
    if !names.is_empty() && names.len() == run.personas.len() {
        for (id, name) in &names {
            let _ = crate::analysis::personas::persona::rename(&mut run.personas, *id, name);
        }
    }
    let mut msg = format!(
        "k = {}: {} personas on {} rows · columns cluster, persona added",
        run.chosen_k,
        run.personas.len(),
        crate::fmt::thousands(run.rows_used as f64)
    );
    for n in &run.notes {
        msg.push_str(&format!(" · {n}"));
    }
    if let Some(ws) = app.ws.as_mut() {
        if let Err(e) = apply_segments(ws, &run) {
            app.error(format!("could not add the cluster columns: {e}"));
            return;
        }
    }
    app.segments.config.k = Some(run.chosen_k);
    app.segments.persona = app
        .segments
        .persona
        .min(run.personas.len().saturating_sub(1));
    app.segments.customer = 0;
    app.segments.run = Some(run);
    super::roi_tab::refresh_groups(app);
    super::recs_tab::refresh_personas(app);
    super::data_tab::refresh(app);
    app.info(msg);
}

fn choose_k(app: &mut App, delta: isize) -> Option<Command> {
    let run = app.segments.run.as_ref()?;
    let (lo, hi) = (run.sweep.points.first()?.k, run.sweep.points.last()?.k);
    let k = (run.chosen_k as isize + delta).clamp(lo as isize, hi as isize) as usize;
    if k == run.chosen_k || app.job.is_some() {
        return None;
    }
    let kind = JobKind::Refit {
        ws: Box::new(app.ws.clone()?),
        cfg: run.config.clone(),
        sweep: Box::new(run.sweep.clone()),
        k,
    };
    Some(app.start_job(kind))
}

/// Segments tab keys.
pub fn handle_segments(app: &mut App, action: Action) -> Option<Command> {
    let st = &mut app.segments;
    let n = st.available.len();
    match action {
        Action::Up => st.cursor = st.cursor.saturating_sub(1),
        Action::Down => st.cursor = (st.cursor + 1).min(n.saturating_sub(1)),
        Action::Home => st.cursor = 0,
        Action::End => st.cursor = n.saturating_sub(1),
        Action::ToggleItem => {
            let f = st.available.get(st.cursor)?.clone();
            if let Some(i) = st.config.features.iter().position(|x| *x == f) {
                st.config.features.remove(i);
            } else {
                st.config.features.push(f);
            }
            app.info("features changed: Enter runs the sweep");
        }
        Action::ToggleScale => {
            st.config.scale = !st.config.scale;
            let on = st.config.scale;
            app.info(if on {
                "z-scoring on: Enter runs the sweep"
            } else {
                "z-scoring off (raw units): Enter runs the sweep"
            });
        }
        Action::ToggleNulls => {
            use crate::data::matrix::NullPolicy;
            st.config.nulls = match st.config.nulls {
                NullPolicy::Drop => NullPolicy::Median,
                NullPolicy::Median => NullPolicy::Drop,
            };
            let msg = match st.config.nulls {
                NullPolicy::Drop => {
                    "rows with missing values are left out (unassigned): Enter runs the sweep"
                }
                NullPolicy::Median => {
                    "missing values are filled with the median: Enter runs the sweep"
                }
            };
            app.info(msg);
        }
        Action::KMore => {
            st.config.k_max = (st.config.k_max + 1).min(30);
        }
        Action::KLess => {
            st.config.k_max = (st.config.k_max.saturating_sub(1)).max(st.config.k_min + 1);
        }
        Action::Run => return start_sweep(app),
        Action::Left => return choose_k(app, -1),
        Action::Right => return choose_k(app, 1),
        _ => {}
    }
    None
}

/// Personas tab keys.
pub fn handle_personas(app: &mut App, action: Action) -> Option<Command> {
    let count = app
        .segments
        .run
        .as_ref()
        .map(|r| r.personas.len())
        .unwrap_or(0);
    if count == 0 {
        return None;
    }
    let st = &mut app.segments;
    match action {
        Action::Up | Action::Left => {
            st.persona = st.persona.saturating_sub(1);
            st.customer = 0;
        }
        Action::Down | Action::Right => {
            st.persona = (st.persona + 1).min(count - 1);
            st.customer = 0;
        }
        Action::NextCustomer => st.customer += 1,
        Action::Rename => {
            let name = app
                .segments
                .run
                .as_ref()?
                .personas
                .get(app.segments.persona)?
                .name
                .clone();
            app.overlay = Overlay::Rename {
                id: app.segments.persona,
                buffer: name,
            };
        }
        Action::Present => {
            app.overlay = Overlay::Presenter {
                page: app.segments.persona,
            }
        }
        _ => {}
    }
    None
}

/// Apply a new persona name everywhere (cards, presenter, the persona column).
pub fn rename(app: &mut App, id: usize, name: &str) {
    let Some(run) = app.segments.run.as_mut() else {
        return;
    };
    match crate::analysis::personas::persona::rename(&mut run.personas, id, name) {
        Ok(()) => {
            let run = run.clone();
            if let Some(ws) = app.ws.as_mut() {
                let _ = apply_segments(ws, &run);
            }
            super::data_tab::refresh(app);
            app.info(format!("persona {id} is now {:?}", name.trim()));
        }
        Err(e) => app.error(e.to_string()),
    }
}

/// The frame rows of a persona's members (for the next-best customer view).
pub fn members(run: &SegmentRun, persona: usize) -> Vec<usize> {
    run.rows
        .iter()
        .zip(&run.model.labels)
        .filter(|(_, &l)| l == persona)
        .map(|(&r, _)| r)
        .collect()
}
