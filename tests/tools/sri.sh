#!/usr/bin/env bash
# Prints the Subresource Integrity (sha384) of the widget's files, for the embed snippet:
#   <script src=".../widget/donation-guard.js" integrity="sha384-..." crossorigin="anonymous">
# Run by `make www-assets`. The hashes change with every build of the files.
set -euo pipefail
cd "$(dirname "$0")/../.."
for f in www/widget/donation-guard.js www/widget/donation-guard.mjs \
         www/widget/engine/donation_guard.js www/widget/engine/donation_guard_bg.wasm; do
  [ -f "$f" ] || continue
  printf '%s sha384-%s\n' "${f#www}" "$(openssl dgst -sha384 -binary "$f" | openssl base64 -A)"
done
