// Imports one of the site's ES modules and starts its wasm: the default export of
// wasm-bindgen's `--target web` glue instantiates it. The demos load this way once
// the first slide is up (src/ui/pane_host.rs). A classic script, so the page's
// wasm can call it before any module of its own exists. Deferred, so it does not
// hold up the parser or the boot screen's first paint: it runs before
// DOMContentLoaded, which pane_host waits for before it calls it.
self.parallelPlaygroundImport = (url) =>
  import(url).then(async (module) => {
    await module.default();
    return module;
  });
