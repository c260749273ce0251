//! The files analysts actually receive: workbooks, other encodings, NULL markers, aligned text, yyyymmdd
//! dates, very wide and very small tables. Fixtures in tests/fixtures/files were written by
//! `make_fixtures.py` there (openpyxl 3.1.5, xlwt 1.3.0, pandas 3.1.1 with odfpy).

mod common;

use campaign_lens::data::load::{load, LoadOptions};
use campaign_lens::data::Workspace;
use polars::prelude::*;

fn file(name: &str) -> std::path::PathBuf {
    common::fixture(&format!("files/{name}"))
}

fn open_with(name: &str, opts: &LoadOptions) -> Workspace {
    Workspace::open(&file(name), opts).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn open(name: &str) -> Workspace {
    open_with(name, &LoadOptions::default())
}

fn strings(ws: &Workspace, col: &str) -> Vec<Option<String>> {
    campaign_lens::data::profile::string_values(ws.df.column(col).unwrap())
}

fn names(ws: &Workspace) -> Vec<String> {
    ws.df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect()
}

fn has_note(ws: &Workspace, note: &str) -> bool {
    ws.notes.iter().any(|n| n == note)
}

#[test]
fn every_workbook_format_reads_the_first_sheet_with_types() {
    for name in [
        "customers.xlsx",
        "customers.xlsm",
        "customers.xls",
        "customers.ods",
    ] {
        let ws = open(name);
        assert_eq!(ws.rows(), 4, "{name}");
        assert_eq!(
            names(&ws),
            ["ID", "Name", "Income", "Signup", "Active", "Score"],
            "{name}"
        );
        let dtype = |c: &str| ws.df.column(c).unwrap().dtype().clone();
        assert_eq!(
            dtype("ID"),
            DataType::Int64,
            "{name}: whole numbers stay integers"
        );
        assert_eq!(dtype("Income"), DataType::Float64, "{name}");
        assert_eq!(
            dtype("Signup"),
            DataType::Date,
            "{name}: Excel dates become dates"
        );
        assert_eq!(dtype("Active"), DataType::Boolean, "{name}");
        assert_eq!(
            strings(&ws, "Name")[0].as_deref(),
            Some("Zoë Brontë"),
            "{name}"
        );
        assert_eq!(
            strings(&ws, "Signup")[0].as_deref(),
            Some("2013-05-14"),
            "{name}"
        );
        let income = ws.profile("Income").unwrap();
        assert_eq!(income.nulls, 1, "{name}: the empty cell is missing");
        assert_eq!(
            ws.profile("Score").unwrap().nulls,
            1,
            "{name}: #N/A is missing"
        );
        assert_eq!(ws.source, "sheet \"Customers\" of 2", "{name}");
        assert!(
            has_note(&ws, "sheet \"Customers\" (1 of 2: Customers, Orders)"),
            "{name}: {:?}",
            ws.notes
        );
    }
    // openpyxl writes #N/A as an error cell: said so
    let ws = open("customers.xlsx");
    assert!(
        has_note(
            &ws,
            "Score: 1 error cell (#N/A, #DIV/0!, …) read as missing"
        ),
        "{:?}",
        ws.notes
    );
}

#[test]
fn a_sheet_is_chosen_by_name_or_number_and_a_wrong_one_is_named() {
    for sheet in ["Orders", "orders", "2"] {
        let ws = open_with(
            "customers.xlsx",
            &LoadOptions {
                sheet: Some(sheet.into()),
                ..Default::default()
            },
        );
        assert_eq!(names(&ws), ["Order", "Customer", "Amount"], "{sheet}");
        assert_eq!(ws.rows(), 2);
    }
    let e = load(
        &file("customers.xlsx"),
        &LoadOptions {
            sheet: Some("Returns".into()),
            ..Default::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.ends_with("customers.xlsx: no sheet \"Returns\" (sheets: Customers, Orders; --sheet takes a name or a number from 1)"),
        "{e}"
    );
    // a CSV renamed .xlsx is not a workbook: one line, no panic
    let dir = tempfile::tempdir().unwrap();
    let fake = common::write_file(&dir, "fake.xlsx", "a,b\n1,2\n");
    let e = load(&fake, &LoadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("fake.xlsx: not a readable Excel or OpenDocument workbook"),
        "{e}"
    );
    assert_eq!(e.lines().count(), 1);
}

#[test]
fn windows_1252_and_utf16_text_is_decoded_with_a_note() {
    let ws = open("retail_cp1252.csv");
    assert_eq!(
        strings(&ws, "Description"),
        [
            Some("£5 GIFT VOUCHER".to_string()),
            Some("CRÈME BRÛLÉE SET".to_string()),
            Some("Café Olé mug".to_string())
        ]
    );
    assert_eq!(ws.df.column("Price").unwrap().dtype(), &DataType::Float64);
    assert!(
        has_note(
            &ws,
            "read as windows-1252 (not UTF-8 from line 2; --encoding overrides)"
        ),
        "{:?}",
        ws.notes
    );
    let ws = open("retail_utf16.csv");
    assert_eq!(strings(&ws, "Country")[2].as_deref(), Some("España"));
    assert!(
        has_note(&ws, "read as UTF-16LE (byte-order mark)"),
        "{:?}",
        ws.notes
    );
    // --encoding latin1 (Windows-1252 by the WHATWG labels) says so
    let ws = open_with(
        "retail_cp1252.csv",
        &LoadOptions {
            encoding: Some(campaign_lens::data::encoding::parse_encoding("latin1").unwrap()),
            ..Default::default()
        },
    );
    assert!(
        has_note(&ws, "read as windows-1252 (--encoding)"),
        "{:?}",
        ws.notes
    );
    assert!(campaign_lens::data::encoding::parse_encoding("klingon").is_err());
}

#[test]
fn a_utf8_byte_order_mark_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let p = common::write_file(&dir, "bom.csv", "\u{feff}id,name\n1,Zoë\n2,Ana\n");
    let ws = Workspace::open(&p, &LoadOptions::default()).unwrap();
    assert_eq!(names(&ws), ["id", "name"]);
    assert!(ws.notes.is_empty(), "{:?}", ws.notes);
}

#[test]
fn null_markers_are_missing_in_text_and_numeric_columns() {
    let ws = open("nulls.csv");
    assert_eq!(ws.df.column("income").unwrap().dtype(), &DataType::Int64);
    assert_eq!(ws.profile("income").unwrap().nulls, 3);
    assert_eq!(ws.profile("visits").unwrap().nulls, 3);
    assert_eq!(ws.profile("segment").unwrap().nulls, 2);
    // no segment called "NULL"
    assert_eq!(ws.profile("segment").unwrap().distinct, 3);
    for note in [
        "segment: 1 × NULL, 1 × null read as missing",
        "income: 1 × NULL, 1 × #N/A, 1 × N/A read as missing; the column stays numeric",
        "visits: 1 × NaN, 1 × Null, 1 × na read as missing; the column stays numeric",
    ] {
        assert!(has_note(&ws, note), "{note:?} not in {:?}", ws.notes);
    }
}

#[test]
fn whitespace_aligned_text_and_yyyymmdd_dates() {
    let ws = open("aligned.txt");
    assert_eq!(names(&ws), ["customer_id", "date", "quantity", "amount"]);
    assert_eq!(ws.rows(), 5);
    assert_eq!(ws.separator, Some(b' '));
    assert_eq!(ws.source, "separator: spaces (aligned columns)");
    assert_eq!(ws.df.column("date").unwrap().dtype(), &DataType::Date);
    assert_eq!(strings(&ws, "date")[1].as_deref(), Some("1997-01-12"));
    assert_eq!(ws.df.column("amount").unwrap().dtype(), &DataType::Float64);
    assert!(
        has_note(&ws, "date: read as dates (yyyymmdd numbers)"),
        "{:?}",
        ws.notes
    );
    assert!(has_note(
        &ws,
        "whitespace-aligned columns: each run of spaces or tabs read as one separator"
    ));
    // no header: the first row is data
    let ws = open("aligned_noheader.txt");
    assert_eq!(ws.rows(), 4);
    assert_eq!(names(&ws), ["column_1", "column_2", "column_3", "column_4"]);
    assert!(
        ws.notes.iter().any(|n| n.starts_with("no header row")),
        "{:?}",
        ws.notes
    );
    // an 8-digit number that is not a date stays a number
    let dir = tempfile::tempdir().unwrap();
    let p = common::write_file(&dir, "d.csv", "order_date,x\n20240131,1\n20240230,2\n");
    let ws = Workspace::open(&p, &LoadOptions::default()).unwrap();
    assert_eq!(
        ws.df.column("order_date").unwrap().dtype(),
        &DataType::Int64
    );
}

#[test]
fn a_3000_column_table_loads_profiles_and_segments() {
    // this aborted with a stack overflow: each column's profile ran nested inside the last
    let dir = tempfile::tempdir().unwrap();
    let cols = 3001;
    let mut text: String = (0..cols)
        .map(|j| format!("c{j}"))
        .collect::<Vec<_>>()
        .join(",");
    text.push('\n');
    for i in 0..200 {
        let row: Vec<String> = (0..cols)
            .map(|j| ((i * 7 + j * 13) % 97).to_string())
            .collect();
        text.push_str(&row.join(","));
        text.push('\n');
    }
    let path = common::write_file(&dir, "wide.csv", &text);
    let ws = Workspace::open(&path, &LoadOptions::default()).unwrap();
    assert_eq!(ws.df.width(), cols);
    assert_eq!(ws.profiles.len(), cols);
    let out = assert_cmd::Command::cargo_bin("campaign-lens")
        .unwrap()
        .args(["segment", path.to_str().unwrap(), "--json", "--k-max", "4"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rows_used"], 200);
}

#[test]
fn a_tiny_table_sweeps_the_k_its_rows_allow() {
    let f = file("four_rows.csv");
    let v = common::cli_json(&["segment", f.to_str().unwrap(), "--json"]);
    let ks: Vec<u64> = v["sweep"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["k"].as_u64().unwrap())
        .collect();
    assert_eq!(ks, [2, 3]);
    assert_eq!(v["notes"][0], "only 4 rows: k range 2–10 shrunk to 2–3");
    let dir = tempfile::tempdir().unwrap();
    let two = common::write_file(&dir, "two.csv", "a,b\n1,2\n3,5\n");
    common::cli_fails(
        &["segment", two.to_str().unwrap()],
        "two.csv: only 2 rows with values in the chosen features: at least 3 are needed to find segments",
    );
}

#[test]
fn the_cli_reads_a_chosen_sheet_and_encoding() {
    let f = file("customers.xlsx");
    let v = common::cli_json(&[
        "profile",
        f.to_str().unwrap(),
        "--sheet",
        "Orders",
        "--json",
    ]);
    assert_eq!(v["rows"], 2);
    common::cli_fails(
        &["profile", f.to_str().unwrap(), "--sheet", "9"],
        "customers.xlsx: no sheet \"9\"",
    );
}

#[test]
fn the_loader_fuzz_target_finds_nothing_in_a_seeded_run() {
    // every generated table either opens or is refused with one line naming the file (no panic)
    let dir = tempfile::tempdir().unwrap();
    for i in 0..300 {
        let c = campaign_lens::cli::bench::fuzz::case(7, i);
        let path = dir.path().join(format!("case{i}.{}", c.ext));
        std::fs::write(&path, &c.bytes).unwrap();
        let shown = path.display().to_string();
        match std::panic::catch_unwind(|| campaign_lens::cli::bench::fuzz::open_case(&path)) {
            Ok(Ok(_)) => {}
            Ok(Err(msg)) => {
                assert_eq!(msg.lines().count(), 1, "case {i}: {msg}");
                assert!(msg.starts_with(&shown), "case {i}: {msg}");
            }
            Err(_) => panic!("case {i} panicked"),
        }
    }
}

#[test]
fn a_csv_header_of_numbers_stays_a_header() {
    // years as column names (a pivot): the first row is the header, as pandas reads it
    let dir = tempfile::tempdir().unwrap();
    let p = common::write_file(&dir, "pivot.csv", "2019,2020,2021\n1,2,3\n4,5,6\n");
    let ws = Workspace::open(&p, &LoadOptions::default()).unwrap();
    assert_eq!(names(&ws), ["2019", "2020", "2021"]);
    assert_eq!(ws.rows(), 2);
}

#[test]
fn online_retail_written_as_windows_1252_reads_back_the_same_descriptions() {
    let Some(parquet) = common::shared("online_retail_II_2009-2010.parquet") else {
        return;
    };
    let ws = Workspace::open(&parquet, &LoadOptions::default()).unwrap();
    let desc: Vec<Option<String>> = strings(&ws, "Description")
        .into_iter()
        .take(40_000)
        .collect();
    assert!(
        desc.iter().flatten().any(|d| d.contains('£')),
        "the real file has £ signs"
    );
    // the UCI export as Excel on Windows writes it: quoted, Windows-1252
    // (with a line number: a row whose only cell is empty is a blank line, and skipped)
    let mut text = String::from("line,Description\r\n");
    for (i, d) in desc.iter().enumerate() {
        let d = d.as_deref().unwrap_or("").replace('"', "\"\"");
        text.push_str(&format!("{i},\"{d}\"\r\n"));
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("retail_1252.csv");
    std::fs::write(&path, &bytes).unwrap();
    let back = Workspace::open(&path, &LoadOptions::default()).unwrap();
    assert!(
        back.notes
            .iter()
            .any(|n| n.starts_with("read as windows-1252")),
        "{:?}",
        back.notes
    );
    let got = strings(&back, "Description");
    assert_eq!(got.len(), desc.len());
    for (i, (a, b)) in desc.iter().zip(&got).enumerate() {
        let a = a
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty() && !campaign_lens::data::tidy::is_null_token(t));
        assert_eq!(
            a,
            b.as_deref().map(str::trim),
            "row {i} read back differently"
        );
    }
}

#[test]
fn blank_header_cells_in_a_workbook_get_names_and_na_the_surname_stays() {
    let ws = open("blank_headers.xlsx");
    assert_eq!(names(&ws), ["id", "column_2", "column_3"]);
    assert!(
        has_note(&ws, "column 2 has no name in the header: called column_2"),
        "{:?}",
        ws.notes
    );
    let dir = tempfile::tempdir().unwrap();
    let p = common::write_file(&dir, "names.csv", "surname,x\nNa,1\nKim,2\nNA,3\n");
    let ws = Workspace::open(&p, &LoadOptions::default()).unwrap();
    assert_eq!(
        strings(&ws, "surname"),
        [Some("Na".to_string()), Some("Kim".to_string()), None]
    );
}

#[test]
fn identical_rows_cap_k_at_the_distinct_rows() {
    // three identical customers and one other: two groups at most, never an empty persona
    let dir = tempfile::tempdir().unwrap();
    let p = common::write_file(&dir, "dup.csv", "a,b\n1,1\n1,1\n1,1\n2,2\n5,3\n");
    let v = common::cli_json(&["segment", p.to_str().unwrap(), "--json"]);
    let ks: Vec<u64> = v["sweep"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["k"].as_u64().unwrap())
        .collect();
    assert_eq!(ks, [2, 3]);
    assert_eq!(
        v["notes"][0],
        "only 3 distinct rows: k range 2–10 shrunk to 2–3"
    );
    for persona in v["personas"].as_array().unwrap() {
        assert!(persona["size"].as_u64().unwrap() > 0, "{persona}");
    }
}

#[test]
fn fuzz_finding_a_multibyte_character_in_a_date_column_is_not_a_panic() {
    // found by `bench fuzz-load` (seed 7, case 66): the date sniffer sliced "20‡13-01-12" inside the ‡
    let dir = tempfile::tempdir().unwrap();
    let p = common::write_file(&dir, "d.csv", "when,x\n20‡13-01-12,1\n2013-01-13,2\n");
    let ws = Workspace::open(&p, &LoadOptions::default()).unwrap();
    assert_eq!(ws.df.column("when").unwrap().dtype(), &DataType::String);
}
