//! Diagnostics readers: each reads one kind of incident input line by line, keeping line numbers,
//! tolerant of cut, wrapped and interleaved text. Shared line handling is in [`lines`].

pub mod describe;
pub mod detect;
pub mod dmesg;
pub mod events_table;
pub mod eviction_message;
pub mod finding;
pub mod input;
pub mod kubelet_config;
pub mod lines;
pub mod memory_stat;
pub mod oomd;
pub mod quoted_printable;
pub mod unit_oom;
