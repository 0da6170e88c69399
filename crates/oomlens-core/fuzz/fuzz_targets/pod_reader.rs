//! Pod manifests (`kubectl get -o yaml|json`, Lists, workloads): the pod reader directly, and every
//! pod it returns written back as a manifest and read again.
#![no_main]
libfuzzer_sys::fuzz_target!(|text: &str| {
    if let Ok(pods) = oomlens_core::scenario::pod_reader::read_pods(text) {
        for pod in &pods {
            let manifest = pod.to_manifest();
            let _ = serde_json::to_string(&manifest);
        }
    }
});
