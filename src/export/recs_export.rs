//! Next buy exports: the holdout comparison as a chart and every customer's list as CSV.

use std::path::{Path, PathBuf};

use super::charts::draw_bars;
use crate::app::App;
use crate::pipeline::recommend::Recommendations;
use crate::save_both;

/// The lists as CSV: one row per customer and rank.
pub fn lists_csv(r: &Recommendations) -> String {
    use super::csv_cell;
    let mut out = String::from("customer,rank,product,description,score\n");
    for (c, list) in r.lists.iter().enumerate() {
        for (rank, (item, score)) in list.iter().enumerate() {
            out.push_str(&format!(
                "{},{},{},{},{score:.6}\n",
                csv_cell(&r.customer_ids[c]),
                rank + 1,
                csv_cell(&r.products[*item as usize]),
                csv_cell(&r.descriptions[*item as usize]),
            ));
        }
    }
    out
}

/// `e` on the Next buy tab: hit rate, precision and recall of the method and of popularity, and the lists.
pub fn export_recs(app: &App, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let r = app
        .recs
        .result
        .as_ref()
        .ok_or("no recommendations yet: open an order log and visit this tab")?;
    let (h, k) = (&r.holdout, r.top);
    let labels: Vec<String> = [
        format!("{} hit rate", r.method),
        "popularity hit rate".into(),
        format!("{} recall", r.method),
        "popularity recall".into(),
    ]
    .into();
    let values = [
        h.method.hit_rate,
        h.popularity.hit_rate,
        h.method.recall,
        h.popularity.recall,
    ];
    let title = format!(
        "{} finds a new purchase for {:.0} % of customers in its top {k}; best sellers: {:.0} %",
        r.method,
        h.method.hit_rate * 100.0,
        h.popularity.hit_rate * 100.0
    );
    let mut files = save_both!(dir, "recommendations_holdout", |root| draw_bars(
        root,
        &title,
        &labels,
        &values,
        "share of evaluated customers"
    ))?;
    let path = dir.join("recommendations.csv");
    super::write_atomic(&path, lists_csv(r).as_bytes())?;
    files.push(path);
    Ok(files)
}
