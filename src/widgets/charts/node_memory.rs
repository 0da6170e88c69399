//! The node memory chart: capacity split into allocatable, the hard-eviction reserve,
//! kube-reserved and system-reserved; the kubepods cgroup limit and the eviction thresholds as
//! markers; the sums of pod requests, limits and usage as bars on the same byte axis, so
//! over-commitment (limits beyond allocatable) shows at a glance. All numbers come from the
//! [`Evaluation`]; the chart only adds them up for display.

use super::scale::ByteScale;
use super::scene::{font, HPos, RGBColor, Scene};
use super::{approx_text_width, finish_svg, Tr};
use crate::widgets::theme::Theme;
use oomlens_core::api::pod::ContainerKind;
use oomlens_core::base::quantity::format_bytes;
use oomlens_core::evaluation::Evaluation;
use oomlens_core::kubelet::thresholds::ThresholdKind;

/// Chart width in pixels (the SVG scales with CSS).
pub const WIDTH: u32 = 660;
/// Chart height in pixels.
pub const HEIGHT: u32 = 316;

/// Sums over the pods of an evaluation, as the chart shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PodTotals {
    /// Σ pod memory requests (as eviction ranking sees them).
    pub requests: i64,
    /// Σ memory limits of app containers and sidecars that have one.
    pub limits: i64,
    /// Number of app containers and sidecars without a memory limit.
    pub unlimited_containers: usize,
    /// Σ observed pod usage.
    pub usage: i64,
    /// Whether any pod has an observed usage.
    pub has_usage: bool,
}

impl PodTotals {
    /// Adds up the pods of `eval` (saturating).
    pub fn of(eval: &Evaluation) -> PodTotals {
        let mut t = PodTotals::default();
        for p in &eval.pods {
            t.requests = t.requests.saturating_add(p.memory_request_bytes);
            if let Some(u) = p.usage_bytes {
                t.usage = t.usage.saturating_add(u);
                t.has_usage = true;
            }
            for c in p
                .containers
                .iter()
                .filter(|c| c.kind != ContainerKind::Init)
            {
                match c.memory_limit_bytes {
                    Some(l) => t.limits = t.limits.saturating_add(l),
                    None => t.unlimited_containers += 1,
                }
            }
        }
        t
    }
}

/// Draws the node memory chart for `eval` as SVG text.
pub fn node_memory_chart(eval: &Evaluation, theme: &Theme, tr: Tr) -> String {
    let mut scene = Scene::new((WIDTH, HEIGHT));
    // Drawing into a String cannot fail; errors are ignored so a chart never panics.
    draw_node_memory(&mut scene, eval, theme, tr);
    let svg = scene.to_svg();
    finish_svg(svg, &tr("chart.node.title"))
}

/// The chart's size in pixels.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn size(_eval: &Evaluation) -> (u32, u32) {
    (WIDTH, HEIGHT)
}

/// Draws the node memory chart (SVG for the page, canvas for PNG export).
pub fn draw_node_memory(root: &mut Scene, eval: &Evaluation, theme: &Theme, tr: Tr) {
    root.fill(theme.background);
    let n = &eval.node;
    let totals = PodTotals::of(eval);

    let label_w = 170;
    let max = [
        n.capacity_bytes,
        totals.requests,
        totals.limits,
        totals.usage,
    ]
    .into_iter()
    .max()
    .unwrap_or(0)
    .max(1);
    let scale = ByteScale {
        max_bytes: max as f64 * 1.04,
        x0: label_w,
        x1: WIDTH as i32 - 24,
    };

    // Rows.
    let node_y = (74, 112);
    let rows_y = [(124, 144), (150, 170), (176, 196)];
    let axis_y = 212;

    // Row labels.
    let row_font = font(13, theme.text, HPos::Right);
    root.text(
        tr("chart.node.row_node"),
        (label_w - 8, (node_y.0 + node_y.1) / 2),
        row_font,
    );
    let row_names = [
        "chart.node.row_requests",
        "chart.node.row_limits",
        "chart.node.row_usage",
    ];
    for (name, (y0, y1)) in row_names.iter().zip(rows_y) {
        root.text(tr(name), (label_w - 8, (y0 + y1) / 2), row_font);
    }

    // The node bar: allocatable | hard eviction | kube-reserved | system-reserved.
    let segments = [
        (
            "chart.allocatable",
            n.allocatable_bytes.max(0),
            theme.allocatable,
        ),
        // The colour of the hard-eviction marker line, so the legend names it.
        (
            "chart.hard_eviction",
            n.hard_eviction_bytes.max(0),
            theme.danger,
        ),
        (
            "chart.kube_reserved",
            n.kube_reserved_bytes.max(0),
            theme.kube_reserved,
        ),
        (
            "chart.system_reserved",
            n.system_reserved_bytes.max(0),
            theme.system_reserved,
        ),
    ];
    let mut at: i64 = 0;
    for (key, bytes, color) in segments {
        let x0 = scale.x(at);
        at = at.saturating_add(bytes);
        let x1 = scale.x(at);
        if x1 > x0 {
            root.rect([(x0, node_y.0), (x1, node_y.1)], color.filled());
            root.rect(
                [(x0, node_y.0), (x1, node_y.1)],
                theme.background.stroke_width(1),
            );
            let label = tr(key);
            if approx_text_width(&label, 12.0) + 8.0 < f64::from(x1 - x0) {
                root.text(
                    label,
                    (x0 + 4, node_y.0 + 11),
                    font(12, RGBColor(255, 255, 255), HPos::Left),
                );
                let value = format_bytes(bytes);
                if approx_text_width(&value, 12.0) + 8.0 < f64::from(x1 - x0) {
                    root.text(
                        value,
                        (x0 + 4, node_y.1 - 10),
                        font(12, RGBColor(255, 255, 255), HPos::Left),
                    );
                }
            }
        }
    }
    // Capacity outline.
    root.rect(
        [
            (scale.x(0), node_y.0),
            (scale.x(n.capacity_bytes), node_y.1),
        ],
        theme.text.stroke_width(1),
    );

    // Pod bars.
    let bars = [
        (totals.requests, theme.requests, true),
        (totals.limits, theme.limits, true),
        (totals.usage, theme.usage, totals.has_usage),
    ];
    let value_font = font(12, theme.text, HPos::Left);
    for ((bytes, color, present), (y0, y1)) in bars.into_iter().zip(rows_y) {
        if !present {
            root.text(
                tr("chart.no_usage"),
                (scale.x(0) + 4, (y0 + y1) / 2),
                font(12, theme.muted, HPos::Left),
            );
            continue;
        }
        let alloc_x = scale.x(n.allocatable_bytes);
        let x1 = scale.x(bytes);
        root.rect(
            [(scale.x(0), y0), (x1.min(alloc_x).max(scale.x(0)), y1)],
            color.filled(),
        );
        if x1 > alloc_x {
            // The part beyond allocatable, cross-hatched in the danger colour.
            root.rect([(alloc_x, y0), (x1, y1)], theme.danger.mix(0.35).filled());
            root.rect([(alloc_x, y0), (x1, y1)], theme.danger.stroke_width(1));
            let mut x = alloc_x + 4;
            while x < x1 {
                root.path(
                    vec![(x, y1), ((x + 8).min(x1), y0)],
                    theme.danger.stroke_width(1),
                );
                x += 8;
            }
        }
        let mut text = format_bytes(bytes);
        if bytes > n.allocatable_bytes {
            text = format!(
                "{text} — {} {}",
                tr("chart.overcommitted"),
                format_bytes(bytes.saturating_sub(n.allocatable_bytes))
            );
        }
        let tx = x1 + 6;
        let (tx, anchor_font) =
            if f64::from(tx) + approx_text_width(&text, 12.0) > f64::from(WIDTH) - 4.0 {
                (x1 - 6, font(12, theme.text, HPos::Right))
            } else {
                (tx, value_font)
            };
        root.text(text, (tx, (y0 + y1) / 2), anchor_font);
    }
    // Axis and ticks.
    root.path(
        vec![(scale.x0, axis_y), (scale.x1, axis_y)],
        theme.muted.stroke_width(1),
    );
    for t in scale.ticks(8) {
        let x = scale.x(t);
        root.path(
            vec![(x, axis_y), (x, axis_y + 4)],
            theme.muted.stroke_width(1),
        );
        root.text(
            format_bytes(t),
            (x, axis_y + 14),
            font(12, theme.muted, HPos::Center),
        );
    }

    // Markers: allocatable, kubepods limit, thresholds on memory.available (as node usage levels).
    let mut markers: Vec<(String, i64, RGBColor)> = Vec::new();
    markers.push((
        tr("chart.marker_allocatable"),
        n.allocatable_bytes,
        theme.allocatable,
    ));
    if let Some(k) = n.kubepods_limit_bytes {
        markers.push((tr("chart.marker_kubepods"), k, theme.text));
    }
    for t in eval
        .node
        .thresholds
        .iter()
        .filter(|t| t.signal == "memory.available")
    {
        let key = match t.kind {
            ThresholdKind::Hard => "chart.marker_hard",
            ThresholdKind::Soft => "chart.marker_soft",
        };
        let color = if t.kind == ThresholdKind::Hard {
            theme.danger
        } else {
            theme.warning
        };
        markers.push((tr(key), n.capacity_bytes.saturating_sub(t.bytes), color));
    }
    // Label rows so that no marker line crosses a label: a line runs down from its own label's
    // row, labels right of the middle end at their line (so the largest value takes the top row)
    // and labels left of it start at their line (so the smallest value takes the top row).
    let mid = (scale.x0 + scale.x1) / 2;
    oomlens_core::base::sort::sort_by_key(&mut markers, |m| {
        let x = scale.x(m.1);
        if x > mid {
            (0, -x)
        } else {
            (1, x)
        }
    });
    for (i, (label, bytes, color)) in markers.iter().enumerate() {
        let x = scale.x(*bytes);
        let label_y = 10 + (i as i32 % 4) * 14;
        root.path(
            vec![(x, label_y + 6), (x, rows_y[2].1 + 2)],
            color.stroke_width(2),
        );
        let right = x > (scale.x0 + scale.x1) / 2;
        let (anchor, tx) = if right {
            (HPos::Right, x - 3)
        } else {
            (HPos::Left, x + 3)
        };
        root.text(
            format!("{label} {}", format_bytes(*bytes)),
            (tx, label_y),
            font(12, *color, anchor),
        );
    }

    // Legend: every segment with its value, so the colours are never needed to read the chart.
    let legend_y = 252;
    let mut lx = 12;
    for (i, (key, bytes, color)) in segments.iter().enumerate() {
        let y = legend_y + (i as i32 / 2) * 22;
        if i % 2 == 0 {
            lx = 12;
        }
        root.rect([(lx, y - 6), (lx + 12, y + 6)], color.filled());
        root.text(
            format!("{} {}", tr(key), format_bytes(*bytes)),
            (lx + 18, y),
            font(12, theme.text, HPos::Left),
        );
        lx += 370;
    }
    if totals.unlimited_containers > 0 {
        root.text(
            format!("{} {}", tr("chart.unlimited"), totals.unlimited_containers),
            (WIDTH as i32 - 12, HEIGHT as i32 - 10),
            font(12, theme.warning, HPos::Right),
        );
    }
}
