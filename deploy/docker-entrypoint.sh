#!/bin/sh
# Runs one Loopdesk process, named by the first argument, from the compiled dist/ folder:
#   docker run loopdesk gateway | conversation | knowledge | account-context | insights | worker
#   docker run -v "$PWD/histories:/histories" loopdesk replay /histories   (determinism check before a deploy)
# `exec` makes node PID 1's replacement, so SIGTERM reaches the process's own orderly shutdown.
set -eu

name="${1:-}"
if [ "$#" -gt 0 ]; then shift; fi

case "$name" in
  gateway) entry=dist/gateway/index.js ;;
  conversation) entry=dist/services/conversation/index.js ;;
  knowledge) entry=dist/services/knowledge/index.js ;;
  account-context) entry=dist/services/account-context/index.js ;;
  insights) entry=dist/services/insights/index.js ;;
  worker) entry=dist/workflows/worker.js ;;
  replay) entry=dist/workflows/replay.js ;;
  *)
    echo "usage: <gateway|conversation|knowledge|account-context|insights|worker|replay> [args...]" >&2
    echo "unknown process: '${name}'" >&2
    exit 64
    ;;
esac

exec node "$entry" "$@"
