# shellcheck shell=bash
# Prerequisites of the deploy scripts on a Debian machine: the Docker engine and the
# command-line tools the scripts and the build call. Source it, then call
# tp_ensure_engine (engine answering, installing only if it does not) or
# tp_ensure_packages (tools present, whatever the engine does).
# Everything here is safe to call again: it only acts on what is missing.

: "${TP_DOCKERD_LOG:=/var/log/tenantplane-dockerd.log}"
: "${TP_ENGINE_WAIT_SECONDS:=60}"

# "command:package" pairs: a package is wanted when its command is missing. Looking
# at commands rather than dpkg lets tools installed some other way (a newer docker
# CLI in /usr/local/bin, a JDK from elsewhere) count as present.
TP_TOOL_PACKAGES=(
  debootstrap:debootstrap
  docker-compose:docker-compose
  curl:curl
  psql:postgresql-client
  redis-cli:redis-tools
  jq:jq
  openssl:openssl
  mvn:maven
  javac:openjdk-17-jdk-headless
)

TP__APT_UPDATED=""

tp__as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "tenantplane: needs root to run: $*" >&2
    return 1
  fi
}

# Installs the given Debian packages; a no-op for an empty list.
tp_apt_install() {
  (($# > 0)) || return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "tenantplane: no apt-get here; install these yourself: $*" >&2
    return 1
  fi
  if [[ -z "$TP__APT_UPDATED" ]]; then
    tp__as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    TP__APT_UPDATED=1
  fi
  echo "tenantplane: installing $*" >&2
  tp__as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "$@" >&2
}

# Installs the package of each "command:package" pair whose command is missing.
tp_ensure_commands() {
  local pair wanted=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || wanted+=("${pair#*:}")
  done
  tp_apt_install "${wanted[@]}"
}

tp__engine_answers() {
  docker info >/dev/null 2>&1
}

# docker.io is only wanted when no engine answers and none is installed: on a machine
# with Docker's own packages (docker-ce*), installing docker.io would make apt remove
# them.
tp__engine_package_wanted() {
  command -v dockerd >/dev/null 2>&1 && return 1
  tp__engine_answers && return 1
  if dpkg-query -W -f='${Status}\n' docker-ce docker-ce-cli 2>/dev/null | grep -q ' installed$'; then
    echo "tenantplane: Docker CE packages are installed but no engine answers; not installing docker.io over them" >&2
    return 1
  fi
  return 0
}

tp_ensure_packages() {
  local wanted=() pair
  tp__engine_package_wanted && wanted+=(docker.io)
  for pair in "${TP_TOOL_PACKAGES[@]}"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || wanted+=("${pair#*:}")
  done
  tp_apt_install "${wanted[@]}"
}

# Closes every descriptor above 2 of the current shell: call it in the subshell that then
# execs a daemon, so the daemon keeps no lock or pipe of the caller open.
tp__close_inherited_fds() {
  local fd closes=()
  for fd in /proc/"$BASHPID"/fd/*; do
    fd="${fd##*/}"
    ((fd > 2)) && closes+=("$fd")
  done
  for fd in "${closes[@]}"; do
    eval "exec $fd>&-" 2>/dev/null || true
  done
}

tp__dockerd_alive() {
  local pid
  [[ -s /var/run/docker.pid ]] || return 1
  pid="$(cat /var/run/docker.pid 2>/dev/null)" || return 1
  [[ -n "$pid" && -d "/proc/$pid" ]]
}

tp_ensure_engine() {
  tp__engine_answers && return 0
  tp_ensure_packages
  tp__engine_answers && return 0

  local started_pid=""
  if tp__dockerd_alive; then
    echo "tenantplane: dockerd is running but not answering yet; waiting" >&2
  elif [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
    tp__as_root systemctl start docker
  else
    if [[ "$(id -u)" -ne 0 ]]; then
      echo "tenantplane: the Docker engine is not running and starting dockerd needs root" >&2
      return 1
    fi
    # setsid + nohup: the engine must outlive this script and its terminal. It must not inherit
    # any other descriptor of this shell either: a lock held on one (deploy/platform.sh holds
    # its lock on fd 8) would stay held by dockerd and every shim for the engine's lifetime.
    mkdir -p "$(dirname "$TP_DOCKERD_LOG")"
    (
      tp__close_inherited_fds
      exec setsid nohup dockerd >>"$TP_DOCKERD_LOG" 2>&1 </dev/null
    ) &
    started_pid=$!
    echo "tenantplane: started dockerd (pid $started_pid, log $TP_DOCKERD_LOG)" >&2
  fi

  local waited=0
  until tp__engine_answers; do
    if [[ -n "$started_pid" && ! -d "/proc/$started_pid" ]]; then
      echo "tenantplane: dockerd exited; last lines of $TP_DOCKERD_LOG:" >&2
      tail -n 20 "$TP_DOCKERD_LOG" >&2 || true
      return 1
    fi
    if ((waited >= TP_ENGINE_WAIT_SECONDS)); then
      echo "tenantplane: the Docker engine did not answer within ${TP_ENGINE_WAIT_SECONDS}s" >&2
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}
