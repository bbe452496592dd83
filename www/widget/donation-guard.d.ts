// Types of the donation-guard widget: `window.donationGuard` (the classic script,
// dist/donation-guard.js) and the ES module (dist/donation-guard.mjs), which exports the same
// object as its default export and its members by name.
import type { Submission, Verdict } from "./engine/donation_guard.js";

export type { Submission, Verdict, Finding, FindingCode, Decision } from "./engine/donation_guard.js";

/** A widget: the id `render()` returned, the form element, or a selector for it. */
export type WidgetRef = string | HTMLFormElement;

/** Options of `render()`; the same as the form's `data-*` attributes, in camelCase. */
export interface WidgetOptions {
  /** `candidate` (default), `pac`, `party_national`, `party_state`, ... */
  recipientType?: string;
  /** Candidates only: `primary` (default), `general`, `runoff`, `special`. */
  election?: string;
  /** `en` or `es`; default: the form's `lang`, else `en`. */
  language?: string;
  lang?: string;
  /** Called on every new verdict; a function, or the name of a global one. */
  callback?: string | ((verdict: Verdict, response: string) => void);
  /** Called when the widget cannot run or cannot read the form (it then fails open). */
  errorCallback?: string | ((detail: WidgetError) => void);
  /** The hidden field's name (default `donation-guard-response`). */
  responseFieldName?: string;
  /** `ask` (default) adds a citizenship question when the form has none; `off` never does. */
  citizenship?: "ask" | "off";
  /** The payment method when the form has no method field (default `card`). */
  method?: string;
  /** The address country when the form has no country field (default `US`). */
  country?: string;
  /** A ruleset id (default: the engine's). */
  ruleset?: string;
  /** A ruleset file to fetch and load (the server must be given the same file). */
  rulesetUrl?: string;
  /** Outline the mapped fields and print the field map. */
  debug?: boolean | string;
  /** Where the widget renders what it adds. */
  mount?: Element;
  /** What the page knows of the donor's running totals (logged-in donors). */
  history?: { prior_total?: string | number; cycle_total?: string | number };
  /** Milliseconds after typing before a check (default 120). */
  debounce?: number;
  [option: string]: unknown;
}

/** The detail of `donation-guard:error` and the `errorCallback` argument. */
export interface WidgetError {
  code: string;
  reason?: string;
  missing?: string[];
  [key: string]: unknown;
}

export interface DonationGuard {
  /** The widget's version. */
  readonly version: string;
  /** True once the engine runs and the implicit forms are rendered; false if it is unavailable. Never rejects. */
  readonly ready: Promise<boolean>;
  /** Renders the widget on a form (for forms added later); returns its id. */
  render(form: HTMLFormElement | string, options?: WidgetOptions): string;
  /** Clears what the donor touched and what the widget added, then checks again. */
  reset(widget: WidgetRef): void;
  /** Takes away everything the widget added and restores the fields' ARIA. */
  remove(widget: WidgetRef): void;
  /** The hidden field's value (JSON: the decision, the digests, or why the widget stood aside). */
  getResponse(widget: WidgetRef): string;
  /** The submission built from the form (CONTRACT.md). */
  getSubmission(widget: WidgetRef): Submission | null;
  /** The last verdict. */
  getVerdict(widget: WidgetRef): Verdict | null;
  /** Which field feeds which part of the submission, and what could not be found. */
  getMapping(widget: WidgetRef): {
    /** The field map the engine reads the form with (submission path → field name(s)). */
    map: Record<string, unknown>;
    /** One row per mapped path: its path, the field names, the label, and how it was found. */
    fields: { path: string; names: string[]; label: string; source: string }[];
    /** Required parts no field maps to: never a reason to block the donor. */
    missing: string[];
    /** Controls left unmapped. */
    unmapped: string[];
  } | null;
  /** Where the engine is loaded from, and the load timeout (ms). Returns the configuration. */
  config(options?: { base?: string; engineUrl?: string; wasmUrl?: string; timeout?: number }): Record<string, unknown>;
  /** The engine's version once loaded, else null. */
  engineVersion(): string | null;
}

declare const donationGuard: DonationGuard;
export default donationGuard;
export const ready: DonationGuard["ready"];
export const render: DonationGuard["render"];
export const reset: DonationGuard["reset"];
export const remove: DonationGuard["remove"];
export const getResponse: DonationGuard["getResponse"];
export const getSubmission: DonationGuard["getSubmission"];
export const getVerdict: DonationGuard["getVerdict"];
export const config: DonationGuard["config"];

declare global {
  interface Window {
    donationGuard: DonationGuard;
  }
  interface HTMLElementEventMap {
    "donation-guard:verdict": CustomEvent<Verdict>;
    "donation-guard:error": CustomEvent<WidgetError>;
  }
  interface DocumentEventMap {
    "donation-guard:ready": CustomEvent<{ available: boolean }>;
  }
}
