export * from "./donation_guard.js";
import type { InitInput, InitOutput } from "./donation_guard.js";
/**
 * Fetches and compiles the engine once; every call returns the same promise. `input` defaults
 * to the `.wasm` beside this file (a URL, a `Response`, bytes or a `WebAssembly.Module`).
 */
export default function init(
  input?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<InitOutput>;
/** Whether the engine has loaded. Before it has, `check()` and the others return a `not_ready`
 * error object instead of throwing. */
export function isReady(): boolean;
