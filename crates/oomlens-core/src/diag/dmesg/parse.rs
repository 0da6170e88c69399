//! One-line parsers for the pieces of a kernel OOM report, as printed by `torvalds/linux`
//! `mm/oom_kill.c` (`dump_header`, `dump_oom_summary`/`dump_oom_victim`, `dump_task`, `__oom_kill_process`,
//! `oom_reap_task_mm`), `mm/memcontrol.c` (`mem_cgroup_print_oom_context`, `mem_cgroup_print_oom_meminfo`,
//! `mem_cgroup_print_oom_group`) and `lib/show_mem.c`, 3.10 → 6.x. Each parser takes a message whose
//! log prefixes were already stripped ([`crate::diag::lines::strip_prefixes`]) and returns `None`
//! when the line is not that piece.

use crate::diag::lines::{kb_after, leading_i64, leading_u64};

/// `<comm> invoked oom-killer: gfp_mask=0x…(…), [nodemask=…, ]order=N, oom_score_adj=N`.
#[derive(Debug, Clone, PartialEq)]
pub struct Header<'a> {
    /// The allocating task's comm.
    pub comm: &'a str,
    /// `gfp_mask=` value as printed.
    pub gfp_mask: Option<&'a str>,
    /// `order=`.
    pub order: Option<i64>,
    /// `oom_score_adj=` of the allocating task.
    pub oom_score_adj: Option<i64>,
}

/// Parses the `invoked oom-killer:` header.
pub fn header(m: &str) -> Option<Header<'_>> {
    let i = m.find(" invoked oom-killer:")?;
    let comm = m.get(..i)?.trim();
    let rest = m.get(i..)?;
    let gfp_mask = value_of(rest, "gfp_mask=").map(|v| v.trim_end_matches(','));
    let order = value_of(rest, "order=").and_then(|v| leading_i64(v).map(|p| p.0));
    let oom_score_adj = value_of(rest, "oom_score_adj=").and_then(|v| leading_i64(v).map(|p| p.0));
    Some(Header {
        comm,
        gfp_mask,
        order,
        oom_score_adj,
    })
}

/// The token after `key` up to the next blank (commas kept).
fn value_of<'a>(s: &'a str, key: &str) -> Option<&'a str> {
    let i = s.find(key)?;
    let v = s.get(i + key.len()..)?;
    Some(v.split_whitespace().next().unwrap_or(""))
}

/// `CPU: 0 PID: 1381 Comm: x Tainted: G O 4.8.0-gentoo #2` (and `Pid: 1743, comm: sshd …` of 2.6).
#[derive(Debug, Clone, PartialEq)]
pub struct CpuLine<'a> {
    /// PID of the task running (the allocating task).
    pub pid: Option<i64>,
    /// Kernel release, e.g. `4.8.0-gentoo`.
    pub kernel: Option<&'a str>,
}

/// Parses the `CPU: … PID: … Comm: …` line of `dump_stack`.
pub fn cpu_line(m: &str) -> Option<CpuLine<'_>> {
    let t = m.trim_start();
    if !(t.starts_with("CPU: ") || t.starts_with("Pid: ")) {
        return None;
    }
    let comm_at = t.find(" Comm: ").or_else(|| t.find(" comm: "))?;
    let pid = t
        .find("PID: ")
        .or_else(|| t.find("Pid: "))
        .and_then(|i| leading_i64(t.get(i + 5..)?).map(|p| p.0));
    let after = t.get(comm_at + 7..)?;
    let kernel = after.split_whitespace().find(|tok| looks_like_release(tok));
    Some(CpuLine { pid, kernel })
}

/// `4.8.0-gentoo`, `3.10.0-327.4.5.el7.x86_64`, `6.13.1-200.fc41.x86_64`, `5.15.0`.
fn looks_like_release(tok: &str) -> bool {
    let mut parts = tok.splitn(3, '.');
    let major = parts.next().unwrap_or("");
    let minor = parts.next().unwrap_or("");
    let minor_digits = minor
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap_or("");
    !major.is_empty()
        && major.len() <= 2
        && major.bytes().all(|b| b.is_ascii_digit())
        && !minor_digits.is_empty()
        && (parts.next().is_some() || minor.contains('-') || minor_digits.len() == minor.len())
}

/// `<comm> cpuset=<name> mems_allowed=<list>` (kernels ≤ 4.18, after the header).
pub fn cpuset_line(m: &str) -> Option<(&str, &str)> {
    let i = m.find(" cpuset=")?;
    if m.contains("oom-kill:") || m.contains("invoked oom-killer") {
        return None;
    }
    let rest = m.get(i + 8..)?;
    let j = rest.find(" mems_allowed=")?;
    Some((rest.get(..j)?, rest.get(j + 14..)?.trim()))
}

/// `Task in <task memcg> killed as a result of limit of <oom memcg>` (≤ 4.18 memcg OOMs).
pub fn task_in(m: &str) -> Option<(&str, &str)> {
    let r = m.trim_start().strip_prefix("Task in ")?;
    let (task, oom) = r.split_once(" killed as a result of limit of ")?;
    Some((task.trim(), oom.trim()))
}

/// Which memcg counter a usage line reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// `memory:`.
    Memory,
    /// `memory+swap:` (v1).
    MemSwap,
    /// `kmem:` (v1).
    Kmem,
    /// `swap:` (v2).
    Swap,
}

/// `memory: usage 980kB, limit 980kB, failcnt 4152239` and its `memory+swap:`/`kmem:`/`swap:` siblings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// Which counter.
    pub counter: Counter,
    /// usage in kB.
    pub usage_kb: Option<u64>,
    /// limit in kB.
    pub limit_kb: Option<u64>,
    /// failcnt.
    pub failcnt: Option<u64>,
}

/// Parses a memcg counter line.
pub fn usage(m: &str) -> Option<Usage> {
    let t = m.trim_start();
    let (counter, rest) = if let Some(r) = t.strip_prefix("memory: usage ") {
        (Counter::Memory, r)
    } else if let Some(r) = t.strip_prefix("memory+swap: usage ") {
        (Counter::MemSwap, r)
    } else if let Some(r) = t.strip_prefix("kmem: usage ") {
        (Counter::Kmem, r)
    } else if let Some(r) = t.strip_prefix("swap: usage ") {
        (Counter::Swap, r)
    } else {
        return None;
    };
    let usage_kb = leading_u64(rest)
        .filter(|(_, unit)| unit.starts_with("kB") || unit.starts_with("KB"))
        .map(|p| p.0);
    let limit_kb = kb_after(rest, "limit ");
    let failcnt = rest
        .find("failcnt ")
        .and_then(|k| leading_u64(rest.get(k + 8..)?))
        .map(|p| p.0);
    Some(Usage {
        counter,
        usage_kb,
        limit_kb,
        failcnt,
    })
}

/// `Memory cgroup stats for <path>:` (multi-line body follows) or, on old v1 kernels,
/// `Memory cgroup stats for <path>: cache:0KB rss:980KB …` on one line. Returns the path and the
/// inline `key:valueKB` pairs converted to bytes.
pub fn stats_for(m: &str) -> Option<(&str, Vec<(String, i64)>)> {
    let r = m.trim_start().strip_prefix("Memory cgroup stats for ")?;
    let (path, inline) = match r.find(": ") {
        Some(i) => (r.get(..i)?, r.get(i + 2..)?),
        None => (r.trim_end().trim_end_matches(':'), ""),
    };
    let mut stats = Vec::new();
    for tok in inline.split_whitespace() {
        if let Some((k, v)) = tok.split_once(':') {
            let kb = v.strip_suffix("KB").or_else(|| v.strip_suffix("kB"));
            if let Some(n) = kb
                .and_then(|n| n.parse::<i64>().ok())
                .and_then(|n| n.checked_mul(1024))
            {
                stats.push((k.to_string(), n));
            }
        }
    }
    Some((path.trim(), stats))
}

/// A multi-line memory.stat body line: `anon 1234` (bytes, or counts for event keys).
pub fn stat_line(m: &str) -> Option<(&str, i64)> {
    let t = m.trim();
    let (k, v) = t.split_once(' ')?;
    if k.is_empty()
        || !k
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return None;
    }
    let v: i64 = v.trim().parse().ok()?;
    Some((k, v))
}

/// Columns of a task-table header, e.g. `[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name`.
pub fn table_header(m: &str) -> Option<Vec<String>> {
    let t = m.trim_start();
    let r = t.strip_prefix('[')?;
    let close = r.find(']')?;
    if r.get(..close)?.trim() != "pid" {
        return None;
    }
    let cols: Vec<String> = r
        .get(close + 1..)?
        .split_whitespace()
        .map(str::to_string)
        .collect();
    (cols.iter().any(|c| c == "rss") && cols.last().is_some_and(|c| c == "name")).then_some(cols)
}

/// The header a task-table row implies when its own header is cut from the paste, by how many
/// numbers follow `[pid]`: 10 (`rss_anon rss_file rss_shmem`, 6.x) or 8 (`nr_ptes nr_pmds`, 4.x)
/// name every column unambiguously (`dump_task` in torvalds/linux mm/oom_kill.c of those
/// releases). 7 numbers fit three layouts (`nr_ptes swapents`, `pgtables_bytes swapents`,
/// 2.6's `cpu oom_adj`), so such rows are not read without their header.
pub fn headerless_columns(m: &str) -> Option<&'static [&'static str]> {
    const V6: &[&str] = &[
        "uid",
        "tgid",
        "total_vm",
        "rss",
        "rss_anon",
        "rss_file",
        "rss_shmem",
        "pgtables_bytes",
        "swapents",
        "oom_score_adj",
        "name",
    ];
    const V4: &[&str] = &[
        "uid",
        "tgid",
        "total_vm",
        "rss",
        "nr_ptes",
        "nr_pmds",
        "swapents",
        "oom_score_adj",
        "name",
    ];
    let t = m.trim_start();
    let r = t.strip_prefix('[')?;
    let close = r.find(']')?;
    r.get(..close)?.trim().parse::<i64>().ok()?;
    let mut rest = r.get(close + 1..)?;
    let mut n = 0;
    while let Some((_, after)) = leading_i64(rest) {
        if !after.is_empty() && !after.starts_with(char::is_whitespace) {
            return None;
        }
        n += 1;
        rest = after;
        if n > 12 {
            return None;
        }
    }
    if rest.trim().is_empty() {
        return None;
    }
    match n {
        10 => Some(V6),
        8 => Some(V4),
        _ => None,
    }
}

/// One task-table row: `[ 1381]     0  1381   530382     5191      34       4     5489             0 gunpowder-memho`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    /// pid.
    pub pid: i64,
    /// The numeric columns in header order (header minus `name`).
    pub values: Vec<i64>,
    /// The command name (may hold blanks).
    pub name: &'a str,
}

/// Parses a row against a header with `ncols` numeric columns.
pub fn table_row(m: &str, ncols: usize) -> Option<Row<'_>> {
    let t = m.trim_start();
    let r = t.strip_prefix('[')?;
    let close = r.find(']')?;
    let pid: i64 = r.get(..close)?.trim().parse().ok()?;
    let mut rest = r.get(close + 1..)?;
    let mut values = Vec::with_capacity(ncols);
    for _ in 0..ncols {
        let (v, after) = leading_i64(rest)?;
        values.push(v);
        rest = after;
    }
    // The name follows after blanks; a row cut before the name still counts.
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some(Row {
        pid,
        values,
        name: rest.trim(),
    })
}

/// `oom-kill:constraint=…,nodemask=…,cpuset=…,mems_allowed=…,oom_memcg=…|global_oom,task_memcg=…,task=…,pid=…,uid=…` (≥ 4.19).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraint<'a> {
    /// `CONSTRAINT_MEMCG` etc.
    pub constraint: &'a str,
    /// cpuset cgroup name.
    pub cpuset: Option<&'a str>,
    /// `oom_memcg=` (None for `global_oom`).
    pub oom_memcg: Option<&'a str>,
    /// `global_oom` present.
    pub global: bool,
    /// `task_memcg=`.
    pub task_memcg: Option<&'a str>,
    /// `task=`.
    pub task: Option<&'a str>,
    /// `pid=`.
    pub pid: Option<i64>,
    /// `uid=`.
    pub uid: Option<i64>,
}

/// Parses the `oom-kill:` summary line. Values are found by their keys, so a comma inside
/// `mems_allowed=0-1,3` or a blank inserted by a wrapping terminal does not shift them.
pub fn constraint(m: &str) -> Option<Constraint<'_>> {
    let i = m.find("oom-kill:constraint=")?;
    let s = m.get(i + 20..)?;
    // A pager that chops long lines (`less -S`, `journalctl`'s default) ends them with `>`: the
    // last field is cut, so it is dropped rather than read as a whole value.
    let s = match s.trim_end().strip_suffix('>') {
        Some(cut) => cut.get(..cut.rfind(',').unwrap_or(0)).unwrap_or(""),
        None => s,
    };
    let constraint = s.get(..s.find(',').unwrap_or(s.len()))?.trim();
    let keyed = |key: &str, ends: &[&str]| -> Option<&str> {
        let k = s.find(key)?;
        let v = s.get(k + key.len()..)?;
        let end = ends
            .iter()
            .filter_map(|e| v.find(e))
            .min()
            .unwrap_or(v.len());
        v.get(..end)
    };
    let cpuset = keyed(
        ",cpuset=",
        &[
            ",mems_allowed=",
            ",oom_memcg=",
            ",global_oom",
            ",task_memcg=",
        ],
    );
    let oom_memcg = keyed(",oom_memcg=", &[",task_memcg="]).map(str::trim);
    let global = s.contains(",global_oom");
    let task_memcg = keyed(",task_memcg=", &[",task="]).map(str::trim);
    // task= and the trailing pid=/uid= are the last fields: take pid/uid from the right.
    let pid_at = s.rfind(",pid=");
    let task = s
        .find(",task=")
        .and_then(|k| s.get(k + 6..pid_at.unwrap_or(s.len()).max(k + 6)));
    let pid = pid_at.and_then(|k| leading_i64(s.get(k + 5..)?).map(|p| p.0));
    let uid = s
        .rfind(",uid=")
        .and_then(|k| leading_i64(s.get(k + 5..)?).map(|p| p.0));
    Some(Constraint {
        constraint,
        cpuset,
        oom_memcg,
        global,
        task_memcg,
        task,
        pid,
        uid,
    })
}

/// `… Kill process <pid> (<comm>) score <n> or sacrifice child` (kernels < ~5.0). The prefix
/// (`Memory cgroup out of memory:` / `Out of memory:`) is read with [`kill_select_kind`].
pub fn kill_select(m: &str) -> Option<(i64, &str, Option<i64>)> {
    let i = m.find("Kill process ")?;
    let r = m.get(i + 13..)?;
    let (pid, r) = leading_i64(r)?;
    let open = r.find('(')?;
    let close = r.rfind(") score ").or_else(|| r.rfind(')'))?;
    let comm = r.get(open + 1..close)?;
    let score = r
        .get(close..)?
        .find("score ")
        .and_then(|k| leading_i64(r.get(close + k + 6..)?).map(|p| p.0));
    Some((pid, comm, score))
}

/// The prefix of a `Kill process … or sacrifice child` line.
pub fn kill_select_kind(m: &str) -> Option<KillKind> {
    let i = m.find("Kill process ")?;
    let before = m.get(..i)?;
    if before.contains("Memory cgroup out of memory") {
        Some(KillKind::Memcg)
    } else if before.contains("oom_kill_allocating_task") {
        Some(KillKind::AllocatingTask)
    } else if before.contains("Out of memory") {
        Some(KillKind::Global)
    } else {
        None
    }
}

/// How the kill line introduces itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KillKind {
    /// `Memory cgroup out of memory: Killed process` (memcg OOM).
    Memcg,
    /// `Out of memory: Killed process` (global / cpuset / mempolicy).
    Global,
    /// `Out of memory (oom_kill_allocating_task): Killed process`.
    AllocatingTask,
    /// `Killed process` alone (3.x/4.x second line after `Kill process … or sacrifice child`).
    Bare,
}

/// `Killed process <pid> (<comm>) total-vm:…kB, anon-rss:…kB, file-rss:…kB, shmem-rss:…kB, UID:… pgtables:…kB oom_score_adj:…`.
#[derive(Debug, Clone, PartialEq)]
pub struct Killed<'a> {
    /// Which prefix.
    pub kind: KillKind,
    /// pid.
    pub pid: i64,
    /// comm (may contain blanks and parentheses).
    pub comm: &'a str,
    /// total-vm kB.
    pub total_vm_kb: Option<u64>,
    /// anon-rss kB.
    pub anon_kb: Option<u64>,
    /// file-rss kB.
    pub file_kb: Option<u64>,
    /// shmem-rss kB.
    pub shmem_kb: Option<u64>,
    /// UID.
    pub uid: Option<i64>,
    /// pgtables kB.
    pub pgtables_kb: Option<u64>,
    /// oom_score_adj.
    pub oom_score_adj: Option<i64>,
}

/// Parses a `Killed process` line (every variant since 3.10).
pub fn killed(m: &str) -> Option<Killed<'_>> {
    let i = m.find("Killed process ")?;
    let before = m.get(..i)?;
    let kind = if before.contains("oom_kill_allocating_task") {
        KillKind::AllocatingTask
    } else if before.contains("Memory cgroup out of memory") {
        KillKind::Memcg
    } else if before.contains("Out of memory") {
        KillKind::Global
    } else if before.trim().is_empty() {
        KillKind::Bare
    } else {
        return None;
    };
    let r = m.get(i + 15..)?;
    let (pid, r) = leading_i64(r)?;
    // RHEL 6 (2.6.32) prints the UID before the command: `Killed process 11726, UID 498, (mysqld)`.
    let (early_uid, r) = match r.strip_prefix(", UID ") {
        Some(u) => {
            let (uid, rest) = leading_i64(u)?;
            (Some(uid), rest.strip_prefix(',').unwrap_or(rest))
        }
        None => (None, r),
    };
    let r = r.strip_prefix(" (")?;
    let close = r.rfind(") total-vm:").or_else(|| r.rfind(')'))?;
    let comm = r.get(..close)?;
    let tail = r.get(close..)?;
    // 4.9–4.18 print `(comm), UID 1000, total-vm:…`; later kernels `UID:1000` after the rss.
    let uid = early_uid
        .or_else(|| {
            tail.find("UID:")
                .and_then(|k| leading_i64(tail.get(k + 4..)?).map(|p| p.0))
        })
        .or_else(|| {
            tail.find(", UID ")
                .and_then(|k| leading_i64(tail.get(k + 6..)?).map(|p| p.0))
        });
    Some(Killed {
        kind,
        pid,
        comm,
        total_vm_kb: kb_after(tail, "total-vm:"),
        anon_kb: kb_after(tail, "anon-rss:"),
        file_kb: kb_after(tail, "file-rss:"),
        shmem_kb: kb_after(tail, "shmem-rss:"),
        uid,
        pgtables_kb: kb_after(tail, "pgtables:"),
        oom_score_adj: tail
            .find("oom_score_adj:")
            .and_then(|k| leading_i64(tail.get(k + 14..)?).map(|p| p.0)),
    })
}

/// `oom_reaper: reaped process <pid> (<comm>), now anon-rss:0kB, …` → pid and comm (the comm
/// `None` when the line is cut before it).
pub fn reaped(m: &str) -> Option<(i64, Option<&str>)> {
    let i = m.find("oom_reaper: reaped process ")?;
    let (pid, r) = leading_i64(m.get(i + 27..)?)?;
    let comm = r
        .strip_prefix(" (")
        .and_then(|c| c.rfind("), now").and_then(|e| c.get(..e)));
    Some((pid, comm))
}

/// `Tasks in <path> are going to be killed due to memory.oom.group set` → path.
pub fn group_kill(m: &str) -> Option<&str> {
    let r = m.trim_start().strip_prefix("Tasks in ")?;
    let (path, _) = r.split_once(" are going to be killed due to memory.oom.group set")?;
    Some(path.trim())
}

/// What `show_mem` (global OOMs) says about the node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemInfo {
    /// `N pages RAM`.
    PagesRam(u64),
    /// `N pages reserved`.
    PagesReserved(u64),
    /// `Total swap = NkB`.
    TotalSwapKb(u64),
    /// `Free swap  = NkB`.
    FreeSwapKb(u64),
}

/// Parses the `show_mem` summary lines a global OOM prints.
pub fn mem_info(m: &str) -> Option<MemInfo> {
    let t = m.trim();
    if let Some(r) = t.strip_prefix("Total swap = ") {
        return leading_u64(r).map(|p| MemInfo::TotalSwapKb(p.0));
    }
    if let Some(r) = t
        .strip_prefix("Free swap  = ")
        .or_else(|| t.strip_prefix("Free swap = "))
    {
        return leading_u64(r).map(|p| MemInfo::FreeSwapKb(p.0));
    }
    let (n, rest) = leading_u64(t)?;
    match rest.trim() {
        "pages RAM" => Some(MemInfo::PagesRam(n)),
        "pages reserved" => Some(MemInfo::PagesReserved(n)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_variants() {
        let h =
            header("ruby invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0").unwrap();
        assert_eq!(
            (h.comm, h.gfp_mask, h.order, h.oom_score_adj),
            ("ruby", Some("0x201da"), Some(0), Some(0))
        );
        let h = header(
            "Thread-2 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=969",
        )
        .unwrap();
        assert_eq!(
            (h.comm, h.gfp_mask, h.oom_score_adj),
            ("Thread-2", Some("0xcc0(GFP_KERNEL)"), Some(969))
        );
        let h = header(
            "sshd invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=-17, oom_score_adj=-1000",
        )
        .unwrap();
        assert_eq!(h.oom_score_adj, Some(-1000));
        let h = header("CPU 11/KVM invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=-998").unwrap();
        assert_eq!(
            (h.comm, h.order, h.oom_score_adj),
            ("CPU 11/KVM", Some(0), Some(-998))
        );
    }

    #[test]
    fn cpu_line_kernel_release() {
        let c = cpu_line(
            "CPU: 0 PID: 1381 Comm: gunpowder-memho Tainted: G           O    4.8.0-gentoo #2",
        )
        .unwrap();
        assert_eq!((c.pid, c.kernel), (Some(1381), Some("4.8.0-gentoo")));
        let c =
            cpu_line("CPU: 7 UID: 0 PID: 95 Comm: kswapd0 Not tainted 6.13.1-200.fc41.x86_64 #1")
                .unwrap();
        assert_eq!(
            (c.pid, c.kernel),
            (Some(95), Some("6.13.1-200.fc41.x86_64"))
        );
        let c = cpu_line("CPU: 9 PID: 14881 Comm: java Tainted: G    B          ------------ T 3.10.0-327.4.5.el7.x86_64 #1").unwrap();
        assert_eq!(c.kernel, Some("3.10.0-327.4.5.el7.x86_64"));
        let c = cpu_line("Pid: 1743, comm: sshd Tainted: G           --------------- H  2.6.32-279.9.1.el6.x86_64 #1").unwrap();
        assert_eq!(
            (c.pid, c.kernel),
            (Some(1743), Some("2.6.32-279.9.1.el6.x86_64"))
        );
    }

    #[test]
    fn rows_and_headers() {
        let cols = table_header("[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name").unwrap();
        assert_eq!(cols.len(), 11);
        let r = table_row("[    156]     0   156   153531   153345   153345        0         0  1269760        0             0 mm_test", 10).unwrap();
        assert_eq!(
            (r.pid, r.values[4], r.values[7], r.name),
            (156, 153345, 1269760, "mm_test")
        );
        let r = table_row("[ 1444]  1020  1444     5711      581      16        0             0 Plex Media Server", 7).unwrap();
        assert_eq!(r.name, "Plex Media Server");
        assert!(table_row("[ 1444]  1020", 7).is_none());
        assert!(table_header("[ 12.5] something").is_none());
    }

    #[test]
    fn killed_variants() {
        let k = killed("Killed process 19667 (evil-program2) total-vm:1460016kB, anon-rss:1414008kB, file-rss:4kB").unwrap();
        assert_eq!(
            (k.kind, k.pid, k.comm, k.anon_kb, k.shmem_kb),
            (KillKind::Bare, 19667, "evil-program2", Some(1414008), None)
        );
        let k = killed("Memory cgroup out of memory: Killed process 68061 (stress) total-vm:4195088kB, anon-rss:2884696kB, file-rss:288kB, shmem-rss:0kB, UID:0 pgtables:5696kB oom_score_adj:872").unwrap();
        assert_eq!(
            (k.kind, k.uid, k.pgtables_kb, k.oom_score_adj),
            (KillKind::Memcg, Some(0), Some(5696), Some(872))
        );
        let k = killed("Out of memory (oom_kill_allocating_task): Killed process 5 ((sd-pam)) total-vm:1kB, anon-rss:1kB, file-rss:0kB").unwrap();
        assert_eq!((k.kind, k.comm), (KillKind::AllocatingTask, "(sd-pam)"));
        assert!(killed("systemd[1]: foo.service: Killed process 5 (x)").is_none());
    }

    #[test]
    fn constraint_line_with_wrapped_blank() {
        let c = constraint("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=ef80,mems_allowed=0,oom_memcg=/kubepods/burstable/podfbdfe8e3-1c87-4ff2-907 c-b2ec8e25d012,task_memcg=/kubepods/burstable/podfbdfe8e3-1c87-4ff2-907c-b2ec8e25d012/ef80,task=manager,pid=966,uid=0").unwrap();
        assert_eq!(c.constraint, "CONSTRAINT_MEMCG");
        assert_eq!(
            c.oom_memcg,
            Some("/kubepods/burstable/podfbdfe8e3-1c87-4ff2-907 c-b2ec8e25d012")
        );
        assert_eq!(
            (c.task, c.pid, c.uid),
            (Some("manager"), Some(966), Some(0))
        );
        let g = constraint("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0-7,global_oom,task_memcg=/,task=astar-collator,pid=1888,uid=1001").unwrap();
        assert!(g.global);
        assert_eq!((g.oom_memcg, g.task_memcg), (None, Some("/")));
    }

    #[test]
    fn counters_stats_and_meminfo() {
        let u = usage("memory+swap: usage 40940kB, limit 40960kB, failcnt 6").unwrap();
        assert_eq!(
            (u.counter, u.usage_kb, u.limit_kb, u.failcnt),
            (Counter::MemSwap, Some(40940), Some(40960), Some(6))
        );
        let (p, s) =
            stats_for("Memory cgroup stats for /mem2: cache:0KB rss:980KB rss_huge:0KB").unwrap();
        assert_eq!(p, "/mem2");
        assert_eq!(s[1], ("rss".to_string(), 980 * 1024));
        let (p, s) = stats_for("Memory cgroup stats for /kubepods.slice/a.slice:").unwrap();
        assert_eq!((p, s.len()), ("/kubepods.slice/a.slice", 0));
        assert_eq!(
            mem_info("445340 pages RAM"),
            Some(MemInfo::PagesRam(445340))
        );
        assert_eq!(mem_info("Free swap  = 0kB"), Some(MemInfo::FreeSwapKb(0)));
        assert_eq!(
            group_kill("Tasks in /test1 are going to be killed due to memory.oom.group set"),
            Some("/test1")
        );
        assert_eq!(
            reaped("oom_reaper: reaped process 1381 (gunpowder-memho), now anon-rss:0kB"),
            Some((1381, Some("gunpowder-memho")))
        );
        assert_eq!(
            kill_select(
                "Memory cgroup out of memory: Kill process 24572 (java) score 0 or sacrifice child"
            ),
            Some((24572, "java", Some(0)))
        );
    }
}
