//! The kinds of input a paste holds, and the blocks of lines each reader recognised.

use serde::Serialize;

/// What kind of input a block of lines is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// A kernel OOM report (dmesg, journal, kmsg).
    KernelOom,
    /// A systemd-oomd kill message.
    SystemdOomd,
    /// A cgroup v1/v2 memory.stat.
    MemoryStat,
    /// `kubectl describe pod` or pod status YAML/JSON.
    DescribePod,
    /// `kubectl describe node`.
    DescribeNode,
    /// A kubelet eviction message.
    EvictionMessage,
    /// A pod manifest.
    PodManifest,
    /// A kubelet configuration (YAML, /configz JSON or flags).
    KubeletConfig,
    /// `kubectl get events` output.
    EventsTable,
    /// systemd (PID 1) lines about a kernel OOM kill in a unit.
    SystemdUnit,
}

/// A recognised block of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputBlock {
    /// Its kind.
    pub kind: InputKind,
    /// First line (1-based, inclusive).
    pub first_line: usize,
    /// Last line (1-based, inclusive).
    pub last_line: usize,
}

impl InputBlock {
    /// Adds lines `first..=last` of `kind` to `blocks` (in line order): they extend the last
    /// block when they touch or overlap it, else start a new one.
    pub fn extend_or_push(
        blocks: &mut Vec<InputBlock>,
        kind: InputKind,
        first: usize,
        last: usize,
    ) {
        match blocks.last_mut() {
            Some(b) if b.last_line + 1 >= first => b.last_line = b.last_line.max(last),
            _ => blocks.push(InputBlock {
                kind,
                first_line: first,
                last_line: last,
            }),
        }
    }
}
