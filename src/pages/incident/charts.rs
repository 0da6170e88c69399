//! The incident page's charts as pure functions from the core's results to SVG text (rendered with
//! `inner_html`, so every piece of pasted text in them goes through [`esc`]). Hand-written SVG:
//! small and testable natively.

use super::analysis::{MemoryStatView, TaskRowView, TimelinePoint};
use std::fmt::Write;

/// Escapes text for SVG/XML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

const WIDTH: f64 = 640.0;
const LABEL_W: f64 = 170.0;
const ROW_H: f64 = 20.0;

/// Horizontal bars of recomputed badness for the `limit` highest-scoring tasks; the victim's bar
/// is red, the table's choice (when different) orange. `title` is the localised chart title.
pub fn badness_chart(
    tasks: &[TaskRowView],
    victim_pid: Option<i64>,
    limit: usize,
    title: &str,
) -> String {
    let mut rows: Vec<&TaskRowView> = tasks.iter().filter(|t| t.badness.is_some()).collect();
    rows.sort_by(|a, b| b.badness.cmp(&a.badness).then(a.pid.cmp(&b.pid)));
    rows.truncate(limit);
    let max = rows
        .iter()
        .filter_map(|t| t.badness)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let height = 28.0 + ROW_H * rows.len() as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart badness-chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = esc(title)
    );
    for (i, t) in rows.iter().enumerate() {
        let y = 24.0 + ROW_H * i as f64;
        let score = t.badness.unwrap_or(0);
        let w = ((score.max(0) as f64) / max * (WIDTH - LABEL_W - 80.0)).max(1.0);
        let class = if Some(t.pid) == victim_pid {
            "bar victim"
        } else {
            "bar"
        };
        let _ = write!(
            s,
            r#"<text x="{lx}" y="{ty}" text-anchor="end" class="label">{name} ({pid})</text><rect x="{LABEL_W}" y="{y}" width="{w:.1}" height="{h}" class="{class}"/><text x="{vx:.1}" y="{ty}" class="value">{score}</text>"#,
            lx = LABEL_W - 6.0,
            ty = y + 13.0,
            name = esc(&cut(&t.comm, 16)),
            pid = t.pid,
            h = ROW_H - 5.0,
            vx = LABEL_W + w + 4.0,
        );
    }
    s.push_str("</svg>");
    s
}

/// Localised labels for [`memory_stat_chart`].
pub struct MemLabels<'a> {
    /// Chart title.
    pub title: &'a str,
    /// Row "what the kernel counts" (the breakdown).
    pub breakdown: &'a str,
    /// Row usage.
    pub usage: &'a str,
    /// Row working set.
    pub working_set: &'a str,
    /// Row limit.
    pub limit: &'a str,
    /// Segment names: anon, shmem, active file, inactive file, file (unsplit), swap.
    pub segments: [&'a str; 6],
}

/// The memory.stat breakdown: a stacked bar (anon, shmem, active file, inactive file) and swap,
/// then usage, working set and limit as bars on the same scale; unknown values are left out.
pub fn memory_stat_chart(m: &MemoryStatView, l: &MemLabels) -> String {
    let file_split = m.active_file_bytes.is_some() || m.inactive_file_bytes.is_some();
    let segments: Vec<(usize, i64)> = [
        (0, m.anon_bytes),
        (1, m.shmem_bytes),
        (
            2,
            if file_split {
                m.active_file_bytes
            } else {
                None
            },
        ),
        (
            3,
            if file_split {
                m.inactive_file_bytes
            } else {
                None
            },
        ),
        (4, if file_split { None } else { m.file_bytes }),
        (5, m.swap_bytes),
    ]
    .into_iter()
    .filter_map(|(i, v)| v.filter(|b| *b > 0).map(|b| (i, b)))
    .collect();
    let stacked: i64 = segments
        .iter()
        .fold(0i64, |acc, (_, b)| acc.saturating_add(*b));
    let bars: Vec<(&str, Option<i64>, &str)> = vec![
        (l.usage, m.usage_bytes, "usage"),
        (l.working_set, m.working_set_bytes, "working-set"),
        (l.limit, m.limit_bytes, "limit"),
    ];
    let max = bars
        .iter()
        .filter_map(|(_, v, _)| *v)
        .chain(std::iter::once(stacked))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let scale = (WIDTH - LABEL_W - 90.0) / max;
    let height = 24.0 + 26.0 * 4.0 + 24.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart memstat-chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = esc(l.title)
    );
    let mut x = LABEL_W;
    let _ = write!(
        s,
        r#"<text x="{}" y="37" text-anchor="end" class="label">{}</text>"#,
        LABEL_W - 6.0,
        esc(l.breakdown)
    );
    for (i, b) in &segments {
        let w = (*b as f64 * scale).max(1.0);
        let name = l.segments.get(*i).copied().unwrap_or("");
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="24" width="{w:.1}" height="20" class="seg seg{i}"><title>{} {}</title></rect>"#,
            esc(name),
            esc(&oomlens_core::quantity::format_bytes(*b))
        );
        x += w;
    }
    for (row, (label, value, class)) in bars.iter().enumerate() {
        let y = 24.0 + 26.0 * (row as f64 + 1.0);
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" class="label">{}</text>"#,
            LABEL_W - 6.0,
            y + 13.0,
            esc(label)
        );
        if let Some(v) = value {
            let w = (*v.max(&0) as f64 * scale).max(1.0);
            let _ = write!(
                s,
                r#"<rect x="{LABEL_W}" y="{y}" width="{w:.1}" height="20" class="bar {class}"/><text x="{:.1}" y="{}" class="value">{}</text>"#,
                LABEL_W + w + 4.0,
                y + 13.0,
                esc(&oomlens_core::quantity::format_bytes(*v))
            );
        }
    }
    // Legend.
    let mut lx = 8.0;
    let ly = height - 8.0;
    for (i, _) in &segments {
        let name = l.segments.get(*i).copied().unwrap_or("");
        let _ = write!(
            s,
            r#"<rect x="{lx:.1}" y="{}" width="10" height="10" class="seg seg{i}"/><text x="{:.1}" y="{ly}" class="legend">{}</text>"#,
            ly - 9.0,
            lx + 14.0,
            esc(name)
        );
        lx += 24.0 + name.chars().count() as f64 * 7.0;
    }
    s.push_str("</svg>");
    s
}

/// A cgroup path shortened for a label: its last component, at most 18 characters.
pub fn cgroup_label(path: &str) -> String {
    let last = path.rsplit('/').find(|p| !p.is_empty()).unwrap_or(path);
    cut(last, 18)
}

/// The timeline: one row per cgroup (most events first, at most `max_rows`), one dot per event at
/// its position in the paste; `global` labels events without a cgroup.
pub fn timeline_chart(
    points: &[TimelinePoint],
    line_count: usize,
    max_rows: usize,
    title: &str,
    global: &str,
) -> String {
    let groups = group_by_cgroup(points);
    let shown: Vec<_> = groups.iter().take(max_rows).collect();
    let height = 20.0 + ROW_H * shown.len() as f64 + 10.0;
    let span = line_count.max(1) as f64;
    let plot_w = WIDTH - LABEL_W - 50.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline-chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = esc(title)
    );
    for (row, (cgroup, idx)) in shown.iter().enumerate() {
        let y = 20.0 + ROW_H * row as f64;
        let label = if cgroup.is_empty() {
            global.to_string()
        } else {
            cgroup_label(cgroup)
        };
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" class="label">{} ×{}</text><line x1="{LABEL_W}" x2="{}" y1="{}" y2="{}" class="lane"/>"#,
            LABEL_W - 6.0,
            y + 4.0,
            esc(&label),
            idx.len(),
            LABEL_W + plot_w,
            y,
            y
        );
        for i in idx.iter().take(2000) {
            if let Some(p) = points.get(*i) {
                let cx = LABEL_W + (p.line as f64 / span).min(1.0) * plot_w;
                let who = p.victim_comm.as_deref().unwrap_or("?");
                let _ = write!(
                    s,
                    r#"<circle cx="{cx:.1}" cy="{y}" r="5" class="dot"><title>#{} {}</title></circle>"#,
                    p.line,
                    esc(who)
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// Events grouped by cgroup: (cgroup, indices into `points`), most events first, then first seen.
pub fn group_by_cgroup(points: &[TimelinePoint]) -> Vec<(String, Vec<usize>)> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, p) in points.iter().enumerate() {
        match index.get(p.cgroup.as_str()) {
            Some(g) => {
                if let Some(group) = groups.get_mut(*g) {
                    group.1.push(i);
                }
            }
            None => {
                index.insert(p.cgroup.as_str(), groups.len());
                groups.push((p.cgroup.clone(), vec![i]));
            }
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.1.len()));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(pid: i64, comm: &str, badness: Option<i64>) -> TaskRowView {
        TaskRowView {
            pid,
            comm: comm.into(),
            badness,
            ..Default::default()
        }
    }

    #[test]
    fn pasted_names_are_escaped() {
        let svg = badness_chart(
            &[task(1, "<script>alert(1)</script>", Some(5))],
            Some(1),
            10,
            "t\"&",
        );
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("t&quot;&amp;"));
    }

    #[test]
    fn badness_bars_are_sorted_capped_and_mark_the_victim() {
        let tasks = vec![
            task(1, "a", Some(10)),
            task(2, "b", Some(30)),
            task(3, "c", None),
            task(4, "d", Some(20)),
        ];
        let svg = badness_chart(&tasks, Some(4), 2, "x");
        let b = svg.find("b (2)").unwrap_or(usize::MAX);
        let d = svg.find("d (4)").unwrap_or(usize::MAX);
        assert!(b < d && d < usize::MAX, "{svg}");
        assert!(!svg.contains("a (1)"));
        assert_eq!(svg.matches("bar victim").count(), 1);
    }

    #[test]
    fn memory_chart_leaves_out_unknown_values() {
        let m = MemoryStatView {
            anon_bytes: Some(100),
            file_bytes: Some(50),
            usage_bytes: Some(150),
            ..Default::default()
        };
        let labels = MemLabels {
            title: "t",
            breakdown: "b",
            usage: "u",
            working_set: "w",
            limit: "l",
            segments: ["anon", "shmem", "active", "inactive", "file", "swap"],
        };
        let svg = memory_stat_chart(&m, &labels);
        assert!(svg.contains("seg0") && svg.contains("seg4"));
        assert!(!svg.contains("seg2") && !svg.contains("seg5"));
        assert!(svg.contains("bar usage") && !svg.contains("bar limit"));
    }

    #[test]
    fn timeline_groups_repeated_kills_of_one_cgroup() {
        let p = |line, cg: &str| TimelinePoint {
            line,
            cgroup: cg.into(),
            ..Default::default()
        };
        let points = vec![p(1, "/a/x"), p(5, "/b/y"), p(9, "/a/x"), p(12, "")];
        let groups = group_by_cgroup(&points);
        assert_eq!(groups[0], ("/a/x".to_string(), vec![0, 2]));
        let svg = timeline_chart(&points, 12, 10, "t", "global");
        assert!(svg.contains("x ×2") && svg.contains("global ×1"));
        assert_eq!(svg.matches("<circle").count(), 4);
    }

    #[test]
    fn labels_are_cut() {
        assert_eq!(cgroup_label("/kubepods/burstable/pod1234/"), "pod1234");
        assert_eq!(cgroup_label(&"x".repeat(40)).chars().count(), 18);
    }
}
