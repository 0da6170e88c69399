// Loads the app. An external module (not trunk's inline loader) so the Content-Security-Policy
// needs no script hash. The build writes <meta name="oomlens-wasm"> with every URL it needs, already
// prefixed with the public URL, so the same file works at / and under a sub-path such as /oomlens/:
//   data-js/data-wasm                  the shell and calculator module (the first load);
//   data-incident-js/data-incident-wasm the incident page and analyser module (loaded later),
//   data-incident-css                  and its stylesheet;
//   data-learn-css                     training mode's stylesheet (its page is in the second module);
//   data-zh                            the Chinese text (src/i18n/zh.txt);
//   data-worker                        the analyser's web worker script;
//   data-base, data-sw                 the site's base URL (the service worker's scope), and "off"
//                                      for a development build (scripts/serve.sh) that has none.
const marker = document.querySelector('meta[name="oomlens-wasm"]');
const status = document.getElementById('boot');
const data = marker ? marker.dataset : {};

function fail(reason) {
  if (status) {
    status.classList.add('boot-failed');
    status.textContent = `oomlens could not start: ${reason} · oomlens 无法启动：${reason}`;
  }
}

const reason = (err) => (err && err.message ? err.message : String(err));

// A page served by a service worker that sees another one take over is running an older build than
// the one just installed: offerReload (below) says so. Listening from the start, so a takeover
// while the app loads is not missed; the very first install takes over no page (no notice).
if ('serviceWorker' in navigator && navigator.serviceWorker.controller) {
  navigator.serviceWorker.addEventListener('controllerchange', () => offerReload());
}

// The Chinese text, fetched beside the wasm when the user's language is Chinese (the app awaits
// this promise before its first render; a failed fetch resolves to undefined and the app starts in
// English, fetching again only when the user chooses Chinese).
function storedLang() {
  try {
    return localStorage.getItem('oomlens.lang');
  } catch (_) {
    return null;
  }
}
const lang = storedLang() || navigator.language || '';
// A fetch that stalls for 3 s resolves to undefined too: the app then starts in English and does
// not wait any longer (the user can switch once the network is back).
if (lang.toLowerCase().startsWith('zh') && data.zh) {
  globalThis.oomlensZhText = Promise.race([
    fetch(data.zh)
      .then((r) => (r.ok ? r.text() : undefined))
      .catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, 3000)),
  ]);
}

// Share links' raw DEFLATE, through the browser's compression streams (the calculator's module
// then carries no compressor: src/share.rs). Inflating stops with "too-large" past `max` bytes
// (a deflate bomb) and fails with "corrupt" on damaged data.
async function pump(transform, bytes, max) {
  const reader = new Blob([bytes]).stream().pipeThrough(transform).getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (max !== undefined && size > max) {
      reader.cancel().catch(() => {});
      throw new Error('too-large');
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
// A browser without the streams (or without 'deflate-raw') rejects with "unsupported".
function transform(Kind) {
  try {
    return new Kind('deflate-raw');
  } catch (_) {
    return undefined;
  }
}
globalThis.oomlensDeflate = async (bytes) => {
  const t = globalThis.CompressionStream && transform(CompressionStream);
  if (!t) throw new Error('unsupported');
  return pump(t, bytes);
};
globalThis.oomlensInflate = async (bytes, max) => {
  const t = globalThis.DecompressionStream && transform(DecompressionStream);
  if (!t) throw new Error('unsupported');
  return pump(t, bytes, max).catch((err) => {
    throw new Error(err && err.message === 'too-large' ? 'too-large' : 'corrupt');
  });
};

// The second module: the incident page and its analyser, training mode, and what the calculator needs only after
// its first paint (the YAML reader, the examples other than the default; `src/bridge`). Started on
// idle after the calculator is ready, or at once when the incident page is opened first or the
// calculator needs it; the incident page is mounted into #incident-root when the shell asks.
// Once started, its exports are `globalThis.oomlensDeferred` (the calculator calls them
// synchronously); after a failure, the next request tries again.
let compiling;
function compiled() {
  if (!compiling) {
    compiling = WebAssembly.compileStreaming(fetch(data.incidentWasm)).catch(() => {
      compiling = undefined;
      return data.incidentWasm; // let the module's own loader try, and report its error
    });
  }
  return compiling;
}
// A failed dynamic import() stays failed for the page's life in browsers, so a retry imports the
// module under a new URL.
let deferred;
let attempts = 0;
function loadDeferred() {
  if (!deferred) {
    const js = attempts++ ? `${data.incidentJs}?retry=${attempts}` : data.incidentJs;
    deferred = (async () => {
      const bindings = await import(js);
      await bindings.default({ module_or_path: await compiled() });
      globalThis.oomlensDeferred = bindings;
      return bindings;
    })();
    deferred.catch(() => {
      deferred = undefined; // the next request tries again
    });
  }
  return deferred;
}
// With `ms` > 0, the returned promise gives up after `ms` milliseconds (the load goes on).
globalThis.oomlensLoadDeferred = (ms) =>
  ms > 0
    ? Promise.race([
        loadDeferred(),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`not loaded within ${ms / 1000} s`)), ms)),
      ])
    : loadDeferred();

// A stylesheet added to the page once (a failed one resolves too: unstyled beats not shown).
const sheets = {};
function stylesheet(href) {
  if (!sheets[href]) {
    sheets[href] = new Promise((resolve) => {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = href;
      link.addEventListener('load', resolve);
      link.addEventListener('error', resolve);
      document.head.append(link);
    });
  }
  return sheets[href];
}

// Mounts a page of the second module once (the incident page, training mode), with its
// stylesheet; a failure is reported to the shell as `oomlens:<page>-failed`, and the next
// request tries again.
const pages = {
  incident: { css: () => data.incidentCss, load: loadDeferred, mount: (b) => b.mount_incident() },
  learn: { css: () => data.learnCss, load: loadDeferred, mount: (b) => b.mount_learn() },
};
const mounted = {};
function mountPage(name) {
  const page = pages[name];
  if (!mounted[name]) {
    mounted[name] = (async () => {
      const style = stylesheet(page.css());
      const bindings = await page.load();
      await style;
      page.mount(bindings);
    })().catch((err) => {
      mounted[name] = undefined;
      window.dispatchEvent(new CustomEvent(`oomlens:${name}-failed`, { detail: reason(err) }));
    });
  }
  return mounted[name];
}
window.addEventListener('oomlens:need-incident', () => mountPage('incident'));
window.addEventListener('oomlens:need-learn', () => mountPage('learn'));

// A visit that starts on the incident page or training mode (#/incident, #/learn, or the paths
// 404.html answers)
// compiles its module beside the calculator's instead of after it.
if (data.incidentWasm && (/^#\/?(incident|learn)\b/.test(location.hash) || /\/(incident|learn)(\.html)?\/?$/.test(location.pathname))) {
  compiled();
}

if (!marker || !data.js || !data.wasm || !data.incidentJs || !data.incidentWasm || !data.incidentCss || !data.learnCss) {
  fail('the build is incomplete (no wasm marker)');
} else {
  try {
    const bindings = await import(data.js);
    await bindings.default({ module_or_path: data.wasm });
  } catch (err) {
    fail(reason(err));
    throw err;
  }
  // The second module starts once the browser is idle (within 2 s at most): after the calculator's
  // first paint, and ready before most users pick an example or paste YAML.
  const idle = window.requestIdleCallback || ((f) => setTimeout(f, 200));
  idle(() => loadDeferred().catch(() => {}), { timeout: 2000 });
}

// Offline: the service worker (public/sw.js) precaches this build after the first visit. When a
// later visit finds a new deploy, the new worker installs in the background and a quiet notice
// offers to reload into it; until then the page keeps running the build it started with.
function offerReload() {
  if (document.getElementById('update')) return;
  const zh = (document.documentElement.lang || '').startsWith('zh');
  const note = document.createElement('p');
  note.id = 'update';
  note.className = 'update';
  note.setAttribute('role', 'status');
  note.textContent = zh ? '有新版本可用。' : 'A new version is available.';
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = zh ? '重新加载' : 'Reload';
  button.addEventListener('click', () => location.reload());
  note.append(' ', button);
  document.body.append(note);
}
if (marker && 'serviceWorker' in navigator && data.base && data.sw !== 'off') {
  navigator.serviceWorker
    .register(`${data.base}sw.js`, { scope: data.base })
    .catch(() => {}); // no service worker (private mode, file://): the app works online as before
}
