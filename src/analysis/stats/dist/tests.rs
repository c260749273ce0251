//! Checks against scipy 1.17: every literal below was printed by `reference/dist_reference.py`, with
//! the scipy call that produced each table named above it.

use super::*;

/// |actual − expected| ≤ rel · |expected| (or ≤ rel when expected is 0).
fn close(actual: f64, expected: f64, rel: f64) -> bool {
    if expected == 0.0 {
        return actual.abs() <= rel;
    }
    (actual - expected).abs() <= rel * expected.abs()
}

fn check(what: &str, actual: f64, expected: f64, rel: f64) {
    assert!(
        close(actual, expected, rel),
        "{what}: got {actual:e}, scipy {expected:e} (rel tol {rel:e})"
    );
}

/// `scipy.stats.norm.cdf(x)`
const NORM_CDF: &[(f64, f64)] = &[
    (-38.0, 0.0),
    (-10.0, 7.61985302416047e-24),
    (-5.0, 2.866515718791933e-07),
    (-1.96, 0.024997895148220435),
    (-1.0, 0.15865525393145707),
    (-0.3, 0.3820885778110474),
    (0.0, 0.5),
    (0.5, 0.6914624612740131),
    (1.2, 0.8849303297782918),
    (3.0, 0.9986501019683699),
    (8.5, 1.0),
];

/// `scipy.stats.norm.sf(x)`
const NORM_SF: &[(f64, f64)] = &[
    (2.0, 0.022750131948179195),
    (5.0, 2.866515718791933e-07),
    (10.0, 7.61985302416047e-24),
    (20.0, 2.7536241186061556e-89),
    (37.5, 4.605353009581954e-308),
];

/// `scipy.stats.norm.ppf(p)`
const NORM_PPF: &[(f64, f64)] = &[
    (1e-300, -37.0470962993612),
    (1e-20, -9.262340089798409),
    (1e-10, -6.361340902404056),
    (0.001, -3.090232306167813),
    (0.025, -1.9599639845400545),
    (0.1, -1.2815515655446004),
    (0.3, -0.5244005127080409),
    (0.5, 0.0),
    (0.7, 0.5244005127080407),
    (0.975, 1.959963984540054),
    (0.999999, 4.753424308817087),
    (0.999999999999, 7.0344869100478356),
];

/// `scipy.stats.t.cdf(t, df)`
const T_CDF: &[(f64, f64, f64)] = &[
    (-3.0, 1.0, 0.10241638234956672),
    (0.5, 1.0, 0.6475836176504333),
    (2.0, 2.5, 0.9213042521210171),
    (-1.7, 7.3, 0.0655826841765435),
    (1.96, 30.0, 0.9703288435519748),
    (4.0, 12.0, 0.9991191518778025),
    (2.2, 10000.0, 0.9860851568366324),
    (-3.1, 1000000.0, 0.0009676300756620406),
    (0.1, 0.7, 0.5293453084240403),
    (40.0, 3.0, 0.9999828096596054),
    (-8.0, 5.0, 0.0002464533302862221),
    (0.001, 50.0, 0.5003969526122491),
    (-25.0, 200.0, 9.269548053746297e-64),
];

/// `scipy.stats.t.sf(t, df)`
const T_SF: &[(f64, f64, f64)] = &[
    (12.0, 20.0, 6.79777851294033e-11),
    (40.0, 3.0, 1.7190340394579253e-05),
    (6.0, 100000.0, 9.899647278008859e-10),
    (30.0, 1000000.0, 6.010047116832059e-198),
    (1.0, 1.0, 0.25000000000000006),
];

/// `scipy.stats.t.ppf(p, df)`
const T_PPF: &[(f64, f64, f64)] = &[
    (0.975, 1.0, 12.706204736174694),
    (0.975, 2.0, 4.302652729749462),
    (0.975, 2.5, 3.5746548420036817),
    (0.975, 7.3, 2.345066736547703),
    (0.975, 30.0, 2.0422724563012378),
    (0.975, 1000.0, 1.9623390808264083),
    (0.975, 1000000.0, 1.959966356814107),
    (1e-08, 3.0, -479.5250695797382),
    (0.4, 5.0, -0.2671808657041451),
    (0.999, 1.5, 52.18443000899263),
    (0.01, 0.5, -1028.4910104716218),
    (1e-12, 1.0, -318309886183.7907),
    (0.95, 123.456, 1.6572899410418127),
];

/// `scipy.stats.chi2.sf(x, df)`
const CHI2_SF: &[(f64, f64, f64)] = &[
    (0.5, 1.0, 0.47950012218695337),
    (3.84, 1.0, 0.05004352124870519),
    (10.0, 3.0, 0.01856613546304325),
    (50.0, 4.0, 3.610865404890647e-10),
    (150.0, 9.0, 8.819629954805395e-28),
    (0.01, 2.0, 0.9950124791926823),
    (7.5, 7.0, 0.37873690604821353),
    (1000.0, 10.0, 1.870290720915977e-208),
    (25.0, 0.5, 1.4641545135245798e-07),
    (99.0, 100.0, 0.5094721987983741),
    (0.2, 30.0, 1.0),
];

/// `scipy.special.gammainc(a, x)`
const GAMMA_P: &[(f64, f64, f64)] = &[
    (0.5, 0.1, 0.34527915398142317),
    (2.0, 1.5, 0.4421745996289252),
    (10.0, 12.0, 0.7576078383294875),
    (3.3, 0.7, 0.020513378677122704),
    (50.0, 40.0, 0.07033506665939494),
];

/// `scipy.special.gammaincc(a, x)`
const GAMMA_Q: &[(f64, f64, f64)] = &[
    (0.5, 0.1, 0.6547208460185768),
    (2.0, 1.5, 0.5578254003710748),
    (10.0, 12.0, 0.24239216167051245),
    (3.3, 0.7, 0.9794866213228773),
    (50.0, 40.0, 0.9296649333406051),
];

/// `scipy.special.betainc(a, b, x)`
const BETAINC: &[(f64, f64, f64, f64)] = &[
    (0.2, 2.0, 3.0, 0.18080000000000004),
    (0.9, 0.5, 0.5, 0.7951672353008665),
    (0.5, 10.0, 0.5, 0.00023344743474862207),
    (0.01, 1.5, 20.0, 0.06120371478345899),
    (0.999, 300.0, 2.0, 0.9629191418029293),
];

/// `scipy.special.gammaln(x)`
const GAMMALN: &[(f64, f64)] = &[
    (1e-05, 11.512919692895826),
    (0.5, 0.5723649429247),
    (1.5, -0.12078223763524526),
    (3.5, 1.2009736023470743),
    (7.25, 7.0521854507385395),
    (20.0, 39.339884187199495),
    (1000.0, 5905.220423209181),
];

/// `mpmath t quantile near 1/2 (see t_ppf_centre)`
const T_PPF_CENTRE: &[(f64, f64, f64)] = &[
    (0.5000001, 10.0, 2.5699780335778006e-07),
    (0.500000001, 3.5, 2.689818079740443e-09),
    (0.49, 100000.0, -0.025068970970446705),
];

#[test]
fn normal_cdf_and_sf_match_scipy() {
    // 1e-13 relative in both tails (the cdf at −10 is 7.6e-24: relative, not absolute, accuracy).
    for &(x, want) in NORM_CDF {
        check(&format!("normal_cdf({x})"), normal_cdf(x), want, 1e-13);
    }
    for &(x, want) in NORM_SF {
        check(&format!("normal_sf({x})"), normal_sf(x), want, 1e-13);
    }
}

#[test]
fn normal_quantile_matches_scipy() {
    for &(p, want) in NORM_PPF {
        check(
            &format!("normal_quantile({p})"),
            normal_quantile(p),
            want,
            1e-14,
        );
    }
    assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
    assert_eq!(normal_quantile(1.0), f64::INFINITY);
    assert!(normal_quantile(1.5).is_nan() && normal_quantile(f64::NAN).is_nan());
}

#[test]
fn student_t_cdf_and_sf_match_scipy() {
    // Includes fractional (Welch) df, df < 1 and df = 10⁶, where a naive ln Γ difference loses 1e-9.
    for &(t, df, want) in T_CDF {
        check(
            &format!("student_t_cdf({t}, {df})"),
            student_t_cdf(t, df),
            want,
            1e-12,
        );
    }
    for &(t, df, want) in T_SF {
        check(
            &format!("student_t_sf({t}, {df})"),
            student_t_sf(t, df),
            want,
            1e-12,
        );
    }
    // df = ∞ is the normal; invalid df gives NaN.
    check(
        "t_cdf(df=inf)",
        student_t_cdf(-1.0, f64::INFINITY),
        NORM_CDF[4].1,
        1e-13,
    );
    assert!(student_t_cdf(1.0, 0.0).is_nan() && student_t_cdf(1.0, -2.0).is_nan());
    assert_eq!(student_t_sf(f64::INFINITY, 3.0), 0.0);
    assert_eq!(student_t_cdf(f64::NEG_INFINITY, 3.0), 0.0);
}

#[test]
fn student_t_quantile_matches_scipy() {
    for &(p, df, want) in T_PPF {
        check(
            &format!("student_t_quantile({p}, {df})"),
            student_t_quantile(p, df),
            want,
            1e-11,
        );
    }
    // Near p = 1/2 scipy itself is only good to ~1e-10, so these come from mpmath (40 digits).
    for &(p, df, want) in T_PPF_CENTRE {
        check(
            &format!("student_t_quantile({p}, {df})"),
            student_t_quantile(p, df),
            want,
            1e-13,
        );
    }
    assert_eq!(student_t_quantile(0.5, 4.0), 0.0);
    assert_eq!(student_t_quantile(1.0, 4.0), f64::INFINITY);
    assert_eq!(student_t_quantile(0.0, 4.0), f64::NEG_INFINITY);
    assert!(student_t_quantile(0.5, 0.0).is_nan() && student_t_quantile(-0.1, 4.0).is_nan());
}

#[test]
fn chi2_sf_matches_scipy() {
    for &(x, df, want) in CHI2_SF {
        check(&format!("chi2_sf({x}, {df})"), chi2_sf(x, df), want, 1e-12);
    }
    assert_eq!(chi2_sf(0.0, 3.0), 1.0);
    assert!(chi2_sf(1.0, 0.0).is_nan() && chi2_sf(f64::NAN, 2.0).is_nan());
}

#[test]
fn incomplete_gamma_and_beta_match_scipy() {
    for &(a, x, want) in GAMMA_P {
        check(
            &format!("P({a}, {x})"),
            regularized_gamma_p(a, x),
            want,
            1e-13,
        );
    }
    for &(a, x, want) in GAMMA_Q {
        check(
            &format!("Q({a}, {x})"),
            regularized_gamma_q(a, x),
            want,
            1e-13,
        );
    }
    for &(x, a, b, want) in BETAINC {
        check(
            &format!("I_{x}({a}, {b})"),
            regularized_beta(x, a, b),
            want,
            1e-13,
        );
    }
    assert!(regularized_gamma_p(0.0, 1.0).is_nan() && regularized_beta(1.5, 1.0, 1.0).is_nan());
}

#[test]
fn ln_gamma_matches_scipy() {
    // Absolute 1e-13 (relative to max(|ln Γ|, 1)): holds for this file's Stirling version and the main
    // crate's Lanczos one alike.
    for &(x, want) in GAMMALN {
        let got = super::super::special::ln_gamma(x);
        assert!(
            (got - want).abs() <= 1e-13 * want.abs().max(1.0),
            "ln_gamma({x}) = {got}, scipy {want}"
        );
    }
}

#[test]
fn quantiles_invert_their_cdfs() {
    // Round trip, independent of scipy: cdf(quantile(p)) = p to 1e-13 relative.
    for &p in &[1e-9, 0.003, 0.2, 0.5, 0.81, 0.9995] {
        check(
            "normal round trip",
            normal_cdf(normal_quantile(p)),
            p,
            1e-13,
        );
        for &df in &[1.0, 3.7, 48.0, 2e5] {
            check(
                "t round trip",
                student_t_cdf(student_t_quantile(p, df), df),
                p,
                1e-12,
            );
        }
    }
}
