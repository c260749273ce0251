//! Gradient and hessian histograms of the rows of a node over the binned features, for gradient boosting.

use rayon::prelude::*;

use crate::analysis::models::tree::{Binned, MAX_BINS};

#[derive(Debug, Clone, Copy, Default)]
pub struct Bin {
    pub g: f64,
    pub h: f64,
    pub n: u32,
}

/// The fitted rows in the rarer bin of each two-bin feature (one-hot levels, flags) and the node each row
/// is in: such a feature's histogram for a node is then the rare bin's sums over those rows (usually a
/// small share of the node) with the other bin the node's totals minus them.
pub struct Sparse {
    /// Per feature: the rows in its rarer bin (0 or 1) and which bin that is.
    pub ones: Vec<Option<(Vec<u32>, usize)>>,
    pub node_of: Vec<u32>,
}

impl Sparse {
    /// Two-bin features of `binned`, by their rarer bin among `rows`.
    pub fn new(binned: &Binned, rows: &[usize], n: usize) -> Sparse {
        let ones = binned
            .bins
            .par_iter()
            .zip(&binned.edges)
            .map(|(bins, edges)| {
                if edges.len() != 1 {
                    return None;
                }
                let ones = rows.iter().filter(|&&r| bins[r] == 1).count();
                let rare = u8::from(ones <= rows.len() / 2);
                let list: Vec<u32> = rows
                    .iter()
                    .filter(|&&r| bins[r] == rare)
                    .map(|&r| r as u32)
                    .collect();
                Some((list, rare as usize))
            })
            .collect();
        Sparse {
            ones,
            node_of: vec![u32::MAX; n],
        }
    }
}

/// A node's histogram request: which node (in `Sparse::node_of`) and its gradient, hessian and row totals.
pub struct NodeTotals<'a> {
    pub sparse: &'a Sparse,
    pub node: u32,
    pub g: f64,
    pub h: f64,
}

/// Gradient and hessian sums per (feature, bin) over `rows` (ascending row numbers stream through the
/// bin columns). Four interleaved partial histograms per feature: with two-valued features most rows
/// land in one bin, and a single accumulator would make every addition wait for the previous one.
pub fn histogram(
    binned: &Binned,
    rows: &[u32],
    grad: &[(f32, f32)],
    totals: Option<&NodeTotals>,
) -> Vec<Bin> {
    let p = binned.bins.len();
    let ordered: Vec<(f32, f32)> = rows.iter().map(|&r| grad[r as usize]).collect();
    let mut hist = vec![Bin::default(); p * MAX_BINS];
    let fill = |(j, hj): (usize, &mut [Bin])| {
        let bins = &binned.bins[j];
        if let Some(t) = totals {
            if let Some((ones, rare)) = t.sparse.ones[j].as_ref().filter(|o| o.0.len() < rows.len())
            {
                let (mut g1, mut h1, mut n1) = (0.0, 0.0, 0u32);
                for &r in ones {
                    if t.sparse.node_of[r as usize] == t.node {
                        let (g, h) = grad[r as usize];
                        g1 += g as f64;
                        h1 += h as f64;
                        n1 += 1;
                    }
                }
                hj[*rare] = Bin {
                    g: g1,
                    h: h1,
                    n: n1,
                };
                hj[1 - rare] = Bin {
                    g: t.g - g1,
                    h: t.h - h1,
                    n: rows.len() as u32 - n1,
                };
                return;
            }
        }
        if rows.len() < 2048 {
            // small nodes: zeroing four partial histograms would cost more than it saves
            for (&r, &(g, h)) in rows.iter().zip(&ordered) {
                let c = &mut hj[bins[r as usize] as usize];
                c.g += g as f64;
                c.h += h as f64;
                c.n += 1;
            }
            return;
        }
        let mut part = vec![[0f64; 3]; 4 * MAX_BINS];
        let mut quads = rows.chunks_exact(4).zip(ordered.chunks_exact(4));
        for (r4, g4) in &mut quads {
            for k in 0..4 {
                let c = &mut part[k * MAX_BINS + bins[r4[k] as usize] as usize];
                c[0] += g4[k].0 as f64;
                c[1] += g4[k].1 as f64;
                c[2] += 1.0;
            }
        }
        let tail = rows.len() - rows.len() % 4;
        for (&r, &(g, h)) in rows[tail..].iter().zip(&ordered[tail..]) {
            let c = &mut part[bins[r as usize] as usize];
            c[0] += g as f64;
            c[1] += h as f64;
            c[2] += 1.0;
        }
        for (b, cell) in hj.iter_mut().enumerate() {
            for k in 0..4 {
                let c = part[k * MAX_BINS + b];
                cell.g += c[0];
                cell.h += c[1];
                cell.n += c[2] as u32;
            }
        }
    };
    if rows.len() < 4096 {
        hist.chunks_mut(MAX_BINS).enumerate().for_each(fill);
    } else {
        hist.par_chunks_mut(MAX_BINS).enumerate().for_each(fill);
    }
    hist
}
