//! Product recommendations from an order log, measured on a holdout. Purchases are the lines with a
//! customer that are neither cancellations nor returns. The model is fitted on the purchases before the
//! holdout date and judged on the customers who bought before it and bought a product new to them after it;
//! popularity (most distinct customers, minus what the customer has) is the baseline. The lists written out
//! come from a refit on every purchase.

pub mod columns;

use crate::analysis::recommend::ease;
use crate::analysis::recommend::{figures, popularity_lists, Baskets, Figures, RecommendError};
use crate::data::features::format_ymd;
use crate::data::orders::Lines;

/// At most this many products enter the items × items model (the most bought are kept): 10,000 items
/// is an 800 MB matrix.
pub const MAX_ITEMS: usize = 10_000;

/// Where the holdout starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HoldoutStart {
    /// The first day of the holdout (days since 1970-01-01).
    From(i32),
    /// The last N days of the log.
    LastDays(u32),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecommendOptions {
    pub top: usize,
    pub holdout: HoldoutStart,
    pub lambda: f64,
    /// Refit on every purchase and keep each customer's list (not needed for the figures alone).
    pub lists: bool,
}

impl Default for RecommendOptions {
    fn default() -> Self {
        Self {
            top: 10,
            holdout: HoldoutStart::LastDays(30),
            lambda: 100.0,
            lists: true,
        }
    }
}

/// The holdout figures of the method and of popularity.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub from: String,
    /// Customers evaluated: a purchase before `from` and a product new to them after it.
    pub customers: usize,
    pub train_customers: usize,
    pub train_items: usize,
    pub method: Figures,
    pub popularity: Figures,
}

#[derive(Debug, Clone)]
pub struct Recommendations {
    pub method: &'static str,
    pub lambda: f64,
    pub top: usize,
    /// Customers with a purchase and products bought, in the whole log.
    pub customers: usize,
    pub items: usize,
    pub holdout: Evaluation,
    /// Per customer (the index of `Lines::customers`): the top items (product index, score); empty when
    /// `lists` was off or the customer has no purchase.
    pub lists: Vec<Vec<(u32, f64)>>,
    /// What each customer bought (product indices), for "bought before".
    pub bought: Baskets,
    pub customer_ids: Vec<String>,
    pub products: Vec<String>,
    pub descriptions: Vec<String>,
    pub seconds: f64,
}

impl Recommendations {
    /// How a product reads: its description, else its code.
    pub fn name(&self, item: u32) -> &str {
        let d = &self.descriptions[item as usize];
        if d.is_empty() {
            &self.products[item as usize]
        } else {
            d
        }
    }
    /// A customer's first `n` recommendations, joined with "; ".
    pub fn next_products(&self, customer: usize, n: usize) -> String {
        self.lists[customer]
            .iter()
            .take(n)
            .map(|(i, _)| self.name(*i))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Baskets over a subset of products (those in `keep`, re-indexed in order); returns the map back.
fn restrict(b: &Baskets, keep: &[u32]) -> (Baskets, Vec<u32>) {
    let mut to = vec![u32::MAX; b.items];
    for (new, &old) in keep.iter().enumerate() {
        to[old as usize] = new as u32;
    }
    let of =
        b.of.iter()
            .map(|items| {
                items
                    .iter()
                    .map(|&i| to[i as usize])
                    .filter(|&i| i != u32::MAX)
                    .collect()
            })
            .collect();
    (
        Baskets {
            items: keep.len(),
            of,
        },
        keep.to_vec(),
    )
}

/// The products bought by anyone in `b`, the most bought first when there are more than `MAX_ITEMS`.
fn model_items(b: &Baskets) -> Vec<u32> {
    let pop = b.popularity();
    let mut items: Vec<u32> = (0..b.items as u32)
        .filter(|&i| pop[i as usize] > 0.0)
        .collect();
    if items.len() > MAX_ITEMS {
        items.sort_by(|x, y| pop[*y as usize].total_cmp(&pop[*x as usize]).then(x.cmp(y)));
        items.truncate(MAX_ITEMS);
        items.sort_unstable();
    }
    items
}

/// Fit on `b` and give the top K for `who`, in `b`'s product indices.
fn ease_lists(
    b: &Baskets,
    who: &[usize],
    k: usize,
    lambda: f64,
) -> Result<Vec<Vec<(u32, f64)>>, RecommendError> {
    let (sub, back) = restrict(b, &model_items(b));
    let model = ease::fit(&sub, lambda)?;
    let lists = model.lists(&sub, who, k);
    Ok(lists
        .into_iter()
        .map(|l| l.into_iter().map(|(i, s)| (back[i as usize], s)).collect())
        .collect())
}

/// Evaluate on the holdout, then (with `opts.lists`) refit on everything for every customer's list.
pub fn recommend(
    lines: &Lines,
    file: &str,
    opts: &RecommendOptions,
    progress: &dyn Fn(f32, &str),
) -> Result<Recommendations, String> {
    let started = std::time::Instant::now();
    let fail = |e: String| format!("{file}: {e}");
    let Some(product) = &lines.product else {
        return Err(fail(
            "no product column to recommend from (pass --product COLUMN)".into(),
        ));
    };
    if opts.top == 0 {
        return Err(fail(RecommendError::ZeroK.to_string()));
    }
    let purchase: Vec<usize> = (0..lines.customer.len())
        .filter(|&i| !lines.cancelled[i] && !lines.returned[i])
        .collect();
    let (nc, ni) = (lines.customers.len(), lines.products.len());
    let pairs = |keep: &dyn Fn(usize) -> bool| {
        Baskets::from_pairs(
            nc,
            ni,
            purchase
                .iter()
                .filter(|&&i| keep(i))
                .map(|&i| (lines.customer[i], product[i])),
        )
    };
    let all = pairs(&|_| true);
    let bought_items = all.popularity().iter().filter(|p| **p > 0.0).count();
    if bought_items < 2 {
        return Err(fail(RecommendError::OneItem(bought_items).to_string()));
    }
    if all.active() < 2 {
        return Err(fail(RecommendError::OneCustomer(all.active()).to_string()));
    }
    let last = purchase.iter().map(|&i| lines.day[i]).max().unwrap_or(0);
    let from = match opts.holdout {
        HoldoutStart::From(d) => d,
        HoldoutStart::LastDays(n) => last - n.max(1) as i32 + 1,
    };
    let from_text = format_ymd(from);
    let train = pairs(&|i| lines.day[i] < from);
    let hold = pairs(&|i| lines.day[i] >= from);
    if train.active() == 0 {
        return Err(fail(format!(
            "no purchases before {from_text}: nothing to learn from (pick a later --holdout-from)"
        )));
    }
    if hold.active() == 0 {
        return Err(fail(format!(
            "no purchases on or after {from_text}: the holdout is empty (pick an earlier --holdout-from)"
        )));
    }
    let new_items: Vec<Vec<u32>> = (0..nc)
        .map(|c| {
            if train.of[c].is_empty() {
                return Vec::new();
            }
            hold.of[c]
                .iter()
                .copied()
                .filter(|i| train.of[c].binary_search(i).is_err())
                .collect()
        })
        .collect();
    let who: Vec<usize> = (0..nc).filter(|&c| !new_items[c].is_empty()).collect();
    if who.is_empty() {
        return Err(fail(format!(
            "nobody who bought before {from_text} bought a product new to them after it: nothing to evaluate"
        )));
    }
    progress(0.1, "fitting EASE on the training period");
    let k = opts.top;
    let method = ease_lists(&train, &who, k, opts.lambda).map_err(|e| fail(e.to_string()))?;
    let method: Vec<Vec<u32>> = method
        .into_iter()
        .map(|l| l.into_iter().map(|(i, _)| i).collect())
        .collect();
    let news: Vec<Vec<u32>> = who.iter().map(|&c| new_items[c].clone()).collect();
    let popular = popularity_lists(&train, &who, k);
    let holdout = Evaluation {
        from: from_text,
        customers: who.len(),
        train_customers: train.active(),
        train_items: model_items(&train).len(),
        method: figures(&method, &news, k),
        popularity: figures(&popular, &news, k),
    };
    let mut lists = vec![Vec::new(); nc];
    if opts.lists {
        progress(0.55, "refitting on every purchase for the lists");
        let everyone: Vec<usize> = (0..nc).filter(|&c| !all.of[c].is_empty()).collect();
        let fitted =
            ease_lists(&all, &everyone, k, opts.lambda).map_err(|e| fail(e.to_string()))?;
        for (c, l) in everyone.into_iter().zip(fitted) {
            lists[c] = l;
        }
    }
    progress(1.0, "done");
    Ok(Recommendations {
        method: "EASE",
        lambda: opts.lambda,
        top: k,
        customers: all.active(),
        items: bought_items,
        holdout,
        lists,
        bought: all,
        customer_ids: lines.customers.clone(),
        products: lines.products.clone(),
        descriptions: lines.descriptions.clone(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Recommendations for an order log open in the dashboard, with the documented defaults.
pub fn recommend_workspace(
    log: &crate::data::Workspace,
    progress: &dyn Fn(f32, &str),
) -> Result<Recommendations, String> {
    use crate::data::orders::{RoleOverrides, Roles};
    let file = log.file_name();
    progress(0.02, "reading the order lines");
    let roles =
        Roles::detect(&log.df, &RoleOverrides::default(), &file).map_err(|e| e.to_string())?;
    let lines = Lines::read(&log.df, &roles, &file).map_err(|e| e.to_string())?;
    recommend(&lines, &file, &RecommendOptions::default(), progress)
}
