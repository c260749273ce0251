//! Calendar dates in text: the layouts we recognise, day counts, and whether a text column is all dates.

use polars::prelude::*;

/// Date layouts we recognise, tried in this order.
#[derive(Debug, Clone, Copy, PartialEq)]
enum DateFormat {
    Ymd,      // 2014-06-29 or 2014/06/29
    DmyDash,  // 29-06-2014
    MdySlash, // 06/29/2014
    DmySlash, // 29/06/2014 (only when month-first fails)
    MdyDash,  // 06-29-2014 (only when day-first fails)
}

impl DateFormat {
    fn label(self) -> &'static str {
        match self {
            DateFormat::Ymd => "yyyy-mm-dd",
            DateFormat::DmyDash => "dd-mm-yyyy",
            DateFormat::MdySlash => "mm/dd/yyyy",
            DateFormat::DmySlash => "dd/mm/yyyy",
            DateFormat::MdyDash => "mm-dd-yyyy",
        }
    }

    fn parse(self, s: &str) -> Option<i32> {
        let (sep, order) = match self {
            DateFormat::Ymd => (None, [0, 1, 2]),
            DateFormat::DmyDash => (Some('-'), [2, 1, 0]),
            DateFormat::MdySlash => (Some('/'), [2, 0, 1]),
            DateFormat::DmySlash => (Some('/'), [2, 1, 0]),
            DateFormat::MdyDash => (Some('-'), [2, 0, 1]),
        };
        let c = sep.unwrap_or(if s.contains('-') { '-' } else { '/' });
        let mut it = s.splitn(4, c);
        let parts = [it.next()?, it.next()?, it.next()?];
        if it.next().is_some() {
            return None;
        }
        // order gives the index of (year, month, day) within parts
        let y = parts[order[0]];
        let m = parts[order[1]];
        let d = parts[order[2]];
        if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
            return None;
        }
        let y: i32 = y.parse().ok()?;
        let m: u32 = m.parse().ok()?;
        let d: u32 = d.parse().ok()?;
        days_from_civil(y, m, d)
    }
}

/// Days since 1970-01-01 for a valid calendar date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> Option<i32> {
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as i64;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era as i64 * 146_097 + doe - 719_468) as i32)
}

/// Calendar year of a day count since 1970-01-01.
pub fn year_of_days(days: i32) -> i32 {
    let z = days as i64 + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + if m <= 2 { 1 } else { 0 }) as i32
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// What a text column's values say about dates.
pub(crate) enum DateGuess {
    /// Every non-blank value is a date in this one format.
    Parsed(Series, &'static str),
    /// Every value is a valid date both day-first and month-first, and the two readings differ: not
    /// converted, the user is told.
    Ambiguous(&'static str, &'static str),
    No,
}

/// Every non-blank value in one date format, or None at the first that is not.
fn parse_all(ca: &StringChunked, fmt: DateFormat) -> Option<Vec<Option<i32>>> {
    ca.iter()
        .map(|v| match v.map(str::trim).filter(|t| !t.is_empty()) {
            None => Some(None),
            Some(t) => fmt.parse(t).map(Some),
        })
        .collect()
}

/// Whether a text column holds dates, and in which format. Day-first and month-first layouts are tried
/// in the order of `candidates`; a column both read is ambiguous and stays text.
pub(crate) fn as_date(ca: &StringChunked, name: PlSmallStr) -> PolarsResult<DateGuess> {
    let Some(sample) = ca.iter().flatten().map(str::trim).find(|t| !t.is_empty()) else {
        return Ok(DateGuess::No);
    };
    let candidates: &[DateFormat] = if sample
        .as_bytes()
        .get(..4)
        .is_some_and(|h| h.iter().all(u8::is_ascii_digit))
    {
        &[DateFormat::Ymd]
    } else if sample.contains('/') {
        &[DateFormat::MdySlash, DateFormat::DmySlash]
    } else {
        &[DateFormat::DmyDash, DateFormat::MdyDash]
    };
    for (i, &fmt) in candidates.iter().enumerate() {
        let Some(days) = parse_all(ca, fmt) else {
            continue;
        };
        // the other order usually fails within a few rows (a day above 12); when it reads every value too,
        // the column is ambiguous unless both orders give the same days (01/01, 02/02, …)
        if let Some(&other) = candidates.get(i + 1) {
            if parse_all(ca, other).is_some_and(|alt| alt != days) {
                return Ok(DateGuess::Ambiguous(fmt.label(), other.label()));
            }
        }
        let ints: Int32Chunked = days.into_iter().collect();
        let series = ints.with_name(name).into_series().cast(&DataType::Date)?;
        return Ok(DateGuess::Parsed(series, fmt.label()));
    }
    Ok(DateGuess::No)
}

/// A column named like a date: `date`, `day`, `*_date`, `*date`, `dt_*`, `date_*` (any letter case).
fn named_like_a_date(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "date"
        || n == "day"
        || n.ends_with("_date")
        || n.ends_with("date")
        || n.starts_with("dt_")
        || n.starts_with("date_")
}

/// Integer columns named like a date whose every value is a valid yyyymmdd date (19970101) become dates,
/// with a note.
pub fn yyyymmdd_columns(mut df: DataFrame, notes: &mut Vec<String>) -> PolarsResult<DataFrame> {
    let names: Vec<PlSmallStr> = df
        .columns()
        .iter()
        .filter(|c| c.dtype().is_integer() && named_like_a_date(c.name()))
        .map(|c| c.name().clone())
        .collect();
    for name in names {
        let col = df
            .column(&name)?
            .as_materialized_series()
            .cast(&DataType::Int64)?;
        let ca = col.i64()?;
        if ca.null_count() == ca.len() {
            continue;
        }
        let days: Vec<Option<Option<i32>>> = ca
            .iter()
            .map(|v| {
                v.map(|v| {
                    if !(10_000_101..=99_991_231).contains(&v) {
                        return None;
                    }
                    let (y, m, d) = (v / 10_000, (v / 100) % 100, v % 100);
                    days_from_civil(y as i32, m as u32, d as u32)
                })
            })
            .collect();
        if days.iter().any(|d| matches!(d, Some(None))) {
            continue; // some value is not a date: keep the numbers
        }
        let dates =
            Int32Chunked::from_iter_options(name.clone(), days.into_iter().map(Option::flatten))
                .into_series()
                .cast(&DataType::Date)?;
        df.replace(&name, dates.into_column())?;
        notes.push(format!("{name}: read as dates (yyyymmdd numbers)"));
    }
    Ok(df)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days_match_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        // 2014-06-29 is 16,250 days after the epoch (python: date(2014,6,29).toordinal() - date(1970,1,1).toordinal())
        assert_eq!(days_from_civil(2014, 6, 29), Some(16_250));
        assert_eq!(days_from_civil(2012, 2, 30), None);
        assert_eq!(days_from_civil(2012, 2, 29), Some(15_399));
        assert_eq!(year_of_days(16_250), 2014);
        assert_eq!(year_of_days(-1), 1969);
    }

    #[test]
    fn date_formats_parse_their_own_layout_only() {
        assert_eq!(DateFormat::DmyDash.parse("29-06-2014"), Some(16_250));
        assert_eq!(DateFormat::Ymd.parse("2014-06-29"), Some(16_250));
        assert_eq!(DateFormat::MdySlash.parse("06/29/2014"), Some(16_250));
        assert_eq!(DateFormat::MdySlash.parse("29/06/2014"), None);
        assert_eq!(DateFormat::DmySlash.parse("29/06/2014"), Some(16_250));
    }
}
