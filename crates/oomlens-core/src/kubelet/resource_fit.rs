//! Whether a pod's memory request fits the node, as kube-scheduler's NodeResourcesFit filter and
//! kubelet's admission decide it: `pkg/scheduler/framework/plugins/noderesources/fit.go`
//! (`fitsRequest`, read at commit 007f7ae7 and unchanged in substance since; its test table
//! `TestEnoughRequests`, memory rows, is ported below) reports
//! "Insufficient memory" when `allocatable < podRequest + requested`, `requested` being the
//! requests of the pods already on the node. The scheduler then leaves the pod Pending
//! (`FailedScheduling`); kubelet runs the same `Fits` on a pod bound to it
//! (`pkg/kubelet/lifecycle/predicate.go`, generalFilter) and rejects it with reason `OutOfmemory`.
//!
//! The pod request is `computePodResourceRequest`: the containers' aggregate (init containers as
//! a maximum, as [`crate::kubelet::resources`] aggregates) plus `spec.overhead`, the overhead
//! counted even when the aggregate is 0 (unlike the request eviction ranks by).

use crate::base::derivation::Derivation;
use crate::kubelet::resources::PodRequestWhy;

const SRC: &str = "kubernetes/kubernetes pkg/scheduler/framework/plugins/noderesources/fit.go (fitsRequest); pkg/kubelet/lifecycle/predicate.go (admission)";

/// The memory request the scheduler and kubelet admission count for a pod.
pub fn scheduling_request(why: &PodRequestWhy) -> i64 {
    why.base_bytes.saturating_add(why.overhead_bytes)
}

/// Whether a pod requesting `request` bytes fits a node with `allocatable` bytes of which the
/// pods already on it request `requested` (`fitsRequest`'s memory clause).
pub fn fits(request: i64, requested: i64, allocatable: i64) -> bool {
    request.saturating_add(requested) <= allocatable
}

/// Why a pod that does not fit has no eviction rank: its request against what allocatable leaves.
pub fn derivation(fit: &Fit) -> Derivation {
    let Fit {
        request,
        requested,
        allocatable,
        ..
    } = *fit;
    Derivation::new(
        "eviction_rank",
        "resource_fit.pending",
        "allocatable < podRequest + requested (pods before it) → Insufficient memory: Pending, never running",
        format!(
            "{allocatable} < {request} + {requested} = {}",
            request.saturating_add(requested)
        ),
        SRC,
    )
}

/// The node as pods are admitted to it in order: each that fits is placed and its request
/// counted for the next; one that does not stays out (Pending).
#[derive(Debug, Clone, Copy)]
pub struct Admission {
    allocatable: i64,
    requested: i64,
}

/// One pod's admission: whether it fits, and the numbers compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    /// Its request fits what allocatable leaves.
    pub fits: bool,
    /// Its scheduling request.
    pub request: i64,
    /// What the pods admitted before it request.
    pub requested: i64,
    /// The node's allocatable memory.
    pub allocatable: i64,
}

impl Admission {
    /// An empty node of `allocatable` bytes.
    pub fn new(allocatable: i64) -> Admission {
        Admission {
            allocatable,
            requested: 0,
        }
    }

    /// Admits the next pod, requesting `request` bytes.
    pub fn admit(&mut self, request: i64) -> Fit {
        let fit = Fit {
            fits: fits(request, self.requested, self.allocatable),
            request,
            requested: self.requested,
            allocatable: self.allocatable,
        };
        if fit.fits {
            self.requested = self.requested.saturating_add(request);
        }
        fit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_fits_while_allocatable_minus_requested_holds_it() {
        // fit.go: `allocatable.Memory < podRequest.Memory + requested.Memory` is insufficient.
        assert!(fits(100, 900, 1000));
        assert!(!fits(101, 900, 1000));
        assert!(fits(0, 1000, 1000));
        assert!(!fits(i64::MAX, 1, 1000));
    }

    /// The memory rows of `TestEnoughRequests` (kubernetes/kubernetes
    /// `pkg/scheduler/framework/plugins/noderesources/fit_test.go` at commit 24fbb13e): a node of
    /// allocatable memory 20 holding one pod that requests `used`; the new pod requests
    /// `request`, its `PodRequests` (the larger of its containers' sum and its largest init
    /// container, which `resources` computes and tests).
    #[test]
    fn upstream_enough_requests_memory_rows() {
        const ROWS: [(&str, i64, i64, bool); 10] = [
            ("no resources requested always fits", 0, 20, true),
            ("too many resources fails", 1, 20, false),
            (
                "too many resources fails due to init container memory",
                3,
                19,
                false,
            ),
            (
                "too many resources fails due to highest init container memory",
                3,
                19,
                false,
            ),
            (
                "init container fits because it's the max, not sum",
                1,
                19,
                true,
            ),
            (
                "multiple init containers fit because it's the max, not sum",
                1,
                19,
                true,
            ),
            ("both resources fit", 1, 5, true),
            ("one resource cpu fits (memory does not)", 2, 19, false),
            ("equal edge case", 1, 19, true),
            ("equal edge case for init container", 1, 19, true),
        ];
        for (name, request, used, want) in ROWS {
            let mut node = Admission::new(20);
            assert!(node.admit(used).fits, "{name}: the existing pod");
            assert_eq!(node.admit(request).fits, want, "{name}");
        }
    }

    #[test]
    fn a_pod_that_does_not_fit_leaves_room_for_the_next() {
        let mut node = Admission::new(1000);
        let fits: Vec<bool> = [600, 500, 400, 1].map(|r| node.admit(r).fits).to_vec();
        assert_eq!(fits, vec![true, false, true, false]);
        assert_eq!(
            Admission::new(1000).admit(1001),
            Fit {
                fits: false,
                request: 1001,
                requested: 0,
                allocatable: 1000
            }
        );
    }
}
