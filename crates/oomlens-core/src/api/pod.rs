//! The narrow v1 Pod model oomlens needs, and the reader for pod objects in YAML/JSON
//! (`kubectl get pod -o yaml`, a v1 `List`, workload templates). Field names follow
//! `k8s.io/api/core/v1/types.go`; defaulting follows `pkg/apis/core/v1/defaults.go` (SetDefaults_Pod:
//! requests default from limits).

use crate::base::quantity::Quantity;
use serde::Serialize;
use std::collections::BTreeMap;

/// `requests` or `limits`: only the keys the memory model uses are typed; others are kept by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ResourceList {
    /// `cpu`.
    pub cpu: Option<Quantity>,
    /// `memory`.
    pub memory: Option<Quantity>,
    /// Every other key (ephemeral-storage, hugepages-*, extended resources), as given.
    pub other: BTreeMap<String, Quantity>,
}

impl ResourceList {
    /// True when no key is present at all (an empty map).
    pub fn is_empty(&self) -> bool {
        self.cpu.is_none() && self.memory.is_none() && self.other.is_empty()
    }
}

/// `resources` of a container or of the pod (`spec.resources`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ResourceRequirements {
    /// `requests`.
    pub requests: ResourceList,
    /// `limits`.
    pub limits: ResourceList,
}

/// Which list a container came from, and whether it is a sidecar (restartable init container).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ContainerKind {
    /// `spec.containers[]`.
    #[default]
    Container,
    /// `spec.initContainers[]` without `restartPolicy: Always`.
    Init,
    /// `spec.initContainers[]` with `restartPolicy: Always` (KEP-753 sidecar).
    Sidecar,
}

/// One container of a pod.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Container {
    /// `name`.
    pub name: String,
    /// Where it sits in the spec.
    pub kind: ContainerKind,
    /// `resources` as written (before defaulting).
    pub resources: ResourceRequirements,
}

/// One pod, with what the memory model needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Pod {
    /// `metadata.namespace` (`default` when absent).
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.uid`, if given.
    pub uid: Option<String>,
    /// `spec.priority` (nil → None; kubelet treats None as 0).
    pub priority: Option<i32>,
    /// `spec.priorityClassName`.
    pub priority_class_name: Option<String>,
    /// Static pod (`kubernetes.io/config.source` annotation ≠ `api`).
    pub is_static: bool,
    /// Mirror pod (`kubernetes.io/config.mirror` annotation present).
    pub is_mirror: bool,
    /// `spec.initContainers` (regular and sidecars, in order).
    pub init_containers: Vec<Container>,
    /// `spec.containers`.
    pub containers: Vec<Container>,
    /// `spec.resources` (pod-level resources), if the field is present.
    pub resources: Option<ResourceRequirements>,
    /// `spec.overhead`.
    pub overhead: ResourceList,
    /// `status.qosClass`, if present (GetPodQOS prefers it).
    pub status_qos_class: Option<String>,
    /// `spec.terminationGracePeriodSeconds`.
    pub termination_grace_period_seconds: Option<i64>,
}

impl Pod {
    /// `namespace/name`, the key used in eviction order and usage maps.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// Init containers then containers, in spec order.
    pub fn all_containers(&self) -> impl Iterator<Item = &Container> {
        self.init_containers.iter().chain(self.containers.iter())
    }

    /// `spec.priority` with nil read as 0, as kubelet's eviction ranking does.
    pub fn priority_or_zero(&self) -> i32 {
        self.priority.unwrap_or(0)
    }

    /// Sidecars (restartable init containers), in spec order.
    pub fn sidecars(&self) -> impl Iterator<Item = &Container> {
        self.init_containers
            .iter()
            .filter(|c| c.kind == ContainerKind::Sidecar)
    }
}

impl Container {
    /// A container of `kind` with memory request/limit (either may be absent), for tests and forms.
    pub fn with_memory(
        name: &str,
        kind: ContainerKind,
        request: Option<Quantity>,
        limit: Option<Quantity>,
    ) -> Container {
        let mut resources = ResourceRequirements::default();
        resources.requests.memory = request;
        resources.limits.memory = limit;
        Container {
            name: name.to_string(),
            kind,
            resources,
        }
    }

    /// True for a restartable init container (KEP-753 sidecar).
    pub fn is_sidecar(&self) -> bool {
        self.kind == ContainerKind::Sidecar
    }
}

impl ResourceList {
    /// The value of `name` (`cpu`, `memory` or another key), if present.
    pub fn get(&self, name: &str) -> Option<&Quantity> {
        match name {
            "cpu" => self.cpu.as_ref(),
            "memory" => self.memory.as_ref(),
            other => self.other.get(other),
        }
    }

    /// Sets `name` to `q`.
    pub fn set(&mut self, name: &str, q: Quantity) {
        match name {
            "cpu" => self.cpu = Some(q),
            "memory" => self.memory = Some(q),
            other => {
                self.other.insert(other.to_string(), q);
            }
        }
    }

    /// Every key present with its value (`cpu`, `memory`, then the others by name).
    pub fn entries(&self) -> Vec<(String, Quantity)> {
        let mut out = Vec::new();
        if let Some(q) = self.cpu {
            out.push(("cpu".to_string(), q));
        }
        if let Some(q) = self.memory {
            out.push(("memory".to_string(), q));
        }
        for (k, q) in &self.other {
            out.push((k.clone(), *q));
        }
        out
    }
}
