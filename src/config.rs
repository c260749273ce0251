//! Settings: a TOML file in the `directories` config folder (or `$CAMPAIGN_LENS_CONFIG`). Defaults live in
//! Rust; the file overrides only what it names. Errors name the file and the line.

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use serde::Deserialize;

/// The commented default written by `campaign-lens config --init`.
pub const DEFAULT_FILE: &str = r#"# campaign-lens settings. Every line is optional: delete what you do not change.

# Colours: "default", "high-contrast" or "mono" (NO_COLOR in the environment always means mono).
theme = "default"
# Currency symbol for money.
currency = "$"
# k-means defaults.
k_min = 2
k_max = 10
seed = 42
# ROI fallbacks when the data has no Z_CostContact / Z_Revenue columns.
# cost_per_contact = 3.0
# revenue_per_response = 11.0

# Move a key: "old key" = "new key". Keys: a character, Ctrl-x, Tab, Shift-Tab, Enter, Esc, Space,
# Up, Down, Left, Right, PgUp, PgDn, Home, End, F1-F12.
[keys]
# "e" = "x"
"#;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub theme: String,
    pub currency: String,
    pub k_min: usize,
    pub k_max: usize,
    pub seed: u64,
    pub cost_per_contact: Option<f64>,
    pub revenue_per_response: Option<f64>,
    pub keys: std::collections::BTreeMap<String, String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            theme: "default".into(),
            currency: "$".into(),
            k_min: 2,
            k_max: 10,
            seed: 42,
            cost_per_contact: None,
            revenue_per_response: None,
            keys: Default::default(),
        }
    }
}

/// Where the settings file lives.
pub fn path() -> PathBuf {
    if let Some(p) = std::env::var_os("CAMPAIGN_LENS_CONFIG") {
        return PathBuf::from(p);
    }
    directories::ProjectDirs::from("", "", "campaign-lens")
        .map(|d| d.config_dir().join("settings.toml"))
        .unwrap_or_else(|| PathBuf::from("campaign-lens-settings.toml"))
}

/// Line (1-based) of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or(1)
}

/// Read the settings; a missing file means defaults.
pub fn load(path: &Path) -> Result<Settings, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(e) => return Err(format!("{}: cannot read: {e}", path.display())),
    };
    let s: Settings = toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map(|r| text[..r.start.min(text.len())].lines().count().max(1))
            .unwrap_or(1);
        format!("{}: line {line}: {}", path.display(), e.message())
    })?;
    if !["default", "high-contrast", "mono"].contains(&s.theme.as_str()) {
        return Err(format!(
            "{}: line {}: theme must be \"default\", \"high-contrast\" or \"mono\", not {:?}",
            path.display(),
            line_of(&text, "theme"),
            s.theme
        ));
    }
    if s.k_min < 1 || s.k_min > s.k_max {
        return Err(format!(
            "{}: line {}: k_min must be at least 1 and at most k_max",
            path.display(),
            line_of(&text, "k_min")
        ));
    }
    for (from, to) in &s.keys {
        for k in [from, to] {
            if parse_key(k).is_none() {
                return Err(format!(
                    "{}: line {}: {k:?} is not a key I know",
                    path.display(),
                    line_of(&text, &format!("\"{k}\""))
                ));
            }
        }
    }
    Ok(s)
}

/// "q", "Ctrl-c", "Tab", "F2" … → key code and modifiers.
pub fn parse_key(s: &str) -> Option<(KeyCode, KeyModifiers)> {
    let (mods, rest) = match s.strip_prefix("Ctrl-") {
        Some(r) => (KeyModifiers::CONTROL, r),
        None => (KeyModifiers::NONE, s),
    };
    let code = match rest {
        "Tab" => KeyCode::Tab,
        "Shift-Tab" => return Some((KeyCode::BackTab, KeyModifiers::SHIFT)),
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Space" => KeyCode::Char(' '),
        "Up" | "↑" => KeyCode::Up,
        "Down" | "↓" => KeyCode::Down,
        "Left" | "←" => KeyCode::Left,
        "Right" | "→" => KeyCode::Right,
        "PgUp" => KeyCode::PageUp,
        "PgDn" => KeyCode::PageDown,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        f if f.starts_with('F') && f.len() > 1 => {
            KeyCode::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?)
        }
        c if c.chars().count() == 1 => KeyCode::Char(c.chars().next()?),
        _ => return None,
    };
    Some((code, mods))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_file_parses_to_the_defaults() {
        let s: Settings = toml::from_str(DEFAULT_FILE).unwrap();
        assert_eq!(s, Settings::default());
    }

    #[test]
    fn key_names_parse() {
        assert_eq!(
            parse_key("x"),
            Some((KeyCode::Char('x'), KeyModifiers::NONE))
        );
        assert_eq!(
            parse_key("Ctrl-c"),
            Some((KeyCode::Char('c'), KeyModifiers::CONTROL))
        );
        assert_eq!(parse_key("F2"), Some((KeyCode::F(2), KeyModifiers::NONE)));
        assert_eq!(parse_key("F13"), None);
        assert_eq!(parse_key("Hyper-q"), None);
    }
}
