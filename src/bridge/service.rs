//! The second module's side of the bridge: the core's YAML/JSON readers, replying in JSON (see
//! [`super`]). The exports in `src/bin/incident.rs` wrap these functions.

use super::{PodsReply, ScenarioReply, WireError};

/// Reads a scenario (YAML or JSON) with `parse_scenario`: the reply is a [`ScenarioReply`].
pub fn scenario_from_text(text: &str) -> String {
    let reply = match oomlens_core::scenario::parse_scenario(text) {
        Ok(s) => ScenarioReply::Scenario(oomlens_core::scenario::scenario_to_json(&s)),
        Err(e) => ScenarioReply::Error(WireError {
            path: e.path,
            line: e.line,
            message: e.message,
        }),
    };
    serde_json::to_string(&reply).unwrap_or_default()
}

/// Reads pasted pods (YAML or JSON: a Pod, a List, several documents, workloads) with
/// `read_pods_detailed`: the reply is a [`PodsReply`].
pub fn pods_from_text(text: &str) -> String {
    let reply = match oomlens_core::scenario::pod_reader::read_pods_detailed(text) {
        Ok(read) => PodsReply::Pods {
            list: serde_json::json!({
                "apiVersion": "v1",
                "kind": "List",
                "items": read.pods.iter().map(|p| p.to_manifest()).collect::<Vec<_>>(),
            })
            .to_string(),
            notes: read.notes,
        },
        Err(e) => PodsReply::Error(e.to_string()),
    };
    serde_json::to_string(&reply).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::{pods_of_reply, scenario_of_reply};
    use super::*;
    use oomlens_core::scenario::parse_scenario;
    use oomlens_core::scenario::pod_reader::read_pods_detailed;

    /// Every example's YAML, through the second module and back, is the scenario the reader reads.
    #[test]
    fn a_scenario_crosses_unchanged() {
        for f in
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios")).unwrap()
        {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            assert_eq!(
                scenario_of_reply(&scenario_from_text(&text)),
                parse_scenario(&text)
            );
        }
    }

    /// An error keeps its line in the text the user gave, and its Display is the reader's.
    #[test]
    fn a_scenario_error_keeps_its_line() {
        let text = "node:\n  memory: 16Gi\n  maxPods: 110\n  colour: red\n";
        let direct = parse_scenario(text).unwrap_err();
        let crossed = scenario_of_reply(&scenario_from_text(text)).unwrap_err();
        assert_eq!(crossed, direct);
        assert_eq!(crossed.line, Some(4));
        let yaml_error = "node: [\n";
        assert_eq!(
            scenario_of_reply(&scenario_from_text(yaml_error)),
            parse_scenario(yaml_error)
        );
    }

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 2\n  template:\n    spec:\n      priorityClassName: system-cluster-critical\n      containers:\n      - name: app\n        resources: {requests: {memory: 100Mi}, limits: {memory: 200Mi}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n";

    /// Pasted pods cross unchanged, with the reader's notes; an error keeps its text.
    #[test]
    fn pods_cross_unchanged() {
        let direct = read_pods_detailed(DEPLOYMENT).unwrap();
        let (pods, notes) = pods_of_reply(&pods_from_text(DEPLOYMENT)).unwrap();
        assert_eq!(pods.len(), 2);
        assert_eq!(pods, direct.pods);
        assert_eq!(notes, direct.notes);
        assert!(!notes.is_empty());
        let bad = "kind: Pod\nspec:\n  containers:\n  - name: a\n    resources: {limits: {memory: lots}}\n";
        assert_eq!(
            pods_of_reply(&pods_from_text(bad)).unwrap_err(),
            read_pods_detailed(bad).unwrap_err().to_string()
        );
    }
}
