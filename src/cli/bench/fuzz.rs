//! `campaign-lens bench fuzz-load`: a fuzz target for the loader. Malformed tables (random bytes, stray
//! quotes, NULs, byte-order marks, other encodings, ragged rows, huge fields, thousands of columns,
//! aligned text, garbage workbooks and Parquet) are written to a file and opened as a user would (load,
//! derived features, every column's profile). A panic is caught and reported; the case being run is kept
//! in `--keep DIR/current.<ext>` first, so an abort (a stack overflow) leaves its input behind too.

use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::cli::{CliResult, UserError};
use crate::data::{LoadOptions, Workspace};

/// One generated input: its bytes and the file ending it is saved under.
pub struct Case {
    pub bytes: Vec<u8>,
    pub ext: &'static str,
}

fn table(rng: &mut Xoshiro256PlusPlus, rows: usize, cols: usize, sep: u8) -> Vec<u8> {
    let mut out = Vec::new();
    for r in 0..=rows {
        for c in 0..cols {
            if c > 0 {
                out.push(sep);
            }
            let cell = match (r, rng.gen_range(0..8)) {
                (0, _) => format!("col{c}"),
                (_, 0) => String::new(),
                (_, 1) => "NULL".into(),
                (_, 2) => format!("\"{}\"", rng.gen_range(0..1000)),
                (_, 3) => format!("{:.3}", rng.gen::<f64>() * 1e4),
                (_, 4) => format!("2013-0{}-1{}", rng.gen_range(1..10), rng.gen_range(0..10)),
                (_, 5) => ["yes", "no"][rng.gen_range(0..2)].into(),
                _ => rng.gen_range(-50..5000).to_string(),
            };
            out.extend_from_slice(cell.as_bytes());
        }
        out.extend_from_slice(if rng.gen_bool(0.1) { b"\r\n" } else { b"\n" });
    }
    out
}

/// The `i`-th case of a seeded run.
pub fn case(seed: u64, i: u64) -> Case {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let seps = [b',', b';', b'\t', b'|', b' '];
    let sep = seps[rng.gen_range(0..seps.len())];
    let rows = rng.gen_range(0..60);
    let cols = rng.gen_range(1..12);
    let mut ext = "csv";
    let mut bytes = match rng.gen_range(0..10) {
        0 => (0..rng.gen_range(0..3000)).map(|_| rng.gen()).collect(),
        1 => {
            let wide = rng.gen_range(800..3500);
            table(&mut rng, rows, wide, b',')
        }
        2 => {
            let mut t = table(&mut rng, 3, 3, sep);
            t.extend(std::iter::repeat_n(b'x', rng.gen_range(10_000..300_000)));
            t
        }
        3 => {
            ext = ["xlsx", "xls", "ods", "parquet"][rng.gen_range(0..4)];
            let mut t: Vec<u8> = if rng.gen_bool(0.5) {
                b"PK\x03\x04".to_vec()
            } else {
                Vec::new()
            };
            t.extend((0..rng.gen_range(0..4000)).map(|_| rng.gen::<u8>()));
            t
        }
        4 => {
            let text = String::from_utf8_lossy(&table(&mut rng, rows, cols, sep)).into_owned();
            let (enc, _, _) = [encoding_rs::UTF_16LE, encoding_rs::WINDOWS_1252]
                [rng.gen_range(0..2)]
            .encode(&text);
            let mut t = if rng.gen_bool(0.5) {
                b"\xFF\xFE".to_vec()
            } else {
                Vec::new()
            };
            t.extend_from_slice(&enc);
            t
        }
        5 => [
            "",
            "\n\n\n",
            ",,,\n,,,\n",
            "a\n",
            "\u{feff}",
            "\"",
            "a,b\n\"1,2\n",
        ][rng.gen_range(0..7)]
        .as_bytes()
        .to_vec(),
        _ => table(&mut rng, rows, cols, sep),
    };
    // mutations: stray quotes, NULs, high bytes, a byte-order mark, ragged or cut-off rows
    for _ in 0..rng.gen_range(0..6) {
        if bytes.is_empty() {
            break;
        }
        let at = rng.gen_range(0..bytes.len());
        match rng.gen_range(0..7) {
            0 => bytes.insert(at, b'"'),
            1 => bytes.insert(at, 0),
            2 => bytes.insert(at, rng.gen_range(0x80..=0xFF)),
            3 => bytes.splice(0..0, *b"\xEF\xBB\xBF").for_each(drop),
            4 => bytes.truncate(at),
            5 => bytes.insert(at, b'\n'),
            _ => bytes.insert(at, sep),
        }
    }
    if ext == "csv" && rng.gen_bool(0.2) {
        ext = "txt";
    }
    Case { bytes, ext }
}

/// Open a case as the dashboard and every command do. Err is the one-line message a user would see.
pub fn open_case(path: &Path) -> Result<usize, String> {
    let ws = Workspace::open(path, &LoadOptions::default()).map_err(|e| e.to_string())?;
    Ok(ws.profiles.len())
}

/// Run `cases` seeded cases; a panic or a message that is not one line naming the file is a finding.
pub fn fuzz_load(cases: u64, seed: u64, keep: &Path) -> CliResult {
    std::fs::create_dir_all(keep).map_err(|e| UserError(format!("{}: {e}", keep.display())))?;
    let (mut ok, mut refused, mut findings) = (0u64, 0u64, Vec::new());
    let started = std::time::Instant::now();
    for i in 0..cases {
        let c = case(seed, i);
        let path = keep.join(format!("current.{}", c.ext));
        std::fs::write(&path, &c.bytes)
            .map_err(|e| UserError(format!("{}: {e}", path.display())))?;
        let name = path.display().to_string();
        match std::panic::catch_unwind(|| open_case(&path)) {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(msg)) if msg.lines().count() == 1 && msg.starts_with(&name) => refused += 1,
            Ok(Err(msg)) => findings.push(format!("case {i}: message {msg:?}")),
            Err(_) => findings.push(format!("case {i}: panic")),
        }
        if findings.len() > 20 {
            break;
        }
    }
    println!(
        "{} cases (seed {seed}) in {:.0} s: {ok} opened, {refused} refused with one line naming the file, {} findings",
        ok + refused + findings.len() as u64,
        started.elapsed().as_secs_f64(),
        findings.len()
    );
    for f in &findings {
        println!("  {f}");
    }
    if findings.is_empty() {
        Ok(())
    } else {
        Err(UserError(format!("{} findings", findings.len())))
    }
}
