// What the widget's sources add to the page's globals, for `tsc --checkJs` (the published types
// of window.donationGuard are www/widget/donation-guard.d.ts).
interface Window {
  donationGuard?: ReturnType<typeof import("./api.mjs").publicApi>;
}
