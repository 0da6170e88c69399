//! The Kubernetes API objects the model reads, as narrow Rust types: the v1 Pod and its
//! containers' resources (`k8s.io/api/core/v1`) and the memory part of the kubelet's
//! configuration file (`KubeletConfiguration`). They hold what a user wrote; the kubelet layer
//! applies the rules to them. Imports only the base layer.

pub mod kubelet_config;
pub mod pod;
