#!/usr/bin/env bash
# scripts/queue.sh: n8n 2.41.1 in queue mode for the end-to-end tests of
# n8n-nodes-agentmail-hitl: a private Postgres cluster, a private Redis, and
# four n8n processes (one main, one worker, two webhook processes), all
# sharing the database, Redis, N8N_ENCRYPTION_KEY and the user folder with
# the community packages.
#
# Usage: bash scripts/queue.sh SUBCOMMAND [ARGS]
#   install              Postgres and Redis from Debian packages when missing
#                        (root: apt-get update once, apt-get install -y), and
#                        n8n + Node 24 into the cache (scripts/n8n.sh install)
#   start                start Postgres, Redis, the main, then the worker and
#                        webhook processes A and B; create the owner and a
#                        public-API key on the main (installs first if needed)
#   stop                 stop everything start started, by PID (n8n first,
#                        then Redis and Postgres); never the system's services
#   status               each process: running or not; exit 1 unless all run
#   reset                delete the database, Redis dir, user folder and keys
#                        (refused while anything runs)
#   add-package PKG      install a community node package into the shared
#                        user folder (as scripts/n8n.sh add-package); restart
#   paths                ports, URLs and files (KEY=VALUE)
#
# Environment (ports must not collide with other instances on the machine)
#   N8N_QUEUE_RUN_DIR          runtime state        (default <repo>/.n8n-run/queue)
#   N8N_QUEUE_MAIN_PORT        main HTTP port       (default 5720; broker 5721)
#   N8N_QUEUE_WEBHOOK_A_PORT   webhook process A    (default 5722; broker 5723)
#   N8N_QUEUE_WEBHOOK_B_PORT   webhook process B    (default 5724; broker 5725)
#   N8N_QUEUE_WORKER_PORT      worker health server (default 5726; broker 5727)
#   N8N_QUEUE_*_BROKER_PORT    (MAIN, WEBHOOK_A, WEBHOOK_B, WORKER) task brokers
#   N8N_QUEUE_PG_PORT          Postgres             (default 5433)
#   N8N_QUEUE_REDIS_PORT       Redis                (default 6380)
#   N8N_QUEUE_WORKER_CONCURRENCY  jobs the worker runs at once (default 20)
#   N8N_E2E_CACHE_DIR, N8N_E2E_N8N_VERSION, N8N_E2E_READY_TIMEOUT, N8N_OWNER_*
#                              as for scripts/n8n.sh
#
# Run dir layout
#   home/.n8n/                 the shared n8n user folder (nodes/ = packages)
#   postgres/data/             the cluster (owned by the postgres user as root)
#   postgres/postgres.log  redis/  redis.pid  redis.log
#   {main,worker,webhook-a,webhook-b}.{pid,log}
#   url (the main) api-key owner.json .cookies encryption-key postgres-password
#
# Every process gets N8N_WEBHOOK_URL = the main's URL, so review links and
# $execution.resumeUrl point at the main (behind a load balancer they would
# point at it); tests address webhook processes A and B by their own ports.

set -euo pipefail

QUEUE_REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
QUEUE_RUN_DIR="${N8N_QUEUE_RUN_DIR:-$QUEUE_REPO_DIR/.n8n-run/queue}"
MAIN_PORT="${N8N_QUEUE_MAIN_PORT:-5720}"
WEBHOOK_A_PORT="${N8N_QUEUE_WEBHOOK_A_PORT:-5722}"
WEBHOOK_B_PORT="${N8N_QUEUE_WEBHOOK_B_PORT:-5724}"
WORKER_PORT="${N8N_QUEUE_WORKER_PORT:-5726}"
MAIN_BROKER_PORT="${N8N_QUEUE_MAIN_BROKER_PORT:-$((MAIN_PORT + 1))}"
WEBHOOK_A_BROKER_PORT="${N8N_QUEUE_WEBHOOK_A_BROKER_PORT:-$((WEBHOOK_A_PORT + 1))}"
WEBHOOK_B_BROKER_PORT="${N8N_QUEUE_WEBHOOK_B_BROKER_PORT:-$((WEBHOOK_B_PORT + 1))}"
WORKER_BROKER_PORT="${N8N_QUEUE_WORKER_BROKER_PORT:-$((WORKER_PORT + 1))}"
PG_PORT="${N8N_QUEUE_PG_PORT:-5433}"
REDIS_PORT="${N8N_QUEUE_REDIS_PORT:-6380}"
WORKER_CONCURRENCY="${N8N_QUEUE_WORKER_CONCURRENCY:-20}"
PG_USER_NAME=n8n
PG_DATABASE=n8n

# scripts/n8n.sh as a library (install, add-package, the n8n environment,
# owner and API key), acting on this run dir and the main's port.
export N8N_E2E_RUN_DIR="$QUEUE_RUN_DIR" N8N_PORT="$MAIN_PORT" N8N_E2E_BROKER_PORT="$MAIN_BROKER_PORT"
# shellcheck source=scripts/n8n.sh
. "$QUEUE_REPO_DIR/scripts/n8n.sh"

say() { echo "queue.sh: $*" >&2; }
die() {
	say "error: $*"
	exit 1
}
queue_usage() {
	awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$QUEUE_REPO_DIR/scripts/queue.sh" >&2
	exit 2
}

PG_DIR="$QUEUE_RUN_DIR/postgres"
PG_DATA="$PG_DIR/data"
REDIS_DIR="$QUEUE_RUN_DIR/redis"
# name port broker-port n8n-command
N8N_PROCESSES=(
	"main $MAIN_PORT $MAIN_BROKER_PORT start"
	"worker $WORKER_PORT $WORKER_BROKER_PORT worker"
	"webhook-a $WEBHOOK_A_PORT $WEBHOOK_A_BROKER_PORT webhook"
	"webhook-b $WEBHOOK_B_PORT $WEBHOOK_B_BROKER_PORT webhook"
)

# --------------------------------------------------------------- helpers --

# PID in FILE alive and its command line contains MATCH.
pid_file_alive() {
	local file=$1 match=$2 pid
	[ -f "$file" ] || return 1
	pid=$(head -n 1 "$file")
	[[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && grep -qa -- "$match" "/proc/$pid/cmdline" 2>/dev/null
}

# Stop the process whose PID is in FILE (if it still is MATCH) with SIGNAL,
# SIGKILL after 30 s; with GROUP=yes also what is left of its process group.
stop_pid_file() {
	local name=$1 file=$2 match=$3 signal=$4 group=${5:-no} pid
	if ! pid_file_alive "$file" "$match"; then
		rm -f "$file"
		return 0
	fi
	pid=$(head -n 1 "$file")
	kill "-$signal" "$pid" 2>/dev/null || true
	for _ in $(seq 1 150); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	if kill -0 "$pid" 2>/dev/null; then
		say "$name (pid $pid) ignored SIG$signal for 30s; sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	if [ "$group" = yes ] && pgrep -g "$pid" >/dev/null 2>&1; then
		kill -TERM -- "-$pid" 2>/dev/null || true
	fi
	rm -f "$file"
	say "stopped $name (pid $pid)"
}

# The newest Debian Postgres (binaries in /usr/lib/postgresql/<ver>/bin), or
# whatever initdb is on PATH.
pg_bin_dir() {
	local dir
	dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
	if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
		echo "$dir"
	elif command -v initdb >/dev/null; then
		dirname "$(command -v initdb)"
	fi
}

# Postgres refuses to run as root: as root the cluster belongs to the
# `postgres` user (Debian's package creates it), or to a system user made here.
PG_OS_USER=""
pg_os_user() {
	if [ "$(id -u)" -ne 0 ]; then
		PG_OS_USER=$(id -un)
		return
	fi
	if ! id postgres >/dev/null 2>&1; then
		say "creating the system user postgres for the private cluster"
		useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres
	fi
	PG_OS_USER=postgres
}

# Run a command as the cluster's owner.
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$PG_OS_USER" -- "$@"
	else
		"$@"
	fi
}

# True if Redis on 127.0.0.1:$REDIS_PORT answers PING (in a subshell: the
# descriptor and the silenced connect error stay in there).
redis_pong() {
	local reply
	reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" && printf 'PING\r\n' >&3 && IFS= read -r -t 2 line <&3 && echo "$line") 2>/dev/null) ||
		return 1
	[[ $reply == +PONG* ]]
}

# A random hex secret in FILE (created once, 0600).
secret_file() {
	local file=$1
	if [ ! -s "$file" ]; then
		(umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$file")
	fi
	cat "$file"
}

# ---------------------------------------------------------------- install --

cmd_queue_install() {
	[ $# -eq 0 ] || queue_usage
	local missing=()
	[ -n "$(pg_bin_dir)" ] || missing+=(postgresql)
	command -v redis-server >/dev/null || missing+=(redis-server)
	if [ ${#missing[@]} -gt 0 ]; then
		local sudo=()
		if [ "$(id -u)" -ne 0 ]; then
			command -v sudo >/dev/null && sudo -n true 2>/dev/null ||
				die "${missing[*]} missing; install as root: apt-get update && apt-get install -y ${missing[*]}"
			sudo=(sudo -n)
		fi
		say "installing ${missing[*]} (Debian packages)"
		# Lock timeout: another apt run on the machine is waited for, not fought.
		with_heartbeat "apt-get update" "$QUEUE_RUN_DIR/apt-update.log" "" \
			"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update ||
			die "apt-get update failed (log $QUEUE_RUN_DIR/apt-update.log)"
		with_heartbeat "apt-get install ${missing[*]}" "$QUEUE_RUN_DIR/apt-install.log" "" \
			"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}" ||
			die "apt-get install ${missing[*]} failed (log $QUEUE_RUN_DIR/apt-install.log)"
	fi
	[ -n "$(pg_bin_dir)" ] || die "no Postgres binaries (initdb) after installing postgresql"
	command -v redis-server >/dev/null || die "no redis-server after installing redis-server"
	say "Postgres $("$(pg_bin_dir)/postgres" --version | awk '{print $3}'), Redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')"
	cmd_install
}

# --------------------------------------------------------------- postgres --

postgres_alive() { pid_file_alive "$PG_DATA/postmaster.pid" postgres; }

start_postgres() {
	local bin password
	bin=$(pg_bin_dir)
	[ -n "$bin" ] || die "Postgres is not installed; run: $0 install"
	pg_os_user
	if postgres_alive; then
		say "Postgres already running (pid $(head -n 1 "$PG_DATA/postmaster.pid"), port $PG_PORT)"
		return
	fi
	port_busy "$PG_PORT" && die "port $PG_PORT is already in use (set N8N_QUEUE_PG_PORT)"
	mkdir -p "$PG_DIR"
	password=$(secret_file "$QUEUE_RUN_DIR/postgres-password")
	if [ ! -f "$PG_DATA/PG_VERSION" ]; then
		rm -rf "$PG_DATA"
		mkdir -p "$PG_DATA"
		# The password file must be readable by the cluster's owner while initdb runs.
		local pwfile="$PG_DIR/.pwfile"
		(umask 077 && echo "$password" >"$pwfile")
		chown -R "$PG_OS_USER" "$PG_DIR"
		chmod 700 "$PG_DATA"
		say "initdb $PG_DATA (superuser $PG_USER_NAME, owner $PG_OS_USER)"
		as_pg "$bin/initdb" -D "$PG_DATA" -U "$PG_USER_NAME" --pwfile="$pwfile" --auth=scram-sha-256 \
			--encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || {
			rm -f "$pwfile"
			tail -n 20 "$PG_DIR/initdb.log" >&2
			die "initdb failed"
		}
		rm -f "$pwfile"
	fi
	chown -R "$PG_OS_USER" "$PG_DIR"
	# Loopback TCP only, the socket in the run dir, and no durability (a test
	# database: fsync off makes migrations several times faster).
	as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/postgres.log" -w -t 60 -s \
		-o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start || {
		tail -n 20 "$PG_DIR/postgres.log" >&2
		die "Postgres did not start (log $PG_DIR/postgres.log)"
	}
	say "Postgres running (pid $(head -n 1 "$PG_DATA/postmaster.pid"), 127.0.0.1:$PG_PORT)"
	if ! PGPASSWORD=$password "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER_NAME" -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'" | grep -qx 1; then
		PGPASSWORD=$password "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER_NAME" "$PG_DATABASE" ||
			die "createdb $PG_DATABASE failed"
		say "database $PG_DATABASE created"
	fi
}

# Fast shutdown (SIGINT) of the postmaster whose PID is in postmaster.pid.
stop_postgres() { stop_pid_file Postgres "$PG_DATA/postmaster.pid" postgres INT; }

# ------------------------------------------------------------------ redis --

start_redis() {
	local pid t0=$SECONDS
	command -v redis-server >/dev/null || die "redis-server is not installed; run: $0 install"
	if pid_file_alive "$QUEUE_RUN_DIR/redis.pid" redis-server; then
		say "Redis already running (pid $(cat "$QUEUE_RUN_DIR/redis.pid"), port $REDIS_PORT)"
		return
	fi
	port_busy "$REDIS_PORT" && die "port $REDIS_PORT is already in use (set N8N_QUEUE_REDIS_PORT)"
	mkdir -p "$REDIS_DIR"
	# No persistence (no RDB snapshots, no AOF): the queue starts empty.
	(cd "$REDIS_DIR" && exec setsid redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode yes \
		--save '' --appendonly no --dir "$REDIS_DIR" --daemonize no --logfile '') \
		>"$QUEUE_RUN_DIR/redis.log" 2>&1 </dev/null &
	pid=$!
	echo "$pid" >"$QUEUE_RUN_DIR/redis.pid"
	until redis_pong; do
		kill -0 "$pid" 2>/dev/null || {
			tail -n 20 "$QUEUE_RUN_DIR/redis.log" >&2
			die "redis-server exited during start-up"
		}
		[ $((SECONDS - t0)) -lt 30 ] || die "Redis does not answer PING on port $REDIS_PORT"
		sleep 0.1
	done
	say "Redis running (pid $pid, 127.0.0.1:$REDIS_PORT)"
}

stop_redis() { stop_pid_file Redis "$QUEUE_RUN_DIR/redis.pid" redis-server TERM; }

# -------------------------------------------------------------------- n8n --

n8n_process_alive() { pid_file_alive "$QUEUE_RUN_DIR/$1.pid" n8n; }

# The environment of one n8n process: scripts/n8n.sh's (user folder, no
# outbound calls, task runner), then queue mode on top (later wins in env).
queue_env() {
	local name=$1 port=$2 broker=$3
	build_env "$broker"
	N8N_ENV+=(
		N8N_PORT="$port"
		EXECUTIONS_MODE=queue
		QUEUE_BULL_REDIS_HOST=127.0.0.1
		QUEUE_BULL_REDIS_PORT="$REDIS_PORT"
		DB_TYPE=postgresdb
		DB_POSTGRESDB_HOST=127.0.0.1
		DB_POSTGRESDB_PORT="$PG_PORT"
		DB_POSTGRESDB_DATABASE="$PG_DATABASE"
		DB_POSTGRESDB_USER="$PG_USER_NAME"
		DB_POSTGRESDB_PASSWORD="$(cat "$QUEUE_RUN_DIR/postgres-password")"
		# One key for all: credentials are encrypted by whoever saves them
		# and decrypted by the worker (and webhook processes) that use them.
		N8N_ENCRYPTION_KEY="$(cat "$QUEUE_RUN_DIR/encryption-key")"
		# Each process keeps its own event log in the shared user folder.
		N8N_EVENTBUS_LOGWRITER_LOGBASENAME="n8nEventLog-$name"
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT=10
		# What n8n recommends for queue mode (and will make the default).
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true
	)
	if [ "$name" = worker ]; then
		N8N_ENV+=(
			QUEUE_HEALTH_CHECK_ACTIVE=true
			QUEUE_HEALTH_CHECK_PORT="$port"
			N8N_WORKER_SERVER_ADDRESS=127.0.0.1
		)
	fi
}

# Start one n8n process (name port broker command); does not wait.
start_n8n_process() {
	local name=$1 port=$2 broker=$3 command=$4 pid args=()
	if n8n_process_alive "$name"; then
		say "$name already running (pid $(cat "$QUEUE_RUN_DIR/$name.pid"))"
		return
	fi
	port_busy "$port" && die "port $port ($name) is already in use"
	port_busy "$broker" && die "task broker port $broker ($name) is already in use"
	queue_env "$name" "$port" "$broker"
	[ "$command" = worker ] && args=(--concurrency="$WORKER_CONCURRENCY")
	[ -f "$QUEUE_RUN_DIR/$name.log" ] && mv -f "$QUEUE_RUN_DIR/$name.log" "$QUEUE_RUN_DIR/$name.log.prev"
	# setsid: each process and its task runner form a process group of their
	# own (PGID = PID), so stop reaches exactly them. From the run dir: n8n
	# reads a .env file from its working directory.
	(cd "$QUEUE_RUN_DIR" && exec setsid env "${N8N_ENV[@]}" node "$N8N_ENTRY" "$command" "${args[@]}") \
		>"$QUEUE_RUN_DIR/$name.log" 2>&1 </dev/null &
	pid=$!
	echo "$pid" >"$QUEUE_RUN_DIR/$name.pid"
	say "started $name pid $pid ($command, port $port, broker $broker), log $QUEUE_RUN_DIR/$name.log"
}

# Wait until NAME answers /healthz/readiness on PORT.
wait_process_ready() {
	local name=$1 port=$2 t0 pid
	t0=$(now_ms)
	pid=$(cat "$QUEUE_RUN_DIR/$name.pid")
	until curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz/readiness" 2>/dev/null; do
		kill -0 "$pid" 2>/dev/null || {
			tail -n 40 "$QUEUE_RUN_DIR/$name.log" >&2
			die "$name exited during start-up (log $QUEUE_RUN_DIR/$name.log)"
		}
		if [ $((($(now_ms) - t0) / 1000)) -ge "$READY_TIMEOUT" ]; then
			tail -n 40 "$QUEUE_RUN_DIR/$name.log" >&2
			die "$name not ready after ${READY_TIMEOUT}s (left running; use stop)"
		fi
		sleep 0.2
	done
	say "$name ready after $(($(now_ms) - t0))ms"
}

cmd_queue_start() {
	[ $# -eq 0 ] || queue_usage
	local t0=$SECONDS entry name port broker command
	install_is_complete || cmd_queue_install
	use_node24
	mkdir -p "$QUEUE_RUN_DIR/home"
	secret_file "$QUEUE_RUN_DIR/encryption-key" >/dev/null
	start_postgres
	start_redis
	# The main first: it runs the database migrations the others expect.
	read -r name port broker command <<<"${N8N_PROCESSES[0]}"
	echo "http://127.0.0.1:$MAIN_PORT" >"$QUEUE_RUN_DIR/url"
	echo "$MAIN_PORT" >"$QUEUE_RUN_DIR/port"
	start_n8n_process "$name" "$port" "$broker" "$command"
	wait_process_ready "$name" "$port"
	for entry in "${N8N_PROCESSES[@]:1}"; do
		read -r name port broker command <<<"$entry"
		start_n8n_process "$name" "$port" "$broker" "$command"
	done
	for entry in "${N8N_PROCESSES[@]:1}"; do
		read -r name port _ _ <<<"$entry"
		wait_process_ready "$name" "$port"
	done
	owner_login
	ensure_api_key
	echo "n8n $N8N_VERSION_WANTED in queue mode ready in $((SECONDS - t0))s: main http://127.0.0.1:$MAIN_PORT," \
		"webhook A http://127.0.0.1:$WEBHOOK_A_PORT, webhook B http://127.0.0.1:$WEBHOOK_B_PORT, worker health" \
		"http://127.0.0.1:$WORKER_PORT (Postgres $PG_PORT, Redis $REDIS_PORT, API key in $QUEUE_RUN_DIR/api-key)"
}

cmd_queue_stop() {
	[ $# -eq 0 ] || queue_usage
	local entry name
	# The worker and webhook processes (side by side) before the main, n8n
	# before the services it needs to shut down cleanly.
	for entry in "${N8N_PROCESSES[@]:1}"; do
		read -r name _ _ _ <<<"$entry"
		stop_pid_file "$name" "$QUEUE_RUN_DIR/$name.pid" n8n TERM yes &
	done
	wait
	stop_pid_file main "$QUEUE_RUN_DIR/main.pid" n8n TERM yes
	stop_redis
	stop_postgres
	echo "queue-mode n8n, Redis and Postgres of $QUEUE_RUN_DIR stopped"
}

cmd_queue_status() {
	[ $# -eq 0 ] || queue_usage
	local entry name port all=0
	for entry in "${N8N_PROCESSES[@]}"; do
		read -r name port _ _ <<<"$entry"
		if n8n_process_alive "$name"; then
			echo "$name: running, pid $(cat "$QUEUE_RUN_DIR/$name.pid"), port $port, readiness $(curl -sS "http://127.0.0.1:$port/healthz/readiness" 2>&1)"
		else
			echo "$name: not running"
			all=1
		fi
	done
	if pid_file_alive "$QUEUE_RUN_DIR/redis.pid" redis-server; then
		echo "redis: running, pid $(cat "$QUEUE_RUN_DIR/redis.pid"), port $REDIS_PORT"
	else
		echo "redis: not running"
		all=1
	fi
	if postgres_alive; then
		echo "postgres: running, pid $(head -n 1 "$PG_DATA/postmaster.pid"), port $PG_PORT"
	else
		echo "postgres: not running"
		all=1
	fi
	return $all
}

cmd_queue_reset() {
	[ $# -eq 0 ] || queue_usage
	local entry name
	for entry in "${N8N_PROCESSES[@]}"; do
		read -r name _ _ _ <<<"$entry"
		n8n_process_alive "$name" && die "$name is running; run: $0 stop"
	done
	pid_file_alive "$QUEUE_RUN_DIR/redis.pid" redis-server && die "Redis is running; run: $0 stop"
	postgres_alive && die "Postgres is running; run: $0 stop"
	rm -rf "$PG_DIR" "$REDIS_DIR" "$QUEUE_RUN_DIR/home" "$QUEUE_RUN_DIR/encryption-key" \
		"$QUEUE_RUN_DIR/postgres-password" "$QUEUE_RUN_DIR/api-key" "$QUEUE_RUN_DIR/.cookies" "$QUEUE_RUN_DIR/owner.json"
	echo "reset $QUEUE_RUN_DIR"
}

cmd_queue_paths() {
	[ $# -eq 0 ] || queue_usage
	cat <<-EOF
		RUN_DIR=$QUEUE_RUN_DIR
		USER_FOLDER=$QUEUE_RUN_DIR/home
		MAIN_URL=http://127.0.0.1:$MAIN_PORT
		WEBHOOK_A_URL=http://127.0.0.1:$WEBHOOK_A_PORT
		WEBHOOK_B_URL=http://127.0.0.1:$WEBHOOK_B_PORT
		WORKER_HEALTH_URL=http://127.0.0.1:$WORKER_PORT
		BROKER_PORTS=$MAIN_BROKER_PORT,$WEBHOOK_A_BROKER_PORT,$WEBHOOK_B_BROKER_PORT,$WORKER_BROKER_PORT
		POSTGRES_PORT=$PG_PORT
		REDIS_PORT=$REDIS_PORT
		API_KEY_FILE=$QUEUE_RUN_DIR/api-key
	EOF
}

queue_main() {
	[ $# -ge 1 ] || queue_usage
	local sub=$1
	shift
	mkdir -p "$QUEUE_RUN_DIR"
	case "$sub" in
	install) cmd_queue_install "$@" ;;
	start) cmd_queue_start "$@" ;;
	stop) cmd_queue_stop "$@" ;;
	status) cmd_queue_status "$@" ;;
	reset) cmd_queue_reset "$@" ;;
	add-package) cmd_add_package "$@" ;;
	paths) cmd_queue_paths "$@" ;;
	*) queue_usage ;;
	esac
}

queue_main "$@"; exit
