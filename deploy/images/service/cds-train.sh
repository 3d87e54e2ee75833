#!/bin/sh
# Runs once during `docker build` of a service image: starts the service, lets it get as far as it
# can without its database, Kafka or Docker engine (the build has no network), and lets the JVM write
# every class it loaded into a class-data-sharing archive that the service's containers then map.
#
# Flyway's migration at start is switched off for this run only, so that start-up goes past the
# database into Hibernate, the Kafka consumers and the HTTP server. A service that still gives up on
# the missing database exits on its own; the classes it loaded until then are archived all the same
# (the JVM writes the archive on any normal exit, including SIGTERM's).
#
# Usage: cds-train ARCHIVE. The JVM options are the image's JAVA_OPTS.
set -eu

archive="$1"
port=39998
log=/tmp/cds-train.log

mkdir -p "$(dirname "$archive")"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
TENANTPLANE_HTTP_HOST=127.0.0.1 TENANTPLANE_HTTP_PORT="$port" QUARKUS_FLYWAY_MIGRATE_AT_START=false \
  java $JAVA_OPTS -XX:ArchiveClassesAtExit="$archive" -jar /app/quarkus-app/quarkus-run.jar >"$log" 2>&1 &
service=$!

# Up to 3 minutes: start-up without the database waits for connection attempts to fail.
waited=0
while kill -0 "$service" 2>/dev/null && [ "$waited" -lt 1800 ]; do
  if curl -s --max-time 5 -o /dev/null "http://127.0.0.1:$port/q/health/live"; then
    curl -s --max-time 5 -o /dev/null "http://127.0.0.1:$port/q/health/ready" || true
    break
  fi
  sleep 0.1
  waited=$((waited + 1))
done
kill -TERM "$service" 2>/dev/null || true
wait "$service" || true

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
