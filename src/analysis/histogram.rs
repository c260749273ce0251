//! Gradient and hessian histograms of the rows of a node over the binned features, for gradient boosting.

use rayon::prelude::*;

use super::tree::{Binned, MAX_BINS};

#[derive(Debug, Clone, Copy, Default)]
pub struct Bin {
    pub g: f64,
    pub h: f64,
    pub n: u32,
}

/// Gradient and hessian sums per (feature, bin) over `rows` (ascending row numbers stream through the
/// bin columns). Four interleaved partial histograms per feature: with two-valued features most rows
/// land in one bin, and a single accumulator would make every addition wait for the previous one.
pub fn histogram(binned: &Binned, rows: &[u32], grad: &[(f32, f32)]) -> Vec<Bin> {
    let p = binned.bins.len();
    let ordered: Vec<(f32, f32)> = rows.iter().map(|&r| grad[r as usize]).collect();
    let mut hist = vec![Bin::default(); p * MAX_BINS];
    let fill = |(j, hj): (usize, &mut [Bin])| {
        let bins = &binned.bins[j];
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
