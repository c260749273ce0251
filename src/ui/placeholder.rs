//! Tabs whose capability is not built yet say what will be there.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::{App, Tab};

pub fn description(tab: Tab) -> &'static str {
    match tab {
        Tab::Data => "Load and profile a customer table.",
        Tab::Segments => "Coming next: k-means segments with an elbow curve and silhouette scores, a PCA map of the customers, and the chosen k written back to the shared table as a cluster column.",
        Tab::Personas => "Coming next: one card per segment with a generated name, the traits that set it apart, its response rate, a channel and offer strategy, and a presenter mode for walking stakeholders through them.",
        Tab::Predict => "Coming next: a response or churn model (logistic regression and a decision tree) with ROC, gains and calibration, coefficients read in words, and a propensity score added to every customer.",
        Tab::Roi => "Coming next: what-if sliders for cost per contact, margin, budget and targeting depth, the profit curve, and channel-level budget reallocation for campaign tables.",
    }
}

pub fn draw(f: &mut Frame, app: &App, tab: Tab, area: Rect) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", tab.title()));
    let text = vec![
        Line::from(Span::styled(tab.title(), app.theme.title())),
        Line::from(""),
        Line::from(description(tab)),
    ];
    f.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: true }).block(block),
        area,
    );
}
