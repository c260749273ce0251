//! The SQL of every exported model kind, run in real engines: SQLite (rusqlite's bundled build with math
//! functions) always, PostgreSQL where its server binaries are installed. Every row's score equals
//! `score`'s to 1e-9 and every row gets the same cluster, persona and next-best category.

mod common;

use campaign_lens::analysis::models::predict::{ModelChoice, ModelKind};
use campaign_lens::deploy::model_file::ModelFile;
use campaign_lens::deploy::saved::SavedModel;
use campaign_lens::deploy::score::Values;
use campaign_lens::deploy::sql::select;
use campaign_lens::deploy::sql_dialect::Dialect;
use common::deploy::{fit, open, raw, round_trip, score, segments};
use common::engines::{assert_same, assert_same_sorted, postgres, sqlite_rows, sqlite_with, Cell};
use common::{sample, shared};
use polars::prelude::DataFrame;

/// (what, model files, the file's frame): the sample's four exportable response models, each with the
/// segments, plus the real files' models.
/// A named set of model files and the frame they score.
type Case = (String, Vec<(String, ModelFile)>, DataFrame);

fn cases(dir: &std::path::Path, real: bool) -> Vec<Case> {
    let mut out = Vec::new();
    let path = sample("customers.csv");
    let ws = open(&path);
    let df = raw(&path);
    let seg = segments(&ws, 4);
    let (sp, sf) = round_trip(&ws, None, Some(&seg), dir, "seg.json");
    let mut run = fit(&ws, ModelChoice::All, Some(3));
    for (i, kind) in ModelKind::ALL.iter().enumerate() {
        if *kind == ModelKind::Svm {
            continue;
        }
        run.rescore(&ws, Some(i)).unwrap();
        let (p, f) = round_trip(&ws, Some(&run), None, dir, &format!("{}.json", kind.word()));
        let models = vec![(p, f), (sp.clone(), sf.clone())];
        out.push((format!("sample {}", kind.word()), models, df.clone()));
    }
    if !real {
        return out;
    }
    let (Some(bank), Some(telco)) = (
        shared("bank-full.csv"),
        shared("WA_Fn-UseC_-Telco-Customer-Churn.csv"),
    ) else {
        return out;
    };
    for (path, kind, cv) in [
        (&bank, ModelChoice::Boosting, None),
        (&bank, ModelChoice::Tree, None),
        (&telco, ModelChoice::Logistic, Some(3)),
        (&telco, ModelChoice::Boosting, Some(3)),
    ] {
        let ws = open(path);
        let run = fit(&ws, kind, cv);
        let name = format!("{}-{kind:?}.json", ws.file_name());
        let (p, f) = round_trip(&ws, Some(&run), None, dir, &name);
        let mut models = vec![(p, f)];
        if path == &bank {
            let seg = segments(&ws, 3);
            models.push(round_trip(&ws, None, Some(&seg), dir, "bank-seg.json"));
        }
        out.push((format!("{} {kind:?}", ws.file_name()), models, raw(path)));
    }
    out
}

#[test]
fn sqlite_scores_every_row_as_score_does() {
    let dir = tempfile::tempdir().unwrap();
    for (what, models, df) in cases(dir.path(), true) {
        let scored = score(&models, &df);
        let con = sqlite_with(&df, "customers");
        let sql = select(&models, "customers", Dialect::Sqlite).unwrap();
        let rows = sqlite_rows(&con, &sql);
        let worst = assert_same(&scored, &rows, 1e-9, &format!("SQLite, {what}"));
        eprintln!(
            "SQLite, {what}: {} rows, largest difference {worst:.1e}",
            rows.len()
        );
    }
}

/// A logistic model whose logit reaches ±thousands: naive EXP overflows (PostgreSQL raises an error
/// at exp(710)); the clamped SQL gives the scorer's 0 and 1.
fn extreme_model(dir: &std::path::Path) -> (Vec<(String, ModelFile)>, DataFrame) {
    let path = sample("customers.csv");
    let ws = open(&path);
    let run = fit(&ws, ModelChoice::Logistic, None);
    let (p, mut file) = round_trip(&ws, Some(&run), None, dir, "extreme.json");
    let r = file.response.as_mut().unwrap();
    let j = r.design_columns.iter().position(|c| c == "Income").unwrap();
    if let SavedModel::Logistic { coef, .. } = &mut r.model {
        coef[j] = 5_000.0;
    }
    (vec![(p, file)], raw(&path))
}

fn check_extreme(scored: &campaign_lens::deploy::score::Scored) {
    let Values::Float(s) = &scored.columns[0].1 else {
        panic!("scores")
    };
    // both tails are reached: the test would fail on an engine that errors or returns NULL
    assert!(s.contains(&0.0) && s.contains(&1.0));
}

#[test]
fn sqlite_clamps_a_logit_that_would_overflow_exp() {
    let dir = tempfile::tempdir().unwrap();
    let (models, df) = extreme_model(dir.path());
    let scored = score(&models, &df);
    check_extreme(&scored);
    let con = sqlite_with(&df, "customers");
    let sql = select(&models, "customers", Dialect::Sqlite).unwrap();
    assert_same(
        &scored,
        &sqlite_rows(&con, &sql),
        1e-9,
        "SQLite, extreme logit",
    );
    // the same model without the clamp does overflow: exp(−z) of the lowest incomes is infinite
    let naive = sqlite_rows(&con, "SELECT EXP(800.0)");
    assert_eq!(naive, vec![vec![Cell::Num(f64::INFINITY)]]);
}

#[test]
fn postgres_scores_every_row_as_score_does() {
    let Some(pg) = postgres() else {
        return;
    };
    let mut client = pg.client();
    let dir = tempfile::tempdir().unwrap();
    for (what, models, df) in cases(dir.path(), true) {
        let scored = score(&models, &df);
        pg.load(&mut client, &df, "customers");
        let sql = select(&models, "customers", Dialect::Postgres).unwrap();
        let rows = pg.rows(&mut client, &sql);
        let engine = format!("PostgreSQL, {what}");
        // bank-full has no ID: the SQL numbers rows in scan order, and COPY does not keep file order
        // for every row (row 15,793 lands a few rows early), so its columns are compared sorted
        let worst = if scored.id_column == "row" {
            assert_same_sorted(&scored, &rows, 1e-9, &engine)
        } else {
            assert_same(&scored, &rows, 1e-9, &engine)
        };
        eprintln!(
            "PostgreSQL, {what}: {} rows, largest difference {worst:.1e}",
            rows.len()
        );
    }
    // the logit clamp: PostgreSQL raises "value out of range: overflow" on exp(710)
    let (models, df) = extreme_model(dir.path());
    let scored = score(&models, &df);
    check_extreme(&scored);
    pg.load(&mut client, &df, "customers");
    let sql = select(&models, "customers", Dialect::Postgres).unwrap();
    assert_same(
        &scored,
        &pg.rows(&mut client, &sql),
        1e-9,
        "PostgreSQL, extreme logit",
    );
    let err = client
        .simple_query("SELECT EXP(710.0::float8)")
        .unwrap_err();
    let message = err.as_db_error().map(|e| e.message().to_string());
    assert!(
        message
            .as_deref()
            .is_some_and(|m| m.contains("out of range")),
        "{message:?}"
    );
}

#[test]
fn a_schema_qualified_table_and_quoted_headers_are_written_as_named() {
    let dir = tempfile::tempdir().unwrap();
    let (models, _) = extreme_model(dir.path());
    let sql = select(&models, "crm.Customers", Dialect::Postgres).unwrap();
    assert!(sql.contains("FROM \"crm\".\"Customers\" AS src"), "{sql}");
    assert!(sql.contains("\"Year_Birth\"") && sql.contains("AS \"score_Response\""));
    let sql = select(&models, "crm.Customers", Dialect::BigQuery).unwrap();
    assert!(sql.contains("FROM `crm`.`Customers` AS src"));
    assert!(sql.contains("SAFE_CAST(`Income` AS FLOAT64)"));
}
