//! Sessions: a round trip through the user data folder, a corrupt file, and the content-hash key.

mod common;

use campaign_lens::app::{update, Action, Tab};
use campaign_lens::session;
use common::{app_on_sample, run_jobs, sample};

#[test]
fn sessions_round_trip_and_survive_corruption() {
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var("CAMPAIGN_LENS_DATA_DIR", dir.path());
    // first visit: segment, rename, move the threshold and the depth, save
    let mut app = app_on_sample("customers.csv");
    let cmds = update(&mut app, Action::GoTab(Tab::Segments));
    run_jobs(&mut app, cmds);
    let k = app.segments.run.as_ref().unwrap().chosen_k;
    update(&mut app, Action::GoTab(Tab::Personas));
    update(&mut app, Action::Down);
    update(&mut app, Action::Rename);
    update(&mut app, Action::Submit); // keep the name: it must survive unchanged
    let name1 = app.segments.run.as_ref().unwrap().personas[1].name.clone();
    campaign_lens::app::segments_tab::rename(&mut app, 0, "Night Owls");
    app.predict.threshold = 0.3;
    app.roi.depth = 0.4;
    campaign_lens::app::session_state::save(&app).unwrap();
    let file = session::file_for(&sample("customers.csv")).unwrap();
    assert!(file.starts_with(dir.path()));
    // next time: restored
    let mut again = app_on_sample("customers.csv");
    let s = session::load(&sample("customers.csv"))
        .unwrap()
        .expect("a saved session");
    update(&mut again, Action::Restore(Ok(Box::new(s))));
    assert!(again
        .status
        .clone()
        .unwrap()
        .text
        .contains("restored your last session"));
    assert_eq!(again.predict.threshold, 0.3);
    assert_eq!(again.roi.depth, 0.4);
    let cmds = update(&mut again, Action::GoTab(Tab::Segments));
    run_jobs(&mut again, cmds);
    let run = again.segments.run.as_ref().unwrap();
    assert_eq!(run.chosen_k, k);
    assert_eq!(run.personas[0].name, "Night Owls");
    assert_eq!(run.personas[1].name, name1);
    // a corrupt session file: a warning, defaults, no crash
    std::fs::write(&file, "{ not json").unwrap();
    let e = session::load(&sample("customers.csv")).unwrap_err();
    assert!(
        e.contains("is unreadable") && e.contains("starting with defaults"),
        "{e}"
    );
    let mut third = app_on_sample("customers.csv");
    update(&mut third, Action::Restore(Err(e)));
    assert!(third.status.clone().unwrap().text.contains("unreadable"));
    assert_eq!(third.predict.threshold, 0.5);
    // the key follows the content: an edited copy gets its own session
    let copy = dir.path().join("copy.csv");
    let mut bytes = std::fs::read(sample("customers.csv")).unwrap();
    std::fs::write(&copy, &bytes).unwrap();
    let a = session::file_for(&copy).unwrap();
    bytes.push(b'\n');
    std::fs::write(&copy, &bytes).unwrap();
    assert_ne!(session::file_for(&copy).unwrap(), a);
}
