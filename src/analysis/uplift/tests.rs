//! Shared test helpers (the deterministic data generator that `reference/gen.py` mirrors line for line)
//! and the checks on every error message.

use super::qini::TopK;
use super::UpliftError;

/// splitmix64, bit-identical to `reference/gen.py::SplitMix64`.
pub(super) struct SplitMix64(u64);

impl SplitMix64 {
    pub(super) fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// In [0, 1): the top 53 bits times 2⁻⁵³ (exact).
    pub(super) fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }
}

/// `gen.py::qini_rows`: converted (0/1), revenue, tied score (k/40), continuous score, treated.
pub(super) struct QiniRows {
    pub converted: Vec<f64>,
    pub revenue: Vec<f64>,
    pub tied: Vec<f64>,
    pub score: Vec<f64>,
    pub treated: Vec<bool>,
}

pub(super) fn qini_rows(n: usize, seed: u64) -> QiniRows {
    let mut rng = SplitMix64::new(seed);
    let mut rows = QiniRows {
        converted: Vec::with_capacity(n),
        revenue: Vec::with_capacity(n),
        tied: Vec::with_capacity(n),
        score: Vec::with_capacity(n),
        treated: Vec::with_capacity(n),
    };
    for _ in 0..n {
        let u: Vec<f64> = (0..5).map(|_| rng.uniform()).collect();
        let treated = u[0] < 0.5;
        let s = u[1];
        let p = 0.1 + 0.1 * u[2] + if treated { 0.3 * s - 0.05 } else { 0.0 };
        let c = if u[3] < p { 1.0 } else { 0.0 };
        rows.converted.push(c);
        rows.revenue.push(c * (20.0 + 80.0 * u[4]));
        rows.tied.push((s * 40.0).floor() / 40.0);
        rows.score.push(s);
        rows.treated.push(treated);
    }
    rows
}

/// `gen.py::cuped_rows`: arm (0/1/2), outcome, pre-period x1, pre-period x2.
pub(super) fn cuped_rows(n: usize, seed: u64) -> (Vec<usize>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut rng = SplitMix64::new(seed);
    let (mut arm, mut y, mut x1, mut x2) = (vec![], vec![], vec![], vec![]);
    for _ in 0..n {
        let u: Vec<f64> = (0..7).map(|_| rng.uniform()).collect();
        let a = if u[0] < 0.4 {
            0
        } else if u[0] < 0.7 {
            1
        } else {
            2
        };
        let shared = u[1] + u[2];
        let v1 = 10.0 * (shared + u[3]);
        let v2 = 4.0 * (shared + u[4]) + 2.0 * u[3];
        let noise = 6.0 * (u[5] + u[6] - 1.0);
        let effect = [0.0, 1.5, 0.4][a];
        arm.push(a);
        y.push(3.0 + 0.8 * v1 + 0.5 * v2 + noise + effect);
        x1.push(v1);
        x2.push(v2);
    }
    (arm, y, x1, x2)
}

/// |actual − expected| ≤ rel · max(|expected|, 1e-300), with a message naming the figure.
pub(super) fn assert_close(what: &str, actual: f64, expected: f64, rel: f64) {
    let scale = expected.abs().max(1e-300);
    assert!(
        (actual - expected).abs() <= rel * scale,
        "{what}: got {actual:e}, reference {expected:e} (rel tol {rel:e})"
    );
}

#[test]
fn generator_matches_python() {
    // python3 -c "import sys; sys.path.insert(0, 'reference'); from gen import SplitMix64;
    //   r = SplitMix64(42); print([r.next_u64() for _ in range(3)], SplitMix64(7).uniform())"
    let mut rng = SplitMix64::new(42);
    let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
    assert_eq!(
        first,
        [
            13679457532755275413,
            2949826092126892291,
            5139283748462763858
        ]
    );
    assert_eq!(SplitMix64::new(7).uniform(), 0.3898297483912715);
}

#[test]
fn every_error_reads_as_one_actionable_line() {
    let cases: Vec<(UpliftError, &str)> = vec![
        (UpliftError::TooFewArms { arms: vec!["control".into()] }, "the treatment column has only one arm ('control'): a readout needs a control and at least one treated arm"),
        (UpliftError::TooFewArms { arms: vec![] }, "the treatment column has no arms"),
        (UpliftError::LengthMismatch { column: "spend".into(), expected: 10, found: 9 }, "'spend' has 9 values but there are 10 rows"),
        (UpliftError::ArmOutOfRange { row: 4, index: 3, arms: 2 }, "row 4 is assigned to arm #3 but only 2 arms"),
        (UpliftError::NotFinite { column: "spend".into(), row: 2 }, "'spend' is missing or not a finite number in row 2"),
        (UpliftError::EmptyArm { arm: "sms".into() }, "arm 'sms' has no rows"),
        (UpliftError::TooFewRows { arm: "sms".into(), rows: 1 }, "arm 'sms' has only 1 row"),
        (UpliftError::ConstantOutcome { outcome: "converted".into(), control: "control".into(), control_value: 0.0, treated: "email".into(), treated_value: 1.0 }, "'converted' is constant in both 'control' (always 0) and 'email' (always 1)"),
        (UpliftError::SharesMismatch { shares: 3, arms: 2 }, "3 planned shares were given for 2 arms"),
        (UpliftError::InvalidShare { arm: "sms".into(), share: -0.5 }, "the planned share of arm 'sms' is -0.5"),
        (UpliftError::NoRows, "no rows were counted in any arm"),
        (UpliftError::NoCovariates, "CUPED needs at least one pre-period covariate"),
        (UpliftError::CollinearCovariate { covariate: "visits".into(), control: "control".into(), treated: "email".into() }, "covariate 'visits' is constant or a combination of the other covariates within 'control' and 'email'"),
        (UpliftError::InvalidProbability { what: "baseline rate", value: 1.5 }, "the baseline rate must be strictly between 0 and 1, got 1.5"),
        (UpliftError::ZeroEffect { mde: 0.0 }, "the minimum detectable effect is 0"),
        (UpliftError::SampleTooLarge { rows: 2e20 }, "detecting this effect would take about 2.000e20 rows per arm"),
        (UpliftError::MissingGroup { group: "control" }, "there are no control rows"),
        (UpliftError::NonBinaryOutcome { row: 3, value: 12.5 }, "the outcome is 12.5 in row 3"),
        (UpliftError::InvalidTopK { k: TopK::Fraction(1.5), max_rows: 39 }, "k = 1.5 is out of range: use a fraction strictly between 0 and 1, or a row count between 1 and 39"),
        (UpliftError::InvalidTopK { k: TopK::Rows(40), max_rows: 39 }, "k = 40 rows is out of range"),
        (UpliftError::EmptyTopGroup { group: "control", rows: 3 }, "the top 3 rows by score contain no control rows"),
        (UpliftError::InvalidBins { bins: 0, rows: 40 }, "0 bins cannot split 40 rows"),
        (UpliftError::DegenerateCurve { curve: "Qini" }, "the perfect Qini curve is no better than random targeting"),
    ];
    for (error, start) in cases {
        let message = error.to_string();
        assert!(
            message.starts_with(start),
            "{message:?} should start with {start:?}"
        );
        assert!(!message.contains('\n'), "{message:?} should be one line");
        let _: &dyn std::error::Error = &error;
    }
}
