// The incident page's web worker (a module worker). It loads the app's own wasm module — the page
// passes the hashed file names (from the <meta name="oomlens-wasm"> marker) as ?js=…&wasm=… — and
// the module's `main` sees it has no window and starts the analyser (src/worker.rs) instead of the
// app. Only same-origin URLs are accepted.
const params = new URL(self.location.href).searchParams;
const sameOrigin = (u) => {
  try {
    return new URL(u, self.location.href).origin === self.location.origin;
  } catch (_) {
    return false;
  }
};
const js = params.get('js');
const wasm = params.get('wasm');
if (!js || !wasm || !sameOrigin(js) || !sameOrigin(wasm)) {
  throw new Error('worker: missing or foreign module URL');
}
const bindings = await import(new URL(js, self.location.href).href);
await bindings.default({ module_or_path: new URL(wasm, self.location.href).href });
