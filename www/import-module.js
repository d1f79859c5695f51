// Imports one of the site's ES modules and starts its wasm: the default export of
// wasm-bindgen's `--target web` glue instantiates it. The demos load this way once
// the first slide is up (src/ui/pane_host.rs). A classic script, so the page's
// wasm can call it before any module of its own exists. It comes at the end of
// the page's body: the boot screen above it is painted without waiting for it,
// and it has run before the app's module does (module scripts run once the page
// is parsed).
self.parallelPlaygroundImport = (url) =>
  import(url).then(async (module) => {
    await module.default();
    return module;
  });
