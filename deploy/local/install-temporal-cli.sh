#!/usr/bin/env bash
# Finds or builds the Temporal CLI (it contains `temporal server start-dev`, the embedded workflow engine)
# and prints its path on stdout; everything else goes to stderr, so callers can do
#   TEMPORAL_CLI_PATH="$(bash deploy/local/install-temporal-cli.sh)"
# Order: $TEMPORAL_CLI_PATH, `temporal` on PATH, <repo>/.tools/temporal, else build it into <repo>/.tools.
# Idempotent: the build (~2.5 min with an empty Go module cache, ~250 MB binary) runs at most once.
# `--download` (a machine with internet and no Go): instead of building, let the Temporal SDK download its own
# CLI (deploy/local/download-temporal-cli.ts; needs `npm run build` first).
set -euo pipefail

# Pinned to v1.5.1 (embeds Temporal server 1.29.1): from v1.6.0 on, the CLI's go.mod carries a `replace`
# directive, and `go install module@version` refuses modules with one.
TEMPORAL_CLI_VERSION="v1.5.1"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools_dir="${repo_root}/.tools"
cached="${tools_dir}/temporal"

log() { printf 'install-temporal-cli: %s\n' "$*" >&2; }

if [[ -n "${TEMPORAL_CLI_PATH:-}" ]]; then
  if [[ -x "${TEMPORAL_CLI_PATH}" ]]; then
    log "using TEMPORAL_CLI_PATH"
    printf '%s\n' "${TEMPORAL_CLI_PATH}"
    exit 0
  fi
  log "TEMPORAL_CLI_PATH=${TEMPORAL_CLI_PATH} is not an executable file; looking elsewhere"
fi

if on_path="$(command -v temporal 2>/dev/null)" && [[ -n "${on_path}" ]]; then
  log "using temporal from PATH"
  printf '%s\n' "${on_path}"
  exit 0
fi

if [[ -x "${cached}" ]]; then
  log "using cached build"
  printf '%s\n' "${cached}"
  exit 0
fi

if [[ "${1:-}" == "--download" ]]; then
  if [[ ! -f "${repo_root}/dist/deploy/local/download-temporal-cli.js" ]]; then
    log "run \`npm run build\` first: the download goes through the Temporal SDK"
    exit 1
  fi
  exec node "${repo_root}/dist/deploy/local/download-temporal-cli.js" "${tools_dir}"
fi

if ! command -v go >/dev/null 2>&1; then
  log "Go is not installed, so the Temporal CLI cannot be built: install Go >= 1.23 and run this again, or set TEMPORAL_CLI_PATH to a temporal binary (or TEMPORAL_ADDRESS to a running server); with internet, \`npm run tools:temporal -- --download\` fetches the Temporal SDK's own build instead."
  exit 1
fi

mkdir -p "${tools_dir}"
log "building Temporal CLI ${TEMPORAL_CLI_VERSION} into ${tools_dir} with $(go version) (takes a few minutes the first time)"
started=$(date +%s)
# Pure Go (SQLite included), so no C toolchain is needed. Go's module and build caches keep their defaults
# (~/go/pkg/mod, ~/.cache/go-build) so a rebuild after deleting .tools/ is quick.
# Linking (and a build from a warm cache) prints nothing for a while: a heartbeat says the build goes on.
( while sleep 20; do log "still building ($(( $(date +%s) - started ))s)"; done ) &
heartbeat=$!
trap 'kill "${heartbeat}" 2>/dev/null || true' EXIT
# -v names each package as it is compiled: counted here into a progress line every 50 packages (the build
# compiles about 1,300), so a cold build that takes minutes is never silent.
CGO_ENABLED=0 GOBIN="${tools_dir}" go install -v "github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}" 2>&1 |
  {
    compiled=0
    while IFS= read -r line; do
      case "${line}" in
        "go: downloading "*) ;;
        *" "* | "#"*) printf '%s\n' "${line}" >&2 ;; # a package path has no spaces: anything else is a message
        *)
          compiled=$(( compiled + 1 ))
          if (( compiled % 50 == 0 )); then
            log "compiled ${compiled} packages in $(( $(date +%s) - started ))s"
          fi
          ;;
      esac
    done
  }
[[ "${PIPESTATUS[0]}" == "0" ]] || { log "go install failed"; exit 1; }
kill "${heartbeat}" 2>/dev/null || true
log "built in $(( $(date +%s) - started ))s"

if [[ ! -x "${cached}" ]]; then
  log "go install finished but ${cached} is missing"
  exit 1
fi
printf '%s\n' "${cached}"
