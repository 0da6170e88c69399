//! A chart as a list of shapes in pixel coordinates: written as SVG text for the page (the same
//! markup plotters-svg 0.3 wrote before this module replaced it: `<rect>`, `<polyline>`,
//! `<circle>`, `<text>` with the text on its own line) and drawn on a canvas for PNG export.
//! The charts use these four shapes only; drawing them here instead of through plotters keeps
//! ~20 KB gzip of drawing machinery out of the first load (`docs/performance.md`).

use std::fmt::Write;

/// An opaque colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RGBColor(pub u8, pub u8, pub u8);

/// A colour with an opacity in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RGBAColor(pub u8, pub u8, pub u8, pub f64);

impl RGBColor {
    /// The colour at opacity `alpha`.
    pub fn mix(self, alpha: f64) -> RGBAColor {
        RGBAColor(self.0, self.1, self.2, alpha)
    }

    /// Fills the shape.
    pub fn filled(self) -> ShapeStyle {
        self.mix(1.0).filled()
    }

    /// Strokes the shape's outline `width` px wide.
    pub fn stroke_width(self, width: u32) -> ShapeStyle {
        self.mix(1.0).stroke_width(width)
    }
}

impl RGBAColor {
    /// Fills the shape.
    pub fn filled(self) -> ShapeStyle {
        ShapeStyle {
            color: self,
            filled: true,
            stroke_width: 1,
        }
    }

    /// Strokes the shape's outline `width` px wide.
    pub fn stroke_width(self, width: u32) -> ShapeStyle {
        ShapeStyle {
            color: self,
            filled: false,
            stroke_width: width,
        }
    }

    fn hex(&self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }
}

/// How a shape is painted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapeStyle {
    /// The colour.
    pub color: RGBAColor,
    /// Filled (else stroked).
    pub filled: bool,
    /// The stroke width in px.
    pub stroke_width: u32,
}

/// Horizontal anchor of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HPos {
    /// The text starts at its point.
    Left,
    /// The text is centred on its point.
    Center,
    /// The text ends at its point.
    Right,
}

/// A text's size (px), colour and anchor (always centred vertically on its point).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// Size in px.
    pub size: u32,
    /// Colour.
    pub color: RGBColor,
    /// Horizontal anchor.
    pub h: HPos,
}

/// A sans-serif text style.
pub fn font(size: u32, color: RGBColor, h: HPos) -> TextStyle {
    TextStyle { size, color, h }
}

type Point = (i32, i32);

#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Rect(Point, Point, ShapeStyle),
    Path(Vec<Point>, ShapeStyle),
    Circle(Point, u32, ShapeStyle),
    Text(String, Point, TextStyle),
}

/// A chart being drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    size: (u32, u32),
    shapes: Vec<Shape>,
}

impl Scene {
    /// An empty chart of `size` px.
    pub fn new(size: (u32, u32)) -> Scene {
        Scene {
            size,
            shapes: Vec::new(),
        }
    }

    /// The chart's size in px.
    pub fn size(&self) -> (u32, u32) {
        self.size
    }

    /// Paints the whole chart.
    pub fn fill(&mut self, color: RGBColor) {
        let (w, h) = self.size;
        self.rect([(0, 0), (w as i32, h as i32)], color.filled());
    }

    /// A rectangle between two corners (in any order, as plotters took them).
    pub fn rect(&mut self, corners: [Point; 2], style: ShapeStyle) {
        let [a, b] = corners;
        let top_left = (a.0.min(b.0), a.1.min(b.1));
        let bottom_right = (a.0.max(b.0), a.1.max(b.1));
        self.shapes.push(Shape::Rect(top_left, bottom_right, style));
    }

    /// A polyline.
    pub fn path(&mut self, points: Vec<Point>, style: ShapeStyle) {
        self.shapes.push(Shape::Path(points, style));
    }

    /// A circle.
    pub fn circle(&mut self, center: Point, radius: u32, style: ShapeStyle) {
        self.shapes.push(Shape::Circle(center, radius, style));
    }

    /// A line of text.
    pub fn text(&mut self, text: impl Into<String>, at: Point, style: TextStyle) {
        self.shapes.push(Shape::Text(text.into(), at, style));
    }

    /// The chart as an SVG document.
    pub fn to_svg(&self) -> String {
        let (w, h) = self.size;
        let mut out = String::with_capacity(256 + 160 * self.shapes.len());
        let _ = writeln!(
            out,
            "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">"
        );
        for shape in &self.shapes {
            match shape {
                Shape::Rect(a, b, s) if s.color.3 != 0.0 => {
                    let (fill, stroke) = paint(s);
                    let _ = writeln!(
                        out,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" opacity=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\"/>",
                        a.0,
                        a.1,
                        b.0 - a.0,
                        b.1 - a.1,
                        s.color.3
                    );
                }
                Shape::Path(points, s) if s.color.3 != 0.0 => {
                    let _ = write!(
                        out,
                        "<polyline fill=\"none\" opacity=\"{}\" stroke=\"{}\" stroke-width=\"{}\" points=\"",
                        s.color.3,
                        s.color.hex(),
                        s.stroke_width
                    );
                    for (x, y) in points {
                        let _ = write!(out, "{x},{y} ");
                    }
                    out.push_str("\"/>\n");
                }
                Shape::Circle(c, r, s) if s.color.3 != 0.0 => {
                    let (fill, stroke) = paint(s);
                    let _ = writeln!(
                        out,
                        "<circle cx=\"{}\" cy=\"{}\" r=\"{r}\" opacity=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"/>",
                        c.0, c.1, s.color.3, s.stroke_width
                    );
                }
                Shape::Text(text, at, style) => {
                    let anchor = match style.h {
                        HPos::Left => "start",
                        HPos::Center => "middle",
                        HPos::Right => "end",
                    };
                    let _ = write!(
                        out,
                        "<text x=\"{}\" y=\"{}\" dy=\"0.5ex\" text-anchor=\"{anchor}\" font-family=\"sans-serif\" font-size=\"{}.00\" opacity=\"1\" fill=\"{}\">\n{}\n</text>\n",
                        at.0,
                        at.1,
                        style.size,
                        style.color.mix(1.0).hex(),
                        super::xml_escape(text)
                    );
                }
                _ => {}
            }
        }
        out.push_str("</svg>\n");
        out
    }

    /// Draws the chart on a canvas context (PNG export), at the context's current scale.
    #[cfg(target_arch = "wasm32")]
    pub fn draw_on(&self, ctx: &web_sys::CanvasRenderingContext2d) {
        let css = |c: &RGBAColor| format!("rgba({},{},{},{})", c.0, c.1, c.2, c.3);
        ctx.set_text_baseline("middle");
        for shape in &self.shapes {
            match shape {
                Shape::Rect(a, b, s) => {
                    let (x, y, w, h) = (a.0, a.1, b.0 - a.0, b.1 - a.1);
                    if s.filled {
                        ctx.set_fill_style_str(&css(&s.color));
                        ctx.fill_rect(x.into(), y.into(), w.into(), h.into());
                    } else {
                        ctx.set_stroke_style_str(&css(&s.color));
                        ctx.set_line_width(s.stroke_width.into());
                        ctx.stroke_rect(x.into(), y.into(), w.into(), h.into());
                    }
                }
                Shape::Path(points, s) => {
                    ctx.begin_path();
                    for (i, (x, y)) in points.iter().enumerate() {
                        if i == 0 {
                            ctx.move_to((*x).into(), (*y).into());
                        } else {
                            ctx.line_to((*x).into(), (*y).into());
                        }
                    }
                    ctx.set_stroke_style_str(&css(&s.color));
                    ctx.set_line_width(s.stroke_width.into());
                    ctx.stroke();
                }
                Shape::Circle(c, r, s) => {
                    ctx.begin_path();
                    let _ = ctx.arc(
                        c.0.into(),
                        c.1.into(),
                        (*r).into(),
                        0.0,
                        std::f64::consts::TAU,
                    );
                    if s.filled {
                        ctx.set_fill_style_str(&css(&s.color));
                        ctx.fill();
                    } else {
                        ctx.set_stroke_style_str(&css(&s.color));
                        ctx.set_line_width(s.stroke_width.into());
                        ctx.stroke();
                    }
                }
                Shape::Text(text, at, style) => {
                    ctx.set_font(&format!("{}px sans-serif", style.size));
                    ctx.set_text_align(match style.h {
                        HPos::Left => "left",
                        HPos::Center => "center",
                        HPos::Right => "right",
                    });
                    ctx.set_fill_style_str(&css(&style.color.mix(1.0)));
                    let _ = ctx.fill_text(text, at.0.into(), at.1.into());
                }
            }
        }
    }
}

/// (fill, stroke) attribute values of a style.
fn paint(s: &ShapeStyle) -> (String, String) {
    if s.filled {
        (s.color.hex(), "none".into())
    } else {
        ("none".into(), s.color.hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_written_as_svg_markup() {
        let mut s = Scene::new((10, 20));
        s.fill(RGBColor(255, 255, 255));
        s.rect([(1, 2), (5, 8)], RGBColor(1, 2, 3).mix(0.25).filled());
        s.rect([(1, 2), (5, 8)], RGBColor(0, 0, 0).mix(0.0).filled());
        s.rect([(5, 8), (1, 2)], RGBColor(1, 2, 3).stroke_width(1));
        s.path(vec![(0, 1), (2, 3)], RGBColor(16, 32, 48).stroke_width(2));
        s.circle((4, 4), 3, RGBColor(255, 0, 0).stroke_width(2));
        s.text(
            "a<b & 'c'",
            (3, 4),
            font(12, RGBColor(0, 0, 0), HPos::Right),
        );
        assert_eq!(
            s.to_svg(),
            "<svg width=\"10\" height=\"20\" viewBox=\"0 0 10 20\" xmlns=\"http://www.w3.org/2000/svg\">\n\
             <rect x=\"0\" y=\"0\" width=\"10\" height=\"20\" opacity=\"1\" fill=\"#FFFFFF\" stroke=\"none\"/>\n\
             <rect x=\"1\" y=\"2\" width=\"4\" height=\"6\" opacity=\"0.25\" fill=\"#010203\" stroke=\"none\"/>\n\
             <rect x=\"1\" y=\"2\" width=\"4\" height=\"6\" opacity=\"1\" fill=\"none\" stroke=\"#010203\"/>\n\
             <polyline fill=\"none\" opacity=\"1\" stroke=\"#102030\" stroke-width=\"2\" points=\"0,1 2,3 \"/>\n\
             <circle cx=\"4\" cy=\"4\" r=\"3\" opacity=\"1\" fill=\"none\" stroke=\"#FF0000\" stroke-width=\"2\"/>\n\
             <text x=\"3\" y=\"4\" dy=\"0.5ex\" text-anchor=\"end\" font-family=\"sans-serif\" font-size=\"12.00\" opacity=\"1\" fill=\"#000000\">\n\
             a&lt;b &amp; &apos;c&apos;\n</text>\n</svg>\n"
        );
    }
}
