/*! donation-guard widget 0.1.0 | MIT OR Apache-2.0 */
// The entry point: checks a donation form against U.S. federal law (52 U.S.C. 30121) in the
// browser, with the same WebAssembly engine the committee's server runs. One script tag:
//   <script src="/widget/donation-guard.js" async defer></script>
//   <form data-donation-guard data-recipient-type="candidate" data-election="primary"> ... </form>
// The engine (engine/donation_guard.js + engine/donation_guard_bg.wasm) loads from beside this
// file. If it cannot load, the form still submits and the response says "unavailable".
// esbuild bundles these modules into www/widget/donation-guard.js (tests/tools/build-widget.mjs).
import { defineElement, markScript, publicApi, renderImplicitForms } from './api.mjs';
import { whenDomReady } from './dom.mjs';
import { loadEngine } from './engine.mjs';
import { watchPointer } from './pointer.mjs';
import { scriptTag } from './script-tag.mjs';
import { widgetsByForm } from './widget.mjs';

function start() {
  whenDomReady();
  watchPointer();
  // One capturing listener sees every submit before the site's own handlers do.
  window.addEventListener('submit', (event) => {
    const widget = widgetsByForm.get(/** @type {HTMLFormElement} */ (event.target));
    if (widget) widget.submit(/** @type {SubmitEvent} */ (event));
  }, true);
  const ready = renderImplicitForms();
  markScript();
  if (scriptTag) loadEngine().catch(() => {}); // start fetching the engine now, while the page parses
  window.donationGuard = publicApi(ready);
  defineElement();
}

// Loaded twice (two script tags, or the script and the module): the first one stays.
if (!(window.donationGuard && window.donationGuard.version)) start();
