//! Loader behaviour on tricky files written for these tests.

mod common;

use campaign_lens::data::load::{load, LoadOptions};
use campaign_lens::data::profile::{f64_values, string_values, Flag};
use campaign_lens::data::Workspace;
use common::{fixture, write_file};
use polars::prelude::DataType;

fn open(name: &str) -> Workspace {
    Workspace::open(&fixture(name), &LoadOptions::default()).expect(name)
}

fn err(name: &str) -> String {
    load_err(&fixture(name))
}

/// The one-line message loading `path` fails with.
fn load_err(path: &std::path::Path) -> String {
    load(path, &LoadOptions::default()).unwrap_err().to_string()
}

#[test]
fn tab_separated_crlf_without_final_newline() {
    let ws = open("tab_crlf.tsv");
    assert_eq!(ws.separator, Some(b'\t'));
    assert_eq!((ws.rows(), ws.df.width()), (3, 3));
    let score = f64_values(ws.df.column("score").unwrap()).unwrap();
    assert_eq!(score, vec![Some(3.5), Some(4.0), None]);
    // no stray carriage returns in text values
    assert_eq!(
        string_values(ws.df.column("name").unwrap())[2].as_deref(),
        Some("Cy")
    );
}

#[test]
fn semicolon_with_quoted_separators_inside_fields() {
    let ws = open("semicolon_quoted.csv");
    assert_eq!(ws.separator, Some(b';'));
    let names = string_values(ws.df.column("name").unwrap());
    assert_eq!(names[0].as_deref(), Some("Smith, J"));
    assert_eq!(names[1].as_deref(), Some("Doe; A"));
    assert_eq!(ws.df.column("amount").unwrap().dtype(), &DataType::Float64);
    assert_eq!(
        ws.profile("city").unwrap().nulls,
        1,
        "an empty quoted field is missing"
    );
}

#[test]
fn whitespace_only_cells_in_a_numeric_column_become_nulls() {
    let ws = open("blanks_numeric.csv");
    let income = ws.df.column("income").unwrap();
    assert_eq!(income.dtype(), &DataType::Int64);
    assert_eq!(
        f64_values(income).unwrap(),
        vec![Some(100.0), None, Some(300.0), None, None]
    );
    assert!(
        ws.notes
            .iter()
            .any(|n| n.contains("income: 2 blank values")),
        "{:?}",
        ws.notes
    );
}

#[test]
fn na_tokens_are_missing() {
    let ws = open("na_tokens.csv");
    let b = ws.profile("b").unwrap();
    assert_eq!(b.nulls, 4);
    assert!(b.numeric, "b is numeric once NA tokens are nulls");
    assert_eq!(ws.profile("c").unwrap().nulls, 1);
}

#[test]
fn pipe_separated_with_a_binary_column() {
    let ws = open("pipe.txt");
    assert_eq!(ws.separator, Some(b'|'));
    let flag = ws.profile("flag").unwrap();
    assert!(flag.has(Flag::Binary));
    assert_eq!(flag.positive.as_deref(), Some("Yes"));
    assert!(
        ws.profile("k").unwrap().flags.is_empty(),
        "k is not named like an id"
    );
}

#[test]
fn dates_in_common_formats_are_parsed() {
    let ws = open("dates.csv");
    for c in ["d1", "d2", "d3", "d4"] {
        assert_eq!(ws.df.column(c).unwrap().dtype(), &DataType::Date, "{c}");
        assert!(ws.profile(c).unwrap().has(Flag::Date));
    }
    // 29-06-2014, 2014-06-29, 06/29/2014 and 29/06/2014 are the same day
    let first: Vec<String> = ["d1", "d2", "d3", "d4"]
        .iter()
        .map(|c| string_values(ws.df.column(c).unwrap())[0].clone().unwrap())
        .collect();
    assert!(first.iter().all(|d| d == "2014-06-29"), "{first:?}");
}

#[test]
fn a_decimal_after_ten_thousand_integers_keeps_the_column_numeric() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("late.csv");
    let mut text = String::from("id,x\n");
    for i in 0..12_000 {
        text.push_str(&format!("{i},{}\n", i % 7));
    }
    text.push_str("12000,2.5\n");
    std::fs::write(&path, &text).unwrap();
    let ws = Workspace::open(&path, &LoadOptions::default()).unwrap();
    assert_eq!(ws.df.column("x").unwrap().dtype(), &DataType::Float64);
    assert_eq!(ws.rows(), 12_001);
}

#[test]
fn separator_override_wins_over_sniffing() {
    let opts = LoadOptions {
        separator: Some(b';'),
        ..Default::default()
    };
    let ws = Workspace::open(&fixture("pipe.txt"), &opts).unwrap();
    assert_eq!(ws.df.width(), 1);
}

#[test]
fn bad_files_give_one_line_naming_the_file_and_problem() {
    let e = err("ragged.csv");
    assert!(
        e.ends_with("ragged.csv: row 4 has 2 fields but the header has 3"),
        "{e}"
    );
    assert!(err("empty.csv").ends_with("empty.csv: file is empty"));
    assert!(err("header_only.csv").ends_with("header_only.csv: has a header but no data rows"));
    // a file that is not UTF-8 is decoded (see tests/files.rs); told it is UTF-8, it is an error
    let utf8 = LoadOptions {
        encoding: Some(encoding_rs::UTF_8),
        ..Default::default()
    };
    let e = load(&fixture("latin1.csv"), &utf8).unwrap_err().to_string();
    assert!(
        e.ends_with("latin1.csv: not valid UTF-8 text (line 2); name its encoding with --encoding (e.g. windows-1252) or leave it out to detect it"),
        "{e}"
    );
    assert_eq!(e.lines().count(), 1);
    let e = err("binary.csv");
    assert!(e.contains("binary.csv: looks like a binary file"), "{e}");
    assert!(err("no_such_file.csv").ends_with("no_such_file.csv: file not found"));
    let e = load(&fixture(""), &LoadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.ends_with("is a directory, not a data file"), "{e}");
    for name in ["ragged.csv", "binary.csv"] {
        assert_eq!(err(name).lines().count(), 1, "{name}: one line");
    }
}

#[test]
fn loading_never_modifies_the_input() {
    let path = fixture("semicolon_quoted.csv");
    let before = std::fs::read(&path).unwrap();
    let _ = open("semicolon_quoted.csv");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

/// Files larger than the sniffing window go through polars' own file reader first; problems deep in the
/// file must still be named with their row.
fn big_file(dir: &tempfile::TempDir, name: &str, bad_row: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    let mut text = String::from("id,a,b\n");
    for i in 0..20_000 {
        text.push_str(&format!("{i},{},{}\n", i % 13, i % 5));
        if i == 15_000 {
            text.push_str(bad_row);
        }
    }
    std::fs::write(&path, &text).unwrap();
    path
}

#[test]
fn problems_deep_in_a_large_file_are_found_with_their_row() {
    let dir = tempfile::tempdir().unwrap();
    let short = big_file(&dir, "short.csv", "15001,1\n");
    let e = load_err(&short);
    assert!(
        e.ends_with("short.csv: row 15003 has 2 fields but the header has 3"),
        "{e}"
    );
    let long = big_file(&dir, "long.csv", "15001,1,2,3\n");
    let e = load_err(&long);
    assert!(
        e.ends_with("long.csv: row 15003 has 4 fields but the header has 3"),
        "{e}"
    );
    let mut bytes = std::fs::read(big_file(&dir, "ok.csv", "")).unwrap();
    bytes.extend_from_slice(b"99999,\xff,1\n");
    let latin = dir.path().join("latin.csv");
    std::fs::write(&latin, &bytes).unwrap();
    // a byte that is not UTF-8 past the first 64 KiB: the file is decoded as Windows-1252, with a note
    let read = load(&latin, &LoadOptions::default()).unwrap();
    assert_eq!(read.df.height(), 20_001);
    assert!(
        read.notes
            .iter()
            .any(|n| n == "read as windows-1252 (not UTF-8 from line 20002; --encoding overrides)"),
        "{:?}",
        read.notes
    );
    let ok = load(&dir.path().join("ok.csv"), &LoadOptions::default()).unwrap();
    assert_eq!(ok.df.height(), 20_000);
}

/// The benchmark's table (large enough for polars' parallel file reader, which leaves several chunks per
/// column) loads to the same figures as a plain split of its lines.
#[test]
fn the_load_benchmark_table_matches_a_plain_reading_of_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.csv");
    let file = std::fs::File::create(&path).unwrap();
    campaign_lens::synth::write_load_bench_csv(file, 30_000, 3).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let ws = Workspace::open(&path, &LoadOptions::default()).unwrap();
    assert_eq!((ws.rows(), ws.df.width()), (30_000, 13));
    let dtype = |n: &str| ws.df.column(n).unwrap().dtype().clone();
    assert_eq!(dtype("customer_id"), DataType::Int64);
    assert_eq!(dtype("signup_date"), DataType::Date);
    assert_eq!(dtype("income"), DataType::Float64);
    assert_eq!(dtype("email"), DataType::String);
    // income (column 5): blanks are nulls, the rest average as in the text
    let incomes: Vec<f64> = rows
        .iter()
        .filter(|r| !r[5].is_empty())
        .map(|r| r[5].parse().unwrap())
        .collect();
    let p = ws.profile("income").unwrap();
    assert_eq!(p.nulls, 30_000 - incomes.len());
    assert!(p.nulls > 200, "about 1 % blank");
    let mean = incomes.iter().sum::<f64>() / incomes.len() as f64;
    assert!((p.mean.unwrap() - mean).abs() < 1e-9 * mean);
    // full-precision floats survive exactly
    let rates = f64_values(ws.df.column("email_open_rate").unwrap()).unwrap();
    for (i, r) in rows.iter().enumerate().step_by(997) {
        assert_eq!(rates[i], Some(r[11].parse::<f64>().unwrap()), "row {i}");
    }
    // the e-mail is unique per row (an ID); Yes/No is a binary target with the text's Yes count
    assert!(ws.profile("email").unwrap().has(Flag::Id));
    let yes = rows.iter().filter(|r| r[12] == "Yes").count();
    let responded = ws.profile("responded").unwrap();
    assert!(responded.has(Flag::Binary));
    assert_eq!(responded.positive.as_deref(), Some("Yes"));
    let got = string_values(ws.df.column("responded").unwrap());
    assert_eq!(
        got.iter().filter(|v| v.as_deref() == Some("Yes")).count(),
        yes
    );
    // dates: the first row's text, read back
    assert_eq!(
        string_values(ws.df.column("signup_date").unwrap())[0].as_deref(),
        Some(rows[0][2])
    );
}

#[test]
fn dates_that_read_both_day_first_and_month_first_stay_text_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ambiguous.csv");
    // 03/04/2013 is 4 March (US) or 3 April (UK): nothing in the column decides
    std::fs::write(
        &path,
        "when,clear\n03/04/2013,13/04/2013\n11/12/2013,11/12/2013\n",
    )
    .unwrap();
    let ws = Workspace::open(&path, &LoadOptions::default()).unwrap();
    assert_eq!(ws.df.column("when").unwrap().dtype(), &DataType::String);
    assert!(
        ws.notes.iter().any(|n| n
            == "when: kept as text: every value reads both as mm/dd/yyyy and as dd/mm/yyyy dates"),
        "{:?}",
        ws.notes
    );
    // one day above 12 settles it: 13/04/2013 can only be day-first
    assert_eq!(ws.df.column("clear").unwrap().dtype(), &DataType::Date);
    let clear = string_values(ws.df.column("clear").unwrap());
    assert_eq!(clear[1].as_deref(), Some("2013-12-11"));
}

#[test]
fn whole_numbers_beyond_64_bits_stay_exact_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(
        &dir,
        "accounts.csv",
        "account,balance\n98765432109876543210,10\n12345678901234567890,20\n",
    );
    let ws = Workspace::open(&path, &LoadOptions::default()).unwrap();
    let account = ws.df.column("account").unwrap();
    assert_eq!(account.dtype(), &DataType::String);
    assert_eq!(
        string_values(account)[0].as_deref(),
        Some("98765432109876543210")
    );
    assert!(ws.profile("account").unwrap().has(Flag::Id));
    assert!(ws
        .notes
        .iter()
        .any(|n| n.starts_with("account: kept as text")));
    assert_eq!(ws.df.column("balance").unwrap().dtype(), &DataType::Int64);
}

#[test]
fn blank_lines_are_skipped_and_unnamed_columns_get_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(&dir, "gaps.csv", "a,,b\n1,2,3\n\n4,5,6\n\n");
    let ws = Workspace::open(&path, &LoadOptions::default()).unwrap();
    assert_eq!(ws.rows(), 2, "blank lines are not customers");
    let names: Vec<&str> = ws.profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["a", "column_2", "b"]);
    assert_eq!(ws.profile("a").unwrap().nulls, 0);
    assert!(ws
        .notes
        .contains(&"2 empty rows (no value in any column) skipped".to_string()));
    assert!(ws
        .notes
        .contains(&"column 2 has no name in the header: called column_2".to_string()));
    // a file of nothing but empty rows has no data
    let empty = write_file(&dir, "blank_rows.csv", "a,b\n , \n,\n");
    let e = load_err(&empty);
    assert!(
        e.ends_with("blank_rows.csv: has a header but no data rows"),
        "{e}"
    );
}

#[test]
fn parquet_files_load_by_extension_with_their_types() {
    use polars::prelude::{df, ParquetWriter};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("customers.parquet");
    let mut frame = df! {
        "id" => [1i64, 2, 3],
        "segment" => ["a", "b", "a"],
        "spend" => [Some(10.5), None, Some(3.0)],
        "Response" => ["Yes", "No", "No"],
    }
    .unwrap();
    ParquetWriter::new(std::fs::File::create(&path).unwrap())
        .finish(&mut frame)
        .unwrap();
    let ws = Workspace::open(&path, &LoadOptions::default()).unwrap();
    assert_eq!(ws.separator, None);
    assert_eq!((ws.rows(), ws.df.width()), (3, 4));
    assert_eq!(ws.df.column("spend").unwrap().dtype(), &DataType::Float64);
    assert_eq!(ws.profile("spend").unwrap().nulls, 1);
    assert!(ws.profile("Response").unwrap().has(Flag::Binary));
    // a file that only claims to be Parquet
    let fake = write_file(&dir, "fake.parquet", "a,b\n1,2\n");
    let e = load_err(&fake);
    assert!(
        e.contains("fake.parquet: not a readable Parquet file"),
        "{e}"
    );
    assert_eq!(e.lines().count(), 1);
}

#[test]
fn semicolon_files_with_decimal_commas_read_as_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(&dir, "eu.csv", "name;amount\nx;1,5\ny;2\nz;\n");
    let ws = Workspace::open(&path, &LoadOptions::default()).unwrap();
    let amount = ws.profile("amount").unwrap();
    assert_eq!(amount.dtype, "f64");
    assert_eq!(
        (amount.min, amount.max, amount.nulls),
        (Some(1.5), Some(2.0), 1)
    );
    assert!(ws
        .notes
        .contains(&"amount: read as numbers with a decimal comma (1,5 = 1.5)".to_string()));
    // in a comma-separated file a quoted "1,5" is text, not a number
    let us = write_file(&dir, "us.csv", "name,code\nx,\"1,5\"\ny,\"2,7\"\n");
    let ws = Workspace::open(&us, &LoadOptions::default()).unwrap();
    assert_eq!(ws.profile("code").unwrap().dtype, "str");
}

#[test]
fn repairs_and_notes_agree_with_the_rows_that_stay() {
    let dir = tempfile::tempdir().unwrap();
    // a quote in the name of a column of 20-digit numbers
    let q = write_file(
        &dir,
        "quote.csv",
        "customer's id,Response\n99999999999999999999,1\n12,0\n",
    );
    let ws = Workspace::open(&q, &LoadOptions::default()).unwrap();
    assert_eq!(ws.profile("customer's id").unwrap().dtype, "str");
    // rows of blanks and NA tokens are empty rows: skipped, and not counted as blank cells
    let b = write_file(&dir, "blank_na.csv", "a,b\n1,x\n , \n2,y\nNA,NA\n");
    let ws = Workspace::open(&b, &LoadOptions::default()).unwrap();
    assert_eq!(ws.rows(), 2);
    assert_eq!(ws.profile("a").unwrap().nulls, 0);
    assert_eq!(ws.notes, ["2 empty rows (no value in any column) skipped"]);
    // notes name a column by the name it ends up with
    let u = write_file(&dir, "unnamed.csv", ",b\n2014-06-29,1\n2014-07-01,2\n");
    let ws = Workspace::open(&u, &LoadOptions::default()).unwrap();
    assert_eq!(
        ws.notes,
        [
            "column 1 has no name in the header: called column_1",
            "column_1: read as dates (yyyy-mm-dd)"
        ]
    );
    // dates whose day equals their month read the same either way: not ambiguous
    let d = write_file(&dir, "same.csv", "d\n01/01/2014\n02/02/2014\n");
    let ws = Workspace::open(&d, &LoadOptions::default()).unwrap();
    assert_eq!(ws.df.column("d").unwrap().dtype(), &DataType::Date);
    // a decimal-comma column says what it read as missing too
    let e = write_file(&dir, "eu_na.csv", "a;b\n1,5;x\nNA;y\n3;z\n");
    let ws = Workspace::open(&e, &LoadOptions::default()).unwrap();
    assert!(ws
        .notes
        .contains(&"a: 1 × NA read as missing; the column stays numeric".to_string()));
}
