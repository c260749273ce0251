//! The tidy-up pass after parsing: text columns that are really numbers (with blank cells) become numeric,
//! and text columns that are all dates in one common format become `Date`.

use polars::prelude::*;

use super::dates::{as_date, DateGuess};
use super::source::NULL_TOKENS;

pub use super::dates::{days_from_civil, year_of_days};

/// Convert text columns where it is safe; every conversion is described in `notes`. Columns are tidied in
/// parallel.
/// With `decimal_comma`, a text column of numbers written like 1,5 is read as Float64.
pub fn tidy_frame(
    df: DataFrame,
    decimal_comma: bool,
    notes: &mut Vec<String>,
) -> PolarsResult<DataFrame> {
    let height = df.height();
    let results: Vec<PolarsResult<(Column, Vec<String>)>> =
        super::parallel::map_columns(df.columns(), |c| tidy_column(c, decimal_comma));
    let mut columns = Vec::with_capacity(results.len());
    for r in results {
        let (col, mut n) = r?;
        columns.push(col);
        notes.append(&mut n);
    }
    DataFrame::new(height, columns)
}

fn tidy_column(col: &Column, decimal_comma: bool) -> PolarsResult<(Column, Vec<String>)> {
    let mut notes = Vec::new();
    if col.dtype() == &DataType::Float64 {
        // a "NaN" in the file: polars reads it as the float NaN; it is a missing value like any other
        let ca = col.as_materialized_series().f64()?.clone();
        let nans = ca.iter().filter(|v| v.is_some_and(f64::is_nan)).count();
        if nans == 0 {
            return Ok((col.clone(), notes));
        }
        notes.push(format!("{}: {nans} × NaN read as missing", col.name()));
        let cleaned: Float64Chunked = ca.iter().map(|v| v.filter(|x| !x.is_nan())).collect();
        return Ok((cleaned.with_name(col.name().clone()).into_column(), notes));
    }
    if col.dtype() != &DataType::String {
        return Ok((col.clone(), notes));
    }
    let name = col.name().clone();
    let raw = col.as_materialized_series().str()?.clone();
    // Blank cells, empty quoted fields and NULL markers (NA, NULL, NaN, #N/A, …) are missing values.
    let mut blanks = 0usize;
    let mut seen: Vec<(String, usize)> = Vec::new();
    for v in raw.iter().flatten() {
        let t = v.trim();
        if t.is_empty() {
            blanks += 1;
        } else if is_null_token(t) {
            match seen.iter_mut().find(|(s, _)| s == t) {
                Some((_, n)) => *n += 1,
                None => seen.push((t.to_string(), 1)),
            }
        }
    }
    let tokens: usize = seen.iter().map(|(_, n)| n).sum();
    let token_list = seen
        .iter()
        .map(|(t, n)| format!("{n} × {t}"))
        .collect::<Vec<_>>()
        .join(", ");
    let ca = if blanks + tokens > 0 {
        let cleaned: StringChunked = raw
            .iter()
            .map(|v| v.filter(|t| !is_missing_text(t)))
            .collect();
        cleaned.with_name(name.clone())
    } else {
        raw
    };
    let missing_notes = |notes: &mut Vec<String>| {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        if blanks > 0 {
            notes.push(format!(
                "{name}: {blanks} blank value{} read as missing; the column stays numeric",
                plural(blanks)
            ));
        }
        if tokens > 0 {
            notes.push(format!(
                "{name}: {token_list} read as missing; the column stays numeric"
            ));
        }
    };
    // in a text column the markers are missing too (not a category called "NULL")
    let text_notes = |notes: &mut Vec<String>| {
        if tokens > 0 {
            notes.push(format!("{name}: {token_list} read as missing"));
        }
    };
    match as_numeric(&ca, name.clone()) {
        Numeric::HugeIntegers => {
            notes.push(format!(
                "{name}: kept as text: whole numbers too large for 64-bit integers (an identifier?)"
            ));
            return Ok((ca.into_column(), notes));
        }
        Numeric::Yes(series) => {
            missing_notes(&mut notes);
            return Ok((series.into_column(), notes));
        }
        Numeric::No => {}
    }
    if decimal_comma {
        if let Some(series) = with_decimal_comma(&ca, name.clone()) {
            notes.push(format!(
                "{name}: read as numbers with a decimal comma (1,5 = 1.5)"
            ));
            missing_notes(&mut notes);
            return Ok((series.into_column(), notes));
        }
    }
    match as_date(&ca, name.clone())? {
        DateGuess::Parsed(series, format) => {
            notes.push(format!("{name}: read as dates ({format})"));
            text_notes(&mut notes);
            return Ok((series.into_column(), notes));
        }
        DateGuess::Ambiguous(a, b) => notes.push(format!(
            "{name}: kept as text: every value reads both as {a} and as {b} dates"
        )),
        DateGuess::No => {}
    }
    text_notes(&mut notes);
    Ok((ca.into_column(), notes))
}

/// What a text column's values say about numbers.
enum Numeric {
    /// Every present value is a number: the column as Int64 or Float64.
    Yes(Series),
    /// Whole numbers beyond 64-bit integers (account numbers and the like): kept as text, exactly.
    HugeIntegers,
    No,
}

fn is_integer_literal(t: &str) -> bool {
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Whether every present value of a text column parses as a number.
fn as_numeric(ca: &StringChunked, name: PlSmallStr) -> Numeric {
    let mut all_int = true;
    let mut any = false;
    let mut huge = false;
    for v in ca.iter().flatten() {
        let t = v.trim();
        any = true;
        if is_integer_literal(t) {
            if t.parse::<i64>().is_err() {
                // keep looking: a word later on makes this a text column, not an overflow
                huge = true;
                continue;
            }
            if all_int {
                continue;
            }
        }
        all_int = false;
        match t.parse::<f64>() {
            Ok(x) if x.is_finite() => {}
            _ => return Numeric::No,
        }
    }
    if !any {
        return Numeric::No;
    }
    if huge {
        return Numeric::HugeIntegers;
    }
    let series = if all_int {
        let out: Int64Chunked = ca
            .iter()
            .map(|v| v.and_then(|t| t.trim().parse::<i64>().ok()))
            .collect();
        out.with_name(name).into_series()
    } else {
        let out: Float64Chunked = ca
            .iter()
            .map(|v| v.and_then(|t| t.trim().parse::<f64>().ok()))
            .collect();
        out.with_name(name).into_series()
    };
    Numeric::Yes(series)
}

/// A text column whose every present value is a number with a decimal comma (`-1,25`, `3`), at least one
/// with a comma, as Float64.
fn with_decimal_comma(ca: &StringChunked, name: PlSmallStr) -> Option<Series> {
    let looks_right = |t: &str| {
        let (whole, frac) = t.split_once(',').unwrap_or((t, "0"));
        is_integer_literal(whole) && !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit())
    };
    let mut commas = 0usize;
    for t in ca.iter().flatten().map(str::trim) {
        if !looks_right(t) {
            return None;
        }
        commas += usize::from(t.contains(','));
    }
    if commas == 0 {
        return None;
    }
    let out: Float64Chunked = ca
        .iter()
        .map(|v| v.and_then(|t| t.trim().replacen(',', ".", 1).parse::<f64>().ok()))
        .collect();
    Some(out.with_name(name).into_series())
}

/// Columns without a header name get one (`column_3`); each is noted.
pub fn name_unnamed_columns(mut df: DataFrame, notes: &mut Vec<String>) -> PolarsResult<DataFrame> {
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    for (i, name) in names.iter().enumerate() {
        // polars calls a second unnamed column "_duplicated_0"
        if name.trim().is_empty() || name.starts_with("_duplicated_") {
            let mut fresh = format!("column_{}", i + 1);
            while names.contains(&fresh) {
                fresh.push('_');
            }
            df.rename(name, fresh.as_str().into())?;
            notes.push(format!(
                "column {} has no name in the header: called {fresh}",
                i + 1
            ));
        }
    }
    Ok(df)
}

/// A cell that is missing: null, blank, or an NA token in a text column.
fn missing_cells(col: &Column) -> PolarsResult<BooleanChunked> {
    if col.dtype() != &DataType::String {
        return Ok(col.is_null());
    }
    let text = col.as_materialized_series().str()?.clone();
    Ok(text.iter().map(|v| v.is_none_or(is_missing_text)).collect())
}

fn is_missing_text(v: &str) -> bool {
    let t = v.trim();
    t.is_empty() || is_null_token(t)
}

/// `NA`, `N/A`, `NULL`, `NaN`, `#N/A`, `?` in any letter case (what databases, pandas and Excel write for
/// a missing value), except `Na`.
pub fn is_null_token(t: &str) -> bool {
    // "Na" (a surname, sodium) is a value; "NA" and "na" are not
    t.len() <= 4 && t != "Na" && t != "nA" && NULL_TOKENS.iter().any(|n| n.eq_ignore_ascii_case(t))
}

/// Rows with no value in any column (blank lines in the file) are dropped, with a note; run before the
/// tidy-up so its counts of blank cells are about the rows that stay.
pub fn drop_empty_rows(df: DataFrame, notes: &mut Vec<String>) -> PolarsResult<DataFrame> {
    let full = |c: &Column| c.dtype() != &DataType::String && c.null_count() == 0;
    if df.width() == 0 || df.columns().iter().any(full) {
        return Ok(df);
    }
    let mut empty = missing_cells(&df.columns()[0])?;
    for c in &df.columns()[1..] {
        if !empty.any() {
            return Ok(df);
        }
        empty = &empty & &missing_cells(c)?;
    }
    let n = empty.sum().unwrap_or(0) as usize;
    if n == 0 {
        return Ok(df);
    }
    notes.push(format!(
        "{n} empty row{} (no value in any column) skipped",
        if n == 1 { "" } else { "s" }
    ));
    df.filter(&!&empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(vals: &[&str]) -> StringChunked {
        StringChunked::from_iter_values("x".into(), vals.iter().copied())
    }

    #[test]
    fn decimal_commas_read_as_numbers_only_when_every_value_fits() {
        let s = with_decimal_comma(&text(&["1,5", "-0,25", "3"]), "x".into()).expect("numbers");
        let vals: Vec<Option<f64>> = s.f64().unwrap().iter().collect();
        assert_eq!(vals, [Some(1.5), Some(-0.25), Some(3.0)]);
        assert!(with_decimal_comma(&text(&["1,5", "n/a x"]), "x".into()).is_none());
        assert!(with_decimal_comma(&text(&["1,5,0"]), "x".into()).is_none());
        assert!(
            with_decimal_comma(&text(&["12", "3"]), "x".into()).is_none(),
            "no comma: not this case"
        );
    }

    #[test]
    fn integers_after_decimals_keep_the_column_numeric() {
        let Numeric::Yes(s) = as_numeric(&text(&["29.85", "1889", "-3"]), "x".into()) else {
            panic!("numeric");
        };
        assert_eq!(s.dtype(), &DataType::Float64);
        assert_eq!(s.f64().unwrap().get(1), Some(1889.0));
    }

    #[test]
    fn whole_numbers_beyond_i64_are_flagged_even_after_decimals() {
        assert!(matches!(
            as_numeric(&text(&["1.5", "99999999999999999999"]), "x".into()),
            Numeric::HugeIntegers
        ));
        assert!(matches!(
            as_numeric(&text(&["9223372036854775807"]), "x".into()),
            Numeric::Yes(_)
        ));
        assert!(matches!(
            as_numeric(&text(&["1", "a"]), "x".into()),
            Numeric::No
        ));
    }
}
