#!/usr/bin/env bash
# What .ci/run needs for the interop module, to run before `mvn -B -ntp verify` (from the repository root).
# Chromium and its driver are installed by .ci/run already (the samples browser test needs them too).
set -euo pipefail
command -v node >/dev/null 2>&1 || { echo "interop: Node.js 20.18.1+ is required (undici 7)"; exit 1; }
# The Node.js clients (undici 7, eventsource 4), from the committed lock file. The test driver runs the same
# command itself when node_modules is missing or older than the lock; doing it here makes a failed install
# fail the CI run early, with npm's own message.
(cd interop/node && npm ci --no-audit --no-fund --ignore-scripts)
