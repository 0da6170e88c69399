//! The "what fires first" timeline: the model's simulation ([`Timeline`]) as lanes, one per
//! mechanism (container limit, pod limit, kubelet eviction with its 10 s sync loop, kubepods OOM,
//! node OOM), with a numbered marker at each step's time. The numbers match the step list beside the
//! chart; every marker is also labelled, so colour is not needed to read it.

use super::scene::{font, HPos, Scene};
use super::{approx_text_width, ellipsize, finish_svg, Tr};
use crate::widgets::theme::Theme;
use oomlens_core::simulate::{Mechanism, Timeline, EVICTION_MONITORING_PERIOD_MS};

/// Chart width in pixels.
pub const WIDTH: u32 = 660;
const LANE_H: i32 = 34;
const TOP: i32 = 28;
const LEFT: i32 = 170;
const RIGHT: i32 = WIDTH as i32 - 20;

/// The lanes, top to bottom, with their label keys.
pub const LANES: [&str; 5] = [
    "chart.tl.container",
    "chart.tl.pod",
    "chart.tl.eviction",
    "chart.tl.kubepods",
    "chart.tl.node",
];

/// The lane of a mechanism (index into [`LANES`]).
pub fn lane_of(m: Mechanism) -> usize {
    match m {
        Mechanism::ContainerOom => 0,
        Mechanism::PodOom => 1,
        Mechanism::SoftThresholdObserved
        | Mechanism::EvictionHard
        | Mechanism::EvictionSoft
        | Mechanism::NoEvictablePod
        | Mechanism::PodTerminated => 2,
        Mechanism::KubepodsOom => 3,
        Mechanism::NodeOom => 4,
    }
}

/// Whether a step kills or evicts (drawn filled) rather than informs (drawn hollow).
pub fn is_kill(m: Mechanism) -> bool {
    matches!(
        m,
        Mechanism::ContainerOom
            | Mechanism::PodOom
            | Mechanism::EvictionHard
            | Mechanism::EvictionSoft
            | Mechanism::KubepodsOom
            | Mechanism::NodeOom
    )
}

/// A round time step (seconds) giving at most `max` intervals over `span` seconds.
pub fn time_step(span: f64, max: u32) -> f64 {
    let steps = [
        1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0,
        14400.0, 21600.0, 43200.0,
    ];
    let raw = span / f64::from(max.max(1));
    steps.iter().copied().find(|s| *s >= raw).unwrap_or(86400.0)
}

/// Formats seconds as `45 s`, `2 min 30 s`, `1 h 5 min`.
pub fn format_seconds(s: f64) -> String {
    let total = s.max(0.0);
    if total < 60.0 {
        let r = (total * 10.0).round() / 10.0;
        return if r.fract() == 0.0 {
            format!("{r:.0} s")
        } else {
            format!("{r:.1} s")
        };
    }
    let secs = total.round() as i64;
    let (h, m, sec) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    match (h, m, sec) {
        (0, m, 0) => format!("{m} min"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// Draws the timeline as SVG text.
pub fn timeline_chart(timeline: &Timeline, theme: &Theme, tr: Tr) -> String {
    timeline_chart_at(timeline, theme, tr, None)
}

/// [`timeline_chart`] as it stood at `now` seconds (training mode plays it): the same axis, the
/// steps up to `now`, and a line at `now`; `None` is the whole timeline.
pub fn timeline_chart_at(timeline: &Timeline, theme: &Theme, tr: Tr, now: Option<f64>) -> String {
    let mut scene = Scene::new(size(timeline));
    draw_timeline_at(&mut scene, timeline, theme, tr, now);
    let svg = scene.to_svg();
    // Victims cut to fit keep their whole name as a hover title.
    let labels: Vec<(String, String)> = timeline
        .steps
        .iter()
        .filter_map(|s| s.victim.as_deref())
        .map(|v| (ellipsize(v, 22), v.to_string()))
        .collect();
    super::with_full_names(finish_svg(svg, &tr("chart.tl.title")), &labels)
}

/// The chart's size in pixels.
pub fn size(_timeline: &Timeline) -> (u32, u32) {
    (WIDTH, (TOP + LANES.len() as i32 * LANE_H + 40) as u32)
}

/// The seconds the time axis spans: a little past the last step, at least 30 s.
pub fn span(tl: &Timeline) -> f64 {
    let end = tl
        .steps
        .iter()
        .map(|s| s.time_seconds)
        .fold(0.0f64, f64::max);
    (end * 1.08).max(30.0)
}

/// Draws the timeline.
pub fn draw_timeline(root: &mut Scene, tl: &Timeline, theme: &Theme, tr: Tr) {
    draw_timeline_at(root, tl, theme, tr, None);
}

/// Draws the timeline up to `now` seconds (all of it for `None`), on the whole timeline's axis.
pub fn draw_timeline_at(root: &mut Scene, tl: &Timeline, theme: &Theme, tr: Tr, now: Option<f64>) {
    root.fill(theme.background);
    let span = span(tl);
    let x_of =
        |t: f64| LEFT + ((t / span).clamp(0.0, 1.0) * f64::from(RIGHT - LEFT)).round() as i32;
    let lane_y = |i: usize| TOP + i as i32 * LANE_H + LANE_H / 2;

    for (i, key) in LANES.iter().enumerate() {
        let y = lane_y(i);
        root.text(tr(key), (LEFT - 8, y), font(12, theme.text, HPos::Right));
        root.path(
            vec![(LEFT, y), (RIGHT, y)],
            theme.muted.mix(0.5).stroke_width(1),
        );
    }
    // kubelet's eviction sync loop: a light tick every 10 s on the eviction lane (when legible).
    let period = EVICTION_MONITORING_PERIOD_MS as f64 / 1000.0;
    if span / period <= 120.0 {
        let y = lane_y(2);
        let mut t = 0.0;
        while t <= span {
            let x = x_of(t);
            root.path(vec![(x, y - 5), (x, y + 5)], theme.muted.stroke_width(1));
            t += period;
        }
    }
    // Time axis.
    let axis_y = TOP + LANES.len() as i32 * LANE_H + 6;
    root.path(
        vec![(LEFT, axis_y), (RIGHT, axis_y)],
        theme.muted.stroke_width(1),
    );
    let step = time_step(span, 8);
    let mut t = 0.0;
    while t <= span + 1e-9 {
        let x = x_of(t);
        root.path(
            vec![(x, axis_y), (x, axis_y + 4)],
            theme.muted.stroke_width(1),
        );
        root.text(
            format_seconds(t),
            (x, axis_y + 14),
            font(12, theme.muted, HPos::Center),
        );
        t += step;
    }
    if tl.steps.is_empty() {
        root.text(
            tr("chart.tl.nothing"),
            (LEFT + 8, lane_y(2) - 14),
            font(12, theme.muted, HPos::Left),
        );
    }
    if let Some(t) = now {
        let x = x_of(t);
        root.path(vec![(x, TOP - 6), (x, axis_y)], theme.text.stroke_width(2));
    }
    // Markers, numbered like the step list; labels alternate above/below to limit overlap.
    let mut last_x: [Option<i32>; LANES.len()] = [None; LANES.len()];
    let shown = tl
        .steps
        .iter()
        .take_while(|s| now.is_none_or(|t| s.time_seconds <= t));
    for (n, s) in shown.enumerate() {
        let lane = lane_of(s.mechanism);
        let (x, y) = (x_of(s.time_seconds), lane_y(lane));
        let color = match lane {
            2 => theme.warning,
            _ => theme.danger,
        };
        if is_kill(s.mechanism) {
            root.circle((x, y), 7, color.filled());
        } else {
            root.circle((x, y), 6, color.stroke_width(2));
        }
        root.text(
            format!("{}", n + 1),
            (x, y),
            font(
                12,
                if is_kill(s.mechanism) {
                    theme.background
                } else {
                    theme.text
                },
                HPos::Center,
            ),
        );
        if let Some(slot) = last_x.get_mut(lane) {
            if slot.is_none_or(|prev| x.saturating_sub(prev) > 90) {
                let label = s
                    .victim
                    .as_deref()
                    .map(|v| ellipsize(v, 22))
                    .unwrap_or_default();
                if !label.is_empty() {
                    // Right of the marker, or left of it when it would run past the chart's edge.
                    let fits =
                        f64::from(x + 10) + approx_text_width(&label, 12.0) <= f64::from(WIDTH);
                    let (at, anchor) = if fits {
                        (x + 10, HPos::Left)
                    } else {
                        (x - 10, HPos::Right)
                    };
                    root.text(label, (at, y - 10), font(12, theme.text, anchor));
                }
                *slot = Some(x);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_readable() {
        assert_eq!(format_seconds(0.0), "0 s");
        assert_eq!(format_seconds(12.5), "12.5 s");
        assert_eq!(format_seconds(90.0), "1 min 30 s");
        assert_eq!(format_seconds(120.0), "2 min");
        assert_eq!(format_seconds(3900.0), "1 h 5 min");
    }

    #[test]
    fn time_steps_are_round() {
        assert_eq!(time_step(60.0, 8), 10.0);
        assert_eq!(time_step(3600.0, 8), 600.0);
    }

    /// A victim near the end of the time axis is labelled left of its marker, inside the chart.
    #[test]
    fn late_victims_stay_inside_the_chart() {
        use crate::widgets::theme::Theme;
        let text =
            crate::pages::calculator::examples::example_text("burstable-over-request").unwrap();
        let s = oomlens_core::scenario::parse_scenario(text).unwrap();
        let e = oomlens_core::evaluate(&s).unwrap();
        let tr = |k: &'static str| k.to_string();
        let mut scene = Scene::new(size(&e.timeline));
        draw_timeline(&mut scene, &e.timeline, &Theme::LIGHT, &tr);
        let svg = scene.to_svg();
        let victims: Vec<&str> = e
            .timeline
            .steps
            .iter()
            .filter_map(|s| s.victim.as_deref())
            .collect();
        assert!(!victims.is_empty());
        let mut checked = 0;
        for block in svg.split("<text ").skip(1) {
            let attr = |name: &str| -> Option<i32> {
                let rest = block.split(&format!("{name}=\"")).nth(1)?;
                rest.split('"').next()?.parse().ok()
            };
            let body = block.split(">\n").nth(1).unwrap_or_default();
            let body = body.split("\n</text").next().unwrap_or_default();
            if !victims.iter().any(|v| ellipsize(v, 22) == body) {
                continue;
            }
            let x = f64::from(attr("x").unwrap());
            let w = approx_text_width(body, 12.0);
            let right_anchored = block.contains("text-anchor=\"end\"");
            let (left, right) = if right_anchored {
                (x - w, x)
            } else {
                (x, x + w)
            };
            assert!(
                left >= 0.0 && right <= f64::from(WIDTH),
                "{body} at {x}: {left}..{right}"
            );
            checked += 1;
        }
        assert!(checked > 0, "no victim label found");
    }

    #[test]
    fn every_mechanism_has_a_lane() {
        for m in [
            Mechanism::ContainerOom,
            Mechanism::PodOom,
            Mechanism::EvictionSoft,
            Mechanism::KubepodsOom,
            Mechanism::NodeOom,
        ] {
            assert!(lane_of(m) < LANES.len());
        }
        assert_eq!(lane_of(Mechanism::NodeOom), 4);
    }
}
