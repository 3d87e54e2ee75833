#!/usr/bin/env bash
# Builds the project's container images from Debian packages, with no registry:
# a base from debootstrap (or a local debian:bookworm), then the service images.
#
#   deploy/images/build.sh [--force] [image ...]     images: base jre postgres redis nginx kafka prometheus
#   (--force rebuilds the images named, or all, without the layer cache)
#   deploy/images/build.sh --kafka-version           prints the Kafka version the kafka image gets
#
# An image is rebuilt only when its inputs changed: each carries the label
# tenantplane.inputs, a hash of its folder here plus its parent's hash (and, for kafka,
# the Kafka version), and an image whose label equals the freshly computed hash is left
# alone. Names come from deploy/lib/images.sh (TENANTPLANE_*_IMAGE); build logs go to
# $TENANTPLANE_BUILD_LOG_DIR.
set -euo pipefail

IMAGES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEPLOY_DIR="$(dirname "$IMAGES_DIR")"
ROOT_DIR="$(dirname "$DEPLOY_DIR")"
# shellcheck source=SCRIPTDIR/../lib/engine.sh
source "$DEPLOY_DIR/lib/engine.sh"
# shellcheck source=SCRIPTDIR/../lib/images.sh
source "$DEPLOY_DIR/lib/images.sh"

: "${TENANTPLANE_BUILD_LOG_DIR:=${TMPDIR:-/tmp}/tenantplane-build}"
: "${TENANTPLANE_DEBIAN_MIRROR:=}"

SUITE=bookworm
FORCE=0
declare -A FORCED=()
declare -A INPUTS_HASH=()
declare -A VISITED=()
ROOTFS_DIR=""
KAFKA_VERSION=""

usage() {
  sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

now_us() {
  printf '%s\n' "${EPOCHREALTIME/./}"
}

elapsed_since() {
  local us=$(($(now_us) - $1))
  printf '%d.%ds' $((us / 1000000)) $((us % 1000000 / 100000))
}

# Prints "suite uri" for every deb source apt on this machine uses, from both the
# one-line (sources.list) and the deb822 (*.sources) formats.
apt_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r "$f" ]] || continue
    awk '$1 == "deb" { i = 2; if ($i ~ /^\[/) { while (i < NF && $i !~ /\]$/) i++; i++ } print $(i + 1), $i }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -r "$f" ]] || continue
    awk '
      function flush(  i, j) {
        if (deb && enabled != "no")
          for (i = 1; i <= ns; i++) for (j = 1; j <= nu; j++) print s[i], u[j]
        deb = 0; enabled = ""; ns = 0; nu = 0
      }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]*#/ { next }
      { key = tolower($1) }
      key == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
      key == "uris:" { for (i = 2; i <= NF; i++) u[++nu] = $i }
      key == "suites:" { for (i = 2; i <= NF; i++) s[++ns] = $i }
      key == "enabled:" { enabled = tolower($2) }
      END { flush() }' "$f"
  done
}

# The mirror this machine's apt already uses for a suite, so the image fetches from
# the same place (a local mirror, a proxy-friendly one); deb.debian.org otherwise.
debian_mirror() {
  local suite="$1" fallback="$2" uri
  uri="$(apt_sources | awk -v s="$suite" '$1 == s && $2 ~ /^https?:\/\// { print $2; exit }')"
  printf '%s\n' "${uri:-$fallback}"
}

cleanup_rootfs() {
  [[ -n "$ROOTFS_DIR" && -d "$ROOTFS_DIR" ]] || return 0
  # A failed debootstrap can leave /proc or /sys mounted inside the tree; unmount
  # first, and never let rm cross into another file system.
  local mnt
  while read -r mnt; do
    umount -l "$mnt" 2>/dev/null || true
  done < <(awk -v d="$ROOTFS_DIR/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
  rm -rf --one-file-system "$ROOTFS_DIR"
  ROOTFS_DIR=""
}

# Imports a minbase debootstrap of the suite as image $1.
debootstrap_rootfs() {
  local target="$1" log="$2" mirror security
  tp_ensure_commands debootstrap:debootstrap
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "debootstrap needs root (or provide a local debian:$SUITE image)" >&2
    return 1
  fi
  mirror="${TENANTPLANE_DEBIAN_MIRROR:-$(debian_mirror "$SUITE" http://deb.debian.org/debian)}"
  security="$(debian_mirror "$SUITE-security" http://deb.debian.org/debian-security)"
  ROOTFS_DIR="$(mktemp -d "${TMPDIR:-/tmp}/tenantplane-rootfs.XXXXXX")"
  echo "debootstrap --variant=minbase $SUITE from $mirror" >>"$log"
  debootstrap --variant=minbase "$SUITE" "$ROOTFS_DIR" "$mirror" >>"$log" 2>&1
  # Updates and security fixes too, not just the release as debootstrap sets it.
  cat >"$ROOTFS_DIR/etc/apt/sources.list" <<EOF
deb $mirror $SUITE main
deb $mirror $SUITE-updates main
deb $security $SUITE-security main
EOF
  rm -rf "$ROOTFS_DIR"/var/cache/apt/archives/*.deb "$ROOTFS_DIR"/var/lib/apt/lists/*
  tar --numeric-owner -C "$ROOTFS_DIR" -c . | docker import - "$target" >>"$log"
  cleanup_rootfs
}

# What the base is made from: a local debian:bookworm when there is one, else the
# debootstrap recipe itself (so editing the recipe rebuilds the base).
base_source() {
  local id
  if id="$(docker image inspect -f '{{.Id}}' "debian:$SUITE" 2>/dev/null)"; then
    printf 'debian:%s %s\n' "$SUITE" "$id"
  else
    printf 'debootstrap\n'
    declare -f debootstrap_rootfs
  fi
}

context_digest() {
  # libs/ is derived from pom.xml and the Kafka version (both inputs), and is refetched on
  # each build.
  (cd "$1" && find . -type f ! -path './libs/*' -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
}

compute_hash() {
  local key="$1" parent
  [[ -n "${INPUTS_HASH[$key]:-}" ]] && return 0
  if tp_image_is_external "$key"; then
    INPUTS_HASH[$key]="$(docker image inspect -f '{{.Id}}' "$(tp_image_ref "$key")" 2>/dev/null || echo missing)"
    return 0
  fi
  parent="$(tp_image_parent "$key")"
  if [[ -n "$parent" ]]; then
    compute_hash "$parent"
  fi
  if [[ "$key" == kafka ]]; then
    resolve_kafka_version
  fi
  INPUTS_HASH[$key]="$(
    {
      printf 'image %s\n' "$key"
      [[ -n "$parent" ]] && printf 'parent %s\n' "${INPUTS_HASH[$parent]}"
      [[ "$key" == base ]] && base_source
      [[ "$key" == kafka ]] && printf 'kafka %s\n' "$KAFKA_VERSION"
      context_digest "$IMAGES_DIR/$key"
    } | sha256sum | cut -d' ' -f1
  )"
}

docker_build() {
  local key="$1" ref="$2" log="$3" cache=()
  shift 3
  # Forced builds skip the layer cache, so they fetch current packages.
  [[ -n "${FORCED[$key]:-}" ]] && cache=(--no-cache)
  DOCKER_BUILDKIT=0 docker build --rm --force-rm "${cache[@]}" \
    --label "tenantplane.image=$key" \
    --label "tenantplane.inputs=${INPUTS_HASH[$key]}" \
    "$@" -t "$ref" "$IMAGES_DIR/$key" >>"$log" 2>&1
}

# Sets KAFKA_VERSION to the kafka-clients version that the Quarkus BOM imported by the
# root pom.xml manages: the broker is then the version the services' clients are built and
# tested with, and a new Quarkus platform brings its Kafka with no second place to edit.
# Asking Maven takes seconds, so the answer is kept in $TENANTPLANE_BUILD_LOG_DIR with the
# root pom's hash, and asked again only when that pom changes.
resolve_kafka_version() {
  local pom="$ROOT_DIR/pom.xml" known="$TENANTPLANE_BUILD_LOG_DIR/kafka-version"
  local log="$TENANTPLANE_BUILD_LOG_DIR/kafka-version.log" pom_hash known_hash version=""
  [[ -n "$KAFKA_VERSION" ]] && return 0
  pom_hash="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [[ -r "$known" ]] && read -r known_hash version <"$known" && [[ "$known_hash" == "$pom_hash" && -n "$version" ]]; then
    KAFKA_VERSION="$version"
    return 0
  fi
  tp_ensure_commands mvn:maven
  mkdir -p "$TENANTPLANE_BUILD_LOG_DIR"
  # The effective dependencyManagement, BOM imports included, as XML: the managed
  # org.apache.kafka:kafka-clients entry is three lines, group, artifact and version.
  if ! mvn -B -ntp -q -N -f "$pom" org.apache.maven.plugins:maven-help-plugin:3.5.1:evaluate \
    -Dexpression=project.dependencyManagement.dependencies -DforceStdout >"$log" 2>&1; then
    echo "cannot read the Kafka version from $pom; last lines of $log:" >&2
    tail -n 20 "$log" >&2
    return 1
  fi
  version="$(awk '
    /<groupId>org\.apache\.kafka<\/groupId>/ { g = NR }
    /<artifactId>kafka-clients<\/artifactId>/ && g == NR - 1 { a = NR }
    /<version>/ && a == NR - 1 { gsub(/.*<version>|<\/version>.*/, ""); print; exit }' "$log")"
  if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([.-][A-Za-z0-9.-]+)?$ ]]; then
    echo "no managed org.apache.kafka:kafka-clients version in $pom (see $log)" >&2
    return 1
  fi
  printf '%s %s\n' "$pom_hash" "$version" >"$known.$$"
  mv -f "$known.$$" "$known"
  KAFKA_VERSION="$version"
}

# Kafka's context gets the broker and tool jars (libs/, from pom.xml at KAFKA_VERSION) and
# the project's own small tools (src/) compiled against them.
prepare_kafka_context() {
  local log="$1" ctx="$IMAGES_DIR/kafka" classes
  tp_ensure_commands mvn:maven javac:openjdk-17-jdk-headless
  # Start empty so jars of an older pom or version never linger in the image.
  rm -rf "$ctx/libs"
  mvn -B -q -f "$ctx/pom.xml" dependency:copy-dependencies -Dkafka.version="$KAFKA_VERSION" \
    -DincludeScope=runtime -DoutputDirectory="$ctx/libs" >>"$log" 2>&1
  classes="$(mktemp -d "${TMPDIR:-/tmp}/tenantplane-kafka-tools.XXXXXX")"
  javac --release 17 -cp "$ctx/libs/*" -d "$classes" "$ctx"/src/*.java >>"$log" 2>&1
  jar --create --file "$ctx/libs/tenantplane-kafka-tools.jar" -C "$classes" . >>"$log" 2>&1
  rm -rf "$classes"
}

build_base() {
  local ref="$1" log="$2" root tmp=""
  if docker image inspect "debian:$SUITE" >/dev/null 2>&1; then
    root="debian:$SUITE"
  else
    tmp="tenantplane/rootfs:${INPUTS_HASH[base]:0:12}"
    debootstrap_rootfs "$tmp" "$log"
    root="$tmp"
  fi
  docker_build base "$ref" "$log" --build-arg "ROOT_IMAGE=$root"
  # Only the tag goes: the base's layers keep the imported file system.
  [[ -n "$tmp" ]] && docker rmi "$tmp" >/dev/null
  return 0
}

ensure_external() {
  local key="$1" ref
  ref="$(tp_image_ref "$key")"
  if ! docker image inspect "$ref" >/dev/null 2>&1; then
    docker pull "$ref" >/dev/null
  fi
  printf '%-9s %-28s external\n' "$key" "$ref"
}

build() {
  local key="$1" ref parent current log start rc
  [[ -n "${VISITED[$key]:-}" ]] && return 0
  VISITED[$key]=1
  if tp_image_is_external "$key"; then
    ensure_external "$key"
    return 0
  fi
  ref="$(tp_image_ref "$key")"
  parent="$(tp_image_parent "$key")"
  compute_hash "$key"
  current="$(docker image inspect -f '{{index .Config.Labels "tenantplane.inputs"}}' "$ref" 2>/dev/null || true)"
  if [[ -z "${FORCED[$key]:-}" && "$current" == "${INPUTS_HASH[$key]}" ]]; then
    printf '%-9s %-28s up to date\n' "$key" "$ref"
    return 0
  fi
  # The parent is only needed when this image is actually built.
  if [[ -n "$parent" ]]; then
    build "$parent"
  fi

  log="$TENANTPLANE_BUILD_LOG_DIR/$key.log"
  : >"$log"
  start="$(now_us)"
  # A subshell run as a plain command: inside an `if` condition bash would ignore
  # set -e in every function it calls, and a failed step would carry on.
  set +e
  (
    set -e
    trap cleanup_rootfs EXIT
    case "$key" in
      base) build_base "$ref" "$log" ;;
      kafka)
        prepare_kafka_context "$log"
        docker_build "$key" "$ref" "$log" --build-arg "BASE_IMAGE=$(tp_image_ref "$parent")" \
          --build-arg "KAFKA_VERSION=$KAFKA_VERSION"
        ;;
      *) docker_build "$key" "$ref" "$log" --build-arg "BASE_IMAGE=$(tp_image_ref "$parent")" ;;
    esac
  )
  rc=$?
  set -e
  if ((rc != 0)); then
    printf '%-9s %-28s FAILED after %s; last lines of %s:\n' "$key" "$ref" "$(elapsed_since "$start")" "$log" >&2
    tail -n 30 "$log" >&2
    return "$rc"
  fi
  printf '%-9s %-28s built (%s)\n' "$key" "$ref" "$(elapsed_since "$start")"
}

main() {
  local keys=() key
  while (($# > 0)); do
    case "$1" in
      --force) FORCE=1 ;;
      --kafka-version)
        resolve_kafka_version
        printf '%s\n' "$KAFKA_VERSION"
        return 0
        ;;
      -h | --help) usage; return 0 ;;
      -*) echo "unknown option $1" >&2; usage >&2; return 2 ;;
      *)
        tp_image_ref "$1" >/dev/null || return 2
        keys+=("$1")
        ;;
    esac
    shift
  done
  ((${#keys[@]} > 0)) || keys=("${TP_IMAGE_KEYS[@]}")
  # --force applies to the images asked for, not to parents built along the way.
  if ((FORCE == 1)); then
    for key in "${keys[@]}"; do
      FORCED[$key]=1
    done
  fi

  tp_ensure_engine
  mkdir -p "$TENANTPLANE_BUILD_LOG_DIR"
  # Two builds at once (the platform script and a test run) would race on the same tags.
  exec 9>"$TENANTPLANE_BUILD_LOG_DIR/.lock"
  flock 9

  for key in "${keys[@]}"; do
    build "$key"
  done
  # Rebuilt images leave their predecessors untagged; drop ours that nothing uses.
  docker image prune -f --filter "label=tenantplane.image" >/dev/null
}

main "$@"
