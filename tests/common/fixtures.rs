//! Fixtures shared by the model tests, made the same way by the Python cross-check scripts.

use ndarray::Array2;

/// The same integer LCG as the Python cross-check script (numbers identical in both languages).
pub fn lcg(n: usize, seed: u64) -> Vec<f64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = (1_664_525 * s + 1_013_904_223) % (1 << 32);
            s as f64 / (1u64 << 32) as f64
        })
        .collect()
}

/// Four blobs in 3-D, 400 points, uniform noise of width 2.4 around (0,0,0), (6,0,1), (0,6,2), (6,6,3).
pub fn blobs() -> Array2<f64> {
    let u = lcg(1200, 7);
    let centers = [
        [0.0, 0.0, 0.0],
        [6.0, 0.0, 1.0],
        [0.0, 6.0, 2.0],
        [6.0, 6.0, 3.0],
    ];
    Array2::from_shape_fn((400, 3), |(i, j)| {
        centers[i % 4][j] + (u[3 * i + j] - 0.5) * 2.4
    })
}
