# shellcheck shell=bash
# Image names shared by deploy/images/build.sh, deploy/platform.sh and anything else
# that starts the project's containers. Every name is a setting so that a machine
# with a registry can point one at an official image instead (see
# deploy/images/README.md); the defaults are the images build.sh makes locally.

: "${TENANTPLANE_BASE_IMAGE:=tenantplane/base:bookworm}"
: "${TENANTPLANE_JRE_IMAGE:=tenantplane/jre:17}"
: "${TENANTPLANE_POSTGRES_IMAGE:=tenantplane/postgres:15}"
: "${TENANTPLANE_REDIS_IMAGE:=tenantplane/redis:7}"
: "${TENANTPLANE_NGINX_IMAGE:=tenantplane/nginx:1.22}"
: "${TENANTPLANE_KAFKA_IMAGE:=tenantplane/kafka:4}"
: "${TENANTPLANE_PROMETHEUS_IMAGE:=tenantplane/prometheus:2}"
# Space-separated image keys (e.g. "postgres redis") that build.sh must not build:
# their configured name refers to an image made elsewhere (pulled or loaded).
: "${TENANTPLANE_EXTERNAL_IMAGES:=}"

# Parents come before children, so building in this order never misses a parent.
TP_IMAGE_KEYS=(base jre postgres redis nginx kafka prometheus)

tp_image_ref() {
  case "$1" in
    base) printf '%s\n' "$TENANTPLANE_BASE_IMAGE" ;;
    jre) printf '%s\n' "$TENANTPLANE_JRE_IMAGE" ;;
    postgres) printf '%s\n' "$TENANTPLANE_POSTGRES_IMAGE" ;;
    redis) printf '%s\n' "$TENANTPLANE_REDIS_IMAGE" ;;
    nginx) printf '%s\n' "$TENANTPLANE_NGINX_IMAGE" ;;
    kafka) printf '%s\n' "$TENANTPLANE_KAFKA_IMAGE" ;;
    prometheus) printf '%s\n' "$TENANTPLANE_PROMETHEUS_IMAGE" ;;
    *) echo "unknown image '$1' (known: ${TP_IMAGE_KEYS[*]})" >&2; return 1 ;;
  esac
}

tp_image_parent() {
  case "$1" in
    base) printf '\n' ;;
    kafka) printf 'jre\n' ;;
    jre | postgres | redis | nginx | prometheus) printf 'base\n' ;;
    *) echo "unknown image '$1'" >&2; return 1 ;;
  esac
}

tp_image_is_external() {
  local key
  for key in $TENANTPLANE_EXTERNAL_IMAGES; do
    [[ "$key" == "$1" ]] && return 0
  done
  return 1
}
