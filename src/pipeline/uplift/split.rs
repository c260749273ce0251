//! The held-out part of an uplift model: rows split at random within each stratum (arm × outcome), so
//! both parts keep the test's arm shares and response rates.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// `(train, test)` row lists, each sorted; every stratum with n rows sends round(n × share) to test
/// (at least one where it has two rows or more).
pub fn stratified_parts(
    rows: &[usize],
    stratum: &[usize],
    test_share: f64,
    seed: u64,
) -> (Vec<usize>, Vec<usize>) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let strata = stratum.iter().copied().max().map_or(0, |m| m + 1);
    let mut by: Vec<Vec<usize>> = vec![Vec::new(); strata];
    for (&r, &s) in rows.iter().zip(stratum) {
        by[s].push(r);
    }
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for mut group in by {
        group.shuffle(&mut rng);
        let mut k = (group.len() as f64 * test_share).round() as usize;
        if k == 0 && group.len() >= 2 && test_share > 0.0 {
            k = 1;
        }
        test.extend_from_slice(&group[..k.min(group.len())]);
        train.extend_from_slice(&group[k.min(group.len())..]);
    }
    train.sort_unstable();
    test.sort_unstable();
    (train, test)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stratum_keeps_its_share_and_no_row_is_lost() {
        let rows: Vec<usize> = (0..1000).collect();
        let stratum: Vec<usize> = rows.iter().map(|r| r % 4).collect();
        let (train, test) = stratified_parts(&rows, &stratum, 0.3, 7);
        assert_eq!(train.len() + test.len(), 1000);
        for s in 0..4 {
            assert_eq!(test.iter().filter(|&&r| r % 4 == s).count(), 75);
        }
        let mut all = [train.clone(), test.clone()].concat();
        all.sort_unstable();
        assert_eq!(all, rows);
        assert_ne!(stratified_parts(&rows, &stratum, 0.3, 8).1, test);
    }
}
