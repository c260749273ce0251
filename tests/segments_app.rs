//! Segments and Personas driven by actions (jobs run inline), and their screens as a person reads them.

mod common;

use std::sync::atomic::AtomicBool;

use campaign_lens::app::{update, Action, App, Command, Overlay, Tab};
use campaign_lens::jobs::{self, JobKind, JobOutcome};
use campaign_lens::pipeline::{run_segments, PipelineError, SegmentConfig};
use common::screen::screen;
use common::{app_on_sample, run_jobs};

fn app() -> App {
    app_on_sample("customers.csv")
}

/// Open the Segments tab: the default sweep starts by itself.
fn segmented() -> App {
    let mut app = app();
    let cmds = update(&mut app, Action::GoTab(Tab::Segments));
    assert!(
        matches!(
            &cmds[..],
            [Command::Start {
                kind: JobKind::Segment { .. },
                ..
            }]
        ),
        "auto sweep"
    );
    run_jobs(&mut app, cmds);
    app
}

#[test]
fn first_visit_sweeps_and_adds_cluster_and_persona_columns() {
    let app = segmented();
    let run = app.segments.run.as_ref().unwrap();
    assert_eq!(run.sweep.points.len(), 9);
    let ws = app.ws.as_ref().unwrap();
    let cluster = ws.profile("cluster").unwrap();
    assert_eq!(
        cluster.nulls, 60,
        "rows with a missing Income are unassigned"
    );
    assert_eq!(cluster.distinct, run.chosen_k);
    assert_eq!(
        ws.profile("persona").unwrap().distinct,
        run.chosen_k + 1,
        "names plus \"unassigned\""
    );
    assert!(ws.profile("next_best_category").is_some());
    // a second visit does not start another sweep
    let mut app = app;
    assert!(update(&mut app, Action::GoTab(Tab::Data)).is_empty());
    assert!(update(&mut app, Action::GoTab(Tab::Segments)).is_empty());
}

#[test]
fn arrows_choose_k_and_refit_on_all_rows() {
    let mut app = segmented();
    let k = app.segments.run.as_ref().unwrap().chosen_k;
    let cmds = update(&mut app, Action::Right);
    assert!(matches!(
        &cmds[..],
        [Command::Start {
            kind: JobKind::Refit { .. },
            ..
        }]
    ));
    run_jobs(&mut app, cmds);
    let run = app.segments.run.as_ref().unwrap();
    assert_eq!(run.chosen_k, k + 1);
    assert_eq!(run.personas.len(), k + 1);
    assert_eq!(
        app.ws
            .as_ref()
            .unwrap()
            .profile("cluster")
            .unwrap()
            .distinct,
        k + 1,
        "the frame agrees"
    );
}

#[test]
fn settings_change_and_enter_reruns() {
    let mut app = segmented();
    update(&mut app, Action::ToggleScale);
    assert!(!app.segments.config.scale);
    update(&mut app, Action::Home);
    let first = app.segments.available[0].clone();
    let had = app.segments.config.features.contains(&first);
    update(&mut app, Action::ToggleItem);
    assert_eq!(app.segments.config.features.contains(&first), !had);
    update(&mut app, Action::KLess);
    assert_eq!(app.segments.config.k_max, 9);
    let cmds = update(&mut app, Action::Run);
    assert!(
        matches!(&cmds[..], [Command::Start { kind: JobKind::Segment { cfg, .. }, .. }] if !cfg.scale && cfg.k_max == 9)
    );
}

#[test]
fn esc_cancels_a_running_sweep_and_the_pipeline_honours_the_flag() {
    let mut app = app();
    let cmds = update(&mut app, Action::GoTab(Tab::Segments));
    assert_eq!(cmds.len(), 1);
    assert!(app.job.is_some());
    let cmds = update(&mut app, Action::Back);
    assert!(matches!(cmds[..], [Command::Cancel]));
    assert!(app.job.is_none());
    let ws = app.ws.as_ref().unwrap();
    let cfg = SegmentConfig {
        features: vec!["Income".into(), "Spent".into()],
        ..Default::default()
    };
    let r = run_segments(ws, &cfg, &|_, _| {}, &AtomicBool::new(true));
    assert_eq!(r.unwrap_err(), PipelineError::Cancelled);
    let outcome = jobs::run(
        JobKind::Segment {
            ws: Box::new(ws.clone()),
            cfg,
        },
        &|_, _| {},
        &AtomicBool::new(true),
    );
    assert!(matches!(outcome, JobOutcome::Cancelled));
}

#[test]
fn rename_is_used_everywhere() {
    let mut app = segmented();
    update(&mut app, Action::GoTab(Tab::Personas));
    update(&mut app, Action::Down);
    update(&mut app, Action::Rename);
    assert!(matches!(app.overlay, Overlay::Rename { id: 1, .. }));
    let Overlay::Rename { buffer, .. } = &app.overlay else {
        unreachable!()
    };
    for _ in 0..buffer.chars().count() {
        update(&mut app, Action::Backspace);
    }
    for c in "Night Owls".chars() {
        update(&mut app, Action::Input(c));
    }
    update(&mut app, Action::Submit);
    assert_eq!(
        app.segments.run.as_ref().unwrap().personas[1].name,
        "Night Owls"
    );
    let ws = app.ws.as_ref().unwrap();
    let names = campaign_lens::data::profile::string_values(ws.df.column("persona").unwrap());
    assert!(
        names.iter().flatten().any(|n| n == "Night Owls"),
        "the frame column follows the rename"
    );
    let s = screen(&app, 120, 40);
    assert!(s.contains("Night Owls"));
    // a duplicate name is refused with a message
    update(&mut app, Action::Up);
    update(&mut app, Action::Rename);
    let Overlay::Rename { buffer, .. } = &app.overlay else {
        unreachable!()
    };
    for _ in 0..buffer.chars().count() {
        update(&mut app, Action::Backspace);
    }
    for c in "Night Owls".chars() {
        update(&mut app, Action::Input(c));
    }
    update(&mut app, Action::Submit);
    assert!(app
        .status
        .clone()
        .unwrap()
        .text
        .contains("already called \"Night Owls\""));
}

#[test]
fn segments_screen_shows_curves_verdict_and_map() {
    let mut app = segmented();
    update(&mut app, Action::GoTab(Tab::Segments));
    let s = screen(&app, 120, 40);
    assert!(s.contains("Features 10/24"), "{s}");
    assert!(
        s.contains("Education (one-hot)"),
        "text columns are offered one-hot"
    );
    assert!(s.contains("[x] Income"));
    assert!(s.contains("Elbow"));
    assert!(s.contains("Silhouette"));
    let verdict = &app.segments.run.as_ref().unwrap().k_reason;
    assert!(
        s.contains(verdict.as_str()),
        "the verdict in words: {verdict}\n{s}"
    );
    assert!(s.contains("PCA map: axis 1 explains"));
    assert!(s.contains("4,940 clustered"));
    assert!(s.contains("60 unassigned"));
}

#[test]
fn personas_screen_and_presenter_are_readable() {
    let mut app = segmented();
    update(&mut app, Action::GoTab(Tab::Personas));
    let run = app.segments.run.clone().unwrap();
    let s = screen(&app, 120, 40);
    for p in &run.personas {
        assert!(s.contains(&p.name), "{s}");
    }
    assert!(s.contains("What sets them apart"));
    assert!(s.contains("Strategy"));
    assert!(s.contains(&format!("offer     {}", run.personas[0].strategy.offer)));
    assert!(s.contains("Response rate"));
    assert!(s.contains("customers like you buy more"));
    update(&mut app, Action::Present);
    let s = screen(&app, 80, 24);
    let spaced: String = run.personas[0]
        .name
        .to_uppercase()
        .chars()
        .map(|c| format!("{c} "))
        .collect();
    assert!(
        s.contains(spaced.trim_end()) || s.contains(&run.personas[0].name.to_uppercase()),
        "{s}"
    );
    assert!(s.contains("Recommended"));
    assert!(s.contains(&format!("persona 1 of {}", run.personas.len())));
    update(&mut app, Action::Right);
    let s = screen(&app, 80, 24);
    assert!(s.contains(&format!("persona 2 of {}", run.personas.len())));
    update(&mut app, Action::Back);
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(
        app.segments.persona, 1,
        "leaving the presenter keeps the page's persona selected"
    );
}
