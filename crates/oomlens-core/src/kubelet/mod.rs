//! The kubelet's rules, one upstream concept per module (each module's doc comment names the
//! upstream files and releases it follows): release facts and feature gates (`rules`), cloud
//! presets, resource arithmetic, QoS class, critical pods, `oom_score_adj`, eviction thresholds,
//! allocatable, node-pressure eviction, Memory QoS and the cgroup paths kubelet creates.
//! Imports only the base and api layers; never the kernel layer.

pub mod allocatable;
pub mod cgroup_path;
pub mod critical;
pub mod eviction;
pub mod memory_qos;
pub mod oom_score_adj;
pub mod presets;
pub mod qos;
pub mod resource_fit;
pub mod resources;
pub mod rules;
pub mod thresholds;
