//! Column profiles: type, nulls, distinct values, numeric summary and flags (ID, constant, binary, derived).

use polars::prelude::*;
use serde::Serialize;

/// Why a column is special.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Flag {
    /// Unique per row: an identifier, left out of modelling.
    Id,
    /// One value (or none): carries no information, left out of modelling.
    Constant,
    /// Two values such as Yes/No or 0/1: a candidate target.
    Binary,
    /// Computed by campaign-lens from other columns.
    Derived,
    /// Parsed to calendar dates.
    Date,
}

impl Flag {
    pub fn label(self) -> &'static str {
        match self {
            Flag::Id => "ID",
            Flag::Constant => "constant",
            Flag::Binary => "binary",
            Flag::Derived => "derived",
            Flag::Date => "date",
        }
    }
}

/// One column's profile.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnProfile {
    pub name: String,
    pub dtype: String,
    pub nulls: usize,
    /// Distinct non-null values.
    pub distinct: usize,
    pub min: Option<f64>,
    pub mean: Option<f64>,
    pub max: Option<f64>,
    pub derived: bool,
    pub flags: Vec<Flag>,
    /// For binary columns: the value read as "positive" (yes, true, y, 1).
    #[serde(skip)]
    pub positive: Option<String>,
    #[serde(skip)]
    pub numeric: bool,
    #[serde(skip)]
    pub sd: Option<f64>,
}

impl ColumnProfile {
    pub fn has(&self, flag: Flag) -> bool {
        self.flags.contains(&flag)
    }
    /// Usable as a modelling feature by default: numeric, not an ID, not constant.
    pub fn is_model_numeric(&self) -> bool {
        self.numeric && !self.has(Flag::Id) && !self.has(Flag::Constant)
    }
    /// Text column worth one-hot encoding.
    pub fn is_categorical(&self) -> bool {
        !self.numeric && !self.has(Flag::Id) && !self.has(Flag::Constant) && !self.has(Flag::Date)
    }
}

/// True for integer and float dtypes.
pub fn is_numeric(dtype: &DataType) -> bool {
    dtype.is_primitive_numeric()
}

/// A numeric column as a Float64 array (vectorised work stays in polars); None when it is not numeric.
pub fn f64_chunked(col: &Column) -> Option<Float64Chunked> {
    if !is_numeric(col.dtype()) {
        return None;
    }
    let s = col.as_materialized_series().cast(&DataType::Float64).ok()?;
    s.f64().ok().cloned()
}

/// A numeric column as f64 values (None for null); None when the column is not numeric.
pub fn f64_values(col: &Column) -> Option<Vec<Option<f64>>> {
    Some(f64_chunked(col)?.iter().collect())
}

/// Any column as display strings (None for null).
pub fn string_values(col: &Column) -> Vec<Option<String>> {
    let s = col.as_materialized_series();
    match s.cast(&DataType::String) {
        Ok(cast) => match cast.str() {
            Ok(ca) => ca.iter().map(|v| v.map(str::to_string)).collect(),
            Err(_) => vec![None; s.len()],
        },
        Err(_) => vec![None; s.len()],
    }
}

/// One cell as display text, without converting the whole column (cheap per frame on large tables).
pub fn cell(col: &Column, row: usize) -> Option<String> {
    if row >= col.len() {
        return None;
    }
    string_values(&col.slice(row as i64, 1))
        .into_iter()
        .next()
        .flatten()
}

/// Pairs recognised as binary, with the positive value first (compared case-insensitively).
const BINARY_PAIRS: [(&str, &str); 5] = [
    ("yes", "no"),
    ("true", "false"),
    ("y", "n"),
    ("1", "0"),
    ("t", "f"),
];

/// If the two distinct values form a recognised binary pair, the positive one.
pub fn binary_positive(values: &[String]) -> Option<String> {
    if values.len() != 2 {
        return None;
    }
    let norm = |v: &str| {
        let t = v.trim().to_ascii_lowercase();
        // 1.0 / 0.0 read from a float column
        match t.as_str() {
            "1.0" => "1".to_string(),
            "0.0" => "0".to_string(),
            _ => t,
        }
    };
    for (pos, neg) in BINARY_PAIRS {
        for (a, b) in [(0, 1), (1, 0)] {
            if norm(&values[a]) == pos && norm(&values[b]) == neg {
                return Some(values[a].clone());
            }
        }
    }
    None
}

fn id_like_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "id"
        || n.ends_with("id")
        || n.starts_with("id_")
        || n.contains("_id")
        || n.ends_with("_key")
        || n == "index"
        || n.ends_with("number")
        || n.ends_with("code")
}

/// Distinct non-null values of a column (polars' hash-based count, with the null group taken out).
fn distinct_non_null(s: &Series, nulls: usize) -> usize {
    let all = s.n_unique().unwrap_or(0);
    all.saturating_sub(usize::from(nulls > 0))
}

/// The distinct non-null values of a column with exactly two, as display text, sorted.
fn two_values(s: &Series) -> Vec<String> {
    let Ok(unique) = s.drop_nulls().unique() else {
        return Vec::new();
    };
    let mut two: Vec<String> = string_values(&unique.into_column())
        .into_iter()
        .flatten()
        .collect();
    two.sort();
    two
}

/// Profile one column. `derived` marks columns campaign-lens added.
///
/// Every statistic is one of polars' vectorised aggregations (no per-value copies), so a million-row
/// column profiles in milliseconds.
pub fn profile_column(col: &Column, derived: bool) -> ColumnProfile {
    let rows = col.len();
    let nulls = col.null_count();
    let dtype = col.dtype().clone();
    let name = col.name().to_string();
    let series = col.as_materialized_series();
    let mut flags = Vec::new();
    let distinct = distinct_non_null(series, nulls);
    let numeric = is_numeric(&dtype);
    let (mut min, mut mean, mut max, mut sd) = (None, None, None, None);
    let positive;
    if numeric {
        if let Some(ca) = f64_chunked(col) {
            (min, max, mean, sd) = (ca.min(), ca.max(), ca.mean(), ca.std(0));
        }
        positive = (distinct == 2 && min == Some(0.0) && max == Some(1.0)).then(|| "1".to_string());
        let integer = dtype.is_integer();
        if integer && distinct == rows && nulls == 0 && rows > 1 && id_like_name(&name) {
            flags.push(Flag::Id);
        }
    } else {
        positive = if distinct == 2 {
            binary_positive(&two_values(series))
        } else {
            None
        };
        if dtype == DataType::String && distinct == rows && nulls == 0 && rows > 1 {
            flags.push(Flag::Id);
        }
        if dtype == DataType::Date {
            flags.push(Flag::Date);
        }
    }
    if distinct <= 1 {
        flags.push(Flag::Constant);
    }
    if positive.is_some() {
        flags.push(Flag::Binary);
    }
    if derived {
        flags.push(Flag::Derived);
    }
    ColumnProfile {
        name,
        dtype: dtype.to_string(),
        nulls,
        distinct,
        min,
        mean,
        max,
        derived,
        flags,
        positive,
        numeric,
        sd,
    }
}

/// Profile every column of a frame, in parallel (see `parallel`); `is_derived` tells which columns were added.
pub fn profile_frame(
    df: &DataFrame,
    is_derived: impl Fn(&str) -> bool + Sync,
) -> Vec<ColumnProfile> {
    super::parallel::map_columns(df.columns(), |c| {
        profile_column(c, is_derived(c.name().as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_pairs_pick_the_positive_value() {
        let p = |a: &str, b: &str| binary_positive(&[a.to_string(), b.to_string()]);
        assert_eq!(p("No", "Yes").as_deref(), Some("Yes"));
        assert_eq!(p("false", "true").as_deref(), Some("true"));
        assert_eq!(p("N", "Y").as_deref(), Some("Y"));
        assert_eq!(p("Female", "Male"), None);
    }

    #[test]
    fn profile_counts_nulls_distinct_and_population_sd() {
        let s = Series::new("x".into(), &[Some(1.0), None, Some(3.0), Some(3.0)]);
        let p = profile_column(&s.into_column(), false);
        assert_eq!((p.nulls, p.distinct), (1, 2));
        assert_eq!((p.min, p.max), (Some(1.0), Some(3.0)));
        // mean 7/3, population variance ((4/3)^2 + 2*(2/3)^2)/3 = 8/9
        assert!((p.mean.unwrap() - 7.0 / 3.0).abs() < 1e-12);
        assert!((p.sd.unwrap() - (8.0f64 / 9.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn ids_constants_and_binaries_are_flagged() {
        let id = Series::new("customerID".into(), &["a", "b", "c"]).into_column();
        assert!(profile_column(&id, false).has(Flag::Id));
        let income = Series::new("Income".into(), &[10i64, 20, 30]).into_column();
        assert!(
            !profile_column(&income, false).has(Flag::Id),
            "unique numbers are not IDs by default"
        );
        let k = Series::new("Z".into(), &[3i64, 3, 3]).into_column();
        assert!(profile_column(&k, false).has(Flag::Constant));
        let b = Series::new("Response".into(), &[0i64, 1, 0]).into_column();
        let pb = profile_column(&b, false);
        assert!(pb.has(Flag::Binary));
        assert_eq!(pb.positive.as_deref(), Some("1"));
    }
}
