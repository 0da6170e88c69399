//! The ids of an evaluation, written once into one buffer: each pod's sandbox
//! (`ns/pod (sandbox)`, whose first bytes are the pod's key `ns/pod`), each container
//! (`ns/pod/container`, every container in `all_containers()` order), then the sandboxes' entry
//! of the node's kill order, the system processes, `kubepods` and `node`. Reports hold cheap
//! [`Name`]s of it; kill orders and the simulation refer to ids by index.

use crate::api::pod::Pod;
use crate::base::name::{Name, NameBuf, Names};
use crate::kernel::kill_order::ProcIds;
use crate::scenario::Scenario;
use crate::simulate;
use std::ops::Range;

/// Appended to a pod's key for its sandbox's id.
const SANDBOX_SUFFIX: &str = " (sandbox)";

/// The id table and where each pod's ids are.
pub(super) struct Ids {
    pub names: Names,
    /// Byte range of each id, in id order.
    pub spans: Vec<(u32, u32)>,
    /// Per pod, the number of containers before it (and the total at the end).
    offsets: Vec<usize>,
    /// Id of the sandboxes' entry (`N pod sandboxes (pause, −998 each; they tie)`).
    pub sandboxes: u32,
    /// Id of the node's system processes.
    pub system: u32,
    kubepods: Range<usize>,
    node: Range<usize>,
}

fn span(r: Range<usize>) -> (u32, u32) {
    (
        u32::try_from(r.start).unwrap_or(u32::MAX),
        u32::try_from(r.end).unwrap_or(u32::MAX),
    )
}

impl Ids {
    /// The ids of `scenario`'s pods and containers.
    pub fn new(scenario: &Scenario) -> Ids {
        let n_pods = scenario.pods.len();
        let mut n_containers = 0usize;
        let mut bytes = 0usize;
        for p in &scenario.pods {
            let key = p.namespace.len() + 1 + p.name.len();
            n_containers += p.init_containers.len() + p.containers.len();
            bytes += key + SANDBOX_SUFFIX.len();
            for c in p.all_containers() {
                bytes += key + 1 + c.name.len();
            }
        }
        let sandboxes_label = format!("{n_pods} pod sandboxes (pause, −998 each; they tie)");
        let mut buf = NameBuf::with_capacity(
            bytes + sandboxes_label.len() + simulate::SYSTEM_ID.len() + "kubepodsnode".len(),
        );
        let mut spans = Vec::with_capacity(n_pods + n_containers + 2);
        let mut offsets = Vec::with_capacity(n_pods + 1);
        let mut n = 0usize;
        for p in &scenario.pods {
            offsets.push(n);
            let sandbox = buf.push(&[&p.namespace, "/", &p.name, SANDBOX_SUFFIX]);
            let key = sandbox.start..sandbox.start + p.namespace.len() + 1 + p.name.len();
            spans.push(span(sandbox));
            for c in p.all_containers() {
                spans.push(span(buf.push_after(key.clone(), &["/", &c.name])));
                n += 1;
            }
        }
        offsets.push(n);
        let sandboxes = u32::try_from(spans.len()).unwrap_or(u32::MAX);
        spans.push(span(buf.push(&[&sandboxes_label])));
        let system = sandboxes.saturating_add(1);
        spans.push(span(buf.push(&[simulate::SYSTEM_ID])));
        let kubepods = buf.push(&["kubepods"]);
        let node = buf.push(&["node"]);
        Ids {
            names: buf.finish(),
            spans,
            offsets,
            sandboxes,
            system,
            kubepods,
            node,
        }
    }

    /// Byte range of id `i`.
    pub fn range(&self, i: usize) -> Range<usize> {
        self.spans
            .get(i)
            .map_or(0..0, |&(a, b)| a as usize..b as usize)
    }

    /// Index of pod `pi`'s sandbox.
    pub fn sandbox(&self, pi: usize) -> usize {
        self.offsets.get(pi).map_or(0, |o| o + pi)
    }

    /// Index of container `ci` (in `all_containers()` order) of pod `pi`.
    pub fn container(&self, pi: usize, ci: usize) -> usize {
        self.sandbox(pi) + 1 + ci
    }

    /// Pod `pi`'s containers in the evaluation's flat container list.
    pub fn containers_of(&self, pi: usize) -> Range<usize> {
        let start = self.offsets.get(pi).copied().unwrap_or(0);
        start..self.offsets.get(pi + 1).copied().unwrap_or(start)
    }

    /// Byte range of pod `pi`'s key `ns/pod` (the start of its sandbox id).
    pub fn key_range(&self, pi: usize, key_len: usize) -> Range<usize> {
        let r = self.range(self.sandbox(pi));
        r.start..(r.start + key_len).min(r.end)
    }

    /// Pod `pi`'s key `ns/pod`.
    pub fn key(&self, pi: usize, pod: &Pod) -> &str {
        self.names
            .str(self.key_range(pi, pod.namespace.len() + 1 + pod.name.len()))
    }

    /// Name of a byte range.
    pub fn name(&self, r: Range<usize>) -> Name {
        self.names.get(r)
    }

    /// `kubepods`.
    pub fn kubepods(&self) -> Name {
        self.names.get(self.kubepods.clone())
    }

    /// `node`.
    pub fn node(&self) -> Name {
        self.names.get(self.node.clone())
    }

    /// The id table kill orders and the simulation use (the last use of the ids).
    pub fn into_proc_ids(self) -> ProcIds {
        ProcIds::new(self.names, self.spans)
    }
}
