export * from "./donation_guard.js";
/** The bundler loads the engine with the module; this resolves at once. */
export default function init(input?: unknown): Promise<unknown>;
/** The bundler loads the engine with the module; this returns at once. */
export function initSync(input?: unknown): unknown;
/** Always true: the bundler loaded the engine with the module. */
export function isReady(): boolean;
