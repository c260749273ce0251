//! Headless commands: every analysis runs from the CLI, as a readable table or `--json`.

pub mod bench;
pub mod customers;
pub mod deploy;
pub mod predict;
pub mod recommend;
pub mod report;
pub mod roi;
pub mod segment;
pub mod uplift;

use std::path::Path;

use serde::Serialize;
use serde_json::json;

use crate::data::breakdown::breakdown;
use crate::data::load::parse_separator;
use crate::data::profile::ColumnProfile;
use crate::data::{LoadOptions, Workspace};
use crate::fmt::{num, pct, thousands};

/// A failure the user caused: printed as one line, exit code 2.
#[derive(Debug)]
pub struct UserError(pub String);

impl<E: std::fmt::Display> From<E> for UserError {
    fn from(e: E) -> Self {
        UserError(e.to_string())
    }
}

pub type CliResult = Result<(), UserError>;

/// How the user asked for files to be read (`--separator`, `--sheet`, `--encoding`).
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadArgs<'a> {
    pub separator: Option<&'a str>,
    pub sheet: Option<&'a str>,
    pub encoding: Option<&'a str>,
}

pub fn load_options(read: &ReadArgs) -> Result<LoadOptions, UserError> {
    Ok(LoadOptions {
        separator: read
            .separator
            .map(parse_separator)
            .transpose()
            .map_err(UserError)?,
        sheet: read.sheet.map(str::to_string),
        encoding: read
            .encoding
            .map(crate::data::encoding::parse_encoding)
            .transpose()
            .map_err(UserError)?,
    })
}

pub fn open(file: &Path, read: &ReadArgs) -> Result<Workspace, UserError> {
    Ok(Workspace::open(file, &load_options(read)?)?)
}

pub(crate) fn print_json<T: Serialize>(value: &T) -> CliResult {
    let text = serde_json::to_string_pretty(value)?;
    println!("{text}");
    Ok(())
}

/// `campaign-lens profile FILE [--json]`
pub fn profile(file: &Path, read: &ReadArgs, as_json: bool) -> CliResult {
    let ws = open(file, read)?;
    if as_json {
        let sep = ws.separator.map(|b| (b as char).to_string());
        return print_json(&json!({
            "path": ws.path.display().to_string(),
            "rows": ws.rows(),
            "separator": sep,
            "columns": ws.profiles,
        }));
    }
    println!(
        "{} · {} rows × {} columns · {} · loaded in {:.2} s",
        ws.path.display(),
        thousands(ws.rows() as f64),
        ws.df.width(),
        ws.source,
        ws.load_time.as_secs_f64()
    );
    for note in &ws.notes {
        println!("note: {note}");
    }
    println!("{}", profile_table(&ws.profiles, ws.rows()));
    for d in &ws.derived {
        println!("derived: {} = {}", d.name, d.formula);
    }
    Ok(())
}

/// The profile as an aligned text table.
pub fn profile_table(profiles: &[ColumnProfile], rows: usize) -> String {
    let mut lines = vec![format!(
        "{:<24} {:<5} {:>8} {:>7} {:>9} {:>12} {:>12} {:>12}  {}",
        "column", "type", "nulls", "null%", "distinct", "min", "mean", "max", "flags"
    )];
    let o = |x: Option<f64>| x.map(num).unwrap_or_default();
    for p in profiles {
        let flags: Vec<&str> = p.flags.iter().map(|f| f.label()).collect();
        lines.push(format!(
            "{:<24} {:<5} {:>8} {:>7} {:>9} {:>12} {:>12} {:>12}  {}",
            p.name,
            p.dtype,
            thousands(p.nulls as f64),
            if p.nulls > 0 {
                pct(p.nulls as f64 / rows.max(1) as f64)
            } else {
                String::new()
            },
            thousands(p.distinct as f64),
            o(p.min),
            o(p.mean),
            o(p.max),
            flags.join(" ")
        ));
    }
    lines.join("\n")
}

/// `campaign-lens breakdown FILE --by COL --target COL [--positive V] [--json]`
pub fn breakdown_cmd(
    file: &Path,
    read: &ReadArgs,
    by: &str,
    target: &str,
    positive: Option<&str>,
    as_json: bool,
) -> CliResult {
    let ws = open(file, read)?;
    let b = breakdown(&ws, by, target, positive)?;
    if as_json {
        return print_json(&b);
    }
    println!("{}", crate::ui::data::breakdown_headline(&b));
    println!(
        "{:<24} {:>9} {:>8} {:>17}",
        b.by, "count", "rate", "95 % interval"
    );
    for g in &b.groups {
        println!(
            "{:<24} {:>9} {:>8} {:>8} – {:<6}",
            g.value,
            thousands(g.count as f64),
            pct(g.rate),
            pct(g.ci_low),
            pct(g.ci_high)
        );
    }
    Ok(())
}

pub use crate::export::csv_cell;

/// Write text to `out` atomically (temporary name, then rename).
pub fn write_atomic(out: &Path, text: &[u8]) -> CliResult {
    if out.is_dir() {
        return Err(UserError(format!("{}: is a directory", out.display())));
    }
    crate::export::write_atomic(out, text).map_err(UserError)
}

/// `campaign-lens sample --rows N --seed S --out FILE [--campaigns]`
pub fn sample(rows: usize, seed: u64, out: &Path, campaigns: bool, test: bool) -> CliResult {
    if rows == 0 {
        return Err(UserError("--rows must be at least 1".into()));
    }
    let text = if campaigns {
        crate::synth::campaigns_csv(rows, seed)
    } else if test {
        crate::synth::uplift::uplift_csv(rows, seed, 3, 1.0 / 3.0).0
    } else {
        crate::synth::customers_csv(rows, seed)
    };
    write_atomic(out, text.as_bytes())?;
    eprintln!("wrote {} rows to {}", thousands(rows as f64), out.display());
    Ok(())
}

/// `campaign-lens config [--path] [--init]`
pub fn config(path: bool, init: bool) -> CliResult {
    let p = crate::config::path();
    if init {
        if p.exists() {
            return Err(UserError(format!(
                "{}: already exists; edit it or remove it first",
                p.display()
            )));
        }
        crate::export::write_atomic(&p, crate::config::DEFAULT_FILE.as_bytes())
            .map_err(UserError)?;
        eprintln!("wrote the default settings");
    } else if !path {
        crate::config::load(&p).map_err(UserError)?;
        eprintln!("settings are valid");
    }
    println!("{}", p.display());
    Ok(())
}
