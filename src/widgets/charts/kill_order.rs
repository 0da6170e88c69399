//! "Who dies first": kubelet's eviction order (pods) beside the kernel's whole-node OOM kill order
//! (containers), as two ranked columns with a line joining each pod to its first container in the
//! kernel's order. Both orders come from the [`Evaluation`]; the chart only lays them out.

use super::{ellipsize, finish_svg, Tr};
use crate::widgets::theme::Theme;
use oomlens_core::evaluation::Evaluation;
use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Chart width in pixels.
pub const WIDTH: u32 = 660;
/// How many positions each column shows (the lists beside the chart show all).
pub const MAX_ROWS: usize = 12;

const ROW_H: i32 = 24;
const TOP: i32 = 52;

fn font(size: u32, color: RGBColor, h: HPos) -> TextStyle<'static> {
    ("sans-serif", size)
        .into_font()
        .color(&color)
        .pos(Pos::new(h, VPos::Center))
}

/// The pod key (`ns/name`) of a kernel kill-order entry (`ns/name/container`).
pub fn pod_of_container_key(key: &str) -> &str {
    match key.rfind('/') {
        Some(i) if key[..i].contains('/') => &key[..i],
        _ => key,
    }
}

/// Draws the two orders as SVG text.
pub fn kill_order_chart(eval: &Evaluation, theme: &Theme, tr: Tr) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size(eval)).into_drawing_area();
        let _ = draw_kill_order(&root, eval, theme, tr);
        let _ = root.present();
    }
    finish_svg(svg, &tr("chart.kill.title"))
}

/// The chart's size in pixels (its height grows with the number of rows shown).
pub fn size(eval: &Evaluation) -> (u32, u32) {
    let rows = eval
        .eviction_order
        .len()
        .min(MAX_ROWS)
        .max(eval.node_oom_kill_order.len().min(MAX_ROWS))
        .max(1) as i32;
    (WIDTH, (TOP + rows * ROW_H + 16) as u32)
}

/// Draws the two orders on any plotters backend.
pub fn draw_kill_order<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    eval: &Evaluation,
    theme: &Theme,
    tr: Tr,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let left: Vec<&str> = eval
        .eviction_order
        .iter()
        .take(MAX_ROWS)
        .map(|k| k.as_str())
        .collect();
    let right: Vec<&str> = eval
        .node_oom_kill_order
        .iter()
        .take(MAX_ROWS)
        .map(|k| k.as_str())
        .collect();
    let (left, right) = (left.as_slice(), right.as_slice());
    root.fill(&theme.background)?;
    let lx = 16;
    let rx = WIDTH as i32 / 2 + 70;
    let box_w = WIDTH as i32 / 2 - 90;
    root.draw(&Text::new(
        tr("chart.kill.eviction"),
        (lx, 18),
        font(14, theme.text, HPos::Left),
    ))?;
    root.draw(&Text::new(
        tr("chart.kill.kernel"),
        (rx, 18),
        font(14, theme.text, HPos::Left),
    ))?;
    root.draw(&Text::new(
        tr("chart.kill.first"),
        (lx, 38),
        font(12, theme.muted, HPos::Left),
    ))?;
    root.draw(&Text::new(
        tr("chart.kill.first"),
        (rx, 38),
        font(12, theme.muted, HPos::Left),
    ))?;

    let y_of = |i: usize| TOP + i as i32 * ROW_H + ROW_H / 2;
    // Joining lines first, under the boxes.
    for (i, pod) in left.iter().enumerate() {
        if let Some(j) = right.iter().position(|c| pod_of_container_key(c) == *pod) {
            root.draw(&PathElement::new(
                vec![(lx + box_w, y_of(i)), (rx, y_of(j))],
                theme.muted.stroke_width(1),
            ))?;
        }
    }
    if left.is_empty() {
        root.draw(&Text::new(
            tr("chart.kill.none"),
            (lx, y_of(0)),
            font(12, theme.muted, HPos::Left),
        ))?;
    }
    if right.is_empty() {
        root.draw(&Text::new(
            tr("chart.kill.none"),
            (rx, y_of(0)),
            font(12, theme.muted, HPos::Left),
        ))?;
    }
    for (i, pod) in left.iter().enumerate() {
        let y = y_of(i);
        let tied = eval
            .pods
            .iter()
            .any(|p| p.eviction_tied && is_pod_key(&p.namespace, &p.name, pod));
        root.draw(&Rectangle::new(
            [(lx, y - 10), (lx + box_w, y + 10)],
            theme.warning.mix(0.18).filled(),
        ))?;
        root.draw(&Rectangle::new(
            [(lx, y - 10), (lx + box_w, y + 10)],
            theme.warning.stroke_width(1),
        ))?;
        let label = format!(
            "{}. {}{}",
            i + 1,
            ellipsize(pod, 34),
            if tied { " =" } else { "" }
        );
        root.draw(&Text::new(
            label,
            (lx + 6, y),
            font(12, theme.text, HPos::Left),
        ))?;
    }
    for (j, c) in right.iter().enumerate() {
        let y = y_of(j);
        root.draw(&Rectangle::new(
            [(rx, y - 10), (rx + box_w, y + 10)],
            theme.danger.mix(0.15).filled(),
        ))?;
        root.draw(&Rectangle::new(
            [(rx, y - 10), (rx + box_w, y + 10)],
            theme.danger.stroke_width(1),
        ))?;
        let adj = container_adj(eval, c)
            .map(|a| format!("  [{a}]"))
            .unwrap_or_default();
        let label = format!("{}. {}{adj}", j + 1, ellipsize(c, 30));
        root.draw(&Text::new(
            label,
            (rx + 6, y),
            font(12, theme.text, HPos::Left),
        ))?;
    }
    Ok(())
}

/// The oom_score_adj of the container named by a kernel kill-order key.
pub fn container_adj(eval: &Evaluation, key: &str) -> Option<i64> {
    let pod_key = pod_of_container_key(key);
    let name = key.get(pod_key.len() + 1..)?;
    let pod = eval
        .pods
        .iter()
        .find(|p| is_pod_key(&p.namespace, &p.name, pod_key))?;
    pod.containers
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.oom_score_adj)
}

/// Whether `key` is `namespace/name`, without building the string (the lists look pods up by key
/// once per row on every keystroke).
pub fn is_pod_key(namespace: &str, name: &str, key: &str) -> bool {
    key.strip_prefix(namespace)
        .and_then(|rest| rest.strip_prefix('/'))
        == Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_keys_map_to_their_pod() {
        assert_eq!(pod_of_container_key("default/web/app"), "default/web");
        assert_eq!(pod_of_container_key("default/web"), "default/web");
        assert!(is_pod_key("default", "web", "default/web"));
        assert!(!is_pod_key("default", "web", "default/webx"));
        assert!(!is_pod_key("def", "ault/web", "default/web"));
        assert_eq!(pod_of_container_key("web"), "web");
    }
}
