#!/bin/sh
# The client tests as ./mvnw verify runs them: the OpenAI and Cohere Node SDKs, the TypeScript client generated from
# openapi.yaml and Swagger UI in Chromium, against the packaged jar. They need Node 20+ with npm (and
# Chromium for Swagger UI); without them this says in one line which layer is skipped and why, and exits 0:
# a missing tool is never a failure, a present tool whose test fails is.
set -eu
cd "$(dirname "$0")"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "client tests skipped: no node and npm on the PATH (Node 20+ runs the OpenAI and Cohere Node SDK, generated TypeScript client and Swagger UI tests)"
    exit 0
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
    echo "client tests skipped: node $(node --version) is older than the 20 they need"
    exit 0
fi
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    echo "Swagger UI test skipped: no Chromium at $chromium (install it, or set CHROMIUM_PATH); the other client tests run"
fi
npm ci --no-audit --no-fund --loglevel=error
exec npm test
