//! Colours from the terminal's own palette (so light and dark themes both work); `NO_COLOR` turns colour off
//! and leaves bold/reverse for emphasis.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub accent: Color,
    pub dim: Color,
    pub error: Color,
    pub good: Color,
    pub bar: Color,
    pub bar_alt: Color,
    pub colour: bool,
}

impl Theme {
    pub fn detect() -> Self {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            Self::mono()
        } else {
            Self::default()
        }
    }

    /// The theme a setting names ("default", "high-contrast", "mono"); NO_COLOR wins.
    pub fn named(name: &str) -> Self {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) || name == "mono" {
            return Self::mono();
        }
        if name == "high-contrast" {
            return Self::high_contrast();
        }
        Self::default()
    }

    pub fn mono() -> Self {
        Self {
            accent: Color::Reset,
            dim: Color::Reset,
            error: Color::Reset,
            good: Color::Reset,
            bar: Color::Reset,
            bar_alt: Color::Reset,
            colour: false,
        }
    }

    /// Bright, bold colours for projectors and low-contrast terminals.
    pub fn high_contrast() -> Self {
        Self {
            accent: Color::Yellow,
            dim: Color::White,
            error: Color::LightRed,
            good: Color::LightGreen,
            bar: Color::White,
            bar_alt: Color::Yellow,
            colour: true,
        }
    }

    pub fn title(&self) -> Style {
        Style::default()
            .fg(self.accent)
            .add_modifier(Modifier::BOLD)
    }
    pub fn dim(&self) -> Style {
        if self.colour {
            Style::default().fg(self.dim)
        } else {
            Style::default()
        }
    }
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    pub fn error(&self) -> Style {
        Style::default().fg(self.error).add_modifier(Modifier::BOLD)
    }
    pub fn good(&self) -> Style {
        Style::default().fg(self.good)
    }
    pub fn bar(&self) -> Style {
        Style::default().fg(self.bar)
    }
    /// A series/persona colour: the charts' colour-blind-safe palette, as the nearest xterm-256 colour.
    pub fn series(&self, i: usize) -> Color {
        if !self.colour {
            return Color::Reset;
        }
        Color::Indexed(crate::palette::series(i).xterm)
    }
}

impl Default for Theme {
    fn default() -> Self {
        Self {
            accent: Color::Cyan,
            dim: Color::DarkGray,
            error: Color::Red,
            good: Color::Green,
            bar: Color::Cyan,
            bar_alt: Color::Yellow,
            colour: true,
        }
    }
}
