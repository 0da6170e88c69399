//! The verdict of one kernel OOM event: which mechanism killed what, in one sentence, built only
//! from the fields of the core's `OomEvent` (the core decided the scope, QoS, pod UID, victim).

use super::analysis::OomEventView;
use super::text::{bytes, or_unknown, short_id, tr};
use crate::i18n::{lookup, Lang};

/// The catalogue key of the mechanism's headline for an event's scope.
pub fn mechanism_key(e: &OomEventView) -> &'static str {
    match e.scope.as_deref() {
        Some("container") => "inc.mech.container",
        Some("pod") => "inc.mech.pod",
        Some("qos") => "inc.mech.qos",
        Some("kubepods") => "inc.mech.kubepods",
        Some("node") => "inc.mech.node",
        _ if e.constraint.as_deref() == Some("global") => "inc.mech.node",
        _ if e.constraint.as_deref() == Some("memcg") => "inc.mech.memcg",
        _ => "inc.mech.other",
    }
}

/// The QoS class in `lang` (`Burstable` → `可突发（Burstable）`), or "unknown".
pub fn qos_text(lang: Lang, qos: Option<&str>) -> String {
    match qos {
        Some("Guaranteed") => lookup(lang, "inc.qos.guaranteed").into(),
        Some("Burstable") => lookup(lang, "inc.qos.burstable").into(),
        Some("BestEffort") => lookup(lang, "inc.qos.besteffort").into(),
        other => or_unknown(lang, other),
    }
}

/// The verdict sentence of an event in `lang`.
/// When a pasted `kubectl describe pod` names the event's pod (and container), the sentence uses
/// those names instead of the UID and id.
pub fn verdict_sentence(lang: Lang, e: &OomEventView) -> String {
    let named = e.named.as_ref();
    let pod = match named {
        Some(n) => format!("{}/{}", n.namespace, n.name),
        None => or_unknown(lang, e.pod_uid.as_deref()),
    };
    let qos = qos_text(lang, e.qos_class.as_deref());
    let container = match named.and_then(|n| n.container.clone()) {
        Some(c) => c,
        None => or_unknown(lang, e.container_id.as_deref().map(short_id).as_deref()),
    };
    let usage = bytes(lang, e.usage_bytes);
    let limit = bytes(lang, e.limit_bytes);
    let cgroup_path = e.oom_memcg.as_deref().or(e.task_memcg.as_deref());
    let cgroup_known = cgroup_path.is_some();
    let cgroup = or_unknown(lang, cgroup_path);
    let first = match mechanism_key(e) {
        "inc.mech.container" => tr(
            lang,
            "inc.verdict.container",
            &[
                ("container", container),
                ("pod", pod),
                ("qos", qos),
                ("usage", usage),
                ("limit", limit),
            ],
        ),
        "inc.mech.pod" => tr(
            lang,
            "inc.verdict.pod",
            &[
                ("pod", pod),
                ("qos", qos),
                ("usage", usage),
                ("limit", limit),
            ],
        ),
        "inc.mech.qos" => tr(
            lang,
            "inc.verdict.qos",
            &[("cgroup", cgroup), ("usage", usage), ("limit", limit)],
        ),
        "inc.mech.kubepods" => tr(
            lang,
            "inc.verdict.kubepods",
            &[("cgroup", cgroup), ("usage", usage), ("limit", limit)],
        ),
        "inc.mech.node" => match &e.pod_uid {
            Some(_) => tr(lang, "inc.verdict.node_pod", &[("pod", pod), ("qos", qos)]),
            None => lookup(lang, "inc.verdict.node").to_string(),
        },
        // A limit outside kubepods (the report names its cgroup): not "which cgroup is unknown".
        "inc.mech.memcg" if e.scope.as_deref() == Some("other") && cgroup_known => {
            tr(lang, "inc.verdict.memcg_other", &[("cgroup", cgroup)])
        }
        "inc.mech.memcg" => tr(lang, "inc.verdict.memcg", &[("pod", pod), ("qos", qos)]),
        _ => tr(lang, "inc.verdict.other", &[("cgroup", cgroup)]),
    };
    let second = match &e.victim {
        Some(v) if e.group_kill => tr(
            lang,
            "inc.verdict.group_kill",
            &[("comm", v.comm.clone()), ("pid", v.pid.to_string())],
        ),
        Some(v) => tr(
            lang,
            "inc.verdict.killed",
            &[("comm", v.comm.clone()), ("pid", v.pid.to_string())],
        ),
        None => lookup(lang, "inc.verdict.no_victim").to_string(),
    };
    format!("{first} {second}")
}

#[cfg(test)]
mod tests {
    use super::super::analysis::VictimView;
    use super::*;

    fn container_event() -> OomEventView {
        OomEventView {
            scope: Some("container".into()),
            pod_uid: Some("0330b2c1-a15b-4cdd-b5e5-72d4a90bee82".into()),
            qos_class: Some("Burstable".into()),
            container_id: Some(
                "b27201334a41cd0749d053b18378d7ea65617b8e26277197ea25c974da1a5a8a".into(),
            ),
            usage_bytes: Some(1_073_741_824),
            limit_bytes: Some(1_073_741_824),
            victim: Some(VictimView {
                pid: 28438,
                comm: "java".into(),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn container_verdict_names_every_key_fact() {
        let s = verdict_sentence(Lang::En, &container_event());
        for fact in [
            "b27201334a41",
            "0330b2c1-a15b-4cdd-b5e5-72d4a90bee82",
            "Burstable",
            "1 GiB",
            "java",
            "28438",
        ] {
            assert!(s.contains(fact), "{fact} missing from {s}");
        }
        let zh = verdict_sentence(Lang::Zh, &container_event());
        assert!(zh.contains("28438") && zh.contains("Burstable"), "{zh}");
        assert_ne!(zh, s);
    }

    #[test]
    fn mechanisms_follow_the_core_scope() {
        let mut e = container_event();
        assert_eq!(mechanism_key(&e), "inc.mech.container");
        e.scope = Some("pod".into());
        assert_eq!(mechanism_key(&e), "inc.mech.pod");
        e.scope = None;
        e.constraint = Some("global".into());
        assert_eq!(mechanism_key(&e), "inc.mech.node");
        e.constraint = Some("memcg".into());
        assert_eq!(mechanism_key(&e), "inc.mech.memcg");
        e.constraint = None;
        assert_eq!(mechanism_key(&e), "inc.mech.other");
    }

    #[test]
    fn a_limit_outside_kubepods_is_named_not_called_unknown() {
        // `Task in /websrv killed as a result of limit of /websrv`: the core's scope `other`.
        let e = OomEventView {
            scope: Some("other".into()),
            constraint: Some("memcg".into()),
            oom_memcg: Some("/websrv".into()),
            ..Default::default()
        };
        assert_eq!(mechanism_key(&e), "inc.mech.memcg");
        for lang in [Lang::En, Lang::Zh] {
            let s = verdict_sentence(lang, &e);
            assert!(s.contains("/websrv"), "{s}");
            assert!(!s.contains(lookup(lang, "inc.unknown")), "{s}");
        }
        // Without a path the report does not say which cgroup.
        let e = OomEventView {
            constraint: Some("memcg".into()),
            ..Default::default()
        };
        assert!(verdict_sentence(Lang::En, &e).contains(lookup(Lang::En, "inc.unknown")));
    }

    #[test]
    fn missing_values_say_unknown_and_no_victim_is_stated() {
        let e = OomEventView {
            scope: Some("pod".into()),
            ..Default::default()
        };
        let s = verdict_sentence(Lang::En, &e);
        assert!(s.contains(lookup(Lang::En, "inc.unknown")), "{s}");
        assert!(s.contains(lookup(Lang::En, "inc.verdict.no_victim")), "{s}");
    }

    #[test]
    fn a_pod_named_by_describe_replaces_the_uid_and_id() {
        let mut e = container_event();
        e.named = Some(crate::pages::incident::analysis::NamedPodView {
            namespace: "shop".into(),
            name: "web-7d9c".into(),
            container: Some("app".into()),
            linked_by: "container_id".into(),
            line: 3,
        });
        let s = verdict_sentence(Lang::En, &e);
        assert!(s.contains("shop/web-7d9c") && s.contains("app"), "{s}");
        assert!(!s.contains("0330b2c1"), "{s}");
    }

    #[test]
    fn a_group_kill_is_called_one() {
        let mut e = container_event();
        e.group_kill = true;
        let s = verdict_sentence(Lang::En, &e);
        let group = tr(
            Lang::En,
            "inc.verdict.group_kill",
            &[("comm", "java".into()), ("pid", "28438".into())],
        );
        assert!(s.ends_with(&group), "{s}");
    }
}
