// donation-guard widget as an ES module:
//   import donationGuard, { render } from '/widget/donation-guard.mjs';
// It runs the classic script once (which defines window.donationGuard and <donation-guard>),
// and points it at the engine beside this file.
import './donation-guard.js';

const dg = globalThis.donationGuard;
dg.config({ base: new URL('./', import.meta.url).href });

export const { ready, render, reset, getResponse, getSubmission, getVerdict, remove, config } = dg;
export default dg;
