//! Order logs: recognising the roles (customer, date, amount or quantity × price, invoice, product) by
//! name and type, and reading the lines as plain vectors — cancellations (invoices starting with C) and
//! returns (negative quantities) marked, lines without a customer counted.

use polars::prelude::*;
use thiserror::Error;

use super::features::parse_ymd;
use super::profile::f64_chunked;

#[derive(Debug, Error, PartialEq)]
pub enum OrdersError {
    #[error("{file}: not an order log: no {role} column (pass --{flag} COLUMN)")]
    NoRole {
        file: String,
        role: &'static str,
        flag: &'static str,
    },
    #[error("{file}: no column named {0:?}", file = .1)]
    NoColumn(String, String),
    #[error("{file}: column {column:?} is not numeric")]
    NotNumeric { file: String, column: String },
    #[error("{file}: column {column:?}: {value:?} (row {row}) is not a date (yyyy-mm-dd, with an optional time)")]
    BadDate {
        file: String,
        column: String,
        value: String,
        row: usize,
    },
    #[error("{0}: no order lines with a customer")]
    Empty(String),
}

/// Columns chosen by hand (`--customer`, `--date`, …); the others are found by name.
#[derive(Debug, Clone, Default)]
pub struct RoleOverrides {
    pub customer: Option<String>,
    pub order: Option<String>,
    pub date: Option<String>,
    pub amount: Option<String>,
    pub quantity: Option<String>,
    pub price: Option<String>,
    pub product: Option<String>,
}

/// The columns playing each role.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Roles {
    pub customer: String,
    pub date: String,
    pub order: Option<String>,
    pub amount: Option<String>,
    pub quantity: Option<String>,
    pub price: Option<String>,
    pub product: Option<String>,
    pub description: Option<String>,
}

fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn find(df: &DataFrame, names: &[&str]) -> Option<String> {
    for want in names {
        if let Some(c) = df.columns().iter().find(|c| squash(c.name()) == *want) {
            return Some(c.name().to_string());
        }
    }
    None
}

impl Roles {
    /// Find the roles in `df`; an order log needs a customer, a date and an amount (or quantity and price).
    pub fn detect(df: &DataFrame, o: &RoleOverrides, file: &str) -> Result<Roles, OrdersError> {
        let pick =
            |given: &Option<String>, names: &[&str]| -> Result<Option<String>, OrdersError> {
                match given {
                    Some(c) if df.column(c).is_ok() => Ok(Some(c.clone())),
                    Some(c) => Err(OrdersError::NoColumn(c.clone(), file.into())),
                    None => Ok(find(df, names)),
                }
            };
        let need = |v: Option<String>, role: &'static str, flag: &'static str| {
            v.ok_or(OrdersError::NoRole {
                file: file.into(),
                role,
                flag,
            })
        };
        let customer = need(
            pick(
                &o.customer,
                &[
                    "customerid",
                    "customer",
                    "clientid",
                    "client",
                    "custid",
                    "userid",
                    "memberid",
                ],
            )?,
            "customer",
            "customer",
        )?;
        let date = need(
            pick(
                &o.date,
                &[
                    "invoicedate",
                    "orderdate",
                    "transactiondate",
                    "purchasedate",
                    "date",
                    "timestamp",
                    "datetime",
                ],
            )?,
            "date",
            "date",
        )?;
        let order = pick(
            &o.order,
            &[
                "invoice",
                "invoiceno",
                "invoiceid",
                "orderid",
                "order",
                "ordernumber",
                "transactionid",
            ],
        )?;
        let amount = pick(
            &o.amount,
            &["amount", "linetotal", "revenue", "sales", "total", "value"],
        )?;
        let quantity = pick(&o.quantity, &["quantity", "qty", "units"])?;
        let price = pick(&o.price, &["price", "unitprice"])?;
        if amount.is_none() && (quantity.is_none() || price.is_none()) {
            return Err(OrdersError::NoRole {
                file: file.into(),
                role: "amount (or quantity and price)",
                flag: "amount",
            });
        }
        let product = pick(
            &o.product,
            &["stockcode", "productid", "product", "sku", "itemid", "item"],
        )?;
        let description = find(df, &["description", "productname", "itemname"]);
        Ok(Roles {
            customer,
            date,
            order,
            amount,
            quantity,
            price,
            product,
            description,
        })
    }
}

/// The lines of a log with a customer, as vectors.
#[derive(Debug, Clone, Default)]
pub struct Lines {
    /// Index into `customers` per line.
    pub customer: Vec<u32>,
    pub customers: Vec<String>,
    /// Days since 1970-01-01.
    pub day: Vec<i32>,
    pub amount: Vec<f64>,
    /// Index into `orders` per line (None without an order column).
    pub order: Option<Vec<u32>>,
    pub orders: Vec<String>,
    /// Line of a cancelled invoice (its number starts with C).
    pub cancelled: Vec<bool>,
    /// A return: a negative quantity (or amount) on an invoice that is not a cancellation.
    pub returned: Vec<bool>,
    /// All lines read, and those left out for want of a customer.
    pub total_lines: usize,
    pub no_customer: usize,
    /// Index into `products` per line, with a product column (codes sorted, so indices follow the codes).
    pub product: Option<Vec<u32>>,
    pub products: Vec<String>,
    /// Each product's description as the log last named it (empty without a description column).
    pub descriptions: Vec<String>,
}

/// The product per kept line as sorted-code indices, the codes and their last non-empty descriptions.
fn read_products(
    codes: &[Option<String>],
    descriptions: Option<&[Option<String>]>,
    kept: &[usize],
) -> (Vec<u32>, Vec<String>, Vec<String>) {
    let mut seen: std::collections::HashMap<&str, u32> = Default::default();
    let mut names: Vec<&str> = Vec::new();
    let mut first: Vec<u32> = Vec::with_capacity(kept.len());
    let mut last_desc: Vec<Option<&str>> = Vec::new();
    for &i in kept {
        let code = codes[i].as_deref().unwrap_or("");
        let next = seen.len() as u32;
        let id = *seen.entry(code).or_insert_with(|| {
            names.push(code);
            last_desc.push(None);
            next
        });
        if let Some(d) = descriptions
            .and_then(|d| d[i].as_deref())
            .filter(|d| !d.trim().is_empty())
        {
            last_desc[id as usize] = Some(d);
        }
        first.push(id);
    }
    let mut order: Vec<u32> = (0..names.len() as u32).collect();
    order.sort_by(|a, b| names[*a as usize].cmp(names[*b as usize]));
    let mut rank = vec![0u32; names.len()];
    for (r, &o) in order.iter().enumerate() {
        rank[o as usize] = r as u32;
    }
    let products = order
        .iter()
        .map(|&o| names[o as usize].to_string())
        .collect();
    let descs = order
        .iter()
        .map(|&o| last_desc[o as usize].unwrap_or("").trim().to_string())
        .collect();
    (
        first.into_iter().map(|f| rank[f as usize]).collect(),
        products,
        descs,
    )
}

/// A customer id: a number (a float column's 13085.0) or text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum IdKey {
    Number(u64),
    Text(String),
}

/// A customer column read once: numbers as numbers, anything else as trimmed text.
enum Ids {
    Numbers(Vec<Option<f64>>),
    Texts(Vec<Option<String>>),
}

impl Ids {
    fn of(col: &Column) -> Ids {
        match f64_chunked(col) {
            Some(ca) => Ids::Numbers(ca.iter().map(|v| v.filter(|x| x.is_finite())).collect()),
            None => Ids::Texts(
                super::profile::string_values(col)
                    .into_iter()
                    .map(|v| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
                    .collect(),
            ),
        }
    }

    fn key(&self, i: usize) -> Option<IdKey> {
        match self {
            Ids::Numbers(v) => v[i].map(|x| IdKey::Number((x + 0.0).to_bits())),
            Ids::Texts(v) => v[i].clone().map(IdKey::Text),
        }
    }

    /// The id as text: 13085.0 is written 13085.
    fn text(&self, i: usize) -> String {
        match self {
            Ids::Numbers(v) => {
                let x = v[i].unwrap_or(f64::NAN);
                if x.fract() == 0.0 && x.abs() < 1e15 {
                    format!("{}", x as i64)
                } else {
                    format!("{x}")
                }
            }
            Ids::Texts(v) => v[i].clone().unwrap_or_default(),
        }
    }
}

/// Days since the epoch of a date, datetime or yyyy-mm-dd[ hh:mm:ss] text column.
fn days(col: &Column, file: &str) -> Result<Vec<Option<i32>>, OrdersError> {
    let bad = |value: String, row: usize| OrdersError::BadDate {
        file: file.into(),
        column: col.name().to_string(),
        value,
        row,
    };
    match col.dtype() {
        DataType::Date | DataType::Datetime(_, _) => {
            let s = col
                .as_materialized_series()
                .cast(&DataType::Date)
                .and_then(|s| s.cast(&DataType::Int32))
                .map_err(|e| bad(e.to_string(), 0))?;
            Ok(s.i32().map_err(|e| bad(e.to_string(), 0))?.iter().collect())
        }
        _ => {
            let series = col
                .as_materialized_series()
                .cast(&DataType::String)
                .map_err(|e| bad(e.to_string(), 0))?;
            let text = series.str().map_err(|e| bad(e.to_string(), 0))?;
            let mut out = Vec::with_capacity(text.len());
            let mut last: Option<(&str, i32)> = None;
            for (i, v) in text.iter().enumerate() {
                let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
                    out.push(None);
                    continue;
                };
                let head = v.get(..10).unwrap_or(v);
                // order logs are sorted by time: most lines repeat the previous line's day
                let d = match last {
                    Some((h, d)) if h == head => d,
                    _ => parse_ymd(head).ok_or_else(|| bad(v.to_string(), i + 2))?,
                };
                last = Some((head, d));
                out.push(Some(d));
            }
            Ok(out)
        }
    }
}

fn numbers(df: &DataFrame, name: &str, file: &str) -> Result<Vec<Option<f64>>, OrdersError> {
    let col = df
        .column(name)
        .map_err(|_| OrdersError::NoColumn(name.into(), file.into()))?;
    Ok(f64_chunked(col)
        .ok_or_else(|| OrdersError::NotNumeric {
            file: file.into(),
            column: name.into(),
        })?
        .iter()
        .collect())
}

impl Lines {
    /// Read the lines of `df` with the roles found.
    pub fn read(df: &DataFrame, roles: &Roles, file: &str) -> Result<Lines, OrdersError> {
        let col = |n: &str| {
            df.column(n)
                .map_err(|_| OrdersError::NoColumn(n.into(), file.into()))
        };
        let ids = Ids::of(col(&roles.customer)?);
        let day = days(col(&roles.date)?, file)?;
        let amount: Vec<Option<f64>> = match &roles.amount {
            Some(a) => numbers(df, a, file)?,
            None => {
                let q = numbers(df, roles.quantity.as_deref().unwrap_or_default(), file)?;
                let p = numbers(df, roles.price.as_deref().unwrap_or_default(), file)?;
                q.iter().zip(&p).map(|(q, p)| Some((*q)? * (*p)?)).collect()
            }
        };
        let quantity = match &roles.quantity {
            Some(q) => Some(numbers(df, q, file)?),
            None => None,
        };
        let invoice_text = match &roles.order {
            Some(o) => Some(
                col(o)?
                    .as_materialized_series()
                    .cast(&DataType::String)
                    .map_err(|_| OrdersError::NoColumn(o.clone(), file.into()))?,
            ),
            None => None,
        };
        let invoices = match &invoice_text {
            Some(s) => Some(
                s.str()
                    .map_err(|_| OrdersError::NoColumn(String::new(), file.into()))?
                    .iter()
                    .collect::<Vec<Option<&str>>>(),
            ),
            None => None,
        };
        let mut out = Lines {
            total_lines: df.height(),
            ..Default::default()
        };
        let mut cust_ids: std::collections::HashMap<IdKey, u32> = Default::default();
        let mut order_ids: std::collections::HashMap<&str, u32> = Default::default();
        let mut order_idx = Vec::new();
        let mut kept = Vec::new();
        for i in 0..df.height() {
            let (Some(key), Some(d)) = (ids.key(i), day[i]) else {
                out.no_customer += 1;
                continue;
            };
            let next = cust_ids.len() as u32;
            let ci = *cust_ids.entry(key).or_insert_with(|| {
                out.customers.push(ids.text(i));
                next
            });
            let inv: &str = invoices.as_ref().and_then(|v| v[i]).unwrap_or_default();
            let cancelled = inv.starts_with(['C', 'c']);
            let value = amount[i].filter(|v| v.is_finite()).unwrap_or(0.0);
            let negative = quantity
                .as_ref()
                .map_or(value < 0.0, |q| q[i].is_some_and(|q| q < 0.0));
            kept.push(i);
            out.customer.push(ci);
            out.day.push(d);
            out.amount.push(value);
            out.cancelled.push(cancelled);
            out.returned.push(negative && !cancelled);
            if invoices.is_some() {
                let next = order_ids.len() as u32;
                let oi = *order_ids.entry(inv).or_insert_with(|| {
                    out.orders.push(inv.to_string());
                    next
                });
                order_idx.push(oi);
            }
        }
        if invoices.is_some() {
            out.order = Some(order_idx);
        }
        if let Some(p) = &roles.product {
            let text = |n: &str| col(n).map(super::profile::string_values);
            let codes = text(p)?;
            let descs = match &roles.description {
                Some(d) => Some(text(d)?),
                None => None,
            };
            let (idx, products, descriptions) = read_products(
                &codes
                    .into_iter()
                    .map(|c| c.map(|c| c.trim().to_string()))
                    .collect::<Vec<_>>(),
                descs.as_deref(),
                &kept,
            );
            out.product = Some(idx);
            out.products = products;
            out.descriptions = descriptions;
        }
        if out.customer.is_empty() {
            return Err(OrdersError::Empty(file.into()));
        }
        Ok(out)
    }
}
