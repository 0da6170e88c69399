//! The lessons training mode carries: every file of `examples/lessons/`, compiled into the second
//! module and read once (a unit test checks this list against the directory and that each reads).

use oomlens_core::lesson::{parse_lesson, Lesson};
use std::sync::OnceLock;

/// `(id, source)` in catalogue order (from first steps to advanced topics).
pub const SOURCES: &[(&str, &str)] = &[
    (
        "limit-is-a-wall",
        include_str!("../../../examples/lessons/limit-is-a-wall.yaml"),
    ),
    (
        "capacity-is-not-allocatable",
        include_str!("../../../examples/lessons/capacity-is-not-allocatable.yaml"),
    ),
    (
        "slow-leak-evicted",
        include_str!("../../../examples/lessons/slow-leak-evicted.yaml"),
    ),
    (
        "fast-leak-kernel-wins",
        include_str!("../../../examples/lessons/fast-leak-kernel-wins.yaml"),
    ),
    (
        "culprit-is-not-a-pod",
        include_str!("../../../examples/lessons/culprit-is-not-a-pod.yaml"),
    ),
    (
        "eviction-order-is-not-qos-order",
        include_str!("../../../examples/lessons/eviction-order-is-not-qos-order.yaml"),
    ),
    (
        "guaranteed-is-not-immune",
        include_str!("../../../examples/lessons/guaranteed-is-not-immune.yaml"),
    ),
    (
        "sidecar-dies-first",
        include_str!("../../../examples/lessons/sidecar-dies-first.yaml"),
    ),
    (
        "page-cache-pressure",
        include_str!("../../../examples/lessons/page-cache-pressure.yaml"),
    ),
    (
        "dashboard-said-400mi",
        include_str!("../../../examples/lessons/dashboard-said-400mi.yaml"),
    ),
    (
        "reading-the-evidence",
        include_str!("../../../examples/lessons/reading-the-evidence.yaml"),
    ),
    (
        "top-above-100-percent",
        include_str!("../../../examples/lessons/top-above-100-percent.yaml"),
    ),
    (
        "memory-qos",
        include_str!("../../../examples/lessons/memory-qos.yaml"),
    ),
    (
        "misconceptions-quiz",
        include_str!("../../../examples/lessons/misconceptions-quiz.yaml"),
    ),
];

/// Every lesson, read once. A lesson that does not read is left out (a test keeps that from
/// happening).
pub fn all() -> &'static [Lesson] {
    static ALL: OnceLock<Vec<Lesson>> = OnceLock::new();
    ALL.get_or_init(|| {
        SOURCES
            .iter()
            .filter_map(|(_, src)| parse_lesson(src).ok())
            .collect()
    })
}

/// The lesson with this id.
pub fn find(id: &str) -> Option<&'static Lesson> {
    all().iter().find(|l| l.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_file_is_carried_and_reads() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/lessons");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().to_string();
                name.strip_suffix(".yaml").map(str::to_string)
            })
            .collect();
        files.sort();
        let mut carried: Vec<String> = SOURCES.iter().map(|(id, _)| id.to_string()).collect();
        carried.sort();
        assert_eq!(
            files, carried,
            "src/pages/learn/lessons.rs lists every lesson file"
        );
        for (id, src) in SOURCES {
            let l = parse_lesson(src).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(l.id, *id);
        }
        assert_eq!(all().len(), SOURCES.len());
    }
}
