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
    ("app.title.learn", "oomlens · training"),
    ("nav.label", "Pages"),
    // The "what fires first" chart (the calculator and training mode draw it).
    ("chart.tl.title", "What fires first: simulated timeline"),
    ("chart.tl.container", "container limit"),
    ("chart.tl.pod", "pod limit"),
    ("chart.tl.eviction", "kubelet eviction"),
    ("chart.tl.kubepods", "kubepods OOM"),
    ("chart.tl.node", "node OOM"),
    ("chart.tl.nothing", "nothing fires"),
    ("nav.calculator", "Calculator"),
    ("nav.incident", "Incident"),
    ("nav.learn", "Learn"),
    ("lang.switch", "中文"),
    ("unit.bytes", "bytes"),
    ("app.loading_incident", "Loading the incident page…"),
    ("app.loading_learn", "Loading training mode…"),
    (
        "app.learn_failed",
        "Training mode could not be loaded: {reason}. Reload to try again.",
    ),
    (
        "app.incident_failed",
        "The incident page could not be loaded: {reason}. Reload to try again.",
    ),
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
