use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
struct C;
static N: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for C {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 { N.fetch_add(1, Ordering::Relaxed); unsafe { System.alloc(l) } }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) { unsafe { System.dealloc(p, l) } }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 { N.fetch_add(1, Ordering::Relaxed); unsafe { System.realloc(p, l, n) } }
}
#[global_allocator]
static G: C = C;
fn count<T>(f: impl FnOnce() -> T) -> usize { let a = N.load(Ordering::Relaxed); let _ = f(); N.load(Ordering::Relaxed) - a }
#[test]
fn allocs() {
    use oomlens_core::*;
    let text = include_str!("../../../examples/scenarios/node-110-pods.yaml");
    let s = scenario::parse_scenario(text).unwrap();
    let rules = rules::KubeletRules::resolve(Some("1.34"), &Default::default()).unwrap();
    println!("parse {}", count(|| scenario::parse_scenario(text)));
    println!("evaluate {}", count(|| evaluate(&s)));
    println!("qos {}", count(|| s.pods.iter().map(|p| qos::get_pod_qos_with_derivation(p, &rules)).count()));
    println!("adjs {}", count(|| s.pods.iter().map(|p| oom_score_adj::pod_oom_score_adjs(p, 64 << 30, &rules)).count()));
    println!("pod_req {}", count(|| s.pods.iter().map(|p| resources::pod_memory_request(p, &rules)).count()));
    println!("pod_lim {}", count(|| s.pods.iter().map(|p| resources::pod_memory_limit(p, &rules)).count()));
    println!("c_req {}", count(|| s.pods.iter().flat_map(|p| p.all_containers()).map(|c| resources::container_memory_request(c)).count()));
    println!("rules {}", count(|| rules::KubeletRules::resolve(Some("1.34"), &Default::default())));
    let e = evaluate(&s).unwrap();
    println!("drop eval {}", count(|| drop(e)));
}
