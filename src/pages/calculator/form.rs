//! The calculator's form: the raw text of every field exactly as the user typed it, and the two
//! conversions between it and a [`Scenario`]. Nothing typed is ever lost: an invalid field is
//! reported (by field id, with a catalogue key) and the scenario is simply not rebuilt until it is
//! fixed. Only input *syntax* is checked here (quantity grammar, numbers, durations); every kubelet
//! rule stays in `oomlens-core`.

use oomlens_core::api::pod::{Container, ContainerKind, Pod, ResourceList, ResourceRequirements};
use oomlens_core::base::go_duration::parse_go_duration;
use oomlens_core::base::quantity::Quantity;
use oomlens_core::scenario::{KubeletConfig, NodeSpec, Scenario};
use std::collections::BTreeMap;

/// The eviction signal the form edits.
pub const MEMORY_AVAILABLE: &str = "memory.available";
/// The allocatable eviction signal.
pub const ALLOCATABLE_AVAILABLE: &str = "allocatableMemory.available";

/// Feature gates that change the model's results, offered in the node form.
pub const GATES: &[&str] = &[
    "PodLevelResources",
    "MemoryQoS",
    "KubeletOOMScoreAdjTieBreak",
];

/// Cloud presets offered in the node form (values of `node.preset`).
pub const PRESETS: &[&str] = &["gke", "eks", "aks", "aks-1.29", "kubeadm", "kind", "k3s"];

/// The largest replica count a row may expand to.
pub const MAX_REPLICAS: u32 = 500;

/// A field's validation error: a catalogue key and the offending detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// i18n key of the message, e.g. `err.quantity`.
    pub key: &'static str,
    /// What was wrong, as the parser said it (may be empty).
    pub detail: String,
}

/// Errors by field id (`node.memory`, `pod.3.priority`, `ctr.3.7.mem_lim`).
pub type FieldErrors = BTreeMap<String, FieldError>;

/// The node part of the form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NodeForm {
    /// Capacity.
    pub memory: String,
    /// Swap.
    pub swap: String,
    /// Working set outside the pods (`systemUsage`).
    pub system_usage: String,
    /// Cloud preset ("" = none).
    pub preset: String,
    /// maxPods.
    pub max_pods: String,
    /// "1" or "2".
    pub cgroup_version: String,
    /// Kernel version ("" = newest modelled).
    pub kernel_version: String,
    /// Kubelet version ("" = newest modelled).
    pub kubelet_version: String,
    /// Feature gate overrides: "" (version default), "true", "false".
    pub gates: BTreeMap<String, String>,
    /// kubeReserved.memory.
    pub kube_reserved: String,
    /// systemReserved.memory.
    pub system_reserved: String,
    /// evictionHard memory.available ("" with `hard_allocatable` "" = kubelet defaults).
    pub hard_memory: String,
    /// evictionHard allocatableMemory.available.
    pub hard_allocatable: String,
    /// evictionSoft memory.available.
    pub soft_memory: String,
    /// evictionSoftGracePeriod memory.available.
    pub soft_grace: String,
    /// evictionMinimumReclaim memory.available.
    pub min_reclaim: String,
    /// enforceNodeAllocatable contains `pods`.
    pub enforce_pods: bool,
    /// … `system-reserved`.
    pub enforce_system: bool,
    /// … `kube-reserved`.
    pub enforce_kube: bool,
    /// memoryThrottlingFactor ("" = version default).
    pub throttling: String,
    /// singleProcessOOMKill: "", "true", "false".
    pub single_process: String,
}

/// One container row.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerForm {
    /// Stable row id (for keyed rendering and field ids).
    pub id: u32,
    /// The container as imported (fields the form does not edit are kept).
    pub base: Container,
    /// Name.
    pub name: String,
    /// container / init / sidecar.
    pub kind: ContainerKind,
    /// requests.memory.
    pub mem_req: String,
    /// limits.memory.
    pub mem_lim: String,
    /// requests.cpu.
    pub cpu_req: String,
    /// limits.cpu.
    pub cpu_lim: String,
    /// Observed working set.
    pub usage: String,
    /// Usage growth per second.
    pub growth: String,
}

/// One pod row (a template when `replicas` > 1).
#[derive(Debug, Clone, PartialEq)]
pub struct PodForm {
    /// Stable row id.
    pub id: u32,
    /// The pod as imported (pod-level resources, overhead, annotations… are kept).
    pub base: Pod,
    /// Namespace.
    pub namespace: String,
    /// Name (replicas get `-0`, `-1`, … appended).
    pub name: String,
    /// spec.priority ("" = nil).
    pub priority: String,
    /// spec.priorityClassName.
    pub priority_class: String,
    /// How many copies of this pod the node runs.
    pub replicas: String,
    /// Pod-level observed usage (`ns/pod` key).
    pub usage: String,
    /// Pod-level growth per second (`ns/pod` key).
    pub growth: String,
    /// Containers (init containers and sidecars first).
    pub containers: Vec<ContainerForm>,
}

/// The whole form.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The scenario the form was loaded from (fields the form does not edit come from here).
    pub base: Scenario,
    /// Node fields.
    pub node: NodeForm,
    /// Pod rows.
    pub pods: Vec<PodForm>,
    /// Usage entries that match no row (kept verbatim).
    pub usage_extra: BTreeMap<String, Quantity>,
    /// Growth entries that match no row (kept verbatim).
    pub growth_extra: BTreeMap<String, Quantity>,
    /// Next row id.
    pub next_id: u32,
}

fn q_text(q: Option<&Quantity>) -> String {
    q.map(|q| q.to_string()).unwrap_or_default()
}

fn map_get(m: &BTreeMap<String, String>, k: &str) -> String {
    m.get(k).cloned().unwrap_or_default()
}

impl Form {
    /// Loads a scenario into the form (one row per pod).
    pub fn from_scenario(s: &Scenario) -> Form {
        let kc = &s.node.kubelet_config;
        let hard = kc.eviction_hard.clone().unwrap_or_default();
        let enforce = kc
            .enforce_node_allocatable
            .clone()
            .unwrap_or_else(|| vec!["pods".to_string()]);
        let mut gates = oomlens_core::base::sort::string_map(
            GATES
                .iter()
                .map(|g| (g.to_string(), String::new()))
                .collect(),
        );
        for (g, v) in &s.feature_gates {
            gates.insert(g.clone(), v.to_string());
        }
        let node = NodeForm {
            memory: s.node.memory.to_string(),
            swap: q_text(s.node.swap.as_ref()),
            system_usage: q_text(s.node.system_usage.as_ref()),
            preset: s.node.preset.clone().unwrap_or_default(),
            max_pods: s.node.max_pods.map(|m| m.to_string()).unwrap_or_default(),
            cgroup_version: s
                .node
                .cgroup_version
                .map(|v| v.to_string())
                .unwrap_or_default(),
            kernel_version: s.node.kernel_version.clone().unwrap_or_default(),
            kubelet_version: s.kubelet_version.clone().unwrap_or_default(),
            gates,
            kube_reserved: map_get(&kc.kube_reserved, "memory"),
            system_reserved: map_get(&kc.system_reserved, "memory"),
            hard_memory: map_get(&hard, MEMORY_AVAILABLE),
            hard_allocatable: map_get(&hard, ALLOCATABLE_AVAILABLE),
            soft_memory: map_get(&kc.eviction_soft, MEMORY_AVAILABLE),
            soft_grace: map_get(&kc.eviction_soft_grace_period, MEMORY_AVAILABLE),
            min_reclaim: map_get(&kc.eviction_minimum_reclaim, MEMORY_AVAILABLE),
            enforce_pods: enforce.iter().any(|e| e == "pods"),
            enforce_system: enforce.iter().any(|e| e == "system-reserved"),
            enforce_kube: enforce.iter().any(|e| e == "kube-reserved"),
            throttling: kc
                .memory_throttling_factor
                .map(|f| f.to_string())
                .unwrap_or_default(),
            single_process: kc
                .single_process_oom_kill
                .map(|b| b.to_string())
                .unwrap_or_default(),
        };
        let mut usage_extra = s.usage.clone();
        let mut growth_extra = s.growth.clone();
        let mut next_id = 1;
        let mut pods = Vec::with_capacity(s.pods.len());
        for p in &s.pods {
            let key = p.key();
            let pod_id = next_id;
            next_id += 1;
            let mut containers = Vec::new();
            for c in p.all_containers() {
                let ckey = format!("{key}/{}", c.name);
                containers.push(ContainerForm {
                    id: next_id,
                    base: c.clone(),
                    name: c.name.clone(),
                    kind: c.kind,
                    mem_req: q_text(c.resources.requests.memory.as_ref()),
                    mem_lim: q_text(c.resources.limits.memory.as_ref()),
                    cpu_req: q_text(c.resources.requests.cpu.as_ref()),
                    cpu_lim: q_text(c.resources.limits.cpu.as_ref()),
                    usage: q_text(usage_extra.remove(&ckey).as_ref()),
                    growth: q_text(growth_extra.remove(&ckey).as_ref()),
                });
                next_id += 1;
            }
            pods.push(PodForm {
                id: pod_id,
                base: p.clone(),
                namespace: p.namespace.clone(),
                name: p.name.clone(),
                priority: p.priority.map(|v| v.to_string()).unwrap_or_default(),
                priority_class: p.priority_class_name.clone().unwrap_or_default(),
                replicas: "1".into(),
                usage: q_text(usage_extra.remove(&key).as_ref()),
                growth: q_text(growth_extra.remove(&key).as_ref()),
                containers,
            });
        }
        Form {
            base: s.clone(),
            node,
            pods,
            usage_extra,
            growth_extra,
            next_id,
        }
    }

    /// Takes a fresh row id.
    pub fn take_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.saturating_add(1);
        id
    }

    /// The row of pod `id`.
    pub fn pod_mut(&mut self, id: u32) -> Option<&mut PodForm> {
        self.pods.iter_mut().find(|p| p.id == id)
    }

    /// The row of pod `id`.
    pub fn pod(&self, id: u32) -> Option<&PodForm> {
        self.pods.iter().find(|p| p.id == id)
    }

    /// A new pod row with one container, named so it does not clash.
    pub fn add_pod(&mut self) -> u32 {
        let mut n = self.pods.len() + 1;
        while self.pods.iter().any(|p| p.name == format!("pod-{n}")) {
            n += 1;
        }
        let id = self.take_id();
        let cid = self.take_id();
        let name = format!("pod-{n}");
        let base = Pod {
            namespace: "default".into(),
            name: name.clone(),
            uid: None,
            priority: None,
            priority_class_name: None,
            is_static: false,
            is_mirror: false,
            init_containers: vec![],
            containers: vec![],
            resources: None,
            overhead: ResourceList::default(),
            status_qos_class: None,
            termination_grace_period_seconds: None,
        };
        self.pods.push(PodForm {
            id,
            base,
            namespace: "default".into(),
            name,
            priority: String::new(),
            priority_class: String::new(),
            replicas: "1".into(),
            usage: String::new(),
            growth: String::new(),
            containers: vec![new_container(cid, "app", ContainerKind::Container)],
        });
        id
    }

    /// Copies pod row `id` (with fresh ids and a `-copy` name) right after it.
    pub fn duplicate_pod(&mut self, id: u32) -> Option<u32> {
        let idx = self.pods.iter().position(|p| p.id == id)?;
        let mut copy = self.pods.get(idx)?.clone();
        copy.id = self.take_id();
        for c in &mut copy.containers {
            c.id = self.take_id();
        }
        let mut name = format!("{}-copy", copy.name);
        let mut n = 2;
        while self
            .pods
            .iter()
            .any(|p| p.name == name && p.namespace == copy.namespace)
        {
            name = format!("{}-copy{n}", copy.name);
            n += 1;
        }
        copy.name = name;
        let new_id = copy.id;
        self.pods.insert(idx + 1, copy);
        Some(new_id)
    }

    /// Removes pod row `id`.
    pub fn remove_pod(&mut self, id: u32) {
        self.pods.retain(|p| p.id != id);
    }

    /// Adds a container of `kind` to pod row `pod`.
    pub fn add_container(&mut self, pod: u32, kind: ContainerKind) {
        let cid = self.take_id();
        if let Some(p) = self.pod_mut(pod) {
            let mut n = p.containers.len() + 1;
            while p.containers.iter().any(|c| c.name == format!("c{n}")) {
                n += 1;
            }
            p.containers
                .push(new_container(cid, &format!("c{n}"), kind));
        }
    }

    /// Copies container `cid` of pod `pod`.
    pub fn duplicate_container(&mut self, pod: u32, cid: u32) {
        let new_id = self.take_id();
        if let Some(p) = self.pod_mut(pod) {
            if let Some(i) = p.containers.iter().position(|c| c.id == cid) {
                if let Some(mut c) = p.containers.get(i).cloned() {
                    c.id = new_id;
                    c.name = format!("{}-copy", c.name);
                    p.containers.insert(i + 1, c);
                }
            }
        }
    }

    /// Removes container `cid` of pod `pod`.
    pub fn remove_container(&mut self, pod: u32, cid: u32) {
        if let Some(p) = self.pod_mut(pod) {
            p.containers.retain(|c| c.id != cid);
        }
    }

    /// Lets the preset decide scenario field `field` (a [`PresetOverride::field`] such as
    /// `node.kubeletConfig.kubeReserved.memory`): clears the form field that set it and the
    /// imported value behind it.
    ///
    /// [`PresetOverride::field`]: oomlens_core::kubelet::presets::PresetOverride
    pub fn use_preset_for(&mut self, field: &str) {
        let kc = &mut self.base.node.kubelet_config;
        match field.strip_prefix("node.kubeletConfig.") {
            Some("kubeReserved.memory") => {
                self.node.kube_reserved.clear();
                kc.kube_reserved.remove("memory");
            }
            Some("systemReserved.memory") => {
                self.node.system_reserved.clear();
                kc.system_reserved.remove("memory");
            }
            Some("evictionHard") => {
                self.node.hard_memory.clear();
                self.node.hard_allocatable.clear();
                kc.eviction_hard = None;
            }
            Some(f) => {
                if let Some(signal) = f.strip_prefix("evictionMinimumReclaim.") {
                    if signal == MEMORY_AVAILABLE {
                        self.node.min_reclaim.clear();
                    }
                    kc.eviction_minimum_reclaim.remove(signal);
                }
            }
            None => {}
        }
    }

    /// Appends pods (e.g. from the paste box) as new rows. A pod whose `namespace/name` is
    /// already taken (by a row, or by an earlier pod of the same paste) is renamed `name-2`,
    /// `name-3`, …: the returned list names each rename as (`ns/old`, `ns/new`), so the page can
    /// say so instead of leaving two rows that make the whole scenario invalid.
    pub fn append_pods(&mut self, pods: &[Pod]) -> Vec<(String, String)> {
        let tmp = Scenario {
            pods: pods.to_vec(),
            usage: BTreeMap::new(),
            growth: BTreeMap::new(),
            ..self.base.clone()
        };
        let loaded = Form::from_scenario(&tmp);
        let key = |ns: &str, name: &str| {
            let ns = if ns.trim().is_empty() {
                "default"
            } else {
                ns.trim()
            };
            format!("{ns}/{}", name.trim())
        };
        let mut taken: std::collections::BTreeSet<String> = self
            .pods
            .iter()
            .map(|p| key(&p.namespace, &p.name))
            .collect();
        let mut renamed = Vec::new();
        for mut p in loaded.pods {
            p.id = self.take_id();
            for c in &mut p.containers {
                c.id = self.take_id();
            }
            let old = key(&p.namespace, &p.name);
            if taken.contains(&old) {
                let mut n = 2;
                while taken.contains(&key(&p.namespace, &format!("{}-{n}", p.name.trim()))) {
                    n += 1;
                }
                p.name = format!("{}-{n}", p.name.trim());
                renamed.push((old, key(&p.namespace, &p.name)));
            }
            taken.insert(key(&p.namespace, &p.name));
            self.pods.push(p);
        }
        renamed
    }

    /// Builds the scenario, or the errors of every invalid field.
    pub fn to_scenario(&self) -> Result<Scenario, FieldErrors> {
        let mut errs = FieldErrors::new();
        let node = self.node_spec(&mut errs);
        let (kubelet_version, feature_gates) = (opt_text(&self.node.kubelet_version), self.gates());
        let mut pods = Vec::new();
        let mut usage = self.usage_extra.clone();
        let mut growth = self.growth_extra.clone();
        let mut seen = std::collections::BTreeSet::new();
        for p in &self.pods {
            let pid = p.id;
            let replicas = match p.replicas.trim() {
                "" => 1,
                t => match t.parse::<u32>() {
                    Ok(n) if (1..=MAX_REPLICAS).contains(&n) => n,
                    _ => {
                        errs.insert(
                            format!("pod.{pid}.replicas"),
                            FieldError {
                                key: "err.replicas",
                                detail: t.into(),
                            },
                        );
                        1
                    }
                },
            };
            let priority = match p.priority.trim() {
                "" => None,
                t => match t.parse::<i32>() {
                    Ok(v) => Some(v),
                    Err(_) => {
                        errs.insert(
                            format!("pod.{pid}.priority"),
                            FieldError {
                                key: "err.integer",
                                detail: t.into(),
                            },
                        );
                        None
                    }
                },
            };
            if p.name.trim().is_empty() {
                errs.insert(
                    format!("pod.{pid}.name"),
                    FieldError {
                        key: "err.name",
                        detail: String::new(),
                    },
                );
            }
            let pod_usage = opt_quantity_at(&p.usage, || format!("pod.{pid}.usage"), &mut errs);
            let pod_growth = opt_quantity_at(&p.growth, || format!("pod.{pid}.growth"), &mut errs);
            let mut init = Vec::new();
            let mut main = Vec::new();
            let mut cusage = Vec::new();
            for c in &p.containers {
                let f = |field: &str| format!("ctr.{pid}.{}.{field}", c.id);
                if c.name.trim().is_empty() {
                    errs.insert(
                        f("name"),
                        FieldError {
                            key: "err.name",
                            detail: String::new(),
                        },
                    );
                }
                let mut resources = c.base.resources.clone();
                resources.requests.memory = opt_quantity_at(&c.mem_req, || f("mem_req"), &mut errs);
                resources.limits.memory = opt_quantity_at(&c.mem_lim, || f("mem_lim"), &mut errs);
                resources.requests.cpu = opt_quantity_at(&c.cpu_req, || f("cpu_req"), &mut errs);
                resources.limits.cpu = opt_quantity_at(&c.cpu_lim, || f("cpu_lim"), &mut errs);
                let u = opt_quantity_at(&c.usage, || f("usage"), &mut errs);
                let g = opt_quantity_at(&c.growth, || f("growth"), &mut errs);
                cusage.push((c.name.trim().to_string(), u, g));
                let container = Container {
                    name: c.name.trim().to_string(),
                    kind: c.kind,
                    resources,
                };
                match c.kind {
                    ContainerKind::Container => main.push(container),
                    _ => init.push(container),
                }
            }
            for r in 0..replicas {
                let name = if replicas > 1 {
                    format!("{}-{r}", p.name.trim())
                } else {
                    p.name.trim().to_string()
                };
                let mut pod = p.base.clone();
                pod.namespace = if p.namespace.trim().is_empty() {
                    "default".into()
                } else {
                    p.namespace.trim().into()
                };
                pod.name = name;
                pod.priority = priority;
                pod.priority_class_name = opt_text(&p.priority_class);
                pod.init_containers = init.clone();
                pod.containers = main.clone();
                let key = pod.key();
                if !seen.insert(key.clone()) {
                    errs.insert(
                        format!("pod.{pid}.name"),
                        FieldError {
                            key: "err.duplicate",
                            detail: key.clone(),
                        },
                    );
                }
                if let Some(u) = pod_usage {
                    usage.insert(key.clone(), u);
                }
                if let Some(g) = pod_growth {
                    growth.insert(key.clone(), g);
                }
                for (cname, u, g) in &cusage {
                    if let Some(u) = u {
                        usage.insert(format!("{key}/{cname}"), *u);
                    }
                    if let Some(g) = g {
                        growth.insert(format!("{key}/{cname}"), *g);
                    }
                }
                pods.push(pod);
            }
        }
        match node {
            Some(node) if errs.is_empty() => Ok(Scenario {
                kubelet_version,
                feature_gates,
                node,
                pods,
                usage,
                growth,
            }),
            _ => Err(errs),
        }
    }

    fn gates(&self) -> BTreeMap<String, bool> {
        let mut out = self.base.feature_gates.clone();
        for (g, v) in &self.node.gates {
            match v.as_str() {
                "true" => {
                    out.insert(g.clone(), true);
                }
                "false" => {
                    out.insert(g.clone(), false);
                }
                _ => {
                    out.remove(g);
                }
            }
        }
        out
    }

    fn node_spec(&self, errs: &mut FieldErrors) -> Option<NodeSpec> {
        let n = &self.node;
        let base = &self.base.node;
        let memory = match Quantity::parse(&n.memory) {
            Ok(q) if q.value() > 0 => Some(q),
            Ok(_) => {
                errs.insert(
                    "node.memory".into(),
                    FieldError {
                        key: "err.positive",
                        detail: n.memory.clone(),
                    },
                );
                None
            }
            Err(e) => {
                errs.insert(
                    "node.memory".into(),
                    FieldError {
                        key: "err.quantity",
                        detail: e.reason,
                    },
                );
                None
            }
        };
        let swap = opt_quantity(&n.swap, "node.swap", errs);
        let system_usage = opt_quantity(&n.system_usage, "node.system_usage", errs);
        let max_pods = match n.max_pods.trim() {
            "" => None,
            t => match t.parse::<u32>() {
                Ok(v) => Some(v),
                Err(_) => {
                    errs.insert(
                        "node.max_pods".into(),
                        FieldError {
                            key: "err.integer",
                            detail: t.into(),
                        },
                    );
                    None
                }
            },
        };
        let cgroup_version: Option<u8> = match n.cgroup_version.trim() {
            "" => None,
            "1" => Some(1),
            "2" => Some(2),
            t => {
                errs.insert(
                    "node.cgroup_version".into(),
                    FieldError {
                        key: "err.cgroup",
                        detail: t.into(),
                    },
                );
                None
            }
        };
        let mut kc: KubeletConfig = base.kubelet_config.clone();
        set_entry(
            &mut kc.kube_reserved,
            "memory",
            opt_quantity_text(&n.kube_reserved, "node.kube_reserved", errs),
        );
        set_entry(
            &mut kc.system_reserved,
            "memory",
            opt_quantity_text(&n.system_reserved, "node.system_reserved", errs),
        );
        let hard_mem = opt_threshold(&n.hard_memory, "node.hard_memory", errs);
        let hard_alloc = opt_threshold(&n.hard_allocatable, "node.hard_allocatable", errs);
        if hard_mem.is_none() && hard_alloc.is_none() {
            // Both empty: keep other signals of the imported map, or kubelet's defaults when none.
            kc.eviction_hard = base.kubelet_config.eviction_hard.clone().map(|mut m| {
                m.remove(MEMORY_AVAILABLE);
                m.remove(ALLOCATABLE_AVAILABLE);
                m
            });
            if kc.eviction_hard.as_ref().is_some_and(BTreeMap::is_empty) {
                kc.eviction_hard = None;
            }
        } else {
            let mut m = base
                .kubelet_config
                .eviction_hard
                .clone()
                .unwrap_or_default();
            set_entry(&mut m, MEMORY_AVAILABLE, hard_mem);
            set_entry(&mut m, ALLOCATABLE_AVAILABLE, hard_alloc);
            kc.eviction_hard = Some(m);
        }
        set_entry(
            &mut kc.eviction_soft,
            MEMORY_AVAILABLE,
            opt_threshold(&n.soft_memory, "node.soft_memory", errs),
        );
        let grace = match n.soft_grace.trim() {
            "" => None,
            t if parse_go_duration(t).is_ok() => Some(t.to_string()),
            t => {
                errs.insert(
                    "node.soft_grace".into(),
                    FieldError {
                        key: "err.duration",
                        detail: t.into(),
                    },
                );
                None
            }
        };
        set_entry(&mut kc.eviction_soft_grace_period, MEMORY_AVAILABLE, grace);
        set_entry(
            &mut kc.eviction_minimum_reclaim,
            MEMORY_AVAILABLE,
            opt_threshold(&n.min_reclaim, "node.min_reclaim", errs),
        );
        let mut enforce = Vec::new();
        if n.enforce_pods {
            enforce.push("pods".to_string());
        }
        if n.enforce_system {
            enforce.push("system-reserved".to_string());
        }
        if n.enforce_kube {
            enforce.push("kube-reserved".to_string());
        }
        // Keep other keys (e.g. "none") from the imported configuration.
        if let Some(orig) = &base.kubelet_config.enforce_node_allocatable {
            for k in orig {
                if !["pods", "system-reserved", "kube-reserved"].contains(&k.as_str())
                    && !enforce.contains(k)
                {
                    enforce.push(k.clone());
                }
            }
        }
        kc.enforce_node_allocatable =
            if base.kubelet_config.enforce_node_allocatable.is_none() && enforce == ["pods"] {
                None
            } else {
                Some(enforce)
            };
        kc.memory_throttling_factor = match n.throttling.trim() {
            "" => None,
            t => match oomlens_core::base::decimal::parse_f64(t) {
                Some(v) if v.is_finite() => Some(v),
                _ => {
                    errs.insert(
                        "node.throttling".into(),
                        FieldError {
                            key: "err.number",
                            detail: t.into(),
                        },
                    );
                    None
                }
            },
        };
        kc.single_process_oom_kill = match n.single_process.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        };
        Some(NodeSpec {
            memory: memory?,
            swap,
            system_usage,
            preset: opt_text(&n.preset),
            max_pods,
            cgroup_version,
            kernel_version: opt_text(&n.kernel_version),
            kubelet_config: kc,
            ..base.clone()
        })
    }
}

fn new_container(id: u32, name: &str, kind: ContainerKind) -> ContainerForm {
    ContainerForm {
        id,
        base: Container {
            name: name.into(),
            kind,
            resources: ResourceRequirements::default(),
        },
        name: name.into(),
        kind,
        mem_req: "128Mi".into(),
        mem_lim: "256Mi".into(),
        cpu_req: "100m".into(),
        cpu_lim: String::new(),
        usage: String::new(),
        growth: String::new(),
    }
}

fn opt_text(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn set_entry(m: &mut BTreeMap<String, String>, k: &str, v: Option<String>) {
    match v {
        Some(v) => {
            m.insert(k.to_string(), v);
        }
        None => {
            m.remove(k);
        }
    }
}

/// An optional non-negative quantity field.
fn opt_quantity(s: &str, field: &str, errs: &mut FieldErrors) -> Option<Quantity> {
    opt_quantity_at(s, || field.into(), errs)
}

/// [`opt_quantity`] with the field id built only when the field has an error (a 110-pod form has
/// ~1,500 such fields, rebuilt on every keystroke).
fn opt_quantity_at(
    s: &str,
    field: impl FnOnce() -> String,
    errs: &mut FieldErrors,
) -> Option<Quantity> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    match Quantity::parse(t) {
        Ok(q) if q.is_negative() => {
            errs.insert(
                field(),
                FieldError {
                    key: "err.negative",
                    detail: t.into(),
                },
            );
            None
        }
        Ok(q) => Some(q),
        Err(e) => {
            errs.insert(
                field(),
                FieldError {
                    key: "err.quantity",
                    detail: e.reason,
                },
            );
            None
        }
    }
}

fn opt_quantity_text(s: &str, field: &str, errs: &mut FieldErrors) -> Option<String> {
    opt_quantity(s, field, errs).map(|_| s.trim().to_string())
}

/// An optional threshold: a quantity or a percentage (`10%`, `7.5%`) between 0 and 100.
fn opt_threshold(s: &str, field: &str, errs: &mut FieldErrors) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(p) = t.strip_suffix('%') {
        return match oomlens_core::base::decimal::parse_f64(p.trim()) {
            Some(v) if (0.0..=100.0).contains(&v) => Some(t.to_string()),
            _ => {
                errs.insert(
                    field.into(),
                    FieldError {
                        key: "err.percent",
                        detail: t.into(),
                    },
                );
                None
            }
        };
    }
    opt_quantity_text(t, field, errs)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Scenario {
        let mut kc = KubeletConfig::default();
        kc.kube_reserved.insert("memory".into(), "1Gi".into());
        kc.kube_reserved.insert("cpu".into(), "100m".into());
        let c = |name: &str, kind, req: Option<&str>, lim: Option<&str>| Container {
            name: name.into(),
            kind,
            resources: ResourceRequirements {
                requests: ResourceList {
                    memory: req.map(|r| Quantity::parse(r).unwrap()),
                    ..Default::default()
                },
                limits: ResourceList {
                    memory: lim.map(|r| Quantity::parse(r).unwrap()),
                    ..Default::default()
                },
            },
        };
        let pod = Pod {
            namespace: "default".into(),
            name: "web".into(),
            uid: Some("u-1".into()),
            priority: Some(10),
            priority_class_name: None,
            is_static: false,
            is_mirror: false,
            init_containers: vec![c("proxy", ContainerKind::Sidecar, Some("64Mi"), None)],
            containers: vec![c(
                "app",
                ContainerKind::Container,
                Some("500Mi"),
                Some("1Gi"),
            )],
            resources: None,
            overhead: ResourceList::default(),
            status_qos_class: None,
            termination_grace_period_seconds: Some(30),
        };
        let mut usage = BTreeMap::new();
        usage.insert("default/web/app".into(), Quantity::parse("900Mi").unwrap());
        usage.insert("other/ghost".into(), Quantity::parse("1Gi").unwrap());
        Scenario {
            kubelet_version: Some("1.34".into()),
            feature_gates: BTreeMap::from([("SomeOtherGate".to_string(), true)]),
            node: NodeSpec {
                memory: Quantity::parse("16Gi").unwrap(),
                swap: None,
                preset: None,
                max_pods: Some(110),
                cgroup_version: Some(2),
                page_size: None,
                kernel_version: None,
                kubelet_config: kc,
                system_usage: None,
                reported_allocatable: None,
            },
            pods: vec![pod],
            usage,
            growth: BTreeMap::new(),
        }
    }

    #[test]
    fn a_scenario_round_trips_through_the_form_unchanged() {
        let s = sample();
        let f = Form::from_scenario(&s);
        assert_eq!(f.to_scenario(), Ok(s));
    }

    #[test]
    fn an_invalid_field_is_reported_by_id_and_the_text_is_kept() {
        let mut f = Form::from_scenario(&sample());
        f.node.memory = "16Gx".into();
        let pid = f.pods[0].id;
        let cid = f.pods[0].containers[1].id;
        f.pods[0].containers[1].mem_lim = "1..5Gi".into();
        let errs = f.to_scenario().unwrap_err();
        assert_eq!(errs.get("node.memory").map(|e| e.key), Some("err.quantity"));
        assert_eq!(
            errs.get(&format!("ctr.{pid}.{cid}.mem_lim")).map(|e| e.key),
            Some("err.quantity")
        );
        assert_eq!(f.node.memory, "16Gx");
    }

    #[test]
    fn replicas_expand_to_numbered_pods_with_their_usage() {
        let mut f = Form::from_scenario(&sample());
        f.pods[0].replicas = "3".into();
        let s = f.to_scenario().unwrap();
        let names: Vec<_> = s.pods.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["web-0", "web-1", "web-2"]);
        assert!(s.usage.contains_key("default/web-2/app"));
        assert!(
            s.usage.contains_key("other/ghost"),
            "unmatched usage entries are kept"
        );
        f.pods[0].replicas = "0".into();
        assert!(f
            .to_scenario()
            .unwrap_err()
            .contains_key(&format!("pod.{}.replicas", f.pods[0].id)));
    }

    #[test]
    fn thresholds_accept_quantities_and_percentages_only() {
        let mut f = Form::from_scenario(&sample());
        f.node.hard_memory = "5%".into();
        f.node.soft_memory = "500Mi".into();
        f.node.soft_grace = "1m30s".into();
        let s = f.to_scenario().unwrap();
        assert_eq!(
            s.node
                .kubelet_config
                .eviction_hard
                .unwrap()
                .get(MEMORY_AVAILABLE)
                .map(String::as_str),
            Some("5%")
        );
        f.node.hard_memory = "105%".into();
        f.node.soft_grace = "90 seconds".into();
        let errs = f.to_scenario().unwrap_err();
        assert_eq!(
            errs.get("node.hard_memory").map(|e| e.key),
            Some("err.percent")
        );
        assert_eq!(
            errs.get("node.soft_grace").map(|e| e.key),
            Some("err.duration")
        );
    }

    #[test]
    fn empty_hard_thresholds_mean_kubelet_defaults() {
        let mut f = Form::from_scenario(&sample());
        f.node.hard_memory = "100Mi".into();
        assert!(f
            .to_scenario()
            .unwrap()
            .node
            .kubelet_config
            .eviction_hard
            .is_some());
        f.node.hard_memory.clear();
        assert_eq!(
            f.to_scenario().unwrap().node.kubelet_config.eviction_hard,
            None
        );
    }

    #[test]
    fn rows_can_be_added_duplicated_and_removed() {
        let mut f = Form::from_scenario(&sample());
        let id = f.add_pod();
        let dup = f.duplicate_pod(id).unwrap();
        assert_eq!(f.pods.len(), 3);
        assert_eq!(f.pod(dup).unwrap().name, "pod-2-copy");
        f.add_container(dup, ContainerKind::Sidecar);
        assert_eq!(f.pod(dup).unwrap().containers.len(), 2);
        let s = f.to_scenario().unwrap();
        assert_eq!(s.pods[2].init_containers.len(), 1);
        f.remove_pod(id);
        assert_eq!(f.pods.len(), 2);
        // Two rows with one name are an error, not a silent merge.
        f.pods[1].name = "web".into();
        assert_eq!(
            f.to_scenario().unwrap_err().values().next().map(|e| e.key),
            Some("err.duplicate")
        );
    }

    /// The soft grace period field accepts exactly what kubelet's `time.ParseDuration` does (the
    /// core's port): Go's units, including both micro signs, and a leading sign.
    #[test]
    fn soft_grace_is_a_go_duration() {
        let mut f = Form::from_scenario(&sample());
        for ok in ["0", "90s", "1m30s", "1.5h", "300ms", "1μs", "1µs", "+5m"] {
            f.node.soft_grace = ok.into();
            assert!(f.to_scenario().is_ok(), "{ok:?}");
        }
        for bad in ["5", "1x", "m", "1d", "1 s"] {
            f.node.soft_grace = bad.into();
            assert_eq!(
                f.to_scenario()
                    .unwrap_err()
                    .get("node.soft_grace")
                    .map(|e| e.key),
                Some("err.duration"),
                "{bad:?}"
            );
        }
    }

    /// A preset chosen over values already in the form does not silently lose to them: the
    /// evaluation lists each override, and "use preset" makes the preset's value apply.
    #[test]
    fn a_preset_over_typed_values_reports_them_and_can_take_over() {
        let mut s = sample();
        s.node.preset = Some("gke".into());
        s.usage.remove("other/ghost");
        s.node
            .kubelet_config
            .kube_reserved
            .insert("memory".into(), "1Gi".into());
        let mut f = Form::from_scenario(&s);
        let e = oomlens_core::evaluate(&f.to_scenario().unwrap()).unwrap();
        assert_eq!(e.node.kube_reserved_bytes, 1 << 30);
        let fields: Vec<&str> = e
            .node
            .preset_overrides
            .iter()
            .map(|o| o.field.as_str())
            .collect();
        assert!(
            fields.contains(&"node.kubeletConfig.kubeReserved.memory"),
            "{fields:?}"
        );
        for o in e.node.preset_overrides.clone() {
            f.use_preset_for(&o.field);
        }
        assert!(f.node.kube_reserved.is_empty());
        let e = oomlens_core::evaluate(&f.to_scenario().unwrap()).unwrap();
        assert!(e.node.preset_overrides.is_empty());
        // GKE on 16 GiB: 25 % of 4 GiB + 20 % of 4 GiB + 10 % of 8 GiB = 2.6 GiB.
        assert_eq!(
            e.node.kube_reserved_bytes,
            (4 << 30) / 4 + (4 << 30) / 5 + (8 << 30) / 10
        );
    }

    /// Pasted pods whose names are taken are renamed, so the scenario stays valid.
    #[test]
    fn pasted_pods_with_taken_names_are_renamed() {
        let mut f = Form::from_scenario(&sample());
        let web = f.to_scenario().unwrap().pods[0].clone();
        let renamed = f.append_pods(&[web.clone(), web.clone()]);
        let key = web.key();
        let (ns, name) = key.split_once('/').unwrap();
        assert_eq!(
            renamed,
            vec![
                (key.clone(), format!("{ns}/{name}-2")),
                (key.clone(), format!("{ns}/{name}-3")),
            ]
        );
        assert!(f.to_scenario().is_ok());
    }
}
