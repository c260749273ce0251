//! The one colour palette, shared by the charts and the dashboard: Okabe and Ito's colour-blind-safe set
//! ("Color Universal Design", 2008), distinguishable under protanopia, deuteranopia and tritanopia. Persona
//! `i` has colour `i` everywhere: the persona chart, the PCA map, the deck and the terminal (through the
//! nearest xterm-256 colour, which every modern terminal and tmux show).
//!
//! Okabe-Ito's black is left out (it is the text colour); grey takes the eighth place.

/// An sRGB colour with the xterm-256 index nearest to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Swatch {
    pub rgb: (u8, u8, u8),
    pub xterm: u8,
    pub name: &'static str,
}

/// Series and persona colours, in order.
pub const SERIES: [Swatch; 8] = [
    sw(0x00, 0x72, 0xB2, 25, "blue"),
    sw(0xE6, 0x9F, 0x00, 178, "orange"),
    sw(0x00, 0x9E, 0x73, 35, "bluish green"),
    sw(0xCC, 0x79, 0xA7, 175, "reddish purple"),
    sw(0x56, 0xB4, 0xE9, 74, "sky blue"),
    sw(0xD5, 0x5E, 0x00, 166, "vermillion"),
    sw(0xF0, 0xE4, 0x42, 221, "yellow"),
    sw(0x99, 0x99, 0x99, 246, "grey"),
];

/// The main series of a one-series chart.
pub const MAIN: Swatch = SERIES[0];
/// A marked choice on a chart (the chosen k, the best depth): vermillion, apart from every persona's
/// first five colours.
pub const MARK: Swatch = SERIES[5];
/// Reference lines (chance, break-even).
pub const REFERENCE: Swatch = SERIES[7];

const fn sw(r: u8, g: u8, b: u8, xterm: u8, name: &'static str) -> Swatch {
    Swatch {
        rgb: (r, g, b),
        xterm,
        name,
    }
}

/// Persona (or cluster, or series) `i`'s colour.
pub fn series(i: usize) -> Swatch {
    SERIES[i % SERIES.len()]
}

impl Swatch {
    /// "#0072b2", for HTML.
    pub fn hex(&self) -> String {
        let (r, g, b) = self.rgb;
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}

/// The sRGB value xterm shows for a 256-colour index (6×6×6 cube from 16, grey ramp from 232).
pub fn xterm_rgb(i: u8) -> (u8, u8, u8) {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match i {
        16..=231 => {
            let c = i - 16;
            (
                LEVELS[(c / 36) as usize],
                LEVELS[(c / 6 % 6) as usize],
                LEVELS[(c % 6) as usize],
            )
        }
        232..=255 => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
        _ => (0, 0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(a: (u8, u8, u8), b: (u8, u8, u8)) -> i32 {
        let d = |x: u8, y: u8| (x as i32 - y as i32).pow(2);
        d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)
    }

    /// Each terminal colour is the xterm-256 colour nearest to the chart colour (of the 240 cube and grey
    /// entries, whose values xterm fixes), so a persona looks the same on screen and on the slide.
    #[test]
    fn terminal_colours_are_the_nearest_xterm_colours() {
        for s in SERIES {
            let best = (16..=255u8)
                .min_by_key(|&i| dist(xterm_rgb(i), s.rgb))
                .unwrap();
            assert_eq!(
                dist(xterm_rgb(s.xterm), s.rgb),
                dist(xterm_rgb(best), s.rgb),
                "{}: {} vs nearest {best}",
                s.name,
                s.xterm
            );
        }
        assert_eq!(xterm_rgb(25), (0, 95, 175));
        assert_eq!(MAIN.hex(), "#0072b2");
    }

    /// The first six series colours stay apart for colour-blind readers: simulated with Machado, Oliveira and
    /// Fernandes' matrices (IEEE TVCG 2009, severity 1.0, on linear RGB), every pair stays at least 0.1
    /// apart in linear RGB under protanopia, deuteranopia and tritanopia (the closest pairs, by numpy, are
    /// blue/reddish purple 0.165, bluish green/vermillion 0.204 and blue/bluish green 0.132).
    #[test]
    fn the_palette_survives_colour_blindness() {
        const M: [[[f64; 3]; 3]; 3] = [
            [
                [0.152286, 1.052583, -0.204868],
                [0.114503, 0.786281, 0.099216],
                [-0.003882, -0.048116, 1.051998],
            ],
            [
                [0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881],
            ],
            [
                [1.255528, -0.076749, -0.178779],
                [-0.078411, 0.930809, 0.147602],
                [0.004733, 0.691367, 0.303900],
            ],
        ];
        let lin = |c: u8| {
            let v = c as f64 / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        for m in M {
            let sim = |s: &Swatch| {
                let v = [lin(s.rgb.0), lin(s.rgb.1), lin(s.rgb.2)];
                m.map(|row| row.iter().zip(v).map(|(a, b)| a * b).sum::<f64>())
            };
            let first: Vec<[f64; 3]> = SERIES.iter().take(6).map(sim).collect();
            let mut closest = f64::INFINITY;
            for i in 0..first.len() {
                for j in 0..i {
                    let d = (0..3)
                        .map(|c| (first[i][c] - first[j][c]).powi(2))
                        .sum::<f64>()
                        .sqrt();
                    assert!(d > 0.1, "{} vs {}: {d:.3}", SERIES[i].name, SERIES[j].name);
                    closest = closest.min(d);
                }
            }
            assert!([0.165, 0.204, 0.132]
                .iter()
                .any(|c| (c - closest).abs() < 0.001));
        }
    }
}
