#!/usr/bin/env bash
# What the control plane still holds of a customer's sealed credentials, table by table: every
# service's outbox rows carrying an envelope of it, the gateway's step inputs and dead-letter
# records, the provisioner's allocation, the migrator's registry, nginx-configurer's route and
# health-monitor's watch. After a deprovision there must be none. Prints one line per table with
# rows left; the last line reads `sealed-left: N rows` and the exit status is non-zero unless N is 0.
#
#   deploy/proof/sealed-left.sh CUSTOMER_ID
set -euo pipefail
cd "$(dirname "$0")/../.."

ID="${1:?usage: sealed-left.sh CUSTOMER_ID}"
ENV_FILE=.tenantplane/platform.env
[[ -r "$ENV_FILE" ]] || { echo "no $ENV_FILE: is the platform up?" >&2; exit 2; }
setting() { sed -n "s/^$1=//p" "$ENV_FILE"; }

# The customer id goes in as a psql variable, quoted by psql (:'id'), never pasted into the SQL.
left="$(PGPASSWORD="$(setting TENANTPLANE_PG_PASSWORD)" psql -X -q -tA -F ' ' \
  -h "$(setting TENANTPLANE_PG_HOST)" -p "$(setting TENANTPLANE_PG_PORT)" \
  -U "$(setting TENANTPLANE_PG_USER)" -d "$(setting TENANTPLANE_PG_DATABASE)" \
  -v ON_ERROR_STOP=1 -v id="$ID" <<'SQL'
SELECT t.name, t.n FROM (
  SELECT 'api_gateway.outbox' AS name, count(*) AS n FROM api_gateway.outbox
    WHERE message_key = :'id' AND position('"ciphertext"' IN convert_from(payload, 'UTF8')) > 0
  UNION ALL SELECT 'provisioner.outbox', count(*) FROM provisioner.outbox
    WHERE message_key = :'id' AND position('"ciphertext"' IN convert_from(payload, 'UTF8')) > 0
  UNION ALL SELECT 'migrator.outbox', count(*) FROM migrator.outbox
    WHERE message_key = :'id' AND position('"ciphertext"' IN convert_from(payload, 'UTF8')) > 0
  UNION ALL SELECT 'nginx_configurer.outbox', count(*) FROM nginx_configurer.outbox
    WHERE message_key = :'id' AND position('"ciphertext"' IN convert_from(payload, 'UTF8')) > 0
  UNION ALL SELECT 'health_monitor.outbox', count(*) FROM health_monitor.outbox
    WHERE message_key = :'id' AND position('"ciphertext"' IN convert_from(payload, 'UTF8')) > 0
  UNION ALL SELECT 'api_gateway.step_input', count(*) FROM api_gateway.step_input
    WHERE customer_id = :'id' AND position('"ciphertext"' IN payload) > 0
  UNION ALL SELECT 'api_gateway.dead_letter', count(*) FROM api_gateway.dead_letter
    WHERE customer_id = :'id' AND payload IS NOT NULL
  UNION ALL SELECT 'provisioner.allocation', count(*) FROM provisioner.allocation
    WHERE customer_id = :'id'
  UNION ALL SELECT 'migrator.migrated_customers', count(*) FROM migrator.migrated_customers
    WHERE customer_id = :'id'
  UNION ALL SELECT 'nginx_configurer.routes', count(*) FROM nginx_configurer.routes
    WHERE customer_id = :'id' AND credentials_ciphertext IS NOT NULL
  UNION ALL SELECT 'health_monitor.watched_customers', count(*) FROM health_monitor.watched_customers
    WHERE customer_id = :'id'
) t WHERE t.n > 0 ORDER BY t.name;
SQL
)"
total=0
while read -r table rows; do
  [[ -n "$table" ]] || continue
  printf '%s: %s rows of %s left\n' "$table" "$rows" "$ID"
  total=$((total + rows))
done <<<"$left"
printf 'sealed-left: %d rows\n' "$total"
((total == 0))
