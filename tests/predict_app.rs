//! The Predict tab driven by actions (jobs inline) and read as a person would.

mod common;

use campaign_lens::analysis::models::metrics::Confusion;
use campaign_lens::app::predict_tab::PredictView;
use campaign_lens::app::{update, Action, App, Command, Tab};
use campaign_lens::jobs::JobKind;
use common::screen::screen;
use common::{app_on_sample, run_jobs};

fn fitted() -> App {
    let mut app = app_on_sample("customers.csv");
    let cmds = update(&mut app, Action::GoTab(Tab::Predict));
    assert!(
        matches!(
            &cmds[..],
            [Command::Start {
                kind: JobKind::Predict { .. },
                ..
            }]
        ),
        "first visit fits"
    );
    run_jobs(&mut app, cmds);
    app
}

#[test]
fn first_visit_fits_and_adds_the_score_column() {
    let app = fitted();
    let run = app.predict.run.as_ref().unwrap();
    assert_eq!(run.target.label(), "Response");
    let p = app.ws.as_ref().unwrap().profile("score_Response").unwrap();
    assert_eq!(p.nulls, 0);
    assert!(p.min.unwrap() >= 0.0 && p.max.unwrap() <= 1.0);
    // the mean propensity is calibrated to the base rate (logistic regression with an intercept)
    assert!((p.mean.unwrap() - run.report.base_rate).abs() < 0.02);
}

#[test]
fn the_threshold_moves_without_refitting_and_recounts() {
    let mut app = fitted();
    let before = app.predict.confusion().unwrap();
    for _ in 0..20 {
        assert!(
            update(&mut app, Action::Left).is_empty(),
            "a threshold move starts no job"
        );
    }
    assert!((app.predict.threshold - 0.30).abs() < 1e-9);
    let after = app.predict.confusion().unwrap();
    assert!(
        after.tp + after.fp > before.tp + before.fp,
        "a lower threshold flags more customers"
    );
    let m = app.predict.run.as_ref().unwrap().report.models[0].clone();
    assert_eq!(
        after,
        Confusion::at(&m.test_y, &m.test_scores, 0.30).unwrap()
    );
    update(&mut app, Action::BestF1);
    let best = app.predict.confusion().unwrap().f1();
    for t in [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] {
        assert!(Confusion::at(&m.test_y, &m.test_scores, t).unwrap().f1() <= best + 1e-12);
    }
    update(&mut app, Action::BestProfit);
    assert!(app
        .status
        .clone()
        .unwrap()
        .text
        .contains("most profit at cost 3 per contact and 11 per response"));
}

#[test]
fn views_models_and_target_cycle() {
    let mut app = fitted();
    update(&mut app, Action::NextView);
    assert_eq!(app.predict.view, PredictView::Gains);
    update(&mut app, Action::NextView);
    assert_eq!(app.predict.view, PredictView::Calibration);
    update(&mut app, Action::NextModel);
    assert_eq!(app.predict.model, 1);
    let cmds = update(&mut app, Action::CycleTarget);
    assert!(matches!(
        &cmds[..],
        [Command::Start {
            kind: JobKind::Predict { .. },
            ..
        }]
    ));
}

#[test]
fn predict_screen_reads_in_plain_words() {
    let mut app = fitted();
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("Response = 1 · 5,000 rows · positive rate 15.4 %"),
        "{s}"
    );
    assert!(s.contains("logistic regression"));
    assert!(
        s.contains("gradient boosting") && s.contains("random forest") && s.contains("svm"),
        "{s}"
    );
    assert!(s.contains("▶ Scores come from"), "{s}");
    assert!(s.contains("decision tree"));
    assert!(s.contains("majority baseline"));
    assert!(s.contains("accuracy alone misleads"));
    assert!(s.contains("the model scores the first higher"));
    assert!(s.contains("Threshold 0.50"));
    assert!(s.contains("actually positive"));
    assert!(s.contains("ROC curve · AUC"));
    assert!(
        s.contains("Recency +1 sd → odds -"),
        "recency lowers response"
    );
    assert!(s.contains("Top-scored customers"));
    update(&mut app, Action::NextView);
    assert!(screen(&app, 120, 40).contains("top-decile lift"));
    update(&mut app, Action::NextView);
    let s = screen(&app, 120, 40);
    assert!(s.contains(" Calibrat") && s.contains("Brier 0."), "{s}");
    // M: the tree's drivers (permutation importance), read in words
    update(&mut app, Action::NextModel);
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("What drives the decision tree (AUC drop when shuffled)"),
        "{s}"
    );
    let top = &app.predict.run.as_ref().unwrap().report.models[1].drivers[0];
    assert!(s.contains(&format!("{:.3}  ", top.importance)), "{s}");
    // u: the shown tree scores customers now; the screen says it was the user's choice
    let before = app.predict.run.as_ref().unwrap().scores.clone();
    let cmds = update(&mut app, Action::UseModel);
    assert!(
        matches!(
            &cmds[..],
            [Command::Start {
                kind: JobKind::Rescore { .. },
                ..
            }]
        ),
        "scoring every row is a job, not work on the UI thread"
    );
    run_jobs(&mut app, cmds);
    let run = app.predict.run.as_ref().unwrap();
    assert_eq!(run.report.selection.as_ref().unwrap().index, 1);
    let tree = &run.report.models[1];
    assert_ne!(run.scores, before);
    assert!(run.scores.iter().all(|p| (0.0..=1.0).contains(p)));
    // the frame's score column is the tree's calibrated probability of each customer
    let col = app
        .ws
        .as_ref()
        .unwrap()
        .df
        .column("score_Response")
        .unwrap()
        .f64()
        .unwrap()
        .get(0)
        .unwrap();
    assert!((col - run.scores[0]).abs() < 1e-12);
    assert!(tree.test_scores.iter().all(|p| (0.0..=1.0).contains(p)));
    let status = app.status.clone().unwrap().text;
    assert!(status.contains("chosen by you"), "{status}");
    assert!(screen(&app, 120, 40).contains("▶ Scores come from decision tree"));
    // u again on the same model: back to the best by CV AUC
    let cmds = update(&mut app, Action::UseModel);
    run_jobs(&mut app, cmds);
    let run = app.predict.run.as_ref().unwrap();
    assert!(run
        .report
        .selection
        .as_ref()
        .unwrap()
        .reason
        .contains("best cross-validated"));
    assert_eq!(run.scores, before);
    assert!(
        s.contains("→ more likely Response = 1") || s.contains("→ less likely Response = 1"),
        "{s}"
    );
}

#[test]
fn the_positive_class_switches_and_rules_can_be_typed() {
    use campaign_lens::app::Overlay;
    use campaign_lens::pipeline::predict::Target;
    let mut app = fitted();
    let cmds = update(&mut app, Action::SwitchPositive);
    assert!(
        matches!(&cmds[..], [Command::Start { kind: JobKind::Predict { target: Target::Column { positive, .. }, .. }, .. }] if positive == "0")
    );
    run_jobs(&mut app, cmds);
    assert_eq!(
        app.predict.run.as_ref().unwrap().target.positive_label(),
        "0"
    );
    update(&mut app, Action::RuleTarget);
    assert!(matches!(app.overlay, Overlay::Rule { .. }));
    for c in "Recency > 60".chars() {
        update(&mut app, Action::Input(c));
    }
    let cmds = update(&mut app, Action::Submit);
    assert!(matches!(
        &cmds[..],
        [Command::Start {
            kind: JobKind::Predict {
                target: Target::Rule { .. },
                ..
            },
            ..
        }]
    ));
    run_jobs(&mut app, cmds);
    assert!(app
        .ws
        .as_ref()
        .unwrap()
        .profile("score_Recency_gt_60")
        .is_some());
    update(&mut app, Action::RuleTarget);
    for c in "Nope > 3".chars() {
        update(&mut app, Action::Input(c));
    }
    assert!(update(&mut app, Action::Submit).is_empty());
    assert!(app
        .status
        .clone()
        .unwrap()
        .text
        .contains("no column named \"Nope\""));
}

#[test]
fn models_appear_as_they_finish_and_esc_keeps_what_was_shown() {
    use std::sync::Mutex;
    let mut app = app_on_sample("customers.csv");
    let cmds = update(&mut app, Action::GoTab(Tab::Predict));
    let Some(Command::Start { id, kind }) = cmds.into_iter().next() else {
        panic!("first visit starts a fit")
    };
    let partials = Mutex::new(Vec::new());
    let done = campaign_lens::jobs::run_with(
        kind,
        &|_, _| {},
        &|o| partials.lock().unwrap().push(o),
        &std::sync::atomic::AtomicBool::new(false),
    );
    let partials = partials.into_inner().unwrap();
    // the five models, then each model's cross-validation
    assert_eq!(partials.len(), 10, "one hand-over per finished step");
    let first = partials.into_iter().next().unwrap();
    update(
        &mut app,
        Action::JobPartial {
            id,
            outcome: Box::new(first),
        },
    );
    let s = screen(&app, 120, 40);
    assert!(s.contains("logistic regression"), "{s}");
    assert!(s.contains("fitting… (shown when it is done)"), "{s}");
    assert!(s.contains("running…"), "CV still running:\n{s}");
    assert!(
        app.ws.as_ref().unwrap().profile("score_Response").is_some(),
        "scores already in the frame"
    );
    // Esc: the job stops, the logistic model stays, nothing claims to be running
    update(&mut app, Action::Back);
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("logistic regression") && s.contains("cancelled"),
        "{s}"
    );
    assert!(!s.contains("running…") && !s.contains("fitting…"), "{s}");
    // the cancelled job's late result is ignored
    update(
        &mut app,
        Action::JobDone {
            id,
            outcome: Box::new(done),
        },
    );
    assert_eq!(app.predict.run.as_ref().unwrap().report.models.len(), 1);
}
