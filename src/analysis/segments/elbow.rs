//! Choosing k: the silhouette on a seeded sample and the Kneedle elbow of the inertia curve.

use ndarray::{Array2, Axis};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use serde::Serialize;

use rayon::prelude::*;

use crate::analysis::segments::cluster::{sq_dist, SweepPoint};

/// What the curve says about k, in numbers and words.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ElbowVerdict {
    pub elbow_k: Option<usize>,
    pub silhouette_k: Option<usize>,
    pub clear: bool,
    pub message: String,
}

/// Seeded sample of row indices (all rows when there are at most `max`).
pub fn sample_rows(n: usize, max: usize, seed: u64) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    if n > max {
        let mut rng = Xoshiro256Plus::seed_from_u64(seed);
        idx.shuffle(&mut rng);
        idx.truncate(max);
        idx.sort_unstable();
    }
    idx
}

/// Mean silhouette over `rows` (scikit-learn's definition; a point alone in its cluster scores 0).
pub fn silhouette(x: &Array2<f64>, labels: &[usize], rows: &[usize]) -> Option<f64> {
    let k = labels.iter().copied().max()? + 1;
    if k < 2 || rows.len() < 2 {
        return None;
    }
    // the sample gathered into one small matrix; each row's score computed in parallel, summed in order
    let xs = x.select(Axis(0), rows);
    let ls: Vec<usize> = rows.iter().map(|&i| labels[i]).collect();
    let per_row: Vec<f64> = (0..rows.len())
        .into_par_iter()
        .map(|i| {
            let mut sum = vec![0.0; k];
            let mut cnt = vec![0usize; k];
            for (j, &lj) in ls.iter().enumerate() {
                if i == j {
                    continue;
                }
                sum[lj] += sq_dist(xs.row(i), xs.row(j)).sqrt();
                cnt[lj] += 1;
            }
            let own = ls[i];
            if cnt[own] == 0 {
                return 0.0; // s = 0 for a singleton
            }
            let a = sum[own] / cnt[own] as f64;
            let b = (0..k)
                .filter(|&c| c != own && cnt[c] > 0)
                .map(|c| sum[c] / cnt[c] as f64)
                .fold(f64::INFINITY, f64::min);
            if b.is_finite() && a.max(b) > 0.0 {
                (b - a) / a.max(b)
            } else {
                0.0
            }
        })
        .collect();
    Some(per_row.iter().sum::<f64>() / rows.len() as f64)
}

/// Normalised distance below the chord under which no k "stands out" (the bend must also be sharp: see
/// `elbow`).
pub const CLEAR_ELBOW: f64 = 0.1;

/// Kneedle / chord rule: normalise k and inertia to [0, 1]; the elbow is the k farthest below the straight
/// line from the first to the last point.
pub fn elbow(points: &[SweepPoint]) -> ElbowVerdict {
    let silhouette_k = points
        .iter()
        .filter_map(|p| p.silhouette.map(|s| (p.k, s)))
        .fold(None, |acc: Option<(usize, f64)>, cur| match acc {
            Some(a) if a.1 >= cur.1 => Some(a),
            _ => Some(cur),
        })
        .map(|p| p.0);
    let sil_words = silhouette_k
        .map(|k| format!("silhouette prefers k = {k}"))
        .unwrap_or_default();
    if points.len() < 3 {
        return ElbowVerdict {
            elbow_k: None,
            silhouette_k,
            clear: false,
            message: format!("too few k values for an elbow; {sil_words}"),
        };
    }
    let (k0, k1) = (points[0].k as f64, points[points.len() - 1].k as f64);
    let hi = points
        .iter()
        .map(|p| p.inertia)
        .fold(f64::NEG_INFINITY, f64::max);
    let lo = points
        .iter()
        .map(|p| p.inertia)
        .fold(f64::INFINITY, f64::min);
    let span = (hi - lo).max(1e-12);
    let (y0, y1) = (
        (points[0].inertia - lo) / span,
        (points[points.len() - 1].inertia - lo) / span,
    );
    let (best_k, best_d) = points
        .iter()
        .map(|p| {
            let xn = (p.k as f64 - k0) / (k1 - k0);
            let yn = (p.inertia - lo) / span;
            (p.k, (y0 + (y1 - y0) * xn) - yn)
        })
        .fold((points[0].k, f64::NEG_INFINITY), |acc, cur| {
            if cur.1 > acc.1 {
                cur
            } else {
                acc
            }
        });
    // A real elbow is a sharp bend: the drop into it is at least twice the drop out of it.
    let i = points.iter().position(|p| p.k == best_k).unwrap_or(0);
    let sharp = i == 0
        || i + 1 >= points.len()
        || (points[i - 1].inertia - points[i].inertia)
            >= 2.0 * (points[i].inertia - points[i + 1].inertia);
    let clear = best_d >= CLEAR_ELBOW && sharp;
    let elbow_k = Some(best_k);
    let message = match (clear, silhouette_k) {
        (false, _) => format!("no clear elbow: the curve bends gently; {sil_words}"),
        (true, Some(s)) if s == best_k => format!("k = {best_k}: elbow and silhouette agree"),
        (true, Some(s)) => format!("elbow at k = {best_k}; silhouette prefers k = {s}"),
        (true, None) => format!("elbow at k = {best_k}"),
    };
    ElbowVerdict {
        elbow_k,
        silhouette_k,
        clear,
        message,
    }
}
