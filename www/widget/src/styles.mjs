// The widget's styles: every class starts with dg-, and the look comes from the page (its font
// and colour) or from --dg-* custom properties.

const CSS = `
.dg-block{display:grid;gap:var(--dg-gap,.75rem);margin:var(--dg-gap,.75rem) 0;font:inherit;color:inherit}
.dg-block [hidden]{display:none}
.dg-fieldset{margin:0;padding:var(--dg-pad,.75rem 1rem);border:var(--dg-border,1px solid color-mix(in srgb,currentColor 25%,transparent));border-radius:var(--dg-radius,.5rem);min-width:0;font:inherit;color:inherit;background:var(--dg-background,transparent)}
.dg-legend{padding:0 .25rem;font-weight:var(--dg-legend-weight,600)}
.dg-hint{margin:.25rem 0 .5rem;font-size:.875em;opacity:.85}
.dg-row{display:flex;gap:.5rem;align-items:flex-start;margin:.375rem 0 0}
.dg-row input{flex:none;width:1.125em;height:1.125em;margin:.15em 0 0;accent-color:var(--dg-accent-color,auto)}
.dg-row label{display:block;margin:0;cursor:pointer;font-weight:var(--dg-label-weight,400)}
.dg-orig{display:block;font-size:.875em;opacity:.85}
.dg-field label{display:block;font-weight:var(--dg-legend-weight,600)}
.dg-input{box-sizing:border-box;width:100%;max-width:20em;font:inherit;color:inherit;background:var(--dg-input-background,transparent);padding:var(--dg-input-pad,.5rem .625rem);border:var(--dg-border,1px solid color-mix(in srgb,currentColor 40%,transparent));border-radius:var(--dg-radius,.5rem)}
.dg-msg{min-height:var(--dg-msg-height,1.4em);font-size:var(--dg-msg-size,.875em);line-height:1.4;margin:.25rem 0 0;color:var(--dg-error-color,#b3261e)}
.dg-msg.dg-review{color:var(--dg-warning-color,#8a4b00)}
.dg-msg.dg-info{color:var(--dg-info-color,inherit)}
.dg-invalid:not(:focus){border-color:var(--dg-error-color,#b3261e)!important}
.dg-summary{margin:0 0 var(--dg-gap,.75rem);padding:var(--dg-pad,.75rem 1rem);border:2px solid var(--dg-error-color,#b3261e);border-radius:var(--dg-radius,.5rem);font:inherit;color:inherit;background:var(--dg-summary-background,transparent)}
.dg-summary:focus{outline:3px solid var(--dg-focus-color,var(--dg-error-color,#b3261e));outline-offset:2px}
.dg-summary p{margin:0 0 .375rem;font-weight:600}
.dg-summary ul{margin:0;padding-left:1.25rem}
.dg-summary a{color:var(--dg-error-color,#b3261e)}
.dg-debug{outline:2px dashed var(--dg-debug-color,#0b5fff)!important;outline-offset:2px}
.dg-debug-tag{display:inline-block;justify-self:start;width:max-content;margin:0 .25rem .125rem 0;padding:0 .375em;border-radius:.25rem;font:600 11px/1.6 ui-monospace,monospace;color:#fff;background:var(--dg-debug-color,#0b5fff);vertical-align:middle}
.dg-debug-unmapped{background:#6b6b6b}
.dg-debug-missing{margin:0 0 var(--dg-gap,.75rem);padding:.5rem .75rem;border:2px dashed #b3261e;border-radius:.25rem;font:12px/1.5 ui-monospace,monospace;color:#b3261e}
`;
let styled = false;
/** Adds the styles to the document, once. */
export function addStyles() {
  if (styled) return;
  styled = true;
  try { // A constructed sheet is CSSOM, so a strict style-src policy does not block it.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    document.adoptedStyleSheets = document.adoptedStyleSheets.concat(sheet);
  } catch (_) {
    const element = document.createElement('style');
    element.textContent = CSS;
    document.head.appendChild(element);
  }
}
