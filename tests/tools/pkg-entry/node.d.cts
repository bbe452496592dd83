export * from "./donation_guard.js";
/** The engine is already loaded in Node; this resolves at once (for code shared with the browser). */
export function init(input?: unknown): Promise<unknown>;
/** The engine is already loaded in Node; this returns at once. */
export function initSync(input?: unknown): unknown;
/** Always true in Node. */
export function isReady(): boolean;
export default init;
