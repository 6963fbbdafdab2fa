/**
 * Opens the n8n editor of a running `npm start` in headless Chromium
 * (scripts/chromium.sh), logs in as the owner, opens the approval demo and
 * saves test-artifacts/start-approval-demo.png; fails unless both AgentMail
 * nodes are on the canvas.
 *   node .build/scripts/scripts/start/editorScreenshot.js
 */
import * as fs from 'fs';
import * as path from 'path';

import { launchBrowser } from '../lib/browser';
import { REPO_DIR, startSettings } from './settings';
import { readState } from './state';

const AGENTMAIL_NODES = ['Agent Drafts Reply', 'Wait for Approval'];

async function main(): Promise<void> {
	const { n8n, workflows } = readState(startSettings().stateFile);
	const browser = await launchBrowser();
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	const file = path.join(REPO_DIR, 'test-artifacts', 'start-approval-demo.png');
	fs.mkdirSync(path.dirname(file), { recursive: true });
	try {
		await page.goto(`${n8n.url}/signin`, { waitUntil: 'domcontentloaded' });
		await page.locator('input[type="email"], input[name="emailOrLdapLoginId"]').first().fill(n8n.owner.email);
		await page.locator('input[type="password"]').first().fill(n8n.owner.password);
		await page.getByRole('button', { name: /sign in/i }).click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000, waitUntil: 'commit' });

		await page.goto(`${n8n.url}/workflow/${workflows.approval.id}`, { waitUntil: 'domcontentloaded' });
		for (const name of AGENTMAIL_NODES) {
			await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).waitFor({ timeout: 60_000 });
		}
		// n8n pops up a "Production Checklist" over the canvas on published workflows; close it if it comes.
		const checklistClose = page.locator('[data-test-id="suggested-actions-close"]');
		if (await checklistClose.waitFor({ timeout: 5_000 }).then(() => true, () => false)) await checklistClose.click();
		await page.waitForTimeout(1_000); // let the canvas finish its fit-to-view animation
		await page.screenshot({ path: file });
		process.stdout.write(`ok  ${AGENTMAIL_NODES.join(' and ')} on the canvas: ${path.relative(REPO_DIR, file)}\n`);
	} catch (error) {
		const failure = file.replace(/\.png$/, '-failure.png');
		await page.screenshot({ path: failure }).catch(() => undefined);
		throw new Error(`${(error as Error).message}\n(page at failure: ${path.relative(REPO_DIR, failure)})`);
	} finally {
		await browser.close();
	}
}

main().catch((error: Error) => {
	process.stderr.write(`FAIL ${error.message}\n`);
	process.exit(1);
});
