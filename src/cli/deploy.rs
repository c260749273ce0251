//! `campaign-lens score MODEL… FILE --out OUT.csv` and `campaign-lens sql MODEL… --dialect D --table T`:
//! saved models applied to next month's file, or written as SQL for the warehouse.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::{load_options, print_json, write_atomic, CliResult, ReadArgs, UserError};
use crate::data::load::load;
use crate::deploy::model_file::ModelFile;
use crate::deploy::score::{notes, score_frame, to_csv, Summary};
use crate::deploy::sql::select;
use crate::deploy::sql_dialect::Dialect;

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// Model files (from --save-model, the dashboard's `w` or `report`), then the file to score.
    #[arg(required = true, num_args = 2.., value_name = "MODEL… FILE")]
    pub paths: Vec<PathBuf>,
    /// CSV to write: the ID column, then score_<target>, cluster, persona, next_best_category.
    #[arg(long)]
    pub out: PathBuf,
    /// Print a summary as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct SqlArgs {
    /// Model files (from --save-model, the dashboard's `w` or `report`).
    #[arg(required = true, num_args = 1..)]
    pub models: Vec<PathBuf>,
    /// postgres, duckdb, sqlite, bigquery, snowflake or spark.
    #[arg(long)]
    pub dialect: String,
    /// The table to score (schema.table allowed; each part is quoted).
    #[arg(long)]
    pub table: String,
    /// Write the SQL to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

fn read_models(paths: &[PathBuf]) -> Result<Vec<(String, ModelFile)>, UserError> {
    paths
        .iter()
        .map(|p| Ok((p.display().to_string(), ModelFile::load(p)?)))
        .collect()
}

pub fn score(a: &ScoreArgs, read: &ReadArgs) -> CliResult {
    let (file, models) = a
        .paths
        .split_last()
        .ok_or_else(|| UserError("score needs a model file and a file to score".into()))?;
    let models = read_models(models)?;
    if a.out.as_path() == file.as_path() {
        return Err(UserError(format!(
            "{}: --out is the file being scored; write the scores elsewhere",
            a.out.display()
        )));
    }
    let loaded = load(file, &load_options(read)?)?;
    let shown = file_name(file);
    let scored = score_frame(&models, &loaded.df, &shown)?;
    write_atomic(&a.out, to_csv(&scored).as_bytes())?;
    let lines = notes(&scored);
    if a.json {
        let summary = Summary {
            file: &shown,
            rows: scored.ids.len(),
            out: a.out.display().to_string(),
            columns: std::iter::once(scored.id_column.as_str())
                .chain(scored.columns.iter().map(|(n, _)| n.as_str()))
                .collect(),
            unseen: &scored.unseen,
            filled: scored
                .filled
                .iter()
                .map(|(c, n)| json!({"column": c, "rows": n}))
                .collect(),
            unassigned: scored.unassigned,
            notes: lines,
        };
        return print_json(&summary);
    }
    for l in &lines {
        eprintln!("{shown}: {l}");
    }
    eprintln!(
        "wrote {} rows × {} columns to {}",
        scored.ids.len(),
        scored.columns.len() + 1,
        a.out.display()
    );
    Ok(())
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_else(|| p.display().to_string())
}

pub fn sql(a: &SqlArgs) -> CliResult {
    let dialect = Dialect::parse(&a.dialect).ok_or_else(|| {
        UserError(format!(
            "--dialect must be one of {}, got {:?}",
            Dialect::ALL.map(|d| d.word()).join(", "),
            a.dialect
        ))
    })?;
    if a.table.trim().is_empty() {
        return Err(UserError("--table must name the table to score".into()));
    }
    let models = read_models(&a.models)?;
    let text = select(&models, &a.table, dialect)?;
    match &a.out {
        Some(out) => {
            write_atomic(out, text.as_bytes())?;
            eprintln!("wrote {} KB of SQL to {}", text.len() / 1024, out.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}
