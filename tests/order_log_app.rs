//! An order log opened in the dashboard: recognised on load, `C` builds the customer table as a job, the
//! table replaces the log in every tab and the log is kept.

mod common;

use campaign_lens::app::{update, Action, Command};
use campaign_lens::jobs::JobKind;

/// Six customers, repeat purchases on several days, a cancellation and a line without a customer.
fn log_text() -> String {
    let mut t = String::from("Invoice,StockCode,Quantity,InvoiceDate,Price,Customer ID\n");
    let mut n = 1;
    for c in 0..6 {
        for visit in 0..(c + 1) {
            let day = 1 + visit * 4 + c;
            t.push_str(&format!(
                "{n},A{c},{},2010-01-{day:02} 10:00:00,2.5,{}.0\n",
                1 + c,
                100 + c
            ));
            n += 1;
        }
    }
    t.push_str("C9,A1,-1,2010-01-20 11:00:00,2.5,101.0\n");
    t.push_str("77,A1,3,2010-01-21 11:00:00,2.5,\n");
    t
}

#[test]
fn c_turns_an_order_log_into_the_customer_table_and_keeps_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::write_file(&dir, "orders.csv", &log_text());
    let mut app = common::app_on_path(&path);
    let status = app.status.clone().unwrap().text;
    assert!(
        status.contains("an order log: C builds the customer table"),
        "{status}"
    );
    let cmds = update(&mut app, Action::BuildCustomers);
    assert!(matches!(
        &cmds[..],
        [Command::Start {
            kind: JobKind::Customers { .. },
            ..
        }]
    ));
    common::run_jobs(&mut app, cmds);
    let after = app.status.clone().unwrap().text;
    let ws = app.ws.as_ref().unwrap();
    assert_eq!(ws.rows(), 6, "{after}");
    assert_eq!(ws.rows(), 6);
    assert_eq!(ws.file_name(), "orders.customers.csv");
    for c in [
        "Customer ID",
        "recency_days",
        "frequency",
        "monetary",
        "rfm_segment",
        "p_alive",
        "clv_365",
    ] {
        assert!(ws.profile(c).is_some(), "{c}");
    }
    // customer 105 bought on six days: five repeat purchases
    let ids = campaign_lens::data::profile::string_values(ws.df.column("Customer ID").unwrap());
    let repeats =
        campaign_lens::data::profile::f64_values(ws.df.column("repeat_purchases").unwrap())
            .unwrap();
    let i = ids
        .iter()
        .position(|v| v.as_deref() == Some("105"))
        .unwrap();
    assert_eq!(repeats[i], Some(5.0));
    assert_eq!(app.order_log.as_ref().unwrap().rows(), 23);
    let status = app.status.clone().unwrap().text;
    assert_eq!(
        status,
        "built 6 customers from 23 order lines (1 without a customer, 1 cancelled, 0 returns left out)"
    );
    // the Data tab now shows the customer table
    let screen = common::screen::screen(&app, 120, 40);
    assert!(screen.contains("customer table of orders.csv"), "{screen}");
}

#[test]
fn c_on_a_customer_table_says_why_not() {
    let mut app = common::app_on_sample("customers.csv");
    let status = app.status.clone().unwrap().text;
    assert!(!status.contains("order log"), "{status}");
    assert!(update(&mut app, Action::BuildCustomers).is_empty());
    let status = app.status.clone().unwrap().text;
    assert_eq!(
        status,
        "customers.csv: not an order log: no customer column (pass --customer COLUMN)"
    );
}
