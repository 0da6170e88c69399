//! cgroup path decoding, one row per layout. Layouts from kubelet
//! `pkg/kubelet/cm/cgroup_manager_linux.go` (systemd `kubepods-<qos>-pod<uid_>.slice`, cgroupfs
//! `/kubepods/<qos>/pod<uid>`), `qos_container_manager_linux.go` (Guaranteed directly under kubepods)
//! and the runtimes' scope names (containerd `cri-containerd-`, CRI-O `crio-`/`crio-conmon-`,
//! cri-dockerd `docker-`); real paths from the fixtures' sources where noted.

use oomlens_core::kubelet::cgroup_path::decode;

const UID: &str = "10d16a28-60ff-475f-a631-510d9792219f";
const CID: &str = "178ec18073cc6ac7be2de8d9869daf162a6349dd056b6535849112c53ec3102a";

#[test]
fn every_layout() {
    // (path, scope, pod uid, qos, container id, runtime, driver)
    type Row<'a> = (
        &'a str,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
    );
    let u = UID.replace('-', "_");
    let rows: Vec<(String, Row)> = vec![
        // AKS fixture (containerd, systemd driver, Burstable)
        (format!("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{u}.slice/cri-containerd-{CID}.scope"), ("", "container", Some(UID), Some("Burstable"), Some(CID), Some("containerd"), Some("systemd"))),
        (format!("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{u}.slice/crio-{CID}.scope"), ("", "container", Some(UID), Some("BestEffort"), Some(CID), Some("cri-o"), Some("systemd"))),
        (format!("/kubepods.slice/kubepods-pod{u}.slice/docker-{CID}.scope"), ("", "container", Some(UID), Some("Guaranteed"), Some(CID), Some("docker"), Some("systemd"))),
        (format!("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{u}.slice"), ("", "pod", Some(UID), Some("Burstable"), None, None, Some("systemd"))),
        (format!("/kubepods/burstable/pod{UID}/{CID}"), ("", "container", Some(UID), Some("Burstable"), Some(CID), None, Some("cgroupfs"))),
        (format!("/kubepods/pod{UID}/{CID}"), ("", "container", Some(UID), Some("Guaranteed"), Some(CID), None, Some("cgroupfs"))),
        (format!("/kubepods/besteffort/pod{UID}"), ("", "pod", Some(UID), Some("BestEffort"), None, None, Some("cgroupfs"))),
        ("/kubepods/burstable".into(), ("", "qos", None, Some("Burstable"), None, None, Some("cgroupfs"))),
        ("/kubepods.slice/kubepods-besteffort.slice".into(), ("", "qos", None, Some("BestEffort"), None, None, Some("systemd"))),
        ("/kubepods.slice".into(), ("", "kubepods", None, None, None, None, Some("systemd"))),
        ("/kubepods".into(), ("", "kubepods", None, None, None, None, Some("cgroupfs"))),
        // containerd SystemdCgroup under a non-systemd parent: `slice:prefix:id`
        (format!("/system.slice/containerd.service/kubepods-besteffort-pod{u}.slice:cri-containerd:{CID}"), ("", "container", Some(UID), Some("BestEffort"), Some(CID), Some("containerd"), Some("systemd"))),
        // gpud#70: nested under an LXC payload
        (format!("/lxc.payload.x-lxc/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{u}.slice/cri-containerd-{CID}.scope"), ("", "container", Some(UID), Some("Burstable"), Some(CID), Some("containerd"), Some("systemd"))),
        // plain Docker, cgroup v1 (cadvisor fixture)
        (format!("/docker/{CID}"), ("", "container", None, None, Some(CID), Some("docker"), Some("cgroupfs"))),
        // proxmox fixture: docker inside an LXC container
        (format!("/lxc/39004/ns/system.slice/docker-{CID}.scope"), ("", "container", None, None, Some(CID), Some("docker"), Some("systemd"))),
        ("/system.slice/kubelet.service".into(), ("", "other", None, None, None, None, Some("systemd"))),
        ("/user.slice/user-1000.slice/session-80.scope".into(), ("", "other", None, None, None, None, Some("systemd"))),
        ("/".into(), ("", "node", None, None, None, None, None)),
        ("/mem2".into(), ("", "other", None, None, None, None, None)),
        // a pod component whose uid is not a uid
        ("/kubepods/burstable/podnotauid".into(), ("", "other", None, Some("Burstable"), None, None, Some("cgroupfs"))),
    ];
    for (path, (_, scope, uid, qos, cid, rt, drv)) in rows {
        let d = decode(&path);
        assert_eq!(d.scope.as_deref(), Some(scope), "{path}");
        assert_eq!(d.pod_uid.as_deref(), uid, "{path}");
        assert_eq!(d.qos_class.as_deref(), qos, "{path}");
        assert_eq!(d.container_id.as_deref(), cid, "{path}");
        assert_eq!(d.runtime.as_deref(), rt, "{path}");
        assert_eq!(d.cgroup_driver.as_deref(), drv, "{path}");
    }
}

#[test]
fn crio_conmon_is_flagged_and_v1_mounts_hint_the_version() {
    let d = decode(&format!(
        "/kubepods.slice/kubepods-pod{}.slice/crio-conmon-{CID}.scope",
        UID.replace('-', "_")
    ));
    assert!(d.conmon);
    assert_eq!(d.runtime.as_deref(), Some("cri-o"));
    let d = decode(&format!("/sys/fs/cgroup/memory/kubepods/pod{UID}/{CID}"));
    assert_eq!(d.cgroup_version, Some(1));
    assert_eq!(d.pod_uid.as_deref(), Some(UID));
    assert_eq!(decode("/kubepods/pod{UID}").cgroup_version, None);
}
