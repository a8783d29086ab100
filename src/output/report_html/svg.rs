//! A small SVG writer for the report's maps and charts: elements with escaped text and
//! attributes, and a viewport that turns Lambert-93 metres into SVG pixels (y downwards).

use std::fmt::Write;

use geo::{Coord, LineString, MultiPolygon, Rect};

/// Escapes `&`, `<`, `>`, `"` for text and attribute values.
///
/// ```
/// assert_eq!(qpv::output::report_html::svg::escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Maps a rectangle of the working CRS onto `width` × `height` pixels, same scale on both axes
/// (the rectangle is widened to the picture's proportions), north up.
#[derive(Debug, Clone, Copy)]
pub struct Viewport {
    /// The ground rectangle shown, metres.
    pub ground: Rect<f64>,
    /// Picture width, pixels.
    pub width: f64,
    /// Picture height, pixels.
    pub height: f64,
    /// Pixels per metre.
    pub scale: f64,
}

impl Viewport {
    /// The smallest view of `ground` with the picture's proportions, centred on it.
    pub fn fit(ground: Rect<f64>, width: f64, height: f64) -> Self {
        let scale = (width / ground.width()).min(height / ground.height());
        let c = ground.center();
        let (half_w, half_h) = (width / scale / 2.0, height / scale / 2.0);
        Viewport {
            ground: Rect::new(
                Coord {
                    x: c.x - half_w,
                    y: c.y - half_h,
                },
                Coord {
                    x: c.x + half_w,
                    y: c.y + half_h,
                },
            ),
            width,
            height,
            scale,
        }
    }

    /// Pixel position of a ground point.
    pub fn px(&self, c: Coord<f64>) -> (f64, f64) {
        (
            (c.x - self.ground.min().x) * self.scale,
            (self.ground.max().y - c.y) * self.scale,
        )
    }

    /// SVG path data (`M … Z`) of polygons, rings closed, pixels to 0.1.
    pub fn path_data(&self, area: &MultiPolygon<f64>) -> String {
        let mut d = String::new();
        for p in &area.0 {
            self.ring(&mut d, p.exterior());
            for hole in p.interiors() {
                self.ring(&mut d, hole);
            }
        }
        d
    }

    fn ring(&self, d: &mut String, ring: &LineString<f64>) {
        for (i, c) in ring.0.iter().enumerate() {
            let (x, y) = self.px(*c);
            let _ = write!(d, "{}{:.1} {:.1}", if i == 0 { "M" } else { "L" }, x, y);
        }
        d.push('Z');
    }
}

/// An SVG document being written: elements are appended in painting order.
#[derive(Debug, Default)]
pub struct Svg {
    body: String,
}

impl Svg {
    /// An empty document.
    pub fn new() -> Self {
        Svg::default()
    }

    /// Appends `<name attrs…/>`; attribute values are escaped.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, String)]) {
        self.open_tag(name, attrs);
        self.body.push_str("/>");
    }

    /// Appends `<name attrs…>text</name>` with `text` escaped.
    pub fn text_element(&mut self, name: &str, attrs: &[(&str, String)], text: &str) {
        self.open_tag(name, attrs);
        self.body.push('>');
        self.body.push_str(&escape(text));
        let _ = write!(self.body, "</{name}>");
    }

    /// Appends `<name attrs…>` + already-built markup + `</name>` (e.g. `<tspan>`s).
    pub fn raw_element(&mut self, name: &str, attrs: &[(&str, String)], markup: &str) {
        self.open_tag(name, attrs);
        self.body.push('>');
        self.body.push_str(markup);
        let _ = write!(self.body, "</{name}>");
    }

    /// Opens a group `<g attrs…>`; close it with [`Svg::close_group`].
    pub fn open_group(&mut self, attrs: &[(&str, String)]) {
        self.open_tag("g", attrs);
        self.body.push('>');
    }

    /// Closes the last group.
    pub fn close_group(&mut self) {
        self.body.push_str("</g>");
    }

    fn open_tag(&mut self, name: &str, attrs: &[(&str, String)]) {
        let _ = write!(self.body, "<{name}");
        for (k, v) in attrs {
            let _ = write!(self.body, " {k}=\"{}\"", escape(v));
        }
    }

    /// The finished inline `<svg>` element (HTML5: no namespace declaration needed) of `width` × `height` pixels, with a title for screen readers.
    ///
    /// ```
    /// use qpv::output::report_html::svg::Svg;
    /// let mut svg = Svg::new();
    /// svg.empty("circle", &[("cx", "5".into()), ("cy", "5".into()), ("r", "2".into())]);
    /// assert_eq!(svg.finish(10.0, 10.0, "dot", "map"),
    ///     "<svg viewBox=\"0 0 10 10\" class=\"map\" role=\"img\">\
    ///      <title>dot</title><circle cx=\"5\" cy=\"5\" r=\"2\"/></svg>");
    /// ```
    pub fn finish(self, width: f64, height: f64, title: &str, class: &str) -> String {
        format!(
            "<svg viewBox=\"0 0 {width} {height}\" class=\"{}\" \
             role=\"img\"><title>{}</title>{}</svg>",
            escape(class),
            escape(title),
            self.body
        )
    }
}

/// Attribute list `[(name, value)]` with each value spelt by `to_string()`.
#[macro_export]
#[doc(hidden)]
macro_rules! svg_attrs {
    ($(($k:expr, $v:expr)),* $(,)?) => { &[$(($k, $v.to_string())),*] };
}
pub use svg_attrs as a;

/// A pixel value written with one decimal.
pub fn px(v: f64) -> String {
    format!("{v:.1}")
}
