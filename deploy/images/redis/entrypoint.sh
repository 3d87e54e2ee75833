#!/bin/bash
# Adds the password to the server's configuration without putting it on a command
# line (where ps and the log would show it): redis-server reads extra configuration
# from standard input when its last argument is "-". The password comes from
# REDIS_PASSWORD_FILE (a mounted secret, which keeps it out of the container's
# environment) or, as before, from REDIS_PASSWORD.
set -Eeuo pipefail

if [[ "${1:-}" == -* ]]; then
  set -- redis-server "$@"
fi

if [[ -n "${REDIS_PASSWORD_FILE:-}" ]]; then
  if [[ -n "${REDIS_PASSWORD:-}" ]]; then
    echo "entrypoint: error: both REDIS_PASSWORD and REDIS_PASSWORD_FILE are set" >&2
    exit 1
  fi
  REDIS_PASSWORD="$(<"$REDIS_PASSWORD_FILE")"
  unset REDIS_PASSWORD_FILE
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
