//! `oomlens calc` end to end: the built binary on the example scenarios. Expected figures are
//! derived here from the upstream formulas (node allocatable, policy.go, rankMemoryPressure,
//! oom_badness), never copied from the program's output.

use std::io::Write;
use std::process::{Command, Stdio};

const MI: i64 = 1 << 20;
const GI: i64 = 1 << 30;

fn example(name: &str) -> String {
    format!(
        "{}/../../examples/scenarios/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_oomlens"));
    cmd.arg("calc")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn oomlens");
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(name: &str) -> serde_json::Value {
    let (code, out, err) = run(&[&example(name), "--format", "json"], None);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("valid JSON")
}

#[test]
fn json_contract_fields_on_default_example() {
    let v = json("default.yaml");
    assert_eq!(v["kubelet_version"], "1.34");
    let n = &v["node"];
    let cap = 16 * GI;
    assert_eq!(n["capacity_bytes"], cap);
    assert_eq!(n["kube_reserved_bytes"], GI);
    assert_eq!(n["system_reserved_bytes"], 512 * MI);
    assert_eq!(n["hard_eviction_bytes"], 100 * MI);
    assert_eq!(n["allocatable_bytes"], cap - GI - 512 * MI - 100 * MI);
    assert_eq!(n["kubepods_limit_bytes"], cap - GI - 512 * MI);
    let t = &n["thresholds"][1];
    assert_eq!(t["signal"], "memory.available");
    assert_eq!(t["kind"], "soft");
    assert_eq!(t["bytes"], 500 * MI);
    assert_eq!(t["grace_period_seconds"], 90.0);
    assert_eq!(t["min_reclaim_bytes"], 0);
    let web = &v["pods"][0];
    for f in [
        "namespace",
        "name",
        "qos_class",
        "priority",
        "memory_request_bytes",
        "usage_bytes",
        "exceeds_request",
        "eviction_rank",
        "containers",
    ] {
        assert!(web.get(f).is_some(), "pods[0].{f} missing");
    }
    assert_eq!(web["qos_class"], "Burstable");
    assert_eq!(web["memory_request_bytes"], 512 * MI);
    assert_eq!(web["usage_bytes"], 700 * MI);
    assert_eq!(web["exceeds_request"], true);
    let c = &web["containers"][0];
    for f in [
        "name",
        "kind",
        "oom_score_adj",
        "memory_request_bytes",
        "memory_limit_bytes",
        "memory_high_bytes",
    ] {
        assert!(c.get(f).is_some(), "containers[0].{f} missing");
    }
    // 1000 − 1000·512Mi/16Gi = 1000 − 31 (int64 division of 31.25) = 969
    assert_eq!(c["oom_score_adj"], 1000 - 1000 * (512 * MI) / cap);
    assert_eq!(c["kind"], "container");
    assert_eq!(c["memory_limit_bytes"], GI);
    // MemoryQoS is off by default in 1.34: no memory.high.
    assert!(c["memory_high_bytes"].is_null());
    // node-exporter: critical → never evicted
    assert!(v["pods"][3]["eviction_rank"].is_null());
    assert_eq!(
        v["eviction_order"],
        serde_json::json!(["batch/report", "shop/web", "shop/db"])
    );
    assert_eq!(v["node_oom_kill_order"][0], "batch/report/job");
}

#[test]
fn text_report_on_every_example() {
    for name in [
        "default.yaml",
        "besteffort-first.yaml",
        "burstable-over-request.yaml",
        "sidecar-tiny-request.yaml",
        "guaranteed-near-limit.yaml",
        "no-reservations.yaml",
        "node-110-pods.yaml",
    ] {
        let (code, out, err) = run(&[&example(name)], None);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(err.is_empty(), "{name}: {err}");
        for section in [
            "Node",
            "Eviction thresholds",
            "Pods",
            "Eviction order",
            "Kernel kill order — node",
            "What fires first",
        ] {
            assert!(out.contains(section), "{name}: missing section {section}");
        }
    }
}

#[test]
fn guaranteed_near_limit_is_oomkilled_first() {
    // ledger: 1900Mi of 2Gi, +1Mi/s → (2048 − 1900)/1 = 148 s; nothing node-level comes close on 32Gi.
    let v = json("guaranteed-near-limit.yaml");
    let first = &v["timeline"]["steps"][0];
    assert_eq!(first["mechanism"], "container_oom");
    assert_eq!(first["time_seconds"], 148.0);
    assert_eq!(first["victim"], "finance/ledger/ledger");
    assert_eq!(v["pods"][0]["containers"][0]["oom_score_adj"], -997);
}

#[test]
fn no_reservations_allocatable_and_eviction() {
    // allocatable = 4Gi − 100Mi; kubepods = 4Gi (nothing reserved).
    let v = json("no-reservations.yaml");
    assert_eq!(v["node"]["allocatable_bytes"], 4 * GI - 100 * MI);
    assert_eq!(v["node"]["kubepods_limit_bytes"], 4 * GI);
    // used = 600Mi (system) + 2Gi + 600Mi = 3248Mi; memory.available < 100Mi ⇔ used > 3996Mi:
    // (748Mi + 1 B)/8Mi/s = 93.5 s + ε → next sync at 100 s: hard eviction of default/app.
    let s = &v["timeline"]["steps"][0];
    assert_eq!(s["mechanism"], "eviction_hard");
    assert_eq!(s["time_seconds"], 100.0);
    assert_eq!(s["victim"], "default/app");
}

#[test]
fn stdin_and_equal_sign_format() {
    let text = std::fs::read_to_string(example("besteffort-first.yaml")).unwrap();
    let (code, out, _) = run(&["-", "--format=json"], Some(&text));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["eviction_order"][0], "default/scratch");
}

#[test]
fn errors_exit_2_with_nothing_on_stdout() {
    let rows = [
        (
            "node:\n  memory: 4Gi\nwhat: 1\n",
            "line 3: what: unknown top-level key",
        ),
        (
            "node:\n  memory: 4Gi\nusage:\n  default/nope: 1Gi\n",
            "line 4: usage.default/nope: no pod",
        ),
        (
            "node:\n  memory: 4Gi\n  kubeletConfig:\n    kubeReserved: {memory: 8Gi}\n",
            "node.kubeletConfig",
        ),
    ];
    for (input, want) in rows {
        let (code, out, err) = run(&["-"], Some(input));
        assert_eq!(code, 2, "{input}");
        assert!(out.is_empty(), "stdout must stay empty: {out}");
        assert!(err.contains(want), "{input}: {err}");
    }
    let (code, out, err) = run(&["/nonexistent/scenario.yaml"], None);
    assert_eq!((code, out.is_empty()), (2, true));
    assert!(err.contains("cannot read"));
    let (code, _, err) = run(&[&example("default.yaml"), "--format", "xml"], None);
    assert_eq!(code, 2);
    assert!(err.contains("unknown format"));
}

/// A pod that ties on every ranking key with a static pod (never evicted) ties with nobody: it is
/// the second evictable pod, rank 2 (the group rank used to be carried across the static pod).
#[test]
fn a_tie_with_a_static_pod_does_not_carry_its_rank() {
    let yaml = r#"
kubeletVersion: "1.36"
node: {memory: 16Gi}
pods:
  - metadata: {name: hog, namespace: batch}
    spec: {containers: [{name: app}]}
  - metadata: {name: proxy, namespace: default, annotations: {kubernetes.io/config.source: file}}
    spec: {containers: [{name: app, resources: {requests: {cpu: 250m, memory: 1Gi}, limits: {cpu: 250m, memory: 1Gi}}}]}
  - metadata: {name: logger, namespace: batch}
    spec: {containers: [{name: app, resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: 500m, memory: 1Gi}}}]}
usage: {batch/hog: 2Gi, default/proxy: 1Gi, batch/logger: 1Gi}
"#;
    let (code, out, err) = run(&["-", "--format", "json"], Some(yaml));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rank = |i: usize| {
        (
            v["pods"][i]["eviction_rank"].clone(),
            v["pods"][i]["eviction_tied"].clone(),
        )
    };
    assert_eq!(rank(0), (serde_json::json!(1), serde_json::json!(false)));
    assert_eq!(rank(1), (serde_json::Value::Null, serde_json::json!(false)));
    assert_eq!(rank(2), (serde_json::json!(2), serde_json::json!(false)));
    assert_eq!(
        v["eviction_order"],
        serde_json::json!(["batch/hog", "batch/logger"])
    );
    let (_, text, _) = run(&["-"], Some(yaml));
    assert!(
        text.contains("batch/logger") && !text.contains("(tie"),
        "{text}"
    );
}
