// What every end-to-end file sets up: the built site (dist/) served over HTTP
// under its sub-path, and a browser per `describe` block, closed when it ends.
import { describe, before, after } from 'node:test';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveSite } from './server.mjs';
import { BROWSERS, launch, openPage } from './browsers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const dist = path.join(here, '..', 'dist');
export const artifacts = path.join(here, 'artifacts');

/**
 * Declares `describe(`${title} in ${browser}`)` for each browser (all of
 * BROWSERS, or those named in `options.only`) and calls `body(fixture)` inside it.
 * The fixture's fields are filled before the block's first test:
 *   spec       the browser's entry in BROWSERS
 *   browser    the launched browser
 *   site       the site served with COOP/COEP headers (cross-origin isolated)
 *   plainSite  with `plainSite: true`, the same site served without them
 *   open(options) a new page and the list of problems it records (see openPage)
 *   shot(name) the path of a screenshot in e2e/artifacts/, named after the browser
 */
export function forEachBrowser(title, options, body) {
  if (body === undefined) [options, body] = [{}, options];
  const { only, plainSite = false } = options;
  for (const spec of BROWSERS.filter((b) => !only || only.includes(b.name))) {
    describe(`${title} in ${spec.name}`, () => {
      const fixture = {
        spec,
        browser: undefined,
        site: undefined,
        plainSite: undefined,
        open: (options) => openPage(fixture.browser, options),
        shot: (name) => path.join(artifacts, `${spec.name}-${name}.png`),
      };

      before(async () => {
        await mkdir(artifacts, { recursive: true });
        fixture.site = await serveSite({ root: dist, isolated: true });
        if (plainSite) fixture.plainSite = await serveSite({ root: dist, isolated: false });
        fixture.browser = await launch(spec);
      });

      after(async () => {
        await fixture.browser?.close();
        await fixture.site?.close();
        await fixture.plainSite?.close();
      });

      body(fixture);
    });
  }
}
