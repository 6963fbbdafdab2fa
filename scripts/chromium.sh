#!/usr/bin/env bash
# scripts/chromium.sh: make sure a headless Chromium is there for the
# end-to-end tests, from Debian's `chromium` package (never a browser download
# by Playwright or any other tool), and check that playwright-core drives it.
#
# Usage: bash scripts/chromium.sh [install|verify|all]   (default: all)
#   install   apt-get install chromium if CHROMIUM_PATH is missing (idempotent)
#   verify    launch it through playwright-core and render a page
#
# Environment
#   CHROMIUM_PATH   browser binary (default /usr/bin/chromium)
#
# Needs root (or passwordless sudo) only when Chromium is missing.

set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
# playwright-core never downloads browsers by itself; this makes sure that no
# `playwright install` hook does either.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

say() { echo "chromium.sh: $*" >&2; }
die() {
	say "error: $*"
	exit 1
}

# Run as root directly, or through sudo when that works without a password.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		sudo -n "$@"
	else
		die "need root to run: $*"
	fi
}

cmd_install() {
	if [ -x "$CHROMIUM_PATH" ]; then
		say "$("$CHROMIUM_PATH" --version 2>/dev/null || echo chromium) already at $CHROMIUM_PATH"
		return 0
	fi
	[ "$CHROMIUM_PATH" = /usr/bin/chromium ] || die "$CHROMIUM_PATH missing (only /usr/bin/chromium can be installed here)"
	command -v apt-get >/dev/null || die "apt-get not found: install Chromium yourself and set CHROMIUM_PATH"
	local t0=$SECONDS log
	log=$(mktemp)
	say "installing Debian's chromium with apt-get (about half a minute)"
	# Quiet and non-interactive (CI has no stdin); recommends are skipped
	# except for one font family, so pages render text.
	if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 ||
		! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			chromium fonts-liberation >>"$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "apt-get failed (log $log)"
	fi
	rm -f "$log"
	[ -x "$CHROMIUM_PATH" ] || die "chromium installed but $CHROMIUM_PATH is missing"
	say "installed $("$CHROMIUM_PATH" --version 2>/dev/null) in $((SECONDS - t0))s"
}

# Launch it the way the tests do (scripts/lib/browser.ts) and render a page.
cmd_verify() {
	[ -x "$CHROMIUM_PATH" ] || die "$CHROMIUM_PATH missing; run: $0 install"
	local node_bin="$REPO_DIR/node_modules/.bin/node"
	[ -x "$node_bin" ] || node_bin=node
	# shellcheck disable=SC2016 # JavaScript, not shell
	(cd "$REPO_DIR" && CHROMIUM_PATH="$CHROMIUM_PATH" "$node_bin" -e '
		const { chromium } = require("playwright-core");
		(async () => {
			const t0 = Date.now();
			const browser = await chromium.launch({
				executablePath: process.env.CHROMIUM_PATH,
				args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync"],
			});
			const page = await browser.newPage();
			await page.setContent("<h1 id=t>chromium ok</h1>");
			const text = await page.textContent("#t");
			const version = browser.version();
			await browser.close();
			if (text !== "chromium ok") throw new Error("page did not render: " + text);
			console.log(`playwright-core drives Chromium ${version} (launch + render ${Date.now() - t0}ms)`);
		})().catch((e) => { console.error(e); process.exit(1); });
	')
}

case "${1:-all}" in
install) cmd_install ;;
verify) cmd_verify ;;
all) cmd_install && cmd_verify ;;
*) die "usage: $0 [install|verify|all]" ;;
esac
