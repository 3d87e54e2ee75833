# shellcheck shell=bash
# HTTPS for the platform's routes: a local certificate authority, a server certificate it signs
# for the base domain and its subdomains, the mounts that hand them to the nginx container, and
# the nginx-configurer's settings in .tenantplane/platform.env. Callers set STATE_DIR first;
# TENANTPLANE_TLS_DIR puts the files elsewhere (tests).
#
# Files (the folder 0700):
#   ca.key      the CA's private key, 0600, never mounted anywhere
#   ca.crt      the CA's certificate: what a client trusts (curl --cacert, a browser's store)
#   server.key  the server's private key, 0640, its group the one nginx reads it as
#   server.crt  the server certificate, signed by the CA
#
# The CA is made once and kept (a client that trusts it goes on trusting every certificate it
# signs); each `tls init` signs a new server certificate. The CA may only sign names under
# localhost and loopback addresses (critical name constraints), so its key, should it leak,
# vouches for nothing on the network.

readonly TP_TLS_DEFAULT_DOMAIN=tenants.localhost
# Where the nginx container finds them, and where the nginx-configurer's settings point.
readonly TP_TLS_NGINX_DIR=/etc/nginx/tls
readonly TP_TLS_LISTEN=127.0.0.1:8443
# www-data in Debian's nginx image (fixed by base-passwd): the group the server key is given.
readonly TP_TLS_NGINX_GID=33
readonly TP_TLS_CA_DAYS=1825
# The longest a browser accepts for a server certificate (398 days).
readonly TP_TLS_SERVER_DAYS=397

tp_tls_dir() { printf '%s\n' "${TENANTPLANE_TLS_DIR:-$STATE_DIR/tls}"; }

tp_tls_has_certificate() {
  local dir
  dir="$(tp_tls_dir)"
  [[ -s "$dir/server.crt" && -s "$dir/server.key" ]]
}

# A base domain the CA may sign: localhost or a lower-case DNS name under it. curl and OpenSSL
# refuse a wildcard right under a single label (*.localhost), so only a domain of two labels or
# more (the default tenants.localhost) verifies <id>.<domain> there; Java accepts *.localhost.
tp_tls_valid_domain() {
  local label='[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?'
  ((${#1} <= 190)) && [[ "$1" =~ ^($label\.)*localhost$ ]]
}

# The base domain the server certificate was signed for (its subject's CN).
tp_tls_domain() {
  openssl x509 -in "$(tp_tls_dir)/server.crt" -noout -subject -nameopt RFC2253 | sed -n 's/^subject=CN=//p'
}

# The server certificate's names for DOMAIN: the customers' host names and the path routes'.
tp_tls_names() {
  local names="DNS:$1, DNS:*.$1"
  [[ "$1" == localhost ]] || names+=", DNS:localhost"
  printf '%s, IP:127.0.0.1\n' "$names"
}

# tp_tls_openssl_config DOMAIN: the extensions of the CA and of the server certificate. The CA's
# name is its own (a date and random digits): in a store that trusts two such CAs, neither is
# taken for the other.
tp_tls_openssl_config() {
  cat <<CONFIG
[req]
distinguished_name = dn
prompt = no
[dn]
CN = Tenantplane local CA $(date -u +%Y-%m-%d) $(openssl rand -hex 4)
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
nameConstraints = critical, permitted;DNS:localhost, permitted;IP:127.0.0.0/255.0.0.0
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $(tp_tls_names "$1")
CONFIG
}

# tp_tls_init DOMAIN: the CA (unless there is one that outlives a new server certificate), then a
# server certificate for DOMAIN, *.DOMAIN, localhost and 127.0.0.1. Each file is made in a folder
# beside its place and renamed into it, so a reader never sees half of one.
tp_tls_init() {
  local domain="$1" dir work rc=0
  tp_tls_valid_domain "$domain" || {
    echo "tls: not a domain under localhost: '$domain'" >&2
    return 1
  }
  dir="$(tp_tls_dir)"
  mkdir -p "$dir"
  chmod 0700 "$dir"
  work="$(mktemp -d "$dir/.new.XXXXXX")"
  tp__tls_issue "$domain" "$dir" "$work" || rc=$?
  rm -rf "$work"
  return "$rc"
}

tp__tls_issue() {
  local domain="$1" dir="$2" work="$3"
  tp_tls_openssl_config "$domain" >"$work/openssl.cnf"
  if [[ -s "$dir/ca.key" && -s "$dir/ca.crt" ]] &&
    openssl x509 -in "$dir/ca.crt" -noout -checkend $((TP_TLS_SERVER_DAYS * 86400)) >/dev/null; then
    echo "tls: local CA kept: $dir/ca.crt"
  else
    [[ ! -s "$dir/ca.crt" ]] || echo "tls: the local CA expires within $TP_TLS_SERVER_DAYS days; making a new one (trust the new ca.crt)"
    tp__tls_new_key "$work/ca.key" &&
      openssl req -x509 -new -config "$work/openssl.cnf" -extensions ca -key "$work/ca.key" \
        -sha256 -days "$TP_TLS_CA_DAYS" -out "$work/ca.crt" ||
      return 1
    chmod 0600 "$work/ca.key"
    chmod 0644 "$work/ca.crt"
    mv -f "$work/ca.key" "$dir/ca.key"
    mv -f "$work/ca.crt" "$dir/ca.crt"
    echo "tls: local CA made: $dir/ca.crt (its key $dir/ca.key, 0600)"
  fi
  tp__tls_new_key "$work/server.key" &&
    openssl req -new -config "$work/openssl.cnf" -key "$work/server.key" -subj "/CN=$domain" \
      -out "$work/server.csr" &&
    openssl x509 -req -in "$work/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
      -set_serial "0x$(openssl rand -hex 16)" -days "$TP_TLS_SERVER_DAYS" -sha256 \
      -extfile "$work/openssl.cnf" -extensions server -out "$work/server.crt" 2>/dev/null &&
    openssl verify -CAfile "$dir/ca.crt" -verify_hostname "$domain" "$work/server.crt" >/dev/null ||
    return 1
  # nginx runs as www-data and reads the key through its group: www-data's own when this runs as
  # root, else the operator's group, which the nginx container is given (tp_tls_nginx_args).
  if (($(id -u) == 0)); then
    chgrp "$TP_TLS_NGINX_GID" "$work/server.key"
  fi
  chmod 0640 "$work/server.key"
  chmod 0644 "$work/server.crt"
  mv -f "$work/server.key" "$dir/server.key"
  mv -f "$work/server.crt" "$dir/server.crt"
  echo "tls: server certificate for $(tp_tls_names "$domain"), valid $TP_TLS_SERVER_DAYS days: $dir/server.crt"
  if [[ "$domain" == localhost ]]; then
    echo "tls: note: curl and OpenSSL refuse *.localhost, so <id>.localhost verifies in Java but not in curl; a domain of two labels (such as $TP_TLS_DEFAULT_DOMAIN) verifies in both"
  fi
}

# An EC P-256 private key, readable by its owner only from the start.
tp__tls_new_key() {
  (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null)
}

# Sets TP_TLS_NGINX_ARGS: the docker run arguments that mount the server certificate and key
# read-only into the nginx container, when they exist (empty otherwise). They are mounted even
# while TLS is off: a configuration rendered with TLS names them until the nginx-configurer
# renders one without. The label carries the certificate's hash, so that a new certificate
# recreates the container (a file mount keeps the file it was given).
tp_tls_nginx_args() {
  local dir
  # shellcheck disable=SC2034 # read by the caller (deploy/platform.sh)
  TP_TLS_NGINX_ARGS=()
  tp_tls_has_certificate || return 0
  dir="$(tp_tls_dir)"
  # shellcheck disable=SC2034
  TP_TLS_NGINX_ARGS=(
    -v "$dir/server.crt:$TP_TLS_NGINX_DIR/server.crt:ro"
    -v "$dir/server.key:$TP_TLS_NGINX_DIR/server.key:ro"
    --group-add "$(stat -c %g "$dir/server.key")"
    --label "tenantplane.tls=$(sha256sum "$dir/server.crt" | cut -c1-16)"
  )
}

# Whether the settings file turns TLS on.
tp_tls_enabled() {
  grep -q '^TENANTPLANE_NGINX_TLS_CERTIFICATE=' "$1" 2>/dev/null
}

# tp_tls_settings ENV_FILE on DOMAIN | off: writes (or removes) the nginx-configurer's TLS
# settings and base domain in the settings file, which the service reads as its .env. Only when
# something changes, the file is replaced by a complete new one with the same mode and owner.
tp_tls_settings() {
  local file="$1" mode="$2" domain="${3:-}" new
  new="$(grep -Ev '^TENANTPLANE_NGINX_(BASE_DOMAIN|TLS_CERTIFICATE|TLS_KEY|TLS_LISTEN)=' "$file" || true)"
  if [[ "$mode" == on ]]; then
    new+="
TENANTPLANE_NGINX_BASE_DOMAIN=$domain
TENANTPLANE_NGINX_TLS_CERTIFICATE=$TP_TLS_NGINX_DIR/server.crt
TENANTPLANE_NGINX_TLS_KEY=$TP_TLS_NGINX_DIR/server.key
TENANTPLANE_NGINX_TLS_LISTEN=$TP_TLS_LISTEN"
  fi
  [[ "$new" != "$(cat "$file")" ]] || return 0
  (umask 077 && printf '%s\n' "${new#$'\n'}" >"$file.tls-new")
  chown --reference="$file" "$file.tls-new" 2>/dev/null || true
  chmod --reference="$file" "$file.tls-new"
  mv -f "$file.tls-new" "$file"
}
