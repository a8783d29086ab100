//! The one colour palette of every map qpv draws, QGIS styles and HTML reports alike: the
//! colour-blind-safe palette of Okabe & Ito (2008), each colour spelt as QGIS wants it
//! (`r,g,b`) and as SVG wants it (`#RRGGBB`).
//!
//! # Examples
//!
//! ```
//! use qpv::output::palette;
//! assert_eq!(palette::VERMILLION.rgb, "213,94,0");
//! assert_eq!(palette::VERMILLION.hex, "#D55E00");
//! ```

/// One colour, in both spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour {
    /// `r,g,b` (QGIS styles).
    pub rgb: &'static str,
    /// `#RRGGBB` (SVG, HTML).
    pub hex: &'static str,
}

/// Orange.
pub const ORANGE: Colour = Colour {
    rgb: "230,159,0",
    hex: "#E69F00",
};
/// Sky blue.
pub const SKY_BLUE: Colour = Colour {
    rgb: "86,180,233",
    hex: "#56B4E9",
};
/// Bluish green.
pub const BLUISH_GREEN: Colour = Colour {
    rgb: "0,158,115",
    hex: "#009E73",
};
/// Yellow.
pub const YELLOW: Colour = Colour {
    rgb: "240,228,66",
    hex: "#F0E442",
};
/// Blue.
pub const BLUE: Colour = Colour {
    rgb: "0,114,178",
    hex: "#0072B2",
};
/// Vermillion.
pub const VERMILLION: Colour = Colour {
    rgb: "213,94,0",
    hex: "#D55E00",
};
/// Reddish purple.
pub const REDDISH_PURPLE: Colour = Colour {
    rgb: "204,121,167",
    hex: "#CC79A7",
};
/// Grey for values outside the known categories.
pub const GREY: Colour = Colour {
    rgb: "120,120,120",
    hex: "#787878",
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Both spellings of each colour are the same colour.
    #[test]
    fn spellings_agree() {
        for c in [
            ORANGE,
            SKY_BLUE,
            BLUISH_GREEN,
            YELLOW,
            BLUE,
            VERMILLION,
            REDDISH_PURPLE,
            GREY,
        ] {
            let rgb: Vec<u8> = c.rgb.split(',').map(|v| v.parse().unwrap()).collect();
            let hex: Vec<u8> = (0..3)
                .map(|i| u8::from_str_radix(&c.hex[1 + 2 * i..3 + 2 * i], 16).unwrap())
                .collect();
            assert_eq!(rgb, hex, "{c:?}");
        }
    }
}
