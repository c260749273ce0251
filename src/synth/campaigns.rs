//! Campaign-level sample rows: per-channel diminishing returns, type and audience multipliers.

use super::Rng;

/// A marketing channel's response curve: conversions = a · ln(1 + spend / b) before multipliers.
pub struct Channel {
    pub name: &'static str,
    pub a: f64,
    pub b: f64,
    /// Cost per thousand impressions.
    pub cpm: f64,
    pub ctr: f64,
}

pub const CHANNELS: [Channel; 5] = [
    Channel {
        name: "Email",
        a: 420.0,
        b: 3_000.0,
        cpm: 2.0,
        ctr: 0.035,
    },
    Channel {
        name: "Social Media",
        a: 900.0,
        b: 12_000.0,
        cpm: 7.0,
        ctr: 0.012,
    },
    Channel {
        name: "Search",
        a: 1_100.0,
        b: 9_000.0,
        cpm: 25.0,
        ctr: 0.05,
    },
    Channel {
        name: "Display",
        a: 500.0,
        b: 15_000.0,
        cpm: 4.0,
        ctr: 0.004,
    },
    Channel {
        name: "Affiliate",
        a: 300.0,
        b: 4_000.0,
        cpm: 10.0,
        ctr: 0.015,
    },
];
const CAMPAIGN_TYPES: [(&str, f64); 4] = [
    ("Awareness", 0.7),
    ("Conversion", 1.2),
    ("Retargeting", 1.35),
    ("Seasonal", 1.0),
];
/// Audience, conversion multiplier, average order value.
const AUDIENCES: [(&str, f64, f64); 4] = [
    ("Students", 0.8, 45.0),
    ("Parents", 1.1, 85.0),
    ("Professionals", 1.0, 120.0),
    ("Retirees", 0.9, 95.0),
];

/// Campaign-level rows as CSV text.
pub fn campaigns_csv(rows: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed ^ 0x5EED_CA11);
    let mut out = String::from(
        "Campaign_ID,Channel,Campaign_Type,Audience,Spend,Impressions,Clicks,Conversions,Revenue\n",
    );
    for i in 0..rows {
        let ch = &CHANNELS[i % CHANNELS.len()];
        let (ctype, tmult) = CAMPAIGN_TYPES[rng.int(0, 3) as usize];
        let (aud, amult, aov) = AUDIENCES[rng.int(0, 3) as usize];
        let spend = (rng.range(1_000f64.ln(), 40_000f64.ln())).exp().round();
        let conversions =
            (ch.a * (1.0 + spend / ch.b).ln() * tmult * amult * rng.lognormal(0.12)).round();
        let impressions = (spend / ch.cpm * 1000.0 * rng.lognormal(0.1)).round();
        let clicks = (impressions * ch.ctr * rng.lognormal(0.15))
            .round()
            .max(conversions);
        let revenue = (conversions * aov * rng.lognormal(0.15) * 100.0).round() / 100.0;
        out.push_str(&format!(
            "C{:04},{},{ctype},{aud},{spend:.0},{impressions:.0},{clicks:.0},{conversions:.0},{revenue:.2}\n",
            i + 1,
            ch.name
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn campaigns_show_diminishing_returns_per_channel() {
        let text = campaigns_csv(400, 42);
        let mut lines = text.lines();
        let h: Vec<&str> = lines.next().unwrap().split(',').collect();
        let rows: Vec<Vec<String>> = lines
            .map(|l| l.split(',').map(String::from).collect())
            .collect();
        assert_eq!(h.len(), 9);
        for ch in CHANNELS.iter().map(|c| c.name) {
            let mine: Vec<&Vec<String>> = rows.iter().filter(|r| r[1] == ch).collect();
            let mut pts: Vec<(f64, f64)> = mine
                .iter()
                .map(|r| (r[4].parse().unwrap(), r[7].parse().unwrap()))
                .collect();
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            let q = pts.len() / 4;
            let eff = |s: &[(f64, f64)]| {
                s.iter().map(|p| p.1).sum::<f64>() / s.iter().map(|p| p.0).sum::<f64>()
            };
            assert!(
                eff(&pts[..q]) > eff(&pts[pts.len() - q..]),
                "{ch}: conversions per dollar fall with spend"
            );
        }
        assert!(rows
            .iter()
            .all(|r| r[4..].iter().all(|v| v.parse::<f64>().unwrap() >= 0.0)));
    }
}
