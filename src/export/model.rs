//! `w` in the dashboard: the current segments and response model as one model file, beside the exports
//! (`$CAMPAIGN_LENS_EXPORT_DIR/<file>/`, else the user data folder's `exports/<file>/`).

use std::path::PathBuf;

use super::tab::export_dir;
use crate::app::App;

/// Write `<export dir>/<file>.model.json`; returns where, and what it holds in words.
pub fn save_models(app: &App) -> Result<(PathBuf, String), String> {
    let ws = app.ws.as_ref().ok_or("no table is open")?;
    let predict = app.predict.run.as_ref();
    let segments = app.segments.run.as_ref();
    let stem = ws
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "model".into());
    let path = export_dir(app).join(format!("{stem}.model.json"));
    let file =
        crate::deploy::freeze::save(ws, predict, segments, &path).map_err(|e| e.to_string())?;
    let mut what = Vec::new();
    if let Some(s) = &file.segments {
        what.push(format!("{} segments", s.centroids.len()));
    }
    if let Some(r) = &file.response {
        let kind = r.name.split(" (").next().unwrap_or(&r.name).to_string();
        what.push(format!("{kind} for {}", r.target.label()));
    }
    Ok((path, what.join(" and ")))
}
