//! Reads v1 Pod objects as `kubectl get -o yaml|json` prints them: a single Pod, a v1 `List`
//! (or `PodList`), multi-document YAML, and workloads (Deployment, StatefulSet, DaemonSet,
//! ReplicaSet, ReplicationController, Job, CronJob) expanded to `replicas` pods from their pod
//! template. Field names follow `k8s.io/api/core/v1/types.go`.
//!
//! Unknown fields are ignored (a real `kubectl` dump carries many); a known field of the wrong type
//! is an error naming its path, e.g.
//! `pods[2].spec.containers[0].resources.limits.memory: invalid quantity "12XB": …`.
//! Kinds that are not pods or workloads (Service, ConfigMap, …) are skipped with a note.

use crate::api::pod::{Container, ContainerKind, Pod, ResourceList, ResourceRequirements};
use crate::base::quantity::Quantity;
use crate::kubelet::critical::{SYSTEM_CLUSTER_CRITICAL_PRIORITY, SYSTEM_NODE_CRITICAL_PRIORITY};
use crate::scenario::ScenarioError;
use serde::Deserialize;
use serde_json::json;
use serde_yaml_ng::{Mapping, Value};
use std::fmt;

/// Annotation kubelet puts on pods it read from a file or URL (`kubetypes.ConfigSourceAnnotationKey`).
pub const CONFIG_SOURCE_ANNOTATION: &str = "kubernetes.io/config.source";
/// Annotation on a mirror pod (`kubetypes.ConfigMirrorAnnotationKey`).
pub const CONFIG_MIRROR_ANNOTATION: &str = "kubernetes.io/config.mirror";
/// Most pods one workload may expand to (a guard against `replicas: 1000000000`).
pub const MAX_REPLICAS: i64 = 10_000;

/// Why pod input could not be read: the field path, the input line when known, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodReadError {
    /// Field path, e.g. `items[2].spec.containers[0].resources.limits.memory`.
    pub path: String,
    /// 1-based line in the input, when the parser gave one or the offending value is unique.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PodReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.path.is_empty()) {
            (Some(l), false) => write!(f, "line {l}: {}: {}", self.path, self.message),
            (Some(l), true) => write!(f, "line {l}: {}", self.message),
            (None, false) => write!(f, "{}: {}", self.path, self.message),
            (None, true) => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for PodReadError {}

impl From<PodReadError> for ScenarioError {
    fn from(e: PodReadError) -> Self {
        ScenarioError {
            path: e.path,
            line: e.line,
            message: e.message,
        }
    }
}

/// Pods read from some input, with notes on what was resolved or skipped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodsRead {
    /// The pods, in input order (workloads expanded in place).
    pub pods: Vec<Pod>,
    /// Notes (priority resolved from a system class, skipped kinds, workloads expanded).
    pub notes: Vec<String>,
}

/// Internal error carrying the offending scalar, used to find its line.
struct Fail {
    path: String,
    message: String,
    offending: Option<String>,
}

type R<T> = Result<T, Fail>;

fn fail(path: &str, message: impl Into<String>) -> Fail {
    Fail {
        path: path.to_string(),
        message: message.into(),
        offending: None,
    }
}

fn join(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_string()
    } else {
        format!("{base}.{key}")
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn get<'a>(m: &'a Mapping, key: &str) -> Option<&'a Value> {
    match m.get(key) {
        None | Some(Value::Null) => None,
        Some(v) => Some(v),
    }
}

fn as_map<'a>(v: &'a Value, path: &str) -> R<&'a Mapping> {
    v.as_mapping()
        .ok_or_else(|| fail(path, format!("expected a mapping, found {}", kind_of(v))))
}

fn opt_map<'a>(m: &'a Mapping, key: &str, base: &str) -> R<Option<&'a Mapping>> {
    get(m, key).map(|v| as_map(v, &join(base, key))).transpose()
}

fn opt_str(m: &Mapping, key: &str, base: &str) -> R<Option<String>> {
    match get(m, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(v) => Err(fail(
            &join(base, key),
            format!("expected a string, found {}", kind_of(v)),
        )),
    }
}

fn opt_i64(m: &Mapping, key: &str, base: &str) -> R<Option<i64>> {
    match get(m, key) {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| fail(&join(base, key), format!("expected an integer, found {n}"))),
        Some(v) => Err(fail(
            &join(base, key),
            format!("expected an integer, found {}", kind_of(v)),
        )),
    }
}

fn opt_seq<'a>(m: &'a Mapping, key: &str, base: &str) -> R<Option<&'a Vec<Value>>> {
    match get(m, key) {
        None => Ok(None),
        Some(Value::Sequence(s)) => Ok(Some(s)),
        Some(v) => Err(fail(
            &join(base, key),
            format!("expected a list, found {}", kind_of(v)),
        )),
    }
}

/// A quantity written as a string (`"1Gi"`) or a bare number (`1073741824`, `0.5`).
fn quantity(v: &Value, path: &str) -> R<Quantity> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => {
            return Err(fail(
                path,
                format!(
                    "expected a quantity such as 512Mi, found {}",
                    kind_of(other)
                ),
            ))
        }
    };
    Quantity::parse(&text).map_err(|e| Fail {
        path: path.to_string(),
        message: e.to_string(),
        offending: Some(text),
    })
}

/// A `ResourceList` mapping (`{cpu: 500m, memory: 1Gi, …}`).
fn resource_list(v: &Value, path: &str) -> R<ResourceList> {
    let m = as_map(v, path)?;
    let mut out = ResourceList::default();
    for (k, val) in m {
        let name = k.as_str().ok_or_else(|| {
            fail(
                path,
                format!("expected resource names as keys, found {}", kind_of(k)),
            )
        })?;
        if val.is_null() {
            continue;
        }
        let q = quantity(val, &join(path, name))?;
        out.set(name, q);
    }
    Ok(out)
}

fn requirements(v: &Value, path: &str) -> R<ResourceRequirements> {
    let m = as_map(v, path)?;
    let mut out = ResourceRequirements::default();
    if let Some(r) = get(m, "requests") {
        out.requests = resource_list(r, &join(path, "requests"))?;
    }
    if let Some(l) = get(m, "limits") {
        out.limits = resource_list(l, &join(path, "limits"))?;
    }
    Ok(out)
}

fn container(v: &Value, path: &str, init: bool) -> R<Container> {
    let m = as_map(v, path)?;
    let name = opt_str(m, "name", path)?
        .ok_or_else(|| fail(&join(path, "name"), "missing: every container needs a name"))?;
    let resources = match get(m, "resources") {
        None => ResourceRequirements::default(),
        Some(r) => requirements(r, &join(path, "resources"))?,
    };
    let restart = opt_str(m, "restartPolicy", path)?;
    let kind = if !init {
        ContainerKind::Container
    } else {
        match restart.as_deref() {
            Some("Always") => ContainerKind::Sidecar,
            None => ContainerKind::Init,
            Some(other) => {
                return Err(fail(
                    &join(path, "restartPolicy"),
                    format!("init containers accept only restartPolicy: Always (a sidecar), found {other:?}"),
                ))
            }
        }
    };
    Ok(Container {
        name,
        kind,
        resources,
    })
}

/// Reads one Pod object (or a pod template: `metadata` + `spec`). `notes` collects resolutions.
fn pod(v: &Value, path: &str, notes: &mut Vec<String>) -> R<Pod> {
    let m = as_map(v, path)?;
    let mut p = Pod {
        namespace: "default".into(),
        ..Pod::default()
    };
    if let Some(md) = opt_map(m, "metadata", path)? {
        let mpath = join(path, "metadata");
        p.name = match (
            opt_str(md, "name", &mpath)?,
            opt_str(md, "generateName", &mpath)?,
        ) {
            (Some(n), _) => n,
            (None, Some(g)) => g,
            (None, None) => String::new(),
        };
        if let Some(ns) = opt_str(md, "namespace", &mpath)? {
            p.namespace = ns;
        }
        p.uid = opt_str(md, "uid", &mpath)?;
        if let Some(ann) = opt_map(md, "annotations", &mpath)? {
            let apath = join(&mpath, "annotations");
            for (k, val) in ann {
                let key = k.as_str().unwrap_or_default();
                let text = match val {
                    Value::String(s) => Some(s.as_str()),
                    Value::Null => None,
                    other => {
                        return Err(fail(
                            &join(&apath, key),
                            format!("annotation values are strings, found {}", kind_of(other)),
                        ))
                    }
                };
                if key == CONFIG_SOURCE_ANNOTATION {
                    p.is_static = text.is_some_and(|s| s != "api");
                }
                if key == CONFIG_MIRROR_ANNOTATION {
                    p.is_mirror = true;
                }
            }
        }
    }
    if p.name.is_empty() {
        return Err(fail(
            &join(path, "metadata.name"),
            "missing: every pod needs a name",
        ));
    }
    let spath = join(path, "spec");
    let spec = match get(m, "spec") {
        None => return Err(fail(&spath, "missing: a pod needs spec.containers")),
        Some(s) => as_map(s, &spath)?,
    };
    if let Some(prio) = opt_i64(spec, "priority", &spath)? {
        p.priority = Some(i32::try_from(prio).map_err(|_| {
            fail(
                &join(&spath, "priority"),
                format!("{prio} is outside the int32 range"),
            )
        })?);
    }
    p.priority_class_name = opt_str(spec, "priorityClassName", &spath)?;
    if p.priority.is_none() {
        // The Priority admission plugin resolves the two system classes without a PriorityClass object.
        let resolved = match p.priority_class_name.as_deref() {
            Some("system-node-critical") => Some(SYSTEM_NODE_CRITICAL_PRIORITY),
            Some("system-cluster-critical") => Some(SYSTEM_CLUSTER_CRITICAL_PRIORITY),
            _ => None,
        };
        if let Some(r) = resolved {
            p.priority = Some(r);
            notes.push(format!(
                "{}/{}: spec.priority absent; set to {r} from priorityClassName {} as the Priority admission plugin does",
                p.namespace,
                p.name,
                p.priority_class_name.as_deref().unwrap_or_default()
            ));
        }
    }
    match opt_seq(spec, "containers", &spath)? {
        None => {
            return Err(fail(
                &join(&spath, "containers"),
                "missing: a pod needs at least one container",
            ))
        }
        Some(cs) if cs.is_empty() => {
            return Err(fail(
                &join(&spath, "containers"),
                "empty: a pod needs at least one container",
            ))
        }
        Some(cs) => {
            for (i, c) in cs.iter().enumerate() {
                p.containers
                    .push(container(c, &format!("{spath}.containers[{i}]"), false)?);
            }
        }
    }
    if let Some(ics) = opt_seq(spec, "initContainers", &spath)? {
        for (i, c) in ics.iter().enumerate() {
            p.init_containers
                .push(container(c, &format!("{spath}.initContainers[{i}]"), true)?);
        }
    }
    if let Some(r) = get(spec, "resources") {
        p.resources = Some(requirements(r, &join(&spath, "resources"))?);
    }
    if let Some(o) = get(spec, "overhead") {
        p.overhead = resource_list(o, &join(&spath, "overhead"))?;
    }
    p.termination_grace_period_seconds = opt_i64(spec, "terminationGracePeriodSeconds", &spath)?;
    if let Some(st) = opt_map(m, "status", path)? {
        let stpath = join(path, "status");
        if let Some(q) = opt_str(st, "qosClass", &stpath)? {
            if !matches!(q.as_str(), "Guaranteed" | "Burstable" | "BestEffort") {
                return Err(fail(
                    &join(&stpath, "qosClass"),
                    format!("expected Guaranteed, Burstable or BestEffort, found {q:?}"),
                ));
            }
            p.status_qos_class = Some(q);
        }
    }
    Ok(p)
}

/// Expands a workload's pod template into `count` pods named `name` / `name-0`, `name-1`, ….
fn workload(m: &Mapping, kind: &str, path: &str, out: &mut PodsRead) -> R<()> {
    let md = opt_map(m, "metadata", path)?;
    let mpath = join(path, "metadata");
    let name = match md {
        Some(md) => opt_str(md, "name", &mpath)?,
        None => None,
    }
    .ok_or_else(|| {
        fail(
            &join(path, "metadata.name"),
            format!("missing: the {kind} needs a name"),
        )
    })?;
    let namespace = match md {
        Some(md) => opt_str(md, "namespace", &mpath)?,
        None => None,
    };
    let spath = join(path, "spec");
    let spec = match get(m, "spec") {
        Some(s) => as_map(s, &spath)?,
        None => return Err(fail(&spath, format!("missing: the {kind} has no spec"))),
    };
    // CronJob: spec.jobTemplate.spec is a Job spec.
    let (job_spec, job_path) = if kind == "CronJob" {
        let jt = opt_map(spec, "jobTemplate", &spath)?.ok_or_else(|| {
            fail(
                &join(&spath, "jobTemplate"),
                "missing: a CronJob needs spec.jobTemplate",
            )
        })?;
        let jpath = join(&spath, "jobTemplate");
        let js = opt_map(jt, "spec", &jpath)?.ok_or_else(|| {
            fail(
                &join(&jpath, "spec"),
                "missing: a CronJob needs spec.jobTemplate.spec",
            )
        })?;
        (js, join(&jpath, "spec"))
    } else {
        (spec, spath.clone())
    };
    let count_key = match kind {
        "Job" | "CronJob" => Some("parallelism"),
        "DaemonSet" => None,
        _ => Some("replicas"),
    };
    let count = match count_key {
        Some(k) => opt_i64(job_spec, k, &job_path)?.unwrap_or(1),
        None => 1,
    };
    if !(0..=MAX_REPLICAS).contains(&count) {
        return Err(fail(
            &join(&job_path, count_key.unwrap_or("replicas")),
            format!("{count} is outside 0–{MAX_REPLICAS}"),
        ));
    }
    let tpath = join(&job_path, "template");
    let template = get(job_spec, "template")
        .ok_or_else(|| fail(&tpath, format!("missing: the {kind} has no pod template")))?;
    let mut notes = Vec::new();
    let mut base = pod_template(template, &tpath, &name, &mut notes)?;
    if let Some(ns) = namespace {
        base.namespace = ns;
    }
    out.notes.extend(notes);
    if count == 0 {
        out.notes
            .push(format!("{kind} {name}: 0 replicas, no pods"));
    } else if count > 1 || kind != "Pod" {
        out.notes
            .push(format!("{kind} {name}: {count} pod(s) from its template"));
    }
    for i in 0..count {
        let mut p = base.clone();
        p.name = if kind == "StatefulSet" || count > 1 {
            format!("{name}-{i}")
        } else {
            name.clone()
        };
        p.uid = None;
        out.pods.push(p);
    }
    Ok(())
}

/// A pod template: its `metadata.name` is optional (the workload names the pods).
fn pod_template(v: &Value, path: &str, workload_name: &str, notes: &mut Vec<String>) -> R<Pod> {
    let mut m = as_map(v, path)?.clone();
    let mut md = match m.get("metadata") {
        Some(Value::Mapping(md)) => md.clone(),
        _ => Mapping::new(),
    };
    if !md.contains_key("name") {
        md.insert(Value::from("name"), Value::from(workload_name));
    }
    m.insert(Value::from("metadata"), Value::Mapping(md));
    pod(&Value::Mapping(m), path, notes)
}

const WORKLOADS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
];

/// Reads one object (Pod, List, workload, or a list of those) at `path` into `out`.
fn object(v: &Value, path: &str, out: &mut PodsRead) -> R<()> {
    match v {
        Value::Null => Ok(()),
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                object(item, &format!("{path}[{i}]"), out)?;
            }
            Ok(())
        }
        Value::Mapping(m) => {
            let kind = opt_str(m, "kind", path)?;
            match kind.as_deref() {
                None | Some("Pod") => {
                    let p = pod(v, path, &mut out.notes)?;
                    out.pods.push(p);
                    Ok(())
                }
                Some(k) if k == "List" || k.ends_with("List") => {
                    let items = opt_seq(m, "items", path)?;
                    for (i, item) in items.into_iter().flatten().enumerate() {
                        object(item, &format!("{}[{i}]", join(path, "items")), out)?;
                    }
                    Ok(())
                }
                Some(k) if WORKLOADS.contains(&k) => workload(m, k, path, out),
                Some(other) => {
                    let at = if path.is_empty() {
                        String::new()
                    } else {
                        format!(" at {path}")
                    };
                    out.notes
                        .push(format!("skipped a {other}{at}: not a pod or workload"));
                    Ok(())
                }
            }
        }
        other => Err(fail(
            path,
            format!(
                "expected a Pod, a List or a workload object, found {}",
                kind_of(other)
            ),
        )),
    }
}

fn finish(f: Fail, text: Option<&str>) -> PodReadError {
    let line = match (text, &f.offending) {
        (Some(t), Some(needle)) if !needle.is_empty() => {
            let mut hits = t
                .lines()
                .enumerate()
                .filter(|(_, l)| l.contains(needle.as_str()));
            match (hits.next(), hits.next()) {
                (Some((i, _)), None) => Some(i + 1),
                _ => None,
            }
        }
        _ => None,
    };
    PodReadError {
        path: f.path,
        line,
        message: f.message,
    }
}

/// Reads pods from an already-parsed YAML value (the scenario's `pods`), naming errors from `base_path`.
pub fn read_pods_value(v: &Value, base_path: &str) -> Result<Vec<Pod>, PodReadError> {
    read_pods_value_detailed(v, base_path).map(|r| r.pods)
}

/// [`read_pods_value`] with the notes.
pub fn read_pods_value_detailed(v: &Value, base_path: &str) -> Result<PodsRead, PodReadError> {
    let mut out = PodsRead::default();
    object(v, base_path, &mut out).map_err(|f| finish(f, None))?;
    Ok(out)
}

/// Reads pods from YAML or JSON text: a Pod, a v1 List, multi-document YAML, or workloads.
pub fn read_pods(text: &str) -> Result<Vec<Pod>, PodReadError> {
    read_pods_detailed(text).map(|r| r.pods)
}

/// [`read_pods`] with the notes.
pub fn read_pods_detailed(text: &str) -> Result<PodsRead, PodReadError> {
    let docs = parse_documents(text)?;
    let mut out = PodsRead::default();
    let many = docs.len() > 1;
    for (i, d) in docs.iter().enumerate() {
        let base = if many {
            format!("documents[{i}]")
        } else {
            String::new()
        };
        object(d, &base, &mut out).map_err(|f| finish(f, Some(text)))?;
    }
    Ok(out)
}

/// [`read_pods_detailed`] of a JSON text without the YAML reader (the web app's first load reads
/// JSON pastes with it): `None` when `text` is not JSON and the YAML reader must decide.
pub fn read_pods_json(text: &str) -> Option<Result<PodsRead, PodReadError>> {
    let doc = match parse_json_document(text)? {
        Ok(doc) => doc,
        Err(e) => return Some(Err(e)),
    };
    let mut out = PodsRead::default();
    Some(
        object(&doc, "", &mut out)
            .map_err(|f| finish(f, Some(text)))
            .map(|_| out),
    )
}

/// The JSON document of `text`, read with serde_json for its precise errors: `None` when `text`
/// is not JSON (YAML, or JSON-like YAML such as a flow mapping without quoted keys).
fn parse_json_document(text: &str) -> Option<Result<Value, PodReadError>> {
    let trimmed = text.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return None;
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(j) => Some(serde_yaml_ng::to_value(j).map_err(|e| PodReadError {
            path: String::new(),
            line: None,
            message: e.to_string(),
        })),
        // Quoted keys: this is meant as JSON, and serde_json's error is the precise one.
        Err(e) if text.contains("\":") => Some(Err(PodReadError {
            path: String::new(),
            line: Some(e.line()),
            message: format!("not valid JSON: {e}"),
        })),
        Err(_) => None,
    }
}

/// YAML documents of `text` (JSON is read with serde_json first, for its precise errors).
pub fn parse_documents(text: &str) -> Result<Vec<Value>, PodReadError> {
    if let Some(doc) = parse_json_document(text) {
        return doc.map(|v| vec![v]);
    }
    let mut docs = Vec::new();
    for d in serde_yaml_ng::Deserializer::from_str(text) {
        match Value::deserialize(d) {
            Ok(v) => {
                if !v.is_null() {
                    docs.push(v);
                }
            }
            Err(e) => {
                return Err(PodReadError {
                    path: String::new(),
                    line: e.location().map(|l| l.line()),
                    message: format!("not valid YAML or JSON: {e}"),
                })
            }
        }
    }
    Ok(docs)
}

fn list_json(l: &ResourceList) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for (k, q) in l.entries() {
        m.insert(k, serde_json::Value::String(q.to_string()));
    }
    serde_json::Value::Object(m)
}

fn requirements_json(r: &ResourceRequirements) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    if !r.requests.is_empty() {
        m.insert("requests".into(), list_json(&r.requests));
    }
    if !r.limits.is_empty() {
        m.insert("limits".into(), list_json(&r.limits));
    }
    serde_json::Value::Object(m)
}

fn container_json(c: &Container) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    m.insert("name".into(), json!(c.name));
    if c.kind == ContainerKind::Sidecar {
        m.insert("restartPolicy".into(), json!("Always"));
    }
    m.insert("resources".into(), requirements_json(&c.resources));
    serde_json::Value::Object(m)
}

impl Pod {
    /// This pod as a v1 Pod object (for scenario export); [`read_pods_value`] reads it back equal.
    pub fn to_manifest(&self) -> serde_json::Value {
        let mut md = serde_json::Map::new();
        md.insert("name".into(), json!(self.name));
        md.insert("namespace".into(), json!(self.namespace));
        if let Some(u) = &self.uid {
            md.insert("uid".into(), json!(u));
        }
        let mut ann = serde_json::Map::new();
        if self.is_static {
            ann.insert(CONFIG_SOURCE_ANNOTATION.into(), json!("file"));
        }
        if self.is_mirror {
            ann.insert(CONFIG_MIRROR_ANNOTATION.into(), json!("mirror"));
        }
        if !ann.is_empty() {
            md.insert("annotations".into(), serde_json::Value::Object(ann));
        }
        let mut spec = serde_json::Map::new();
        if let Some(p) = self.priority {
            spec.insert("priority".into(), json!(p));
        }
        if let Some(c) = &self.priority_class_name {
            spec.insert("priorityClassName".into(), json!(c));
        }
        if !self.init_containers.is_empty() {
            spec.insert(
                "initContainers".into(),
                self.init_containers.iter().map(container_json).collect(),
            );
        }
        spec.insert(
            "containers".into(),
            self.containers.iter().map(container_json).collect(),
        );
        if let Some(r) = &self.resources {
            spec.insert("resources".into(), requirements_json(r));
        }
        if !self.overhead.is_empty() {
            spec.insert("overhead".into(), list_json(&self.overhead));
        }
        if let Some(t) = self.termination_grace_period_seconds {
            spec.insert("terminationGracePeriodSeconds".into(), json!(t));
        }
        let mut obj = serde_json::Map::new();
        obj.insert("apiVersion".into(), json!("v1"));
        obj.insert("kind".into(), json!("Pod"));
        obj.insert("metadata".into(), serde_json::Value::Object(md));
        obj.insert("spec".into(), serde_json::Value::Object(spec));
        if let Some(q) = &self.status_qos_class {
            obj.insert("status".into(), json!({ "qosClass": q }));
        }
        serde_json::Value::Object(obj)
    }
}
