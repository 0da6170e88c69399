// Loads the wasm-bindgen module and starts the app. It is an external module (not trunk's inline
// loader) so the Content-Security-Policy needs no script hash. trunk's `pattern_script` (Trunk.toml)
// writes <meta name="oomlens-wasm" data-js=… data-wasm=…> with the hashed file names, already
// prefixed with the public URL, so the same file works at / and under a sub-path such as /oomlens/.
const marker = document.querySelector('meta[name="oomlens-wasm"]');
const status = document.getElementById('boot');

function fail(reason) {
  if (status) {
    status.classList.add('boot-failed');
    status.textContent = `oomlens could not start: ${reason} · oomlens 无法启动：${reason}`;
  }
}

if (!marker || !marker.dataset.js || !marker.dataset.wasm) {
  fail('the build is incomplete (no wasm marker)');
} else {
  try {
    const bindings = await import(marker.dataset.js);
    await bindings.default({ module_or_path: marker.dataset.wasm });
  } catch (err) {
    fail(err && err.message ? err.message : String(err));
    throw err;
  }
}
