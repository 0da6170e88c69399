//! systemd-oomd reader against real journal excerpts (sources in tests/fixtures/kernel/README.md).

use oomlens_core::diag::oomd::{findings, read};
use oomlens_core::explanation::InputKind;

fn load(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/kernel/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn pressure_kill_with_unit_count() {
    let r = read(&load("oomd_kitty_5743_pressure.log"));
    assert_eq!(r.kills.len(), 1);
    let k = &r.kills[0];
    assert_eq!(k.cgroup, "/user.slice/user-1000.slice/user@1000.service/app.slice/app-kitty-47f7730eb1474ba3848f1b5d6135a33f.scope");
    assert_eq!((k.reason.as_str(), k.marked), ("memory_pressure", false));
    assert_eq!(
        k.monitored.as_deref(),
        Some("/user.slice/user-1000.slice/user@1000.service")
    );
    assert_eq!(
        (k.pressure_percent, k.limit_percent, k.duration.as_deref()),
        (Some(77.97), Some(50.0), Some("20s"))
    );
    assert_eq!(k.processes_killed, Some(65));
    assert_eq!(k.lines, [1, 2]);
    assert_eq!(
        (
            r.blocks[0].kind,
            r.blocks[0].first_line,
            r.blocks[0].last_line
        ),
        (InputKind::SystemdOomd, 1, 2)
    );
    let f = findings(k);
    assert_eq!(f[0].id(), "oomd.kill");
    assert!(
        f[0].english().contains("77.97% > its limit 50.00%"),
        "{}",
        f[0].english()
    );
    assert_eq!(f.len(), 1, "not a Kubernetes cgroup");
}

#[test]
fn reason_wrapped_onto_the_next_line() {
    let r = read(&load("oomd_overdeck_2390_wrapped.log"));
    let k = &r.kills[0];
    assert_eq!(
        k.cgroup,
        "/user.slice/user-1000.slice/user@1000.service/app.slice/overdeck-tmux-server.service"
    );
    assert_eq!(
        (k.pressure_percent, k.processes_killed),
        (Some(56.11), Some(55))
    );
    assert_eq!(k.lines, [1, 2, 3]);
}

#[test]
fn swap_kill_marked_form() {
    let r = read(&load("oomd_claude_incident_swap_marked.log"));
    let k = &r.kills[0];
    assert_eq!((k.reason.as_str(), k.marked), ("swap", true));
    assert_eq!(
        (k.memory_used_bytes, k.memory_total_bytes),
        (Some(16_260_780_032), Some(16_419_115_008))
    );
    assert_eq!(
        (k.swap_used_bytes, k.swap_total_bytes, k.limit_percent),
        (Some(29_560_922_112), Some(32_838_500_352), Some(90.0))
    );
    assert_eq!(k.candidates_considered, Some(21));
}

#[test]
fn marked_without_reason_and_cut_lines_still_count() {
    let k = &read(&load("oomd_omarchy_9799_marked.log")).kills[0];
    assert_eq!(
        (
            k.reason.as_str(),
            k.processes_killed,
            k.candidates_considered
        ),
        ("unknown", Some(2104), Some(35))
    );
    let k = &read(&load("oomd_systemd_32304_fr_locale.log")).kills[0];
    assert_eq!(
        k.cgroup,
        "/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.gnome.Terminal.slice/tmux"
    );
    assert_eq!(k.candidates_considered, Some(97));
    assert!(read(&load("oomd_systemd_19142_v248_pressure_no_kill.log"))
        .kills
        .is_empty());
}

#[test]
fn kubernetes_cgroup_killed_by_oomd() {
    let line = "Mar 01 10:00:00 node systemd-oomd[600]: Killed /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod10d16a28_60ff_475f_a631_510d9792219f.slice due to memory pressure for /kubepods.slice being 61.00% > 50.00% for > 20s with reclaim activity";
    let k = &read(line).kills[0];
    assert_eq!(
        k.decoded.pod_uid.as_deref(),
        Some("10d16a28-60ff-475f-a631-510d9792219f")
    );
    let f = findings(k);
    assert_eq!(f[1].id(), "oomd.kubernetes");
    assert!(f[1].english().contains("not OOMKilled"));
    // A kernel report is not an oomd kill, and an oomd line is not a kernel kill.
    assert!(oomlens_core::diag::dmesg::read(line).events.is_empty());
}

#[test]
fn candidates_before_a_kill_are_kept() {
    let k = &read(&load("oomd_systemd_32304_fr_locale.log")).kills[0];
    assert_eq!(k.candidates_considered, Some(97));
    assert_eq!(k.candidates.len(), 1);
    let c = &k.candidates[0];
    assert_eq!(
        c.path,
        "/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-slack-96235.scope"
    );
    assert_eq!(
        (
            c.line,
            c.pressure_limit.as_deref(),
            c.pressure_avg10.as_deref(),
            c.memory_usage.as_deref()
        ),
        (2, Some("0.00%"), Some("1.77"), Some("388.4M"))
    );
    assert_eq!(k.lines, vec![1, 2, 3, 4, 5, 6]);
}

#[test]
fn a_candidate_dump_without_its_kill() {
    // 5月 29: a Chinese-locale journal; the swap dump is cut before the kill.
    let text = load("oomd_systemd_42385_zh_swap_candidates.log");
    let r = read(&text);
    assert!(r.kills.is_empty());
    assert_eq!(r.dumps.len(), 1);
    let d = &r.dumps[0];
    assert_eq!((d.line, d.considered, d.last_line), (1, 10, 5));
    let got: Vec<(&str, Option<&str>)> = d
        .candidates
        .iter()
        .map(|c| (c.path.as_str(), c.swap_usage.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "/user.slice/user-1000.slice/user@1000.service/app.slice/foot-server.service",
                Some("139.8M")
            ),
            (
                "/user.slice/user-1000.slice/user@1000.service/app.slice/noctalia.service",
                Some("126.5M")
            ),
        ]
    );
    assert_eq!(
        (
            r.blocks[0].kind,
            r.blocks[0].first_line,
            r.blocks[0].last_line
        ),
        (InputKind::SystemdOomd, 1, 5)
    );
    let ex = oomlens_core::explain(&text);
    let f = ex
        .findings
        .iter()
        .find(|f| f.id() == "oomd.candidates")
        .expect("candidates finding");
    assert_eq!(f.lines, vec![1, 2, 4]);
    assert!(f
        .english()
        .contains("foot-server.service, swap usage 139.8M; /user.slice"));
}
