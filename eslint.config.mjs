// ESLint over the project's JavaScript (make lint): @eslint/js's recommended rules, plus a few
// that catch real bugs in this code: loose equality (other than `== null`), an eval of any kind
// (the widget runs under a strict Content-Security-Policy, where it would fail on the page),
// array callbacks that forget to return, self-comparisons, loops whose condition never changes,
// `${}` in a plain string, and a use of a const or class before its definition in the same
// scope (a TDZ error at run time).
// Built or generated files are not linted: the served widget (built from www/widget/src/), the
// engine glue (wasm-bindgen's), pkg/, dist/.
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    ignores: [
      "node_modules/", "target/", "pkg/", "dist/", "test-output/", "tests/fuzz/",
      "www/widget/donation-guard.js", "www/widget/engine/",
    ],
  },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "array-callback-return": "error",
      "no-self-compare": "error",
      "no-unmodified-loop-condition": "error",
      "no-template-curly-in-string": "error",
      "no-use-before-define": ["error", { functions: false, classes: true, variables: false }],
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
    },
  },
  {
    // What runs in the page: the widget's sources, its module entry, the demo, test pages.
    files: ["www/**/*.{js,mjs}", "tests/browser/pages/**/*.js"],
    languageOptions: { globals: globals.browser },
  },
  {
    // The tools and tests run on Node; the browser tests also pass functions to the page.
    files: ["tests/**/*.{js,mjs,cjs}", "eslint.config.mjs"],
    ignores: ["tests/browser/pages/**"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
  },
];
