/**
 * Headless Chromium from Debian's `chromium` package driven by playwright-core
 * (scripts/chromium.sh installs it). No tool ever downloads a browser.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';

import { ARTIFACTS_DIR } from './env';

export { CHROMIUM_ARGS, CHROMIUM_PATH, launchBrowser } from '../../scripts/lib/browser';

/** Save a full-page PNG to test-artifacts/NAME.png; returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
	fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
	const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}
