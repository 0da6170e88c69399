//! Charts as pure functions from core results to SVG text, drawn with plotters' SVG backend.
//! They take the localised labels through a `tr` function so they can be tested natively and
//! exported as self-contained files. Text is laid out by fixed geometry (no font measurement), which
//! keeps a redraw well under a millisecond.

pub mod kill_order;
pub mod node_memory;
pub mod scale;
pub mod timeline;

/// Translates a chart label key (e.g. `chart.allocatable`) to the page language.
pub type Tr<'a> = &'a dyn Fn(&'static str) -> String;

/// Inserts an accessible `<title>` and `role="img"` into an SVG document produced by plotters, and
/// lets CSS size it (the viewBox keeps the proportions).
pub fn finish_svg(svg: String, title: &str) -> String {
    let Some(end) = svg.find('>') else { return svg };
    let (head, tail) = svg.split_at(end);
    let mut escaped = String::with_capacity(title.len());
    for c in title.chars() {
        match c {
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '&' => escaped.push_str("&amp;"),
            '"' => escaped.push_str("&quot;"),
            other => escaped.push(other),
        }
    }
    format!(
        "{head} role=\"img\" aria-label=\"{escaped}\"><title>{escaped}</title>{}",
        tail.get(1..).unwrap_or_default()
    )
}

/// A rough width in pixels of `text` at `size` px (CJK characters count double), used only to decide
/// whether a label fits inside a bar.
pub fn approx_text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| {
            if (c as u32) > 0x2e80 {
                size
            } else {
                size * 0.56
            }
        })
        .sum()
}

/// Shortens `text` to at most `max` characters, ending with `…` when cut.
pub fn ellipsize(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_inserted_escaped() {
        let out = finish_svg("<svg width=\"1\"><rect/></svg>".into(), "a<b & \"c\"");
        assert!(out.starts_with("<svg width=\"1\" role=\"img\" aria-label=\"a&lt;b &amp; &quot;c&quot;\"><title>a&lt;b &amp; &quot;c&quot;</title><rect/>"));
    }

    /// Every chart renders for every built-in example in both palettes and languages' label sets,
    /// producing one well-formed SVG document whose text is escaped.
    #[test]
    fn every_chart_renders_every_example() {
        use crate::pages::calculator::examples::EXAMPLES;
        use crate::widgets::theme::Theme;
        let en = |k: &'static str| crate::i18n::lookup(crate::i18n::Lang::En, k).to_string();
        let zh = |k: &'static str| crate::i18n::lookup(crate::i18n::Lang::Zh, k).to_string();
        for ex in EXAMPLES {
            let s = oomlens_core::scenario::parse_scenario(ex.text).unwrap();
            let e = oomlens_core::evaluate(&s).unwrap_or_else(|err| panic!("{}: {err}", ex.id));
            for (theme, tr) in [(Theme::LIGHT, &en as Tr), (Theme::DARK, &zh as Tr)] {
                for svg in [
                    node_memory::node_memory_chart(&e, &theme, tr),
                    kill_order::kill_order_chart(&e, &theme, tr),
                    timeline::timeline_chart(&e.timeline, &theme, tr),
                ] {
                    assert!(svg.starts_with("<svg "), "{}", ex.id);
                    assert_eq!(svg.matches("<svg").count(), 1);
                    assert!(svg.trim_end().ends_with("</svg>"), "{}", ex.id);
                    assert!(svg.contains("<title>"), "{}", ex.id);
                    assert!(!svg.contains("NaN"), "{}", ex.id);
                }
            }
        }
    }

    #[test]
    fn the_node_chart_shows_the_evaluations_numbers() {
        use crate::widgets::theme::Theme;
        let s = oomlens_core::scenario::parse_scenario(
            crate::pages::calculator::examples::DEFAULT_TEXT,
        )
        .unwrap();
        let e = oomlens_core::evaluate(&s).unwrap();
        let tr = |k: &'static str| k.to_string();
        let svg = node_memory::node_memory_chart(&e, &Theme::LIGHT, &tr);
        let alloc = oomlens_core::base::quantity::format_bytes(e.node.allocatable_bytes);
        assert!(
            svg.contains(&format!("chart.allocatable {alloc}")),
            "legend shows allocatable {alloc}"
        );
        let totals = node_memory::PodTotals::of(&e);
        assert!(svg.contains(&oomlens_core::base::quantity::format_bytes(totals.requests)));
        // Text with markup (a label, a title) is escaped, never injected.
        let evil = |_: &'static str| "<script>x</script>".to_string();
        for svg in [
            node_memory::node_memory_chart(&e, &Theme::LIGHT, &evil),
            kill_order::kill_order_chart(&e, &Theme::LIGHT, &evil),
        ] {
            assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;"));
        }
    }

    #[test]
    fn ellipsis_cuts_long_names_only() {
        assert_eq!(ellipsize("short", 10), "short");
        assert_eq!(ellipsize("a-very-long-pod-name", 8), "a-very-…");
    }
}
