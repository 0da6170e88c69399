//! The pod reader: kubectl dumps (YAML/JSON, List, multi-document, workloads), field-path errors,
//! and `Pod::to_manifest` round trips. Fixtures: tests/fixtures/pods (see its README).

use oomlens_core::api::pod::{ContainerKind, Pod};
use oomlens_core::base::quantity::Quantity;
use oomlens_core::scenario::pod_reader::{
    read_pods, read_pods_detailed, read_pods_value, PodReadError,
};
use proptest::prelude::*;

fn fixture(name: &str) -> String {
    crate::support::fixture(&format!("pods/{name}"))
}

fn q(s: &str) -> Quantity {
    Quantity::parse(s).unwrap()
}

#[test]
fn kubectl_get_pod_yaml() {
    let pods = read_pods(&fixture("kubectl-get-pod.yaml")).unwrap();
    assert_eq!(pods.len(), 1);
    let p = &pods[0];
    assert_eq!(p.key(), "shop/web-7d9c8b5f4-x2k9q");
    assert_eq!(
        p.uid.as_deref(),
        Some("0f0e0d0c-aaaa-bbbb-cccc-ddddeeeeffff")
    );
    assert_eq!(p.priority, Some(1000));
    assert_eq!(p.priority_class_name.as_deref(), Some("shop-high"));
    assert_eq!(p.termination_grace_period_seconds, Some(45));
    assert_eq!(p.status_qos_class.as_deref(), Some("Burstable"));
    assert!(!p.is_static && !p.is_mirror);
    assert_eq!(p.containers.len(), 1);
    let app = &p.containers[0];
    assert_eq!(app.kind, ContainerKind::Container);
    assert_eq!(app.resources.requests.memory, Some(q("512Mi")));
    assert_eq!(app.resources.limits.memory, Some(q("1Gi")));
    assert_eq!(app.resources.requests.cpu, Some(q("250m")));
    let kinds: Vec<_> = p
        .init_containers
        .iter()
        .map(|c| (c.name.as_str(), c.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("migrate", ContainerKind::Init),
            ("log-shipper", ContainerKind::Sidecar)
        ]
    );
    assert!(p.resources.is_none());
}

#[test]
fn list_json_with_mirror_pod_and_system_class() {
    let r = read_pods_detailed(&fixture("pod-list.json")).unwrap();
    assert_eq!(r.pods.len(), 2);
    let api = &r.pods[0];
    assert!(
        api.is_static && api.is_mirror,
        "config.source=file and config.mirror"
    );
    assert_eq!(api.priority, Some(2_000_001_000));
    let dns = &r.pods[1];
    // priority absent + system-cluster-critical → 2000000000, with a note.
    assert_eq!(dns.priority, Some(2_000_000_000));
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("coredns") && n.contains("2000000000")),
        "{:?}",
        r.notes
    );
}

#[test]
fn workloads_multi_document() {
    let r = read_pods_detailed(&fixture("workloads.yaml")).unwrap();
    let keys: Vec<_> = r.pods.iter().map(Pod::key).collect();
    assert_eq!(
        keys,
        [
            "shop/api-0",
            "shop/api-1",
            "shop/api-2",
            "shop/db-0",
            "shop/db-1",
            "monitoring/node-exporter",
            "shop/report-0",
            "shop/report-1"
        ]
    );
    assert_eq!(
        r.pods[3].containers[0].resources.limits.memory,
        Some(q("2Gi"))
    );
    assert!(
        r.notes.iter().any(|n| n.contains("Service")),
        "{:?}",
        r.notes
    );
}

#[test]
fn statefulset_single_replica_keeps_ordinal() {
    let y = "kind: StatefulSet\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: c}]\n";
    let pods = read_pods(y).unwrap();
    assert_eq!(
        pods.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["web-0"]
    );
    let d = "kind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 0\n  template:\n    spec:\n      containers: [{name: c}]\n";
    assert!(read_pods(d).unwrap().is_empty());
}

#[test]
fn wrong_types_name_the_field_path_and_line() {
    let y = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    resources:\n      limits:\n        memory: 12XB\n";
    let e = read_pods(y).unwrap_err();
    assert_eq!(e.path, "spec.containers[0].resources.limits.memory");
    assert_eq!(e.line, Some(10));
    assert!(e.message.contains("invalid quantity \"12XB\""), "{e}");
    assert!(e
        .to_string()
        .starts_with("line 10: spec.containers[0].resources.limits.memory: invalid quantity"));

    let cases: &[(&str, &str)] = &[
        ("metadata: {name: a}\nspec: {containers: [{name: c}], priority: high}", "spec.priority"),
        ("metadata: {name: a}\nspec: {containers: {name: c}}", "spec.containers"),
        ("metadata: {name: a}\nspec: {containers: []}", "spec.containers"),
        ("metadata: {name: a}\nspec: {}", "spec.containers"),
        ("metadata: {name: a}", "spec"),
        ("spec: {containers: [{name: c}]}", "metadata.name"),
        ("metadata: {name: a}\nspec: {containers: [{resources: {}}]}", "spec.containers[0].name"),
        ("metadata: {name: a}\nspec: {containers: [{name: c, resources: {requests: [1]}}]}", "spec.containers[0].resources.requests"),
        ("metadata: {name: a}\nspec: {containers: [{name: c}], initContainers: [{name: i, restartPolicy: Never}]}", "spec.initContainers[0].restartPolicy"),
        ("metadata: {name: a}\nspec: {containers: [{name: c}], priority: 3000000000}", "spec.priority"),
        ("metadata: {name: a}\nspec: {containers: [{name: c}], overhead: {memory: true}}", "spec.overhead.memory"),
        ("metadata: {name: a}\nspec: {containers: [{name: c}]}\nstatus: {qosClass: Gold}", "status.qosClass"),
        ("kind: Deployment\nmetadata: {name: a}\nspec: {replicas: -1, template: {spec: {containers: [{name: c}]}}}", "spec.replicas"),
        ("kind: CronJob\nmetadata: {name: a}\nspec: {}", "spec.jobTemplate"),
    ];
    for (y, path) in cases {
        let e: PodReadError = read_pods(y).unwrap_err();
        assert_eq!(&e.path, path, "{y}: {e}");
    }
}

#[test]
fn yaml_syntax_errors_carry_the_line() {
    let e = read_pods("metadata:\n  name: a\nspec:\n  containers: [\n").unwrap_err();
    assert!(e.line.is_some(), "{e}");
    let e = read_pods("{\"metadata\": {\"name\": \"a\"},\n \"spec\": }").unwrap_err();
    assert!(e.line.is_some(), "{e}");
}

#[test]
fn value_reader_uses_base_path() {
    let v: serde_yaml_ng::Value = serde_yaml_ng::from_str(
        "- metadata: {name: a}\n  spec: {containers: [{name: c}]}\n- metadata: {name: b}\n  spec: {containers: [{name: c}]}\n- metadata: {name: c}\n  spec: {containers: [{name: c, resources: {limits: {memory: 12XB}}}]}\n",
    )
    .unwrap();
    let e = read_pods_value(&v, "pods").unwrap_err();
    assert_eq!(e.path, "pods[2].spec.containers[0].resources.limits.memory");
    let list: serde_yaml_ng::Value = serde_yaml_ng::from_str(
        "kind: List\nitems:\n- metadata: {name: a}\n  spec: {containers: [{name: c}]}\n",
    )
    .unwrap();
    assert_eq!(read_pods_value(&list, "pods").unwrap().len(), 1);
}

#[test]
fn numbers_are_quantities_and_pod_level_resources_are_read() {
    let y = "metadata: {name: a, namespace: n}\nspec:\n  resources: {requests: {memory: 1073741824}, limits: {memory: 2Gi}}\n  overhead: {memory: 0.5Gi}\n  containers: [{name: c, resources: {requests: {memory: 100Mi, hugepages-2Mi: 4Mi}}}]\n";
    let p = &read_pods(y).unwrap()[0];
    let r = p.resources.as_ref().unwrap();
    assert_eq!(r.requests.memory.unwrap().value(), 1 << 30);
    assert_eq!(p.overhead.memory.unwrap().value(), 512 << 20);
    assert_eq!(
        p.containers[0]
            .resources
            .requests
            .other
            .get("hugepages-2Mi"),
        Some(&q("4Mi"))
    );
    // An empty spec.resources is present (Some), which matters for QoS with the gate on.
    let p = &read_pods("metadata: {name: a}\nspec: {resources: {}, containers: [{name: c}]}")
        .unwrap()[0];
    assert_eq!(p.resources, Some(Default::default()));
}

#[test]
fn manifests_round_trip() {
    for f in ["kubectl-get-pod.yaml", "pod-list.json", "workloads.yaml"] {
        for p in read_pods(&fixture(f)).unwrap() {
            let m = p.to_manifest();
            let v: serde_yaml_ng::Value = serde_yaml_ng::to_value(&m).unwrap();
            let back = read_pods_value(&v, "pods").unwrap();
            assert_eq!(back, vec![p.clone()], "{f}: {m}");
            // And through JSON text.
            assert_eq!(read_pods(&m.to_string()).unwrap(), vec![p]);
        }
    }
}

proptest! {
    /// Invariant: any pod built from names, priorities and memory quantities survives
    /// to_manifest → read_pods_value unchanged.
    #[test]
    fn to_manifest_round_trips(req in proptest::option::of(0i64..1i64 << 40), lim in proptest::option::of(1i64..1i64 << 40),
                               prio in proptest::option::of(any::<i32>()), sidecar in any::<bool>(), tg in proptest::option::of(0i64..3600)) {
        let mut p = Pod { namespace: "ns".into(), name: "p".into(), priority: prio, termination_grace_period_seconds: tg, ..Pod::default() };
        p.containers.push(oomlens_core::api::pod::Container::with_memory("c", ContainerKind::Container,
            req.map(Quantity::from_bytes), lim.map(Quantity::from_bytes)));
        p.init_containers.push(oomlens_core::api::pod::Container::with_memory("i",
            if sidecar { ContainerKind::Sidecar } else { ContainerKind::Init }, req.map(Quantity::from_bytes), None));
        let v: serde_yaml_ng::Value = serde_yaml_ng::to_value(p.to_manifest()).unwrap();
        prop_assert_eq!(read_pods_value(&v, "pods").unwrap(), vec![p]);
    }
}
