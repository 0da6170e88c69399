//! The common catalogue: the app shell (header, navigation, language and theme switches, footer).
//! English and Simplified Chinese, same keys.

/// English texts.
pub const EN: &[(&str, &str)] = &[
    ("app.name", "oomlens"),
    (
        "app.tagline",
        "Kubernetes node memory: who gets killed, and why",
    ),
    ("app.skip_to_main", "Skip to content"),
    ("term.explain", "What is {term}?"),
    ("term.source", "(source: {source})"),
    ("term.glossary", "Terms used here, explained"),
    ("app.title.calculator", "oomlens · node memory calculator"),
    ("app.title.incident", "oomlens · incident analysis"),
    ("nav.label", "Pages"),
    ("nav.calculator", "Calculator"),
    ("nav.incident", "Incident"),
    ("lang.switch", "中文"),
    (
        "lang.switch_title",
        "切换到简体中文 (switch to Simplified Chinese)",
    ),
    ("theme.to_dark", "Dark"),
    ("theme.to_dark_title", "Switch to the dark theme"),
    ("theme.to_light", "Light"),
    ("theme.to_light_title", "Switch to the light theme"),
    (
        "footer.privacy",
        "Runs entirely in your browser: nothing you enter or paste leaves this page.",
    ),
    ("footer.version", "oomlens {version}"),
];

/// Simplified Chinese texts.
pub const ZH: &[(&str, &str)] = &[
    ("app.name", "oomlens"),
    ("app.tagline", "Kubernetes 节点内存：谁会被杀掉，为什么"),
    ("app.skip_to_main", "跳到正文"),
    ("term.explain", "{term} 是什么？"),
    ("term.source", "（来源：{source}）"),
    ("term.glossary", "本页术语解释"),
    ("app.title.calculator", "oomlens · 节点内存计算器"),
    ("app.title.incident", "oomlens · 事故分析"),
    ("nav.label", "页面"),
    ("nav.calculator", "计算器"),
    ("nav.incident", "事故分析"),
    ("lang.switch", "English"),
    ("lang.switch_title", "Switch to English (切换到英文)"),
    ("theme.to_dark", "深色"),
    ("theme.to_dark_title", "切换到深色主题"),
    ("theme.to_light", "浅色"),
    ("theme.to_light_title", "切换到浅色主题"),
    (
        "footer.privacy",
        "完全在浏览器中运行：您输入或粘贴的任何内容都不会离开本页面。",
    ),
    ("footer.version", "oomlens {version}"),
];
