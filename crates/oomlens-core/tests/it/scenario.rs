//! The scenario format: parsing (YAML and JSON), error paths and lines, and the writer's round trip.

use oomlens_core::scenario::{locate_line, parse_scenario, scenario_to_yaml};

const FULL: &str = r#"kubeletVersion: "1.34"
featureGates: {MemoryQoS: true}
node:
  memory: 16Gi
  swap: 0
  maxPods: 110
  cgroupVersion: 2
  pageSize: 4096
  kernelVersion: "6.8"
  systemUsage: 1Gi
  kubeletConfig:
    kubeReserved: {memory: 1Gi}
    systemReserved: {memory: 512Mi}
    evictionHard: {memory.available: 100Mi}
    evictionSoft: {memory.available: 500Mi}
    evictionSoftGracePeriod: {memory.available: 1m30s}
    evictionMinimumReclaim: {memory.available: "0"}
    evictionMaxPodGracePeriod: 30
    enforceNodeAllocatable: [pods]
    memoryThrottlingFactor: 0.9
    singleProcessOOMKill: false
    staticPodPath: /etc/kubernetes/manifests
pods:
  - metadata: {name: web, namespace: default}
    spec: {containers: [{name: app, resources: {requests: {memory: 500Mi}, limits: {memory: 1Gi}}}]}
usage:
  default/web/app: 900Mi
growth:
  default/web: 1Mi
"#;

#[test]
fn parses_the_documented_example() {
    let s = parse_scenario(FULL).expect("parse");
    assert_eq!(s.kubelet_version.as_deref(), Some("1.34"));
    assert_eq!(s.feature_gates.get("MemoryQoS"), Some(&true));
    assert_eq!(s.node.memory.value(), 16 << 30);
    assert_eq!(s.node.max_pods, Some(110));
    assert_eq!(s.node.page_size, Some(4096));
    assert_eq!(s.node.system_usage.map(|q| q.value()), Some(1 << 30));
    let k = &s.node.kubelet_config;
    assert_eq!(
        k.kube_reserved.get("memory").map(String::as_str),
        Some("1Gi")
    );
    assert_eq!(
        k.eviction_hard
            .as_ref()
            .and_then(|m| m.get("memory.available"))
            .map(String::as_str),
        Some("100Mi")
    );
    assert_eq!(
        k.eviction_soft_grace_period
            .get("memory.available")
            .map(String::as_str),
        Some("1m30s")
    );
    assert_eq!(k.eviction_max_pod_grace_period, Some(30));
    assert_eq!(k.enforce_node_allocatable, Some(vec!["pods".to_string()]));
    assert_eq!(k.memory_throttling_factor, Some(0.9));
    assert_eq!(k.single_process_oom_kill, Some(false));
    assert_eq!(s.pods.len(), 1);
    assert_eq!(s.pods[0].key(), "default/web");
    assert_eq!(
        s.usage.get("default/web/app").map(|q| q.value()),
        Some(900 << 20)
    );
    assert_eq!(
        s.growth.get("default/web").map(|q| q.value()),
        Some(1 << 20)
    );
}

#[test]
fn json_and_yaml_give_the_same_scenario() {
    let yaml = parse_scenario(FULL).unwrap();
    let v: serde_yaml_ng::Value = serde_yaml_ng::from_str(FULL).unwrap();
    let json = serde_json::to_string_pretty(&v).unwrap();
    assert_eq!(parse_scenario(&json).unwrap(), yaml);
}

#[test]
fn round_trip_of_the_example() {
    let s = parse_scenario(FULL).unwrap();
    let text = scenario_to_yaml(&s);
    assert_eq!(parse_scenario(&text).unwrap(), s, "{text}");
}

#[test]
fn examples_parse_and_round_trip() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/scenarios");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().and_then(|x| x.to_str()) != Some("yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let s = parse_scenario(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert_eq!(
            parse_scenario(&scenario_to_yaml(&s)).unwrap(),
            s,
            "{}",
            p.display()
        );
        n += 1;
    }
    assert!(n >= 7, "expected the 7 example scenarios, found {n}");
}

#[test]
fn errors_name_path_and_line() {
    // (input, path, line, substring of the message)
    let rows: &[(&str, &str, Option<usize>, &str)] = &[
        (
            "node:\n  memory: 4Gi\nbogus: 1\n",
            "bogus",
            Some(3),
            "unknown top-level key",
        ),
        (
            "node:\n  memory: 4Gi\n  memroy: 1\n",
            "node.memroy",
            Some(3),
            "unknown key",
        ),
        ("pods: []\n", "node", None, "missing"),
        ("node:\n  swap: 1Gi\n", "node.memory", Some(1), "missing"),
        (
            "node:\n  memory: lots\n",
            "node.memory",
            Some(2),
            "invalid quantity",
        ),
        (
            "node:\n  memory: 0\n",
            "node.memory",
            Some(2),
            "greater than zero",
        ),
        (
            "node:\n  memory: 4Gi\n  cgroupVersion: 3\n",
            "node.cgroupVersion",
            Some(3),
            "1 or 2",
        ),
        (
            "node:\n  memory: 4Gi\n  pageSize: 5000\n",
            "node.pageSize",
            Some(3),
            "power of two",
        ),
        (
            "node:\n  memory: 4Gi\n  kernelVersion: banana\n",
            "node.kernelVersion",
            Some(3),
            "kernel version",
        ),
        (
            "node:\n  memory: 4Gi\n  kubeletConfig:\n    evictionHard: [1]\n",
            "node.kubeletConfig.evictionHard",
            Some(4),
            "expected a mapping",
        ),
        (
            "node:\n  memory: 4Gi\n  kubeletConfig:\n    memoryThrottlingFactor: high\n",
            "node.kubeletConfig.memoryThrottlingFactor",
            Some(4),
            "expected a number",
        ),
        (
            "node:\n  memory: 4Gi\nusage:\n  just-a-pod: 1Gi\n",
            "usage.just-a-pod",
            Some(4),
            "namespace/pod",
        ),
        (
            "node:\n  memory: 4Gi\nusage:\n  a/b: -1Gi\n",
            "usage.a/b",
            Some(4),
            "negative",
        ),
        (
            "featureGates: {X: maybe}\nnode:\n  memory: 4Gi\n",
            "featureGates.X",
            Some(1),
            "true or false",
        ),
        ("node: [\n", "", Some(2), "invalid YAML"),
        ("{\"node\": {\"memory\": }}", "", Some(1), "invalid JSON"),
        ("", "", None, "empty"),
    ];
    for (input, path, line, msg) in rows {
        let e = parse_scenario(input).expect_err(input);
        assert_eq!(&e.path, path, "{input:?}: {e}");
        assert_eq!(e.line, *line, "{input:?}: {e}");
        assert!(e.message.contains(msg), "{input:?}: {e}");
    }
}

#[test]
fn pod_errors_come_with_their_path() {
    let text = "node:\n  memory: 4Gi\npods:\n  - metadata: {name: a}\n    spec:\n      containers:\n        - name: c\n          resources:\n            limits:\n              memory: 12Qi\n";
    let e = parse_scenario(text).unwrap_err();
    assert_eq!(e.path, "pods[0].spec.containers[0].resources.limits.memory");
    assert_eq!(e.line, Some(10));
}

#[test]
fn unknown_keys_inside_pods_are_ignored() {
    let text = "node:\n  memory: 4Gi\npods:\n  - metadata: {name: a, labels: {x: y}}\n    spec:\n      nodeName: n1\n      containers: [{name: c, image: nginx}]\n    status: {phase: Running}\n";
    let s = parse_scenario(text).unwrap();
    assert_eq!(s.pods[0].name, "a");
}

#[test]
fn locate_line_walks_block_yaml() {
    let text = "node:\n  memory: 4Gi\n  kubeletConfig:\n    evictionHard:\n      memory.available: 100Mi\npods:\n- metadata:\n    name: a\n- metadata:\n    name: b\n  spec:\n    containers:\n    - name: x\n      resources: {}\n";
    assert_eq!(
        locate_line(text, "node.kubeletConfig.evictionHard.memory.available"),
        Some(5)
    );
    assert_eq!(locate_line(text, "pods[1].metadata.name"), Some(10));
    assert_eq!(
        locate_line(text, "pods[1].spec.containers[0].resources"),
        Some(14)
    );
    assert_eq!(locate_line(text, "pods[0].metadata"), Some(7));
}
