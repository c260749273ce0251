//! Sessions: per dataset (keyed by its path and a hash of its content) the chosen features, k, persona names,
//! target, threshold and ROI sliders are saved under the user data folder and restored when the same file is
//! opened again. A corrupt session file gives a warning and defaults, never a crash.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis::money::roi::Economics;
use crate::pipeline::predict::Target;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Session {
    pub features: Option<Vec<String>>,
    pub scale: Option<bool>,
    pub k: Option<usize>,
    pub persona_names: Vec<(usize, String)>,
    pub target: Option<Target>,
    pub threshold: Option<f64>,
    pub economics: Option<Economics>,
    pub depth: Option<f64>,
}

/// FNV-1a, 64 bits: stable across Rust versions (std's hasher is not).
fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// The folder sessions live in (`$CAMPAIGN_LENS_DATA_DIR/sessions`, else the user data folder).
pub fn dir() -> PathBuf {
    if let Some(d) = std::env::var_os("CAMPAIGN_LENS_DATA_DIR") {
        return PathBuf::from(d).join("sessions");
    }
    directories::ProjectDirs::from("", "", "campaign-lens")
        .map(|p| p.data_dir().join("sessions"))
        .unwrap_or_else(|| PathBuf::from("campaign-lens-sessions"))
}

/// The session file for a dataset: path and content both count.
pub fn file_for(data: &Path) -> Option<PathBuf> {
    let bytes = std::fs::read(data).ok()?;
    let abs = std::fs::canonicalize(data).unwrap_or_else(|_| data.to_path_buf());
    let h = fnv(
        &bytes,
        fnv(abs.to_string_lossy().as_bytes(), 0xcbf2_9ce4_8422_2325),
    );
    Some(dir().join(format!("{h:016x}.json")))
}

/// Read the session for a dataset: Ok(None) when there is none, Err(warning) when it is unreadable.
pub fn load(data: &Path) -> Result<Option<Session>, String> {
    let Some(f) = file_for(data) else {
        return Ok(None);
    };
    match std::fs::read_to_string(&f) {
        Err(_) => Ok(None),
        Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
            format!(
                "session {} is unreadable ({e}); starting with defaults",
                f.display()
            )
        }),
    }
}

/// Write a dataset's session file (through a temporary name).
pub fn write(data: &Path, session: &Session) -> Result<(), String> {
    let Some(f) = file_for(data) else {
        return Ok(());
    };
    let text = serde_json::to_string_pretty(session).map_err(|e| e.to_string())?;
    crate::export::write_atomic(&f, text.as_bytes())
}
