//! The report's pages: `index.html` (charts embedded) and `report.md`, from the same sections, the
//! executive summary first.

use std::fmt::Write as _;
use std::path::Path;

use crate::export::report::parts::{sentence, Headline, Parts};
use crate::export::{base64, html};
use crate::fmt::{money, pct, thousands};

/// A section: heading, paragraphs, the chart drawn under it.
pub type Section = (String, Vec<String>, Option<&'static str>);

/// (heading, paragraphs, chart name) — the same content for HTML and Markdown.
pub fn sections(p: &Parts) -> Vec<Section> {
    let ws = p.ws;
    let seg = p.seg;
    let Some(m) = p.pred.report.selected() else {
        return Vec::new();
    };
    let target = format!(
        "{} = {}",
        p.pred.target.label(),
        p.pred.target.positive_label()
    );
    let mut out = vec![(
        "The data".to_string(),
        vec![format!(
            "{} holds {} customers and {} columns. {} of them have {} ({}). Segments use {} customers with complete values on {} features ({}).",
            ws.file_name(),
            thousands(ws.rows() as f64),
            ws.df.width(),
            thousands((p.pred.report.base_rate * p.pred.report.rows as f64).round()),
            target,
            pct(p.pred.report.base_rate),
            thousands(seg.rows_used as f64),
            seg.config.features.len(),
            seg.config.features.join(", ")
        )],
        None,
    )];
    let sil = seg
        .sweep
        .points
        .iter()
        .find(|x| x.k == seg.chosen_k)
        .and_then(|x| x.silhouette)
        .unwrap_or(f64::NAN);
    out.push((
        format!("{} customer segments", seg.chosen_k),
        vec![format!(
            "We tried k-means with 2 to 10 groups. {}. With k = {} the groups are separated with a silhouette of {sil:.2} (1 is perfectly separated, 0 is overlapping).",
            sentence(&seg.k_reason), seg.chosen_k
        )],
        Some("elbow"),
    ));
    for persona in &seg.personas {
        let mut paras = vec![format!(
            "{} customers ({} of the base){}.",
            thousands(persona.size as f64),
            pct(persona.share),
            persona
                .target_rate
                .map(|r| format!("; {} of them have {target}", pct(r)))
                .unwrap_or_default()
        )];
        paras.extend(persona.traits.iter().take(4).cloned());
        if let Some(c) = &persona.strategy.channel {
            paras.push(format!("Reach them by {c}."));
        }
        paras.push(format!("Offer: {}.", persona.strategy.offer));
        paras.push(format!("Message: {}.", persona.strategy.message));
        if let Some(products) = p.products.get(persona.id).filter(|v| !v.is_empty()) {
            paras.push(format!(
                "{}{}: {}.",
                p.products_label,
                if p.products_label.starts_with("Most likely") {
                    " (from each member's recommendations)"
                } else {
                    ""
                },
                products.join(", ")
            ));
        }
        out.push((format!("Persona: {}", persona.name), paras, None));
    }
    out.push(("How the segments compare".into(), vec![], Some("personas")));
    out.push((
        "How well we can predict who responds".into(),
        vec![
            format!(
                "We compared {} models on the same split and folds. {}",
                p.pred.report.models.len(),
                p.pred.report.selection.as_ref().map_or(String::new(), |s| s.words.clone())
            ),
            format!(
                "Its scores are probabilities ({}; Brier score {:.3}, where always guessing the average rate scores {:.3}). On customers it has not seen: {}",
                match m.calibrator.name() {
                    "none" => "they needed no correction".to_string(),
                    c => format!("corrected by {c} calibration on the training folds"),
                },
                m.brier,
                p.pred.report.base_rate * (1.0 - p.pred.report.base_rate),
                crate::cli::predict::auc_words(m.roc_auc, &target)
            ),
            format!(
                "The best-scored 10 % of customers hold {:.1}× as many responders as a random 10 % (top-decile lift).",
                p.lift
            ),
        ],
        Some("roc"),
    ));
    out.push(("Who to contact first".into(), vec![], Some("gains")));
    let b = &p.best;
    out.push((
        "What the campaign is worth".into(),
        vec![format!(
            "At {} per contact and {} per response, contact the best {} customers ({} of the base): about {:.0} responses, {} revenue for {} cost, an expected profit of {} (ROI {}). A contact pays for itself when at least {} of those contacted respond.",
            money(p.econ.cost_per_contact, "$"),
            money(p.econ.revenue_per_response, "$"),
            thousands(b.contacted as f64),
            pct(b.depth),
            b.expected_responses,
            money(b.revenue, "$"),
            money(b.cost, "$"),
            money(b.profit, "$"),
            b.roi.map(pct).unwrap_or_else(|| "–".into()),
            pct(p.econ.break_even_rate())
        )],
        Some("profit"),
    ));
    out
}

pub fn markdown(p: &Parts, sections: &[Section]) -> String {
    let mut s = format!("# Campaign report: {}\n\n## Summary\n\n", p.ws.file_name());
    for h in p.headlines() {
        let _ = writeln!(s, "- **{}** {}", h.figure, h.label);
    }
    let _ = writeln!(s, "\n{}\n", p.recommendation());
    for (h, paras, chart) in sections {
        let _ = writeln!(s, "## {h}\n");
        for para in paras {
            let _ = writeln!(s, "{para}\n");
        }
        if let Some(c) = chart {
            let _ = writeln!(s, "![{h}](charts/{c}.png)\n");
        }
    }
    s
}

pub fn page(p: &Parts, sections: &[Section], charts: &Path) -> Result<String, String> {
    let mut s = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Campaign report: {0}</title><style>{1}</style></head><body><h1>Campaign report: {0}</h1>\n<p class=\"deck-link\">Presenting? Open <a href=\"deck.html\">the slides</a> (arrow keys move, N shows the speaker notes).</p>\n",
        html(&p.ws.file_name()),
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/report.css"))
    );
    let _ = writeln!(
        s,
        "<section class=\"summary\"><h2>Summary</h2>\n{}<p class=\"recommendation\">{}</p></section>",
        figures(&p.headlines()),
        html(&p.recommendation())
    );
    for (h, paras, chart) in sections {
        let _ = writeln!(s, "<h2>{}</h2>", html(h));
        for para in paras {
            let _ = writeln!(s, "<p>{}</p>", html(para));
        }
        if let Some(c) = chart {
            let bytes =
                std::fs::read(charts.join(format!("{c}.png"))).map_err(|e| e.to_string())?;
            let _ = writeln!(
                s,
                "<img alt=\"{}\" src=\"data:image/png;base64,{}\">",
                html(h),
                base64(&bytes)
            );
        }
    }
    s.push_str("</body></html>\n");
    Ok(s)
}

/// The headline figures as cards: a large figure over its caption (shared with the deck).
pub fn figures(headlines: &[Headline]) -> String {
    let mut s = String::from("<div class=\"figures\">\n");
    for h in headlines {
        let _ = writeln!(
            s,
            "<div class=\"figure{}\" data-key=\"{}\"><div class=\"big\">{}</div><div class=\"caption\">{}</div></div>",
            if h.figure.chars().count() > 12 { " wordy" } else { "" },
            h.key,
            html(&h.figure),
            html(&h.label)
        );
    }
    s.push_str("</div>\n");
    s
}
