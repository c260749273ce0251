//! Excel and OpenDocument workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`, read by calamine in pure
//! Rust): one sheet becomes a frame. The first row with any value is the header; numbers stay numbers
//! (whole numbers as integers), Excel dates become dates (date-times when a time is set), TRUE/FALSE
//! booleans, empty cells and error cells (#N/A, #DIV/0!, …) missing; a column that mixes kinds is text,
//! and the text tidy-up (NULL markers, numbers or dates written as text) runs on it as on a CSV.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use polars::prelude::*;

use super::dates::days_from_civil;
use super::source::LoadError;

/// File endings read as workbooks.
pub const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// One sheet of a workbook.
pub struct Sheet {
    pub df: DataFrame,
    pub name: String,
    /// Every sheet of the workbook, in order.
    pub names: Vec<String>,
    pub notes: Vec<String>,
}

fn parse_err(shown: &str, reason: String) -> LoadError {
    LoadError::Parse {
        path: shown.to_string(),
        reason,
    }
}

/// The sheet `wanted` names (exactly, then ignoring case, then as a number from 1); the first by default.
pub fn pick_sheet(names: &[String], wanted: Option<&str>) -> Result<usize, String> {
    let Some(w) = wanted else {
        return Ok(0);
    };
    if let Some(i) = names.iter().position(|n| n == w) {
        return Ok(i);
    }
    if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(w.trim())) {
        return Ok(i);
    }
    match w.trim().parse::<usize>() {
        Ok(n) if (1..=names.len()).contains(&n) => Ok(n - 1),
        _ => Err(format!(
            "no sheet {w:?} (sheets: {}; --sheet takes a name or a number from 1)",
            names.join(", ")
        )),
    }
}

/// Read one sheet of the workbook at `path`.
pub fn read_workbook(path: &Path, sheet: Option<&str>, shown: &str) -> Result<Sheet, LoadError> {
    let mut wb = open_workbook_auto(path).map_err(|e| {
        parse_err(
            shown,
            format!("not a readable Excel or OpenDocument workbook ({e})"),
        )
    })?;
    let names = wb.sheet_names();
    if names.is_empty() {
        return Err(LoadError::Empty {
            path: shown.to_string(),
        });
    }
    let at = pick_sheet(&names, sheet).map_err(|m| parse_err(shown, m))?;
    let name = names[at].clone();
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| parse_err(shown, format!("sheet {name:?} cannot be read ({e})")))?;
    let mut rows = range.rows().skip_while(|r| r.iter().all(is_blank));
    let Some(header) = rows.next() else {
        return Err(parse_err(shown, format!("sheet {name:?} is empty")));
    };
    let body: Vec<&[Data]> = rows.collect();
    if body.is_empty() {
        return Err(LoadError::HeaderOnly {
            path: shown.to_string(),
        });
    }
    let mut notes = vec![if names.len() > 1 {
        format!(
            "sheet {name:?} ({} of {}: {})",
            at + 1,
            names.len(),
            names.join(", ")
        )
    } else {
        format!("sheet {name:?}")
    }];
    let mut columns = Vec::with_capacity(header.len());
    let mut used: Vec<String> = Vec::new();
    for (j, head) in header.iter().enumerate() {
        let cells = || body.iter().map(move |r| r.get(j).unwrap_or(&Data::Empty));
        let title = cell_text(head).unwrap_or_default();
        if title.trim().is_empty() && cells().all(is_blank) {
            continue; // an unused column inside the sheet's range
        }
        let mut title = title.trim().to_string();
        if title.is_empty() {
            title = format!("column_{}", j + 1);
            notes.push(format!(
                "column {} has no name in the header: called {title}",
                j + 1
            ));
        }
        if used.contains(&title) {
            let base = title.clone();
            let mut k = 2;
            while used.contains(&title) {
                title = format!("{base}_{k}");
                k += 1;
            }
            notes.push(format!(
                "column {} repeats the name {base:?}: called {title}",
                j + 1
            ));
        }
        used.push(title.clone());
        let errors = cells().filter(|c| matches!(c, Data::Error(_))).count();
        if errors > 0 {
            notes.push(format!(
                "{title}: {errors} error cell{} (#N/A, #DIV/0!, …) read as missing",
                if errors == 1 { "" } else { "s" }
            ));
        }
        columns.push(column(&title, cells()));
    }
    let df = DataFrame::new(body.len(), columns).map_err(|e| parse_err(shown, e.to_string()))?;
    Ok(Sheet {
        df,
        name,
        names,
        notes,
    })
}

fn is_blank(c: &Data) -> bool {
    match c {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// Days since 1970-01-01 and milliseconds into the day of an Excel date (either date system).
fn excel_date(d: &calamine::ExcelDateTime) -> Option<(i32, i64)> {
    let (y, m, day, h, mi, s, ms) = d.to_ymd_hms_milli();
    let days = days_from_civil(y as i32, m as u32, day as u32)?;
    let in_day = ((h as i64 * 60 + mi as i64) * 60 + s as i64) * 1000 + ms as i64;
    Some((days, in_day))
}

/// An ISO date or date-time ("2013-05-14", "2013-05-14T10:30:00", as OpenDocument stores them): days since
/// 1970-01-01 and milliseconds into the day.
fn iso_date(s: &str) -> Option<(i32, i64)> {
    let (date, time) = s.trim().split_once('T').unwrap_or((s.trim(), ""));
    let mut p = date.splitn(3, '-');
    let (y, m, d) = (
        p.next()?.parse().ok()?,
        p.next()?.parse().ok()?,
        p.next()?.parse().ok()?,
    );
    let days = days_from_civil(y, m, d)?;
    let mut t = time.splitn(3, ':');
    let h: i64 = t
        .next()
        .filter(|x| !x.is_empty())
        .map_or(Some(0), |x| x.parse().ok())?;
    let mi: i64 = t.next().map_or(Some(0), |x| x.parse().ok())?;
    let sec: f64 = t.next().map_or(Some(0.0), |x| x.parse().ok())?;
    if !(0..24).contains(&h) || !(0..60).contains(&mi) || !(0.0..61.0).contains(&sec) {
        return None;
    }
    Some((
        days,
        (h * 3600 + mi * 60) * 1000 + (sec * 1000.0).round() as i64,
    ))
}

/// A cell as text (None when empty or an error).
fn cell_text(c: &Data) -> Option<String> {
    Some(match c {
        Data::Empty | Data::Error(_) => return None,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => match excel_date(d) {
            Some((_, 0)) => {
                let (y, m, day, ..) = d.to_ymd_hms_milli();
                format!("{y:04}-{m:02}-{day:02}")
            }
            _ => {
                let (y, m, day, h, mi, s, _) = d.to_ymd_hms_milli();
                format!("{y:04}-{m:02}-{day:02} {h:02}:{mi:02}:{s:02}")
            }
        },
        Data::DateTime(d) => d.as_f64().to_string(),
    })
}

/// One column: numbers, dates, booleans when every present cell is one; text otherwise.
fn column<'a>(name: &str, cells: impl Iterator<Item = &'a Data> + Clone) -> Column {
    let present = || {
        cells
            .clone()
            .filter(|c| !is_blank(c) && !matches!(c, Data::Error(_)))
    };
    let name = PlSmallStr::from(name);
    let all = |f: fn(&Data) -> bool| present().all(f) && present().next().is_some();
    if all(|c| matches!(c, Data::Int(_) | Data::Float(_))) {
        let vals: Vec<Option<f64>> = cells
            .clone()
            .map(|c| match c {
                Data::Int(i) => Some(*i as f64),
                Data::Float(f) => Some(*f),
                _ => None,
            })
            .collect();
        let whole = vals
            .iter()
            .flatten()
            .all(|v| v.fract() == 0.0 && v.abs() < 9e15);
        return if whole {
            Int64Chunked::from_iter_options(name, vals.iter().map(|v| v.map(|x| x as i64)))
                .into_column()
        } else {
            Float64Chunked::from_iter_options(name, vals.into_iter()).into_column()
        };
    }
    let is_date = |c: &Data| match c {
        Data::DateTime(d) => d.is_datetime(),
        Data::DateTimeIso(s) => iso_date(s).is_some(),
        _ => false,
    };
    if present().all(is_date) && present().next().is_some() {
        let vals: Vec<Option<(i32, i64)>> = cells
            .clone()
            .map(|c| match c {
                Data::DateTime(d) => excel_date(d),
                Data::DateTimeIso(s) => iso_date(s),
                _ => None,
            })
            .collect();
        if vals.iter().flatten().all(|(_, t)| *t == 0) {
            let days =
                Int32Chunked::from_iter_options(name.clone(), vals.iter().map(|v| v.map(|d| d.0)));
            if let Ok(s) = days.into_series().cast(&DataType::Date) {
                return s.into_column();
            }
        } else {
            let ms = Int64Chunked::from_iter_options(
                name.clone(),
                vals.iter()
                    .map(|v| v.map(|(d, t)| d as i64 * 86_400_000 + t)),
            );
            if let Ok(s) = ms
                .into_series()
                .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
            {
                return s.into_column();
            }
        }
    }
    if all(|c| matches!(c, Data::Bool(_))) {
        return BooleanChunked::from_iter_options(
            name,
            cells.map(|c| match c {
                Data::Bool(b) => Some(*b),
                _ => None,
            }),
        )
        .into_column();
    }
    StringChunked::from_iter_options(name, cells.map(cell_text)).into_column()
}
