#!/bin/sh
# Writes the listen directives from NGINX_LISTEN, then runs the command (nginx).
# With host networking the container binds the host's interfaces, so the address is a
# setting; only an IPv4 address with a port, or a bare port, is accepted.
set -eu

listen="${NGINX_LISTEN:-127.0.0.1:8080}"
if ! printf '%s' "$listen" | grep -Eqx '([0-9]{1,3}(\.[0-9]{1,3}){3}:)?[0-9]{1,5}'; then
  echo "NGINX_LISTEN must be <ipv4>:<port> or <port>, got '$listen'" >&2
  exit 64
fi
printf 'listen %s default_server;\n' "$listen" >/run/nginx/listen-default.conf
# Server blocks of customer host names include this one, so they follow the same address.
printf 'listen %s;\n' "$listen" >/run/nginx/listen.conf

exec "$@"
