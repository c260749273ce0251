//! Real SQL engines for the deploy tests: a table loaded from a file into SQLite (rusqlite's bundled
//! build, math functions on) or PostgreSQL (a server reached over its unix socket: the one `.ci/run`
//! starts, named by CAMPAIGN_LENS_PG, else a throwaway cluster started here), and the query's rows
//! compared with `score`'s output.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use campaign_lens::data::features::format_ymd;
use campaign_lens::deploy::score::{Scored, Values};
use polars::prelude::*;

/// A cell as an engine returned it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Num(f64),
    Text(String),
}

fn sql_type(dtype: &DataType, pg: bool) -> &'static str {
    let (sqlite, postgres) = match dtype {
        DataType::Float32 | DataType::Float64 => ("REAL", "DOUBLE PRECISION"),
        d if d.is_integer() => ("INTEGER", "BIGINT"),
        DataType::Date => ("TEXT", "DATE"),
        DataType::Boolean => ("INTEGER", "BOOLEAN"),
        _ => ("TEXT", "TEXT"),
    };
    if pg {
        postgres
    } else {
        sqlite
    }
}

/// Every column's cells as text (None = NULL): numbers in full precision, dates as yyyy-mm-dd.
fn text_cells(df: &DataFrame) -> Vec<Vec<Option<String>>> {
    df.columns()
        .iter()
        .map(|c| {
            let s = c.as_materialized_series();
            match s.dtype() {
                DataType::Date => s
                    .cast(&DataType::Int32)
                    .unwrap()
                    .i32()
                    .unwrap()
                    .iter()
                    .map(|d| d.map(format_ymd))
                    .collect(),
                DataType::Float64 | DataType::Float32 => s
                    .cast(&DataType::Float64)
                    .unwrap()
                    .f64()
                    .unwrap()
                    .iter()
                    .map(|v| v.map(|x| format!("{x:?}")))
                    .collect(),
                _ => s
                    .cast(&DataType::String)
                    .unwrap()
                    .str()
                    .unwrap()
                    .iter()
                    .map(|v| v.map(str::to_string))
                    .collect(),
            }
        })
        .collect()
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn create(df: &DataFrame, table: &str, pg: bool) -> String {
    let cols: Vec<String> = df
        .columns()
        .iter()
        .map(|c| format!("{} {}", quote(c.name()), sql_type(c.dtype(), pg)))
        .collect();
    format!("CREATE TABLE {} ({})", quote(table), cols.join(", "))
}

/// An in-memory SQLite database holding `df` as `table`.
pub fn sqlite_with(df: &DataFrame, table: &str) -> rusqlite::Connection {
    let mut con = rusqlite::Connection::open_in_memory().unwrap();
    con.execute(&create(df, table, false), []).unwrap();
    let cells = text_cells(df);
    let kinds: Vec<&'static str> = df
        .columns()
        .iter()
        .map(|c| sql_type(c.dtype(), false))
        .collect();
    let tx = con.transaction().unwrap();
    {
        let marks = vec!["?"; df.width()].join(", ");
        let mut st = tx
            .prepare(&format!("INSERT INTO {} VALUES ({marks})", quote(table)))
            .unwrap();
        for i in 0..df.height() {
            let row: Vec<rusqlite::types::Value> = cells
                .iter()
                .zip(&kinds)
                .map(|(col, kind)| match (&col[i], *kind) {
                    (None, _) => rusqlite::types::Value::Null,
                    (Some(v), "INTEGER") => match v.as_str() {
                        "true" => rusqlite::types::Value::Integer(1),
                        "false" => rusqlite::types::Value::Integer(0),
                        v => rusqlite::types::Value::Integer(v.parse().unwrap()),
                    },
                    (Some(v), "REAL") => rusqlite::types::Value::Real(v.parse().unwrap()),
                    (Some(v), _) => rusqlite::types::Value::Text(v.clone()),
                })
                .collect();
            st.execute(rusqlite::params_from_iter(row)).unwrap();
        }
    }
    tx.commit().unwrap();
    con
}

/// Run `sql` in SQLite; every row's cells.
pub fn sqlite_rows(con: &rusqlite::Connection, sql: &str) -> Vec<Vec<Cell>> {
    let mut st = con.prepare(sql).unwrap_or_else(|e| panic!("SQLite: {e}"));
    let n = st.column_count();
    let rows = st
        .query_map([], |r| {
            Ok((0..n)
                .map(|j| match r.get_ref(j).unwrap() {
                    rusqlite::types::ValueRef::Null => Cell::Null,
                    rusqlite::types::ValueRef::Integer(v) => Cell::Num(v as f64),
                    rusqlite::types::ValueRef::Real(v) => Cell::Num(v),
                    rusqlite::types::ValueRef::Text(t) => {
                        Cell::Text(String::from_utf8_lossy(t).to_string())
                    }
                    rusqlite::types::ValueRef::Blob(_) => Cell::Null,
                })
                .collect())
        })
        .unwrap_or_else(|e| panic!("SQLite: {e}"));
    rows.map(|r| r.unwrap()).collect()
}

/// A PostgreSQL server for the test: CAMPAIGN_LENS_PG (a libpq connection string), else a throwaway
/// cluster started from the server binaries; None (after printing "skipping") when there are none.
pub struct Postgres {
    pub conninfo: String,
    own: Option<(PathBuf, PathBuf)>,
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Some((bin, dir)) = &self.own {
            let _ = as_postgres(&bin.join("pg_ctl"))
                .args(["-D"])
                .arg(dir.join("data"))
                .args(["-m", "immediate", "stop"])
                .output();
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn server_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").exists() && b.join("pg_ctl").exists())
        .collect();
    found.sort();
    found.pop()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions
    unsafe { libc::geteuid() == 0 }
}

/// A command run as the `postgres` user when the tests run as root (initdb refuses root).
fn as_postgres(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

pub fn postgres() -> Option<Postgres> {
    if let Ok(conninfo) = std::env::var("CAMPAIGN_LENS_PG") {
        return Some(Postgres {
            conninfo,
            own: None,
        });
    }
    let Some(bin) = server_bin() else {
        eprintln!("skipping: no PostgreSQL server binaries under /usr/lib/postgresql");
        return None;
    };
    let dir = std::env::temp_dir().join(format!("campaign-lens-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    if is_root() {
        let ok = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "could not hand {} to the postgres user", dir.display());
    }
    let out = as_postgres(&bin.join("initdb"))
        .args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
            "-D",
        ])
        .arg(dir.join("data"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "initdb: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let opts = format!("-k {} -c listen_addresses= -F", dir.display());
    let out = as_postgres(&bin.join("pg_ctl"))
        .args(["-D"])
        .arg(dir.join("data"))
        .args(["-o", &opts, "-l"])
        .arg(dir.join("log"))
        .args(["-w", "start"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pg_ctl start: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(Postgres {
        conninfo: format!("host={} user=postgres dbname=postgres", dir.display()),
        own: Some((bin, dir)),
    })
}

impl Postgres {
    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.conninfo, postgres::NoTls)
            .unwrap_or_else(|e| panic!("PostgreSQL at {:?}: {e}", self.conninfo))
    }

    /// Create `table` (dropped first) from `df` with COPY.
    pub fn load(&self, client: &mut postgres::Client, df: &DataFrame, table: &str) {
        use std::io::Write;
        client
            .batch_execute(&format!("DROP TABLE IF EXISTS {}", quote(table)))
            .unwrap();
        client.batch_execute(&create(df, table, true)).unwrap();
        let cells = text_cells(df);
        let mut w = client
            .copy_in(&format!("COPY {} FROM STDIN (FORMAT csv)", quote(table)))
            .unwrap();
        let mut line = String::new();
        for i in 0..df.height() {
            line.clear();
            for (j, col) in cells.iter().enumerate() {
                if j > 0 {
                    line.push(',');
                }
                if let Some(v) = &col[i] {
                    line.push('"');
                    line.push_str(&v.replace('"', "\"\""));
                    line.push('"');
                }
            }
            line.push('\n');
            w.write_all(line.as_bytes()).unwrap();
        }
        w.finish().unwrap();
    }

    /// Run `sql`; every row's cells (numbers, text, NULL).
    pub fn rows(&self, client: &mut postgres::Client, sql: &str) -> Vec<Vec<Cell>> {
        let rows = client
            .simple_query(sql)
            .unwrap_or_else(|e| panic!("PostgreSQL: {e}"));
        rows.into_iter()
            .filter_map(|m| match m {
                postgres::SimpleQueryMessage::Row(r) => Some(
                    (0..r.len())
                        .map(|j| match r.get(j) {
                            None => Cell::Null,
                            Some(t) => t
                                .parse::<f64>()
                                .map(Cell::Num)
                                .unwrap_or_else(|_| Cell::Text(t.to_string())),
                        })
                        .collect(),
                ),
                _ => None,
            })
            .collect()
    }
}

/// For a file without an ID column, whose rows the SQL numbers in scan order (PostgreSQL's COPY may
/// place a row out of file order): each column's values sorted, compared with `score`'s sorted.
pub fn assert_same_sorted(scored: &Scored, rows: &[Vec<Cell>], tol: f64, engine: &str) -> f64 {
    assert_eq!(rows.len(), scored.ids.len(), "{engine}: row count");
    let mut worst: f64 = 0.0;
    for (j, (name, values)) in scored.columns.iter().enumerate() {
        let mut got: Vec<String> = Vec::new();
        let mut nums: Vec<f64> = Vec::new();
        for r in rows {
            match &r[j + 1] {
                Cell::Num(v) => nums.push(*v),
                Cell::Text(t) => got.push(t.clone()),
                Cell::Null => got.push(String::new()),
            }
        }
        match values {
            Values::Float(v) => {
                let mut want = v.clone();
                want.sort_by(f64::total_cmp);
                nums.sort_by(f64::total_cmp);
                assert_eq!(nums.len(), want.len(), "{engine}: {name}");
                for (a, b) in nums.iter().zip(&want) {
                    worst = worst.max((a - b).abs());
                    assert!((a - b).abs() <= tol, "{engine}: {name}: {a} vs {b}");
                }
            }
            Values::Int(v) => {
                let mut want: Vec<i64> = v.iter().flatten().copied().collect();
                let mut have: Vec<i64> = nums.iter().map(|x| *x as i64).collect();
                want.sort();
                have.sort();
                assert_eq!(have, want, "{engine}: {name}");
            }
            Values::Text(v) => {
                let mut want: Vec<String> =
                    v.iter().map(|t| t.clone().unwrap_or_default()).collect();
                want.sort();
                got.sort();
                assert_eq!(got, want, "{engine}: {name}");
            }
        }
    }
    worst
}

/// Check an engine's rows against `score`'s output: same row count, the same ID set, scores within
/// `tol`, the same cluster, persona and next-best category for every row. Returns the largest score
/// difference.
pub fn assert_same(scored: &Scored, rows: &[Vec<Cell>], tol: f64, engine: &str) -> f64 {
    assert_eq!(rows.len(), scored.ids.len(), "{engine}: row count");
    let width = scored.columns.len() + 1;
    let index: HashMap<String, usize> = scored
        .ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.clone(), i))
        .collect();
    let key = |c: &Cell| match c {
        Cell::Num(v) => format!("{v}"),
        Cell::Text(t) => t.clone(),
        Cell::Null => String::new(),
    };
    let mut worst: f64 = 0.0;
    for r in rows {
        assert_eq!(r.len(), width, "{engine}: columns");
        let i = *index
            .get(&key(&r[0]))
            .unwrap_or_else(|| panic!("{engine}: unknown ID {:?}", r[0]));
        for ((name, values), cell) in scored.columns.iter().zip(&r[1..]) {
            match values {
                Values::Float(v) => {
                    let Cell::Num(got) = cell else {
                        panic!("{engine}: {name} of row {i} is {cell:?}");
                    };
                    let d = (got - v[i]).abs();
                    worst = worst.max(d);
                    assert!(d <= tol, "{engine}: {name} row {i}: {got} vs {}", v[i]);
                }
                Values::Int(v) => {
                    let got = match cell {
                        Cell::Num(x) => Some(*x as i64),
                        _ => None,
                    };
                    assert_eq!(got, v[i], "{engine}: {name} row {i}");
                }
                Values::Text(v) => {
                    let got = match cell {
                        Cell::Text(t) => Some(t.clone()),
                        _ => None,
                    };
                    assert_eq!(got, v[i], "{engine}: {name} row {i}");
                }
            }
        }
    }
    worst
}
