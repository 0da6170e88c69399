//! Eviction message reader. Real messages (tests/fixtures/k8s/README.md) and one row per message
//! fragment of kubernetes/kubernetes `pkg/kubelet/eviction/helpers.go` (@008b3652 for
//! nodeLowMessageFmt, thresholdMetMessageFmt, containerMessageFmt, podMessageFmt; the older
//! containerMessageFmt `Container %s was using %s, which exceeds its request of %s. `).

use oomlens_core::diag::eviction_message::{self, MessageFormat};
use oomlens_core::diag::lines::numbered;

fn fixture(name: &str) -> String {
    crate::support::fixture(&format!("k8s/{name}"))
}

fn read(text: &str) -> Vec<eviction_message::EvictionMessage> {
    let lines: Vec<_> = numbered(text).collect();
    eviction_message::read_lines(&lines)
}

#[test]
fn kilo_329_old_wording_request_zero() {
    let m = read(&fixture("eviction_kilo_329.txt"));
    assert_eq!(m.len(), 1);
    let m = &m[0];
    assert_eq!(m.resource, "memory");
    assert_eq!(m.threshold, None);
    assert_eq!(m.format, MessageFormat::ExceedsRequest);
    assert_eq!(m.offenders.len(), 1);
    let o = &m.offenders[0];
    assert_eq!(o.name, "kilo");
    assert_eq!(o.usage.bytes, Some(30332 * 1024));
    assert_eq!(o.request.bytes, Some(0));
    assert_eq!(o.excess_bytes, Some(30332 * 1024));
    let f = eviction_message::findings(m, None);
    assert!(f
        .iter()
        .any(|f| f.id() == "eviction.offender" && f.english().contains("With no memory request")));
}

#[test]
fn openshift_release_76967_message_broken_over_two_lines() {
    let m = read(&fixture("eviction_openshift_release_76967.txt"));
    assert_eq!(m.len(), 1);
    let m = &m[0];
    assert_eq!((m.line, m.last_line), (5, 6));
    assert_eq!(m.threshold.as_ref().unwrap().text, "100Mi");
    assert_eq!(m.threshold.as_ref().unwrap().bytes, Some(100 << 20));
    assert_eq!(m.available.as_ref().unwrap().bytes, Some(87608 * 1024));
    assert_eq!(m.format, MessageFormat::LargerConsumption);
    let o = &m.offenders[0];
    assert_eq!(o.name, "dptp-controller-manager");
    assert_eq!(o.usage.bytes, Some(48458972 * 1024));
    assert_eq!(o.request.bytes, Some(15 << 30));
    assert_eq!(o.excess_bytes, Some(48458972 * 1024 - (15 << 30)));
}

/// One row per helpers.go fragment combination: (message, resource, threshold, available, offenders as (name, is_pod, usage, request)).
#[test]
fn upstream_fragments() {
    type Row<'a> = (
        &'a str,
        &'a str,
        Option<i64>,
        Option<i64>,
        Vec<(&'a str, bool, i64, i64)>,
    );
    let rows: Vec<Row> = vec![
        // nodeLowMessageFmt alone (no stats for the pod)
        ("The node was low on resource: memory. ", "memory", None, None, vec![]),
        // + thresholdMetMessageFmt
        ("The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. ", "memory", Some(100 << 20), Some(50 << 20), vec![]),
        // + containerMessageFmt (current)
        (
            "The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container c was using 1Gi, request is 100Mi, has larger consumption of memory. ",
            "memory",
            Some(100 << 20),
            Some(50 << 20),
            vec![("c", false, 1 << 30, 100 << 20)],
        ),
        // two containers over their requests
        (
            "The node was low on resource: memory. Threshold quantity: 100Mi, available: 48144Ki. Container golang was using 15109Mi, request is 8Gi, has larger consumption of memory. Container jnlp was using 582800Ki, request is 256Mi, has larger consumption of memory. ",
            "memory",
            Some(100 << 20),
            Some(48144 * 1024),
            vec![("golang", false, 15109 << 20, 8 << 30), ("jnlp", false, 582800 * 1024, 256 << 20)],
        ),
        // podMessageFmt (pod-level resources) then a container
        (
            "The node was low on resource: memory. Threshold quantity: 10%, available: -1Mi. Pod web-0 was using 3Gi, request is 2Gi, has larger consumption of memory. Container app was using 3Gi, request is 0, has larger consumption of memory. ",
            "memory",
            None,
            Some(-(1 << 20)),
            vec![("web-0", true, 3 << 30, 2 << 30), ("app", false, 3 << 30, 0)],
        ),
        // a decimal-SI request
        (
            "The node was low on resource: memory. Threshold quantity: 12Gi, available: 12536420Ki. Container p1 was using 788244Ki, request is 128M, has larger consumption of memory. ",
            "memory",
            Some(12 << 30),
            Some(12536420 * 1024),
            vec![("p1", false, 788244 * 1024, 128_000_000)],
        ),
        // ephemeral-storage, old wording, two containers
        (
            "The node was low on resource: ephemeral-storage. Container prometheus was using 20Ki, which exceeds its request of 0. Container thanos was using 16Ki, which exceeds its request of 0.",
            "ephemeral-storage",
            None,
            None,
            vec![("prometheus", false, 20 * 1024, 0), ("thanos", false, 16 * 1024, 0)],
        ),
    ];
    for (msg, res, thr, avail, offenders) in rows {
        let m = eviction_message::parse_message(msg, 1).unwrap();
        assert_eq!(m.resource, res, "{msg}");
        assert_eq!(m.threshold.as_ref().and_then(|t| t.bytes), thr, "{msg}");
        assert_eq!(m.available.as_ref().and_then(|t| t.bytes), avail, "{msg}");
        let got: Vec<(&str, bool, i64, i64)> = m
            .offenders
            .iter()
            .map(|o| {
                (
                    o.name.as_str(),
                    o.is_pod,
                    o.usage.bytes.unwrap(),
                    o.request.bytes.unwrap(),
                )
            })
            .collect();
        assert_eq!(got, offenders, "{msg}");
    }
}

#[test]
fn percentage_threshold_keeps_its_text() {
    let m = eviction_message::parse_message(
        "The node was low on resource: memory. Threshold quantity: 10%, available: 1Gi. ",
        3,
    )
    .unwrap();
    assert_eq!(m.threshold.as_ref().unwrap().text, "10%");
    assert_eq!(m.threshold.as_ref().unwrap().bytes, None);
}

#[test]
fn yaml_folded_message_is_joined() {
    let text = "status:\n  message: 'The node was low on resource: memory. Threshold quantity: 100Mi,\n    available: 90Mi. Container app was using 2Gi, request is 1Gi, has larger consumption\n    of memory. '\n  phase: Failed\n  reason: Evicted\n";
    let m = read(text);
    assert_eq!(m.len(), 1);
    assert_eq!((m[0].line, m[0].last_line), (2, 4));
    assert_eq!(m[0].available.as_ref().unwrap().bytes, Some(90 << 20));
    assert_eq!(m[0].offenders[0].name, "app");
}

#[test]
fn ranking_finding_names_priority_when_known() {
    let m = eviction_message::parse_message("The node was low on resource: memory. Container a was using 2Gi, request is 1Gi, has larger consumption of memory. ", 7).unwrap();
    let f = eviction_message::findings(&m, Some(1000));
    let rank = f.iter().find(|f| f.id() == "eviction.ranking").unwrap();
    assert!(rank.english().contains("its priority was 1000"));
    assert_eq!(rank.lines, vec![7]);
}

#[test]
fn admission_condition_message() {
    let c = eviction_message::parse_condition(
        "Pod was rejected: The node had condition: [MemoryPressure, DiskPressure]. ",
        2,
    )
    .unwrap();
    assert_eq!(c.conditions, vec!["MemoryPressure", "DiskPressure"]);
}
