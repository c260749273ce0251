//! The app's side of sessions: what is captured from the dashboard, saved for its dataset, and applied
//! to a freshly opened one. The file format and where it lives are in `crate::session`.

use super::App;
use crate::session::Session;

/// What the app would want restored next time.
pub fn capture(app: &App) -> Session {
    let run = app.segments.run.as_ref();
    Session {
        features: Some(app.segments.config.features.clone()),
        scale: Some(app.segments.config.scale),
        k: run.map(|r| r.chosen_k),
        persona_names: run
            .map(|r| r.personas.iter().map(|p| (p.id, p.name.clone())).collect())
            .unwrap_or_default(),
        target: app.predict.target.clone(),
        threshold: Some(app.predict.threshold),
        economics: Some(app.roi.econ),
        depth: Some(app.roi.depth),
    }
}

/// Save the app's session for its dataset.
pub fn save(app: &App) -> Result<(), String> {
    let Some(ws) = app.ws.as_ref() else {
        return Ok(());
    };
    crate::session::write(&ws.path, &capture(app))
}

/// Apply a restored session to a freshly installed workspace (pure: no I/O).
pub fn apply(app: &mut App, s: &Session) {
    if let Some(f) = &s.features {
        let kept: Vec<String> = f
            .iter()
            .filter(|x| app.segments.available.contains(x))
            .cloned()
            .collect();
        if !kept.is_empty() {
            app.segments.config.features = kept;
        }
    }
    if let Some(sc) = s.scale {
        app.segments.config.scale = sc;
    }
    app.segments.restore_k = s.k;
    app.segments.restore_names = s.persona_names.clone();
    if let Some(t) = &s.target {
        app.predict.target = Some(t.clone());
    }
    if let Some(t) = s.threshold {
        app.predict.threshold = t.clamp(0.0, 1.0);
    }
    if let Some(e) = s.economics.filter(|e| e.check().is_ok()) {
        app.roi.econ = e;
        app.roi
            .sources
            .push("sliders restored from your last session".into());
    }
    if let Some(d) = s.depth {
        app.roi.depth = d.clamp(0.0, 1.0);
    }
}
