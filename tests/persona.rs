//! Persona naming, traits, strategy and next-best category on constructed profiles.

use campaign_lens::analysis::personas::persona::*;

const COLS: [&str; 10] = [
    "Income",
    "Spent",
    "Children",
    "NumDealsPurchases",
    "Recency",
    "Age",
    "NumWebPurchases",
    "NumCatalogPurchases",
    "NumStorePurchases",
    "Purchases",
];
const MEAN: [f64; 10] = [50_000.0, 600.0, 1.0, 2.5, 50.0, 45.0, 4.0, 2.0, 6.0, 14.5];
const SD: [f64; 10] = [20_000.0, 500.0, 0.8, 2.0, 29.0, 12.0, 2.5, 2.5, 3.0, 7.0];

/// A cluster whose means sit `z` standard deviations from the overall mean (channel counts given directly).
fn at(z: [f64; 6], web: f64, catalog: f64, store: f64) -> Vec<f64> {
    let mut v: Vec<f64> = (0..6).map(|j| MEAN[j] + z[j] * SD[j]).collect();
    v.extend([
        web,
        catalog,
        store,
        web + catalog + store + MEAN[3] + z[3] * SD[3],
    ]);
    v
}

fn input(clusters: Vec<Vec<f64>>) -> ProfileInput {
    let k = clusters.len();
    ProfileInput {
        columns: COLS.iter().map(|s| s.to_string()).collect(),
        cluster_means: clusters,
        overall_mean: MEAN.to_vec(),
        overall_sd: SD.to_vec(),
        sizes: (0..k).map(|i| 100 + i).collect(),
        features: COLS.iter().map(|s| s.to_string()).collect(),
        target: Some(("Response".into(), vec![0.3; k], 0.15)),
    }
}

fn names(clusters: Vec<Vec<f64>>) -> Vec<String> {
    let v = Vocabulary::embedded().unwrap();
    build_personas(&input(clusters), &v)
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect()
}

#[test]
fn the_embedded_vocabulary_parses() {
    let v = Vocabulary::embedded().unwrap();
    assert!(v.traits.iter().any(|t| t.column == "income"));
    assert_eq!(v.category_name("MntFishProducts"), Some("Fish"));
}

#[test]
fn names_follow_the_strongest_traits() {
    let n = names(vec![
        // affluent big spenders: income +1.5 sd, spend +1.2 sd
        at([1.5, 1.2, -0.2, -0.3, 0.0, 0.3], 4.0, 2.0, 6.0),
        // low income, many deals, children: the compound word and the noun
        at([-1.0, -0.6, 1.0, 1.0, 0.0, -0.2], 4.0, 2.0, 6.0),
        // young and web-first (web share 8/12 = 67 % vs 33 % overall)
        at([0.0, 0.0, -0.1, 0.0, 0.0, -1.2], 8.0, 1.0, 3.0),
        // not seen for months, light spenders
        at([0.0, -0.8, 0.0, 0.0, 1.5, 0.0], 4.0, 2.0, 6.0),
    ]);
    assert_eq!(
        n,
        [
            "Affluent Big-Spending Customers",
            "Budget-Conscious Families",
            "Young Digital Customers",
            "Lapsed Light-Spending Customers",
        ]
    );
}

#[test]
fn identical_clusters_still_get_distinct_names() {
    let c = at([1.5, 1.2, 0.0, 0.0, 0.0, 0.0], 4.0, 2.0, 6.0);
    let n = names(vec![c.clone(), c]);
    assert_eq!(n[0], "Affluent Big-Spending Customers");
    assert_eq!(n[1], "Affluent Big-Spending Customers II");
}

#[test]
fn unknown_columns_fall_back_to_high_and_low() {
    let v = Vocabulary::embedded().unwrap();
    let inp = ProfileInput {
        columns: vec!["Annual Income (k$)".into(), "Spending Score (1-100)".into()],
        cluster_means: vec![vec![90.0, 20.0]],
        overall_mean: vec![60.0, 50.0],
        overall_sd: vec![20.0, 25.0],
        sizes: vec![40],
        features: vec!["Annual Income (k$)".into(), "Spending Score (1-100)".into()],
        target: None,
    };
    let p = build_personas(&inp, &v).unwrap();
    assert_eq!(
        p[0].name,
        "High Annual Income (k$) · Low Spending Score (1-100)"
    );
    // traits in words, strongest first: (90-60)/20 = +1.5 sd, (20-50)/25 = -1.2 sd
    assert_eq!(
        p[0].traits[0],
        "Annual Income (k$) 90 vs 60 average (+1.5 sd)"
    );
    assert_eq!(
        p[0].traits[1],
        "Spending Score (1-100) 20 vs 50 average (-1.2 sd)"
    );
    assert_eq!(p[0].profile[0].3, 1.5);
    assert_eq!(
        p[0].name,
        "High Annual Income (k$) · Low Spending Score (1-100)"
    );
}

#[test]
fn strategy_reads_channel_deals_and_categories() {
    let v = Vocabulary::embedded().unwrap();
    // two categories: overall wine 60 % / fish 40 %; persona wine 30 / fish 70 → fish index 175
    let inp = ProfileInput {
        columns: vec![
            "NumWebPurchases".into(),
            "NumCatalogPurchases".into(),
            "NumStorePurchases".into(),
            "NumDealsPurchases".into(),
            "Purchases".into(),
            "MntWines".into(),
            "MntFishProducts".into(),
        ],
        cluster_means: vec![vec![6.0, 1.0, 3.0, 4.0, 14.0, 30.0, 70.0]],
        overall_mean: vec![4.0, 2.0, 6.0, 2.5, 14.5, 60.0, 40.0],
        overall_sd: vec![2.0, 2.0, 3.0, 2.0, 7.0, 30.0, 30.0],
        sizes: vec![10],
        features: vec![],
        target: None,
    };
    let p = &build_personas(&inp, &v).unwrap()[0];
    let s = &p.strategy;
    // web share 6/10 = 60 % vs 4/12 = 33 %: index 180
    assert_eq!(
        s.channel.as_deref(),
        Some("web (60 % of purchases, index 180)")
    );
    // deals 4/14 = 29 % vs 2.5/14.5 = 17 %
    assert_eq!(
        s.deal_sensitivity.as_deref(),
        Some("high: 29 % of purchases on deals vs 17 % overall")
    );
    assert_eq!(s.over_indexed.len(), 1);
    assert_eq!(s.over_indexed[0].0, "Fish");
    assert!((s.over_indexed[0].1 - 175.0).abs() < 1e-9);
    assert_eq!(s.offer, "Bundle discounts and coupons on Fish");
    assert_eq!(
        s.message,
        "Save more on the Fish you already buy (send by web)"
    );
}

#[test]
fn next_best_category_is_the_largest_shortfall_against_the_persona() {
    let cats = vec!["Wine".to_string(), "Fish".to_string(), "Gold".to_string()];
    // persona 0 members: shares (0.5, 0.5, 0) and (0.5, 0.1, 0.4) → typical (0.5, 0.3, 0.2)
    let spend = vec![
        vec![50.0, 50.0, 0.0],
        vec![50.0, 10.0, 40.0],
        vec![0.0, 0.0, 0.0],
        vec![1.0, 1.0, 1.0],
    ];
    let labels = vec![Some(0), Some(0), Some(0), None];
    let nb = next_best_category(&spend, &labels, &cats).unwrap();
    // customer 1: shortfalls (0, -0.2, +0.2) → Gold; customer 2: (0, +0.2, -0.2) → Fish
    assert_eq!(nb[0].as_deref(), Some("Gold"));
    assert_eq!(nb[1].as_deref(), Some("Fish"));
    // zero spend: the persona's top category; unassigned: none
    assert_eq!(nb[2].as_deref(), Some("Wine"));
    assert_eq!(nb[3], None);
    assert!(next_best_category(&spend[..2], &labels, &cats).is_err());
}

#[test]
fn rename_keeps_names_distinct_and_non_empty() {
    let v = Vocabulary::embedded().unwrap();
    let mut p = build_personas(
        &input(vec![
            at([1.5, 1.2, 0.0, 0.0, 0.0, 0.0], 4.0, 2.0, 6.0),
            at([-1.0, -0.6, 1.0, 1.0, 0.0, 0.0], 4.0, 2.0, 6.0),
        ]),
        &v,
    )
    .unwrap();
    rename(&mut p, 1, "  Thrifty Parents ").unwrap();
    assert_eq!(p[1].name, "Thrifty Parents");
    assert_eq!(
        rename(&mut p, 0, "Thrifty Parents"),
        Err(PersonaError::DuplicateName("Thrifty Parents".into()))
    );
    assert_eq!(rename(&mut p, 0, "   "), Err(PersonaError::EmptyName));
    assert_eq!(rename(&mut p, 9, "X"), Err(PersonaError::NoPersona(9)));
    assert_eq!(p[0].target_rate, Some(0.3));
}

#[test]
fn bad_inputs_are_errors() {
    let v = Vocabulary::embedded().unwrap();
    let mut inp = input(vec![at([0.0; 6], 4.0, 2.0, 6.0)]);
    inp.overall_sd.pop();
    assert!(matches!(
        build_personas(&inp, &v),
        Err(PersonaError::Mismatch(_))
    ));
    let empty = ProfileInput {
        sizes: vec![],
        cluster_means: vec![],
        ..input(vec![])
    };
    assert_eq!(build_personas(&empty, &v).unwrap_err(), PersonaError::Empty);
    assert!(matches!(
        Vocabulary::parse("min_z = ["),
        Err(PersonaError::Vocabulary(_))
    ));
}
