#!/usr/bin/env bash
# Proof that bad input is refused and creates nothing, run against the RUNNING platform
# (`bash deploy/tenantplane up`). It sends a corpus of bad requests through the REST API and the
# CLI and expects each one refused: a 4xx other than 429 whose problem body names what is wrong
# (for a 400 the bad field in errors[].field, otherwise the title or detail), or for the CLI a
# non-zero exit with a message naming it. Around the corpus it compares what the platform holds:
# customers and their statuses, the end offsets of every tenantplane.* Kafka topic, the customer
# containers, the customers/ folder and the configuration version nginx serves.
#
# Usage: bash deploy/proof/bad-input.sh   (see deploy/proof/README.md)
# Exit 0 only when no case was accepted, nothing was created and at least 300 cases ran. A case
# counts as accepted unless it was refused as described above: a 2xx, a 5xx, a 429 or a refusal
# that does not name the problem all count.

# The corpus holds literal '$(...)' and '${...}' strings on purpose.
# shellcheck disable=SC2016
set -uo pipefail

PROOF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$PROOF_DIR/../.." && pwd)"
CLI="$ROOT_DIR/deploy/tenantplane"
API="${TENANTPLANE_API:-http://127.0.0.1:8081/api/v1}"
NGINX_URL="${TENANTPLANE_NGINX_URL:-http://127.0.0.1:8080}"
KAFKA_CONTAINER=tenantplane-kafka
# Time for anything a leaked request set off (outbox relay, provisioner) to show before the
# second snapshot.
SETTLE_SECONDS="${BAD_INPUT_SETTLE_SECONDS:-5}"
MIN_CASES=300
# The gateway allows 60 writes per token and minute (fixed window); no operator token of this run
# makes more than this many requests in total, so none can reach the limit in any window.
WRITES_PER_TOKEN=40
GOOD_NAME="Bad Input Proof"
# Every request body also carries a tripwire: a second defect the gateway reports together with
# the one under test. A case whose defect got through is answered with a 400 naming only the
# tripwire, so it fails without creating anything; the snapshots then show that refusals write
# nothing. Plan cases use the port tripwire, all others the plan one.
TRIPWIRE_PLAN=tripwire
TRIPWIRE_PORT=1

# The running platform may come from another checkout than this script: its admin token and
# customers/ folder are the ones its service containers mount.
mounted() {
  docker inspect "$1" --format '{{range .Mounts}}{{println .Source}}{{end}}' 2>/dev/null | grep -m1 -- "$2\$"
}
GATEWAY_DIR="$(mounted tenantplane-api-gateway-1 /.tenantplane/gateway)"
ADMIN_TOKEN_FILE="${TENANTPLANE_TOKEN_FILE:-${GATEWAY_DIR:-$ROOT_DIR/.tenantplane/gateway}/admin-token}"
CUSTOMERS_DIR="${TENANTPLANE_CUSTOMERS_DIR:-$(mounted tenantplane-provisioner-1 /customers)}"
CUSTOMERS_DIR="${CUSTOMERS_DIR:-$ROOT_DIR/customers}"

RUN="$(printf '%x' "$(date +%s)")"
# A valid customer id that exists nowhere: the base of the bad ids sent to write paths, so no
# variant of it can ever address a real customer.
NOBODY="nx$RUN"

WORK="$(mktemp -d)"
trap cleanup EXIT
declare -A CAT_TOTAL=() CAT_FAILED=()
CATEGORIES=()
CASES=0 FAILED=0 SEQ=0
TOKEN_NAMES=()
OP_TOKEN="" OP_USES=$WRITES_PER_TOKEN
ACCEPTED_CUSTOMERS=()
PARSER_REFUSED=()
# Requests waiting to be sent: one curl process per batch (and one connection), because on a
# loaded machine starting a process costs more than answering a request.
BATCH=() Q_CATEGORY=() Q_EXPECT=() Q_LABEL=()
BODY_FILE="$WORK/body.0"

die() {
  printf 'bad-input: %s\n' "$*" >&2
  exit 2
}

# --- helpers -------------------------------------------------------------------------------

# rep TEXT COUNT: TEXT repeated COUNT times.
rep() {
  local spaces
  printf -v spaces '%*s' "$2" ''
  printf '%s' "${spaces// /$1}"
}

# json_string TEXT: TEXT as a JSON string literal, in JSON_STRING (no process per call).
json_string() {
  local text="$1" hex char i
  text="${text//\\/\\\\}"
  text="${text//\"/\\\"}"
  for ((i = 1; i < 32; i++)); do
    printf -v hex '%02x' "$i"
    printf -v char '%b' "\\x$hex"
    [[ "$text" == *"$char"* ]] && text="${text//"$char"/\\u00$hex}"
  done
  JSON_STRING="\"$text\""
}

admin_curl() {
  curl -fsS -m 30 -K <(printf 'header = "Authorization: Bearer %s"\n' "$ADMIN_TOKEN") "$@"
}

# create_token SUFFIX ROLE: a token named bad-input-<run>-SUFFIX; its value in CREATED_TOKEN.
create_token() {
  local name="bad-input-$RUN-$1" answer
  answer="$(admin_curl -X POST -H 'Content-Type: application/json' \
    --data-binary "{\"name\":\"$name\",\"role\":\"$2\"}" "$API/tokens")" ||
    die "cannot create the $2 token $name"
  TOKEN_NAMES+=("$name")
  [[ "$answer" =~ \"token\":\"([^\"]+)\" ]] || die "no token in the answer for $name"
  CREATED_TOKEN="${BASH_REMATCH[1]}"
}

revoke_tokens() {
  local name
  for name in "${TOKEN_NAMES[@]}"; do
    curl -sS -m 30 -o /dev/null -X DELETE -K <(printf 'header = "Authorization: Bearer %s"\n' "$ADMIN_TOKEN") \
      "$API/tokens/$name" || printf 'bad-input: could not revoke token %s\n' "$name" >&2
  done
  TOKEN_NAMES=()
}

cleanup() {
  revoke_tokens
  rm -rf "$WORK"
}

# The operator token for the next request, a new one once the current one made its share.
use_operator_token() {
  if ((OP_USES >= WRITES_PER_TOKEN)); then
    create_token "operator-${#TOKEN_NAMES[@]}" operator
    OP_TOKEN="$CREATED_TOKEN"
    OP_USES=0
  fi
  OP_USES=$((OP_USES + 1))
}

# --- request bodies --------------------------------------------------------------------------

# body_raw FIELD RAW: BODY becomes a customer request with a fresh valid id, a valid name, the
# tripwire and FIELD set to the JSON text RAW, written as is (a JSON tool would round huge
# numbers).
body_raw() {
  local field="$1" raw="$2" id name tripwire="\"plan\":\"$TRIPWIRE_PLAN\""
  SEQ=$((SEQ + 1))
  id="\"bi$RUN-$SEQ\""
  name="\"$GOOD_NAME\""
  case "$field" in
    id) id="$raw" ;;
    name) name="$raw" ;;
    plan) tripwire="\"port\":$TRIPWIRE_PORT" ;;
  esac
  BODY="{\"id\":$id,\"name\":$name,$tripwire"
  [[ "$field" == id || "$field" == name ]] || BODY+=",\"$field\":$raw"
  BODY+="}"
}

# body_str FIELD TEXT: as body_raw, FIELD set to the JSON string TEXT.
body_str() {
  json_string "$2"
  body_raw "$1" "$JSON_STRING"
}

# The body of the cases about the envelope (headers, encodings, sizes): valid but for the tripwire.
probe_json() {
  SEQ=$((SEQ + 1))
  printf '{"id":"bi%s-%s","name":"%s","plan":"%s"}' "$RUN" "$SEQ" "$GOOD_NAME" "$TRIPWIRE_PLAN"
}

# --- running and judging cases ---------------------------------------------------------------

# record CATEGORY LABEL PROBLEM [EVIDENCE]: counts a case; PROBLEM empty when it was refused as
# expected.
record() {
  local category="$1" label="$2" problem="$3" evidence="${4:-}"
  if [[ -z "${CAT_TOTAL[$category]+x}" ]]; then
    CATEGORIES+=("$category")
    CAT_TOTAL[$category]=0
    CAT_FAILED[$category]=0
  fi
  CASES=$((CASES + 1))
  CAT_TOTAL[$category]=$((CAT_TOTAL[$category] + 1))
  [[ -z "$problem" ]] && return 0
  FAILED=$((FAILED + 1))
  CAT_FAILED[$category]=$((CAT_FAILED[$category] + 1))
  # Labels hold the bad value itself: shell-quoted when it has invisible characters, cut when long.
  [[ "$label" == *[![:print:]]* ]] && printf -v label '%q' "$label"
  ((${#label} > 90)) && label="${label:0:87}..."
  printf 'FAIL  %-9s %s: %s | %s\n' "$category" "$label" "$problem" \
    "$(printf '%s' "$evidence" | head -c 240 | tr -c '[:print:]' '?')"
}

# judge CATEGORY EXPECT LABEL STATUS ANSWER-FILE: EXPECT is "<status> <field>" (the field must be
# one of errors[].field), "<status> ~<regex>" (title or detail must match, ignoring case) or
# "<status> !parser" (a request the HTTP server's parser refuses before any application code
# sees it, with no body to name the problem: counted apart and listed in the summary);
# <status> is a code or 4xx. 429 is never a refusal: it says nothing about the input. The
# gateway's problem bodies are compact JSON, read here without a process per case.
judge() {
  local category="$1" expect="$2" label="$3" status="$4" answer="" title="" detail="" problem=""
  local want_status="${expect%% *}" want="${expect#* }"
  read -r -d '' answer <"$5"
  [[ "$answer" =~ \"title\":\"([^\"]*)\" ]] && title="${BASH_REMATCH[1]}"
  [[ "$answer" =~ \"detail\":\"([^\"]*)\" ]] && detail="${BASH_REMATCH[1]}"
  if [[ ! "$status" =~ ^4[0-9][0-9]$ || "$status" == 429 ]]; then
    problem="HTTP $status"
  elif [[ "$want_status" != 4xx && "$status" != "$want_status" ]]; then
    problem="HTTP $status, expected $want_status"
  elif [[ "$want" == "!parser" ]]; then
    [[ -z "$answer" ]] || problem="HTTP $status with a body: the application saw it, so it must name the problem"
    [[ -n "$problem" ]] || PARSER_REFUSED+=("$category $label")
  elif [[ "$want" == "~"* ]]; then
    shopt -s nocasematch
    [[ "$title $detail" =~ ${want#"~"} ]] || problem="HTTP $status, title/detail do not name /${want#"~"}/"
    shopt -u nocasematch
  elif [[ "$answer" != *"{\"field\":\"$want\","* ]]; then
    problem="HTTP $status, errors[].field lacks $want"
  fi
  if [[ "$status" == 2* && "$answer" == *'"status":"REQUESTED"'* && "$answer" =~ \"id\":\"([^\"]*)\" ]]; then
    ACCEPTED_CUSTOMERS+=("${BASH_REMATCH[1]}")
  fi
  record "$category" "$label" "$problem" "$answer"
}

# secret_file OPTION VALUE: prints the path of a new curl config file (mode 0600) that sets
# OPTION to VALUE, for `curl -K`: tokens never go on curl's command line, where `ps` shows them.
secret_file() {
  local file value="$2"
  file="$(umask 077 && mktemp "$WORK/secret.XXXXXX")"
  value="${value//\\/\\\\}"
  printf '%s = "%s"\n' "$1" "${value//\"/\\\"}" >"$file"
  printf '%s\n' "$file"
}

# rest CATEGORY EXPECT LABEL METHOD PATH [CURL ARGS...]: queues one request to the API. AUTH
# selects the Authorization header: unset = the current operator token, "none" = no header, else
# the value. The case's body, if any, is BODY_FILE.
rest() {
  local category="$1" expect="$2" label="$3" method="$4" path="$5" n=${#Q_LABEL[@]}
  shift 5
  ((n == 0)) || BATCH+=(--next)
  BATCH+=(-sS -m 30 -g --path-as-is -o "$WORK/answer.$n" -w '%{http_code}\n' -X "$method")
  case "${AUTH-operator}" in
    operator)
      use_operator_token
      BATCH+=(-K "$(secret_file header "Authorization: Bearer $OP_TOKEN")")
      ;;
    none) ;;
    *) BATCH+=(-K "$(secret_file header "Authorization: ${AUTH}")") ;;
  esac
  # The URL too, as one of the cases carries a token in its query string.
  BATCH+=("$@" -K "$(secret_file url "$API$path")")
  : >"$WORK/answer.$n"
  Q_CATEGORY+=("$category")
  Q_EXPECT+=("$expect")
  Q_LABEL+=("$label")
  BODY_FILE="$WORK/body.$((n + 1))"
}

# Sends the queued requests in order and judges each answer.
flush() {
  local i statuses=()
  ((${#Q_LABEL[@]} > 0)) || return 0
  mapfile -t statuses < <(curl "${BATCH[@]}" 2>>"$WORK/curl.err")
  for i in "${!Q_LABEL[@]}"; do
    judge "${Q_CATEGORY[i]}" "${Q_EXPECT[i]}" "${Q_LABEL[i]}" "${statuses[i]:-000}" "$WORK/answer.$i"
  done
  BATCH=() Q_CATEGORY=() Q_EXPECT=() Q_LABEL=()
  BODY_FILE="$WORK/body.0"
}

# send_file CATEGORY EXPECT LABEL METHOD PATH [CURL ARGS...]: rest with BODY_FILE as the body and
# CT as its Content-Type (unset = application/json, empty = no Content-Type header at all).
send_file() {
  local ct="${CT-application/json}"
  rest "$1" "$2" "$3" "$4" "$5" -H "Content-Type:${ct:+ $ct}" --data-binary "@$BODY_FILE" "${@:6}"
}

# post_customer CATEGORY EXPECT LABEL [CURL ARGS...]: BODY to POST /customers.
post_customer() {
  printf '%s' "$BODY" >"$BODY_FILE"
  send_file "$1" "$2" "$3" POST /customers "${@:4}"
}

# post_probe CATEGORY EXPECT LABEL [CURL ARGS...]: the probe body to POST /customers.
post_probe() {
  probe_json >"$BODY_FILE"
  send_file "$1" "$2" "$3" POST /customers "${@:4}"
}

# cli REGEX LABEL ARGS...: deploy/tenantplane ARGS with an operator token of this run; it must
# exit non-zero with stderr matching REGEX (ignoring case).
cli() {
  local expect="$1" label="$2" rc problem=""
  shift 2
  use_operator_token
  printf '%s\n' "$OP_TOKEN" >"$WORK/cli-token"
  TENANTPLANE_TOKEN_FILE="$WORK/cli-token" TENANTPLANE_API="$API" \
    timeout 30 bash "$CLI" "$@" >"$WORK/cli.out" 2>"$WORK/cli.err" </dev/null
  rc=$?
  if ((rc == 0)) || grep -q '^Provisioning' "$WORK/cli.out"; then
    problem="accepted (exit $rc)"
  elif grep -Eq 'HTTP (429|5[0-9][0-9])' "$WORK/cli.err"; then
    problem="$(grep -Eo 'HTTP [0-9]+' "$WORK/cli.err" | head -1)"
  elif ! grep -Eiq -- "$expect" "$WORK/cli.err"; then
    problem="exit $rc, stderr does not name /$expect/"
  fi
  record cli "$label" "$problem" "$(cat "$WORK/cli.err")"
}

# --- snapshots -------------------------------------------------------------------------------

# snapshot DIR: what bad input must not change, one file per kind.
snapshot() {
  local dir="$1" page=0 total
  mkdir -p "$dir"
  : >"$dir/customers.raw"
  while :; do
    admin_curl "$API/customers?page=$page&size=100" >"$dir/page.json" || die "cannot list the customers"
    jq -r '.items[] | "\(.id) \(.status)"' "$dir/page.json" >>"$dir/customers.raw"
    total="$(jq -r .total "$dir/page.json")"
    page=$((page + 1))
    ((page * 100 < total)) || break
  done
  sort -u "$dir/customers.raw" >"$dir/customers"
  docker exec "$KAFKA_CONTAINER" kafka-get-offsets --bootstrap-server localhost:29092 \
    --topic 'tenantplane\..*' 2>/dev/null | sort >"$dir/offsets" ||
    die "cannot read the topic offsets from $KAFKA_CONTAINER"
  [[ -s "$dir/offsets" ]] || die "no tenantplane.* topic offsets from $KAFKA_CONTAINER"
  docker ps -a --filter label=tenantplane.customer \
    --format '{{.ID}} {{.Label "tenantplane.customer"}} {{.Names}}' | sort >"$dir/containers" ||
    die "cannot list the customer containers"
  find "$CUSTOMERS_DIR" -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort >"$dir/folders"
  # 404 until the nginx-configurer applied a first generation (no customer routed yet).
  curl -sS -m 10 -w ' (HTTP %{http_code})' "$NGINX_URL/__tenantplane/config-version" 2>/dev/null |
    tr -s '[:space:]' ' ' >"$dir/nginx" || die "nginx does not answer at $NGINX_URL"
}

# compare BEFORE AFTER: prints what appeared or changed as "<count><TAB><what>" lines.
compare() {
  local before="$1" after="$2"
  awk 'NR == FNR { status[$1] = $2; next }
    !($1 in status) { print "1\tnew customer " $1 " (" $2 ")"; next }
    status[$1] != $2 { print "1\tcustomer " $1 " changed status " status[$1] " -> " $2 }' \
    "$before/customers" "$after/customers"
  awk -F: 'NR == FNR { end[$1 ":" $2] = $3; next }
    { grew = $3 - end[$1 ":" $2] } grew > 0 { print grew "\t" grew " record(s) on " $1 " partition " $2 }' \
    "$before/offsets" "$after/offsets"
  # A leaked request reaches the provisioner only through a topic (counted above) and stands for a
  # platform customer or an id of this run; containers of another id come from someone's
  # integration tests sharing the Docker engine and are listed without being counted.
  awk -v fresh="bi$RUN-" 'FILENAME == ARGV[1] { known[$1] = 1; next }
    FILENAME == ARGV[2] { seen[$1] = 1; next }
    !($1 in seen) && (($2 in known) || index($2, fresh) == 1) { print "1\tcontainer " $3 " of customer " $2; next }
    !($1 in seen) { print "0\tnot counted: container " $3 " of " $2 ", not a platform customer" }' \
    "$after/customers" "$before/containers" "$after/containers"
  comm -13 "$before/folders" "$after/folders" | sed 's/^/1\tnew folder customers\//'
  cmp -s "$before/nginx" "$after/nginx" ||
    printf '1\tnginx serves configuration %s (was %s)\n' "$(head -c 80 "$after/nginx")" "$(head -c 80 "$before/nginx")"
}

# --- the corpus ------------------------------------------------------------------------------

id_case() {
  body_str id "$1"
  post_customer ids "400 id" "id=$1"
}

# Ids: a customer id becomes a DNS label, container and network names and PostgreSQL
# identifiers, so only [a-z][a-z0-9-]*[a-z0-9] of 3 to 50 characters without "--", not reserved.
id_cases() {
  local v i punctuation reserved
  # Case and the first and last character.
  for v in ACME Acme-corp bad-ID-x 1abc 9-lives -abc abc- ab--cd a---b; do id_case "$v"; done
  # Length.
  for v in "" a ab "$(rep a 51)" "$(rep ab 50)" "$(rep x 1000)"; do id_case "$v"; done
  # Unicode look-alikes (Cyrillic, fullwidth, Kelvin sign, long s, dotless i, Greek), accents,
  # combining marks, invisible and direction characters.
  for v in $'\u0430cme-corp' $'acm\u0435' $'\uff41\uff43\uff4d\uff45' $'\u212aelvin' $'\u017ftar' \
    $'d\u0131zzy' $'\u03b1\u03b2\u03b3' $'caf\u00e9' $'na\u00efve-co' $'acme\u0301' \
    $'ac\u200bme' $'acme\u200d' $'\u202eacme' $'\ufeffacme' $'acme\U0001F600' $'ab\u00a0cd'; do
    id_case "$v"
  done
  # White space.
  for v in " acme" "acme " "ac me" $'acme\t' $'acme\n' $'\racme' $'\u3000acme'; do id_case "$v"; done
  # Every printable ASCII punctuation character but the hyphen.
  punctuation='!"#$%&'"'"'()*+,./:;<=>?@[\]^_`{|}~'
  for ((i = 0; i < ${#punctuation}; i++)); do id_case "ab${punctuation:i:1}cd"; done
  # Control characters, as JSON escapes (a raw NUL cannot be an argument).
  for v in 0000 001b 007f 0085; do
    body_raw id "\"ab\\u${v}cd\""
    post_customer ids "400 id" "id=ab\\u${v}cd"
  done
  # Reserved names, read from the rule itself so the list cannot drift.
  mapfile -t reserved < <(sed -n '/RESERVED =/,/FLEET);/p' \
    "$ROOT_DIR/common/src/main/java/dev/tenantplane/common/naming/CustomerIds.java" |
    grep -o '"[a-z0-9-]*"' | tr -d '"')
  ((${#reserved[@]} > 10)) || die "cannot read the reserved names from CustomerIds.java"
  for v in "${reserved[@]}" fleet; do id_case "$v"; done
  # Injection aimed at SQL, the shell, nginx's configuration, paths, headers and templates.
  for v in "x'; DROP TABLE customer;--" "x' OR '1'='1" 'a$(id)' 'a`id`' 'a;rm -rf /' 'a|nc 127.0.0.1 1' \
    'a&&reboot' 'a}server_name evil;' $'a;\nserver { listen 80; }' 'a.localhost' '../../etc/passwd' \
    '..%2f..%2fetc' 'a%00b' $'a\r\nX-Injected: 1' '{{7*7}}' '${jndi:ldap://127.0.0.1/x}'; do
    id_case "$v"
  done
  # Wrong JSON types.
  for v in 123 true false '[]' '["acme"]' '{}' '{"id":"acme"}' 1.5 null; do
    body_raw id "$v"
    post_customer ids "400 id" "id=$v (JSON)"
  done
  flush
}

# Names: 1 to 200 characters, no control, format, separator, surrogate, private or unassigned
# characters, no leading or trailing white space.
name_cases() {
  local v
  for v in "" " " "   " $'\t' "$(rep n 201)" "$(rep $'\u00e9' 201)" "$(rep n 5000)" " Acme" "Acme " \
    $'Acme\n' $'\u00a0Acme' $'Acme\u2003'; do
    body_str name "$v"
    post_customer names "400 name" "name=$v"
  done
  # Control and invisible characters inside, as JSON escapes: NUL, SOH, BEL, BS, TAB, LF, CR,
  # ESC, DEL, NEL, line and paragraph separators, zero-width space, right-to-left override, BOM,
  # private use, unassigned, lone surrogates.
  for v in 0000 0001 0007 0008 0009 000a 000d 001b 007f 0085 2028 2029 200b 202e feff e000 0378 d800 dfff; do
    body_raw name "\"Acme\\u${v}Corp\""
    post_customer names "400 name" "name=Acme\\u${v}Corp"
  done
  # Wrong JSON types.
  for v in 42 true false '[]' '["Acme"]' '{"first":"Acme"}' 1.5 null; do
    body_raw name "$v"
    post_customer names "400 name" "name=$v (JSON)"
  done
  flush
}

# Ports: an integer from 3001 to 3999 that no other customer holds.
port_cases() {
  local v
  for v in 0 1 80 443 3000 4000 4001 5433 6380 8080 65535 65536 -1 -3001 -0 2147483647 2147483648 \
    -2147483649 99999999999999999999 1e400 3001.5 3001.0 3.001e3 1e3 '"3001"' '"abc"' '""' true false \
    '[3001]' '{"app":3001}' '"3001; }"' '"3001\nserver_name evil;"' "\"3001' OR '1'='1\"" '"$(id)"'; do
    body_raw port "$v"
    post_customer ports "400 port" "port=$v"
  done
  if [[ -n "$HELD_PORT" ]]; then
    body_raw port "$HELD_PORT"
    post_customer ports "400 port" "port=$HELD_PORT (held by $HELD_BY)"
  else
    printf 'note: no customer holds a port, so the held-port case is not part of this run\n'
  fi
  flush
}

# Plans: exactly small, standard or large.
plan_cases() {
  local v
  for v in "" SMALL Small Standard LARGE xl enterprise free " small" "small " $'small\n' smaII \
    $'\u0455mall' 'small;' 'small}' "standard' OR '1'='1" ../large 'large; rm -rf /' '$(id)'; do
    body_str plan "$v"
    post_customer plans "400 plan" "plan=$v"
  done
  for v in 1 0 true '[]' '["small"]' '{"name":"small"}' 0.5; do
    body_raw plan "$v"
    post_customer plans "400 plan" "plan=$v (JSON)"
  done
  flush
}

# shape EXPECT BODY: BODY as is to POST /customers.
shape() {
  BODY="$2"
  post_customer shapes "$1" "body=$2"
}

# JSON shapes: one object, each field at most once, only id, name, plan and port. A body that
# cannot be read as such has no field to name; its problem must name the body.
shape_cases() {
  local valid v trip="\"plan\":\"$TRIPWIRE_PLAN\""
  body_raw id "\"$NOBODY-v\""
  valid="$BODY"
  # Not an object.
  for v in '[]' "[$valid]" '"acme"' 42 true null; do shape "400 ~body" "$v"; done
  # Malformed, truncated, trailing garbage, repeated fields, a raw newline in a string, empty.
  for v in '{' '}' '{"id":}' "{'id':'$NOBODY','name':'Acme','plan':'$TRIPWIRE_PLAN'}" "{id:\"$NOBODY\",name:\"Acme\",plan:\"x\"}" \
    "{\"id\":\"$NOBODY\",\"name\":\"Acme\",$trip,}" '{"id" "acme-x"}' "{\"id\":\"$NOBODY\",\"name\":\"Acme\",\"port\":NaN}" \
    "/* c */$valid" "${valid:0:$((${#valid} / 2))}" "${valid%\}}" "$valid x" "$valid$valid" "$valid]" \
    "$valid // c" "{\"id\":\"$NOBODY\",\"id\":\"$NOBODY-b\",\"name\":\"Acme\",$trip}" \
    "{\"id\":\"$NOBODY\",\"name\":\"Ac"$'\n'"me\",$trip}" "" "   "; do
    shape "400 ~body" "$v"
  done
  # Missing fields.
  shape "400 id" "{$trip}"
  shape "400 id" "{\"name\":\"Acme\",$trip}"
  shape "400 name" "{\"id\":\"$NOBODY-m\",$trip}"
  shape "400 id" "{\"id\":null,\"name\":\"Acme\",$trip}"
  # Unknown fields, including ones that look like server-side state.
  for v in extra Id __proto__ constructor status ports admin ""; do
    body_raw "$v" 1
    post_customer shapes "400 $v" "unknown field $v"
  done
  # Deep nesting: inside an unknown field, as the id, and past the parser's depth limit.
  body_raw nest "$(rep '[' 200)$(rep ']' 200)"
  post_customer shapes "400 nest" "200 levels in an unknown field"
  body_raw id "$(rep '[' 50)$(rep ']' 50)"
  post_customer shapes "400 id" "50 levels as the id"
  body_raw nest "$(rep '[' 5000)$(rep ']' 5000)"
  post_customer shapes "400 ~body" "5000 levels"
  flush
}

# Headers: Content-Type must be application/json; a bearer token is required, known and not
# revoked, a viewer may not write, and only an admin manages tokens; an Idempotency-Key is 1 to
# 200 visible ASCII characters.
header_cases() {
  local v method path header
  for v in "" text/plain application/xml application/x-www-form-urlencoded multipart/form-data \
    application/json-patch+json application/jsonx text/json application/javascript; do
    CT="$v" post_probe headers "415 ~content-type" "Content-Type: $v"
  done
  for v in "Basic dXNlcjpwYXNz" "Bearer" "Bearer $(rep A 43)" "Bearer ' OR '1'='1" "Bearer ../../etc/passwd" \
    'Bearer ${jndi:ldap://127.0.0.1/x}' "Bearer $(rep x 4000)"; do
    AUTH="$v" post_probe headers "401 ~token" "Authorization: ${v:0:40}"
  done
  # A valid token in the wrong form (the labels describe it: tokens are never printed).
  AUTH="Token $OP_TOKEN" post_probe headers "401 ~token" "Authorization: Token <valid token>"
  AUTH="Bearer ${OP_TOKEN}x" post_probe headers "401 ~token" "Authorization: Bearer <valid token>x"
  AUTH="Bearer ${OP_TOKEN%?}" post_probe headers "401 ~token" "Authorization: Bearer <valid token minus a character>"
  AUTH="Bearer $OP_TOKEN,Bearer $OP_TOKEN" post_probe headers "401 ~token" "Authorization: Bearer <token>,Bearer <token>"
  AUTH=none post_probe headers "401 ~token" "no Authorization"
  probe_json >"$BODY_FILE"
  AUTH=none send_file headers "401 ~token" "token in the query string" POST "/customers?access_token=$OP_TOKEN"
  AUTH=none post_probe headers "401 ~token" "token in a cookie" -K "$(secret_file cookie "token=$OP_TOKEN")"
  AUTH="Bearer $REVOKED_TOKEN" post_probe headers "401 ~token" "revoked token"
  # A viewer writing, on every write path.
  AUTH="Bearer $VIEWER_TOKEN" post_probe headers "403 ~read" "viewer POST /customers"
  for v in "POST /customers/$NOBODY/retry" "POST /customers/$NOBODY/suspend" "POST /customers/$NOBODY/resume" \
    "DELETE /customers/$NOBODY" "POST /fleet/migrations"; do
    read -r method path <<<"$v"
    AUTH="Bearer $VIEWER_TOKEN" rest headers "403 ~read" "viewer $v" "$method" "$path"
  done
  # Any token but an admin's on the token endpoints (a leak here would mint, list or revoke one).
  printf '{"name":"%s","role":"viewer"}' "$NOBODY" >"$BODY_FILE"
  AUTH="Bearer $VIEWER_TOKEN" send_file headers "403 ~admin" "viewer POST /tokens" POST /tokens
  AUTH="Bearer $VIEWER_TOKEN" rest headers "403 ~admin" "viewer GET /tokens" GET /tokens
  AUTH="Bearer $VIEWER_TOKEN" rest headers "403 ~admin" "viewer DELETE /tokens/$NOBODY" DELETE "/tokens/$NOBODY"
  printf '{"name":"%s","role":"operator"}' "$NOBODY" >"$BODY_FILE"
  send_file headers "403 ~admin" "operator POST /tokens" POST /tokens
  rest headers "403 ~admin" "operator GET /tokens" GET /tokens
  rest headers "403 ~admin" "operator DELETE /tokens/$NOBODY" DELETE "/tokens/$NOBODY"
  # Idempotency-Key values.
  for v in "" "$(rep k 201)" "has space" $'\u043a\u043b\u044e\u0447' $'tab\there'; do
    header="Idempotency-Key: $v"
    [[ -n "$v" ]] || header="Idempotency-Key;"
    post_probe headers "400 Idempotency-Key" "Idempotency-Key: $v" -H "$header"
  done
  # A control character in a header value is refused by the HTTP parser itself.
  post_probe headers "400 !parser" $'Idempotency-Key: del\x7f' -H $'Idempotency-Key: del\x7f'
  # One key reused with another body: each body is still judged on its own, nothing replayed.
  body_str id "BAD-$RUN"
  post_customer headers "400 id" "Idempotency-Key reused: first body" -H "Idempotency-Key: bad-input-$RUN"
  body_str name ""
  post_customer headers "400 name" "Idempotency-Key reused: another body" -H "Idempotency-Key: bad-input-$RUN"
  flush
}

# Sizes: a body is at most 16 KiB (max-body-bytes); JSON padded with white space, so the size is
# its only defect (besides the tripwire).
size_cases() {
  local bytes json path
  json="$(probe_json)"
  for bytes in 16385 32768 65537 1048576; do
    printf '%s%*s' "$json" $((bytes - ${#json})) '' >"$BODY_FILE"
    send_file sizes "413 ~bytes|large|size" "POST /customers of $bytes bytes" POST /customers
  done
  printf '{}%*s' 16385 '' >"$BODY_FILE"
  AUTH="Bearer $RUN_ADMIN_TOKEN" send_file sizes "413 ~bytes|large|size" "POST /tokens of 16387 bytes" POST /tokens
  printf '{}%*s' 16385 '' >"$BODY_FILE"
  send_file sizes "413 ~bytes|large|size" "POST /fleet/migrations of 16387 bytes" POST /fleet/migrations
  flush
}

# encode_text MODE TEXT: ASCII TEXT in UTF-16 or UTF-32 code units.
encode_text() {
  local mode="$1" text="$2" i
  for ((i = 0; i < ${#text}; i++)); do
    case "$mode" in
      utf16le) printf '%s\0' "${text:i:1}" ;;
      utf16be) printf '\0%s' "${text:i:1}" ;;
      utf32le) printf '%s\0\0\0' "${text:i:1}" ;;
    esac
  done
}

# Encodings: a body is UTF-8 (RFC 8259), without a byte order mark. The bytes go into the name,
# where a lenient decoder would let them through (U+FFFD and '/' are valid name characters).
encoding_cases() {
  local bytes json
  # Invalid UTF-8: Latin-1, stray bytes, a cut sequence, overlong forms, an encoded surrogate,
  # beyond U+10FFFF, a five-byte form.
  for bytes in '\xe9' '\xff\xfe' '\xc3' '\xc0\xaf' '\xc0\x80' '\xe0\x80\xaf' '\xf0\x80\x80\xaf' \
    '\xed\xa0\x80' '\xf4\x90\x80\x80' '\xf8\x88\x80\x80\x80'; do
    SEQ=$((SEQ + 1))
    printf '{"id":"bi%s-%s","name":"Acme %b Corp","plan":"%s"}' "$RUN" "$SEQ" "$bytes" "$TRIPWIRE_PLAN" >"$BODY_FILE"
    send_file encodings "400 ~body" "name bytes $bytes" POST /customers
  done
  json="$(probe_json)"
  encode_text utf16le "$json" >"$BODY_FILE"
  send_file encodings "400 ~body" "UTF-16LE body" POST /customers
  encode_text utf16be "$json" >"$BODY_FILE"
  CT="application/json; charset=utf-16" send_file encodings "415 ~charset" "UTF-16BE body, charset=utf-16" POST /customers
  { printf '\xff\xfe' && encode_text utf16le "$json"; } >"$BODY_FILE"
  send_file encodings "400 ~body" "UTF-16LE body with BOM" POST /customers
  encode_text utf32le "$json" >"$BODY_FILE"
  send_file encodings "400 ~body" "UTF-32LE body" POST /customers
  printf '\xef\xbb\xbf%s' "$json" >"$BODY_FILE"
  send_file encodings "400 ~body" "UTF-8 body with BOM" POST /customers
  flush
}

# URL paths and query parameters: ids in paths that are no customer (traversal, NUL, encoded
# separators, injection), bad purge, status, page and size values, wrong methods, bad token and
# fleet requests.
path_cases() {
  local v action field
  local -a bad_segments=("..%2f..%2fetc%2fpasswd" "%2e%2e%2f%2e%2e%2fetc%2fpasswd" "..;/..;/etc" \
    "$NOBODY%00" "%00" "${NOBODY^^}" "%E2%80%8B$NOBODY" "$NOBODY%3B%20rm%20-rf%20%2F" "a%20b" \
    "%27%20OR%20%271%27%3D%271" "%24%28id%29" "..%5c..%5cwindows" "%252e%252e%252f" \
    "$NOBODY%0d%0aX-Injected:%201" "....//....//etc" "../../etc/passwd" "$NOBODY%7D%20server_name%20x%3B")
  for v in "${bad_segments[@]}"; do
    rest paths "4xx ~customer|not found" "GET /customers/$v" GET "/customers/$v"
  done
  # Writes on such paths: each segment ends in etc, a NUL or an id of this run, never a customer.
  for v in "${bad_segments[@]:0:8}"; do
    for action in retry suspend resume unarchive; do
      rest paths "4xx ~customer|not found|not allowed" "POST /customers/$v/$action" POST "/customers/$v/$action"
    done
    rest paths "4xx ~customer|not found|not allowed" "DELETE /customers/$v" DELETE "/customers/$v"
  done
  # An empty value is a bad value too: it must not silently mean "not given".
  for v in yes 1 TRUE '' 'true%3Brm%20-rf' '..%2f..%2fx' 'true%00'; do
    rest paths "400 purge" "DELETE /customers/$NOBODY?purge=$v" DELETE "/customers/$NOBODY?purge=$v"
  done
  for v in status=bogus status=ready "status=READY'%20OR%20'1'='1" status= page=-1 page=abc page=1.5 \
    page=99999999999 size=0 size=101 size=abc size=1e2 size=-5; do
    rest paths "400 ${v%%=*}" "GET /customers?$v" GET "/customers?$v"
  done
  rest paths "405 ~method|allowed" "PUT /customers" PUT /customers
  rest paths "405 ~method|allowed" "PATCH /customers/$NOBODY" PATCH "/customers/$NOBODY"
  # Token paths and bodies as an admin (this run's own), the only role that gets past their role
  # check to the input checks.
  for v in "NOPE-$RUN" "..%2f..%2fetc" "$NOBODY%00" "%E2%80%8B$NOBODY"; do
    AUTH="Bearer $RUN_ADMIN_TOKEN" rest paths "404 ~token" "DELETE /tokens/$v" DELETE "/tokens/$v"
  done
  # Token and fleet requests with bad fields (a leak here would mint a token or migrate the fleet).
  for v in '{"name":"Upper","role":"operator"}' '{"name":"","role":"viewer"}' '{"name":"a b","role":"viewer"}' \
    "{\"name\":\"$(rep n 64)\",\"role\":\"viewer\"}" '{"name":"../x","role":"viewer"}' '{"name":"x;rm","role":"viewer"}' \
    "{\"name\":\"$NOBODY\",\"role\":\"root\"}" "{\"name\":\"$NOBODY\",\"role\":\"OPERATOR\"}" \
    "{\"name\":\"$NOBODY\",\"role\":1}" "{\"name\":\"$NOBODY\"}"; do
    printf '%s' "$v" >"$BODY_FILE"
    field=name
    [[ "$v" == *"\"name\":\"$NOBODY\""* ]] && field=role
    AUTH="Bearer $RUN_ADMIN_TOKEN" send_file paths "400 $field" "POST /tokens $v" POST /tokens
  done
  printf '{"name":"%s","role":"viewer","admin":true}' "$NOBODY" >"$BODY_FILE"
  AUTH="Bearer $RUN_ADMIN_TOKEN" send_file paths "400 admin" "POST /tokens with an unknown field" POST /tokens
  # Lifetimes past the gateway's tokens.max-lifetime, which its OpenAPI document states.
  for v in $((MAX_LIFETIME_DAYS + 1)) 0 99999999999; do
    printf '{"name":"%s","role":"viewer","expiresInDays":%s}' "$NOBODY" "$v" >"$BODY_FILE"
    AUTH="Bearer $RUN_ADMIN_TOKEN" send_file paths "400 expiresInDays" "POST /tokens expiresInDays=$v" POST /tokens
  done
  for v in 0 65 -1 '"2"' 1.5 true 99999999999 '[2]'; do
    printf '{"maxConcurrency":%s}' "$v" >"$BODY_FILE"
    send_file paths "400 maxConcurrency" "POST /fleet/migrations maxConcurrency=$v" POST /fleet/migrations
  done
  printf '{"maxConcurrency":0,"customers":["%s"]}' "$NOBODY" >"$BODY_FILE"
  send_file paths "400 customers" "POST /fleet/migrations with an unknown field" POST /fleet/migrations
  for v in '[]' '{' 'null'; do
    printf '%s' "$v" >"$BODY_FILE"
    send_file paths "400 ~body" "POST /fleet/migrations $v" POST /fleet/migrations
  done
  flush
}

# The CLI: each command with bad ids and bad options. provision's fields are judged by the gateway
# and printed per field (each call carries a tripwire too); the id-only commands answer 404 for an
# id that is no customer.
cli_cases() {
  local v cmd trip=(--plan "$TRIPWIRE_PLAN")
  for v in ACME 1abc abc- ab--cd ab "$(rep a 51)" $'\u0430cme' $'ac\u200bme' " acme" 'a;b' '../../etc' admin; do
    cli "(^| )id: " "provision --id $v" provision --id "$v" --name "$GOOD_NAME" "${trip[@]}"
  done
  for v in $'\e[31mred' $'del\x7f' $'two\nlines' "$(rep n 201)" " lead"; do
    cli "(^| )name: " "provision --name $v" provision --id "$NOBODY-c" --name "$v" "${trip[@]}"
  done
  for v in abc -1 "3001;reboot" 1.5; do
    cli "--port" "provision --port $v" provision --id "$NOBODY-c" --name "$GOOD_NAME" --port "$v" "${trip[@]}"
  done
  for v in 0 4000 99999; do
    cli "(^| )port: " "provision --port $v" provision --id "$NOBODY-c" --name "$GOOD_NAME" --port "$v" "${trip[@]}"
  done
  for v in Small XL 'small;'; do
    cli "(^| )plan: " "provision --plan $v" provision --id "$NOBODY-c" --name "$GOOD_NAME" --plan "$v" --port "$TRIPWIRE_PORT"
  done
  cli "--id|--name" "provision without options" provision
  cli "--id|--name" "provision --id without --name" provision --id "$NOBODY-c"
  cli "--id|option|value" "provision --id with no value" provision --id
  cli "unknown option" "provision --evil" provision --id "$NOBODY-c" --name "$GOOD_NAME" --evil 1
  # Id-only commands: ids derived from an id of this run, so none can address a real customer.
  local -a ids=("${NOBODY^^}" "1$NOBODY" "$NOBODY-" "$NOBODY"$'\u200b' "$NOBODY;rm -rf /" \
    "../../etc/passwd" " $NOBODY")
  for v in "${ids[@]}"; do
    cli "no customer|not found" "status $v" status "$v"
  done
  for cmd in retry suspend resume unarchive deprovision; do
    for v in "${ids[@]:0:2}" "${ids[@]:4:2}"; do
      cli "no customer|not found" "$cmd $v" "$cmd" "$v"
    done
    cli "id is required" "$cmd without an id" "$cmd"
  done
  cli "status takes" "status with two ids" status "$NOBODY" "$NOBODY-b"
  for v in "${NOBODY^^}" "1$NOBODY" "../../etc" "a b" "a;id"; do
    cli "not a customer id" "logs $v" logs "$v"
  done
  cli "logs takes" "logs without an id" logs
  cli "service must be" "logs with a bad service" logs "$NOBODY" 'app;id'
  cli "no customer|not found" "events ${NOBODY^^}" events "${NOBODY^^}"
  cli "events takes" "events without an id" events
}

# --- main ------------------------------------------------------------------------------------

main() {
  local before="$WORK/before" after="$WORK/after" line created=0 category started=$SECONDS
  [[ -r "$ADMIN_TOKEN_FILE" ]] || die "no admin token at $ADMIN_TOKEN_FILE: is the platform up?"
  ADMIN_TOKEN="$(<"$ADMIN_TOKEN_FILE")"
  curl -fsS -m 10 "${API%/api/v1}/api/health" >/dev/null || die "the api-gateway does not answer at $API"

  snapshot "$before"
  # The held port: the app port of a customer that is not deprovisioned.
  HELD_BY="$(awk '$2 != "DEPROVISIONED" { print $1; exit }' "$before/customers")"
  HELD_PORT=""
  if [[ -n "$HELD_BY" ]]; then
    HELD_PORT="$(admin_curl "$API/customers/$HELD_BY" | jq -r '.ports.app // .requestedPort // empty')"
  fi
  printf 'bad-input: run %s against %s, %s customers, held port %s\n' "$RUN" "$API" \
    "$(wc -l <"$before/customers")" "${HELD_PORT:-none}"

  MAX_LIFETIME_DAYS="$(curl -fsS -m 30 "${API%/api/v1}/q/openapi?format=json" |
    jq -r '.components.schemas.TokenRequest.properties.expiresInDays.maximum // empty')"
  [[ "$MAX_LIFETIME_DAYS" =~ ^[0-9]+$ ]] || die "the OpenAPI document states no maximum token lifetime"
  create_token admin admin
  RUN_ADMIN_TOKEN="$CREATED_TOKEN"
  create_token viewer viewer
  VIEWER_TOKEN="$CREATED_TOKEN"
  create_token revoked operator
  REVOKED_TOKEN="$CREATED_TOKEN"
  admin_curl -X DELETE "$API/tokens/bad-input-$RUN-revoked" >/dev/null || die "cannot revoke a token"
  # A token request of the corpus that got through would have been named after NOBODY.
  TOKEN_NAMES+=("$NOBODY")
  use_operator_token

  id_cases
  name_cases
  port_cases
  plan_cases
  shape_cases
  header_cases
  size_cases
  encoding_cases
  path_cases
  cli_cases

  revoke_tokens
  sleep "$SETTLE_SECONDS"
  snapshot "$after"

  printf '\n%-10s %5s %7s\n' category cases failed
  for category in "${CATEGORIES[@]}"; do
    printf '%-10s %5d %7d\n' "$category" "${CAT_TOTAL[$category]}" "${CAT_FAILED[$category]}"
  done
  local refused
  for refused in "${PARSER_REFUSED[@]}"; do
    printf 'refused by the HTTP parser, no body to name it: %q\n' "$refused"
  done
  printf '\ncompared before and after: %s customers, %s topic partitions, %s customer containers,' \
    "$(wc -l <"$after/customers")" "$(wc -l <"$after/offsets")" "$(wc -l <"$after/containers")"
  printf ' %s customer folders, nginx configuration %s\n' "$(wc -l <"$after/folders")" "$(cat "$after/nginx")"
  while IFS=$'\t' read -r count line; do
    printf 'created: %s\n' "$line"
    created=$((created + count))
  done < <(compare "$before" "$after")
  for line in "${ACCEPTED_CUSTOMERS[@]}"; do
    printf 'accepted request created customer %s (remove: deploy/tenantplane deprovision %s --purge)\n' "$line" "$line"
  done
  printf 'took %d s\n' $((SECONDS - started))
  printf 'bad-input: accepted = %d of %d, created = %d\n' "$FAILED" "$CASES" "$created"
  ((FAILED == 0 && created == 0 && CASES >= MIN_CASES))
}

main "$@"
