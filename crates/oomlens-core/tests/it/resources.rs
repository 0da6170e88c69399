//! Pod/container resource arithmetic, ported from kubernetes/component-helpers
//! `resource/helpers_test.go` @ tag kubernetes-1.36.0 (b862cb5f):
//! - TestPodRequestsAndLimits: all 5 cases;
//! - TestPodResourceRequests: the 8 cases without resize status (the "pod overhead excluded" case
//!   uses ExcludeOverhead, which we model as pod_requests minus overhead) — the 7 resize-status
//!   cases need status resources, which oomlens does not read;
//! - TestPodLevelResourceRequests: the 14 cases on cpu/memory/storage/hugepages (PodLevelResources
//!   on; "SkipPodLevelResources true" = gate off);
//!
//! Plus eviction's GetResourceRequestQuantity rules (pkg/api/v1/resource/helpers.go) and
//! SetDefaults_Pod.

use oomlens_core::api::pod::{Container, ContainerKind, Pod, ResourceList, ResourceRequirements};
use oomlens_core::base::quantity::Quantity;
use oomlens_core::kubelet::resources::{
    aggregate, container_memory_limit, container_memory_request, container_memory_request_quantity,
    pod_limits, pod_memory_limit, pod_memory_request, pod_requests, Requests,
};
use oomlens_core::kubelet::rules::{KubeletRules, KubeletVersion};
use std::collections::BTreeMap;

/// `"cpu=1,memory=10"` → ResourceList.
fn rl(spec: &str) -> ResourceList {
    let mut l = ResourceList::default();
    for kv in spec.split(',').filter(|s| !s.is_empty()) {
        let (k, v) = kv.split_once('=').unwrap();
        l.set(k, Quantity::parse(v).unwrap());
    }
    l
}

fn c(name: &str, kind: ContainerKind, req: &str, lim: &str) -> Container {
    Container {
        name: name.into(),
        kind,
        resources: ResourceRequirements {
            requests: rl(req),
            limits: rl(lim),
        },
    }
}
fn main_c(req: &str) -> Container {
    c("c", ContainerKind::Container, req, "")
}
fn init(req: &str) -> Container {
    c("i", ContainerKind::Init, req, "")
}
fn sidecar(req: &str) -> Container {
    c("s", ContainerKind::Sidecar, req, "")
}

fn pod(containers: Vec<Container>, init: Vec<Container>) -> Pod {
    Pod {
        name: "p".into(),
        namespace: "default".into(),
        containers,
        init_containers: init,
        ..Pod::default()
    }
}

fn rules(v: u32) -> KubeletRules {
    KubeletRules::new(KubeletVersion::v1(v), &BTreeMap::new())
}

fn newest() -> KubeletRules {
    KubeletRules::default()
}

/// `getPod(cname, podResources)`: one container and one init container with the same resources, plus overhead.
fn get_pod(req: &str, lim: &str, overhead: &str) -> Pod {
    let mut p = pod(
        vec![c("foo", ContainerKind::Container, req, lim)],
        vec![c("init-foo", ContainerKind::Init, req, lim)],
    );
    p.overhead = rl(overhead);
    p
}

#[test]
fn pod_requests_and_limits() {
    // (name, requests, limits, overhead, expected requests, expected limits)
    let table = [
        ("just-limit-no-overhead", "", "cpu=9", "", "", "cpu=9"),
        (
            "just-overhead",
            "",
            "",
            "cpu=5,memory=5",
            "cpu=5,memory=5",
            "",
        ),
        (
            "req-and-overhead",
            "cpu=1,memory=10",
            "",
            "cpu=5,memory=5",
            "cpu=6,memory=15",
            "",
        ),
        (
            "all-req-lim-and-overhead",
            "cpu=1,memory=10",
            "cpu=2,memory=12",
            "cpu=5,memory=5",
            "cpu=6,memory=15",
            "cpu=7,memory=17",
        ),
        (
            "req-some-lim-and-overhead",
            "cpu=1,memory=10",
            "cpu=2",
            "cpu=5,memory=5",
            "cpu=6,memory=15",
            "cpu=7",
        ),
    ];
    for (name, req, lim, oh, er, el) in table {
        let p = get_pod(req, lim, oh);
        assert_eq!(
            pod_requests(&p, &newest(), Requests::AsWritten),
            rl(er),
            "{name} requests"
        );
        assert_eq!(pod_limits(&p, &newest()), rl(el), "{name} limits");
    }
}

#[test]
fn pod_resource_requests() {
    let mut overhead_included = pod(
        vec![main_c("cpu=2"), main_c("cpu=3")],
        vec![c("i", ContainerKind::Init, "cpu=2", "cpu=2")],
    );
    overhead_included.overhead = rl("cpu=1,memory=1Gi");
    let mut overhead_excluded = pod(vec![main_c("cpu=2"), main_c("cpu=3")], vec![init("cpu=2")]);
    overhead_excluded.overhead = rl("cpu=1");
    let table: Vec<(&str, Pod, &str)> = vec![
        (
            "nil options, larger init container",
            pod(vec![main_c("cpu=1")], vec![init("cpu=4")]),
            "cpu=4",
        ),
        (
            "nil options, larger containers",
            pod(vec![main_c("cpu=2"), main_c("cpu=3")], vec![init("cpu=2")]),
            "cpu=5",
        ),
        (
            "pod overhead included",
            overhead_included,
            "cpu=6,memory=1Gi",
        ),
        (
            "restartable init container",
            pod(vec![main_c("cpu=1")], vec![sidecar("cpu=1")]),
            "cpu=2",
        ),
        (
            "multiple restartable init containers",
            pod(
                vec![main_c("cpu=1")],
                vec![
                    init("cpu=5"),
                    sidecar("cpu=1"),
                    sidecar("cpu=2"),
                    sidecar("cpu=3"),
                ],
            ),
            "cpu=7",
        ),
        (
            "multiple restartable and regular init containers",
            pod(
                vec![main_c("cpu=1")],
                vec![
                    init("cpu=5"),
                    sidecar("cpu=1"),
                    sidecar("cpu=2"),
                    init("cpu=5"),
                    sidecar("cpu=3"),
                ],
            ),
            "cpu=8",
        ),
        (
            "restartable-init, init and regular",
            pod(
                vec![main_c("cpu=100")],
                vec![sidecar("cpu=10"), init("cpu=200")],
            ),
            "cpu=210",
        ),
    ];
    for (name, p, want) in table {
        assert_eq!(
            pod_requests(&p, &newest(), Requests::AsWritten),
            rl(want),
            "{name}"
        );
    }
    // "pod overhead excluded": PodRequests without overhead = 5.
    let mut no_oh = overhead_excluded.clone();
    no_oh.overhead = ResourceList::default();
    assert_eq!(
        pod_requests(&no_oh, &newest(), Requests::AsWritten),
        rl("cpu=5")
    );
    assert_eq!(
        pod_requests(&overhead_excluded, &newest(), Requests::AsWritten),
        rl("cpu=6")
    );
}

#[test]
fn pod_level_resource_requests() {
    let plr = |req: &str, lim: &str, containers: Vec<Container>, inits: Vec<Container>| {
        let mut p = pod(containers, inits);
        p.resources = Some(ResourceRequirements {
            requests: rl(req),
            limits: rl(lim),
        });
        p
    };
    let table: Vec<(&str, Pod, &str)> = vec![
        ("nil", pod(vec![], vec![]), ""),
        ("pod level memory resource with SkipPodLevelResources false", plr("memory=2Mi", "", vec![], vec![]), "memory=2Mi"),
        (
            "pod level memory and container level cpu resources with SkipPodLevelResources false",
            plr("memory=2Mi", "", vec![main_c("cpu=2m")], vec![]),
            "memory=2Mi,cpu=2m",
        ),
        (
            "pod level unsupported resources set at both pod-level and container-level with SkipPodLevelResources false",
            plr("storage=2Mi", "", vec![main_c("storage=3Mi")], vec![]),
            "storage=3Mi",
        ),
        (
            "pod level unsupported resources set at pod-level with SkipPodLevelResources false",
            plr("storage=2Mi", "", vec![main_c("memory=3Mi")], vec![]),
            "memory=3Mi",
        ),
        ("only container level resources set with SkipPodLevelResources false", pod(vec![main_c("memory=3Mi,cpu=2m")], vec![]), "memory=3Mi,cpu=2m"),
        (
            "both container-level and pod-level resources set with SkipPodLevelResources false",
            plr("memory=6Mi,cpu=8m", "", vec![main_c("memory=3Mi,cpu=2m")], vec![]),
            "memory=6Mi,cpu=8m",
        ),
        (
            "container-level resources and init container set with SkipPodLevelResources false",
            pod(vec![main_c("memory=3Mi,cpu=2m")], vec![init("memory=5Mi,cpu=4m")]),
            "memory=5Mi,cpu=4m",
        ),
        (
            "container-level resources and sidecar container set with SkipPodLevelResources false",
            pod(vec![main_c("memory=3Mi,cpu=2m")], vec![sidecar("memory=5Mi,cpu=4m")]),
            "memory=8Mi,cpu=6m",
        ),
        (
            "container-level resources, init and sidecar container set with SkipPodLevelResources false",
            pod(vec![main_c("memory=3Mi,cpu=2m")], vec![sidecar("memory=5Mi,cpu=4m"), init("memory=6Mi,cpu=8m")]),
            "memory=11Mi,cpu=12m",
        ),
        (
            "pod-level resources, container-level resources, init and sidecar container set with SkipPodLevelResources false",
            plr("memory=15Mi,cpu=18m", "", vec![main_c("memory=3Mi,cpu=2m")], vec![sidecar("memory=5Mi,cpu=4m"), init("memory=6Mi,cpu=8m")]),
            "memory=15Mi,cpu=18m",
        ),
        (
            "pod-level resources, hugepage request/limit single page size",
            plr("memory=10Mi,hugepages-2Mi=2Mi", "hugepages-2Mi=2Mi", vec![], vec![]),
            "memory=10Mi,hugepages-2Mi=2Mi",
        ),
        (
            "pod-level resources, hugepage request/limit multiple page sizes",
            plr("cpu=1,hugepages-2Mi=2Mi,hugepages-1Gi=1Gi", "hugepages-2Mi=2Mi,hugepages-1Gi=1Gi", vec![], vec![]),
            "cpu=1,hugepages-2Mi=2Mi,hugepages-1Gi=1Gi",
        ),
        (
            "pod-level resources, container-level resources, hugepage request/limit single page size",
            plr("cpu=1,hugepages-2Mi=10Mi", "hugepages-2Mi=10Mi", vec![c("c", ContainerKind::Container, "hugepages-2Mi=6Mi", "hugepages-2Mi=6Mi")], vec![]),
            "cpu=1,hugepages-2Mi=10Mi",
        ),
    ];
    let on = rules(34);
    for (name, p, want) in &table {
        assert_eq!(
            pod_requests(p, &on, Requests::AsWritten),
            rl(want),
            "{name}"
        );
    }
    // "with SkipPodLevelResources true": the gate is off (1.33 default) → pod level ignored.
    let p = plr("memory=2Mi", "", vec![], vec![]);
    assert_eq!(pod_requests(&p, &rules(33), Requests::AsWritten), rl(""));
}

#[test]
fn eviction_memory_request() {
    let r = newest();
    // Overhead is added only to a non-zero total.
    let mut p = pod(vec![main_c("")], vec![]);
    p.overhead = rl("memory=100Mi");
    assert_eq!(pod_memory_request(&p, &r, Requests::Defaulted).0, 0);
    let mut p = pod(vec![main_c("memory=1Gi")], vec![]);
    p.overhead = rl("memory=100Mi");
    let (v, why) = pod_memory_request(&p, &r, Requests::Defaulted);
    assert_eq!(v, (1 << 30) + 100 * (1 << 20));
    let d = why.derivation_for_pod(&p, &r, v);
    assert_eq!(d.rule, "resources.pod_request");
    assert!(
        d.substituted
            .ends_with("1073741824 + overhead 104857600 = 1178599424"),
        "{}",
        d.substituted
    );
    // Requests default from limits.
    let p = pod(
        vec![c("a", ContainerKind::Container, "", "memory=256Mi")],
        vec![],
    );
    assert_eq!(pod_memory_request(&p, &r, Requests::Defaulted).0, 256 << 20);
    // Pod-level resources replace container requests when the gate is on; with only cpu at pod level,
    // memory is 0 (container requests are skipped).
    let mut p = pod(vec![main_c("memory=1Gi")], vec![]);
    p.resources = Some(ResourceRequirements {
        requests: rl("memory=3Gi"),
        limits: rl(""),
    });
    assert_eq!(
        pod_memory_request(&p, &rules(34), Requests::Defaulted).0,
        3 << 30
    );
    assert_eq!(
        pod_memory_request(&p, &rules(33), Requests::Defaulted).0,
        1 << 30
    );
    p.resources = Some(ResourceRequirements {
        requests: rl("cpu=1"),
        limits: rl(""),
    });
    assert_eq!(pod_memory_request(&p, &rules(34), Requests::Defaulted).0, 0);
    // Pod-level limits only: requests default from them (defaultPodRequests).
    p.resources = Some(ResourceRequirements {
        requests: rl(""),
        limits: rl("memory=2Gi,cpu=1"),
    });
    assert_eq!(
        pod_memory_request(&p, &rules(34), Requests::Defaulted).0,
        2 << 30
    );
    // Sidecars with the gate off (1.28 default) are plain init containers.
    let p = pod(
        vec![main_c("memory=3Mi")],
        vec![c("s", ContainerKind::Sidecar, "memory=5Mi", "")],
    );
    let aggregate_memory = |r: &KubeletRules| {
        aggregate(&p, r.sidecars_enabled(), |c| {
            container_memory_request_quantity(c, Requests::Defaulted)
        })
        .map_or(0, |q| q.value())
    };
    assert_eq!(aggregate_memory(&rules(28)), 5 << 20);
    assert_eq!(aggregate_memory(&rules(29)), 8 << 20);
}

#[test]
fn container_request_limit_and_pod_limit() {
    let a = c("a", ContainerKind::Container, "", "memory=1Gi");
    assert_eq!(container_memory_request(&a).0, 1 << 30);
    let r = newest();
    let alone = Pod::default();
    assert_eq!(container_memory_limit(&alone, &a, &r).0, Some(1 << 30));
    let z = c("z", ContainerKind::Container, "memory=1Gi", "memory=0");
    assert_eq!(
        container_memory_limit(&alone, &z, &r).0,
        None,
        "a 0 limit is no limit"
    );
    let mut p = pod(
        vec![
            c("a", ContainerKind::Container, "", "memory=1Gi"),
            c("b", ContainerKind::Container, "", "memory=512Mi"),
        ],
        vec![],
    );
    p.overhead = rl("memory=10Mi");
    assert_eq!(
        pod_memory_limit(&p, &r).0,
        Some((1 << 30) + (512 << 20) + (10 << 20))
    );
    // An init container without a limit leaves the pod cgroup unlimited.
    p.init_containers
        .push(c("i", ContainerKind::Init, "memory=1Mi", ""));
    let (v, why) = pod_memory_limit(&p, &r);
    assert_eq!(v, None);
    let unlimited = p
        .all_containers()
        .filter(|c| c.resources.limits.memory.is_none())
        .map(|c| c.name.as_str());
    let d = why.derivation(v, unlimited);
    assert_eq!(
        d.substituted,
        "no memory limit on i: pod cgroup memory.max not set"
    );
    // Requests default from limits (SetDefaults_Pod) when the rules read them as stored.
    assert_eq!(
        container_memory_request_quantity(&p.containers[0], Requests::Defaulted),
        Some(&Quantity::parse("1Gi").unwrap())
    );
    assert_eq!(
        container_memory_request_quantity(&p.containers[0], Requests::AsWritten),
        None
    );
}
