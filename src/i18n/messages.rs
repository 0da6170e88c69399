//! The model's own sentences in the page language: eviction reasons, timeline steps and outcome,
//! evaluation notes are `oomlens_core::base::message::Message`s (a stable id plus typed arguments). English
//! comes from the core's template (`oomlens_core::base::message::CATALOGUE`); Chinese from [`ZH`], keyed by
//! the same ids with the same `{placeholders}` (a test checks both). Arguments are formatted by the
//! app: sizes with the app's byte formatter (binary units, the exact count on hover), numbers as
//! written, ids and signal names verbatim, nested phrases translated on their own.
//!
//! The model's stated assumptions (`oomlens_core::simulate::assumptions`) are fixed English sentences;
//! [`ASSUMPTIONS_ZH`] translates them by their exact English text.

use super::Lang;
use oomlens_core::base::message::{template, Arg, Message};

/// One piece of a rendered message: text, or a size in bytes the view shows in binary units with
/// the exact count on hover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text, already in the page language.
    Text(String),
    /// A size in bytes.
    Bytes(i64),
}

/// Argument names whose integer value is a size in bytes (besides `Arg::Bytes` / `Arg::ExactBytes`).
const BYTE_INTS: &[&str] = &["excess"];

/// The template of `id` in `lang`: Chinese from [`ZH`], English (and the fallback) from the core.
pub fn template_in(lang: Lang, id: &str) -> Option<&'static str> {
    if lang == Lang::Zh {
        if let Some((_, t)) = ZH.iter().find(|(k, _)| *k == id) {
            return Some(t);
        }
    }
    template(id)
}

/// The clause separator of a sentence built from several messages (an eviction reason).
pub fn clause_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "; ",
        Lang::Zh => "；",
    }
}

fn push_text(out: &mut Vec<Piece>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(Piece::Text(last)) = out.last_mut() {
        last.push_str(s);
    } else {
        out.push(Piece::Text(s.to_string()));
    }
}

fn push_arg(out: &mut Vec<Piece>, lang: Lang, name: &str, arg: &Arg, depth: u8) {
    match arg {
        Arg::Bytes(b) | Arg::ExactBytes(b) => out.push(Piece::Bytes(*b)),
        Arg::Int(v) if BYTE_INTS.contains(&name) => out.push(Piece::Bytes(*v)),
        Arg::Int(v) => push_text(out, &v.to_string()),
        Arg::Float(f) => push_text(out, &f.to_string()),
        Arg::Text(t) => push_text(out, t),
        Arg::Message(m) => push_message(out, lang, m, depth.saturating_add(1)),
    }
}

fn push_message(out: &mut Vec<Piece>, lang: Lang, msg: &Message, depth: u8) {
    // Nested phrases are one level deep in the catalogue; a bound keeps a malformed value finite.
    if depth > 8 {
        return;
    }
    let Some(tpl) = template_in(lang, msg.id) else {
        push_text(out, msg.id);
        return;
    };
    let mut rest = tpl;
    while let Some(open) = rest.find('{') {
        push_text(out, rest.get(..open).unwrap_or(""));
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find('}') else {
            push_text(out, "{");
            rest = after;
            continue;
        };
        let name = after.get(..close).unwrap_or("");
        match msg.arg(name) {
            Some(a) => push_arg(out, lang, name, a, depth),
            None => {
                push_text(out, "{");
                push_text(out, name);
                push_text(out, "}");
            }
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    push_text(out, rest);
}

/// `msg` in `lang` as pieces (text merged, sizes separate).
pub fn pieces(lang: Lang, msg: &Message) -> Vec<Piece> {
    let mut out = Vec::new();
    push_message(&mut out, lang, msg, 0);
    out
}

/// Several clauses of one sentence in `lang`, joined by [`clause_separator`].
pub fn pieces_joined(lang: Lang, clauses: &[Message]) -> Vec<Piece> {
    let mut out = Vec::new();
    for (i, m) in clauses.iter().enumerate() {
        if i > 0 {
            push_text(&mut out, clause_separator(lang));
        }
        push_message(&mut out, lang, m, 0);
    }
    out
}

/// `msg` in `lang` as plain text (sizes in binary units).
#[cfg(test)]
pub fn render(lang: Lang, msg: &Message) -> String {
    to_text(&pieces(lang, msg))
}

/// Pieces as plain text (sizes in binary units).
#[cfg(test)]
pub fn to_text(pieces: &[Piece]) -> String {
    let mut s = String::new();
    for p in pieces {
        match p {
            Piece::Text(t) => s.push_str(t),
            Piece::Bytes(b) => s.push_str(&oomlens_core::base::quantity::format_bytes(*b)),
        }
    }
    s
}

/// A model assumption in `lang` (English text when no translation matches).
pub fn assumption(lang: Lang, english: &str) -> String {
    if lang == Lang::Zh {
        if let Some((_, zh)) = ASSUMPTIONS_ZH.iter().find(|(en, _)| *en == english) {
            return (*zh).to_string();
        }
    }
    english.to_string()
}

/// Simplified Chinese templates, keyed by the ids of `oomlens_core::base::message::CATALOGUE`, with the
/// same placeholders. kubelet/kernel terms (memory.available, oom_score_adj, kubepods, OOMKilled,
/// memory.oom.group, badness, request, limit) stay as Kubernetes and the kernel spell them.
pub const ZH: &[(&str, &str)] = &[
    ("eviction.rank.critical", "关键 Pod（静态 Pod、镜像 Pod 或优先级 ≥ 2000000000）：evictPod 拒绝驱逐它，永远不会被驱逐"),
    ("eviction.rank.no_stats", "该 Pod 没有内存统计数据：排在最前（exceedMemoryRequests、memory）"),
    ("eviction.rank.over_request", "超出 request（用量 {usage} > request {request}），优先级 {priority}，用量 − request = {excess}"),
    ("eviction.rank.tied", "与前一个 Pod 的所有排序键都相同：先后由 Go 的不稳定排序 sort.Sort 决定"),
    ("eviction.rank.within_request", "未超出 request（用量 {usage} ≤ request {request}），优先级 {priority}，用量 − request = {excess}"),
    ("kernel_rule.root_bonus_adj", "内核 3.10–3.13：无符号，最小为 1；具有 CAP_SYS_ADMIN 的进程 adj −= 30"),
    ("kernel_rule.root_bonus_percent", "内核 3.14–4.16：无符号，最小为 1；具有 CAP_SYS_ADMIN 的进程 points −= points×3/100"),
    ("kernel_rule.signed", "内核 ≥ 5.9：有符号 badness，没有下限，adj −1000 → 永远不会被选中"),
    ("kernel_rule.unsigned_floor1", "内核 4.17–5.8：无符号 badness，最小为 1，adj −1000 → 0（永远不会被选中）"),
    ("mechanism.container_oom", "容器内存 limit（OOMKilled）"),
    ("mechanism.eviction_hard", "kubelet 硬驱逐"),
    ("mechanism.eviction_soft", "kubelet 软驱逐"),
    ("mechanism.kubepods_oom", "kubepods cgroup OOM"),
    ("mechanism.no_evictable_pod", "没有可驱逐的 Pod"),
    ("mechanism.node_oom", "节点 OOM（全局 OOM killer）"),
    ("mechanism.pod_oom", "Pod 内存上限（Pod cgroup 内 OOM）"),
    ("mechanism.pod_terminated", "被驱逐的 Pod 已终止"),
    ("mechanism.soft_threshold_observed", "观察到软驱逐阈值"),
    ("note.eviction_hard_defaulted", "未设置 evictionHard：使用 kubelet 的 Linux 默认值（memory.available<100Mi，以及 nodefs/imagefs 阈值）"),
    ("note.kernel", "内核 {kernel}：{rule}"),
    ("note.kernel_model", "内核 OOM 模型：每个容器视为一个进程，其 rss 等于容器的工作集；Pod 沙箱（pause）的 oom_score_adj 为 −998，rss 可忽略"),
    ("note.memory_qos_on", "MemoryQoS 已开启（kubelet {version}，cgroup v2）"),
    ("note.missing_usage", "未给出用量的 Pod 按 0 字节计算（运行中的 Pod 在 kubelet 中总有统计数据）"),
    ("note.oom_group.off", "未设置 memory.oom.group：OOM kill 只杀死被选中的进程，容器可能继续运行"),
    ("note.oom_group.on", "容器 cgroup 上 memory.oom.group = 1（cgroup v2、kubelet ≥ 1.28、singleProcessOOMKill 关闭）：OOM kill 会杀死整个容器"),
    ("note.single_process_oom_kill_ignored", "kubelet {version} 中没有 singleProcessOOMKill：已忽略"),
    ("oom_group.off", "未设置 memory.oom.group：只杀死被选中的进程（模型中每个容器只有一个进程）"),
    ("oom_group.on", "memory.oom.group = 1：杀死容器内的所有进程（cgroup v2 上 kubelet ≥ 1.28）"),
    ("preset.aks_1_28", "{preset}：kube-reserved = 前 4 GB 的 25% + 接下来 4 GB 的 20% + 接下来 8 GB 的 10% + 接下来 112 GB 的 6% + 128 GB 以上部分的 2%；evictionHard memory.available<750Mi（来源：learn.microsoft.com/azure/aks/node-resource-reservations，AKS 1.29 之前）"),
    ("preset.aks_1_29", "{preset}：kube-reserved = min(20 × maxPods + 50, 内存的 25%)；evictionHard memory.available<100Mi（来源：learn.microsoft.com/azure/aks/node-resource-reservations，AKS 1.29 及以后）"),
    ("preset.eks", "{preset}：kube-reserved = (11 × maxPods + 255) MiB；evictionHard memory.available<100Mi（来源：awslabs/amazon-eks-ami get_memory_mebibytes_to_reserve，AL2 bootstrap.sh、AL2023 nodeadm）"),
    ("preset.gke", "{preset}：kube-reserved = 前 4 GiB 的 25% + 接下来 4 GiB 的 20% + 接下来 8 GiB 的 10% + 接下来 112 GiB 的 6% + 128 GiB 以上部分的 2%；evictionHard memory.available<100Mi（来源：cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes）"),
    ("preset.gke_small", "{preset}：内存小于 1 GiB 的机器 kube-reserved = 255 MiB；evictionHard memory.available<100Mi（来源：cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes）"),
    ("preset.k3s", "{preset}：不预留资源；--eviction-hard=imagefs.available<5%,nodefs.available<5% 会替换默认值，因此没有 memory.available 阈值（来源：k3s-io/k3s pkg/daemons/agent，kubelet argsMap 的 eviction-hard、eviction-minimum-reclaim）"),
    ("preset.kind", "{preset}：不预留资源；evictionHard = {eviction_hard} 会替换默认值，因此没有 memory.available 阈值（来源：kubernetes-sigs/kind pkg/cluster/internal/kubeadm/config.go：“默认禁用磁盘资源管理”；minikube 使用相同的配置）"),
    ("preset.kubeadm", "{preset}：不预留资源；使用 kubelet 默认的 evictionHard（memory.available<100Mi）（来源：kubernetes/kubernetes pkg/kubelet/eviction/defaults_linux.go；kubeadm 不设置 kubeReserved/systemReserved）"),
    ("rules.gate_locked", "featureGates.{gate}：在 kubelet {version} 中已 GA 并锁定为开启，kubelet 不允许关闭；此处仍按关闭建模"),
    ("rules.gate_not_in_release", "featureGates.{gate}：kubelet {version} 中不存在该特性门控（kubelet 会拒绝启动）；此处仍按 {value} 建模"),
    ("rules.gate_unknown", "featureGates.{gate}：oomlens 不对该特性门控建模；按原样保留，但不影响这里的任何结果"),
    ("scope.kubepods", "kubepods cgroup"),
    ("scope.node", "节点"),
    ("scope.pod", "Pod {pod} 的 cgroup"),
    ("timeline.container_oom", "容器 {container} 达到内存 limit {limit}（memory.max）：内核的 memcg OOM killer 将其杀死 → OOMKilled；{oom_group}"),
    ("timeline.eviction.hard", "达到硬驱逐阈值 {signal}：{signal} = {observed} < {threshold}；kubelet 驱逐 {pod}（用量 {usage} {comparison} request {request}，优先级 {priority}），宽限期 {grace} 秒（运行时下限 {floor} 秒 → 内存在 t = {release} 秒时释放）"),
    ("timeline.eviction.hard_min_reclaim", "达到硬驱逐阈值 {signal}：{signal} = {observed} < {threshold}（+ 最小回收量 {min_reclaim}）；kubelet 驱逐 {pod}（用量 {usage} {comparison} request {request}，优先级 {priority}），宽限期 {grace} 秒（运行时下限 {floor} 秒 → 内存在 t = {release} 秒时释放）"),
    ("timeline.eviction.soft", "达到软驱逐阈值 {signal}：{signal} = {observed} < {threshold}；kubelet 驱逐 {pod}（用量 {usage} {comparison} request {request}，优先级 {priority}），宽限期 {grace} 秒（运行时下限 {floor} 秒 → 内存在 t = {release} 秒时释放）"),
    ("timeline.eviction.soft_min_reclaim", "达到软驱逐阈值 {signal}：{signal} = {observed} < {threshold}（+ 最小回收量 {min_reclaim}）；kubelet 驱逐 {pod}（用量 {usage} {comparison} request {request}，优先级 {priority}），宽限期 {grace} 秒（运行时下限 {floor} 秒 → 内存在 t = {release} 秒时释放）"),
    ("timeline.kernel_oom", "{scope} 达到上限 {limit}：OOM killer 在 {candidates} 个候选中选出 badness 最高的 {victim}（{points} 分）；{oom_group}"),
    ("timeline.kernel_oom.no_container_left", "{scope} 内存耗尽，但已没有可杀的容器；OOM killer 会选择 {victim}（{points} 分）"),
    ("timeline.kernel_oom.no_killable_task", "{scope} 内存耗尽，但没有可杀的进程"),
    ("timeline.kernel_oom.tied", "{scope} 达到上限 {limit}：OOM killer 在 {candidates} 个候选中选出 badness 最高的 {victim}（{points} 分），与另外 {ties} 个候选同分（后创建的进程被选中）；{oom_group}"),
    ("timeline.no_evictable_pod.hard", "达到硬驱逐阈值 {signal}（{signal} = {observed} < {threshold}），但剩下的 Pod 都是关键 Pod 或已在终止中：kubelet 无法驱逐"),
    ("timeline.no_evictable_pod.soft", "达到软驱逐阈值 {signal}（{signal} = {observed} < {threshold}），但剩下的 Pod 都是关键 Pod 或已在终止中：kubelet 无法驱逐"),
    ("timeline.outcome.constant", "不会触发任何机制：用量恒定（未设置增长速率），且低于所有上限和阈值"),
    ("timeline.outcome.first", "最先触发：{mechanism}，t = {time} 秒（{victim}）"),
    ("timeline.outcome.stays_below", "不会触发任何机制：增长中的容器始终低于所有上限和阈值"),
    ("timeline.outcome.truncated", "{hours} 小时内不会触发任何机制"),
    ("timeline.pod_terminated", "被驱逐 Pod 的宽限期结束：其容器被杀死，内存随之释放"),
    ("timeline.soft_threshold_observed", "kubelet 观察到 {signal} = {observed} < 软驱逐阈值 {threshold}；若经过 {soft_grace} 秒宽限期后仍满足（t = {at} 秒时），才会驱逐"),
];

/// Simplified Chinese of the model's assumptions, keyed by their exact English text
/// (`oomlens_core::simulate::assumptions`).
pub const ASSUMPTIONS_ZH: &[(&str, &str)] = &[
    (
        "each container is one process whose rss is its working set; usage grows linearly at the given rate",
        "每个容器视为一个进程，其 rss 等于容器的工作集；用量按给定速率线性增长",
    ),
    (
        "a container killed by the kernel frees its memory at once and is not restarted within the simulation",
        "被内核杀死的容器立即释放内存，并且在模拟期间不会重启",
    ),
    (
        "kubelet's first eviction sync is at t = 0, then every 10 s (after an eviction: when the pod is cleaned up)",
        "kubelet 第一次驱逐检查在 t = 0，此后每 10 秒一次（驱逐之后：在该 Pod 清理完成时）",
    ),
    (
        "an evicted pod keeps its memory until its grace period ends (at least 2 s)",
        "被驱逐的 Pod 在宽限期结束前（至少 2 秒）一直占用内存",
    ),
    (
        "pods cannot swap (kubelet swapBehavior NoSwap); node OOM happens when system + pod working set reaches capacity",
        "Pod 不能使用 swap（kubelet swapBehavior 为 NoSwap）；系统与 Pod 工作集之和达到节点容量时发生节点 OOM",
    ),
    (
        "processes outside kubepods with oom_score_adj ≥ 0 (system daemons) are not modelled; in a node OOM they can be chosen before Guaranteed containers",
        "未对 kubepods 之外 oom_score_adj ≥ 0 的进程（系统守护进程）建模；节点 OOM 时它们可能先于 Guaranteed 容器被选中",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use oomlens_core::base::message::{placeholders, CATALOGUE};
    use std::collections::BTreeSet;

    /// Every id of the core's catalogue has a Chinese template with exactly the same placeholder
    /// names, and the Chinese table has no id the core does not know and no duplicate.
    #[test]
    fn the_chinese_table_covers_every_catalogue_id_with_the_same_placeholders() {
        let zh_ids: BTreeSet<&str> = ZH.iter().map(|(k, _)| *k).collect();
        assert_eq!(zh_ids.len(), ZH.len(), "duplicate id in ZH");
        let core_ids: BTreeSet<&str> = CATALOGUE.iter().map(|(k, _)| *k).collect();
        assert_eq!(zh_ids, core_ids, "ZH ids differ from the core CATALOGUE");
        for (id, en) in CATALOGUE {
            let zh = ZH
                .iter()
                .find(|(k, _)| k == id)
                .map(|(_, t)| *t)
                .unwrap_or("");
            let want: BTreeSet<&str> = placeholders(en).into_iter().collect();
            let got: BTreeSet<&str> = placeholders(zh).into_iter().collect();
            assert_eq!(got, want, "{id}: placeholders differ");
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) || zh == *en,
                "{id}: not translated"
            );
        }
    }

    #[test]
    fn every_assumption_of_the_model_is_translated() {
        for a in oomlens_core::simulate::assumptions() {
            assert_ne!(assumption(Lang::Zh, &a), a, "untranslated assumption: {a}");
            assert_eq!(assumption(Lang::En, &a), a);
        }
    }

    /// English rendering agrees with the core's own `Message::english`, except that sizes use the
    /// app's byte formatter; nested messages are translated; `excess` is a size.
    #[test]
    fn messages_render_with_typed_arguments() {
        let m = Message::new(
            "eviction.rank.over_request",
            vec![
                ("usage", Arg::ExactBytes(3 << 30)),
                ("request", Arg::ExactBytes(1 << 30)),
                ("priority", Arg::Int(-5)),
                ("excess", Arg::Int(2 << 30)),
            ],
        );
        assert_eq!(
            pieces(Lang::En, &m),
            vec![
                Piece::Text("over request (usage ".into()),
                Piece::Bytes(3 << 30),
                Piece::Text(" > request ".into()),
                Piece::Bytes(1 << 30),
                Piece::Text("), priority -5, usage − request = ".into()),
                Piece::Bytes(2 << 30),
            ]
        );
        assert_eq!(
            render(Lang::Zh, &m),
            "超出 request（用量 3 GiB > request 1 GiB），优先级 -5，用量 − request = 2 GiB"
        );
        let nested = Message::new(
            "timeline.kernel_oom.no_killable_task",
            vec![(
                "scope",
                Arg::Message(Box::new(Message::new(
                    "scope.pod",
                    vec![("pod", Arg::Text("shop/web".into()))],
                ))),
            )],
        );
        assert_eq!(
            render(Lang::Zh, &nested),
            "Pod shop/web 的 cgroup 内存耗尽，但没有可杀的进程"
        );
        assert_eq!(render(Lang::En, &nested), nested.english());
        let joined = pieces_joined(
            Lang::Zh,
            &[
                Message::plain("eviction.rank.no_stats"),
                Message::plain("eviction.rank.tied"),
            ],
        );
        assert_eq!(joined.len(), 1);
        assert!(to_text(&joined).contains("）；与前一个"));
        // An unknown id renders as itself; a missing argument stays a placeholder.
        assert_eq!(
            render(Lang::Zh, &Message::plain("no.such.id")),
            "no.such.id"
        );
        assert_eq!(
            render(Lang::Zh, &Message::plain("note.kernel")),
            "内核 {kernel}：{rule}"
        );
    }

    /// Every message the model writes for the built-in examples renders in both languages with every
    /// placeholder filled, in Chinese with Chinese text, and there is one message per English note.
    #[test]
    fn every_example_renders_in_both_languages() {
        use crate::pages::calculator::examples::EXAMPLES;
        for ex in EXAMPLES {
            let s = oomlens_core::scenario::parse_scenario(ex.text).unwrap();
            let full = oomlens_core::evaluate(&s).unwrap();
            let fast = &full;
            let clauses: Vec<Message> = fast
                .pods
                .iter()
                .flat_map(|p| p.eviction_messages())
                .collect();
            let mut all: Vec<&Message> = fast.note_messages.iter().collect();
            all.extend(clauses.iter());
            all.extend(fast.timeline.steps.iter().map(|s| &s.message));
            all.push(&fast.timeline.outcome_message);
            for m in all {
                for lang in [Lang::En, Lang::Zh] {
                    let t = render(lang, m);
                    assert!(
                        !t.contains('{') && !t.is_empty(),
                        "{}: {} → {t}",
                        ex.id,
                        m.id
                    );
                }
            }
            for step in &fast.timeline.steps {
                let zh = render(Lang::Zh, &step.message);
                assert!(
                    zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{}: {zh}",
                    ex.id
                );
            }
            assert_eq!(
                full.notes().len(),
                fast.note_messages.len(),
                "{}: notes and note messages",
                ex.id
            );
        }
    }

    /// Every cloud preset's formula line (`NodeReport::preset_message`) renders in both languages:
    /// English as the core's `preset` line, Chinese with Chinese text, the preset name filled in.
    #[test]
    fn preset_formula_lines_render_in_both_languages() {
        use oomlens_core::kubelet::presets::{apply_preset_for_version, PRESET_NAMES};
        use oomlens_core::kubelet::rules::KubeletVersion;
        for name in PRESET_NAMES {
            for minor in [28, 34] {
                for capacity in [512i64 << 20, 16 << 30] {
                    let p = apply_preset_for_version(
                        name,
                        capacity,
                        Some(58),
                        KubeletVersion { major: 1, minor },
                    )
                    .unwrap();
                    let m = &p.message;
                    assert_eq!(render(Lang::En, m), p.formula_line(), "{name}");
                    let zh = render(Lang::Zh, m);
                    assert!(zh.starts_with(&format!("{}：", p.name)), "{name}: {zh}");
                    assert!(
                        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                        "{name}: {zh}"
                    );
                    assert!(!zh.contains("{preset}") && !zh.contains("{eviction_hard}"));
                }
            }
        }
    }
}
