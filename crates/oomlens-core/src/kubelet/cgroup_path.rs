//! Decodes the cgroup paths printed in kernel OOM reports (`oom_memcg=`, `task_memcg=`,
//! `Task in … killed as a result of limit of …`, `Memory cgroup stats for …`) into what they
//! say about Kubernetes: which level of the hierarchy, pod UID, QoS class, container ID, runtime
//! and cgroup driver.
//!
//! Layouts follow kubelet's `pkg/kubelet/cm/cgroup_manager_linux.go` (systemd driver: `kubepods.slice/
//! kubepods-burstable.slice/kubepods-burstable-pod<uid with _>.slice`; cgroupfs driver:
//! `/kubepods/burstable/pod<uid>`), `pkg/kubelet/cm/qos_container_manager_linux.go` (Guaranteed
//! pods sit directly under `kubepods`), and the runtimes' container scopes: containerd
//! `cri-containerd-<id>.scope`, CRI-O `crio-<id>.scope` (and `crio-conmon-<id>.scope` for its
//! monitor), Docker/cri-dockerd `docker-<id>.scope`; with the cgroupfs driver every runtime uses
//! the bare `<id>`. containerd with `SystemdCgroup` under a non-systemd parent may print
//! `…slice:cri-containerd:<id>`. Nested hosts (`/lxc.payload.x/kubepods.slice/…`) are handled by
//! looking for the `kubepods` component anywhere in the path.

use crate::kubelet::qos::QosClass;
use serde::Serialize;

/// What a cgroup path tells about a Kubernetes workload. Unknown → `None`, never guessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct CgroupPath {
    /// The path as printed.
    pub path: String,
    /// `container`, `pod`, `qos`, `kubepods`, `node` (the root `/`), `other` (outside kubepods).
    pub scope: Option<String>,
    /// Pod UID with dashes (`10d16a28-60ff-475f-a631-510d9792219f`).
    pub pod_uid: Option<String>,
    /// `Guaranteed`, `Burstable`, `BestEffort` (Guaranteed pods have no QoS level in the path).
    pub qos_class: Option<String>,
    /// Container ID (hex) when the path reaches a container.
    pub container_id: Option<String>,
    /// `containerd`, `cri-o`, `docker` when the scope name says so.
    pub runtime: Option<String>,
    /// `systemd` (`.slice`/`.scope` names) or `cgroupfs` (plain directories).
    pub cgroup_driver: Option<String>,
    /// 1 when the path itself can only be cgroup v1 (a `memory` controller mount in it), else `None`
    /// (the same names are used on v1 and v2).
    pub cgroup_version: Option<u8>,
    /// True for CRI-O's `crio-conmon-<id>.scope` (the container monitor, not the container).
    pub conmon: bool,
}

/// Decodes `path`. Never fails; what cannot be read stays `None`.
pub fn decode(path: &str) -> CgroupPath {
    let path = path.trim();
    let mut out = CgroupPath {
        path: path.to_string(),
        ..CgroupPath::default()
    };
    if path.is_empty() {
        return out;
    }
    if path == "/" {
        out.scope = Some("node".into());
        return out;
    }
    let comps: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    if comps
        .iter()
        .any(|c| *c == "memory" || c.starts_with("memory,") || c.ends_with(",memory"))
    {
        out.cgroup_version = Some(1);
    }
    // containerd with SystemdCgroup under a non-systemd parent: `…/kubepods-<qos>-pod<uid>.slice:cri-containerd:<id>`.
    if let Some(c) = comps
        .iter()
        .find(|c| c.starts_with("kubepods") && c.contains(".slice:"))
    {
        if let Some((slice, tail)) = c.split_once(':') {
            out.cgroup_driver = Some("systemd".into());
            let qos = QOS_CGROUPS
                .iter()
                .find(|(_, _, slice_prefix)| slice.starts_with(slice_prefix))
                .map_or(QosClass::Guaranteed, |(q, _, _)| *q);
            out.qos_class = Some(qos.as_str().into());
            out.pod_uid = pod_component(slice);
            out.scope = Some(
                if out.pod_uid.is_some() {
                    "pod"
                } else {
                    "other"
                }
                .into(),
            );
            if out.pod_uid.is_some() {
                container_component(tail, &mut out);
            }
            return out;
        }
    }
    let Some(kp) = comps
        .iter()
        .position(|c| *c == "kubepods" || *c == "kubepods.slice")
    else {
        decode_outside_kubepods(&comps, &mut out);
        return out;
    };
    out.cgroup_driver = Some(
        if comps.get(kp).is_some_and(|c| c.ends_with(".slice")) {
            "systemd"
        } else {
            "cgroupfs"
        }
        .into(),
    );
    out.scope = Some("kubepods".into());
    let mut i = kp + 1;
    // QoS level.
    if let Some(c) = comps.get(i) {
        if let Some(q) = qos_component(c) {
            out.qos_class = Some(q.as_str().into());
            out.scope = Some("qos".into());
            i += 1;
        }
    }
    // Pod level.
    let Some(c) = comps.get(i) else { return out };
    let Some(uid) = pod_component(c) else {
        out.scope = Some("other".into());
        return out;
    };
    out.pod_uid = Some(uid);
    out.scope = Some("pod".into());
    if out.qos_class.is_none() {
        out.qos_class = Some(QosClass::Guaranteed.as_str().into());
    }
    // A `…slice:cri-containerd:<id>` form carries the container on the pod component itself.
    if let Some((_, tail)) = c.split_once(':') {
        container_component(tail, &mut out);
        return out;
    }
    i += 1;
    if let Some(c) = comps.get(i) {
        container_component(c, &mut out);
    }
    out
}

/// Paths outside kubepods: plain Docker (`/docker/<id>`), systemd slices, anything else.
fn decode_outside_kubepods(comps: &[&str], out: &mut CgroupPath) {
    out.scope = Some("other".into());
    if comps
        .iter()
        .any(|c| c.ends_with(".slice") || c.ends_with(".scope") || c.ends_with(".service"))
    {
        out.cgroup_driver = Some("systemd".into());
    }
    if let Some(p) = comps.iter().position(|c| *c == "docker") {
        if let Some(id) = comps.get(p + 1).filter(|c| is_container_id(c)) {
            out.container_id = Some((*id).to_string());
            out.runtime = Some("docker".into());
            out.cgroup_driver = Some("cgroupfs".into());
            out.scope = Some("container".into());
        }
    }
    if let Some(last) = comps.last() {
        let mut probe = CgroupPath::default();
        container_component(last, &mut probe);
        if probe.runtime.is_some() {
            out.container_id = probe.container_id;
            out.runtime = probe.runtime;
            out.conmon = probe.conmon;
            out.scope = Some("container".into());
        }
    }
}

/// The QoS cgroups kubelet creates under `kubepods` (`qos_container_manager_linux.go`): the QoS
/// class, its cgroupfs name and the prefix of its systemd slices (`kubepods-burstable.slice`,
/// `kubepods-burstable-pod<uid>.slice`). Guaranteed pods have none: they sit under `kubepods`.
const QOS_CGROUPS: [(QosClass, &str, &str); 2] = [
    (QosClass::Burstable, "burstable", "kubepods-burstable"),
    (QosClass::BestEffort, "besteffort", "kubepods-besteffort"),
];

/// `burstable` / `kubepods-burstable.slice`, `besteffort` / `kubepods-besteffort.slice`.
fn qos_component(c: &str) -> Option<QosClass> {
    QOS_CGROUPS
        .iter()
        .find(|(_, name, slice)| c == *name || c.strip_suffix(".slice") == Some(slice))
        .map(|(q, _, _)| *q)
}

/// `pod<uid>` or `kubepods[-qos]-pod<uid_>.slice` → normalised uid.
fn pod_component(c: &str) -> Option<String> {
    let c = c.split(':').next().unwrap_or(c);
    let body = if let Some(s) = c.strip_suffix(".slice") {
        let i = s.rfind("-pod")?;
        s.get(i + 4..)?
    } else {
        c.strip_prefix("pod")?
    };
    normalise_uid(body)
}

/// A pod UID: 8-4-4-4-12 hex with `-` or `_`, or a 32-hex static-pod hash.
fn normalise_uid(s: &str) -> Option<String> {
    let u: String = s
        .chars()
        .map(|c| {
            if c == '_' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    let groups: Vec<&str> = u.split('-').collect();
    let hex = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_hexdigit());
    let ok = (groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && hex(g)))
        || (groups.len() == 1 && u.len() == 32 && hex(&u));
    ok.then_some(u)
}

/// The container level: `cri-containerd-<id>.scope`, `crio-<id>.scope`, `crio-conmon-<id>.scope`,
/// `docker-<id>.scope`, `cri-containerd:<id>`, or a bare hex id (cgroupfs).
fn container_component(c: &str, out: &mut CgroupPath) {
    let scope = c.strip_suffix(".scope");
    let (runtime, id, conmon) =
        if let Some(id) = scope.and_then(|s| s.strip_prefix("cri-containerd-")) {
            (Some("containerd"), id, false)
        } else if let Some(id) = scope.and_then(|s| s.strip_prefix("crio-conmon-")) {
            (Some("cri-o"), id, true)
        } else if let Some(id) = scope.and_then(|s| s.strip_prefix("crio-")) {
            (Some("cri-o"), id, false)
        } else if let Some(id) = scope.and_then(|s| s.strip_prefix("docker-")) {
            (Some("docker"), id, false)
        } else if let Some(id) = c.strip_prefix("cri-containerd:") {
            (Some("containerd"), id, false)
        } else if let Some(id) = c.strip_prefix("crio:") {
            (Some("cri-o"), id, false)
        } else if let Some(id) = c.strip_prefix("docker:") {
            (Some("docker"), id, false)
        } else {
            (None, c, false)
        };
    if !is_container_id(id) {
        return;
    }
    out.container_id = Some(id.to_ascii_lowercase());
    out.runtime = runtime.map(str::to_string);
    out.conmon = conmon;
    out.scope = Some("container".into());
}

/// Reads one cgroup name as a container (`cri-containerd-<id>.scope`, `<64 hex>` …): the id and
/// the runtime when the name tells it. Used for the ≤ 4.18 `cpuset=` name of the OOM header.
pub fn container_of(name: &str) -> Option<(String, Option<String>)> {
    let mut probe = CgroupPath::default();
    container_component(name.trim().trim_start_matches('/'), &mut probe);
    Some((probe.container_id?, probe.runtime))
}

/// Container IDs are 64 hex digits; shorter hex (≥ 12, as `docker ps` prints) is accepted too.
fn is_container_id(s: &str) -> bool {
    (12..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_normalisation() {
        assert_eq!(
            normalise_uid("10d16a28_60ff_475f_a631_510d9792219f").as_deref(),
            Some("10d16a28-60ff-475f-a631-510d9792219f")
        );
        assert_eq!(normalise_uid("10d16a28"), None);
        assert_eq!(
            normalise_uid("6d4fa8d0d6f0b5c2e3a1b9c8d7e6f5a4").as_deref(),
            Some("6d4fa8d0d6f0b5c2e3a1b9c8d7e6f5a4")
        );
    }
}
