//! The core's integration tests, one binary (each module is one area; `support` holds the
//! shared helpers). Upstream test tables are ported as data-driven tests that cite their file.

mod support;

mod allocatable_node;
mod badness;
mod cgroup_path;
mod describe;
mod detect;
mod dmesg;
mod dmesg_robustness;
mod evaluate;
mod events_table;
mod eviction_message;
mod eviction_pods;
mod eviction_rank;
mod explain;
mod explain_robustness;
mod hits;
mod k8s_pastes;
mod kernel_pastes;
mod kubelet_config;
mod layers;
mod lessons;
mod memory_qos_cgroups;
mod memory_stat;
mod messages;
mod oom_score_adj;
mod oom_storm;
mod oomd;
mod pod_reader;
mod presets_cloud;
mod properties;
mod qos;
mod quantity;
mod resources;
mod rules;
mod scenario;
mod scenario_robustness;
mod simulate;
mod thresholds_parse;
