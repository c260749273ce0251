//! Lifetime value: BG/NBD and Gamma-Gamma against `lifetimes` and scipy on fixed inputs, parameter
//! recovery on data simulated with a seeded generator, the roll-up of the shared Online Retail II log
//! against pandas, and the messages for logs that cannot be modelled.

mod common;

use campaign_lens::analysis::lifetime::bgnbd::{BgNbd, BgNbdError, History};
use campaign_lens::analysis::lifetime::gamma_gamma::GammaGamma;
use campaign_lens::analysis::lifetime::rfm;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The CDNOW parameters of Fader, Hardie & Lee (2005).
const CDNOW: BgNbd = BgNbd {
    r: 0.243,
    alpha: 4.414,
    a: 0.793,
    b: 2.426,
};

fn h(x: f64, t_x: f64, t: f64) -> History {
    History { x, t_x, t }
}

#[test]
fn likelihood_p_alive_and_expected_purchases_match_lifetimes() {
    // scipy (gammaln, betaln, logaddexp) on equation 6, and lifetimes 0.11.3's BetaGeoFitter with these
    // parameters: conditional_probability_alive and conditional_expected_number_of_purchases_up_to_time(39)
    let cases = [
        (
            h(0.0, 0.0, 38.86),
            -0.5547132764381585,
            1.0,
            0.19509805201125396,
        ),
        (
            h(2.0, 30.43, 38.86),
            -9.45860630706627,
            0.726578570080673,
            1.226028174767135,
        ),
        (
            h(7.0, 35.0, 39.0),
            -22.156648373962284,
            0.8406589827265392,
            4.359809506436419,
        ),
        (
            h(1.0, 2.5, 10.0),
            -4.057402088254948,
            0.5510722367128598,
            1.2861501514266964,
        ),
    ];
    for (hist, ll, alive, e39) in cases {
        assert!((CDNOW.ln_likelihood(&hist) - ll).abs() < 1e-10, "{hist:?}");
        assert!((CDNOW.p_alive(&hist) - alive).abs() < 1e-12, "{hist:?}");
        let e = CDNOW.expected_purchases(&hist, 39.0).unwrap();
        assert!((e - e39).abs() < 1e-9, "{hist:?}: {e}");
    }
    // the paper's worked example: 1.226 purchases expected in the next 39 weeks for x = 2,
    // t_x = 30.43, T = 38.86
    assert!((CDNOW.expected_purchases(&cases[1].0, 39.0).unwrap() - 1.226).abs() < 5e-4);
    // Gamma-Gamma: scipy's gammaln on the likelihood, and lifetimes' conditional_expected_average_profit
    let gg = GammaGamma {
        p: 6.25,
        q: 3.74,
        v: 15.44,
    };
    assert!((gg.ln_likelihood(2.0, 35.0) - -4.095817314648997).abs() < 1e-10);
    assert!((gg.expected_spend(2.0, 35.0) - 35.039370078740156).abs() < 1e-10);
}

/// Gamma(shape, scale) by Marsaglia and Tsang (shape < 1 boosted by U^(1/shape)).
fn gamma(rng: &mut Xoshiro256PlusPlus, shape: f64, scale: f64) -> f64 {
    if shape < 1.0 {
        let u: f64 = rng.gen();
        return gamma(rng, shape + 1.0, scale) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        // a standard normal by Box-Muller
        let (u1, u2): (f64, f64) = (rng.gen::<f64>().max(1e-300), rng.gen());
        let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        let v = (1.0 + c * z).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u: f64 = rng.gen();
        if u.ln() < 0.5 * z * z + d - d * v + d * v.ln() {
            return d * v * scale;
        }
    }
}

/// Customers drawn from the BG/NBD story (as lifetimes' `beta_geometric_nbd_model` generator): a
/// purchase rate λ ~ Gamma(r, 1/α), a dropout probability p ~ Beta(a, b) tried after each purchase.
fn simulate(m: &BgNbd, n: usize, seed: u64) -> Vec<History> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..n)
        .map(|i| {
            let t = 27.0 + (i % 13) as f64; // observed 27 to 39 weeks, as in CDNOW
            let lambda = gamma(&mut rng, m.r, 1.0 / m.alpha);
            let (ga, gb) = (gamma(&mut rng, m.a, 1.0), gamma(&mut rng, m.b, 1.0));
            let p = ga / (ga + gb);
            let (mut now, mut x, mut last) = (0.0, 0.0, 0.0);
            loop {
                let u: f64 = rng.gen::<f64>().max(1e-300);
                now += -u.ln() / lambda;
                if now >= t {
                    break;
                }
                x += 1.0;
                last = now;
                if rng.gen::<f64>() < p {
                    break;
                }
            }
            h(x, last, t)
        })
        .collect()
}

#[test]
fn bgnbd_recovers_the_parameters_it_was_simulated_with() {
    let data = simulate(&CDNOW, 40_000, 7);
    let fit = BgNbd::fit(&data).unwrap();
    // 40,000 customers pin r and α within a few per cent; a and b (dropout) less tightly
    let close = |got: f64, want: f64, tol: f64| (got / want - 1.0).abs() < tol;
    assert!(close(fit.r, CDNOW.r, 0.08), "{fit:?}");
    assert!(close(fit.alpha, CDNOW.alpha, 0.10), "{fit:?}");
    assert!(close(fit.a, CDNOW.a, 0.20), "{fit:?}");
    assert!(close(fit.b, CDNOW.b, 0.30), "{fit:?}");
    // the fit is a maximum: the true parameters' likelihood is no higher
    assert!(fit.total_ln_likelihood(&data) >= CDNOW.total_ln_likelihood(&data));
}

#[test]
fn gamma_gamma_recovers_its_parameters() {
    let (p, q, v) = (6.25, 3.74, 15.44);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
    let pairs: Vec<(f64, f64)> = (0..20_000)
        .map(|i| {
            let x = 1 + i % 6;
            let nu = gamma(&mut rng, q, 1.0 / v);
            let total: f64 = (0..x).map(|_| gamma(&mut rng, p, 1.0 / nu)).sum();
            (x as f64, total / x as f64)
        })
        .collect();
    let fit = GammaGamma::fit(&pairs).unwrap();
    let close = |got: f64, want: f64| (got / want - 1.0).abs() < 0.12;
    assert!(
        close(fit.p, p) && close(fit.q, q) && close(fit.v, v),
        "{fit:?}"
    );
}

#[test]
fn logs_that_cannot_be_modelled_say_why() {
    // one purchase each: nothing repeats
    let once = vec![h(0.0, 0.0, 10.0); 50];
    assert_eq!(BgNbd::fit(&once).unwrap_err(), BgNbdError::NoRepeats);
    assert_eq!(BgNbd::fit(&[]).unwrap_err(), BgNbdError::Empty);
    assert!(matches!(
        BgNbd::fit(&[h(1.0, 5.0, 2.0)]).unwrap_err(),
        BgNbdError::Inconsistent(0, _, _)
    ));
    let dir = tempfile::tempdir().unwrap();
    let one_day = common::write_file(
        &dir,
        "one_day.csv",
        "Invoice,Customer ID,InvoiceDate,Quantity,Price\n1,7,2010-01-05,2,3.5\n2,7,2010-01-05 10:00:00,1,2.0\n3,8,2010-01-05,1,1.0\n",
    );
    common::cli_fails(
        &["customers", one_day.to_str().unwrap(), "--json"],
        "one_day.csv: no customer bought more than once",
    );
    common::cli_fails(
        &[
            "customers",
            common::sample("customers.csv").to_str().unwrap(),
        ],
        "customers.csv: not an order log: no customer column (pass --customer COLUMN)",
    );
    let bad_date = common::write_file(
        &dir,
        "bad_date.csv",
        "Invoice,Customer ID,InvoiceDate,Quantity,Price\n1,7,2010-01-05,2,3.5\n2,7,05/01/2010,1,2.0\n",
    );
    common::cli_fails(
        &["customers", bad_date.to_str().unwrap()],
        "bad_date.csv: column \"InvoiceDate\": \"05/01/2010\" (row 3) is not a date",
    );
}

#[test]
fn rfm_shares_add_up_and_ties_follow_first_rank() {
    let recency = [10.0, 10.0, 200.0, 3.0, 50.0];
    let freq = [1.0, 1.0, 1.0, 9.0, 2.0];
    let money = [5.0, 5.0, 1.0, 500.0, 20.0];
    let s = rfm::score(&recency, &freq, &money);
    // the two identical customers get different R scores: the earlier one ranks first
    assert_ne!(s[0].0, s[1].0);
    assert_eq!(s[3], (5, 5, 5, "Champions"));
    assert_eq!(s[2].0, 1);
}

#[test]
fn the_online_retail_log_rolls_up_as_pandas_and_lifetimes_do() {
    let Some(log) = common::shared("online_retail_II_2009-2010.parquet") else {
        return;
    };
    let out = common::cli_json(&["customers", log.to_str().unwrap(), "--json"]);
    // pandas (bench/orders_reference.py): 525,461 lines, 107,927 without a customer, 9,839 cancelled
    // lines with a customer, 4,314 customers with a purchase, 19,215 orders
    assert_eq!(out["transactions"], 525_461);
    assert_eq!(out["dropped"]["no_customer"], 107_927);
    assert_eq!(out["dropped"]["cancelled"], 9_839);
    assert_eq!(out["dropped"]["returns"], 0);
    assert_eq!(out["customers"], 4_314);
    assert_eq!(out["orders"], 19_215.0);
    let net = out["net_revenue"].as_f64().unwrap();
    assert!((net - 8_410_820.04).abs() < 0.01, "{net}");
    assert_eq!(out["as_of"], "2010-12-10");
    let share: f64 = out["rfm_segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["share"].as_f64().unwrap())
        .sum();
    assert!((share - 1.0).abs() < 1e-9);
    // lifetimes 0.11.3 on the same summary (bench/orders_reference.py): BG/NBD r 0.872047, alpha
    // 10.243083, a 0.266191, b 181.355846; Gamma-Gamma p 2.205296, q 3.621314, v 501.979604
    let bg = &out["clv"]["bgnbd"];
    let close = |v: &serde_json::Value, want: f64, tol: f64| {
        let got = v.as_f64().unwrap();
        assert!((got / want - 1.0).abs() < tol, "{got} vs {want}");
    };
    close(&bg["r"], 0.872047, 0.01);
    close(&bg["alpha"], 10.243083, 0.01);
    close(&bg["a"], 0.266191, 0.05);
    let gg = &out["clv"]["gamma_gamma"];
    close(&gg["p"], 2.205296, 0.01);
    close(&gg["q"], 3.621314, 0.01);
    close(&gg["v"], 501.979604, 0.01);
    close(&out["clv"]["spend_frequency_correlation"], 0.1867, 0.01);
}

#[test]
fn a_calibration_end_tracks_the_holdout_against_pandas() {
    let Some(log) = common::shared("online_retail_II_2009-2010.parquet") else {
        return;
    };
    let l = log.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cal.csv");
    let j = common::cli_json(&[
        "customers",
        l,
        "--calibration-end",
        "2010-09-09",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    // pandas on the same definitions: 3,375 customers bought by 2010-09-09; 4,505 purchase days of
    // theirs after it, 1,946 of them bought again; 939 customers first bought in the holdout
    let h = &j["holdout"];
    assert_eq!(j["customers"], 3_375);
    assert_eq!(h["from"], "2010-09-10");
    assert_eq!(h["to"], "2010-12-09");
    assert_eq!(h["actual"], 4_505.0);
    assert_eq!(h["bought_again"], 1_946);
    assert_eq!(h["new_customers"], 939);
    // the tracking rows add up to the total, and the forecast is a positive count
    let rows = h["by_repeat_purchases"].as_array().unwrap();
    let customers: u64 = rows.iter().map(|r| r["customers"].as_u64().unwrap()).sum();
    assert_eq!(customers, 3_375);
    let total: f64 = rows
        .iter()
        .map(|r| r["actual"].as_f64().unwrap() * r["customers"].as_f64().unwrap())
        .sum();
    assert!((total - 4_505.0).abs() < 1e-6);
    assert!(h["predicted"].as_f64().unwrap() > 1_000.0);
    // the table carries the binary target for the Predict tab
    let text = std::fs::read_to_string(&out).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let k = header.iter().position(|c| *c == "bought_again").unwrap();
    let yes = text
        .lines()
        .skip(1)
        .filter(|l| l.split(',').nth(k) == Some("1"))
        .count();
    assert_eq!(yes, 1_946);
    common::cli_fails(
        &["customers", l, "--calibration-end", "2011-01-01"],
        "--calibration-end must fall inside the log (2009-12-01 to 2010-12-09)",
    );
    common::cli_fails(
        &["customers", l, "--calibration-end", "9 Sept"],
        "--calibration-end must be a date as yyyy-mm-dd",
    );
}
