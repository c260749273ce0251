//! `deck.html`: the report as slides for a ten-minute talk. One self-contained file (styles, script and
//! charts inline, no external request), one `<section>` per slide (summary, segments, one per persona,
//! model quality, ROI, next steps), each with its speaker notes in an `<aside class="notes">`. Arrow keys
//! and Page Up/Down move, N shows the notes, `#3` in the address opens slide 3, and printing gives one
//! slide per page.

use std::fmt::Write as _;
use std::path::Path;

use crate::export::charts::findings;
use crate::export::report::page::figures;
use crate::export::report::parts::{sentence, Parts};
use crate::export::{base64, html};
use crate::fmt::{money, pct, thousands};
use crate::palette;

/// The deck's HTML and how many slides it has.
pub struct Deck {
    pub html: String,
    pub slides: usize,
}

struct Slide {
    /// An extra class ("summary", "persona") for the layout.
    class: &'static str,
    /// Inline style (a persona's colour).
    style: String,
    title: String,
    body: String,
    notes: Vec<String>,
}

fn chart(charts: &Path, name: &str, alt: &str) -> Result<String, String> {
    let path = charts.join(format!("{name}.png"));
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(format!(
        "<div class=\"chart\"><img alt=\"{}\" src=\"data:image/png;base64,{}\"></div>",
        html(alt),
        base64(&bytes)
    ))
}

fn list(items: &[String]) -> String {
    let mut s = String::from("<ul>");
    for i in items {
        let _ = write!(s, "<li>{}</li>", html(i));
    }
    s.push_str("</ul>");
    s
}

/// Build the slides.
pub fn deck(p: &Parts, charts: &Path) -> Result<Deck, String> {
    let mut slides = vec![summary(p)];
    slides.push(segments(p, charts)?);
    for persona in &p.seg.personas {
        slides.push(persona_slide(p, persona));
    }
    slides.push(model(p, charts)?);
    slides.push(roi(p, charts)?);
    slides.push(next_steps(p));
    let n = slides.len();
    let mut s = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Campaign plan: {}</title><style>{}</style></head><body>\n",
        html(&p.ws.file_name()),
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/deck.css"))
    );
    for (i, sl) in slides.iter().enumerate() {
        let _ = writeln!(
            s,
            "<section class=\"slide {}\" id=\"slide-{}\"{}><h2>{}</h2>\n{}\n<aside class=\"notes\"><h3>Speaker notes</h3>{}</aside><footer>{} · {} / {n}</footer></section>",
            sl.class,
            i + 1,
            if sl.style.is_empty() {
                String::new()
            } else {
                format!(" style=\"{}\"", sl.style)
            },
            html(&sl.title),
            sl.body,
            sl.notes
                .iter()
                .map(|t| format!("<p>{}</p>", html(t)))
                .collect::<String>(),
            html(&p.ws.file_name()),
            i + 1
        );
    }
    let _ = writeln!(
        s,
        "<script>{}</script></body></html>",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/deck.js"))
    );
    Ok(Deck { html: s, slides: n })
}

fn summary(p: &Parts) -> Slide {
    let b = &p.best;
    let title = if b.contacted == 0 || b.profit <= 0.0 {
        "Hold the campaign: no contact list pays at these prices".to_string()
    } else {
        format!(
            "Contact {} customers to earn {}",
            thousands(b.contacted as f64),
            money(b.profit, "$")
        )
    };
    let body = format!(
        "{}<p class=\"recommendation\">{}</p>",
        figures(&p.headlines()),
        html(&p.recommendation())
    );
    let mut notes = vec![
        "Open with the answer, then spend the rest of the time on who these customers are and why the numbers hold.".to_string(),
        p.recommendation(),
    ];
    notes.push(format!(
        "Contacting everyone ({} customers) would cost {} for about {:.0} responses.",
        thousands(p.everyone.contacted as f64),
        money(p.everyone.cost, "$"),
        p.everyone.expected_responses
    ));
    Slide {
        class: "summary",
        style: String::new(),
        title,
        body,
        notes,
    }
}

fn segments(p: &Parts, charts: &Path) -> Result<Slide, String> {
    let seg = p.seg;
    let mut rows = String::from("<ul class=\"legend\">");
    for persona in &seg.personas {
        let _ = write!(
            rows,
            "<li><span class=\"swatch\" style=\"background:{}\"></span><b>{}</b>: {} customers ({}){}</li>",
            palette::series(persona.id).hex(),
            html(&persona.name),
            thousands(persona.size as f64),
            pct(persona.share),
            persona
                .target_rate
                .map(|r| format!(", {} {}", pct(r), p.noun))
                .unwrap_or_default()
        );
    }
    rows.push_str("</ul>");
    let body = format!(
        "<div class=\"cols\"><div class=\"text\">{rows}</div>{}</div>",
        chart(charts, "personas", "Personas by share of customers")?
    );
    Ok(Slide {
        class: "",
        style: String::new(),
        title: findings::personas(&seg.personas, &p.noun),
        body,
        notes: vec![
            format!(
                "We grouped {} customers on {} measures: {}.",
                thousands(seg.rows_used as f64),
                seg.config.features.len(),
                seg.config.features.join(", ")
            ),
            format!(
                "{}. We tried 2 to 10 groups and kept {}.",
                sentence(&seg.k_reason),
                seg.chosen_k
            ),
            "The next slides give each group a name, what sets it apart and how to speak to it."
                .into(),
        ],
    })
}

fn persona_slide(p: &Parts, persona: &crate::analysis::personas::persona::Persona) -> Slide {
    let colour = palette::series(persona.id).hex();
    let stats = format!(
        "{} customers · {} of the base{}",
        thousands(persona.size as f64),
        pct(persona.share),
        persona
            .target_rate
            .map(|r| format!(" · {} {}", pct(r), p.noun))
            .unwrap_or_default()
    );
    let traits: Vec<String> = persona.traits.iter().take(3).cloned().collect();
    let s = &persona.strategy;
    let mut plan = String::from("<dl class=\"plan\">");
    if let Some(c) = &s.channel {
        let _ = write!(plan, "<dt>Channel</dt><dd>{}</dd>", html(&sentence(c)));
    }
    let _ = write!(
        plan,
        "<dt>Offer</dt><dd>{}</dd><dt>Message</dt><dd>{}</dd>",
        html(&sentence(&s.offer)),
        html(&sentence(&s.message))
    );
    if let Some(products) = p.products.get(persona.id).filter(|v| !v.is_empty()) {
        let _ = write!(
            plan,
            "<dt>Recommended products</dt><dd>{}</dd>",
            html(&products.join(", "))
        );
    }
    plan.push_str("</dl>");
    let body = format!(
        "<p class=\"stats\">{}</p><div class=\"cols\"><div class=\"traits\"><h3>Who they are</h3>{}</div><div class=\"strategy\"><h3>How to reach them</h3>{plan}</div></div>",
        html(&stats),
        list(&traits)
    );
    let mut notes = vec![format!("{}: {stats}.", persona.name)];
    notes.extend(persona.traits.iter().cloned());
    if let Some(d) = &s.deal_sensitivity {
        notes.push(sentence(d));
    }
    if let Some(products) = p.products.get(persona.id).filter(|v| !v.is_empty()) {
        notes.push(format!("{}: {}.", p.products_label, products.join(", ")));
    }
    Slide {
        class: "persona",
        style: format!("--persona:{colour}"),
        title: persona.name.clone(),
        body,
        notes,
    }
}

fn model(p: &Parts, charts: &Path) -> Result<Slide, String> {
    let m = p.pred.report.selected().ok_or("no model")?;
    let points = vec![
        format!(
            "{}: it ranks the right customer first {:.0} % of the time (AUC {:.3}).",
            sentence(findings::quality(m.roc_auc)),
            m.roc_auc * 100.0,
            m.roc_auc
        ),
        format!(
            "Chosen from {} models by cross-validated AUC, checked on customers it had not seen.",
            p.pred.report.models.len()
        ),
        format!(
            "Scores are probabilities: on average {} of customers are {}.",
            pct(p.pred.report.base_rate),
            p.noun
        ),
    ];
    let body = format!(
        "<div class=\"cols\"><div class=\"text\">{}</div>{}</div>",
        list(&points),
        chart(charts, "gains", "Cumulative gains")?
    );
    let mut notes = vec![p
        .pred
        .report
        .selection
        .as_ref()
        .map_or(String::new(), |s| s.words.clone())];
    notes.push(format!(
        "Checked on {} customers the model did not see while fitting. Brier score {:.3}; always guessing the average rate scores {:.3}.",
        thousands(m.test_y.len() as f64),
        m.brier,
        p.pred.report.base_rate * (1.0 - p.pred.report.base_rate)
    ));
    Ok(Slide {
        class: "",
        style: String::new(),
        title: findings::gains(&p.deciles, &p.noun),
        body,
        notes,
    })
}

fn roi(p: &Parts, charts: &Path) -> Result<Slide, String> {
    let (b, e) = (&p.best, &p.everyone);
    let roi =
        |o: &crate::analysis::money::roi::Outcome| o.roi.map(pct).unwrap_or_else(|| "–".into());
    let money_row = |name: &str, f: fn(&crate::analysis::money::roi::Outcome) -> f64| {
        format!(
            "<tr><th>{name}</th><td>{}</td><td>{}</td></tr>",
            money(f(b), "$"),
            money(f(e), "$")
        )
    };
    let table = format!(
        "<table><tr><th></th><th>best-scored</th><th>everyone</th></tr><tr><th>contacted</th><td>{}</td><td>{}</td></tr>{}{}{}<tr><th>ROI</th><td>{}</td><td>{}</td></tr></table>",
        thousands(b.contacted as f64),
        thousands(e.contacted as f64),
        money_row("cost", |o| o.cost),
        money_row("revenue", |o| o.revenue),
        money_row("profit", |o| o.profit),
        roi(b),
        roi(e)
    );
    let body = format!(
        "<div class=\"cols\">{}<div class=\"text\">{table}<p>A contact pays for itself when at least {} of those contacted respond.</p></div></div>",
        chart(charts, "profit", "Profit by targeting depth")?,
        pct(p.econ.break_even_rate())
    );
    Ok(Slide {
        class: "",
        style: String::new(),
        title: findings::profit(b, "$"),
        body,
        notes: vec![
            format!(
                "The prices: {} per contact and {} per response. Change them with --cost-per-contact and --revenue-per-response, or live on the ROI tab of the dashboard.",
                money(p.econ.cost_per_contact, "$"),
                money(p.econ.revenue_per_response, "$")
            ),
            format!(
                "Going deeper than the best {} adds customers who are less likely to respond than the break-even {}, so profit falls.",
                pct(b.depth),
                pct(p.econ.break_even_rate())
            ),
        ],
    })
}

fn next_steps(p: &Parts) -> Slide {
    let b = &p.best;
    let mut steps = Vec::new();
    if b.contacted > 0 && b.profit > 0.0 {
        steps.push(format!(
            "Approve a budget of {} for the {} customers marked contact = yes in scored_customers.csv.",
            money(b.cost, "$"),
            thousands(b.contacted as f64)
        ));
    } else {
        steps.push("Rework the offer or the cost per contact until a list makes a profit.".into());
    }
    if let Some(best) = p.best_persona() {
        steps.push(format!(
            "Brief the creative team on {} first: {}.",
            best.name, best.strategy.message
        ));
    }
    steps.push(
        "Hold back a random 10 % of the list as a control group, to measure the real lift.".into(),
    );
    steps.push(
        "Score next month's customers with model.json (campaign-lens score), or in the warehouse with campaign-lens sql.".into(),
    );
    if let Some(r) = &p.at_risk {
        steps.push(format!(
            "Plan a retention offer for the {} customers at risk.",
            thousands(r.customers as f64)
        ));
    }
    Slide {
        class: "steps",
        style: String::new(),
        title: "Next steps".into(),
        body: format!("<ol>{}</ol>", steps.iter().map(|s| format!("<li>{}</li>", html(s))).collect::<String>()),
        notes: vec![
            "Close by asking for the decision on the first step; the rest can follow by email.".into(),
            "Everything shown is in the report folder: index.html for reading, scored_customers.csv for the list, model.json to score again.".into(),
        ],
    }
}
