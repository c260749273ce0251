//! Numbers formatted for people: thousands separators, percentages with one decimal, money.

/// 1234567.8 → "1,234,568"; keeps the sign.
pub fn thousands(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let neg = x < 0.0;
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg && out != "0" {
        format!("-{out}")
    } else {
        out
    }
}

/// A number for a table cell: integers with separators, others with sensible decimals.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let a = x.abs();
    if x.fract() == 0.0 || a >= 1000.0 {
        thousands(x)
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// Whether a column name names a calendar year (Year_Birth, signup_year, BirthYear; not Years_Customer):
/// the word "year" among its words, split at `_`, spaces, digits and camelCase.
pub fn is_year_column(name: &str) -> bool {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphabetic() || (c.is_uppercase() && prev_lower) {
            words.push(std::mem::take(&mut word));
        }
        if c.is_alphabetic() {
            word.push(c.to_ascii_lowercase());
        }
        prev_lower = c.is_lowercase();
    }
    words.push(word);
    words.iter().any(|w| w == "year")
}

/// A phrase as a sentence: its first letter in upper case.
pub fn sentence(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// 0.1170 → "11.7 %".
pub fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:.1} %", x * 100.0)
    } else {
        "–".into()
    }
}

/// Money with a currency symbol: "$1,234" (no decimals from 1,000 up).
pub fn money(x: f64, symbol: &str) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let a = x.abs();
    if a >= 1000.0 {
        format!("{sign}{symbol}{}", thousands(a))
    } else {
        format!("{sign}{symbol}{a:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_columns_are_named_by_the_word_year() {
        for yes in ["Year_Birth", "signup_year", "BirthYear", "year"] {
            assert!(is_year_column(yes), "{yes}");
        }
        for no in ["Years_Customer", "yearly_spend", "Income"] {
            assert!(!is_year_column(no), "{no}");
        }
    }

    #[test]
    fn formats_for_people() {
        assert_eq!(thousands(1_234_567.8), "1,234,568");
        assert_eq!(thousands(-1234.0), "-1,234");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(pct(0.117), "11.7 %");
        assert_eq!(money(-1500.0, "$"), "-$1,500");
        assert_eq!(money(2.5, "€"), "€2.50");
        assert_eq!(num(1.23456), "1.23");
        assert_eq!(num(45211.0), "45,211");
    }
}
