//! Normal, Student-t and chi-square distribution functions, built on the regularised incomplete gamma
//! (series + continued fraction) and incomplete beta (Numerical Recipes' `betacf`) functions.
//!
//! Invalid parameters (a probability outside [0, 1], df ≤ 0, NaN) give NaN, as scipy does: callers that
//! face user data validate it first.

mod incomplete;

use incomplete::{incomplete_beta, ln_beta};
pub use incomplete::{regularized_beta, regularized_gamma_p, regularized_gamma_q};

/// Standard normal cumulative distribution function Φ(x), accurate to about 1e-15 relative in both tails.
pub fn normal_cdf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    // Φ(x) = erfc(−x/√2)/2 and erfc(z) = Q(1/2, z²) for z ≥ 0.
    let half_tail = 0.5 * regularized_gamma_q(0.5, 0.5 * x * x);
    if x < 0.0 {
        half_tail
    } else {
        1.0 - half_tail
    }
}

/// Standard normal survival function 1 − Φ(x), without the cancellation of computing 1 − Φ(x).
pub fn normal_sf(x: f64) -> f64 {
    normal_cdf(-x)
}

/// AS 241 coefficients, constant term first: |p − ½| ≤ 0.425 ("central"), r = √(−ln min(p, 1 − p))
/// ≤ 5 ("near") and r > 5 ("far"). Written as published (hence the excess digits).
#[rustfmt::skip]
#[allow(clippy::excessive_precision)]
const CENTRAL_NUM: [f64; 8] = [
    3.3871328727963666080e0, 1.3314166789178437745e2, 1.9715909503065514427e3, 1.3731693765509461125e4,
    4.5921953931549871457e4, 6.7265770927008700853e4, 3.3430575583588128105e4, 2.5090809287301226727e3,
];
#[rustfmt::skip]
#[allow(clippy::excessive_precision)]
const CENTRAL_DEN: [f64; 8] = [
    1.0, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3,
    2.1213794301586595867e4, 3.9307895800092710610e4, 2.8729085735721942674e4, 5.2264952788528545610e3,
];
#[rustfmt::skip]
#[allow(clippy::excessive_precision)]
const NEAR_NUM: [f64; 8] = [
    1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0, 3.64784832476320460504e0,
    1.27045825245236838258e0, 2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4,
];
#[rustfmt::skip]
#[allow(clippy::excessive_precision)]
const NEAR_DEN: [f64; 8] = [
    1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
    1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4, 1.05075007164441684324e-9,
];
#[rustfmt::skip]
#[allow(clippy::excessive_precision)]
const FAR_NUM: [f64; 8] = [
    6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0, 2.96560571828504891230e-1,
    2.65321895265761230930e-2, 1.24266094738807843860e-3, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
#[rustfmt::skip]
#[allow(clippy::excessive_precision)]
const FAR_DEN: [f64; 8] = [
    1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
    7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7, 2.04426310338993978564e-15,
];

/// Standard normal quantile Φ⁻¹(p) by Wichura's algorithm AS 241 (PPND16, about 1e-16 relative);
/// −∞ at p = 0, +∞ at p = 1.
pub fn normal_quantile(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * horner(&CENTRAL_NUM, r) / horner(&CENTRAL_DEN, r);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = (-tail.ln()).sqrt();
    let x = if r <= 5.0 {
        let r = r - 1.6;
        horner(&NEAR_NUM, r) / horner(&NEAR_DEN, r)
    } else {
        let r = r - 5.0;
        horner(&FAR_NUM, r) / horner(&FAR_DEN, r)
    };
    if q < 0.0 {
        -x
    } else {
        x
    }
}

/// Evaluates c₀ + c₁x + … + cₙxⁿ.
fn horner(coefficients: &[f64], x: f64) -> f64 {
    coefficients.iter().rev().fold(0.0, |acc, c| acc * x + c)
}

/// Student-t cumulative distribution function P(T ≤ t) with `df` > 0 degrees of freedom (df may be
/// fractional, as Welch–Satterthwaite gives; +∞ means the normal).
pub fn student_t_cdf(t: f64, df: f64) -> f64 {
    student_t_sf(-t, df)
}

/// Student-t survival function P(T > t); the two-sided p-value of a t statistic is
/// `2.0 * student_t_sf(t.abs(), df)`, exact in the far tail.
pub fn student_t_sf(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if df.is_infinite() {
        return normal_sf(t);
    }
    let t2 = t * t;
    // P(|T| > |t|) = I_x(df/2, 1/2) with x = df / (df + t²); 1 − x and ln x = −ln(1 + t²/df) are
    // computed directly, since df/2 · ln x would amplify the rounding of x when df is large.
    let two_sided = if t2.is_infinite() {
        0.0
    } else {
        let y = t2 / (df + t2);
        let ln_x = -(t2 / df).ln_1p();
        incomplete_beta(0.5 * df, 0.5, (df / (df + t2), ln_x), (y, y.ln()))
    };
    if t > 0.0 {
        0.5 * two_sided
    } else {
        1.0 - 0.5 * two_sided
    }
}

/// Student-t probability density.
fn student_t_pdf(t: f64, df: f64) -> f64 {
    let log_kernel = -0.5 * (df + 1.0) * (t * t / df).ln_1p();
    (log_kernel - 0.5 * df.ln() - ln_beta(0.5 * df, 0.5)).exp()
}

/// P(0 < T < |t|) = I_y(1/2, df/2) / 2 with y = t² / (df + t²): the centre mass, accurate in relative
/// terms for small t where 1/2 − sf(t) is not.
fn student_t_centre(t: f64, df: f64) -> f64 {
    let t2 = t * t;
    if t2.is_infinite() {
        return 0.5;
    }
    let y = t2 / (df + t2);
    let ln_x = -(t2 / df).ln_1p();
    0.5 * incomplete_beta(0.5, 0.5 * df, (y, y.ln()), (df / (df + t2), ln_x))
}

/// Student-t quantile: the t with P(T ≤ t) = p, by safeguarded Newton steps (bisection whenever a step
/// leaves the bracket) on the centre mass for p near 1/2 and on the survival function in the tails;
/// ±∞ at p = 0 and p = 1.
pub fn student_t_quantile(p: f64, df: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if df.is_infinite() {
        return normal_quantile(p);
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    if p == 0.5 {
        return 0.0;
    }
    // Solve for t > 0 an increasing g(t) = 0; p − 1/2 and 1 − p are exact in the ranges used.
    let tail = if p < 0.5 { p } else { 1.0 - p };
    let centre = (p - 0.5).abs();
    let g = |t: f64| {
        if centre < 0.25 {
            student_t_centre(t, df) - centre
        } else {
            tail - student_t_sf(t, df)
        }
    };
    let mut lo = 0.0;
    let mut hi = 1.0_f64.max(-normal_quantile(tail));
    while g(hi) < 0.0 && hi < f64::MAX / 4.0 {
        lo = hi;
        hi *= 2.0;
    }
    let mut t = (-normal_quantile(tail)).clamp(lo, hi);
    for _ in 0..500 {
        let f = g(t);
        if f == 0.0 {
            break;
        }
        if f < 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        let newton = t - f / student_t_pdf(t, df);
        let next = if newton.is_finite() && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        let done = (next - t).abs() <= 4.0 * f64::EPSILON * next.abs();
        t = next;
        if done || hi - lo <= 4.0 * f64::EPSILON * hi {
            break;
        }
    }
    if p < 0.5 {
        -t
    } else {
        t
    }
}

/// Chi-square survival function P(X > x) with `df` > 0 degrees of freedom: Q(df/2, x/2).
pub fn chi2_sf(x: f64, df: f64) -> f64 {
    if x.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    regularized_gamma_q(0.5 * df, 0.5 * x)
}

#[cfg(test)]
mod tests;
