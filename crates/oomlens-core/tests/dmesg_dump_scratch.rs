#[test]
fn dump() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/kernel");
    let mut names: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "log")).collect();
    names.sort();
    for p in names {
        let t = std::fs::read_to_string(&p).unwrap();
        let r = oomlens_core::diag::dmesg::read(&t);
        println!("=== {} blocks={:?}", p.file_name().unwrap().to_string_lossy(), r.blocks.iter().map(|b| (b.first_line, b.last_line)).collect::<Vec<_>>());
        for e in &r.events {
            println!(" ev line={} trig={:?} cons={:?} v={:?} oom={:?} task={:?} scope={:?} pod={:?} qos={:?}/{:?} cid={:?} rt={:?} drv={:?} lim={:?} use={:?} group={} grp={:?}",
              e.line, e.trigger_comm, e.constraint, e.cgroup_version, e.oom_memcg, e.task_memcg, e.scope, e.pod_uid, e.qos_class, e.details.qos_source, e.container_id.as_deref().map(|c| &c[..8.min(c.len())]), e.runtime, e.cgroup_driver, e.limit_bytes, e.usage_bytes, e.group_kill, e.details.group_killed_pids);
            println!("   victim={:?}", e.victim);
            println!("   kernel={:?} page={} inf={} T={:?} f={:?} rows={} choice={:?}", e.details.kernel_release, e.details.page_size_bytes, e.details.page_size_inferred, e.details.totalpages, e.details.totalpages_formula, e.tasks.len(), e.kernel_choice);
            println!("   notes={:?}", e.details.notes);
            for f in oomlens_core::diag::dmesg::findings(e) { println!("   F {:?} {} | {}", f.severity, f.id, f.message); }
        }
        let o = oomlens_core::diag::oomd::read(&t);
        for k in &o.kills { println!(" oomd {:?}", k); }
    }
}
