//! Helpers shared by the test modules.

pub mod fuzz;

/// The text of `tests/fixtures/{path}`.
pub fn fixture(path: &str) -> String {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// `getResourceList(cpu, memory)` of the upstream QoS and policy tests: "" = absent.
pub fn rl(cpu: &str, memory: &str) -> oomlens_core::api::pod::ResourceList {
    let mut l = oomlens_core::api::pod::ResourceList::default();
    if !cpu.is_empty() {
        l.cpu = Some(oomlens_core::base::quantity::Quantity::parse(cpu).unwrap());
    }
    if !memory.is_empty() {
        l.memory = Some(oomlens_core::base::quantity::Quantity::parse(memory).unwrap());
    }
    l
}
