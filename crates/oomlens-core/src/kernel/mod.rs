//! The Linux kernel's rules: the OOM killer's badness and victim choice per kernel version
//! (`torvalds/linux mm/oom_kill.c`, `mm/memcontrol.c`, `fs/proc/base.c`). Imports only the base
//! and api layers; never the kubelet layer (the kernel knows nothing of pods).

pub mod badness;
pub mod kill_order;
