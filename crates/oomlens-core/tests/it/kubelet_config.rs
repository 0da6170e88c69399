//! Kubelet configuration reader: KubeletConfiguration YAML/JSON, /configz, command-line flags.
//! Real samples in tests/fixtures/k8s (README.md); flag names from kubernetes/kubernetes
//! `cmd/kubelet/app/options/options.go`, field names from `k8s.io/kubelet/config/v1beta1/types.go`.

use oomlens_core::diag::kubelet_config::{self, ConfigSource};
use oomlens_core::diag::lines::numbered;

fn fixture(name: &str) -> String {
    crate::support::fixture(&format!("k8s/{name}"))
}

fn doc(text: &str) -> kubelet_config::KubeletConfigReading {
    let lines: Vec<_> = numbered(text).collect();
    kubelet_config::read_document(&lines).unwrap()
}

fn flags(text: &str) -> Option<kubelet_config::KubeletConfigReading> {
    let lines: Vec<_> = numbered(text).collect();
    kubelet_config::read_flags(&lines)
}

#[test]
fn kubernetes_docs_kubelet_config_file() {
    let r = doc(&fixture("kubelet_config_docs.yaml"));
    assert_eq!(r.source, ConfigSource::KubeletConfiguration);
    let hard = r.config.eviction_hard.as_ref().unwrap();
    assert_eq!(
        hard.get("memory.available").map(String::as_str),
        Some("100Mi")
    );
    assert_eq!(
        hard.get("imagefs.inodesFree").map(String::as_str),
        Some("5%")
    );
    assert_eq!(hard.len(), 5);
    assert_eq!(r.field_lines.get("evictionHard"), Some(&6));
    assert!(r.config.kube_reserved.is_empty());
}

#[test]
fn eks_ami_json_has_no_eviction_settings() {
    let r = doc(&fixture("kubelet_config_eks_ami.json"));
    assert_eq!(r.source, ConfigSource::KubeletConfiguration);
    assert_eq!(r.config.eviction_hard, None);
    assert_eq!(r.cgroup_driver.as_deref(), Some("cgroupfs"));
    assert_eq!(r.feature_gates.get("CPUManager"), Some(&true));
    let f = kubelet_config::findings(&r);
    assert!(f[0]
        .english()
        .contains("memory.available<100Mi (kubelet default"));
}

#[test]
fn configz_wrapper() {
    let text = r#"{"kubeletconfig":{"maxPods":110,"kubeReserved":{"cpu":"70m","memory":"1843Mi"},"evictionHard":{"memory.available":"750Mi","nodefs.available":"10%"},"enforceNodeAllocatable":["pods"],"cgroupsPerQOS":true,"systemReserved":{"memory":"500Mi"}}}"#;
    let r = doc(text);
    assert_eq!(r.source, ConfigSource::Configz);
    assert_eq!(r.max_pods, Some(110));
    assert_eq!(
        r.config.kube_reserved.get("memory").map(String::as_str),
        Some("1843Mi")
    );
    assert_eq!(
        r.config.system_reserved.get("memory").map(String::as_str),
        Some("500Mi")
    );
    assert_eq!(
        r.config
            .eviction_hard
            .as_ref()
            .unwrap()
            .get("memory.available")
            .map(String::as_str),
        Some("750Mi")
    );
    assert_eq!(
        r.config.enforce_node_allocatable,
        Some(vec!["pods".to_string()])
    );
    assert_eq!(r.config.cgroups_per_qos, Some(true));
}

#[test]
fn flags_from_k8s_issue_56152() {
    let r = flags(&fixture("kubelet_flags_k8s_56152.txt")).unwrap();
    assert_eq!(r.source, ConfigSource::Flags);
    assert_eq!(
        r.config
            .eviction_hard
            .as_ref()
            .unwrap()
            .get("memory.available")
            .map(String::as_str),
        Some("1Gi")
    );
    assert_eq!(
        r.config
            .eviction_minimum_reclaim
            .get("memory.available")
            .map(String::as_str),
        Some("200Mi")
    );
    assert!(r.errors.is_empty(), "{:?}", r.errors);
}

#[test]
fn ps_line_and_systemd_unit() {
    let ps = "root 1234 3.1 2.0 1844376 81520 ? Ssl 10:02 5:31 /usr/bin/kubelet --config=/var/lib/kubelet/config.yaml --kube-reserved=cpu=100m,memory=1Gi --system-reserved memory=500Mi --eviction-hard=\"memory.available<200Mi,nodefs.available<10%\" --eviction-soft=memory.available<500Mi --eviction-soft-grace-period=memory.available=1m30s --enforce-node-allocatable=pods,kube-reserved --cgroups-per-qos=true --max-pods=58 --feature-gates=MemoryQoS=true,PodLevelResources=false";
    let r = flags(ps).unwrap();
    let c = &r.config;
    assert_eq!(
        c.kube_reserved.get("memory").map(String::as_str),
        Some("1Gi")
    );
    assert_eq!(
        c.system_reserved.get("memory").map(String::as_str),
        Some("500Mi")
    );
    assert_eq!(
        c.eviction_hard
            .as_ref()
            .unwrap()
            .get("nodefs.available")
            .map(String::as_str),
        Some("10%")
    );
    assert_eq!(
        c.eviction_soft.get("memory.available").map(String::as_str),
        Some("500Mi")
    );
    assert_eq!(
        c.eviction_soft_grace_period
            .get("memory.available")
            .map(String::as_str),
        Some("1m30s")
    );
    assert_eq!(
        c.enforce_node_allocatable,
        Some(vec!["pods".to_string(), "kube-reserved".to_string()])
    );
    assert_eq!(c.cgroups_per_qos, Some(true));
    assert_eq!(r.max_pods, Some(58));
    assert_eq!(r.feature_gates.get("MemoryQoS"), Some(&true));
    assert_eq!(r.feature_gates.get("PodLevelResources"), Some(&false));

    let unit = "[Service]\nEnvironment=\"KUBELET_EXTRA_ARGS=--max-pods=29\"\nExecStart=/usr/bin/kubelet \\\n    --eviction-hard=memory.available<100Mi \\\n    --kube-reserved=memory=255Mi\n";
    let lines: Vec<_> = numbered(unit).collect();
    let r = kubelet_config::read_flags(&lines[1..]).unwrap();
    assert_eq!(r.max_pods, Some(29));
    assert_eq!(r.field_lines.get("--kube-reserved"), Some(&5));
    assert_eq!(
        r.config.kube_reserved.get("memory").map(String::as_str),
        Some("255Mi")
    );
}

#[test]
fn flag_errors_name_the_line() {
    let r = flags("kubelet --eviction-hard=memory.available100Mi --max-pods=lots").unwrap();
    assert_eq!(r.errors.len(), 2, "{:?}", r.errors);
    assert!(r.errors.iter().all(|e| e.starts_with("line 1: ")));
    assert!(flags("no flags here --verbose").is_none());
}

#[test]
fn findings_warn_about_risky_settings() {
    let r = doc("kind: KubeletConfiguration\nevictionHard:\n  nodefs.available: 10%\nevictionSoft:\n  memory.available: 1Gi\nenforceNodeAllocatable: []\ncgroupsPerQOS: false\n");
    let ids: Vec<&str> = kubelet_config::findings(&r)
        .into_iter()
        .map(|f| f.id())
        .collect();
    for want in [
        "kubelet_config.no_memory_hard_threshold",
        "kubelet_config.soft_without_grace",
        "kubelet_config.no_pods_enforcement",
        "kubelet_config.no_cgroups_per_qos",
    ] {
        assert!(ids.contains(&want), "{want} missing from {ids:?}");
    }
}

#[test]
fn k3s_kubelet_arg_list() {
    // /etc/rancher/k3s/config.yaml `kubelet-arg` list (k3s docs form: flag names without dashes).
    let text = "write-kubeconfig-mode: \"0644\"\nkubelet-arg:\n  - \"eviction-hard=memory.available<300Mi\"\n  - \"kube-reserved=cpu=200m,memory=512Mi\"\n  - \"max-pods=60\"\n";
    let ex = oomlens_core::explain(text);
    assert_eq!(ex.kubelet_configs.len(), 1);
    let r = &ex.kubelet_configs[0];
    assert_eq!((r.first_line, r.last_line), (3, 5));
    assert_eq!(
        r.config
            .eviction_hard
            .as_ref()
            .unwrap()
            .get("memory.available")
            .map(String::as_str),
        Some("300Mi")
    );
    assert_eq!(
        r.config.kube_reserved.get("memory").map(String::as_str),
        Some("512Mi")
    );
    assert_eq!(r.max_pods, Some(60));
}

#[test]
fn kubelet_log_line_it_could_not_load_its_file() {
    let ex = oomlens_core::explain(&fixture("kubelet_load_failure_opsnull_458.txt"));
    let f = ex
        .findings
        .iter()
        .find(|f| f.id() == "kubelet_config.load_failed")
        .expect("load failure finding");
    assert_eq!(f.lines, vec![1]);
    let text = f.english();
    assert!(
        text.contains(
            "its configuration file /etc/kubernetes/kubelet-config.yaml: the field evictionSoft"
        ),
        "{text}"
    );
    // json-iterator's context bytes after the reason are left out.
    assert!(
        text.contains("the field evictionSoft has the wrong type or value (ReadMapCB: expect { or n, but found), and exits"),
        "{text}"
    );
    assert_eq!(ex.inputs.len(), 1);
    // The later decoder's wording, and a missing file.
    let modern = r#"E0312 10:01:02.000000    4321 run.go:72] "command failed" err="failed to load kubelet config file, path: /var/lib/kubelet/config.yaml, error: failed to load Kubelet config file /var/lib/kubelet/config.yaml, error failed to decode: json: cannot unmarshal string into Go struct field KubeletConfiguration.kubeReserved of type map[string]string""#;
    let r = kubelet_config::load_failure(modern, 7).unwrap();
    assert_eq!(r.path.as_deref(), Some("/var/lib/kubelet/config.yaml"));
    assert_eq!(r.field.as_deref(), Some("kubeReserved"));
    assert_eq!(
        r.detail.as_deref(),
        Some("cannot unmarshal string into Go struct field KubeletConfiguration.kubeReserved of type map[string]string")
    );
    let missing = r#"F0731 01:50:20.382089    2513 server.go:198] failed to load Kubelet config file /var/lib/kubelet/config.yaml, error failed to read kubelet config file "/var/lib/kubelet/config.yaml", error: open /var/lib/kubelet/config.yaml: no such file or directory"#;
    let r = kubelet_config::load_failure(missing, 1).unwrap();
    assert_eq!(r.path.as_deref(), Some("/var/lib/kubelet/config.yaml"));
    assert_eq!(r.field, None);
    assert_eq!(
        r.detail.as_deref(),
        Some("open /var/lib/kubelet/config.yaml: no such file or directory")
    );
    assert!(kubelet_config::load_failure("the kubelet config file is fine", 1).is_none());
}

/// Synthetic: the configuration behind the error above (`evictionSoft: nil`, a string where a map
/// is decoded) plus a reservation written as a bare quantity.
#[test]
fn fields_of_the_wrong_type_are_flagged_not_dropped() {
    let text = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nkubeReserved: 1Gi\nsystemReserved:\n  memory: 500Mi\nevictionHard:\n  memory.available: \"100Mi\"\nevictionSoft: nil\nevictionMaxPodGracePeriod: \"30\"\ncgroupsPerQOS: \"true\"\nevictionPressureTransitionPeriod: 5m\nmaxPods: 110\nenforceNodeAllocatable: pods\n";
    let r = doc(text);
    let got: Vec<(&str, usize, &str, &str, Option<&str>)> = r
        .wrong_types
        .iter()
        .map(|w| {
            (
                w.field.as_str(),
                w.line,
                w.expected,
                w.found,
                w.value.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("cgroupsPerQOS", 10, "boolean", "string", Some("true")),
            ("enforceNodeAllocatable", 13, "list", "string", Some("pods")),
            (
                "evictionMaxPodGracePeriod",
                9,
                "integer",
                "string",
                Some("30")
            ),
            ("evictionSoft", 8, "map", "string", Some("nil")),
            ("kubeReserved", 3, "map", "string", Some("1Gi")),
        ]
    );
    // Wrongly typed values are not used; the rest is read.
    assert!(r.config.kube_reserved.is_empty());
    assert_eq!(r.config.cgroups_per_qos, None);
    assert_eq!(r.config.eviction_max_pod_grace_period, None);
    assert_eq!(r.config.enforce_node_allocatable, None);
    assert_eq!(
        r.config.system_reserved.get("memory").map(String::as_str),
        Some("500Mi")
    );
    assert_eq!(r.max_pods, Some(110));
    let f = kubelet_config::findings(&r);
    let wrong: Vec<String> = f
        .iter()
        .filter(|f| f.id() == "kubelet_config.wrong_type")
        .map(|f| f.english())
        .collect();
    assert_eq!(wrong.len(), 5);
    assert!(
        wrong
            .iter()
            .any(|t| t
                .starts_with("kubeReserved (line 3) is a string `1Gi`, but kubelet expects a map")),
        "{wrong:?}"
    );
}

#[test]
fn a_custom_resource_conditions_block_is_not_a_node() {
    let ex = oomlens_core::explain(&fixture("openshift_kubeletconfig_status_mco_1885.txt"));
    assert!(ex.describe_nodes.is_empty(), "{:?}", ex.describe_nodes);
}
