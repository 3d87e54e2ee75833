#!/bin/bash
# Adds REDIS_PASSWORD to the server's configuration without putting it on a command
# line (where ps and the log would show it): redis-server reads extra configuration
# from standard input when its last argument is "-".
set -Eeuo pipefail

if [[ "${1:-}" == -* ]]; then
  set -- redis-server "$@"
fi

if [[ "${1:-}" == redis-server && -n "${REDIS_PASSWORD:-}" ]]; then
  if [[ "$REDIS_PASSWORD" == *$'\n'* ]]; then
    echo "entrypoint: error: REDIS_PASSWORD must be a single line" >&2
    exit 1
  fi
  # Redis configuration syntax: a double-quoted string with \ and " escaped.
  escaped="${REDIS_PASSWORD//\\/\\\\}"
  escaped="${escaped//\"/\\\"}"
  unset REDIS_PASSWORD
  exec "$@" - <<<"requirepass \"$escaped\""
fi

exec "$@"
