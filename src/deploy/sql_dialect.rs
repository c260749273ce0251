//! The words that differ between warehouses: identifier quotes, type names, date arithmetic, casts that
//! tolerate text, and how a Yes/No column may arrive (DuckDB's CSV reader makes it BOOLEAN).

/// A SQL dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    DuckDb,
    Sqlite,
    BigQuery,
    Snowflake,
    Spark,
}

impl Dialect {
    pub const ALL: [Dialect; 6] = [
        Dialect::Postgres,
        Dialect::DuckDb,
        Dialect::Sqlite,
        Dialect::BigQuery,
        Dialect::Snowflake,
        Dialect::Spark,
    ];

    /// `--dialect` words.
    pub fn parse(word: &str) -> Option<Dialect> {
        Some(match word.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Dialect::Postgres,
            "duckdb" => Dialect::DuckDb,
            "sqlite" => Dialect::Sqlite,
            "bigquery" => Dialect::BigQuery,
            "snowflake" => Dialect::Snowflake,
            "spark" | "sparksql" | "databricks" => Dialect::Spark,
            _ => return None,
        })
    }

    pub fn word(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::DuckDb => "duckdb",
            Dialect::Sqlite => "sqlite",
            Dialect::BigQuery => "bigquery",
            Dialect::Snowflake => "snowflake",
            Dialect::Spark => "spark",
        }
    }

    /// An identifier quoted exactly as written (case kept).
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::BigQuery | Dialect::Spark => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// A table name: dotted parts (schema.table) quoted one by one.
    pub fn table(self, name: &str) -> String {
        name.split('.')
            .map(|p| self.ident(p))
            .collect::<Vec<_>>()
            .join(".")
    }

    pub fn double(self) -> &'static str {
        match self {
            Dialect::Postgres => "DOUBLE PRECISION",
            Dialect::Sqlite => "REAL",
            Dialect::BigQuery => "FLOAT64",
            Dialect::DuckDb | Dialect::Snowflake | Dialect::Spark => "DOUBLE",
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            Dialect::Postgres | Dialect::Sqlite => "TEXT",
            Dialect::BigQuery | Dialect::Spark => "STRING",
            Dialect::DuckDb | Dialect::Snowflake => "VARCHAR",
        }
    }

    /// A column as a double. Where the dialect has a tolerant cast, text that is not a number becomes
    /// NULL (and so gets the training median), as the loader reads it.
    pub fn as_double(self, expr: &str) -> String {
        match self {
            Dialect::DuckDb | Dialect::Snowflake | Dialect::Spark => {
                format!("TRY_CAST({expr} AS {})", self.double())
            }
            Dialect::BigQuery => format!("SAFE_CAST({expr} AS FLOAT64)"),
            Dialect::Postgres | Dialect::Sqlite => format!("CAST({expr} AS {})", self.double()),
        }
    }

    /// A column as text for comparing with one-hot levels.
    pub fn as_text(self, expr: &str) -> String {
        match self {
            // BOOLEAN and numbers are compared by their text; text stays as it is
            Dialect::DuckDb | Dialect::BigQuery | Dialect::Spark | Dialect::Snowflake => {
                format!("CAST({expr} AS {})", self.text())
            }
            Dialect::Postgres | Dialect::Sqlite => expr.to_string(),
        }
    }

    /// The texts a level may arrive as: DuckDB reads Yes/No (and True/False) columns as BOOLEAN,
    /// whose text is `true`/`false`.
    pub fn level_forms(self, level: &str) -> Vec<String> {
        let mut forms = vec![level.to_string()];
        if self == Dialect::DuckDb {
            match level.to_ascii_lowercase().as_str() {
                "yes" | "true" | "y" | "t" if level != "true" => forms.push("true".into()),
                "no" | "false" | "n" | "f" if level != "false" => forms.push("false".into()),
                _ => {}
            }
        }
        forms
    }

    /// Whole days from `column` (a DATE) to the date `ymd` (yyyy-mm-dd).
    pub fn days_until(self, column: &str, ymd: &str) -> String {
        match self {
            Dialect::Postgres => format!("(DATE '{ymd}' - {column})"),
            Dialect::DuckDb => format!("date_diff('day', {column}, DATE '{ymd}')"),
            Dialect::Sqlite => {
                format!("CAST(ROUND(julianday('{ymd}') - julianday({column})) AS INTEGER)")
            }
            Dialect::BigQuery => format!("DATE_DIFF(DATE '{ymd}', {column}, DAY)"),
            Dialect::Snowflake => format!("DATEDIFF(day, {column}, DATE '{ymd}')"),
            Dialect::Spark => format!("DATEDIFF(DATE '{ymd}', {column})"),
        }
    }

    /// `expr` limited to [−limit, limit], reading `expr` once.
    pub fn clamp(self, expr: &str, limit: &str) -> String {
        match self {
            Dialect::Sqlite => format!("MIN(MAX({expr}, -{limit}), {limit})"),
            _ => format!("LEAST(GREATEST({expr}, -{limit}), {limit})"),
        }
    }

    /// What ends a subquery so the planner computes its columns once instead of pasting each
    /// expression into every place the next query reads it (SQLite and PostgreSQL flatten subqueries;
    /// an OFFSET stops them).
    pub fn fence(self) -> &'static str {
        match self {
            Dialect::Sqlite => "\n     LIMIT -1 OFFSET 0",
            Dialect::Postgres => "\n     OFFSET 0",
            _ => "",
        }
    }

    /// A text literal.
    pub fn string(self, s: &str) -> String {
        match self {
            Dialect::BigQuery | Dialect::Spark => {
                format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
            }
            _ => format!("'{}'", s.replace('\'', "''")),
        }
    }

    /// What the dialect needs from the engine, for the header comment.
    pub fn requirement(self) -> Option<&'static str> {
        match self {
            Dialect::Sqlite => Some(
                "needs SQLite's math functions (EXP): built in since 3.35 when compiled with \
                 SQLITE_ENABLE_MATH_FUNCTIONS, as Debian's and the official sqlite3 are",
            ),
            Dialect::Postgres => Some("EXP is clamped: PostgreSQL raises an error beyond exp(709)"),
            _ => None,
        }
    }
}

/// A number written so it reads back to the same double (Rust's shortest round-trip form), negative
/// numbers in parentheses.
pub fn num(x: f64) -> String {
    let text = if x.is_finite() {
        format!("{x:?}")
    } else {
        "0.0".to_string()
    };
    if text.starts_with('-') {
        format!("({text})")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_to_the_same_double() {
        for x in [
            0.1,
            -2.5,
            1e-7,
            123456.789,
            0.30000000000000004,
            5e-324,
            1.7976931348623157e308,
        ] {
            let t = num(x);
            let back: f64 = t.trim_matches(|c| c == '(' || c == ')').parse().unwrap();
            assert_eq!(back.to_bits(), x.to_bits(), "{t}");
        }
        assert_eq!(num(-0.5), "(-0.5)");
    }

    #[test]
    fn identifiers_keep_their_case_and_escape_quotes() {
        assert_eq!(Dialect::Postgres.ident("Income"), "\"Income\"");
        assert_eq!(Dialect::Postgres.ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(Dialect::BigQuery.ident("Dt_Customer"), "`Dt_Customer`");
        assert_eq!(Dialect::Spark.table("db.customers"), "`db`.`customers`");
        assert_eq!(Dialect::Sqlite.string("it's"), "'it''s'");
        assert_eq!(Dialect::BigQuery.string("it's"), "'it\\'s'");
    }

    #[test]
    fn duckdb_accepts_a_yes_no_column_read_as_boolean() {
        assert_eq!(Dialect::DuckDb.level_forms("Yes"), ["Yes", "true"]);
        assert_eq!(Dialect::DuckDb.level_forms("No"), ["No", "false"]);
        assert_eq!(Dialect::Postgres.level_forms("Yes"), ["Yes"]);
        assert_eq!(Dialect::DuckDb.level_forms("Graduation"), ["Graduation"]);
    }
}
