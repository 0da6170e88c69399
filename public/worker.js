// The incident page's web worker (a module worker). It loads the incident module — the page passes
// its hashed file URLs (from the <meta name="oomlens-wasm"> marker) as the worker's name,
// "<js URL>\n<wasm URL>" — and the module's `main` sees it has no window and starts the analyser
// (src/worker.rs) instead of the page. Only same-origin URLs are accepted.
const sameOrigin = (u) => {
  try {
    return new URL(u, self.location.href).origin === self.location.origin;
  } catch (_) {
    return false;
  }
};
const [js, wasm] = (self.name || '').split('\n');
if (!js || !wasm || !sameOrigin(js) || !sameOrigin(wasm)) {
  throw new Error('worker: missing or foreign module URL');
}
const bindings = await import(new URL(js, self.location.href).href);
await bindings.default({ module_or_path: new URL(wasm, self.location.href).href });
