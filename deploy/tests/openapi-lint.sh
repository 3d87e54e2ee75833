#!/usr/bin/env bash
# The gateway's OpenAPI document passes Redocly's lint (rules in deploy/tests/redocly.yaml): any
# finding of the recommended rules fails it (a parameter without a schema, an operation without
# security, an operationId or a 4xx answer, a tag without a description...); only the missing
# licence warns. Run
# by the end-to-end check against the running gateway; Redocly's CLI comes from the npm registry
# into .tenantplane/tools once per version.
# Usage: bash deploy/tests/openapi-lint.sh [DOCUMENT_URL]
set -euo pipefail
cd "$(dirname "$0")/../.."

: "${TENANTPLANE_REDOCLY_VERSION:=2.77.0}"
url="${1:-http://127.0.0.1:${TENANTPLANE_GATEWAY_PORT:-8081}/q/openapi?format=json}"
tools=".tenantplane/tools/redocly-$TENANTPLANE_REDOCLY_VERSION"

# shellcheck source=deploy/lib/engine.sh
source deploy/lib/engine.sh
tp_ensure_commands node:nodejs npm:npm
if [[ ! -x "$tools/node_modules/.bin/redocly" ]]; then
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --silent \
    "@redocly/cli@$TENANTPLANE_REDOCLY_VERSION"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
curl -fsS "$url" -o "$work/openapi.json"
# No telemetry or update check: the lint needs nothing but the document.
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  "$tools/node_modules/.bin/redocly" lint --config deploy/tests/redocly.yaml \
  --format=summary "$work/openapi.json"
