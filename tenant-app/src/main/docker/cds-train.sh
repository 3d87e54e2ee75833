#!/bin/sh
# Runs once during `docker build`: starts the app as a worker (the role that loads the most: HTTP,
# the job loop, both clients), calls the endpoints that need no database, stops it, and lets the JVM
# write every class it loaded into a class-data-sharing archive. Containers started from the image
# map that archive instead of opening, parsing and verifying the same classes again.
#
# No database or Redis is needed (and none is reachable: the build runs with --network none): both
# clients connect lazily, so the app starts fully and health answers 503 at once; the connection
# code is loaded all the same, only the happy path of the drivers is not.
#
# Usage: cds-train ARCHIVE. The JVM options are the image's JAVA_OPTS, so the archive is made with
# the heap and GC settings the containers use.
set -eu

archive="$1"
port=39999
log=/tmp/cds-train.log

mkdir -p "$(dirname "$archive")"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
TENANT_ROLE=worker TENANT_HTTP_HOST=127.0.0.1 PORT="$port" DB_HOST=127.0.0.1 REDIS_HOST=127.0.0.1 \
  TENANT_SHUTDOWN_TIMEOUT=5s JWT_SECRET=cds-training-only-not-a-real-secret-0123456789 \
  java $JAVA_OPTS -XX:ArchiveClassesAtExit="$archive" -jar /app/quarkus-app/quarkus-run.jar >"$log" 2>&1 &
app=$!

waited=0
until curl -s --max-time 5 -o /dev/null "http://127.0.0.1:$port/api/health"; do
  if ! kill -0 "$app" 2>/dev/null || [ "$waited" -gt 1200 ]; then
    cat "$log" >&2
    echo "cds-train: the training run did not start" >&2
    exit 1
  fi
  sleep 0.1
  waited=$((waited + 1))
done

# Health (503: nothing to reach), a call without a token and one with a bad token and a JSON body:
# the request, JSON and token paths every container takes on its first calls.
for _ in 1 2 3; do
  curl -s --max-time 5 -o /dev/null "http://127.0.0.1:$port/api/health" || true
done
curl -s --max-time 5 -o /dev/null "http://127.0.0.1:$port/api/contacts" || true
curl -s --max-time 5 -o /dev/null -X POST -H 'Content-Type: application/json' -H 'Authorization: Bearer a.b.c' \
  -d '{"name":"cds"}' "http://127.0.0.1:$port/api/contacts" || true
# Long enough for the worker loop to have tried Redis and backed off once.
sleep 3

# The archive is written when the JVM exits normally, which SIGTERM (Quarkus' shutdown) is.
kill -TERM "$app"
wait "$app" || true
if [ ! -s "$archive" ]; then
  cat "$log" >&2
  echo "cds-train: no archive written (the base image's JVM needs its default CDS archive: java -Xshare:dump)" >&2
  exit 1
fi
rm -f "$log"

# Fails the build if the archive does not apply to this JVM and class path after all.
# shellcheck disable=SC2086
java $JAVA_OPTS -Xshare:on -XX:SharedArchiveFile="$archive" -cp /app/quarkus-app/quarkus-run.jar -version 2>&1 \
  | grep -q sharing
ls -l "$archive"
