//! "Who dies first": kubelet's eviction order (pods) beside the kernel's whole-node OOM kill order
//! (containers), as two ranked columns with a line joining each pod to its first container in the
//! kernel's order. Both orders come from the [`Evaluation`]; the chart only lays them out.

use super::scene::{font, HPos, Scene};
use super::{ellipsize, finish_svg, Tr};
use crate::widgets::theme::Theme;
use oomlens_core::evaluation::Evaluation;

/// Chart width in pixels.
pub const WIDTH: u32 = 660;
/// How many positions each column shows (the lists beside the chart show all).
pub const MAX_ROWS: usize = 12;

const ROW_H: i32 = 24;
const TOP: i32 = 52;

/// The pod key (`ns/name`) of a kernel kill-order entry (`ns/name/container`).
pub fn pod_of_container_key(key: &str) -> &str {
    match key.rfind('/') {
        Some(i) if key[..i].contains('/') => &key[..i],
        _ => key,
    }
}

/// Draws the two orders as SVG text.
pub fn kill_order_chart(eval: &Evaluation, theme: &Theme, tr: Tr) -> String {
    let mut scene = Scene::new(size(eval));
    draw_kill_order(&mut scene, eval, theme, tr);
    let svg = scene.to_svg();
    // Names cut to fit their box keep the whole name as a hover title.
    let (left, right) = rows(eval);
    let mut labels: Vec<(String, String)> = left
        .iter()
        .enumerate()
        .map(|(i, (pod, tied))| left_label(i, pod, *tied))
        .collect();
    labels.extend(
        right
            .iter()
            .enumerate()
            .map(|(j, c)| right_label(j, c, eval)),
    );
    super::with_full_names(finish_svg(svg, &tr("chart.kill.title")), &labels)
}

/// The rows shown: the eviction order's first pods (with whether each ties) and the kernel kill
/// order's first containers.
fn rows(eval: &Evaluation) -> (Vec<(&str, bool)>, Vec<&str>) {
    let left = eval
        .eviction_order
        .iter()
        .take(MAX_ROWS)
        .map(|k| {
            let pod = k.as_str();
            let tied = eval
                .pods
                .iter()
                .any(|p| p.eviction_tied && is_pod_key(&p.namespace, &p.name, pod));
            (pod, tied)
        })
        .collect();
    let right = eval
        .node_oom_kill_order
        .iter()
        .take(MAX_ROWS)
        .map(|k| k.as_str())
        .collect();
    (left, right)
}

/// The label of row `i` of the eviction order, as drawn and in full.
fn left_label(i: usize, pod: &str, tied: bool) -> (String, String) {
    let tie = if tied { " =" } else { "" };
    (
        format!("{}. {}{tie}", i + 1, ellipsize(pod, 34)),
        format!("{}. {pod}{tie}", i + 1),
    )
}

/// The label of row `j` of the kernel kill order, as drawn and in full.
fn right_label(j: usize, c: &str, eval: &Evaluation) -> (String, String) {
    let adj = container_adj(eval, c)
        .map(|a| format!("  [{a}]"))
        .unwrap_or_default();
    (
        format!("{}. {}{adj}", j + 1, ellipsize(c, 30)),
        format!("{}. {c}{adj}", j + 1),
    )
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

/// Draws the two orders.
pub fn draw_kill_order(root: &mut Scene, eval: &Evaluation, theme: &Theme, tr: Tr) {
    let (left_rows, right) = rows(eval);
    let left: Vec<&str> = left_rows.iter().map(|(p, _)| *p).collect();
    let (left, right) = (left.as_slice(), right.as_slice());
    root.fill(theme.background);
    let lx = 16;
    let rx = WIDTH as i32 / 2 + 70;
    let box_w = WIDTH as i32 / 2 - 90;
    root.text(
        tr("chart.kill.eviction"),
        (lx, 18),
        font(14, theme.text, HPos::Left),
    );
    root.text(
        tr("chart.kill.kernel"),
        (rx, 18),
        font(14, theme.text, HPos::Left),
    );
    root.text(
        tr("chart.kill.first"),
        (lx, 38),
        font(12, theme.muted, HPos::Left),
    );
    root.text(
        tr("chart.kill.first"),
        (rx, 38),
        font(12, theme.muted, HPos::Left),
    );

    let y_of = |i: usize| TOP + i as i32 * ROW_H + ROW_H / 2;
    // Joining lines first, under the boxes.
    for (i, pod) in left.iter().enumerate() {
        if let Some(j) = right.iter().position(|c| pod_of_container_key(c) == *pod) {
            root.path(
                vec![(lx + box_w, y_of(i)), (rx, y_of(j))],
                theme.muted.stroke_width(1),
            );
        }
    }
    if left.is_empty() {
        root.text(
            tr("chart.kill.none"),
            (lx, y_of(0)),
            font(12, theme.muted, HPos::Left),
        );
    }
    if right.is_empty() {
        root.text(
            tr("chart.kill.none"),
            (rx, y_of(0)),
            font(12, theme.muted, HPos::Left),
        );
    }
    for (i, (pod, tied)) in left_rows.iter().enumerate() {
        let (pod, tied) = (*pod, *tied);
        let y = y_of(i);
        root.rect(
            [(lx, y - 10), (lx + box_w, y + 10)],
            theme.warning.mix(0.18).filled(),
        );
        root.rect(
            [(lx, y - 10), (lx + box_w, y + 10)],
            theme.warning.stroke_width(1),
        );
        let label = left_label(i, pod, tied).0;
        root.text(label, (lx + 6, y), font(12, theme.text, HPos::Left));
    }
    for (j, c) in right.iter().enumerate() {
        let y = y_of(j);
        root.rect(
            [(rx, y - 10), (rx + box_w, y + 10)],
            theme.danger.mix(0.15).filled(),
        );
        root.rect(
            [(rx, y - 10), (rx + box_w, y + 10)],
            theme.danger.stroke_width(1),
        );
        let label = right_label(j, c, eval).0;
        root.text(label, (rx + 6, y), font(12, theme.text, HPos::Left));
    }
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
