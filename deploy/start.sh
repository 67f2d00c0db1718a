#!/usr/bin/env bash
# unionstats for a whole office: N app processes on local ports behind one nginx proxy that keeps each browser on
# one process, all sharing one PostgreSQL database. Run as root from the checkout; docs/deploy.md explains it.
#
#   deploy/start.sh --install-postgres          # PostgreSQL on this machine too
#   deploy/start.sh --db postgresql+psycopg://user:password@host:5432/unionstats
#   deploy/start.sh -n 4                        # 4 app processes (default: one per core)
#   deploy/start.sh --no-systemd --dir DIR ...  # plain background processes (containers, CI, the tests)
#   deploy/start.sh --stop [--no-systemd --dir DIR]
#
# Options:
#   -n, --processes N    app processes (default: the number of cores)
#   --first-port P       the first app process's port; the others follow (default 8501)
#   --listen ADDR        what nginx listens on: PORT or HOST:PORT (default 80)
#   --db URL             the PostgreSQL database (SQLAlchemy URL); default: the one already in the settings file
#   --install-postgres   install PostgreSQL here and create the database unionstats (unless --db or a saved URL)
#   --trust ADDRS        comma-separated addresses of the proxy as the app processes see it (FORWARDED_ALLOW_IPS;
#                        default 127.0.0.1,::1: nginx on this machine)
#   --python PATH        the Python with unionstats installed (default: .venv/bin/python, made when missing)
#   --no-systemd         plain background processes instead of systemd units (the default without systemd)
#   --dir DIR            with --no-systemd: where settings, logs and pid files go (default /var/lib/unionstats)
#   --foreground         with --no-systemd: stay in the foreground, stop everything on SIGTERM or Ctrl-C, and
#                        exit when a process dies (a container's main command)
#   --no-install         install nothing (nginx, and PostgreSQL if asked, must be there already)
#   --stop               stop what an earlier run started
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPLOY="$ROOT/deploy"

PROCESSES="$(nproc 2>/dev/null || echo 2)"
FIRST_PORT=8501
LISTEN=80
DB=""
INSTALL_PG=0
TRUST=""
PYTHON=""
SYSTEMD=auto
DIR=""
FOREGROUND=0
INSTALL=1
STOP=0

die() { echo "deploy/start.sh: $*" >&2; exit 1; }
say() { echo "==> $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    -n|--processes) PROCESSES="$2"; shift 2 ;;
    --first-port) FIRST_PORT="$2"; shift 2 ;;
    --listen) LISTEN="$2"; shift 2 ;;
    --db) DB="$2"; shift 2 ;;
    --install-postgres) INSTALL_PG=1; shift ;;
    --trust) TRUST="$2"; shift 2 ;;
    --python) PYTHON="$2"; shift 2 ;;
    --no-systemd) SYSTEMD=0; shift ;;
    --dir) DIR="$2"; shift 2 ;;
    --foreground) FOREGROUND=1; shift ;;
    --no-install) INSTALL=0; shift ;;
    --stop) STOP=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (deploy/start.sh --help)" ;;
  esac
done

[[ "$PROCESSES" =~ ^[1-9][0-9]*$ ]] || die "--processes takes a number of processes, not '$PROCESSES'"
[[ "$FIRST_PORT" =~ ^[1-9][0-9]*$ ]] || die "--first-port takes a port, not '$FIRST_PORT'"
if [ "$SYSTEMD" = auto ]; then
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then SYSTEMD=1; else SYSTEMD=0; fi
fi
[ "$SYSTEMD" = 1 ] && [ -n "$DIR" ] && die "--dir is for --no-systemd; with systemd the files go to /etc/unionstats, /var/log/unionstats and /var/lib/unionstats"
[ "$FOREGROUND" = 1 ] && [ "$SYSTEMD" = 1 ] && die "--foreground is for --no-systemd"

if [ "$SYSTEMD" = 1 ]; then
  ETC=/etc/unionstats; LOGS=/var/log/unionstats; RUN=/var/lib/unionstats/proxy
else
  DIR="$(mkdir -p "${DIR:-/var/lib/unionstats}" && cd "${DIR:-/var/lib/unionstats}" && pwd)"
  ETC="$DIR"; LOGS="$DIR/logs"; RUN="$DIR/run"
fi
SETTINGS="$ETC/unionstats.env"
NGINX_CONF="$ETC/nginx.conf"
PORTS=()
for ((i = 0; i < PROCESSES; i++)); do PORTS+=($((FIRST_PORT + i))); done
PROXY_PORT="${LISTEN##*:}"
PROXY_HOST="${LISTEN%:*}"; [ "$PROXY_HOST" = "$LISTEN" ] && PROXY_HOST=""
case "$PROXY_HOST" in ""|"*"|0.0.0.0|"[::]") PROXY_HOST=127.0.0.1 ;; esac
[[ "$PROXY_PORT" =~ ^[0-9]+$ ]] || die "--listen takes PORT or HOST:PORT, not '$LISTEN'"
for port in "${PORTS[@]}"; do [ "$port" = "$PROXY_PORT" ] && die "the proxy's port $PROXY_PORT is also an app port"; done

# --- stopping ----------------------------------------------------------------------------------------------------

alive() {  # PID: running (a zombie, not yet reaped by whoever adopted it, is not)
  local state
  state="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
  [[ "$state" != Z* ]]
}

stop_plain() {
  # Each app process was started in a session of its own (setsid): its group holds it and the reader's fork server.
  local file pid
  if [ -f "$RUN/nginx.pid" ]; then
    pid="$(cat "$RUN/nginx.pid")"
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$RUN/nginx.pid"
  fi
  for file in "$RUN"/app-*.pid; do
    [ -f "$file" ] || continue
    pid="$(cat "$file")"
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$file"
  done
}

if [ "$STOP" = 1 ]; then
  if [ "$SYSTEMD" = 1 ]; then
    systemctl stop unionstats.target unionstats-proxy.service 'unionstats@*.service'
  else
    stop_plain
  fi
  say "stopped"
  exit 0
fi

# --- what it needs -----------------------------------------------------------------------------------------------

apt_install() {
  [ "$INSTALL" = 1 ] || die "$* missing and --no-install given"
  say "installing $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  apt_install nginx
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
# Debian's own nginx (its default site on port 80) is not ours: ours runs with its own configuration.
if [ "$SYSTEMD" = 1 ]; then
  systemctl disable --now nginx.service >/dev/null 2>&1 || true
elif [ -f /run/nginx.pid ] && [ "$INSTALL" = 1 ]; then
  "$NGINX" -s quit >/dev/null 2>&1 || true
fi

if [ -z "$PYTHON" ]; then
  PYTHON="$ROOT/.venv/bin/python"
  if [ ! -x "$PYTHON" ]; then
    [ "$INSTALL" = 1 ] || die "no $PYTHON: give --python, or run without --no-install to make it"
    command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3 python3-venv
    say "making $ROOT/.venv and installing unionstats into it"
    python3 -m venv "$ROOT/.venv"
  fi
fi
if ! (cd "$ROOT" && "$PYTHON" -c 'import unionstats, streamlit, psycopg' 2>/dev/null); then
  [ "$INSTALL" = 1 ] || die "$PYTHON cannot import unionstats, streamlit and psycopg (pip install -r requirements.txt)"
  (cd "$ROOT" && "$PYTHON" -m pip install -q -r requirements.txt)
fi
say "python: $PYTHON"

# Settings shared by every app process: kept between runs (the cookie secret must not change under the browsers).
setting() { [ -f "$SETTINGS" ] && sed -n "s/^$1=//p" "$SETTINGS" | tail -n 1 || true; }
random_hex() { "$PYTHON" -c 'import secrets; print(secrets.token_hex(24))'; }

DB="${DB:-$(setting UNIONSTATS_DB)}"
if [ "$INSTALL_PG" = 1 ]; then
  if ! command -v pg_lsclusters >/dev/null || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
    apt_install postgresql
  fi
  read -r version cluster pg_port status _ < <(pg_lsclusters -h | head -n 1)
  if [ "$status" != online ]; then
    if [ "$SYSTEMD" = 1 ]; then systemctl enable --now "postgresql@$version-$cluster" >/dev/null
    else pg_ctlcluster "$version" "$cluster" start; fi
  fi
  if [ -z "$DB" ]; then
    password="$(random_hex)"
    say "creating the PostgreSQL role and database unionstats (port $pg_port)"
    runuser -u postgres -- psql -q -p "$pg_port" -v ON_ERROR_STOP=1 >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'unionstats') THEN CREATE ROLE unionstats LOGIN; END IF;
END \$\$;
ALTER ROLE unionstats PASSWORD '$password';
SQL
    runuser -u postgres -- psql -p "$pg_port" -tAc "SELECT 1 FROM pg_database WHERE datname = 'unionstats'" | grep -q 1 \
      || runuser -u postgres -- createdb -p "$pg_port" -O unionstats unionstats
    DB="postgresql+psycopg://unionstats:$password@127.0.0.1:$pg_port/unionstats"
  fi
fi
[ -n "$DB" ] || die "no database: give --db postgresql+psycopg://USER:PASSWORD@HOST:PORT/DBNAME, or --install-postgres"
case "$DB" in
  postgresql*) ;;
  *) die "several app processes share one PostgreSQL database; --db must be a postgresql+psycopg:// URL" ;;
esac
SECRET="$(setting STREAMLIT_SERVER_COOKIE_SECRET)"; SECRET="${SECRET:-$(random_hex)}"
TRUST="${TRUST:-$(setting FORWARDED_ALLOW_IPS)}"; TRUST="${TRUST:-127.0.0.1,::1}"

mkdir -p "$ETC" "$LOGS" "$RUN"
chmod 755 "$RUN"
umask 077
{
  echo "# unionstats: the settings every app process reads (written by deploy/start.sh; docs/deploy.md)."
  echo "# The shared store. Every process, on every machine, names the same database."
  echo "UNIONSTATS_DB=$DB"
  echo "# Streamlit's cookie secret: the same in every process, so any process accepts what another signed."
  echo "STREAMLIT_SERVER_COOKIE_SECRET=$SECRET"
  echo "# The proxy's address as the app processes see it: only from there are X-Forwarded-For and X-Real-IP believed."
  echo "FORWARDED_ALLOW_IPS=$TRUST"
  grep -v -E '^(#|UNIONSTATS_DB=|STREAMLIT_SERVER_COOKIE_SECRET=|FORWARDED_ALLOW_IPS=|$)' "$SETTINGS" 2>/dev/null || true
} > "$SETTINGS.new"
mv "$SETTINGS.new" "$SETTINGS"
umask 022
say "settings: $SETTINGS"

# The store's schema brought up to date once, before N processes open it at the same moment; a wrong URL or a
# database that does not answer stops here with its reason.
(cd "$ROOT" && UNIONSTATS_DB="$DB" "$PYTHON" -c 'from unionstats.store.batches import Store; Store()') \
  || die "cannot open the database in $SETTINGS (UNIONSTATS_DB)"

# --- the proxy's configuration -----------------------------------------------------------------------------------

MAX_UPLOAD_MB="$(cd "$ROOT" && "$PYTHON" -c '
import tomllib
try:
    with open(".streamlit/config.toml", "rb") as f:
        print(int(tomllib.load(f).get("server", {}).get("maxUploadSize", 200)))
except FileNotFoundError:
    print(200)')"
SERVERS=""
for port in "${PORTS[@]}"; do SERVERS+="        server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'; done
WORKER_USER=""
if [ "$(id -u)" = 0 ]; then WORKER_USER="user www-data;"; fi
awk -v servers="$SERVERS" '/@SERVERS@/ { printf "%s", servers; next } { print }' "$DEPLOY/nginx.conf" \
  | sed -e "s|@RUN@|$RUN|g" -e "s|@LOGS@|$LOGS|g" -e "s|@LISTEN@|$LISTEN|g" -e "s|@MAX_BODY@|$((MAX_UPLOAD_MB + 1))|g" \
        -e "s|^worker_processes auto;|${WORKER_USER:+$WORKER_USER\n}worker_processes auto;|" > "$NGINX_CONF"
if [ -n "$WORKER_USER" ] && ! runuser -u www-data -- test -x "$RUN"; then
  die "nginx's workers (www-data) cannot enter $RUN: choose a --dir outside private folders such as /root"
fi
"$NGINX" -t -q -e "$LOGS/nginx-error.log" -c "$NGINX_CONF" || die "nginx refuses $NGINX_CONF"
say "proxy: $NGINX_CONF (listen $LISTEN, ${#PORTS[@]} processes on ports ${PORTS[*]}, uploads up to ${MAX_UPLOAD_MB} MB)"

health() {  # URL SECONDS: until it answers "ok"
  "$PYTHON" - "$1" "$2" <<'PY'
import sys, time, urllib.request
url, deadline = sys.argv[1], time.monotonic() + float(sys.argv[2])
while True:
    try:
        if urllib.request.urlopen(url, timeout=2).read() == b"ok":
            sys.exit(0)
    except OSError:
        pass
    if time.monotonic() > deadline:
        sys.exit(1)
    time.sleep(0.3)
PY
}

# --- systemd -----------------------------------------------------------------------------------------------------

if [ "$SYSTEMD" = 1 ]; then
  id unionstats >/dev/null 2>&1 || useradd --system --home-dir /var/lib/unionstats --shell /usr/sbin/nologin unionstats
  install -d -o unionstats -g unionstats /var/lib/unionstats
  if ! (cd "$ROOT" && runuser -u unionstats -- "$PYTHON" -c 'import unionstats, streamlit' 2>/dev/null); then
    die "the user unionstats cannot read $ROOT or run $PYTHON (a checkout under /root is private): put the checkout in /opt/unionstats and run this script from there"
  fi
  for unit in unionstats@.service unionstats-proxy.service unionstats.target; do
    sed -e "s|@ROOT@|$ROOT|g" -e "s|@PYTHON@|$PYTHON|g" -e "s|@ETC@|$ETC|g" -e "s|@RUN@|$RUN|g" -e "s|@LOGS@|$LOGS|g" \
      "$DEPLOY/$unit" > "/etc/systemd/system/$unit"
  done
  systemctl daemon-reload
  for wanted in /etc/systemd/system/unionstats.target.wants/unionstats@*.service; do  # processes no longer wanted
    [ -e "$wanted" ] || continue
    port="${wanted##*@}"; port="${port%.service}"
    [[ " ${PORTS[*]} " == *" $port "* ]] || systemctl disable --now "unionstats@$port.service" >/dev/null 2>&1
  done
  units=()
  for port in "${PORTS[@]}"; do units+=("unionstats@$port.service"); done
  systemctl enable unionstats.target unionstats-proxy.service "${units[@]}" >/dev/null 2>&1
  systemctl restart "${units[@]}" unionstats-proxy.service
  systemctl start unionstats.target
  for port in "${PORTS[@]}"; do
    health "http://127.0.0.1:$port/_stcore/health" 120 || die "unionstats@$port did not start: journalctl -u unionstats@$port"
  done
  health "http://$PROXY_HOST:$PROXY_PORT/_stcore/health" 30 || die "the proxy does not answer: $LOGS/nginx-error.log"
  say "running: http://$(hostname -f 2>/dev/null || hostname):$PROXY_PORT/ (systemctl status unionstats.target)"
  say "logs: journalctl -u 'unionstats@*'; $LOGS/nginx-access.log and nginx-error.log"
  exit 0
fi

# --- plain background processes ----------------------------------------------------------------------------------

stop_plain  # what an earlier run from this --dir left running
start_app() {
  local port="$1"
  (
    cd "$ROOT"
    export UNIONSTATS_SNAPSHOT_DIR="$DIR/snapshot"  # the processes' shared copy of the rows (the settings may move it)
    while IFS= read -r line; do  # KEY=VALUE lines, as systemd's EnvironmentFile reads them, never run as shell
      case "$line" in ''|'#'*) continue ;; esac
      export "${line%%=*}=${line#*=}"
    done < "$SETTINGS"
    exec setsid "$PYTHON" -m streamlit run app.py --server.port "$port" --server.address 127.0.0.1 \
      --server.headless true --browser.gatherUsageStats false
  ) >> "$LOGS/app-$port.log" 2>&1 < /dev/null &
  echo $! > "$RUN/app-$port.pid"
}
for port in "${PORTS[@]}"; do start_app "$port"; done
for port in "${PORTS[@]}"; do
  health "http://127.0.0.1:$port/_stcore/health" 120 || { stop_plain; die "the app on port $port did not start: $LOGS/app-$port.log"; }
done
"$NGINX" -e "$LOGS/nginx-error.log" -c "$NGINX_CONF" || { stop_plain; die "nginx did not start: $LOGS/nginx-error.log"; }
health "http://$PROXY_HOST:$PROXY_PORT/_stcore/health" 30 || { stop_plain; die "the proxy does not answer: $LOGS/nginx-error.log"; }
say "running: http://$PROXY_HOST:$PROXY_PORT/ (${#PORTS[@]} processes; stop: deploy/start.sh --stop --no-systemd --dir $DIR)"
say "logs: $LOGS/app-PORT.log, $LOGS/nginx-access.log, $LOGS/nginx-error.log"

if [ "$FOREGROUND" = 1 ]; then
  trap 'stop_plain; exit 0' TERM INT
  while true; do
    for file in "$RUN"/app-*.pid "$RUN/nginx.pid"; do
      if ! alive "$(cat "$file" 2>/dev/null || echo 0)"; then
        say "$(basename "$file" .pid) stopped: stopping the rest"; stop_plain; exit 1
      fi
    done
    sleep 5 & wait $!
  done
fi
