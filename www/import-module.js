// Imports one of the site's ES modules and starts its wasm: the default export of
// wasm-bindgen's `--target web` glue instantiates it. The demos load this way once
// the first slide is up (src/ui/pane_host.rs). A classic script, so the page's
// wasm can call it before any module of its own exists. It comes at the end of
// the page's body: the boot screen above it is painted without waiting for it,
// and it has run before the app's module does (module scripts run once the page
// is parsed).
// `styles`, a stylesheet that comes with the module, is added to the page and
// waited for (loaded or failed: the module then runs unstyled, not not at all).
self.parallelPlaygroundImport = (url, styles) => {
  const styled = new Promise((done) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = styles;
    link.onload = link.onerror = done;
    document.head.append(link);
  });
  return Promise.all([
    import(url).then(async (module) => {
      await module.default();
      return module;
    }),
    styled,
  ]).then(([module]) => module);
};

// The speaker view's window (`?speaker`, as src/model/speaker.rs reads it) takes
// its own styles, which the projected page does not load.
if (location.search.slice(1).split('&').some((pair) => pair.split('=')[0] === 'speaker')) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = 'speaker.css';
  document.head.append(link);
}
