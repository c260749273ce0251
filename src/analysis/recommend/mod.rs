//! Top-K recommendation and its holdout figures: baskets (the distinct items each customer bought),
//! popularity (distinct customers per item), the top K unseen items of a score vector, and hit rate,
//! precision and recall at K. The item model itself is in `ease.rs`.

pub mod ease;

use rayon::prelude::*;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RecommendError {
    #[error("only {0} product bought: there is nothing to recommend")]
    OneItem(usize),
    #[error("only {0} customer: recommendations need at least two")]
    OneCustomer(usize),
    #[error("K must be at least 1")]
    ZeroK,
    #[error("the item model failed: {0}")]
    Solve(String),
}

/// The distinct items (sorted indices) each customer bought.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Baskets {
    pub items: usize,
    pub of: Vec<Vec<u32>>,
}

impl Baskets {
    /// From (customer, item) pairs; `customers` and `items` are the index ranges.
    pub fn from_pairs(
        customers: usize,
        items: usize,
        pairs: impl Iterator<Item = (u32, u32)>,
    ) -> Self {
        let mut of = vec![Vec::new(); customers];
        for (c, i) in pairs {
            of[c as usize].push(i);
        }
        for b in &mut of {
            b.sort_unstable();
            b.dedup();
        }
        Baskets { items, of }
    }

    /// Customers with at least one item.
    pub fn active(&self) -> usize {
        self.of.iter().filter(|b| !b.is_empty()).count()
    }

    /// Distinct customers per item.
    pub fn popularity(&self) -> Vec<f64> {
        let mut n = vec![0.0; self.items];
        for b in &self.of {
            for &i in b {
                n[i as usize] += 1.0;
            }
        }
        n
    }

    /// Co-occurrence counts (X'X), row-major items × items; rows in parallel from the buyers of each item.
    pub fn gram(&self) -> Vec<f64> {
        let n = self.items;
        let mut buyers: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (c, b) in self.of.iter().enumerate() {
            for &i in b {
                buyers[i as usize].push(c as u32);
            }
        }
        let mut g = vec![0.0; n * n];
        g.par_chunks_mut(n.max(1)).enumerate().for_each(|(i, row)| {
            for &c in &buyers[i] {
                for &j in &self.of[c as usize] {
                    row[j as usize] += 1.0;
                }
            }
        });
        g
    }
}

/// The K best items by score that `seen` (sorted) does not hold; equal scores go to the lower index
/// (numpy's stable argsort of −score).
pub fn top_k(scores: &[f64], seen: &[u32], k: usize) -> Vec<u32> {
    let mut best: Vec<(f64, u32)> = Vec::with_capacity(k + 1);
    for (i, &s) in scores.iter().enumerate() {
        let i = i as u32;
        if !s.is_finite() || seen.binary_search(&i).is_ok() {
            continue;
        }
        if best.len() == k && best.last().is_some_and(|w| s <= w.0) {
            continue;
        }
        let at = best.partition_point(|b| b.0 >= s);
        best.insert(at, (s, i));
        best.truncate(k);
    }
    best.into_iter().map(|b| b.1).collect()
}

/// Hit rate, precision and recall at K over the evaluated customers.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Figures {
    pub hit_rate: f64,
    pub precision: f64,
    pub recall: f64,
}

/// `lists[c]` against `new_items[c]` (sorted) for every customer with new items.
pub fn figures(lists: &[Vec<u32>], new_items: &[Vec<u32>], k: usize) -> Figures {
    let (mut hit, mut prec, mut rec, mut n) = (0.0, 0.0, 0.0, 0usize);
    for (list, new) in lists.iter().zip(new_items) {
        if new.is_empty() {
            continue;
        }
        let hits = list.iter().filter(|i| new.binary_search(i).is_ok()).count() as f64;
        n += 1;
        hit += f64::from(hits > 0.0);
        prec += hits / k as f64;
        rec += hits / new.len() as f64;
    }
    let n = n.max(1) as f64;
    Figures {
        hit_rate: hit / n,
        precision: prec / n,
        recall: rec / n,
    }
}

/// Popularity lists: the most-bought items the customer does not have.
pub fn popularity_lists(b: &Baskets, who: &[usize], k: usize) -> Vec<Vec<u32>> {
    let pop = b.popularity();
    who.par_iter().map(|&c| top_k(&pop, &b.of[c], k)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_k_skips_seen_items_and_breaks_ties_by_index() {
        let s = [1.0, 3.0, 3.0, 2.0, 5.0];
        assert_eq!(top_k(&s, &[4], 3), vec![1, 2, 3]);
        assert_eq!(top_k(&s, &[], 2), vec![4, 1]);
        assert_eq!(top_k(&s, &[0, 1, 2, 3, 4], 2), Vec::<u32>::new());
    }

    #[test]
    fn figures_count_hits_per_customer() {
        // customer 0: one hit of two new items; customer 1: none; customer 2 has no new items
        let lists = vec![vec![1, 2], vec![3, 4], vec![5, 6]];
        let new = vec![vec![2, 9], vec![7], vec![]];
        let f = figures(&lists, &new, 2);
        assert_eq!(f.hit_rate, 0.5);
        assert_eq!(f.precision, (0.5 + 0.0) / 2.0);
        assert_eq!(f.recall, (0.5 + 0.0) / 2.0);
    }

    #[test]
    fn gram_counts_co_occurrence() {
        let b = Baskets::from_pairs(2, 3, [(0, 0), (0, 1), (0, 1), (1, 1), (1, 2)].into_iter());
        assert_eq!(b.of[0], vec![0, 1]);
        assert_eq!(b.gram(), vec![1.0, 1.0, 0.0, 1.0, 2.0, 1.0, 0.0, 1.0, 1.0]);
        assert_eq!(b.popularity(), vec![1.0, 2.0, 1.0]);
    }
}
