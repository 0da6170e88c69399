//! Block detection in mixed pastes: kinds, exact ranges, claimed (kernel) lines respected.

use oomlens_core::diag::detect::{detect, Flavor};
use oomlens_core::diag::lines::numbered;
use oomlens_core::explanation::InputKind;

fn blocks(text: &str, claimed: &[bool]) -> Vec<(InputKind, Flavor, usize, usize)> {
    let lines: Vec<_> = numbered(text).collect();
    detect(&lines, claimed)
        .into_iter()
        .map(|d| (d.kind, d.flavor, d.start + 1, d.end))
        .collect()
}

#[test]
fn each_kind_with_noise_between() {
    let text = "noise 1\n\
Name:         web\n\
Namespace:    default\n\
Status:       Running\n\
noise 2\n\
kind: KubeletConfiguration\n\
evictionHard:\n\
  memory.available: 200Mi\n\
noise 3 without colon\n\
anon 1\n\
file 2\n\
inactive_file 3\n\
noise 4 more words here\n\
{\"kubeletconfig\": {\"maxPods\": 10}}\n\
ExecStart=/usr/bin/kubelet \\\n\
  --kube-reserved=memory=1Gi\n\
The node was low on resource: memory. Container a was using 1Gi, request is 0, has larger consumption of memory.\n";
    assert_eq!(
        blocks(text, &[]),
        vec![
            (InputKind::DescribePod, Flavor::Describe, 2, 4),
            (InputKind::KubeletConfig, Flavor::Yaml, 6, 8),
            (InputKind::MemoryStat, Flavor::MemoryStat, 10, 12),
            (InputKind::KubeletConfig, Flavor::Json, 14, 14),
            (InputKind::KubeletConfig, Flavor::Flags, 15, 16),
            (InputKind::EvictionMessage, Flavor::Eviction, 17, 17),
        ]
    );
}

#[test]
fn claimed_lines_are_never_crossed() {
    let text = "anon 1\nfile 2\nkernel line claimed\ninactive_file 3\nactive_file 4\nshmem 5\n";
    let claimed = [false, false, true, false, false, false];
    // The first two stat lines alone are not a block (fewer than 3 keys); the last three are.
    assert_eq!(
        blocks(text, &claimed),
        vec![(InputKind::MemoryStat, Flavor::MemoryStat, 4, 6)]
    );
}

#[test]
fn describe_fragments_and_events_tables() {
    let text = "app:\n  State:  Terminated\n    Reason:  OOMKilled\n    Exit Code:  137\n\nEvents:\n  Type     Reason     Age  From     Message\n  Warning  SystemOOM  1m   kubelet  System OOM encountered\n";
    assert_eq!(
        blocks(text, &[]),
        vec![
            (InputKind::DescribePod, Flavor::DescribeFragment, 1, 4),
            (InputKind::DescribeNode, Flavor::DescribeFragment, 6, 8)
        ]
    );
}

#[test]
fn prose_with_colons_is_not_describe_output() {
    assert!(blocks("Name: Alice\nNote: hello\nAge: 42\n", &[]).is_empty());
    assert!(blocks("cache me if you can\nrss feed\n", &[]).is_empty());
}
