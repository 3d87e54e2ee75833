#!/usr/bin/env bash
# Looks for generated secrets where they must never be: every record of every tenantplane.*
# Kafka topic (keys, headers and values), every line the five services have logged, what
# 'docker inspect' shows of the service containers and of every tenant container (which get their
# secrets as mounted files, so no secret belongs in their environment, command or labels), the
# command lines of the tenant containers' processes, the customer folders' files other than .env,
# the secret files in secrets/ and backups/ (tenant data), and the files given (captured API and
# CLI output). The secrets are the values of the *PASSWORD, JWT_SECRET and ENCRYPTION_KEY variables
# in the secrets file, which holds lines copied from the customers' .env files while they
# existed and the platform's passwords.
# The last line reads `secret-scan: found = F in S sources (K secrets)`; non-zero exit unless F is 0.
#
#   deploy/proof/secret-scan.sh SECRETS_FILE [CAPTURED_OUTPUT ...]
set -euo pipefail
cd "$(dirname "$0")/../.."

SECRETS_FILE="${1:?usage: secret-scan.sh SECRETS_FILE [CAPTURED_OUTPUT ...]}"
shift
WORK="$(mktemp -d)"
chmod 0700 "$WORK"
trap 'rm -rf "$WORK"' EXIT

# One secret per line, longest first; never printed.
sed -n 's/^\([A-Z_]*PASSWORD\|JWT_SECRET\|ENCRYPTION_KEY\)=//p' "$SECRETS_FILE" |
  awk 'length($0) >= 16' | sort -u >"$WORK/secrets"
secrets=$(wc -l <"$WORK/secrets")
((secrets > 0)) || { echo "secret-scan: no secrets in $SECRETS_FILE" >&2; exit 2; }
# Control: the matcher finds every secret where it is known to be.
(($(grep -cFf "$WORK/secrets" "$SECRETS_FILE") >= secrets)) ||
  { echo "secret-scan: the matcher misses secrets in $SECRETS_FILE" >&2; exit 2; }

sources=()
# Kafka: the console consumer stops once no record came for the timeout.
docker exec tenantplane-kafka kafka-console-consumer --bootstrap-server localhost:29092 \
  --include 'tenantplane\..*' --from-beginning --timeout-ms 15000 \
  --property print.headers=true --property print.key=true >"$WORK/kafka" 2>/dev/null || true
[[ -s "$WORK/kafka" ]] || { echo "secret-scan: read nothing from Kafka" >&2; exit 2; }
sources+=("$WORK/kafka")
while IFS= read -r name; do
  docker logs "$name" >"$WORK/log-$name" 2>&1
  docker inspect "$name" >"$WORK/inspect-$name"
  sources+=("$WORK/log-$name" "$WORK/inspect-$name")
done < <(docker ps -a --filter label=tenantplane.service --format '{{.Names}}')
# Tenant containers: anyone who may read the engine's API sees their configuration.
while IFS= read -r name; do
  docker inspect "$name" >"$WORK/inspect-$name"
  sources+=("$WORK/inspect-$name")
  if [[ "$(docker inspect -f '{{.State.Running}}' "$name")" == true ]]; then
    docker top "$name" -o pid,args >"$WORK/top-$name"
    sources+=("$WORK/top-$name")
  fi
done < <(docker ps -a --filter label=tenantplane.customer --filter label=com.docker.compose.service --format '{{.Names}}')
# The customer folders' generated files meant to hold no secret (docker-compose.yml, the manifest).
if [[ -d customers ]]; then
  while IFS= read -r -d '' file; do
    sources+=("$file")
  done < <(find customers -mindepth 2 -maxdepth 2 -type f ! -name .env -print0)
fi
for file in "$@"; do
  sources+=("$file")
done

found=0
for source in "${sources[@]}"; do
  if hits=$(grep -cFf "$WORK/secrets" "$source"); then
    found=$((found + hits))
    printf 'FOUND  %d line(s) in %s\n' "$hits" "$(basename "$source")"
  fi
done
printf 'secret-scan: %d Kafka records, %d log lines scanned\n' \
  "$(wc -l <"$WORK/kafka")" "$(cat "$WORK"/log-* 2>/dev/null | wc -l)"
printf 'secret-scan: found = %d in %d sources (%d secrets)\n' "$found" "${#sources[@]}" "$secrets"
((found == 0))
