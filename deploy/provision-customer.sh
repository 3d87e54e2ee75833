#!/usr/bin/env bash
# The seed guide's provisioning script, kept for its users: same flags, same success block.
#   deploy/provision-customer.sh --id acme-corp --name "ACME Corporation" [--port 3005] [--plan standard]
# It provisions through the running platform (bring it up with: deploy/tenantplane up).
set -euo pipefail
exec "$(dirname "$0")/tenantplane" provision "$@"
