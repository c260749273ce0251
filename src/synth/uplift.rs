//! A test table with a known effect per row, in the shape of Kevin Hillstrom's MineThatData e-mail test:
//! customers randomly sent a men's e-mail, a women's e-mail or none (`segment`), with `visit`,
//! `conversion` and `spend` measured afterwards. Each customer is one of the four groups a marketer knows,
//! by construction, so the true uplift of every row is known:
//!
//! | group | who | P(convert) without → with an e-mail |
//! |---|---|---|
//! | persuadables | newbies who bought recently | 4 % → 22 % |
//! | sure things | big spenders | 45 % → 47 % |
//! | lost causes | long gone, small history | 1 % → 1 % |
//! | do-not-disturb | long-standing multichannel buyers | 30 % → 12 % |
//!
//! The women's e-mail works at 60 % of the men's strength. Visits follow conversions (every converter
//! visits, others visit at 10 % plus a tenth of their conversion lift).

use super::Rng;

/// The four uplift groups, in the order of the table above.
pub const GROUPS: [&str; 4] = [
    "persuadables",
    "sure things",
    "lost causes",
    "do-not-disturb",
];

/// P(convert) without and with the men's e-mail, per group.
const RATES: [(f64, f64); 4] = [(0.04, 0.22), (0.45, 0.47), (0.01, 0.01), (0.30, 0.12)];

/// The women's e-mail's share of the men's effect.
const WOMENS_STRENGTH: f64 = 0.6;

/// The arms, control first.
pub const ARMS: [&str; 3] = ["No E-Mail", "Mens E-Mail", "Womens E-Mail"];

/// One generated customer's truth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Truth {
    pub group: usize,
    /// P(convert) under each arm, control first.
    pub p: [f64; 3],
    pub arm: usize,
}

impl Truth {
    /// The conversion uplift of the men's e-mail (arm 1) over none.
    pub fn uplift(&self) -> f64 {
        self.p[1] - self.p[0]
    }
}

/// `rows` customers: the CSV text and each row's truth. `arms` = 2 gives a men's e-mail against none
/// (a binary test); 3 adds the women's e-mail. `control_share` of the rows get no e-mail; the treated arms
/// share the rest equally.
pub fn uplift_csv(rows: usize, seed: u64, arms: usize, control_share: f64) -> (String, Vec<Truth>) {
    let arms = arms.clamp(2, 3);
    let mut rng = Rng::new(seed ^ 0x5eed_u64.rotate_left(17));
    let mut out = String::with_capacity(rows * 90);
    out.push_str(
        "customer_id,recency,history,mens,womens,zip_code,newbie,channel,segment,visit,conversion,spend\n",
    );
    let mut truths = Vec::with_capacity(rows);
    for i in 0..rows {
        let group = match rng.u() {
            u if u < 0.25 => 0,
            u if u < 0.45 => 1,
            u if u < 0.75 => 2,
            _ => 3,
        };
        // features that reveal the group, with noise (so a model can learn it, not read it)
        let (recency, history, newbie, channel) = match group {
            0 => (rng.int(1, 4), 30.0 + 120.0 * rng.u(), rng.u() < 0.8, "Web"),
            1 => (
                rng.int(1, 8),
                600.0 + 900.0 * rng.u(),
                rng.u() < 0.2,
                pick(&mut rng),
            ),
            2 => (
                rng.int(8, 12),
                25.0 + 80.0 * rng.u(),
                rng.u() < 0.5,
                pick(&mut rng),
            ),
            _ => (
                rng.int(3, 10),
                250.0 + 300.0 * rng.u(),
                rng.u() < 0.1,
                "Multichannel",
            ),
        };
        let mens = rng.u() < 0.55;
        let womens = !mens || rng.u() < 0.3;
        let zip = ["Urban", "Suburban", "Rural"][rng.int(0, 2) as usize];
        let (p0, p1) = RATES[group];
        let p = [p0, p1, p0 + WOMENS_STRENGTH * (p1 - p0)];
        let arm = if rng.u() < control_share {
            0
        } else if arms == 2 {
            1
        } else {
            rng.int(1, 2) as usize
        };
        let converted = rng.u() < p[arm];
        let visited = converted || rng.u() < 0.10 + 0.1 * (p[arm] - p0).max(0.0);
        let spend = if converted {
            (40.0 * rng.lognormal(0.5)).round() / 1.0
        } else {
            0.0
        };
        out.push_str(&format!(
            "{},{recency},{history:.2},{},{},{zip},{},{channel},{},{},{},{spend:.2}\n",
            100_000 + i,
            mens as u8,
            womens as u8,
            newbie as u8,
            ARMS[arm],
            visited as u8,
            converted as u8,
        ));
        truths.push(Truth { group, p, arm });
    }
    (out, truths)
}

fn pick(rng: &mut Rng) -> &'static str {
    ["Web", "Phone", "Multichannel"][rng.int(0, 2) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arms_and_rates_follow_the_construction() {
        let (text, truth) = uplift_csv(60_000, 7, 3, 1.0 / 3.0);
        assert_eq!(text.lines().count(), 60_001);
        let share = |a: usize| truth.iter().filter(|t| t.arm == a).count() as f64 / 60_000.0;
        for a in 0..3 {
            assert!((share(a) - 1.0 / 3.0).abs() < 0.01, "arm {a}: {}", share(a));
        }
        // the observed conversion rate per group and arm is close to the constructed one
        let conv: Vec<bool> = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(10) == Some("1"))
            .collect();
        for (g, &(p0, p1)) in RATES.iter().enumerate() {
            for (arm, p) in [(0, p0), (1, p1)] {
                let rows: Vec<usize> = (0..truth.len())
                    .filter(|&i| truth[i].group == g && truth[i].arm == arm)
                    .collect();
                let rate = rows.iter().filter(|&&i| conv[i]).count() as f64 / rows.len() as f64;
                let se = (p * (1.0 - p) / rows.len() as f64).sqrt();
                assert!(
                    (rate - p).abs() < 4.0 * se + 1e-9,
                    "group {g} arm {arm}: {rate} vs {p}"
                );
            }
        }
    }

    #[test]
    fn same_seed_same_bytes() {
        assert_eq!(uplift_csv(500, 3, 2, 0.5).0, uplift_csv(500, 3, 2, 0.5).0);
        assert_ne!(uplift_csv(500, 3, 2, 0.5).0, uplift_csv(500, 4, 2, 0.5).0);
    }
}
