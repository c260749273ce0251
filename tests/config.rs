//! Settings: path, init, partial key overrides, theme, currency, and errors that name the line.

mod common;

use assert_cmd::Command;
use campaign_lens::app::keymap::lookup;
use campaign_lens::app::{Action, App, Tab};
use campaign_lens::config::{load, Settings};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn settings(text: &str) -> Result<Settings, String> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("settings.toml");
    std::fs::write(&p, text).unwrap();
    load(&p)
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

#[test]
fn a_partial_key_override_moves_only_the_keys_it_names() {
    let s = settings("[keys]\n\"e\" = \"x\"\n").unwrap();
    assert_eq!(s.k_max, 10, "everything else keeps its default");
    let app = App::new().with_settings(s);
    assert!(matches!(
        lookup(&app.keymap, Tab::Data, &key('x')),
        Some(Action::Export)
    ));
    assert!(lookup(&app.keymap, Tab::Data, &key('e')).is_none());
    assert!(
        matches!(
            lookup(&app.keymap, Tab::Data, &key('q')),
            Some(Action::Quit)
        ),
        "untouched keys still work"
    );
    assert!(
        campaign_lens::ui::hint_text(&app).contains("x export"),
        "the hint bar follows"
    );
}

#[test]
fn bad_entries_name_their_line() {
    let e = settings("theme = \"default\"\n[keys]\n\"e\" = \"Hyper-q\"\n").unwrap_err();
    assert!(
        e.ends_with("line 3: \"Hyper-q\" is not a key I know"),
        "{e}"
    );
    let e = settings("currency = \"€\"\ntheme = \"neon\"\n").unwrap_err();
    assert!(e.contains("line 2: theme must be"), "{e}");
    let e = settings("k_min = 2\nk_max = [\n").unwrap_err();
    assert!(e.contains("settings.toml: line 2"), "{e}");
    let e = settings("colour = \"red\"\n").unwrap_err();
    assert!(e.contains("line 1") && e.contains("unknown field"), "{e}");
    assert_eq!(settings("").unwrap(), Settings::default());
}

#[test]
fn config_path_init_and_a_bad_file_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("cfg").join("settings.toml");
    let run = |args: &[&str]| {
        Command::cargo_bin("campaign-lens")
            .unwrap()
            .env("CAMPAIGN_LENS_CONFIG", &p)
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["config", "--path"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        p.display().to_string()
    );
    let out = run(&["config", "--init"]);
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        campaign_lens::config::DEFAULT_FILE
    );
    let out = run(&["config", "--init"]);
    assert_eq!(out.status.code(), Some(2), "never overwrites");
    std::fs::write(&p, "[keys]\n\"q\" = \"Nope-Key\"\n").unwrap();
    let out = run(&[common::sample("customers.csv").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("settings.toml: line 2: \"Nope-Key\" is not a key I know"),
        "{err}"
    );
    let out = run(&["config"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "config without flags validates the file"
    );
}

#[test]
fn currency_and_roi_fallbacks_come_from_settings() {
    let s = settings("currency = \"€\"\ncost_per_contact = 2.5\n").unwrap();
    let mut app = App::new().with_settings(s);
    app.theme = campaign_lens::ui::theme::Theme::mono();
    // a table without Z_CostContact: the settings' fallback is used and the screen says so
    let ws =
        campaign_lens::data::Workspace::open(&common::fixture("targets.csv"), &Default::default())
            .unwrap();
    campaign_lens::app::update(&mut app, Action::SetWorkspace(Box::new(ws)));
    assert_eq!(app.roi.econ.cost_per_contact, 2.5);
    assert!(app.roi.sources[0].contains("from your settings file"));
    let cmds = campaign_lens::app::update(&mut app, Action::GoTab(Tab::Roi));
    common::run_jobs(&mut app, cmds);
    let s = common::screen::screen(&app, 120, 40);
    assert!(s.contains("€2.50"), "{s}");
}
