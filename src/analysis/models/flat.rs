//! Fitted trees in the compact form the ensembles score with: 16-byte nodes, children side by side
//! (`left`, `left + 1`), `x <= threshold` goes left, so a step is one comparison and no branch on the
//! direction. Rows are scored in blocks, tree by tree, so a tree's nodes stay in cache.

use ndarray::ArrayView2;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// A split (`feature < LEAF`) on `value` as threshold, or a leaf (`feature == LEAF`) whose output is
/// `value`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FlatNode {
    pub feature: u32,
    pub left: u32,
    pub value: f64,
}

pub const LEAF: u32 = u32::MAX;

/// One tree's output for one row.
#[inline]
pub fn eval(nodes: &[FlatNode], row: &[f64]) -> f64 {
    let mut v = 0usize;
    loop {
        let n = nodes[v];
        if n.feature == LEAF {
            return n.value;
        }
        v = n.left as usize + (row[n.feature as usize] > n.value) as usize;
    }
}

const BLOCK: usize = 256;

/// Σ over `trees` of each row's output, rows in parallel blocks.
pub fn sum_trees(trees: &[Vec<FlatNode>], x: ArrayView2<f64>) -> Vec<f64> {
    let n = x.nrows();
    let p = x.ncols();
    let mut out = vec![0.0; n];
    out.par_chunks_mut(BLOCK)
        .enumerate()
        .for_each(|(c, chunk)| {
            let start = c * BLOCK;
            let mut rows: Vec<f64> = Vec::with_capacity(chunk.len() * p);
            for i in 0..chunk.len() {
                rows.extend(x.row(start + i).iter());
            }
            for t in trees {
                for (i, o) in chunk.iter_mut().enumerate() {
                    *o += eval(t, &rows[i * p..(i + 1) * p]);
                }
            }
        });
    out
}

/// Each (row, tree)'s output and which features its path tests (bit `feature % 64`), so that
/// shuffling one column re-evaluates only the paths that test it (permutation importance).
pub struct PathCache {
    trees: usize,
    values: Vec<f64>,
    masks: Vec<u64>,
}

fn eval_path(nodes: &[FlatNode], row: &[f64]) -> (f64, u64) {
    let mut v = 0usize;
    let mut mask = 0u64;
    loop {
        let n = nodes[v];
        if n.feature == LEAF {
            return (n.value, mask);
        }
        mask |= 1u64 << (n.feature % 64);
        v = n.left as usize + (row[n.feature as usize] > n.value) as usize;
    }
}

impl PathCache {
    pub fn new(trees: &[Vec<FlatNode>], x: ArrayView2<f64>) -> PathCache {
        let k = trees.len();
        let per_row: Vec<(Vec<f64>, Vec<u64>)> = (0..x.nrows())
            .into_par_iter()
            .map(|i| {
                let row: Vec<f64> = x.row(i).to_vec();
                trees.iter().map(|t| eval_path(t, &row)).unzip()
            })
            .collect();
        let mut values = Vec::with_capacity(x.nrows() * k);
        let mut masks = Vec::with_capacity(x.nrows() * k);
        for (v, m) in per_row {
            values.extend(v);
            masks.extend(m);
        }
        PathCache {
            trees: k,
            values,
            masks,
        }
    }

    /// Σ over trees for every row of `x`, where `x` differs from the cached rows in column `j` only.
    pub fn sum_with_column(
        &self,
        trees: &[Vec<FlatNode>],
        x: ArrayView2<f64>,
        j: usize,
    ) -> Vec<f64> {
        let bit = 1u64 << (j % 64);
        (0..x.nrows())
            .into_par_iter()
            .map(|i| {
                let at = i * self.trees;
                let row: Vec<f64> = x.row(i).to_vec();
                let mut s = 0.0;
                for (t, nodes) in trees.iter().enumerate() {
                    s += if self.masks[at + t] & bit != 0 {
                        eval(nodes, &row)
                    } else {
                        self.values[at + t]
                    };
                }
                s
            })
            .collect()
    }

    /// Σ over trees for every cached row.
    pub fn sums(&self) -> Vec<f64> {
        self.values
            .chunks(self.trees.max(1))
            .map(|c| c.iter().sum())
            .collect()
    }
}
