//! Charts as pure functions from core results to SVG text, drawn as a [`scene::Scene`] (which
//! also draws them on a canvas for PNG export).
//! They take the localised labels through a `tr` function so they can be tested natively and
//! exported as self-contained files. Text is laid out by fixed geometry (no font measurement), which
//! keeps a redraw well under a millisecond.

pub mod kill_order;
pub mod node_memory;
pub mod scale;
pub mod scene;
pub mod timeline;

/// Translates a chart label key (e.g. `chart.allocatable`) to the page language.
pub type Tr<'a> = &'a dyn Fn(&'static str) -> String;

/// Inserts an accessible `<title>` and `role="img"` into an SVG document written by
/// [`scene::Scene::to_svg`], and lets CSS size it (the viewBox keeps the proportions).
pub fn finish_svg(svg: String, title: &str) -> String {
    let Some(end) = svg.find('>') else { return svg };
    let (head, tail) = svg.split_at(end);
    let escaped = xml_escape(title);
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

/// `text` escaped for SVG/XML text and attributes (as plotters-svg 0.3's `escape_and_push` did,
/// which the chart markup keeps): [`scene::Scene::to_svg`] writes every text with it, and
/// [`with_full_names`] finds a label in the SVG by its escaped text. (The incident page's charts
/// have their own escape, `pages::incident::charts::esc`.)
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

/// Gives every label that [`ellipsize`] cut its full text as a hover title: for each (shown,
/// full) pair that differ, the first `<text …>shown</text>` becomes
/// `<text …><title>full</title>shown</text>`.
pub fn with_full_names(svg: String, labels: &[(String, String)]) -> String {
    // One pass over the SVG (this runs per keystroke on up to hundreds of timeline labels):
    // each `>\ntext\n</text>` is looked up among the cut labels, the first use of each gets
    // the title.
    let mut cut: std::collections::HashMap<String, &str> = labels
        .iter()
        .filter(|(shown, full)| shown != full)
        .map(|(shown, full)| (xml_escape(shown), full.as_str()))
        .collect();
    if cut.is_empty() {
        return svg;
    }
    const END: &str = "\n</text>";
    let mut out = String::with_capacity(svg.len() + 64 * cut.len());
    let mut rest = svg.as_str();
    while let Some(end) = rest.find(END) {
        let (before, after) = rest.split_at(end);
        match before.rfind(">\n") {
            Some(open) => {
                let text = &before[open + 2..];
                out.push_str(&before[..open + 1]);
                if let Some(full) = cut.remove(text) {
                    out.push_str(&format!("<title>{}</title>", xml_escape(full)));
                }
                out.push('\n');
                out.push_str(text);
            }
            None => out.push_str(before),
        }
        out.push_str(END);
        rest = &after[END.len()..];
    }
    out.push_str(rest);
    out
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
            let s = oomlens_core::scenario::parse_scenario(ex.text()).unwrap();
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
                    // Every label cut with "…" carries its full text as a hover title.
                    for (i, _) in svg.match_indices("…\n</text>") {
                        let open = svg.get(..i).and_then(|h| h.rfind("<text")).unwrap_or(0);
                        let element = svg.get(open..i).unwrap_or_default();
                        assert!(element.contains("<title>"), "{}: {element}", ex.id);
                    }
                }
            }
        }
    }

    /// A pod name too long for its box is cut in the chart and whole in the hover title.
    #[test]
    fn cut_names_keep_their_full_text_on_hover() {
        use crate::widgets::theme::Theme;
        let long = "a-deployment-with-a-rather-long-generated-name-7d9c5b6f4-k2x9q";
        let text = crate::pages::calculator::examples::DEFAULT_TEXT
            .replace("\"name\":\"report\"", &format!("\"name\":\"{long}\""))
            .replace("batch/report/", &format!("batch/{long}/"));
        assert!(
            text.contains(long),
            "the default example has a pod named report"
        );
        let e = oomlens_core::evaluate(&oomlens_core::scenario::parse_scenario(&text).unwrap())
            .unwrap();
        let tr = |k: &'static str| k.to_string();
        let svg = kill_order::kill_order_chart(&e, &Theme::LIGHT, &tr);
        assert!(
            svg.contains(&format!("<title>1. batch/{long}</title>")),
            "full name in a title"
        );
        // Text is written at the pixel size the drawing code asked for (12 px and up).
        for (i, _) in svg.match_indices("font-size=\"") {
            let v: f64 = svg[i + 11..].split('"').next().unwrap().parse().unwrap();
            assert!(v >= 12.0, "font-size {v}");
        }
        assert!(svg.contains("…\n</text>"), "the drawn label is cut");
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

    /// The labels are found in the SVG as the scene writes them (`'` escaped too).
    #[test]
    fn cut_labels_are_found_as_the_scene_escapes_them() {
        use scene::{font, HPos, RGBColor, Scene};
        let (shown, full) = ("o'neil-…", "o'neil-worker-pod");
        let mut scene = Scene::new((200, 40));
        scene.text(shown, (5, 20), font(12, RGBColor(0, 0, 0), HPos::Left));
        let svg = scene.to_svg();
        let out = with_full_names(svg, &[(shown.into(), full.into())]);
        assert!(
            out.contains("<title>o&apos;neil-worker-pod</title>"),
            "{out}"
        );
    }

    #[test]
    fn ellipsis_cuts_long_names_only() {
        assert_eq!(ellipsize("short", 10), "short");
        assert_eq!(ellipsize("a-very-long-pod-name", 8), "a-very-…");
        let svg = "<svg><text x=\"1\">\na-very-…\n</text><text>\nshort\n</text></svg>".to_string();
        let out = with_full_names(
            svg,
            &[
                ("a-very-…".into(), "a-very-long-pod-name".into()),
                ("short".into(), "short".into()),
            ],
        );
        assert_eq!(
            out,
            "<svg><text x=\"1\"><title>a-very-long-pod-name</title>\na-very-…\n</text><text>\nshort\n</text></svg>"
        );
    }
}
