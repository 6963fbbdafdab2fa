/**
 * Headless Chromium from Debian's `chromium` package driven by playwright-core
 * (scripts/chromium.sh installs it). No tool ever downloads a browser.
 */
import * as fs from 'fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a root container without GPU, and no calls to Google services. */
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
	if (!fs.existsSync(CHROMIUM_PATH)) {
		throw new Error(`${CHROMIUM_PATH} not found: run bash scripts/chromium.sh (or set CHROMIUM_PATH)`);
	}
	return await chromium.launch({
		executablePath: CHROMIUM_PATH,
		headless: true,
		...options,
		args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
	});
}
