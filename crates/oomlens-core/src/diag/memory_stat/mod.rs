//! Reader for cgroup `memory.stat` (v1 and v2) and the memory files users paste alongside it
//! (`memory.current`, `memory.max`, `memory.peak`, `memory.swap.current`, `memory.events`,
//! `memory.usage_in_bytes`, `memory.limit_in_bytes`, `memory.max_usage_in_bytes`, `memory.oom_control`).
//!
//! Usage and working set are computed as cAdvisor does (`google/cadvisor`
//! `container/libcontainer/handler.go` `setMemoryStats`, read at @6a0c4f25), which is what kubelet's
//! summary API, eviction ranking and `kubectl top` use:
//! - usage = `memory.current` (v2) / `memory.usage_in_bytes` (v1); for the v2 root cgroup, which has no
//!   `memory.current`, opencontainers/cgroups `fs2/memory.go` uses `anon + file`;
//! - working set = usage − inactive file (v2 `inactive_file`, v1 `total_inactive_file`), floored at 0;
//!   with no inactive-file key nothing is subtracted;
//! - rss = v2 `anon`, v1 `total_rss` (`rss` without hierarchy); cache = v2 `file`, v1 `total_cache`;
//!   swap = v2 `memory.swap.current`, v1 `total_swap`.
//!
//! Lines accepted: `key value`, `key: value`, `key=value`, `cat memory.max` followed by its value
//! on the next line, and dumps of a cgroup directory (`grep . memory.*`, `grep '' /sys/fs/cgroup/…/*`):
//! `[path/]file:value` for every file, the files this reader does not use (`cgroup.procs`,
//! `memory.numa_stat`, `memory.pressure`, …) and grep's own complaints about unreadable files
//! (`grep: memory.pressure_level: Invalid argument`) kept inside the block. The directory a dump
//! names (in its paths or its prompt) is decoded as a Kubernetes cgroup ([`crate::kubelet::cgroup_path`]).

use crate::base::derivation::Derivation;
use crate::diag::lines::{numbered, NumberedLine};
use crate::kubelet::cgroup_path::{self, CgroupPath};
use serde::Serialize;
use std::collections::BTreeMap;

mod findings;
pub use findings::findings;

/// One memory.stat reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemoryStatReport {
    /// 1 or 2.
    pub cgroup_version: Option<u8>,
    /// Usage as cAdvisor computes it.
    pub usage_bytes: Option<i64>,
    /// Working set as kubelet/cAdvisor computes it.
    pub working_set_bytes: Option<i64>,
    /// anon / rss.
    pub anon_bytes: Option<i64>,
    /// file / cache.
    pub file_bytes: Option<i64>,
    /// active_file.
    pub active_file_bytes: Option<i64>,
    /// inactive_file.
    pub inactive_file_bytes: Option<i64>,
    /// shmem.
    pub shmem_bytes: Option<i64>,
    /// swap.
    pub swap_bytes: Option<i64>,
    /// Limit, if pasted alongside.
    pub limit_bytes: Option<i64>,
    /// First and last line of the block.
    pub first_line: usize,
    /// Last line.
    pub last_line: usize,
    /// Where `usage_bytes` came from (`memory.current`, `memory.usage_in_bytes`); None when unknown.
    pub usage_source: Option<String>,
    /// True when v1 hierarchical `total_*` counters were used (as cAdvisor does with use_hierarchy).
    pub hierarchical: bool,
    /// True when the limit was pasted as unlimited (`max`, or v1's 9223372036854771712).
    pub limit_unlimited: bool,
    /// Kernel memory: v2 `kernel`, else None.
    pub kernel_bytes: Option<i64>,
    /// Slab: v2 `slab`, v1 none.
    pub slab_bytes: Option<i64>,
    /// Reclaimable slab: v2 `slab_reclaimable`.
    pub slab_reclaimable_bytes: Option<i64>,
    /// Socket buffers: v2 `sock`.
    pub sock_bytes: Option<i64>,
    /// Mapped file: v2 `file_mapped`, v1 `total_mapped_file`/`mapped_file`.
    pub mapped_file_bytes: Option<i64>,
    /// unevictable (mlocked, ramfs…).
    pub unevictable_bytes: Option<i64>,
    /// Estimate of what reclaim can free without swap: active_file + inactive_file (+ slab_reclaimable).
    pub reclaimable_bytes: Option<i64>,
    /// Peak usage: `memory.peak` (v2) or `memory.max_usage_in_bytes` (v1).
    pub peak_bytes: Option<i64>,
    /// `oom_kill` count from memory.events (v2) or memory.oom_control (v1).
    pub oom_kill_count: Option<i64>,
    /// `max` count from memory.events: times usage hit the limit.
    pub max_events: Option<i64>,
    /// `high` count from memory.events: times usage went over memory.high (throttled, never killed).
    pub high_events: Option<i64>,
    /// How usage and working set were derived (cAdvisor rules).
    pub derivations: Vec<crate::base::derivation::Derivation>,
    /// The cgroup directory a dump names, decoded (pod UID, QoS, container), with its line.
    pub cgroup: Option<CgroupPath>,
    /// Line the cgroup directory was read from.
    pub cgroup_line: Option<usize>,
}

/// A limit at or above this is "unlimited" (v1 prints PAGE_COUNTER_MAX × page size = 9223372036854771712).
const UNLIMITED_FLOOR: u64 = 1 << 62;

const CADVISOR_SRC: &str = "google/cadvisor container/libcontainer/handler.go setMemoryStats";

/// Keys only cgroup v2 `memory.stat` has.
const V2_KEYS: &[&str] = &[
    "anon",
    "file",
    "kernel",
    "kernel_stack",
    "pagetables",
    "sec_pagetables",
    "percpu",
    "sock",
    "vmalloc",
    "zswap",
    "zswapped",
    "file_mapped",
    "file_dirty",
    "file_writeback",
    "swapcached",
    "anon_thp",
    "file_thp",
    "shmem_thp",
    "slab_reclaimable",
    "slab_unreclaimable",
    "slab",
    "pgscan",
    "pgsteal",
    "pgrefill",
    "pgactivate",
    "pgdeactivate",
    "pglazyfree",
    "pglazyfreed",
    "thp_fault_alloc",
    "thp_collapse_alloc",
];

/// Keys only cgroup v1 `memory.stat` has (besides every `total_*` twin).
const V1_KEYS: &[&str] = &[
    "cache",
    "rss",
    "rss_huge",
    "mapped_file",
    "dirty",
    "writeback",
    "swap",
    "pgpgin",
    "pgpgout",
    "hierarchical_memory_limit",
    "hierarchical_memsw_limit",
];

/// Keys both versions have.
const COMMON_KEYS: &[&str] = &[
    "shmem",
    "inactive_anon",
    "active_anon",
    "inactive_file",
    "active_file",
    "unevictable",
    "pgfault",
    "pgmajfault",
    "workingset_refault",
    "workingset_activate",
    "workingset_restore",
    "workingset_nodereclaim",
    // Split into anon/file in 5.9; cgroup v1's memory.stat prints them too on such kernels (see
    // the v1 fixture `memory_stat_v1_workingset_git_gc.txt`, with `total_*` twins).
    "workingset_refault_anon",
    "workingset_refault_file",
    "workingset_activate_anon",
    "workingset_activate_file",
    "workingset_restore_anon",
    "workingset_restore_file",
];

/// True when `key` is a `memory.stat` key of either version (used by detection).
pub fn is_stat_key(key: &str) -> bool {
    let k = key.strip_prefix("total_").unwrap_or(key);
    V2_KEYS.contains(&k)
        || V1_KEYS.contains(&k)
        || COMMON_KEYS.contains(&k)
        || k.starts_with("pgscan_")
        || k.starts_with("pgsteal_")
        || k.starts_with("thp_")
}

/// A value of a memory file: bytes, or unlimited (`max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileValue {
    /// A number.
    Bytes(u64),
    /// `max`.
    Max,
}

/// One memory.stat block as read, before interpretation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MemoryStatReading {
    /// First line (1-based).
    pub first_line: usize,
    /// Last line (1-based).
    pub last_line: usize,
    /// `memory.stat` keys → (value, line).
    pub stats: BTreeMap<String, (u64, usize)>,
    /// Memory files pasted alongside (`memory.current`, `memory.max`, …) → (value, line).
    pub files: BTreeMap<String, (FileValue, usize)>,
    /// `memory.events` (or v1 `memory.oom_control`) counters → (value, line).
    pub events: BTreeMap<String, (u64, usize)>,
    /// The cgroup directory a dump names, and its line.
    pub cgroup_dir: Option<(String, usize)>,
}

/// What kind of line this is for the memory.stat reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemLine<'a> {
    /// A `memory.stat` key/value.
    Stat(&'a str, u64),
    /// A memory file with its value (`memory.max: max`).
    File(&'a str, FileValue),
    /// `cat …/memory.X` (the next line is its value).
    Cat(&'a str),
    /// A bare value (`max` or a number), the output of a preceding `cat`.
    Bare(FileValue),
    /// A `memory.events`/`oom_control` counter line (`oom_kill 3`).
    Event(&'a str, u64),
    /// A counter of a dump that names its file (`memory.events:max 31131`): surely an event.
    DumpEvent(&'a str, u64),
    /// A line of a cgroup directory dump this reader does not use (`cgroup.procs:15905`,
    /// `memory.numa_stat:…`, `grep: …/memory.force_empty: Invalid argument`).
    Dump,
    /// The command that printed a dump (`grep . memory.*`), with the directory its prompt or
    /// argument names, if it names one.
    Grep(Option<&'a str>),
    /// Anything else.
    Other,
}

const EVENT_KEYS: &[&str] = &[
    "low",
    "high",
    "max",
    "oom",
    "oom_kill",
    "oom_group_kill",
    "under_oom",
    "oom_kill_disable",
];

fn parse_value(v: &str) -> Option<FileValue> {
    let v = v.trim().trim_matches('"');
    if v == "max" {
        return Some(FileValue::Max);
    }
    if v.is_empty() || v.len() > 20 || !v.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    v.parse::<u64>().ok().map(FileValue::Bytes)
}

/// The `memory.*` file name in a token such as `/sys/fs/cgroup/x/memory.max`, if any.
fn memory_file_name(token: &str) -> Option<&str> {
    let base = token.rsplit('/').next().unwrap_or(token);
    let base = base.trim_matches(|c| c == '"' || c == '\'' || c == '`');
    let rest = base.strip_prefix("memory.")?;
    if !rest.is_empty()
        && rest
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c == b'_' || c == b'.')
    {
        Some(base)
    } else {
        None
    }
}

/// The files of a cgroup directory besides `memory.*`: a dump of the directory lists them too.
fn cgroup_file_name(token: &str) -> bool {
    let base = token.rsplit('/').next().unwrap_or(token);
    if matches!(base, "tasks" | "notify_on_release" | "release_agent") {
        return true;
    }
    let Some((controller, rest)) = base.split_once('.') else {
        return false;
    };
    matches!(
        controller,
        "cgroup" | "cpu" | "cpuacct" | "cpuset" | "io" | "pids" | "hugetlb" | "rdma" | "misc"
    ) && !rest.is_empty()
        && rest.bytes().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'.' || c == b'-'
        })
}

/// grep's complaint about a file it could not read: `grep: memory.pressure_level: Invalid argument`.
fn grep_complaint(t: &str) -> bool {
    let Some(rest) = t.strip_prefix("grep: ") else {
        return false;
    };
    let Some((file, _why)) = rest.rsplit_once(": ") else {
        return false;
    };
    memory_file_name(file).is_some() || cgroup_file_name(file)
}

/// `…# grep . memory.*`, `$ grep '' /sys/fs/cgroup/memory/x/*`: the command of a dump, and the
/// cgroup directory named by its prompt (`/sys/fs/cgroup/memory/system.slice/x.service# `) or
/// its argument.
fn grep_command(t: &str) -> Option<Option<&str>> {
    let at = t.find("grep ")?;
    let (prompt, cmd) = t.split_at(at);
    let arg = cmd
        .split_whitespace()
        .skip(1)
        .find(|a| a.starts_with("/sys/fs/cgroup") || a.starts_with("memory."))?;
    let from_prompt = prompt
        .trim_end()
        .trim_end_matches(['#', '$'])
        .rsplit([' ', ':'])
        .next()
        .filter(|p| p.starts_with("/sys/fs/cgroup"));
    let from_arg = arg
        .rsplit_once('/')
        .map(|(dir, _)| dir)
        .filter(|d| d.starts_with("/sys/fs/cgroup") && !d.contains(['$', '*', '`']));
    Some(from_prompt.or(from_arg))
}

/// The directory of a dump line `/sys/fs/cgroup/…/memory.stat:anon 1` (the text before the file).
fn dump_dir(t: &str) -> Option<&str> {
    let t = t.trim();
    if !t.starts_with("/sys/fs/cgroup") {
        return None;
    }
    let colon = t.find(':')?;
    let (dir, _file) = t[..colon].rsplit_once('/')?;
    Some(dir)
}

/// A `file:value` line is one of grep's only as grep prints it: from the line's start, the value
/// right after the colon (`memory.available: 200Mi` in a YAML document is not).
fn dump_line<'a>(line: &str, value: &str) -> MemLine<'a> {
    if line.starts_with([' ', '\t']) || value.starts_with([' ', '\t']) {
        MemLine::Other
    } else {
        MemLine::Dump
    }
}

/// Classifies one line (already trimmed of trailing `\r`).
pub fn classify(line: &str) -> MemLine<'_> {
    let t = line.trim();
    if t.is_empty() || t.len() > 300 {
        return MemLine::Other;
    }
    if grep_complaint(t) {
        return MemLine::Dump;
    }
    if let Some(dir) = grep_command(t) {
        return MemLine::Grep(dir);
    }
    // `cat …/memory.X` with an optional prompt.
    if let Some(pos) = t.find("cat ") {
        let after = &t[pos + 4..];
        let arg = after.split_whitespace().last().unwrap_or("");
        if let Some(name) = memory_file_name(arg) {
            if !after.contains('|') {
                return MemLine::Cat(name);
            }
        }
    }
    // `grep . memory.*` output: `path/memory.max:max`.
    if let Some(colon) = t.find(':') {
        let (k, v) = (&t[..colon], &t[colon + 1..]);
        if let Some(name) = memory_file_name(k.trim()) {
            if name == "memory.stat" {
                // `memory.stat:anon 123`
                return classify_kv(v.trim());
            }
            if let Some(val) = parse_value(v) {
                return MemLine::File(name, val);
            }
            if name == "memory.events" || name == "memory.oom_control" {
                return match classify_kv(v.trim()) {
                    MemLine::Event(k, n) | MemLine::Stat(k, n) => MemLine::DumpEvent(k, n),
                    _ => MemLine::Dump,
                };
            }
            return dump_line(line, v);
        }
        if cgroup_file_name(k.trim()) {
            return dump_line(line, v);
        }
    }
    if let Some(v) = parse_value(t) {
        return MemLine::Bare(v);
    }
    classify_kv(t)
}

fn classify_kv(t: &str) -> MemLine<'_> {
    let mut it = t.splitn(2, [' ', '\t', ':', '=']);
    let key = it.next().unwrap_or("");
    let val = it
        .next()
        .unwrap_or("")
        .trim_start_matches([':', '=', ' ', '\t']);
    if key.is_empty() {
        return MemLine::Other;
    }
    if let Some(name) = memory_file_name(key) {
        return match parse_value(val) {
            Some(v) => MemLine::File(name, v),
            None => MemLine::Other,
        };
    }
    let v = match parse_value(val) {
        Some(FileValue::Bytes(v)) => v,
        _ => return MemLine::Other,
    };
    if EVENT_KEYS.contains(&key) {
        return MemLine::Event(key, v);
    }
    if key
        .bytes()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
    {
        return MemLine::Stat(key, v);
    }
    MemLine::Other
}

/// Reads one block of numbered lines as a memory.stat reading.
/// Returns None when the block holds no memory.stat key and no memory file value.
pub fn read_lines(lines: &[NumberedLine<'_>]) -> Option<MemoryStatReading> {
    let mut r = MemoryStatReading::default();
    let mut pending: Option<&str> = None;
    let mut in_events = false;
    for l in lines {
        let (no, text) = (l.number, l.text);
        let c = classify(text);
        let mut used = true;
        match c {
            MemLine::Cat(name) => {
                in_events = name == "memory.events"
                    || name == "memory.oom_control"
                    || name == "memory.events.local";
                pending = if name == "memory.stat" || in_events {
                    None
                } else {
                    Some(name)
                };
                used = name.starts_with("memory.");
            }
            MemLine::Bare(v) => match pending.take() {
                Some(name) => {
                    r.files.insert(name.to_string(), (v, no));
                }
                None => used = false,
            },
            MemLine::File(name, v) => {
                r.files.insert(name.to_string(), (v, no));
                pending = None;
            }
            MemLine::Event(k, v) => {
                // `max`/`high`/`low` outside memory.events are ambiguous; oom counters are not.
                if in_events || k.starts_with("oom") || k == "under_oom" {
                    r.events.insert(k.to_string(), (v, no));
                } else {
                    used = false;
                }
            }
            MemLine::Stat(k, v) => {
                if in_events {
                    r.events.insert(k.to_string(), (v, no));
                } else {
                    r.stats.insert(k.to_string(), (v, no));
                }
                pending = None;
            }
            MemLine::DumpEvent(k, v) => {
                r.events.insert(k.to_string(), (v, no));
                pending = None;
            }
            MemLine::Dump => pending = None,
            MemLine::Grep(dir) => {
                if let (Some(d), None) = (dir, &r.cgroup_dir) {
                    r.cgroup_dir = Some((d.to_string(), no));
                }
                pending = None;
            }
            MemLine::Other => used = false,
        }
        if used && r.cgroup_dir.is_none() {
            if let Some(d) = dump_dir(text) {
                r.cgroup_dir = Some((d.to_string(), no));
            }
        }
        if used {
            if r.first_line == 0 {
                r.first_line = no;
            }
            r.last_line = no;
        }
    }
    if r.stats.is_empty() && r.files.is_empty() && r.events.is_empty() {
        None
    } else {
        Some(r)
    }
}

/// Reads a whole text that is only memory.stat (and its companion files); lines are numbered from 1.
pub fn read(text: &str) -> Option<MemoryStatReading> {
    let lines: Vec<NumberedLine<'_>> = numbered(text).collect();
    read_lines(&lines)
}

/// The cgroup's path below the mount: `/sys/fs/cgroup/memory//kubepods.slice/x` →
/// `/kubepods.slice/x` (v1 mounts one directory per controller; v2 mounts the unified tree).
fn cgroup_relative(dir: &str) -> &str {
    let Some(rest) = dir.strip_prefix("/sys/fs/cgroup") else {
        return dir;
    };
    let rest = rest.strip_prefix("/unified").unwrap_or(rest);
    let rest = ["/memory", "/cpu,cpuacct", "/cpuacct,cpu"]
        .iter()
        .find_map(|c| {
            rest.strip_prefix(c)
                .filter(|r| r.is_empty() || r.starts_with('/'))
        })
        .unwrap_or(rest);
    let rest = rest.trim_start_matches('/');
    // The path from `/`: a cgroup at the mount itself is the root.
    let start = dir.len() - rest.len();
    dir.get(start.saturating_sub(1)..)
        .filter(|p| p.starts_with('/'))
        .unwrap_or("/")
}

/// A value of 2^63 or more is no size the kernel can hold (an unlimited limit is
/// `PAGE_COUNTER_MAX`, below it): it is a counter that went below zero and wrapped (an accounting
/// bug, e.g. the `memory.current` of 18446744073694965760 reported on linux-mm for 4.15), so it is
/// read as unknown, never as 8 EiB.
fn underflowed(v: u64) -> bool {
    v >= 1 << 63
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl MemoryStatReading {
    /// 2 when v2-only keys or files appear, 1 for v1-only keys (`total_*`, `cache`, `rss`) or files.
    pub fn cgroup_version(&self) -> Option<u8> {
        let v2 = self.stats.keys().any(|k| V2_KEYS.contains(&k.as_str()))
            || [
                "memory.current",
                "memory.max",
                "memory.peak",
                "memory.swap.current",
                "memory.high",
                "memory.min",
                "memory.low",
            ]
            .iter()
            .any(|f| self.files.contains_key(*f));
        let v1 = self
            .stats
            .keys()
            .any(|k| k.starts_with("total_") || V1_KEYS.contains(&k.as_str()))
            || [
                "memory.usage_in_bytes",
                "memory.limit_in_bytes",
                "memory.max_usage_in_bytes",
                "memory.memsw.usage_in_bytes",
            ]
            .iter()
            .any(|f| self.files.contains_key(*f));
        match (v1, v2) {
            (true, false) => Some(1),
            (false, true) => Some(2),
            _ => None,
        }
    }

    fn stat(&self, k: &str) -> Option<u64> {
        self.stats.get(k).map(|x| x.0).filter(|v| !underflowed(*v))
    }

    /// Counters and files whose value is an underflowed counter ([`underflowed`]), with lines.
    pub fn underflows(&self) -> Vec<(&str, u64, usize)> {
        let files = self.files.iter().filter_map(|(k, (v, l))| match v {
            FileValue::Bytes(b) if underflowed(*b) => Some((k.as_str(), *b, *l)),
            _ => None,
        });
        let stats = self
            .stats
            .iter()
            .filter(|(_, (v, _))| underflowed(*v))
            .map(|(k, (v, l))| (k.as_str(), *v, *l));
        let mut all: Vec<(&str, u64, usize)> = files.chain(stats).collect();
        all.sort_by_key(|x| x.2);
        all
    }

    /// v1: the hierarchical `total_<k>` when present, else `<k>`.
    fn stat_h(&self, k: &str) -> Option<u64> {
        self.stat(&format!("total_{k}")).or_else(|| self.stat(k))
    }

    fn file(&self, k: &str) -> Option<FileValue> {
        self.files.get(k).map(|x| x.0)
    }

    fn file_bytes(&self, k: &str) -> Option<u64> {
        match self.file(k) {
            Some(FileValue::Bytes(b)) if !underflowed(b) => Some(b),
            _ => None,
        }
    }

    /// Evidence line of a stat key or file.
    pub fn line_of(&self, k: &str) -> Option<usize> {
        self.stats
            .get(k)
            .or_else(|| self.events.get(k))
            .map(|x| x.1)
            .or_else(|| self.files.get(k).map(|x| x.1))
    }

    /// Interprets the reading as cAdvisor/kubelet would.
    pub fn report(&self) -> MemoryStatReport {
        let version = self.cgroup_version();
        let mut rep = MemoryStatReport {
            cgroup_version: version,
            usage_bytes: None,
            working_set_bytes: None,
            anon_bytes: None,
            file_bytes: None,
            active_file_bytes: None,
            inactive_file_bytes: None,
            shmem_bytes: None,
            swap_bytes: None,
            limit_bytes: None,
            first_line: self.first_line,
            last_line: self.last_line,
            usage_source: None,
            hierarchical: false,
            limit_unlimited: false,
            kernel_bytes: None,
            slab_bytes: None,
            slab_reclaimable_bytes: None,
            sock_bytes: None,
            mapped_file_bytes: None,
            unevictable_bytes: None,
            reclaimable_bytes: None,
            peak_bytes: None,
            oom_kill_count: self.events.get("oom_kill").map(|x| to_i64(x.0)),
            max_events: self.events.get("max").map(|x| to_i64(x.0)),
            high_events: self.events.get("high").map(|x| to_i64(x.0)),
            derivations: Vec::new(),
            cgroup: self
                .cgroup_dir
                .as_ref()
                .map(|(d, _)| cgroup_path::decode(cgroup_relative(d))),
            cgroup_line: self.cgroup_dir.as_ref().map(|x| x.1),
        };
        let inactive_key;
        let usage: Option<u64>;
        if version == Some(1) {
            rep.hierarchical = self.stats.keys().any(|k| k.starts_with("total_"));
            rep.anon_bytes = self.stat_h("rss").map(to_i64);
            rep.file_bytes = self.stat_h("cache").map(to_i64);
            rep.active_file_bytes = self.stat_h("active_file").map(to_i64);
            rep.inactive_file_bytes = self.stat_h("inactive_file").map(to_i64);
            rep.shmem_bytes = self.stat_h("shmem").map(to_i64);
            rep.swap_bytes = self.stat_h("swap").map(to_i64);
            rep.mapped_file_bytes = self.stat_h("mapped_file").map(to_i64);
            rep.unevictable_bytes = self.stat_h("unevictable").map(to_i64);
            rep.peak_bytes = self.file_bytes("memory.max_usage_in_bytes").map(to_i64);
            usage = self.file_bytes("memory.usage_in_bytes");
            if usage.is_some() {
                rep.usage_source = Some("memory.usage_in_bytes".into());
            }
            // cAdvisor reads `total_inactive_file` on v1 whatever use_hierarchy says.
            inactive_key = "total_inactive_file";
            let limit = self
                .file("memory.limit_in_bytes")
                .map(|v| (v, "memory.limit_in_bytes"))
                .or_else(|| {
                    self.stat("hierarchical_memory_limit")
                        .map(|v| (FileValue::Bytes(v), "hierarchical_memory_limit"))
                });
            self.set_limit(&mut rep, limit);
        } else {
            rep.anon_bytes = self.stat("anon").map(to_i64);
            rep.file_bytes = self.stat("file").map(to_i64);
            rep.active_file_bytes = self.stat("active_file").map(to_i64);
            rep.inactive_file_bytes = self.stat("inactive_file").map(to_i64);
            rep.shmem_bytes = self.stat("shmem").map(to_i64);
            rep.swap_bytes = self.file_bytes("memory.swap.current").map(to_i64);
            rep.kernel_bytes = self.stat("kernel").map(to_i64);
            rep.slab_bytes = self.stat("slab").map(to_i64);
            rep.slab_reclaimable_bytes = self.stat("slab_reclaimable").map(to_i64);
            rep.sock_bytes = self.stat("sock").map(to_i64);
            rep.mapped_file_bytes = self.stat("file_mapped").map(to_i64);
            rep.unevictable_bytes = self.stat("unevictable").map(to_i64);
            rep.peak_bytes = self.file_bytes("memory.peak").map(to_i64);
            usage = self.file_bytes("memory.current");
            if usage.is_some() {
                rep.usage_source = Some("memory.current".into());
            }
            inactive_key = "inactive_file";
            self.set_limit(&mut rep, self.file("memory.max").map(|v| (v, "memory.max")));
        }
        if let Some(u) = usage {
            rep.usage_bytes = Some(to_i64(u));
            let (ws, d) = working_set(
                u,
                self.stat(inactive_key),
                inactive_key,
                rep.usage_source.as_deref().unwrap_or(""),
            );
            rep.working_set_bytes = Some(to_i64(ws));
            rep.derivations.push(d);
        }
        let af = rep.active_file_bytes.unwrap_or(0);
        let inf = rep.inactive_file_bytes.unwrap_or(0);
        if rep.active_file_bytes.is_some() || rep.inactive_file_bytes.is_some() {
            let sr = rep.slab_reclaimable_bytes.unwrap_or(0);
            rep.reclaimable_bytes = Some(af.saturating_add(inf).saturating_add(sr));
        }
        rep
    }

    fn set_limit(&self, rep: &mut MemoryStatReport, limit: Option<(FileValue, &str)>) {
        match limit {
            Some((FileValue::Max, _)) => rep.limit_unlimited = true,
            Some((FileValue::Bytes(b), _)) if b >= UNLIMITED_FLOOR => rep.limit_unlimited = true,
            Some((FileValue::Bytes(b), _)) => rep.limit_bytes = Some(to_i64(b)),
            None => {}
        }
    }

    /// The usage cAdvisor would compute if this were the v2 root cgroup (no `memory.current`): anon + file.
    pub fn root_usage_v2(&self) -> Option<u64> {
        Some(self.stat("anon")?.saturating_add(self.stat("file")?))
    }
}

/// cAdvisor's working set: `usage − inactive_file`, floored at 0; unchanged when the key is absent.
pub fn working_set(
    usage: u64,
    inactive: Option<u64>,
    inactive_key: &str,
    usage_key: &str,
) -> (u64, Derivation) {
    match inactive {
        Some(i) => {
            let ws = usage.saturating_sub(i);
            (
                ws,
                Derivation::new(
                    "working_set_bytes",
                    "memory.working_set",
                    format!("max(0, {usage_key} - {inactive_key})"),
                    format!("max(0, {usage} - {i}) = {ws}"),
                    CADVISOR_SRC,
                ),
            )
        }
        None => (
            usage,
            Derivation::new(
                "working_set_bytes",
                "memory.working_set_no_inactive",
                format!("{usage_key} ({inactive_key} absent: nothing subtracted)"),
                format!("{usage} = {usage}"),
                CADVISOR_SRC,
            ),
        ),
    }
}
