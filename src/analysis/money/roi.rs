//! Targeting economics: contact customers best propensity first. Scores are sorted once and cumulative
//! sums kept, so every slider move is O(1) (and the optimum O(n) once per change of costs), never a refit.

use serde::Serialize;
use thiserror::Error;

#[derive(Debug, Error, PartialEq)]
pub enum RoiError {
    #[error("no scores")]
    Empty,
    #[error("score {0} at row {1} is not a probability in [0, 1]")]
    BadScore(f64, usize),
    #[error("{0} must not be negative")]
    Negative(&'static str),
    #[error("{0} rows of outcomes for {1} scores")]
    Length(usize, usize),
    #[error("{0}")]
    Campaign(String),
}

/// Costs and values of a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct Economics {
    pub cost_per_contact: f64,
    /// Margin earned per response.
    pub revenue_per_response: f64,
    pub fixed_cost: f64,
    pub budget: Option<f64>,
}

impl Economics {
    pub fn check(&self) -> Result<(), RoiError> {
        if self.cost_per_contact < 0.0 {
            return Err(RoiError::Negative("cost per contact"));
        }
        if self.revenue_per_response < 0.0 {
            return Err(RoiError::Negative("revenue per response"));
        }
        if self.fixed_cost < 0.0 {
            return Err(RoiError::Negative("fixed cost"));
        }
        if self.budget.is_some_and(|b| b < 0.0) {
            return Err(RoiError::Negative("budget"));
        }
        Ok(())
    }
    /// Response rate at which a contact pays for itself.
    pub fn break_even_rate(&self) -> f64 {
        if self.revenue_per_response > 0.0 {
            self.cost_per_contact / self.revenue_per_response
        } else {
            f64::INFINITY
        }
    }
    /// Most contacts the budget allows (None = no cap).
    pub fn max_contacts(&self) -> Option<usize> {
        let b = self.budget?;
        if self.cost_per_contact <= 0.0 {
            return None;
        }
        Some(((b - self.fixed_cost).max(0.0) / self.cost_per_contact).floor() as usize)
    }
}

/// The result of contacting the top `contacted` customers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Outcome {
    pub depth: f64,
    pub contacted: usize,
    pub expected_responses: f64,
    /// Responses actually observed among them (when outcomes are known).
    pub observed_responses: Option<f64>,
    pub cost: f64,
    pub revenue: f64,
    pub profit: f64,
    /// (revenue − cost) / cost.
    pub roi: Option<f64>,
    /// Cost per expected response.
    pub cpa: Option<f64>,
    pub budget_limited: bool,
}

/// Scores sorted best first with cumulative sums.
#[derive(Debug, Clone)]
pub struct Targeting {
    /// Scores, best first.
    pub sorted: Vec<f64>,
    /// cum[c] = sum of the top c scores (cum[0] = 0).
    cum: Vec<f64>,
    cum_obs: Option<Vec<f64>>,
    /// Original row of each sorted position.
    pub order: Vec<usize>,
}

impl Targeting {
    pub fn new(scores: &[f64], observed: Option<&[bool]>) -> Result<Self, RoiError> {
        if scores.is_empty() {
            return Err(RoiError::Empty);
        }
        if let Some((i, &s)) = scores
            .iter()
            .enumerate()
            .find(|(_, s)| !(0.0..=1.0).contains(*s))
        {
            return Err(RoiError::BadScore(s, i));
        }
        if let Some(o) = observed {
            if o.len() != scores.len() {
                return Err(RoiError::Length(o.len(), scores.len()));
            }
        }
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        let sorted: Vec<f64> = order.iter().map(|&i| scores[i]).collect();
        let mut cum = Vec::with_capacity(sorted.len() + 1);
        cum.push(0.0);
        for s in &sorted {
            cum.push(cum[cum.len() - 1] + s);
        }
        let cum_obs = observed.map(|o| {
            let mut c = vec![0.0];
            for &i in &order {
                c.push(c[c.len() - 1] + o[i] as u8 as f64);
            }
            c
        });
        Ok(Self {
            sorted,
            cum,
            cum_obs,
            order,
        })
    }

    pub fn len(&self) -> usize {
        self.sorted.len()
    }
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }
    pub fn base_rate(&self) -> f64 {
        self.cum[self.len()] / self.len() as f64
    }

    /// Contact exactly `c` customers (capped by the budget), best first. O(1).
    pub fn at_count(&self, e: &Economics, c: usize) -> Outcome {
        let mut c = c.min(self.len());
        let mut limited = false;
        if let Some(max) = e.max_contacts() {
            if c > max {
                c = max;
                limited = true;
            }
        }
        let expected = self.cum[c];
        let cost = e.fixed_cost + e.cost_per_contact * c as f64;
        let revenue = e.revenue_per_response * expected;
        Outcome {
            depth: c as f64 / self.len() as f64,
            contacted: c,
            expected_responses: expected,
            observed_responses: self.cum_obs.as_ref().map(|o| o[c]),
            cost,
            revenue,
            profit: revenue - cost,
            roi: (cost > 0.0).then(|| (revenue - cost) / cost),
            cpa: (expected > 0.0).then(|| cost / expected),
            budget_limited: limited,
        }
    }

    /// Contact a share of customers (0..1), best first. O(1).
    pub fn at_depth(&self, e: &Economics, depth: f64) -> Outcome {
        let c = (depth.clamp(0.0, 1.0) * self.len() as f64).round() as usize;
        self.at_count(e, c)
    }

    pub fn everyone(&self, e: &Economics) -> Outcome {
        self.at_count(e, self.len())
    }

    /// A random sample of the same size: expected responses at the base rate.
    pub fn random_same_size(&self, e: &Economics, contacted: usize) -> Outcome {
        let mut o = self.at_count(e, contacted);
        o.expected_responses = o.contacted as f64 * self.base_rate();
        o.revenue = e.revenue_per_response * o.expected_responses;
        o.profit = o.revenue - o.cost;
        o.roi = (o.cost > 0.0).then(|| o.profit / o.cost);
        o.cpa = (o.expected_responses > 0.0).then(|| o.cost / o.expected_responses);
        o.observed_responses = None;
        o
    }

    /// Profit-maximising number of contacts within the budget (ties: fewer contacts). O(n).
    pub fn optimal(&self, e: &Economics) -> Outcome {
        let max = e.max_contacts().map_or(self.len(), |m| m.min(self.len()));
        let best = (0..=max)
            .map(|c| {
                (
                    c,
                    e.revenue_per_response * self.cum[c] - e.cost_per_contact * c as f64,
                )
            })
            .fold((0, f64::NEG_INFINITY), |acc, cur| {
                if cur.1 > acc.1 {
                    cur
                } else {
                    acc
                }
            });
        self.at_count(e, best.0)
    }

    /// Profit at `points` evenly spaced depths from 0 to 1 (at least 2).
    pub fn curve(&self, e: &Economics, points: usize) -> Vec<(f64, f64)> {
        let p = points.max(2);
        (0..p)
            .map(|i| {
                let d = i as f64 / (p - 1) as f64;
                (d, self.at_depth(e, d).profit)
            })
            .collect()
    }

    /// Return on the next contact at this depth: revenue × next score / cost − 1.
    pub fn marginal_roi(&self, e: &Economics, depth: f64) -> Option<f64> {
        let c = (depth.clamp(0.0, 1.0) * self.len() as f64).round() as usize;
        let next = *self.sorted.get(c)?;
        (e.cost_per_contact > 0.0).then(|| e.revenue_per_response * next / e.cost_per_contact - 1.0)
    }
}

/// The economics of contacting one group (persona) entirely.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupOutcome {
    pub name: String,
    pub size: usize,
    pub mean_score: f64,
    pub expected_responses: f64,
    pub cost: f64,
    pub revenue: f64,
    pub profit: f64,
    pub roi: Option<f64>,
    /// Profit of contacting this group and every better one.
    pub cumulative_profit: f64,
}

/// Sum of scores and count per group (unassigned rows left out).
pub fn group_sums(scores: &[f64], groups: &[Option<usize>], k: usize) -> Vec<(f64, usize)> {
    let mut acc = vec![(0.0, 0usize); k];
    for (s, g) in scores.iter().zip(groups) {
        if let Some(g) = g.filter(|g| *g < k) {
            acc[g].0 += s;
            acc[g].1 += 1;
        }
    }
    acc
}

/// Profit per group, best first (variable costs only; the fixed cost is in the cumulative column once).
pub fn by_group(
    scores: &[f64],
    groups: &[Option<usize>],
    names: &[String],
    e: &Economics,
) -> Vec<GroupOutcome> {
    by_group_sums(&group_sums(scores, groups, names.len()), names, e)
}

/// `by_group` from precomputed sums: O(groups), cheap enough for every frame.
pub fn by_group_sums(sums: &[(f64, usize)], names: &[String], e: &Economics) -> Vec<GroupOutcome> {
    let mut out: Vec<GroupOutcome> = names
        .iter()
        .zip(sums)
        .map(|(n, &(sum, size))| {
            let cost = e.cost_per_contact * size as f64;
            let revenue = e.revenue_per_response * sum;
            GroupOutcome {
                name: n.clone(),
                size,
                mean_score: sum / size.max(1) as f64,
                expected_responses: sum,
                cost,
                revenue,
                profit: revenue - cost,
                roi: (cost > 0.0).then(|| (revenue - cost) / cost),
                cumulative_profit: 0.0,
            }
        })
        .collect();
    out.sort_by(|a, b| b.profit.total_cmp(&a.profit));
    let mut running = -e.fixed_cost;
    for g in out.iter_mut() {
        running += g.profit;
        g.cumulative_profit = running;
    }
    out
}
