//! Campaign-level economics: metrics per channel, a diminishing-returns curve per channel
//! (conversions = a · ln(1 + spend / b)), budget reallocation that equalises marginal returns, and which
//! campaign attributes go with higher ROI (ordinary least squares on one-hot attributes).

use serde::Serialize;

use crate::analysis::money::roi::RoiError;

/// One campaign row with its roles.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignRow {
    pub group: String,
    pub spend: f64,
    pub impressions: Option<f64>,
    pub clicks: Option<f64>,
    pub conversions: Option<f64>,
    pub revenue: Option<f64>,
}

fn div(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b != 0.0 => Some(a / b),
        _ => None,
    }
}

/// Totals and ratios for one channel (None where a role is absent or a denominator is 0).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelStats {
    pub name: String,
    pub campaigns: usize,
    pub spend: f64,
    pub impressions: Option<f64>,
    pub clicks: Option<f64>,
    pub conversions: Option<f64>,
    pub revenue: Option<f64>,
    pub cpc: Option<f64>,
    pub ctr: Option<f64>,
    pub conversion_rate: Option<f64>,
    pub cpa: Option<f64>,
    pub roas: Option<f64>,
    pub roi: Option<f64>,
}

fn sum_opt(rows: &[&CampaignRow], f: impl Fn(&CampaignRow) -> Option<f64>) -> Option<f64> {
    rows.iter().map(|r| f(r)).sum()
}

/// Per-channel table, channels in order of first appearance.
pub fn channel_table(rows: &[CampaignRow]) -> Result<Vec<ChannelStats>, RoiError> {
    if rows.is_empty() {
        return Err(RoiError::Empty);
    }
    let mut names: Vec<String> = Vec::new();
    for r in rows {
        if !names.contains(&r.group) {
            names.push(r.group.clone());
        }
    }
    Ok(names
        .into_iter()
        .map(|name| {
            let mine: Vec<&CampaignRow> = rows.iter().filter(|r| r.group == name).collect();
            let spend: f64 = mine.iter().map(|r| r.spend).sum();
            let impressions = sum_opt(&mine, |r| r.impressions);
            let clicks = sum_opt(&mine, |r| r.clicks);
            let conversions = sum_opt(&mine, |r| r.conversions);
            let revenue = sum_opt(&mine, |r| r.revenue);
            ChannelStats {
                campaigns: mine.len(),
                cpc: div(Some(spend), clicks),
                ctr: div(clicks, impressions),
                conversion_rate: div(conversions, clicks),
                cpa: div(Some(spend), conversions),
                roas: div(revenue, Some(spend)),
                roi: div(revenue.map(|r| r - spend), Some(spend)),
                name,
                spend,
                impressions,
                clicks,
                conversions,
                revenue,
            }
        })
        .collect())
}

/// conversions = a · ln(1 + spend / b).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Curve {
    pub a: f64,
    pub b: f64,
    pub r2: f64,
}

impl Curve {
    pub fn predict(&self, spend: f64) -> f64 {
        self.a * (1.0 + spend.max(0.0) / self.b).ln()
    }
    /// d conversions / d spend.
    pub fn marginal(&self, spend: f64) -> f64 {
        self.a / (self.b + spend.max(0.0))
    }
}

/// Least squares fit of a · ln(1 + s / b): for each b the best a is closed form, and b is found by a grid
/// over log b followed by golden-section refinement. None with fewer than 3 rows or no spread in spend.
pub fn fit_curve(spend: &[f64], y: &[f64]) -> Option<Curve> {
    if spend.len() < 3 || spend.len() != y.len() {
        return None;
    }
    let (lo, hi) = spend
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &s| {
            (l.min(s), h.max(s))
        });
    if hi <= lo || lo < 0.0 || hi.is_nan() {
        return None;
    }
    let sse_a = |b: f64| {
        let g: Vec<f64> = spend.iter().map(|s| (1.0 + s / b).ln()).collect();
        let gg: f64 = g.iter().map(|v| v * v).sum();
        let gy: f64 = g.iter().zip(y).map(|(a, b)| a * b).sum();
        let a = if gg > 0.0 { gy / gg } else { 0.0 };
        let sse: f64 = g.iter().zip(y).map(|(gi, yi)| (yi - a * gi).powi(2)).sum();
        (sse, a)
    };
    let (l0, l1) = ((hi / 1000.0).max(1e-9).ln(), (hi * 1000.0).ln());
    let grid: Vec<f64> = (0..=80).map(|i| l0 + (l1 - l0) * i as f64 / 80.0).collect();
    let best = grid
        .iter()
        .enumerate()
        .min_by(|a, b| sse_a(a.1.exp()).0.total_cmp(&sse_a(b.1.exp()).0))?
        .0;
    let (mut x0, mut x1) = (grid[best.saturating_sub(1)], grid[(best + 1).min(80)]);
    let gr = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..100 {
        let c = x1 - gr * (x1 - x0);
        let d = x0 + gr * (x1 - x0);
        if sse_a(c.exp()).0 < sse_a(d.exp()).0 {
            x1 = d;
        } else {
            x0 = c;
        }
    }
    let b = ((x0 + x1) / 2.0).exp();
    let (sse, a) = sse_a(b);
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    let sst: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    (a > 0.0).then_some(Curve {
        a,
        b,
        r2: if sst > 0.0 { 1.0 - sse / sst } else { 0.0 },
    })
}

/// Predicted conversions, revenue and ROI for a spend plan.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Totals {
    pub spend: f64,
    pub conversions: f64,
    pub revenue: f64,
    pub roi: f64,
}

pub fn predict_totals(curves: &[Curve], spends: &[f64], value: f64) -> Totals {
    let spend: f64 = spends.iter().sum();
    let conversions: f64 = curves.iter().zip(spends).map(|(c, s)| c.predict(*s)).sum();
    let revenue = conversions * value;
    Totals {
        spend,
        conversions,
        revenue,
        roi: if spend > 0.0 {
            (revenue - spend) / spend
        } else {
            0.0
        },
    }
}

/// Spread `total` so the marginal conversions per unit spend are equal across channels, each within
/// ±`bounds` of today's spend (water-filling: bisection on the common marginal value λ).
pub fn allocate(
    curves: &[Curve],
    current: &[f64],
    total: f64,
    bounds: f64,
) -> Result<Vec<f64>, RoiError> {
    if curves.len() != current.len() || curves.is_empty() {
        return Err(RoiError::Campaign(
            "one curve and one current spend per channel are needed".into(),
        ));
    }
    let lo: Vec<f64> = current
        .iter()
        .map(|c| c * (1.0 - bounds).max(0.0))
        .collect();
    let hi: Vec<f64> = current.iter().map(|c| c * (1.0 + bounds)).collect();
    let (min_t, max_t) = (lo.iter().sum::<f64>(), hi.iter().sum::<f64>());
    if total < min_t - 1e-9 || total > max_t + 1e-9 {
        return Err(RoiError::Campaign(format!(
            "a total of {total:.0} cannot be spread within ±{:.0} % of today's spends ({min_t:.0} to {max_t:.0})",
            bounds * 100.0
        )));
    }
    // spend where a/(b+s) = λ, clamped to bounds; decreasing in λ
    let plan = |lambda: f64| -> Vec<f64> {
        curves
            .iter()
            .zip(lo.iter().zip(&hi))
            .map(|(c, (&l, &h))| (c.a / lambda - c.b).clamp(l, h))
            .collect()
    };
    let (mut l0, mut l1) = (
        1e-12,
        curves.iter().map(|c| c.a / c.b).fold(0.0, f64::max) * 2.0 + 1.0,
    );
    for _ in 0..200 {
        let mid = (l0 * l1).sqrt();
        if plan(mid).iter().sum::<f64>() > total {
            l0 = mid;
        } else {
            l1 = mid;
        }
    }
    let mut p = plan((l0 * l1).sqrt());
    // put any rounding remainder on channels not at a bound, so the total is exact
    let diff = total - p.iter().sum::<f64>();
    if let Some(i) = (0..p.len()).find(|&i| p[i] + diff >= lo[i] && p[i] + diff <= hi[i]) {
        p[i] += diff;
    }
    Ok(p)
}

/// An attribute level's association with ROI (vs the attribute's reference level).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Effect {
    pub attribute: String,
    pub level: String,
    pub reference: String,
    pub effect: f64,
    pub n: usize,
}

/// OLS of `y` on one-hot attributes (first level of each attribute is the reference). Correlation, not cause.
pub fn attribute_effects(
    attrs: &[Vec<String>],
    names: &[String],
    y: &[f64],
) -> Result<Vec<Effect>, RoiError> {
    if attrs.len() != y.len() || attrs.is_empty() {
        return Err(RoiError::Length(attrs.len(), y.len()));
    }
    let mut cols: Vec<(usize, String, String)> = Vec::new(); // (attribute, level, reference)
    for (a, _) in names.iter().enumerate() {
        let mut levels: Vec<String> = attrs.iter().map(|r| r[a].clone()).collect();
        levels.sort();
        levels.dedup();
        for l in levels.iter().skip(1) {
            cols.push((a, l.clone(), levels[0].clone()));
        }
    }
    let p = cols.len() + 1;
    let row = |r: &Vec<String>| -> Vec<f64> {
        std::iter::once(1.0)
            .chain(cols.iter().map(|(a, l, _)| (r[*a] == *l) as u8 as f64))
            .collect()
    };
    let mut xtx = vec![vec![0.0; p]; p];
    let mut xty = vec![0.0; p];
    for (r, &yy) in attrs.iter().zip(y) {
        let x = row(r);
        for i in 0..p {
            xty[i] += x[i] * yy;
            for j in 0..p {
                xtx[i][j] += x[i] * x[j];
            }
        }
    }
    for (i, r) in xtx.iter_mut().enumerate() {
        r[i] += 1e-9;
    }
    let beta =
        solve(xtx, xty).ok_or_else(|| RoiError::Campaign("attribute model is singular".into()))?;
    Ok(cols
        .iter()
        .enumerate()
        .map(|(k, (a, l, r))| Effect {
            attribute: names[*a].clone(),
            level: l.clone(),
            reference: r.clone(),
            effect: beta[k + 1],
            n: attrs.iter().filter(|row| row[*a] == *l).count(),
        })
        .collect())
}

/// Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for c in 0..n {
        let p = (c..n).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
        if a[p][c].abs() < 1e-12 {
            return None;
        }
        a.swap(c, p);
        b.swap(c, p);
        let pivot = a[c].clone();
        for r in c + 1..n {
            let f = a[r][c] / pivot[c];
            for (x, p) in a[r].iter_mut().zip(&pivot).skip(c) {
                *x -= f * p;
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|k| a[r][k] * x[k]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    Some(x)
}
