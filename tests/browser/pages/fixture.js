// Test page helpers: records the widget's callbacks and events (an external file, so it runs
// under a strict Content-Security-Policy too).
window.dgCalls = { verdict: [], error: [], events: 0 };
window.onDgVerdict = function (verdict, response) { window.dgCalls.verdict.push({ decision: verdict.decision, response: response }); };
window.onDgError = function (error) { window.dgCalls.error.push(error); };
document.addEventListener('donation-guard:verdict', function () { window.dgCalls.events++; });
