#!/usr/bin/env bash
# Tests of `tenantplane tls init` and the HTTPS settings of `up` (deploy/lib/tls.sh), on no
# engine: the command line's usage errors, the files and their modes, the chain and names the
# certificate verifies for (openssl verify, and curl against `openssl s_server` on 127.0.0.1,
# including the *.localhost pitfall), a second run keeping the CA, and the settings and mounts
# handed to nginx and the nginx-configurer. The nginx part is NginxLocalCaIT's.
set -euo pipefail
cd "$(dirname "$0")/../.."

work="$(mktemp -d)"
server_pid=""
finish() {
  [[ -z "$server_pid" ]] || kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap finish EXIT

passed=0
failed=0
# check WHAT COMMAND...: one line per check; a failed one shows what its command printed.
check() {
  local what="$1"
  shift
  if "$@" >"$work/check.out" 2>&1; then
    printf 'ok   %s\n' "$what"
    passed=$((passed + 1))
  else
    printf 'FAIL %s\n' "$what"
    sed 's/^/     | /' "$work/check.out" | tail -n 10
    failed=$((failed + 1))
  fi
}
# exits RC COMMAND...: the command ends with exit code RC.
exits() {
  local want="$1" rc=0
  shift
  "$@" || rc=$?
  ((rc == want)) || { echo "exit $rc, wanted $want"; return 1; }
}

CLI=(bash deploy/tenantplane)
export TENANTPLANE_TLS_DIR="$work/tls"
STATE_DIR="$work/state"
# shellcheck source=deploy/lib/tls.sh
source deploy/lib/tls.sh

check "tls without a subcommand is a usage error" exits 2 "${CLI[@]}" tls
check "an unknown tls subcommand is a usage error" exits 2 "${CLI[@]}" tls renew
check "a domain outside localhost is a usage error" exits 2 "${CLI[@]}" tls init --domain example.com
check "an upper-case domain is a usage error" exits 2 "${CLI[@]}" tls init --domain Tenants.localhost
check "--domain without a value is a usage error" exits 2 "${CLI[@]}" tls init --domain
check "the usage error names the rule and points to tls --help" \
  bash -c "${CLI[*]} tls init --domain example.com 2>&1 | grep -q 'ending in .localhost.*tenantplane tls --help'"
check "tls --help starts with its usage" bash -c "${CLI[*]} tls --help | head -n 1 | grep -q '^tenantplane tls init'"
check "up with a bad TENANTPLANE_TLS is a usage error" exits 2 env TENANTPLANE_TLS=yes "${CLI[@]}" up
check "up with an unknown option is a usage error, naming --tls" \
  bash -c "${CLI[*]} up --https 2>&1 | grep -q -- '--tls'; (( \${PIPESTATUS[0]} == 2 ))"
check "nothing was made by the refused commands" test ! -e "$work/tls"

check "tls init makes the CA and the server certificate" "${CLI[@]}" tls init
check "the folder is 0700, the CA key 0600, the server key 0640, the certificates 0644" \
  bash -c "[[ \$(stat -c %a $work/tls) == 700 && \$(stat -c %a $work/tls/ca.key) == 600 &&
    \$(stat -c %a $work/tls/server.key) == 640 && \$(stat -c %a $work/tls/ca.crt $work/tls/server.crt | sort -u) == 644 ]]"
if (($(id -u) == 0)); then
  check "run as root, the server key's group is www-data's of the nginx image (33)" \
    bash -c "[[ \$(stat -c %g $work/tls/server.key) == 33 ]]"
fi
check "no working file is left in the folder" \
  bash -c "[[ \$(ls -A $work/tls | sort | tr '\n' ' ') == 'ca.crt ca.key server.crt server.key ' ]]"
check "the CA is a CA limited to localhost names and loopback addresses" \
  bash -c "openssl x509 -in $work/tls/ca.crt -noout -ext basicConstraints,nameConstraints |
    tr -d '\n ' | grep -q 'criticalCA:TRUE,pathlen:0.*NameConstraints:criticalPermitted:DNS:localhostIP:127.0.0.0/255.0.0.0$'"
for name in tenants.localhost acme-corp.tenants.localhost localhost; do
  check "the certificate verifies against the CA alone for $name" \
    openssl verify -no-CApath -no-CAstore -CAfile "$work/tls/ca.crt" -verify_hostname "$name" "$work/tls/server.crt"
done
check "the certificate verifies for 127.0.0.1" \
  openssl verify -no-CApath -no-CAstore -CAfile "$work/tls/ca.crt" -verify_ip 127.0.0.1 "$work/tls/server.crt"
check "the certificate does not verify for a name it does not hold (a.b.tenants.localhost)" \
  bash -c "! openssl verify -CAfile $work/tls/ca.crt -verify_hostname a.b.tenants.localhost $work/tls/server.crt"
check "tp_tls_domain reads the domain back from the certificate" test "$(tp_tls_domain)" == tenants.localhost

ca_before="$(openssl x509 -in "$work/tls/ca.crt" -noout -fingerprint -sha256)"
serial_before="$(openssl x509 -in "$work/tls/server.crt" -noout -serial)"
check "a second tls init keeps the CA" "${CLI[@]}" tls init
check "... the same CA, a new server certificate" \
  bash -c "[[ \"\$(openssl x509 -in $work/tls/ca.crt -noout -fingerprint -sha256)\" == '$ca_before' &&
    \"\$(openssl x509 -in $work/tls/server.crt -noout -serial)\" != '$serial_before' ]]"
check "another folder gets another CA" env TENANTPLANE_TLS_DIR="$work/other" "${CLI[@]}" tls init

# serve_with DIR: `openssl s_server` on a free 127.0.0.1 port with DIR's server certificate; sets
# PORT once it accepts connections.
serve_with() {
  [[ -z "$server_pid" ]] || kill "$server_pid"
  : >"$work/s_server.out"
  openssl s_server -accept 127.0.0.1:0 -cert "$1/server.crt" -key "$1/server.key" -www \
    >"$work/s_server.out" 2>&1 &
  server_pid=$!
  PORT=""
  local i
  for ((i = 0; i < 100; i++)); do
    PORT="$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/s_server.out")"
    [[ -z "$PORT" ]] || return 0
    sleep 0.1
  done
  echo "openssl s_server did not start: $(cat "$work/s_server.out")" >&2
  return 1
}
# https CA HOST: curl trusting CA alone, HOST resolved to the server.
https() {
  curl -sS -o /dev/null --max-time 10 --cacert "$1" --capath "$work/empty" \
    --resolve "$2:$PORT:127.0.0.1" "https://$2:$PORT/"
}
mkdir "$work/empty"
serve_with "$work/tls"
check "curl --cacert ca.crt verifies https://acme-corp.tenants.localhost" https "$work/tls/ca.crt" acme-corp.tenants.localhost
check "curl --cacert ca.crt verifies https://localhost (the path routes)" https "$work/tls/ca.crt" localhost
check "curl trusting another CA is refused (exit 60)" exits 60 https "$work/other/ca.crt" acme-corp.tenants.localhost
check "curl refuses a name the certificate does not hold (acme-corp.localhost)" \
  exits 60 https "$work/tls/ca.crt" acme-corp.localhost

# The pitfall: with the base domain localhost the certificate holds *.localhost, which OpenSSL
# (so curl) refuses, while it still verifies localhost itself.
check "tls init --domain localhost warns that curl refuses *.localhost" \
  bash -c "${CLI[*]} tls init --domain localhost | grep -q 'curl and OpenSSL refuse \*.localhost'"
serve_with "$work/tls"
check "with --domain localhost, curl refuses https://acme-corp.localhost" \
  exits 60 https "$work/tls/ca.crt" acme-corp.localhost
check "with --domain localhost, curl verifies https://localhost" https "$work/tls/ca.crt" localhost

# The settings of `up --tls` / `up --no-tls` in a settings file.
env_file="$work/platform.env"
printf 'TENANTPLANE_PG_PASSWORD=secret\nTENANTPLANE_NGINX_CONTAINER=tenantplane-nginx\n' >"$env_file"
chmod 0600 "$env_file"
check "TLS is off in a settings file without its settings" exits 1 tp_tls_enabled "$env_file"
tp_tls_settings "$env_file" on tenants.localhost
check "on: the nginx-configurer's base domain and TLS settings, the other lines kept, the mode too" \
  bash -c "[[ \$(stat -c %a $env_file) == 600 ]] && diff - $env_file <<'EOF'
TENANTPLANE_PG_PASSWORD=secret
TENANTPLANE_NGINX_CONTAINER=tenantplane-nginx
TENANTPLANE_NGINX_BASE_DOMAIN=tenants.localhost
TENANTPLANE_NGINX_TLS_CERTIFICATE=/etc/nginx/tls/server.crt
TENANTPLANE_NGINX_TLS_KEY=/etc/nginx/tls/server.key
TENANTPLANE_NGINX_TLS_LISTEN=127.0.0.1:8443
EOF"
check "TLS is then on" tp_tls_enabled "$env_file"
tp_tls_settings "$env_file" on other.localhost
check "on again: each setting once, the new domain" \
  bash -c "[[ \$(grep -c '^TENANTPLANE_NGINX_' $env_file) == 5 ]] && grep -qx 'TENANTPLANE_NGINX_BASE_DOMAIN=other.localhost' $env_file"
tp_tls_settings "$env_file" off
check "off: back to the file as it was" \
  bash -c "printf 'TENANTPLANE_PG_PASSWORD=secret\nTENANTPLANE_NGINX_CONTAINER=tenantplane-nginx\n' | diff - $env_file"

tp_tls_nginx_args
check "nginx gets the certificate and key read-only, the key's group, a label of the certificate" \
  bash -c "args='${TP_TLS_NGINX_ARGS[*]}'; [[ \"\$args\" == *'$work/tls/server.crt:/etc/nginx/tls/server.crt:ro'* &&
    \"\$args\" == *'$work/tls/server.key:/etc/nginx/tls/server.key:ro'* &&
    \"\$args\" == *\"--group-add \$(stat -c %g $work/tls/server.key)\"* && \"\$args\" == *'--label tenantplane.tls='* ]]"
TENANTPLANE_TLS_DIR="$work/none" tp_tls_nginx_args
check "without a certificate nginx gets no TLS argument" test "${#TP_TLS_NGINX_ARGS[@]}" -eq 0

printf 'tls: %d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
