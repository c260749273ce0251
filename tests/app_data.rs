//! The app driven by actions (no terminal), and the Data tab as a person reads it.

mod common;

use std::sync::atomic::AtomicBool;

use campaign_lens::app::{update, Action, App, Command, Overlay, StatusKind, Tab};
use campaign_lens::data::{LoadOptions, Workspace};
use campaign_lens::jobs::{self, JobKind};
use common::screen::screen;
use common::{fixture, write_file};

fn app_with(name: &str) -> App {
    let mut app = App::new();
    app.theme = campaign_lens::ui::theme::Theme::mono();
    let ws = Workspace::open(&fixture(name), &LoadOptions::default()).unwrap();
    update(&mut app, Action::SetWorkspace(Box::new(ws)));
    app
}

/// Run the job a command asks for inline, and feed its outcome back.
fn run_inline(app: &mut App, cmds: Vec<Command>) {
    for c in cmds {
        if let Command::Start { id, kind } = c {
            let outcome = jobs::run(kind, &|_, _| {}, &AtomicBool::new(false));
            update(
                app,
                Action::JobDone {
                    id,
                    outcome: Box::new(outcome),
                },
            );
        }
    }
}

#[test]
fn tabs_switch_with_numbers_tab_and_shift_tab() {
    let mut app = app_with("breakdown.csv");
    update(&mut app, Action::GoTab(Tab::Predict));
    assert_eq!(app.tab, Tab::Predict);
    update(&mut app, Action::NextTab);
    assert_eq!(app.tab, Tab::Roi);
    update(&mut app, Action::NextTab);
    assert_eq!(app.tab, Tab::Value);
    update(&mut app, Action::NextTab);
    assert_eq!(app.tab, Tab::NextBuy);
    update(&mut app, Action::NextTab);
    assert_eq!(app.tab, Tab::Data);
    update(&mut app, Action::PrevTab);
    assert_eq!(app.tab, Tab::NextBuy);
    let cmds = update(&mut app, Action::Quit);
    assert!(app.quit && matches!(cmds[..], [Command::Quit]));
}

#[test]
fn selecting_a_column_recomputes_its_breakdown() {
    let mut app = app_with("breakdown.csv");
    assert_eq!(app.data.target.as_deref(), Some("buys"));
    assert_eq!(app.data.view.column, "segment");
    let b = app.data.view.breakdown.clone().unwrap().unwrap();
    assert_eq!(b.groups.len(), 3);
    update(&mut app, Action::Down);
    assert_eq!(app.data.view.column, "buys");
    assert!(
        app.data.view.breakdown.clone().unwrap().is_err(),
        "the target itself has no breakdown"
    );
    update(&mut app, Action::Down);
    assert_eq!(app.data.view.column, "spend");
    assert!(app.data.view.histogram.is_some());
    update(&mut app, Action::Down);
    assert_eq!(app.data.selected, 2, "stops at the last column");
}

#[test]
fn preview_scrolls_when_focused() {
    let mut app = app_with("breakdown.csv");
    update(&mut app, Action::SwitchFocus);
    update(&mut app, Action::PageDown);
    assert_eq!(app.data.preview_row, 7, "clamped to the last row");
    assert_eq!(app.data.selected, 0, "the column selection did not move");
    update(&mut app, Action::Home);
    assert_eq!(app.data.preview_row, 0);
}

#[test]
fn opening_a_bad_file_keeps_the_current_data_and_says_why() {
    let mut app = app_with("breakdown.csv");
    update(&mut app, Action::OpenPrompt);
    assert!(matches!(app.overlay, Overlay::Open { .. }));
    // the prompt starts in the current file's folder; type a file name there
    for c in "ragged.csv".chars() {
        update(&mut app, Action::Input(c));
    }
    // keys typed into the prompt are text, not commands
    update(&mut app, Action::Input('q'));
    update(&mut app, Action::Backspace);
    assert!(!app.quit);
    let cmds = update(&mut app, Action::Submit);
    assert!(matches!(
        &cmds[..],
        [Command::Start {
            kind: JobKind::Load { .. },
            ..
        }]
    ));
    run_inline(&mut app, cmds);
    let status = app.status.clone().unwrap();
    assert_eq!(status.kind, StatusKind::Error);
    assert!(
        status.text.contains("ragged.csv: row 4 has 2 fields"),
        "{}",
        status.text
    );
    assert!(status.text.contains("still showing breakdown.csv"));
    assert_eq!(app.ws.as_ref().unwrap().file_name(), "breakdown.csv");
}

#[test]
fn opening_a_good_file_replaces_the_data() {
    let mut app = app_with("breakdown.csv");
    update(&mut app, Action::OpenPrompt);
    for c in "pipe.txt".chars() {
        update(&mut app, Action::Input(c));
    }
    let cmds = update(&mut app, Action::Submit);
    run_inline(&mut app, cmds);
    assert_eq!(app.ws.as_ref().unwrap().file_name(), "pipe.txt");
    assert!(app
        .status
        .unwrap()
        .text
        .starts_with("loaded pipe.txt: 3 rows × 3 columns"));
}

#[test]
fn esc_closes_help_then_cancels_a_job() {
    let mut app = app_with("breakdown.csv");
    update(&mut app, Action::ToggleHelp);
    assert!(matches!(app.overlay, Overlay::Help { .. }));
    update(&mut app, Action::Back);
    assert_eq!(app.overlay, Overlay::None);
    let _ = app.open(fixture("pipe.txt"));
    assert!(app.job.is_some());
    let cmds = update(&mut app, Action::Back);
    assert!(matches!(cmds[..], [Command::Cancel]));
    assert!(app.job.is_none());
}

#[test]
fn cycle_target_moves_through_binary_columns() {
    let mut app = app_with("pipe.txt");
    assert_eq!(app.data.target.as_deref(), Some("flag"));
    update(&mut app, Action::CycleTarget);
    assert_eq!(
        app.data.target.as_deref(),
        Some("flag"),
        "only one binary column"
    );
    assert!(app.status.unwrap().text.contains("breakdown target: flag"));
}

#[test]
fn data_tab_screen_reads_like_a_profile() {
    let app = app_with("breakdown.csv");
    let s = screen(&app, 120, 40);
    assert!(s.contains("campaign-lens"), "{s}");
    assert!(s.contains("1 Data"));
    assert!(s.contains("8 rows × 3 columns · separator: comma"), "{s}");
    assert!(s.contains("Columns (3)"));
    for col in ["segment", "buys", "spend"] {
        assert!(s.contains(col));
    }
    assert!(s.contains("Breakdown: buys by segment"));
    assert!(
        s.contains("buys = yes: A at 66.7 %, C at 0.0 % (overall 37.5 %)"),
        "{s}"
    );
    assert!(s.contains("n=3"));
    assert!(s.contains("Rows 1–5 of 8"), "{s}");
    assert!(s.contains("? help"), "hint bar from the keymap");
}

#[test]
fn help_lists_every_key_in_the_keymap() {
    let mut app = app_with("breakdown.csv");
    update(&mut app, Action::ToggleHelp);
    let s = screen(&app, 120, 120);
    for b in &app.keymap {
        assert!(s.contains(b.help), "help is missing {:?}", b.help);
    }
    assert!(s.contains("Data tab"));
}

#[test]
fn the_roi_tab_scores_customers_first() {
    let mut app = app_with("breakdown.csv");
    let cmds = update(&mut app, Action::GoTab(Tab::Roi));
    assert_eq!(cmds.len(), 1, "visiting ROI fits the response model");
    let s = screen(&app, 120, 40);
    assert!(s.contains("Scoring customers first"), "{s}");
}

#[test]
fn a_path_typed_after_the_prefilled_folder_is_read_as_typed() {
    use campaign_lens::app::typed_path;
    use std::path::{Path, PathBuf};
    let home = Path::new("/home/ana");
    // an absolute path typed after the prefilled folder replaces it
    assert_eq!(
        typed_path("/data/camp//srv/bank.csv", Some(home)),
        PathBuf::from("/srv/bank.csv")
    );
    assert_eq!(
        typed_path("/data/camp/~/x.csv", Some(home)),
        PathBuf::from("/home/ana/x.csv")
    );
    assert_eq!(
        typed_path("~/x.csv", Some(home)),
        PathBuf::from("/home/ana/x.csv")
    );
    assert_eq!(
        typed_path("/data/camp/x.csv", Some(home)),
        PathBuf::from("/data/camp/x.csv")
    );
    assert_eq!(typed_path("rel/x.csv", None), PathBuf::from("rel/x.csv"));

    // in the app: the prompt holds the folder; an absolute path typed after it opens that file
    let mut app = app_with("breakdown.csv");
    update(&mut app, Action::OpenPrompt);
    let target = fixture("pipe.txt");
    for c in target.to_str().unwrap().chars() {
        update(&mut app, Action::Input(c));
    }
    let cmds = update(&mut app, Action::Submit);
    run_inline(&mut app, cmds);
    assert_eq!(app.ws.as_ref().unwrap().file_name(), "pipe.txt");

    // Ctrl-U clears the prompt
    update(&mut app, Action::OpenPrompt);
    update(&mut app, Action::ClearInput);
    assert_eq!(
        app.overlay,
        Overlay::Open {
            buffer: String::new()
        }
    );
}

#[test]
fn an_identifier_column_lists_its_values_instead_of_counts_of_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(
        &dir,
        "ids.csv",
        "customer,segment,Response\nA-17,x,Yes\nB-02,y,No\nC-33,x,No\n",
    );
    let mut app = App::new();
    app.theme = campaign_lens::ui::theme::Theme::mono();
    let ws = Workspace::open(&path, &LoadOptions::default()).unwrap();
    update(&mut app, Action::SetWorkspace(Box::new(ws)));
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("3 distinct values: one per row, an identifier"),
        "{s}"
    );
    assert!(s.contains("A-17") && s.contains("C-33"));
    assert!(!s.contains("1 (33.3 %)"), "no counts of one: {s}");
    assert!(s.contains("customer is an identifier: one row per value"));
    // a column with repeats still shows its counts
    update(&mut app, Action::Down);
    let s = screen(&app, 120, 40);
    assert!(s.contains("2 (66.7 %)"), "{s}");
}
