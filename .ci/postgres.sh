#!/usr/bin/env bash
# A private PostgreSQL for the remote-state tests (Terraform's pg backend): installs Debian's
# postgresql if it is missing, creates a throwaway cluster in a temporary folder, starts it on
# 127.0.0.1 with a free port and creates a database. Prints two lines on stdout:
#   export BUTTER_TEST_PG_URL=postgres://...
#   export BUTTER_TEST_PG_STOP=...   (a command that stops the server and removes its folder;
#                                     .ci/run runs it on exit)
# Everything else goes to stderr. On any failure it prints nothing on stdout and exits non-zero:
# the tests then say they are skipped.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return 0; }; done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

if ! BIN=$(bindir); then
  if [ "$(id -u)" = 0 ]; then
    log "installing postgresql (apt-get)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } >&2 || { log "apt-get could not install postgresql"; exit 1; }
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    { sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } >&2 || { log "apt-get could not install postgresql"; exit 1; }
  else
    log "postgresql is not installed and cannot be (not root)"; exit 1
  fi
  BIN=$(bindir) || { log "no initdb after installing postgresql"; exit 1; }
fi

# initdb refuses to run as root: as root, the cluster belongs to the postgres user.
RUN=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || { log "no postgres user to run the server as"; exit 1; }
  RUN=(runuser -u postgres --)
fi

DATA=$(mktemp -d "${TMPDIR:-/tmp}/butter-pg.XXXXXX")
[ ${#RUN[@]} -gt 0 ] && chown postgres "$DATA"
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

"${RUN[@]}" "$BIN/initdb" -D "$DATA/data" -U postgres --auth=trust -E UTF8 >/dev/null 2>&1 || { log "initdb failed"; exit 1; }
# Loopback only, no Unix socket outside the cluster folder.
"${RUN[@]}" "$BIN/pg_ctl" -D "$DATA/data" -l "$DATA/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DATA" start >/dev/null \
  || { log "the server did not start:"; tail -20 "$DATA/server.log" >&2 || true; exit 1; }
"${RUN[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres butter_test || { log "createdb failed"; exit 1; }

log "PostgreSQL on 127.0.0.1:$PORT, data in $DATA/data (stop: pg_ctl -D $DATA/data stop)"
echo "export BUTTER_TEST_PG_URL=postgres://postgres@127.0.0.1:$PORT/butter_test?sslmode=disable"
# How to stop it (and remove its folder), for the caller's exit trap.
printf 'export BUTTER_TEST_PG_STOP=%q\n' "${RUN[*]} $BIN/pg_ctl -D $DATA/data -m fast -w stop >/dev/null 2>&1; rm -rf $DATA"
