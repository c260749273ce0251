//! Recommendations back into the frame and the personas: the customer table's `next_products` column,
//! and the products a persona's members are most likely to buy next.

use std::collections::HashMap;

use polars::prelude::*;

use crate::pipeline::recommend::Recommendations;

/// The column name.
pub const NEXT_PRODUCTS: &str = "next_products";

/// `next_products` for a customer table whose first column is the customer id: each customer's first `n`
/// recommendations joined with "; " (empty for a customer the log does not know).
pub fn next_products_column(
    df: &DataFrame,
    recs: &Recommendations,
    n: usize,
) -> Result<Column, String> {
    let index: HashMap<&str, usize> = recs
        .customer_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let ids = df
        .columns()
        .first()
        .map(crate::data::profile::string_values)
        .ok_or("the customer table has no columns")?;
    let values: Vec<String> = ids
        .iter()
        .map(|id| {
            id.as_deref()
                .and_then(|id| index.get(id))
                .map(|&c| recs.next_products(c, n))
                .unwrap_or_default()
        })
        .collect();
    Ok(Column::new(NEXT_PRODUCTS.into(), values))
}

/// For each of `k` clusters, the products that appear most in its members' `next_products`, first
/// recommendations weighing most (3, 2, 1 for the first three), with how many members have them.
/// `labels` holds each frame row's cluster (None: not clustered).
pub fn persona_next_products(
    df: &DataFrame,
    labels: &[Option<usize>],
    k: usize,
    top: usize,
) -> Vec<Vec<(String, usize)>> {
    let Ok(col) = df.column(NEXT_PRODUCTS) else {
        return vec![Vec::new(); k];
    };
    let lists = crate::data::profile::string_values(col);
    let mut tally: Vec<HashMap<String, (usize, usize)>> = vec![HashMap::new(); k];
    for (l, list) in labels.iter().zip(&lists) {
        let (Some(t), Some(list)) = (l.and_then(|l| tally.get_mut(l)), list) else {
            continue;
        };
        for (rank, name) in list.split("; ").filter(|s| !s.is_empty()).enumerate() {
            let e = t.entry(name.to_string()).or_default();
            e.0 += 3usize.saturating_sub(rank).max(1);
            e.1 += 1;
        }
    }
    tally
        .into_iter()
        .map(|t| {
            let mut v: Vec<(String, (usize, usize))> = t.into_iter().collect();
            v.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(&b.0)));
            v.into_iter().take(top).map(|(n, (_, m))| (n, m)).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_persona_gets_the_products_its_members_are_told_most() {
        let df = df!(
            "id" => ["a", "b", "c", "d"],
            NEXT_PRODUCTS => ["Mug; Tray; Jug", "Tray; Mug", "Lamp", ""]
        )
        .unwrap();
        let labels = [Some(0), Some(0), Some(1), None];
        let p = persona_next_products(&df, &labels, 2, 2);
        // persona 0: Mug 3 + 2, Tray 2 + 3, Jug 1: a tie broken by name
        assert_eq!(p[0], vec![("Mug".to_string(), 2), ("Tray".to_string(), 2)]);
        assert_eq!(p[1], vec![("Lamp".to_string(), 1)]);
    }
}
