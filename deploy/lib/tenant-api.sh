# shellcheck shell=bash
# Reaching one customer's app API from the host, as that customer's own users would: a token of
# its default organization signed with the customer's JWT_SECRET (HS256, the app's contract in
# tenant-app/README.md), and its published app port. Used by the worker proof and benchmark.
# Needs customers/<id>/.env (mode 0600: run as its owner), psql, openssl and jq.

tp_tenant_env() { sed -n "s/^$2=//p" "customers/$1/.env"; }

tp_b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# tp_tenant_psql ID owner|app PSQL_ARGS...: psql on the customer's database through its published
# port, as the database owner or as the app role (bound by Row-Level Security); unaligned rows.
tp_tenant_psql() {
  local id="$1" user=DB_USER password=DB_PASSWORD
  [[ "$2" == app ]] && user=DB_APP_USER password=DB_APP_PASSWORD
  shift 2
  PGPASSWORD="$(tp_tenant_env "$id" "$password")" psql -h 127.0.0.1 -p "$(tp_tenant_env "$id" DB_HOST_PORT)" \
    -U "$(tp_tenant_env "$id" "$user")" -d "$(tp_tenant_env "$id" DB_NAME)" -v ON_ERROR_STOP=1 -qtA "$@"
}

# tp_tenant_org ID: the id of the customer's default organization, read as the database owner.
tp_tenant_org() {
  tp_tenant_psql "$1" owner -c "SELECT id FROM organizations WHERE slug = 'customer-default'"
}

# tp_tenant_auth_header ID ORG FILE: writes "Authorization: Bearer <token>" to FILE (0600), for
# curl -H @FILE, so the token is never on a command line. The token is valid for 15 minutes.
tp_tenant_auth_header() {
  local header claims signature
  header="$(printf '{"alg":"HS256","typ":"JWT"}' | tp_b64url)"
  claims="$(printf '{"org":"%s","sub":"tenantplane-proof","exp":%d}' "$2" $(($(date +%s) + 900)) | tp_b64url)"
  signature="$(printf '%s.%s' "$header" "$claims" |
    openssl dgst -sha256 -mac HMAC -macopt "key:$(tp_tenant_env "$1" JWT_SECRET)" -binary | tp_b64url)"
  (umask 077 && printf 'Authorization: Bearer %s.%s.%s\n' "$header" "$claims" "$signature" >"$3")
}
