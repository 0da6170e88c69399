//! Structured, translatable sentences: every sentence the model writes for people (eviction
//! reasons, timeline steps and outcome, evaluation notes) exists as a [`Message`] — a stable id
//! plus named arguments — and [`Message::english`] renders today's English text from the
//! [`CATALOGUE`] template of that id. A UI translates by keeping its own table keyed by the same
//! ids (and can test that it covers every id of [`CATALOGUE`]).
//!
//! Templates use `{name}` placeholders, one per argument name (a name may appear more than once).
//! Arguments keep their type so a translation can format them its own way: sizes in bytes
//! ([`Arg::Bytes`] rendered with [`crate::base::quantity::format_bytes`], or [`Arg::ExactBytes`] printed as
//! the exact integer, as kubelet's own messages print sizes), plain integers, seconds, verbatim
//! text (ids of pods and containers, signal names, comparison symbols) and nested messages for
//! phrases that need translating themselves (a scope name, a mechanism name, a kernel rule).
//!
//! Building a message is cheap (a static id and up to four arguments inline); evaluations build
//! messages, and their English is rendered only when asked for (or serialised).

use crate::base::quantity::format_bytes;
use serde::Serialize;
use std::fmt::Write as _;

/// One argument of a [`Message`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Arg {
    /// A size in bytes, rendered in English with [`format_bytes`] (`1.50 GiB`).
    Bytes(i64),
    /// A size in bytes that the English sentence prints as the exact integer (`268435456`), as
    /// kubelet's messages and the oomlens reports do; a translation may format it as it likes.
    ExactBytes(i64),
    /// A plain integer (priority, points, counts).
    Int(i64),
    /// A number of seconds or another real number, rendered with Rust's shortest `Display` (`155`, `0.5`).
    Float(f64),
    /// Verbatim text that is not translated: ids (`ns/pod/container`), signal names, versions,
    /// comparison symbols (`>`, `≤`).
    Text(String),
    /// A phrase that is itself a message (translated on its own).
    Message(Box<Message>),
}

impl Arg {
    /// The English rendering of the argument.
    pub fn english(&self) -> String {
        let mut s = String::new();
        self.write_english(&mut s);
        s
    }

    fn write_english(&self, out: &mut String) {
        match self {
            Arg::Bytes(b) => out.push_str(&format_bytes(*b)),
            Arg::ExactBytes(v) | Arg::Int(v) => {
                let _ = write!(out, "{v}");
            }
            Arg::Float(f) => {
                let _ = write!(out, "{f}");
            }
            Arg::Text(t) => out.push_str(t),
            Arg::Message(m) => m.write_english(out),
        }
    }
}

/// How many arguments a [`Message`] keeps inline (without a heap allocation).
const INLINE_ARGS: usize = 4;

/// The named arguments of a [`Message`], in template order: up to four are kept inline (no
/// allocation; an eviction reason has four), more on the heap. Dereferences to the slice of
/// `(name, argument)` pairs; prints and serialises as that list.
#[derive(Clone)]
pub struct Args(ArgsRepr);

#[derive(Clone)]
enum ArgsRepr {
    Inline {
        len: u8,
        items: [(&'static str, Arg); INLINE_ARGS],
    },
    Heap(Vec<(&'static str, Arg)>),
}

impl Args {
    /// No arguments.
    pub const fn none() -> Args {
        Args(ArgsRepr::Inline {
            len: 0,
            items: [
                ("", Arg::Int(0)),
                ("", Arg::Int(0)),
                ("", Arg::Int(0)),
                ("", Arg::Int(0)),
            ],
        })
    }

    /// The arguments of an array (inline when it has at most four).
    pub fn of<const N: usize>(args: [(&'static str, Arg); N]) -> Args {
        if N > INLINE_ARGS {
            return Args(ArgsRepr::Heap(Vec::from(args)));
        }
        let mut it = args.into_iter();
        Args(ArgsRepr::Inline {
            len: N as u8,
            items: std::array::from_fn(|_| it.next().unwrap_or(("", Arg::Int(0)))),
        })
    }

    /// The pairs.
    pub fn as_slice(&self) -> &[(&'static str, Arg)] {
        match &self.0 {
            ArgsRepr::Inline { len, items } => items.get(..*len as usize).unwrap_or(&[]),
            ArgsRepr::Heap(v) => v,
        }
    }
}

impl From<Vec<(&'static str, Arg)>> for Args {
    fn from(v: Vec<(&'static str, Arg)>) -> Args {
        if v.len() > INLINE_ARGS {
            return Args(ArgsRepr::Heap(v));
        }
        let mut out = Args::none();
        if let ArgsRepr::Inline { len, items } = &mut out.0 {
            *len = v.len() as u8;
            for (slot, a) in items.iter_mut().zip(v) {
                *slot = a;
            }
        }
        out
    }
}

impl std::ops::Deref for Args {
    type Target = [(&'static str, Arg)];
    fn deref(&self) -> &[(&'static str, Arg)] {
        self.as_slice()
    }
}

impl<'a> IntoIterator for &'a Args {
    type Item = &'a (&'static str, Arg);
    type IntoIter = std::slice::Iter<'a, (&'static str, Arg)>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl PartialEq for Args {
    fn eq(&self, other: &Args) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl std::fmt::Debug for Args {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl Serialize for Args {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(s)
    }
}

/// A sentence (or phrase) by stable id with named arguments; see the [`CATALOGUE`] for every id,
/// its English template and therefore its argument names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    /// Stable id, e.g. `eviction.rank.over_request` (a key of [`CATALOGUE`]).
    pub id: &'static str,
    /// Named arguments, in template order.
    pub args: Args,
}

impl Message {
    /// A message without arguments.
    pub fn plain(id: &'static str) -> Message {
        Message {
            id,
            args: Args::none(),
        }
    }

    /// A message with arguments.
    pub fn new(id: &'static str, args: Vec<(&'static str, Arg)>) -> Message {
        Message {
            id,
            args: Args::from(args),
        }
    }

    /// A message with the arguments of an array (no allocation for up to four).
    pub fn with<const N: usize>(id: &'static str, args: [(&'static str, Arg); N]) -> Message {
        Message {
            id,
            args: Args::of(args),
        }
    }

    /// The argument named `name`, if present.
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }

    /// The English sentence: the [`CATALOGUE`] template of `id` with every `{name}` replaced by the
    /// English rendering of that argument. An unknown id renders as the id itself; a placeholder
    /// without an argument stays as written.
    pub fn english(&self) -> String {
        let mut s = String::new();
        self.write_english(&mut s);
        s
    }

    fn write_english(&self, out: &mut String) {
        let Some(template) = template(self.id) else {
            out.push_str(self.id);
            return;
        };
        fill_template(template, out, |name, out| match self.arg(name) {
            Some(a) => {
                a.write_english(out);
                true
            }
            None => false,
        });
    }
}

/// Writes `template` to `out` in one pass, replacing each `{name}` by what `arg` writes for it;
/// when `arg` returns false (no such argument) the placeholder stays as written. Argument values
/// are never re-scanned, so a value containing braces is copied verbatim.
pub fn fill_template(
    template: &str,
    out: &mut String,
    mut arg: impl FnMut(&str, &mut String) -> bool,
) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(rest.get(..open).unwrap_or(""));
        let after = rest.get(open + 1..).unwrap_or("");
        match after.find('}') {
            Some(close) => {
                let name = after.get(..close).unwrap_or("");
                if !arg(name, out) {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
                rest = after.get(close + 1..).unwrap_or("");
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// English of several clauses of one sentence, joined by `"; "` (how a pod's eviction reason is
/// built from its ranking clause and its critical / tie remarks).
pub fn join_english(clauses: &[Message]) -> String {
    let mut s = String::new();
    for (i, m) in clauses.iter().enumerate() {
        if i > 0 {
            s.push_str("; ");
        }
        m.write_english(&mut s);
    }
    s
}

/// The English template of `id` (binary search: [`CATALOGUE`] is sorted by id).
pub fn template(id: &str) -> Option<&'static str> {
    CATALOGUE
        .binary_search_by(|(k, _)| (*k).cmp(id))
        .ok()
        .and_then(|i| CATALOGUE.get(i))
        .map(|(_, t)| *t)
}

/// The argument names of a template, in order of first appearance.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find('}') else { break };
        let name = after.get(..close).unwrap_or("");
        if !out.contains(&name) {
            out.push(name);
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    out
}

/// Every message id with its English template, sorted by id. Argument types by name:
/// `usage`, `request`, `observed`, `threshold`, `min_reclaim`, `limit` are [`Arg::ExactBytes`];
/// `priority`, `excess`, `points`, `candidates`, `ties`, `hours`, `floor`, `grace` (eviction grace,
/// whole seconds) are [`Arg::Int`]; `soft_grace`, `at`, `release`, `time` are [`Arg::Float`]
/// seconds; `pod`, `container`, `victim`, `signal`, `comparison`, `gate`, `value`, `version`,
/// `kernel`, `preset` (a preset name), `eviction_hard` (a literal evictionHard map) are [`Arg::Text`]; `scope` (a `scope.*` id), `oom_group` (an `oom_group.*` id),
/// `mechanism` (a `mechanism.*` id) and `rule` (a `kernel_rule.*` id) are [`Arg::Message`].
///
/// Where each is used: `eviction.rank.*` → `PodReport::eviction_messages` (clauses joined by
/// `"; "`); `timeline.*` → `TimelineStep::message`; `timeline.outcome.*` →
/// `Timeline::outcome_message`; `note.*` and `rules.*` → `Evaluation::note_messages`; `preset.*`
/// → `NodeReport::preset_message` (the cloud preset's formula line).
pub const CATALOGUE: &[(&str, &str)] = &[
    ("eviction.rank.critical", "critical pod (static, mirror or priority ≥ 2000000000): evictPod refuses it, never evicted"),
    ("eviction.rank.no_stats", "no memory stats for the pod: ranked first (exceedMemoryRequests, memory)"),
    ("eviction.rank.over_request", "over request (usage {usage} > request {request}), priority {priority}, usage − request = {excess}"),
    ("eviction.rank.tied", "ties with the previous pod on all keys: Go's unstable sort.Sort decides"),
    ("eviction.rank.within_request", "within request (usage {usage} ≤ request {request}), priority {priority}, usage − request = {excess}"),
    ("kernel_rule.root_bonus_adj", "kernel 3.10–3.13: unsigned, floored at 1; CAP_SYS_ADMIN tasks get adj −= 30"),
    ("kernel_rule.root_bonus_percent", "kernel 3.14–4.16: unsigned, floored at 1; CAP_SYS_ADMIN tasks get points −= points×3/100"),
    ("kernel_rule.signed", "kernel ≥ 5.9: signed badness, no floor, adj −1000 → never chosen"),
    ("kernel_rule.unsigned_floor1", "kernel 4.17–5.8: unsigned badness, floored at 1, adj −1000 → 0 (never chosen)"),
    ("mechanism.container_oom", "container memory limit (OOMKilled)"),
    ("mechanism.eviction_hard", "kubelet hard eviction"),
    ("mechanism.eviction_soft", "kubelet soft eviction"),
    ("mechanism.kubepods_oom", "kubepods cgroup OOM"),
    ("mechanism.no_evictable_pod", "no evictable pod"),
    ("mechanism.node_oom", "node OOM (global OOM killer)"),
    ("mechanism.pod_oom", "pod memory limit (OOM kill in the pod cgroup)"),
    ("mechanism.pod_terminated", "evicted pod terminated"),
    ("mechanism.soft_threshold_observed", "soft eviction threshold observed"),
    ("note.eviction_hard_defaulted", "evictionHard not set: kubelet's Linux defaults apply (memory.available<100Mi, nodefs/imagefs thresholds)"),
    ("note.kernel", "kernel {kernel}: {rule}"),
    ("note.kernel_model", "kernel OOM model: each container is one process whose rss is its working set; the pod sandbox (pause) is −998 with negligible rss"),
    ("note.memory_qos_on", "MemoryQoS on (kubelet {version}, cgroup v2)"),
    ("note.missing_usage", "pods without a usage entry are taken as using 0 bytes (kubelet always has stats for running pods)"),
    ("note.oom_group.off", "memory.oom.group not set: an OOM kill takes only the chosen process; the container may keep running"),
    ("note.oom_group.on", "memory.oom.group = 1 on container cgroups (cgroup v2, kubelet ≥ 1.28, singleProcessOOMKill off): an OOM kill takes the whole container"),
    ("note.single_process_oom_kill_ignored", "singleProcessOOMKill does not exist in kubelet {version}: ignored"),
    ("oom_group.off", "memory.oom.group not set: only the chosen process is killed (the model has one process per container)"),
    ("oom_group.on", "memory.oom.group = 1: every process of the container is killed (kubelet ≥ 1.28 on cgroup v2)"),
    ("preset.aks_1_28", "{preset}: kube-reserved = 25% of the first 4 GB + 20% of the next 4 + 10% of the next 8 + 6% of the next 112 + 2% above 128 GB; evictionHard memory.available<750Mi (learn.microsoft.com/azure/aks/node-resource-reservations (before AKS 1.29))"),
    ("preset.aks_1_29", "{preset}: kube-reserved = min(20 × maxPods + 50, 25% of memory); evictionHard memory.available<100Mi (learn.microsoft.com/azure/aks/node-resource-reservations (AKS 1.29 and later))"),
    ("preset.eks", "{preset}: kube-reserved = (11 × maxPods + 255) MiB; evictionHard memory.available<100Mi (awslabs/amazon-eks-ami get_memory_mebibytes_to_reserve (AL2 bootstrap.sh, AL2023 nodeadm))"),
    ("preset.gke", "{preset}: kube-reserved = 25% of the first 4 GiB + 20% of the next 4 + 10% of the next 8 + 6% of the next 112 + 2% above 128 GiB; evictionHard memory.available<100Mi (cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes)"),
    ("preset.gke_small", "{preset}: kube-reserved = 255 MiB for machines under 1 GiB; evictionHard memory.available<100Mi (cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes)"),
    ("preset.k3s", "{preset}: no reservations; --eviction-hard=imagefs.available<5%,nodefs.available<5% replaces the defaults, so there is NO memory.available threshold (k3s-io/k3s pkg/daemons/agent (kubelet argsMap eviction-hard, eviction-minimum-reclaim))"),
    ("preset.kind", "{preset}: no reservations; evictionHard = {eviction_hard} replaces the defaults, so there is NO memory.available threshold (kubernetes-sigs/kind pkg/cluster/internal/kubeadm/config.go (\"disable disk resource management by default\"); minikube uses the same block)"),
    ("preset.kubeadm", "{preset}: no reservations; kubelet default evictionHard (memory.available<100Mi) (kubernetes/kubernetes pkg/kubelet/eviction/defaults_linux.go; kubeadm sets no kubeReserved/systemReserved)"),
    ("rules.gate_locked", "featureGates.{gate}: GA and locked on in kubelet {version}; kubelet rejects turning it off; modelled as off anyway"),
    ("rules.gate_not_in_release", "featureGates.{gate}: the gate does not exist in kubelet {version} (kubelet would refuse to start); modelled as {value} anyway"),
    ("rules.gate_unknown", "featureGates.{gate}: not a gate oomlens models; kept as given but it changes nothing here"),
    ("scope.kubepods", "kubepods cgroup"),
    ("scope.node", "node"),
    ("scope.pod", "pod {pod} cgroup"),
    ("timeline.container_oom", "container {container} reached its memory limit {limit} (memory.max): the kernel's memcg OOM killer kills it → OOMKilled; {oom_group}"),
    ("timeline.eviction.hard", "hard threshold {signal} met: {signal} = {observed} < {threshold}; kubelet evicts {pod} (usage {usage} {comparison} request {request}, priority {priority}), grace {grace} s (runtime floor {floor} s → memory released at t = {release} s)"),
    ("timeline.eviction.hard_min_reclaim", "hard threshold {signal} met: {signal} = {observed} < {threshold} (+ minimum reclaim {min_reclaim}); kubelet evicts {pod} (usage {usage} {comparison} request {request}, priority {priority}), grace {grace} s (runtime floor {floor} s → memory released at t = {release} s)"),
    ("timeline.eviction.soft", "soft threshold {signal} met: {signal} = {observed} < {threshold}; kubelet evicts {pod} (usage {usage} {comparison} request {request}, priority {priority}), grace {grace} s (runtime floor {floor} s → memory released at t = {release} s)"),
    ("timeline.eviction.soft_min_reclaim", "soft threshold {signal} met: {signal} = {observed} < {threshold} (+ minimum reclaim {min_reclaim}); kubelet evicts {pod} (usage {usage} {comparison} request {request}, priority {priority}), grace {grace} s (runtime floor {floor} s → memory released at t = {release} s)"),
    ("timeline.kernel_oom", "the {scope} reached its limit {limit}: the OOM killer picks the highest badness among {candidates} candidates: {victim} ({points} points); {oom_group}"),
    ("timeline.kernel_oom.no_container_left", "the {scope} is out of memory and no container is left to kill; the OOM killer would pick {victim} ({points} points)"),
    ("timeline.kernel_oom.no_killable_task", "the {scope} is out of memory but has no killable task"),
    ("timeline.kernel_oom.tied", "the {scope} reached its limit {limit}: the OOM killer picks the highest badness among {candidates} candidates: {victim} ({points} points), tied with {ties} other(s) (the later-created process wins); {oom_group}"),
    ("timeline.no_evictable_pod.hard", "hard threshold {signal} met ({signal} = {observed} < {threshold}) but every remaining pod is critical or already terminating: kubelet cannot evict"),
    ("timeline.no_evictable_pod.soft", "soft threshold {signal} met ({signal} = {observed} < {threshold}) but every remaining pod is critical or already terminating: kubelet cannot evict"),
    ("timeline.outcome.constant", "nothing ever fires: usage is constant (no growth given) and below every limit and threshold"),
    ("timeline.outcome.first", "first: {mechanism} at t = {time} s ({victim})"),
    ("timeline.outcome.stays_below", "nothing ever fires: the growing containers stay below every limit and threshold"),
    ("timeline.outcome.truncated", "nothing fires within {hours} h"),
    ("timeline.pod_terminated", "the evicted pod's grace period ended; its containers were killed and their memory released"),
    ("timeline.soft_threshold_observed", "kubelet observed {signal} = {observed} < soft threshold {threshold}; it acts if still met after the {soft_grace} s grace period (at t = {at} s)"),
];
