//! Every validation error path, through the public entry point, and the wording analysts see.

use campaign_lens::analysis::mix::synth::{generate, SynthSpec};
use campaign_lens::analysis::mix::{fit_mix, Channel, MixConfig, MixData, MixError};

fn data(weeks: usize, channels: usize) -> MixData {
    generate(&SynthSpec::standard(weeks, channels, 9)).data
}

fn err(d: &MixData, c: &MixConfig) -> MixError {
    match fit_mix(d, c) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

#[test]
fn no_channels() {
    let mut d = data(100, 2);
    d.channels.clear();
    assert_eq!(err(&d, &MixConfig::default()), MixError::NoChannels);
}

#[test]
fn zero_spend_channel_is_named() {
    let mut d = data(100, 3);
    d.channels[1].spend = vec![0.0; 100];
    let e = err(&d, &MixConfig::default());
    assert_eq!(
        e,
        MixError::ZeroSpend {
            channel: "search".into(),
            weeks: 90
        }
    );
    assert!(
        e.to_string()
            .contains("'search' has zero spend in all 90 fitted weeks"),
        "{e}"
    );
    // Spend only in the 10 holdout weeks cannot be fitted either.
    let mut d = data(100, 3);
    d.channels[2].spend = (0..100).map(|t| if t >= 90 { 5.0 } else { 0.0 }).collect();
    assert_eq!(
        err(&d, &MixConfig::default()),
        MixError::ZeroSpend {
            channel: "social".into(),
            weeks: 90
        }
    );
}

#[test]
fn too_few_weeks_says_how_many_are_needed() {
    // 5 channels, 1 control, K = 2: 2 + 4 + 1 + 4·5 = 27 quantities, 3 weeks each = 81 weeks.
    let d = data(80, 5);
    let e = err(&d, &MixConfig::default());
    assert_eq!(
        e,
        MixError::TooFewWeeks {
            weeks: 80,
            needed: 81,
            parameters: 27
        }
    );
    assert!(e.to_string().contains("needs at least 81 weeks"), "{e}");
    // The floor of 78 weeks applies to small models; 81 weeks is enough for the one above.
    let small = data(77, 1);
    assert!(matches!(
        err(&small, &MixConfig::default()),
        MixError::TooFewWeeks { needed: 78, .. }
    ));
    let mut ok = MixConfig::default();
    ok.search.random_candidates = 4;
    ok.search.min_step = 0.25;
    ok.bootstrap.replicates = 20;
    assert!(fit_mix(&data(81, 5), &ok).is_ok());
}

#[test]
fn constant_kpi() {
    let mut d = data(100, 2);
    d.kpi = vec![42.0; 100];
    let e = err(&d, &MixConfig::default());
    assert_eq!(e, MixError::ConstantKpi { value: 42.0 });
    assert!(e.to_string().contains("42 in every week"));
}

#[test]
fn non_finite_values_name_the_series_and_week() {
    let mut d = data(100, 2);
    d.kpi[5] = f64::NAN;
    let e = err(&d, &MixConfig::default());
    assert_eq!(
        e,
        MixError::NonFinite {
            series: "KPI".into(),
            week: 5
        }
    );
    assert!(e.to_string().contains("week 6"), "{e}"); // weeks are shown 1-based
    let mut d = data(100, 2);
    d.channels[0].spend[99] = f64::INFINITY;
    assert_eq!(
        err(&d, &MixConfig::default()),
        MixError::NonFinite {
            series: "tv".into(),
            week: 99
        }
    );
    let mut d = data(100, 2);
    d.controls[0].values[0] = f64::NEG_INFINITY;
    assert_eq!(
        err(&d, &MixConfig::default()),
        MixError::NonFinite {
            series: "control1".into(),
            week: 0
        }
    );
}

#[test]
fn negative_spend_and_length_mismatch_and_constant_control() {
    let mut d = data(100, 2);
    d.channels[1].spend[10] = -1.0;
    assert_eq!(
        err(&d, &MixConfig::default()),
        MixError::NegativeSpend {
            channel: "search".into(),
            week: 10
        }
    );
    let mut d = data(100, 2);
    d.channels.push(Channel {
        name: "short".into(),
        spend: vec![1.0; 99],
    });
    assert_eq!(
        err(&d, &MixConfig::default()),
        MixError::LengthMismatch {
            series: "short".into(),
            len: 99,
            expected: 100
        }
    );
    let mut d = data(100, 2);
    d.controls[0].values = vec![3.0; 100];
    assert_eq!(
        err(&d, &MixConfig::default()),
        MixError::ConstantControl {
            control: "control1".into()
        }
    );
}

#[test]
fn invalid_settings() {
    let d = data(100, 2);
    let bad = |f: &dyn Fn(&mut MixConfig)| {
        let mut c = MixConfig::default();
        f(&mut c);
        err(&d, &c)
    };
    assert!(matches!(
        bad(&|c| c.holdout_fraction = 0.6),
        MixError::InvalidSetting {
            setting: "holdout_fraction",
            ..
        }
    ));
    assert!(matches!(
        bad(&|c| c.lambdas = vec![0.1, -1.0]),
        MixError::InvalidSetting {
            setting: "lambdas",
            ..
        }
    ));
    assert!(matches!(
        bad(&|c| c.lambdas.clear()),
        MixError::InvalidSetting {
            setting: "lambdas",
            ..
        }
    ));
    assert!(matches!(
        bad(&|c| c.bootstrap.level = 1.2),
        MixError::InvalidSetting {
            setting: "bootstrap level",
            ..
        }
    ));
    assert!(matches!(
        bad(&|c| c.search.theta = (0.0, 1.0)),
        MixError::InvalidSetting {
            setting: "search theta",
            ..
        }
    ));
    assert!(matches!(
        bad(&|c| c.cv_folds = 0),
        MixError::InvalidSetting {
            setting: "cv_folds",
            ..
        }
    ));
}

#[test]
fn every_message_is_one_plain_line() {
    let all = [
        MixError::NoChannels,
        MixError::LengthMismatch {
            series: "tv".into(),
            len: 1,
            expected: 2,
        },
        MixError::NonFinite {
            series: "tv".into(),
            week: 0,
        },
        MixError::NegativeSpend {
            channel: "tv".into(),
            week: 0,
        },
        MixError::ZeroSpend {
            channel: "tv".into(),
            weeks: 90,
        },
        MixError::ConstantKpi { value: 1.0 },
        MixError::ConstantControl {
            control: "price".into(),
        },
        MixError::TooFewWeeks {
            weeks: 10,
            needed: 78,
            parameters: 10,
        },
        MixError::InvalidSetting {
            setting: "x",
            value: 1.0,
            expected: "positive",
        },
        MixError::InfeasibleBudget {
            budget: 1.0,
            min: 2.0,
            max: 3.0,
        },
        MixError::ChannelCount {
            got: 1,
            expected: 2,
        },
        MixError::Numerical,
    ];
    for e in all {
        let s = e.to_string();
        assert!(!s.contains('\n') && !s.is_empty() && s.len() < 220, "{s}");
    }
}
