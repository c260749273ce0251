//! The stakeholder deck and the report's executive summary: structure, self-containment, and every
//! number against the JSON of the commands that compute it (`roi`, `segment`, `predict`).

mod common;

use campaign_lens::fmt::{money, pct, thousands};
use common::svg::text_fits;
use common::{cli_json, sample};
use serde_json::Value;

fn unescape(s: &str) -> String {
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The text between `start` and the next `end` after it.
fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    Some(&s[i..i + s[i..].find(end)?])
}

/// Every `<section class="slide …">…</section>`.
fn slides(deck: &str) -> Vec<&str> {
    deck.split("<section class=\"slide")
        .skip(1)
        .map(|s| s.split("</section>").next().unwrap())
        .collect()
}

/// The summary cards: (key, figure, caption), as a reader sees them.
fn cards(page: &str) -> Vec<(String, String, String)> {
    page.split("<div class=\"figure")
        .skip(1)
        .filter(|c| !c.starts_with("s\""))
        .map(|c| {
            (
                between(c, "data-key=\"", "\"").unwrap().to_string(),
                unescape(between(c, "<div class=\"big\">", "</div>").unwrap()),
                unescape(between(c, "<div class=\"caption\">", "</div>").unwrap()),
            )
        })
        .collect()
}

fn run_report(args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, Value) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let f = sample("customers.csv");
    let mut all = vec![
        "report",
        f.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    all.extend(args);
    all.push("--json");
    let json = cli_json(&all);
    (dir, out, json)
}

/// The quality words, as the brief for the summary defines them (AUC bands).
fn quality(auc: f64) -> &'static str {
    if auc >= 0.9 {
        "Excellent"
    } else if auc >= 0.8 {
        "Good"
    } else if auc >= 0.7 {
        "Fair"
    } else if auc >= 0.6 {
        "Weak"
    } else {
        "Barely better than chance"
    }
}

#[test]
fn the_deck_has_one_slide_per_idea_and_the_clis_numbers() {
    let (_dir, out, summary) = run_report(&[]);
    let deck = std::fs::read_to_string(out.join("deck.html")).unwrap();
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let f = sample("customers.csv");
    let f = f.to_str().unwrap();
    let seg = cli_json(&["segment", f, "--json"]);
    let roi = cli_json(&["roi", f, "--json"]);
    let pred = cli_json(&["predict", f, "--json"]);

    // self-contained: nothing fetched from anywhere, every image inline
    for page in [&deck, &index] {
        for needle in [
            "http://",
            "https://",
            "src=\"//",
            "href=\"//",
            "@import",
            "<link",
            "url(",
        ] {
            assert!(!page.contains(needle), "{needle} in a page");
        }
        for src in page.split(" src=\"").skip(1) {
            assert!(
                src.starts_with("data:image/png;base64,iVBORw0KGgo"),
                "{}",
                &src[..40]
            );
        }
    }

    // one <section> per idea: summary, segments, one per persona, model, ROI, next steps
    let personas = seg["personas"].as_array().unwrap();
    let s = slides(&deck);
    assert_eq!(s.len(), 5 + personas.len());
    assert_eq!(summary["slides"].as_u64(), Some(s.len() as u64));
    let title = |sl: &str| unescape(between(sl, "<h2>", "</h2>").unwrap());
    assert!(s[0].starts_with(" summary\""));
    for (sl, p) in s[2..2 + personas.len()].iter().zip(personas) {
        assert!(sl.starts_with(" persona\""), "{sl}");
        assert_eq!(title(sl), p["name"].as_str().unwrap());
        // the persona's numbers, as `segment --json` has them
        let stats = unescape(between(sl, "<p class=\"stats\">", "</p>").unwrap());
        assert_eq!(
            stats,
            format!(
                "{} customers · {} of the base · {} responders",
                thousands(p["size"].as_f64().unwrap()),
                pct(p["share"].as_f64().unwrap()),
                pct(p["target_rate"].as_f64().unwrap())
            )
        );
        assert!(sl.contains("<dt>Offer</dt>") && sl.contains("<dt>Recommended products</dt>"));
        assert!(unescape(sl).contains(&p["strategy"]["offer"].as_str().unwrap()[1..]));
    }
    assert_eq!(title(s[s.len() - 1]), "Next steps");
    for (i, sl) in s.iter().enumerate() {
        let notes = between(sl, "<aside class=\"notes\">", "</aside>").unwrap();
        assert!(
            notes.matches("<p>").count() >= 2,
            "slide {} has speaker notes",
            i + 1
        );
        assert!(sl.contains(&format!("{} / {}</footer>", i + 1, s.len())));
    }
    for i in [1, s.len() - 3, s.len() - 2] {
        assert!(
            s[i].contains("data:image/png;base64,"),
            "slide {} has its chart",
            i + 1
        );
    }
    // moving and printing
    for key in [
        "\"ArrowRight\"",
        "\"ArrowLeft\"",
        "\"PageDown\"",
        "\"PageUp\"",
    ] {
        assert!(deck.contains(key), "{key}");
    }
    let print = deck
        .split("@media print")
        .nth(1)
        .expect("a print stylesheet");
    assert!(print.contains("break-after:page") && print.contains("@page"));
    assert!(print.contains(".notes") && print.contains("display:none"));

    // the executive summary: the same cards first in index.html and on slide 1, numbers from the CLIs
    let c = cards(s[0]);
    assert_eq!(c, cards(&index));
    let heads: Vec<(String, String, String)> = summary["headlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let g = |k: &str| h[k].as_str().unwrap().to_string();
            (g("key"), g("figure"), g("label"))
        })
        .collect();
    assert_eq!(c, heads);
    assert!((3..=5).contains(&c.len()));
    let card = |k: &str| c.iter().find(|x| x.0 == k).unwrap();
    let (opt, all) = (&roi["optimal"], &roi["everyone"]);
    let num = |v: &Value, k: &str| v[k].as_f64().unwrap();
    assert_eq!(card("contact").1, thousands(num(opt, "contacted")));
    assert_eq!(card("profit").1, money(num(opt, "profit"), "$"));
    for part in [
        pct(num(opt, "roi")),
        money(num(all, "profit"), "$"),
        pct(num(all, "roi")),
    ] {
        assert!(
            card("profit").2.contains(&part),
            "{part} in {:?}",
            card("profit")
        );
    }
    // the highest rate among personas of at least 5 % of customers
    let best = personas
        .iter()
        .filter(|p| num(p, "share") >= 0.05)
        .max_by(|a, b| num(a, "target_rate").total_cmp(&num(b, "target_rate")))
        .unwrap();
    assert_eq!(card("persona").1, best["name"].as_str().unwrap());
    assert!(card("persona").2.contains(&pct(num(best, "target_rate"))));
    let m = &pred["models"][pred["selected"]["index"].as_u64().unwrap() as usize];
    let auc = num(m, "roc_auc");
    assert_eq!(card("model").1, quality(auc));
    assert!(card("model").2.contains(&format!("(AUC {auc:.3})")));
    // the ROI slide's table
    let table = unescape(between(s[s.len() - 2], "<table>", "</table>").unwrap());
    for o in [opt, all] {
        for v in [
            thousands(num(o, "contacted")),
            money(num(o, "cost"), "$"),
            money(num(o, "revenue"), "$"),
            money(num(o, "profit"), "$"),
            pct(num(o, "roi")),
        ] {
            assert!(table.contains(&format!("<td>{v}</td>")), "{v} in {table}");
        }
    }
    // the summary comes first in the Markdown too, with the recommendation
    let (summ, data) = (
        md.find("## Summary").unwrap(),
        md.find("## The data").unwrap(),
    );
    assert!(summ < data);
    let rec = summary["recommendation"].as_str().unwrap();
    assert!(md[summ..data].contains(rec));
    assert!(rec.starts_with(&format!(
        "Contact the {} best-scored customers",
        thousands(num(opt, "contacted"))
    )));
    assert_eq!(rec.matches(". ").count() + 1, 2, "two sentences: {rec}");

    // the contact column marks exactly the best-scored customers
    let scored = std::fs::read_to_string(out.join("scored_customers.csv")).unwrap();
    let rows: Vec<(f64, bool)> = scored
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (c[3].parse().unwrap(), c[4] == "yes")
        })
        .collect();
    let picked: Vec<f64> = rows.iter().filter(|r| r.1).map(|r| r.0).collect();
    assert_eq!(picked.len() as f64, num(opt, "contacted"));
    let lowest_in = picked.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(rows.iter().filter(|r| !r.1).all(|r| r.0 <= lowest_in));

    // the slides' own charts: text inside the image
    for name in ["personas", "gains", "profit"] {
        let svg = std::fs::read_to_string(out.join(format!("charts/slides/{name}.svg"))).unwrap();
        text_fits(&svg, name);
    }
}

/// Polyline points of an SVG, except the short legend strokes (two points on one line, 20 px long).
fn data_points(svg: &str) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for p in svg.split("points=\"").skip(1) {
        let pts: Vec<(f64, f64)> = p
            .split('"')
            .next()
            .unwrap()
            .split_whitespace()
            .map(|xy| {
                let (x, y) = xy.split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect();
        let legend = pts.len() == 2 && pts[0].1 == pts[1].1 && (pts[1].0 - pts[0].0) == 20.0;
        if !legend {
            out.extend(pts);
        }
    }
    out
}

/// Legends sit outside the data (above the plot), and every persona has its palette colour in the chart.
#[test]
fn legends_sit_above_the_data_and_personas_keep_their_colours() {
    let (_dir, out, _) = run_report(&[]);
    for (name, key) in [
        ("elbow", "chosen k = "),
        ("profit", "best depth: "),
        ("gains", "random order"),
    ] {
        let svg = std::fs::read_to_string(out.join(format!("charts/{name}.svg"))).unwrap();
        let part = svg.split(key).next().unwrap();
        let tag = part.rsplit("<text").next().unwrap();
        let y: f64 = between(tag, " y=\"", "\"").unwrap().parse().unwrap();
        let size: f64 = between(tag, "font-size=\"", "\"").unwrap().parse().unwrap();
        let top = data_points(&svg)
            .iter()
            .map(|p| p.1)
            .fold(f64::INFINITY, f64::min);
        assert!(
            y + size < top,
            "{name}: legend at {y}..{} above data from {top}",
            y + size
        );
    }
    let svg = std::fs::read_to_string(out.join("charts/personas.svg")).unwrap();
    let seg = cli_json(&[
        "segment",
        sample("customers.csv").to_str().unwrap(),
        "--json",
    ]);
    for p in seg["personas"].as_array().unwrap() {
        let id = p["id"].as_u64().unwrap() as usize;
        let hex = campaign_lens::palette::series(id).hex().to_uppercase();
        assert!(
            svg.contains(&format!("fill=\"{hex}\"")),
            "persona {id} in {hex}"
        );
        // the dashboard draws the same persona in the nearest terminal colour
        assert_eq!(
            campaign_lens::ui::theme::Theme::default().series(id),
            ratatui::style::Color::Indexed(campaign_lens::palette::series(id).xterm)
        );
    }
}

/// Prices at which no list pays: the summary says to hold the campaign instead of a loss-making list.
#[test]
fn the_summary_holds_a_campaign_that_cannot_pay() {
    let (_dir, out, summary) = run_report(&["--cost-per-contact", "50"]);
    let rec = summary["recommendation"].as_str().unwrap();
    assert!(
        rec.starts_with("Hold the campaign: at $50.00 a contact"),
        "{rec}"
    );
    let deck = std::fs::read_to_string(out.join("deck.html")).unwrap();
    let s = slides(&deck);
    assert!(s[0].contains("<h2>Hold the campaign: no contact list pays at these prices</h2>"));
    assert_eq!(cards(s[0])[0].1, "0");
    let steps = s[s.len() - 1];
    assert!(steps.contains("Rework the offer or the cost per contact"));
    let roi = cli_json(&[
        "roi",
        sample("customers.csv").to_str().unwrap(),
        "--cost-per-contact",
        "50",
        "--json",
    ]);
    assert_eq!(roi["optimal"]["contacted"].as_u64(), Some(0));
}

/// Persona names of any length: the bar chart's labels and title stay inside the image (a long name is
/// shortened with "…"), measured in the SVG with the bundled font.
#[test]
fn no_chart_text_leaves_the_image_at_any_persona_name_length() {
    use campaign_lens::analysis::personas::persona::Persona;
    use campaign_lens::analysis::personas::strategy::Strategy;
    use campaign_lens::export::charts::{draw_personas, SIZE};
    use plotters::prelude::*;
    for len in [3usize, 30, 60, 90, 200] {
        let personas: Vec<Persona> = (0..6)
            .map(|i| Persona {
                id: i,
                name: format!("{i} {}", "Wide-Spending Families ".repeat(10))
                    .chars()
                    .take(len)
                    .collect(),
                size: 100 * (i + 1),
                share: (i + 1) as f64 / 21.0,
                profile: Vec::new(),
                traits: Vec::new(),
                target_rate: Some(0.05 * (i + 1) as f64),
                strategy: Strategy {
                    channel: None,
                    channel_shares: Vec::new(),
                    deal_sensitivity: None,
                    over_indexed: Vec::new(),
                    offer: String::new(),
                    message: String::new(),
                },
            })
            .collect();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
            draw_personas(&root, &personas, "responders").unwrap();
        }
        text_fits(&svg, &format!("personas with {len}-character names"));
        let shortened = svg.contains('…');
        if len <= 60 {
            assert!(!shortened, "{len}: a name that fits is whole");
        }
        if len == 200 {
            assert!(shortened, "a 200-character name is shortened");
        }
    }
}

/// On a customer table built from the Online Retail II log, the summary's customers at risk are the big
/// spenders (top 20 % by monetary) with P(alive) under 0.8, counted here from the table itself; the
/// positives are called repeat buyers.
#[test]
fn the_summary_counts_lapsing_big_spenders_on_a_lifetime_table() {
    let Some(log) = common::shared("online_retail_II_2009-2010.parquet") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("c.csv");
    cli_json(&[
        "customers",
        log.to_str().unwrap(),
        "--calibration-end",
        "2010-09-09",
        "--out",
        table.to_str().unwrap(),
        "--json",
    ]);
    let out = dir.path().join("report");
    let summary = cli_json(&[
        "report",
        table.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    let text = std::fs::read_to_string(&table).unwrap();
    let head: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let col = |n: &str| head.iter().position(|h| *h == n).unwrap();
    let (m, a) = (col("monetary"), col("p_alive"));
    let rows: Vec<(f64, f64)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (c[m].parse().unwrap(), c[a].parse().unwrap())
        })
        .collect();
    let mut spend: Vec<f64> = rows.iter().map(|r| r.0).collect();
    spend.sort_by(|x, y| y.total_cmp(x));
    let cut = spend[(rows.len() as f64 * 0.2).ceil() as usize - 1];
    let at_risk = rows.iter().filter(|r| r.0 >= cut && r.1 < 0.8).count();
    assert!(at_risk > 0);
    assert_eq!(
        summary["at_risk"]["customers"].as_u64(),
        Some(at_risk as u64)
    );
    let c = cards(&std::fs::read_to_string(out.join("deck.html")).unwrap());
    let card = c
        .iter()
        .find(|x| x.0 == "at_risk")
        .expect("an at-risk figure");
    assert_eq!(card.1, thousands(at_risk as f64));
    assert!(card.2.contains("P(alive) under 80.0 %"), "{card:?}");
    assert!(c.iter().any(|x| x.2.contains("are repeat buyers")), "{c:?}");
}
