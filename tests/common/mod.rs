//! Shared test helpers.
#![allow(dead_code)]

pub mod deploy;
pub mod engines;
pub mod fixtures;
pub mod screen;
pub mod svg;

use std::path::PathBuf;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample_data")
        .join(name)
}

/// Write `text` to `name` in a temporary folder; the path.
pub fn write_file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A file in ../shared/data, or None (with a message) when that folder is absent.
pub fn shared(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "skipping: {} is absent (../shared/data not beside the project)",
            p.display()
        );
        None
    }
}

/// Run the binary; parse its JSON output (the command must succeed).
pub fn cli_json(args: &[&str]) -> serde_json::Value {
    let out = assert_cmd::Command::cargo_bin("campaign-lens")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Run the binary expecting exit code 2 and one line on stderr containing `needle`.
pub fn cli_fails(args: &[&str], needle: &str) {
    let out = assert_cmd::Command::cargo_bin("campaign-lens")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(needle), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
}

/// Run the jobs a list of commands asks for, inline, feeding each outcome back (and any jobs it starts).
pub fn run_jobs(app: &mut campaign_lens::app::App, cmds: Vec<campaign_lens::app::Command>) {
    use campaign_lens::app::{update, Action, Command};
    for c in cmds {
        if let Command::Start { id, kind } = c {
            let outcome = campaign_lens::jobs::run(
                kind,
                &|_, _| {},
                &std::sync::atomic::AtomicBool::new(false),
            );
            let more = update(
                app,
                Action::JobDone {
                    id,
                    outcome: Box::new(outcome),
                },
            );
            run_jobs(app, more);
        }
    }
}

/// An app (monochrome theme) with a bundled sample loaded.
pub fn app_on_sample(file: &str) -> campaign_lens::app::App {
    app_on_path(&sample(file))
}

/// An app (monochrome theme) with a file loaded.
pub fn app_on_path(path: &std::path::Path) -> campaign_lens::app::App {
    use campaign_lens::app::{update, Action, App};
    let mut app = App::new();
    app.theme = campaign_lens::ui::theme::Theme::mono();
    let ws = campaign_lens::data::Workspace::open(path, &Default::default()).unwrap();
    update(&mut app, Action::SetWorkspace(Box::new(ws)));
    app
}
