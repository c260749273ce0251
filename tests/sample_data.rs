//! The bundled samples: reproducible from the generator and loaded with the derived features.

mod common;

use campaign_lens::data::profile::Flag;
use campaign_lens::data::{LoadOptions, Workspace};
use campaign_lens::synth;
use common::sample;

#[test]
fn bundled_samples_are_exactly_what_the_generator_writes() {
    // `campaign-lens sample --rows 5000 --seed 42 --out sample_data/customers.csv`
    let committed = std::fs::read_to_string(sample("customers.csv")).unwrap();
    assert!(
        committed == synth::customers_csv(5000, 42),
        "customers.csv is stale: regenerate it"
    );
    // `campaign-lens sample --rows 400 --seed 42 --campaigns --out sample_data/campaigns.csv`
    let committed = std::fs::read_to_string(sample("campaigns.csv")).unwrap();
    assert!(
        committed == synth::campaigns_csv(400, 42),
        "campaigns.csv is stale: regenerate it"
    );
}

#[test]
fn customers_sample_loads_with_derived_features_and_flags() {
    let ws = Workspace::open(&sample("customers.csv"), &LoadOptions::default()).unwrap();
    assert_eq!(ws.rows(), 5000);
    let derived: Vec<&str> = ws.derived.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        derived,
        [
            "Age",
            "Spent",
            "Children",
            "Purchases",
            "AcceptedTotal",
            "TenureDays"
        ]
    );
    assert!(ws.profile("ID").unwrap().has(Flag::Id));
    assert!(ws.profile("Z_CostContact").unwrap().has(Flag::Constant));
    assert!(ws.profile("Dt_Customer").unwrap().has(Flag::Date));
    assert_eq!(ws.default_target().unwrap().name, "Response");
    let income = ws.profile("Income").unwrap();
    assert!(
        income.nulls > 0 && income.max == Some(666_666.0),
        "blemishes are present"
    );
    let rate = ws.profile("Response").unwrap().mean.unwrap();
    assert!((0.12..0.18).contains(&rate), "response rate {rate}");
}
