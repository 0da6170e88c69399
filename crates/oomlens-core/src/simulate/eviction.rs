//! kubelet's choice at an eviction sync in the simulation: whether a pod can still be evicted
//! and which one goes first (`crate::kubelet::eviction::first_to_evict`).

use super::*;

/// Whether some running pod may still be evicted.
pub(super) fn has_evictable(st: &State) -> bool {
    st.m.pods
        .iter()
        .zip(&st.phase)
        .any(|(pod, ph)| *ph == PodPhase::Running && !pod.critical)
}

/// The pod kubelet would evict now: `rankMemoryPressure` over the running pods
/// ([`crate::kubelet::eviction::first_to_evict`]), the first that is not critical. Returns the pod
/// index and the ids of the pods tied with it on all three keys (Go's unstable sort decides among
/// them; oomlens takes the first in scenario order).
pub(super) fn rank_for_eviction(st: &State) -> Option<(usize, Vec<String>)> {
    use crate::kubelet::eviction::{first_to_evict, RankInput};
    let m = st.m;
    let running: Vec<usize> = (0..m.pods.len())
        .filter(|&p| st.phase.get(p) == Some(&PodPhase::Running))
        .collect();
    let inputs: Vec<RankInput> = running
        .iter()
        .filter_map(|&p| {
            let pod = m.pods.get(p)?;
            Some(RankInput {
                key: String::new(),
                priority: pod.priority,
                request_bytes: pod.request_bytes,
                usage_bytes: Some(bytes(st.pod_mb(p))),
                critical: pod.critical,
            })
        })
        .collect();
    let (first, tied) = first_to_evict(&inputs)?;
    let tied = tied
        .iter()
        .filter_map(|i| running.get(*i))
        .map(|&p| st.pod_id(p))
        .collect();
    Some((*running.get(first)?, tied))
}
