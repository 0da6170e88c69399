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
    oomlens_core::base::sort::sort_by(&mut rows, |a, b| {
        b.badness.cmp(&a.badness).then(a.pid.cmp(&b.pid))
    });
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
    /// Row "what the kernel counts" (the stacked breakdown of usage).
    pub breakdown: &'a str,
    /// Row usage.
    pub usage: &'a str,
    /// Row working set.
    pub working_set: &'a str,
    /// Row limit.
    pub limit: &'a str,
    /// Row peak usage.
    pub peak: &'a str,
    /// "{pct}% of limit" (placeholder `{pct}`).
    pub of_limit: &'a str,
    /// Component names, in [`MemPart`] order.
    pub parts: [&'a str; 10],
}

/// One component of a memory.stat breakdown, in chart order (index into [`MemLabels::parts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemPart {
    /// anon (v2) / rss (v1): anonymous memory, reclaimable only to swap.
    Anon = 0,
    /// shmem: tmpfs, /dev/shm, emptyDir medium Memory (part of file, not of active/inactive_file).
    Shmem = 1,
    /// active_file: recently used page cache (counted in the working set).
    ActiveFile = 2,
    /// inactive_file: page cache the kernel reclaims first (subtracted from the working set).
    InactiveFile = 3,
    /// file / cache when the active/inactive split is not pasted (or the rest of it).
    File = 4,
    /// slab_reclaimable (dentries, inodes).
    SlabReclaimable = 5,
    /// slab_unreclaim.
    SlabUnreclaimable = 6,
    /// kernel minus slab (stacks, page tables, percpu, vmalloc …), or kernel unsplit.
    KernelOther = 7,
    /// sock: network buffers.
    Sock = 8,
    /// swap: swapped-out pages (outside usage).
    Swap = 9,
}

/// The parts of usage as memory.stat shows them (v2: memory.current ≈ anon + file + kernel + sock;
/// file includes shmem; active_file/inactive_file exclude it). Unknown or zero parts are left out.
pub fn memory_parts(m: &MemoryStatView) -> Vec<(MemPart, i64)> {
    let pos = |v: Option<i64>| v.filter(|b| *b > 0);
    let mut out: Vec<(MemPart, Option<i64>)> = vec![(MemPart::Anon, pos(m.anon_bytes))];
    let shmem = pos(m.shmem_bytes);
    out.push((MemPart::Shmem, shmem));
    let split = m.active_file_bytes.is_some() || m.inactive_file_bytes.is_some();
    if split {
        out.push((MemPart::ActiveFile, pos(m.active_file_bytes)));
        out.push((MemPart::InactiveFile, pos(m.inactive_file_bytes)));
        // What `file` holds beyond shmem + active + inactive (e.g. unevictable); ignore rounding.
        let known = shmem
            .unwrap_or(0)
            .saturating_add(m.active_file_bytes.unwrap_or(0))
            .saturating_add(m.inactive_file_bytes.unwrap_or(0));
        let rest = m.file_bytes.map(|f| f.saturating_sub(known));
        out.push((MemPart::File, rest.filter(|r| *r > (1 << 20))));
    } else {
        out.push((
            MemPart::File,
            pos(m.file_bytes.map(|f| f.saturating_sub(shmem.unwrap_or(0)))),
        ));
    }
    match (m.slab_bytes, m.slab_reclaimable_bytes) {
        (Some(slab), Some(rec)) => {
            out.push((MemPart::SlabReclaimable, pos(Some(rec))));
            out.push((
                MemPart::SlabUnreclaimable,
                pos(Some(slab.saturating_sub(rec))),
            ));
        }
        (Some(slab), None) => out.push((MemPart::SlabUnreclaimable, pos(Some(slab)))),
        _ => {}
    }
    let kernel_rest = match (m.kernel_bytes, m.slab_bytes) {
        (Some(k), Some(s)) => Some(k.saturating_sub(s)),
        (k, _) => k,
    };
    out.push((MemPart::KernelOther, pos(kernel_rest)));
    out.push((MemPart::Sock, pos(m.sock_bytes)));
    out.push((MemPart::Swap, pos(m.swap_bytes)));
    out.into_iter()
        .filter_map(|(p, v)| v.map(|b| (p, b)))
        .collect()
}

/// The memory.stat breakdown: a stacked bar of what the kernel counts in usage, then one named row
/// per component (so no meaning rests on colour), then usage, working set, peak and limit on the
/// same scale, each with its share of the limit; the limit is also a dashed line across all rows.
pub fn memory_stat_chart(m: &MemoryStatView, l: &MemLabels) -> String {
    let parts = memory_parts(m);
    let in_usage: Vec<(MemPart, i64)> = parts
        .iter()
        .copied()
        .filter(|(p, _)| *p != MemPart::Swap)
        .collect();
    let stacked: i64 = in_usage
        .iter()
        .fold(0i64, |acc, (_, b)| acc.saturating_add(*b));
    let totals: Vec<(&str, Option<i64>, &str)> = vec![
        (l.usage, m.usage_bytes, "usage"),
        (l.working_set, m.working_set_bytes, "working-set"),
        (l.peak, m.peak_bytes, "peak"),
        (l.limit, m.limit_bytes, "limit"),
    ]
    .into_iter()
    .filter(|(_, v, _)| v.is_some())
    .collect();
    let max = totals
        .iter()
        .filter_map(|(_, v, _)| *v)
        .chain(parts.iter().map(|(_, b)| *b))
        .chain(std::iter::once(stacked))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let label_w = LABEL_W;
    let scale = (WIDTH - label_w - 150.0) / max;
    let rows = 1 + parts.len() + totals.len();
    let height = 16.0 + 24.0 * rows as f64 + 8.0;
    let limit = m.limit_bytes.filter(|l| *l > 0);
    let share = |v: i64| -> String {
        match limit {
            Some(lim) => {
                let pct = (v as f64) * 100.0 / (lim as f64);
                format!(" · {}", l.of_limit.replace("{pct}", &format!("{pct:.0}")))
            }
            None => String::new(),
        }
    };
    let bytes = |v: i64| oomlens_core::base::quantity::format_bytes(v);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart memstat-chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = esc(l.title)
    );
    let row_y = |row: usize| 12.0 + 24.0 * row as f64;
    let label = |s: &mut String, y: f64, text: &str, class: &str| {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" class="label {class}">{}</text>"#,
            label_w - 6.0,
            y + 13.0,
            esc(text)
        );
    };
    // Row 0: the stacked breakdown.
    let y0 = row_y(0);
    label(&mut s, y0, l.breakdown, "strong");
    let mut x = label_w;
    for (p, b) in &in_usage {
        let w = (*b as f64 * scale).max(1.0);
        let name = l.parts.get(*p as usize).copied().unwrap_or("");
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="{y0}" width="{w:.1}" height="18" class="seg part{}"><title>{} {}</title></rect>"#,
            *p as usize,
            esc(name),
            esc(&bytes(*b))
        );
        x += w;
    }
    if stacked > 0 {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{}" class="value">{}{}</text>"#,
            x + 4.0,
            y0 + 13.0,
            esc(&bytes(stacked)),
            esc(&share(stacked))
        );
    }
    // One row per component.
    for (i, (p, b)) in parts.iter().enumerate() {
        let y = row_y(i + 1);
        let name = l.parts.get(*p as usize).copied().unwrap_or("");
        label(&mut s, y, name, "part");
        let w = (*b as f64 * scale).max(1.0);
        let _ = write!(
            s,
            r#"<rect x="{label_w}" y="{}" width="{w:.1}" height="14" class="seg part{}"/><text x="{:.1}" y="{}" class="value">{}{}</text>"#,
            y + 2.0,
            *p as usize,
            label_w + w + 4.0,
            y + 13.0,
            esc(&bytes(*b)),
            esc(&share(*b))
        );
    }
    // Totals.
    for (j, (name, value, class)) in totals.iter().enumerate() {
        let y = row_y(1 + parts.len() + j);
        label(&mut s, y, name, "strong");
        if let Some(v) = value {
            let w = (*v.max(&0) as f64 * scale).max(1.0);
            let _ = write!(
                s,
                r#"<rect x="{label_w}" y="{y}" width="{w:.1}" height="18" class="bar {class}"/><text x="{:.1}" y="{}" class="value">{}{}</text>"#,
                label_w + w + 4.0,
                y + 13.0,
                esc(&bytes(*v)),
                if *class == "limit" {
                    String::new()
                } else {
                    esc(&share(*v))
                }
            );
        }
    }
    // The limit as a dashed line across every row.
    if let Some(lim) = limit {
        let lx = label_w + lim as f64 * scale;
        let _ = write!(
            s,
            r#"<line x1="{lx:.1}" x2="{lx:.1}" y1="8" y2="{:.1}" class="limit-line"/>"#,
            height - 6.0
        );
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
    oomlens_core::base::sort::sort_by_key(&mut groups, |g| std::cmp::Reverse(g.1.len()));
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

    fn labels() -> MemLabels<'static> {
        MemLabels {
            title: "t",
            breakdown: "b",
            usage: "u",
            working_set: "w",
            limit: "l",
            peak: "p",
            of_limit: "{pct}% of limit",
            parts: [
                "anon", "shmem", "active", "inactive", "file", "slab_r", "slab_u", "kernel",
                "sock", "swap",
            ],
        }
    }

    #[test]
    fn memory_chart_leaves_out_unknown_values() {
        let m = MemoryStatView {
            anon_bytes: Some(100),
            file_bytes: Some(50),
            usage_bytes: Some(150),
            ..Default::default()
        };
        let svg = memory_stat_chart(&m, &labels());
        assert!(svg.contains("part0") && svg.contains("part4"));
        assert!(!svg.contains("part2") && !svg.contains("part9"));
        assert!(svg.contains("bar usage") && !svg.contains("bar limit"));
        assert!(!svg.contains("of limit") && !svg.contains("limit-line"));
    }

    #[test]
    fn memory_chart_names_kernel_slab_sock_and_swap_rows_with_shares_of_the_limit() {
        let mib = 1i64 << 20;
        let m = MemoryStatView {
            anon_bytes: Some(400 * mib),
            file_bytes: Some(300 * mib),
            shmem_bytes: Some(100 * mib),
            active_file_bytes: Some(120 * mib),
            inactive_file_bytes: Some(80 * mib),
            kernel_bytes: Some(90 * mib),
            slab_bytes: Some(60 * mib),
            slab_reclaimable_bytes: Some(40 * mib),
            sock_bytes: Some(10 * mib),
            swap_bytes: Some(20 * mib),
            usage_bytes: Some(800 * mib),
            working_set_bytes: Some(720 * mib),
            limit_bytes: Some(1024 * mib),
            ..Default::default()
        };
        let parts = memory_parts(&m);
        let get = |p| parts.iter().find(|(q, _)| *q == p).map(|(_, b)| *b);
        assert_eq!(get(MemPart::SlabReclaimable), Some(40 * mib));
        assert_eq!(get(MemPart::SlabUnreclaimable), Some(20 * mib));
        assert_eq!(get(MemPart::KernelOther), Some(30 * mib));
        assert_eq!(get(MemPart::Sock), Some(10 * mib));
        assert_eq!(
            get(MemPart::File),
            None,
            "file = shmem + active + inactive here"
        );
        // anon + file + kernel + sock = usage (v2 accounting).
        let in_usage: i64 = parts
            .iter()
            .filter(|(p, _)| *p != MemPart::Swap)
            .map(|(_, b)| b)
            .sum();
        assert_eq!(in_usage, 800 * mib);
        let svg = memory_stat_chart(&m, &labels());
        for name in ["slab_r", "slab_u", "kernel", "sock", "swap", "inactive"] {
            assert!(
                svg.contains(&format!(">{name}</text>")),
                "row {name} missing"
            );
        }
        assert!(svg.contains("800 MiB · 78% of limit"), "{svg}");
        assert!(svg.contains("limit-line"));
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
