//! Deterministic synthetic marketing data for the bundled samples: customers in the "Customer Personality
//! Analysis" schema, drawn from five latent types, and campaign-level rows with per-channel diminishing
//! returns. Every draw comes from one seeded xoshiro stream through our own transforms, so the same
//! (rows, seed) gives byte-identical files on every platform.

use rand::RngCore;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::data::tidy::days_from_civil;

mod campaigns;
mod numeric;
pub mod uplift;
mod wide;
pub use campaigns::{campaigns_csv, Channel, CHANNELS};
pub use numeric::{write_numeric_bench_csv, NUMERIC_BENCH_HEADER};
pub use wide::{write_load_bench_csv, LOAD_BENCH_HEADER};

pub(crate) struct Rng(Xoshiro256PlusPlus);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(Xoshiro256PlusPlus::seed_from_u64(seed))
    }
    /// Uniform in [0, 1).
    pub(crate) fn u(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub(crate) fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.u()
    }
    pub(crate) fn int(&mut self, lo: i64, hi_inclusive: i64) -> i64 {
        lo + (self.u() * (hi_inclusive - lo + 1) as f64) as i64
    }
    /// Standard normal (Box-Muller).
    pub(crate) fn normal(&mut self) -> f64 {
        let u1 = self.u().max(1e-300);
        let u2 = self.u();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
    pub(crate) fn lognormal(&mut self, sigma: f64) -> f64 {
        (sigma * self.normal()).exp()
    }
    fn bernoulli(&mut self, p: f64) -> bool {
        self.u() < p
    }
    /// Poisson: Knuth's method for small means, a rounded normal above 30.
    fn poisson(&mut self, lambda: f64) -> i64 {
        if lambda <= 0.0 {
            return 0;
        }
        if lambda > 30.0 {
            return (lambda + lambda.sqrt() * self.normal()).round().max(0.0) as i64;
        }
        let l = (-lambda).exp();
        let (mut k, mut p) = (0i64, 1.0);
        loop {
            p *= self.u();
            if p <= l {
                return k;
            }
            k += 1;
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [(T, f64)]) -> &'a T {
        let total: f64 = items.iter().map(|x| x.1).sum();
        let mut r = self.u() * total;
        for (item, w) in items {
            if r < *w {
                return item;
            }
            r -= w;
        }
        &items[items.len() - 1].0
    }
}

/// A latent customer type.
struct Type {
    share: f64,
    income: (f64, f64),
    birth: (i64, i64),
    kids: f64,
    teens: f64,
    spend_base: f64,
    /// Wines, fruits, meat, fish, sweets, gold.
    wallet: [f64; 6],
    /// Web, catalog, store.
    channels: [f64; 3],
    deals: f64,
    visits: f64,
    recency: (i64, i64),
    response_shift: f64,
}

const TYPES: [Type; 5] = [
    // Affluent mature couples: high income, big spend on wine and meat, catalog and store, few deals.
    Type {
        share: 0.22,
        income: (78_000.0, 10_000.0),
        birth: (1946, 1966),
        kids: 0.05,
        teens: 0.15,
        spend_base: 1_350.0,
        wallet: [0.52, 0.04, 0.28, 0.06, 0.04, 0.06],
        channels: [0.25, 0.32, 0.43],
        deals: 1.0,
        visits: 2.8,
        recency: (0, 99),
        response_shift: 0.4,
    },
    // Budget-conscious families: low income, young children, little spend, many deals and web visits.
    Type {
        share: 0.30,
        income: (32_000.0, 8_000.0),
        birth: (1968, 1990),
        kids: 1.1,
        teens: 0.3,
        spend_base: 80.0,
        wallet: [0.32, 0.07, 0.24, 0.09, 0.07, 0.21],
        channels: [0.38, 0.05, 0.57],
        deals: 3.0,
        visits: 7.5,
        recency: (0, 99),
        response_shift: -0.2,
    },
    // Young digital singles: mid income, web-first, gold and sweets.
    Type {
        share: 0.18,
        income: (52_000.0, 9_000.0),
        birth: (1984, 1996),
        kids: 0.05,
        teens: 0.0,
        spend_base: 520.0,
        wallet: [0.28, 0.08, 0.22, 0.08, 0.12, 0.22],
        channels: [0.62, 0.08, 0.30],
        deals: 2.0,
        visits: 6.5,
        recency: (0, 99),
        response_shift: 0.3,
    },
    // Established families with teenagers: store shoppers with moderate spend.
    Type {
        share: 0.20,
        income: (58_000.0, 9_000.0),
        birth: (1956, 1974),
        kids: 0.2,
        teens: 1.2,
        spend_base: 480.0,
        wallet: [0.46, 0.05, 0.26, 0.07, 0.05, 0.11],
        channels: [0.30, 0.12, 0.58],
        deals: 3.5,
        visits: 5.0,
        recency: (0, 99),
        response_shift: -0.3,
    },
    // Lapsed customers: not seen for months, little spend.
    Type {
        share: 0.10,
        income: (45_000.0, 14_000.0),
        birth: (1950, 1990),
        kids: 0.5,
        teens: 0.5,
        spend_base: 140.0,
        wallet: [0.40, 0.05, 0.25, 0.08, 0.05, 0.17],
        channels: [0.35, 0.10, 0.55],
        deals: 2.0,
        visits: 6.0,
        recency: (70, 99),
        response_shift: -0.6,
    },
];

const EDUCATION: [(&str, f64); 5] = [
    ("Graduation", 0.50),
    ("PhD", 0.22),
    ("Master", 0.16),
    ("2n Cycle", 0.09),
    ("Basic", 0.03),
];
const MARITAL: [(&str, f64); 6] = [
    ("Married", 0.386),
    ("Together", 0.259),
    ("Single", 0.214),
    ("Divorced", 0.104),
    ("Widow", 0.034),
    ("Alone", 0.003),
];

/// The header of the customers sample (the Kaggle "Customer Personality Analysis" column order).
pub const CUSTOMER_HEADER: &str = "ID,Year_Birth,Education,Marital_Status,Income,Kidhome,Teenhome,Dt_Customer,Recency,MntWines,MntFruits,MntMeatProducts,MntFishProducts,MntSweetProducts,MntGoldProds,NumDealsPurchases,NumWebPurchases,NumCatalogPurchases,NumStorePurchases,NumWebVisitsMonth,AcceptedCmp3,AcceptedCmp4,AcceptedCmp5,AcceptedCmp1,AcceptedCmp2,Complain,Z_CostContact,Z_Revenue,Response";

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Civil date (d, m, y) of a day number.
pub(crate) fn civil(days: i32) -> (u32, u32, i32) {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400 + if m <= 2 { 1 } else { 0 }) as i32;
    (d, m, y)
}

struct Customer {
    fields: Vec<String>,
    logit: f64,
}

/// Customers in the marketing schema, as CSV text (comma, header, LF).
pub fn customers_csv(rows: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let first = days_from_civil(2012, 7, 30).unwrap_or(0);
    let last = days_from_civil(2014, 6, 29).unwrap_or(0);
    let type_weights: Vec<(usize, f64)> = TYPES
        .iter()
        .enumerate()
        .map(|(i, t)| (i, t.share))
        .collect();
    let mut id = 0i64;
    let mut customers = Vec::with_capacity(rows);
    for row in 0..rows {
        let t = &TYPES[*rng.pick(&type_weights)];
        id += 1 + rng.int(0, 3);
        let mut birth = rng.int(t.birth.0, t.birth.1);
        let mut income = (t.income.0 + t.income.1 * rng.normal())
            .max(4_000.0)
            .round();
        let kids = rng.poisson(t.kids).min(2);
        let teens = rng.poisson(t.teens).min(2);
        let mut education = *rng.pick(&EDUCATION);
        if t.income.0 < 40_000.0 && rng.bernoulli(0.06) {
            education = "Basic";
        }
        let marital = *rng.pick(&MARITAL);
        let joined = rng.int(first as i64, last as i64) as i32;
        let recency = rng.int(t.recency.0, t.recency.1);
        // Spending follows income (elasticity 1.3) with log-normal noise; fewer children, more spend.
        let spent = t.spend_base * (income / t.income.0).powf(1.3) * rng.lognormal(0.35)
            / (1.0 + 0.25 * (kids + teens) as f64);
        let mut wallet = [0.0; 6];
        for (w, base) in wallet.iter_mut().zip(t.wallet) {
            *w = base * rng.lognormal(0.25);
        }
        let wsum: f64 = wallet.iter().sum();
        let amounts: Vec<i64> = wallet
            .iter()
            .map(|w| (spent * w / wsum).round() as i64)
            .collect();
        let total_purchases = 3.0 + spent / 70.0;
        let deals = rng
            .poisson(t.deals + 0.8 * kids as f64 + 0.4 * teens as f64)
            .min(15);
        let mut chan = [0.0; 3];
        for (c, base) in chan.iter_mut().zip(t.channels) {
            *c = base * rng.lognormal(0.2);
        }
        let csum: f64 = chan.iter().sum();
        let web = rng.poisson((total_purchases * chan[0] / csum).min(27.0));
        let catalog = rng.poisson((total_purchases * chan[1] / csum).min(28.0));
        let store = rng
            .poisson((total_purchases * chan[2] / csum).min(13.0))
            .max(1);
        let visits = rng
            .poisson(t.visits + 2.0 * (40_000.0 - income).max(0.0) / 40_000.0)
            .min(20);
        let spend_z = (spent.max(1.0) / 400.0).ln();
        let mut accepted = [0i64; 5];
        for (k, a) in accepted.iter_mut().enumerate() {
            let p =
                sigmoid(-3.3 + 0.8 * spend_z + t.response_shift + [0.0, -0.1, 0.2, 0.1, -1.2][k]);
            *a = rng.bernoulli(p) as i64;
        }
        let acc_total: i64 = accepted.iter().sum();
        let logit = -0.03 * (recency as f64 - 49.0)
            + 0.45 * spend_z
            + 0.7 * acc_total as f64
            + t.response_shift
            + 0.3 * rng.normal();
        let complain = rng.bernoulli(0.01) as i64;
        // Real-world blemishes: a few implausible birth years, one extreme income, about 1 % missing income.
        if rows >= 100 {
            if row == rows / 7 {
                birth = 1893;
            } else if row == rows / 3 {
                birth = 1899;
            } else if row == rows / 2 {
                birth = 1900;
            } else if row == (rows * 3) / 5 {
                income = 666_666.0;
            }
        }
        let income_text = if rng.bernoulli(0.011) {
            String::new()
        } else {
            format!("{income:.0}")
        };
        let (d, m, y) = civil(joined);
        let mut fields = vec![
            id.to_string(),
            birth.to_string(),
            education.to_string(),
            marital.to_string(),
            income_text,
            kids.to_string(),
            teens.to_string(),
            format!("{d:02}-{m:02}-{y}"),
            recency.to_string(),
        ];
        fields.extend(amounts.iter().map(|a| a.to_string()));
        for v in [deals, web, catalog, store, visits] {
            fields.push(v.to_string());
        }
        // AcceptedCmp3, 4, 5, 1, 2 in the original column order
        for k in [2usize, 3, 4, 0, 1] {
            fields.push(accepted[k].to_string());
        }
        fields.push(complain.to_string());
        fields.push("3".into());
        fields.push("11".into());
        customers.push(Customer { fields, logit });
    }
    // Response ≈ 15 %: choose the intercept so the mean probability is 0.15, then draw.
    let (mut lo, mut hi) = (-15.0, 15.0);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        let mean = customers
            .iter()
            .map(|c| sigmoid(c.logit + mid))
            .sum::<f64>()
            / rows.max(1) as f64;
        if mean < 0.15 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let mut out = String::with_capacity(rows * 120);
    out.push_str(CUSTOMER_HEADER);
    out.push('\n');
    for mut c in customers {
        let r = rng.bernoulli(sigmoid(c.logit + lo)) as i64;
        c.fields.push(r.to_string());
        out.push_str(&c.fields.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let mut lines = text.lines();
        let header = lines.next().unwrap().split(',').map(String::from).collect();
        (
            header,
            lines
                .map(|l| l.split(',').map(String::from).collect())
                .collect(),
        )
    }

    fn col(h: &[String], rows: &[Vec<String>], name: &str) -> Vec<Option<f64>> {
        let j = h.iter().position(|c| c == name).unwrap();
        rows.iter().map(|r| r[j].parse::<f64>().ok()).collect()
    }

    fn pearson(x: &[f64], y: &[f64]) -> f64 {
        let n = x.len() as f64;
        let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
        let cov: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
        let vx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
        let vy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
        cov / (vx * vy).sqrt()
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        assert_eq!(customers_csv(300, 7), customers_csv(300, 7));
        assert_ne!(customers_csv(300, 7), customers_csv(300, 8));
        assert_eq!(campaigns_csv(50, 7), campaigns_csv(50, 7));
    }

    #[test]
    fn customers_have_the_schema_and_realistic_relations() {
        let (h, rows) = table(&customers_csv(5_000, 42));
        assert_eq!(h.join(","), CUSTOMER_HEADER);
        assert_eq!(rows.len(), 5_000);
        assert!(rows.iter().all(|r| r.len() == h.len()));
        let resp = col(&h, &rows, "Response");
        let rate = resp.iter().flatten().sum::<f64>() / 5_000.0;
        assert!((0.12..0.18).contains(&rate), "response rate {rate}");
        let income = col(&h, &rows, "Income");
        let missing = income.iter().filter(|v| v.is_none()).count();
        assert!(
            (25..=85).contains(&missing),
            "about 1 % missing income, got {missing}"
        );
        let births = col(&h, &rows, "Year_Birth");
        assert!(births.iter().flatten().filter(|&&y| y < 1901.0).count() >= 3);
        // Income and total spend move together (outlier and missing income left out).
        let mnt = [
            "MntWines",
            "MntFruits",
            "MntMeatProducts",
            "MntFishProducts",
            "MntSweetProducts",
            "MntGoldProds",
        ];
        let cols: Vec<Vec<Option<f64>>> = mnt.iter().map(|m| col(&h, &rows, m)).collect();
        let (mut x, mut y) = (vec![], vec![]);
        for i in 0..rows.len() {
            if let Some(inc) = income[i].filter(|v| *v < 200_000.0) {
                x.push(inc);
                y.push(cols.iter().map(|c| c[i].unwrap()).sum());
            }
        }
        assert!(
            pearson(&x, &y) > 0.6,
            "income-spend correlation {}",
            pearson(&x, &y)
        );
        let kids: Vec<f64> = col(&h, &rows, "Kidhome")
            .iter()
            .map(|v| v.unwrap())
            .collect();
        let deals: Vec<f64> = col(&h, &rows, "NumDealsPurchases")
            .iter()
            .map(|v| v.unwrap())
            .collect();
        assert!(pearson(&kids, &deals) > 0.1);
        let ids = col(&h, &rows, "ID");
        let mut uniq: Vec<i64> = ids.iter().map(|v| v.unwrap() as i64).collect();
        uniq.dedup();
        assert_eq!(uniq.len(), 5_000, "IDs are increasing, so unique");
    }

    #[test]
    fn civil_round_trips() {
        let d = days_from_civil(2014, 6, 29).unwrap();
        assert_eq!(civil(d), (29, 6, 2014));
        assert_eq!(civil(days_from_civil(2012, 2, 29).unwrap()), (29, 2, 2012));
    }
}
