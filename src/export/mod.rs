//! Exports: charts (PNG and SVG from the same drawing code), CSV files safe to open in a spreadsheet, and the
//! stakeholder report.

pub mod charts;
pub mod model;
pub mod recs_export;
pub mod report;
pub mod tab;

use std::path::Path;

/// A CSV cell: cells that a spreadsheet would run as a formula (starting with =, +, - or @) get a leading ',
/// except a plain number ("-5.44" stays a number), and cells with separators, quotes or line breaks are
/// quoted.
pub fn csv_cell(s: &str) -> String {
    let number = s.parse::<f64>().is_ok_and(|v| v.is_finite());
    let s = if s.starts_with(['=', '+', '-', '@']) && !number {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Write bytes to `path` through a temporary name in the same folder, then rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("{}: cannot write: {e}", path.display()));
    }
    Ok(())
}

/// Standard base64 (for images embedded in the HTML report).
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Escape text for HTML; a unit after a number ("71.0 %") stays on the number's line.
pub fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace(" %", "&nbsp;%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_safe_for_spreadsheets() {
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("+SUM(A1)"), "'+SUM(A1)");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("-cmd|' /C calc'!A0"), "'-cmd|' /C calc'!A0");
        // a negative number stays a number for the spreadsheet and for the next program that reads it
        assert_eq!(csv_cell("-5204.66"), "-5204.66");
        assert_eq!(
            csv_cell("-1.0658141036401503e-14"),
            "-1.0658141036401503e-14"
        );
        assert_eq!(csv_cell("+1e5"), "+1e5");
        assert_eq!(csv_cell("@x"), "'@x");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("plain"), "plain");
    }

    #[test]
    fn base64_matches_rfc_4648_examples() {
        // RFC 4648 section 10
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn atomic_writes_leave_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.csv");
        write_atomic(&p, b"a\n").unwrap();
        write_atomic(&p, b"b\n").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"b\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(
            write_atomic(dir.path(), b"x").is_err(),
            "a directory cannot be replaced by a file"
        );
    }
}
