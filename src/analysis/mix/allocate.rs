//! The allocation core of the budget optimiser (see [`super::optimize`] for the method): greedy
//! increments, pairwise exchanges with a grid + golden-section line search, multi-start, projection.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::transform::ResponseCurve;
use super::MixError;

/// What the optimiser maximises.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Objective {
    /// The modelled KPI; the whole budget is spent.
    Kpi,
    /// `margin · KPI − spend`; the budget is a cap.
    Profit {
        /// Value of one unit of KPI in spend units (e.g. gross margin per sale).
        margin: f64,
    },
}

/// Optimiser settings. [`BudgetOptions::default`]: current total, 0.7..1.3 of current per channel.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetOptions {
    /// Total budget (None = the current total spend).
    pub total: Option<f64>,
    /// Lower limit of each channel's total, as a multiple of its current spend.
    pub lo: f64,
    /// Upper limit of each channel's total, as a multiple of its current spend.
    pub hi: f64,
    /// Per-channel `(lo, hi)` overriding `lo`/`hi`, one per channel.
    pub bounds: Option<Vec<(f64, f64)>>,
    /// What to maximise.
    pub objective: Objective,
    /// Greedy increments M.
    pub increments: usize,
    /// Random multi-starts besides the greedy and current splits.
    pub starts: usize,
    /// Seed of the random multi-starts.
    pub seed: u64,
}

impl Default for BudgetOptions {
    fn default() -> Self {
        BudgetOptions {
            total: None,
            lo: 0.7,
            hi: 1.3,
            bounds: None,
            objective: Objective::Kpi,
            increments: 1000,
            starts: 4,
            seed: 7,
        }
    }
}

struct Item<'a> {
    curve: Option<&'a ResponseCurve>,
    lo: f64,
    hi: f64,
}

impl Item<'_> {
    fn value(&self, obj: Objective, s: f64) -> f64 {
        let Some(c) = self.curve else { return 0.0 };
        let f = if c.spend > 0.0 {
            c.response(s / c.spend)
        } else {
            0.0
        };
        match obj {
            Objective::Kpi => f,
            Objective::Profit { margin } => margin * f - s,
        }
    }
    fn slope(&self, obj: Objective, s: f64) -> f64 {
        let Some(c) = self.curve else { return 0.0 };
        let d = if c.spend > 0.0 {
            c.marginal_roas(s / c.spend)
        } else {
            0.0
        };
        match obj {
            Objective::Kpi => d,
            Objective::Profit { margin } => margin * d - 1.0,
        }
    }
}

fn total_value(items: &[Item], obj: Objective, s: &[f64]) -> f64 {
    items.iter().zip(s).map(|(it, &v)| it.value(obj, v)).sum()
}

/// Projects `v` onto `{Σ s = budget, lo ≤ s ≤ hi}` (shift-and-clamp, bisection on the shift).
fn project(items: &[Item], v: &[f64], budget: f64) -> Vec<f64> {
    let at = |tau: f64| -> Vec<f64> {
        items
            .iter()
            .zip(v)
            .map(|(it, x)| (x + tau).clamp(it.lo, it.hi))
            .collect()
    };
    let span = items
        .iter()
        .map(|it| it.hi.abs())
        .fold(budget.abs(), f64::max)
        + 1.0;
    let (mut a, mut b) = (-2.0 * span, 2.0 * span);
    for _ in 0..200 {
        let m = 0.5 * (a + b);
        if at(m).iter().sum::<f64>() < budget {
            a = m;
        } else {
            b = m;
        }
    }
    let mut s = at(0.5 * (a + b));
    fix_sum(items, &mut s, budget);
    s
}

/// Spreads the rounding residual of `Σ s − budget` over items with room (in order).
fn fix_sum(items: &[Item], s: &mut [f64], budget: f64) {
    for _ in 0..2 {
        let mut r = budget - s.iter().sum::<f64>();
        for (x, it) in s.iter_mut().zip(items) {
            if r == 0.0 {
                break;
            }
            let step = if r > 0.0 {
                r.min(it.hi - *x).max(0.0)
            } else {
                r.max(it.lo - *x).min(0.0)
            };
            *x += step;
            r -= step;
        }
    }
}

fn greedy(items: &[Item], obj: Objective, budget: f64, increments: usize) -> Vec<f64> {
    let mut s: Vec<f64> = items.iter().map(|it| it.lo).collect();
    let mut left = budget - s.iter().sum::<f64>();
    let delta = left / increments.max(1) as f64;
    let tiny = 1e-12 * budget.abs().max(1.0);
    let mut cur: Vec<f64> = items
        .iter()
        .zip(&s)
        .map(|(it, &x)| it.value(obj, x))
        .collect();
    for _ in 0..4 * increments.max(1) {
        if left <= tiny {
            break;
        }
        let mut best: Option<(usize, f64, f64, f64)> = None;
        for (i, it) in items.iter().enumerate() {
            let step = delta.min(it.hi - s[i]).min(left);
            if step <= tiny {
                continue;
            }
            let next = it.value(obj, s[i] + step);
            let gain = (next - cur[i]) / step;
            if best.is_none_or(|b| gain > b.1) {
                best = Some((i, gain, step, next));
            }
        }
        let Some((i, _, step, next)) = best else {
            break;
        };
        s[i] += step;
        cur[i] = next;
        left -= step;
    }
    fix_sum(items, &mut s, budget);
    s
}

/// Best transfer δ ∈ [0, d] from j to i: grid, then golden section around the best grid point.
fn line_search(f: impl Fn(f64) -> f64, d: f64) -> (f64, f64) {
    const GRID: usize = 12;
    let mut best = (0.0, f(0.0));
    let mut k_best = 0;
    for k in 1..=GRID {
        let x = d * k as f64 / GRID as f64;
        let v = f(x);
        if v > best.1 {
            best = (x, v);
            k_best = k;
        }
    }
    let (mut a, mut b) = (
        d * k_best.saturating_sub(1) as f64 / GRID as f64,
        d * (k_best + 1).min(GRID) as f64 / GRID as f64,
    );
    let g = (5.0_f64.sqrt() - 1.0) / 2.0;
    let (mut x1, mut x2) = (b - g * (b - a), a + g * (b - a));
    let (mut f1, mut f2) = (f(x1), f(x2));
    for _ in 0..40 {
        if f1 >= f2 {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - g * (b - a);
            f1 = f(x1);
        } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + g * (b - a);
            f2 = f(x2);
        }
    }
    for (x, v) in [(x1, f1), (x2, f2)] {
        if v > best.1 {
            best = (x, v);
        }
    }
    best
}

fn refine(items: &[Item], obj: Objective, mut s: Vec<f64>) -> Vec<f64> {
    let n = items.len();
    let scale = total_value(items, obj, &s).abs().max(1.0);
    // Work cap: a full sweep is n² line searches; concave problems converge in a few dozen moves.
    let mut searches_left = 60 * n * n + 100;
    for _ in 0..40 * n.max(1) {
        let slope: Vec<f64> = items
            .iter()
            .zip(&s)
            .map(|(it, &x)| it.slope(obj, x))
            .collect();
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for i in 0..n {
            for j in 0..n {
                if i != j && s[i] < items[i].hi && s[j] > items[j].lo {
                    pairs.push((i, j));
                }
            }
        }
        pairs.sort_by(|a, b| {
            (slope[b.0] - slope[b.1])
                .total_cmp(&(slope[a.0] - slope[a.1]))
                .then(a.cmp(b))
        });
        let mut moved = false;
        for (i, j) in pairs {
            let d = (items[i].hi - s[i]).min(s[j] - items[j].lo);
            if d <= 0.0 {
                continue;
            }
            if searches_left == 0 {
                return s;
            }
            searches_left -= 1;
            let (vi, vj) = (items[i].value(obj, s[i]), items[j].value(obj, s[j]));
            let (delta, gain) = line_search(
                |x| items[i].value(obj, s[i] + x) + items[j].value(obj, s[j] - x) - vi - vj,
                d,
            );
            if gain > 1e-13 * scale && delta > 0.0 {
                s[i] = (s[i] + delta).min(items[i].hi);
                s[j] = (s[j] - delta).max(items[j].lo);
                moved = true;
                break;
            }
        }
        if !moved {
            break;
        }
    }
    s
}

/// Core optimiser on response curves: returns each curve's proposed spend (and, for the Profit
/// objective, nothing unspent beyond the cap). `lo`/`hi` are spend limits; `reference` is the split
/// the result must not be worse than (None if that split is infeasible).
pub fn allocate(
    curves: &[ResponseCurve],
    lo: &[f64],
    hi: &[f64],
    budget: f64,
    obj: Objective,
    opts: &BudgetOptions,
    reference: Option<&[f64]>,
) -> Result<(Vec<f64>, bool), MixError> {
    let min: f64 = lo.iter().sum();
    let max: f64 = hi.iter().sum();
    let profit = matches!(obj, Objective::Profit { .. });
    if min > budget * (1.0 + 1e-12) || (!profit && max < budget * (1.0 - 1e-12)) {
        return Err(MixError::InfeasibleBudget { budget, min, max });
    }
    let mut items: Vec<Item> = curves
        .iter()
        .zip(lo.iter().zip(hi))
        .map(|(c, (&l, &h))| Item {
            curve: Some(c),
            lo: l,
            hi: h,
        })
        .collect();
    if profit {
        items.push(Item {
            curve: None,
            lo: (budget - max).max(0.0),
            hi: (budget - min).max(0.0),
        });
    }
    let with_slack = |s: &[f64]| -> Vec<f64> {
        let mut v = s.to_vec();
        if profit {
            v.push(budget - s.iter().sum::<f64>());
        }
        v
    };
    let mut starts = vec![greedy(&items, obj, budget, opts.increments)];
    if let Some(r) = reference {
        starts.push(with_slack(r));
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(opts.seed);
    for _ in 0..opts.starts {
        let v: Vec<f64> = items
            .iter()
            .map(|it| it.lo + rng.gen::<f64>() * (it.hi - it.lo))
            .collect();
        starts.push(project(&items, &v, budget));
    }
    let mut best: Option<(Vec<f64>, f64)> = None;
    for s in starts {
        let s = refine(&items, obj, s);
        let v = total_value(&items, obj, &s);
        if best.as_ref().is_none_or(|b| v > b.1) {
            best = Some((s, v));
        }
    }
    let (mut s, v) = best.ok_or(MixError::Numerical)?;
    for (x, it) in s.iter_mut().zip(&items) {
        *x = x.clamp(it.lo, it.hi);
    }
    fix_sum(&items, &mut s, budget);
    s.truncate(curves.len());
    let sum: f64 = s.iter().sum();
    let tol = 1e-9 * budget.abs().max(1.0);
    let in_bounds = s
        .iter()
        .zip(lo.iter().zip(hi))
        .all(|(x, (l, h))| x.is_finite() && x >= l && x <= h);
    let feasible = in_bounds
        && if profit {
            sum <= budget + tol
        } else {
            (sum - budget).abs() <= tol
        };
    if let Some(r) = reference {
        let ref_value = total_value(&items, obj, &with_slack(r));
        if !feasible || !v.is_finite() || v < ref_value {
            return Ok((r.to_vec(), true));
        }
    }
    Ok((s, false))
}
