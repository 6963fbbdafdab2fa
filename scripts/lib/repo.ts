/** Where the clone is, found from this file (works from scripts/lib and from .build/scripts/scripts/lib). */
import * as fs from 'fs';
import * as path from 'path';

export const PACKAGE_NAME = 'n8n-nodes-agentmail-hitl';

/** The nearest folder up from `start` whose package.json is this package. */
function findRepoDir(start: string): string {
	for (let dir = start; ; dir = path.dirname(dir)) {
		const file = path.join(dir, 'package.json');
		if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name === PACKAGE_NAME) {
			return dir;
		}
		if (path.dirname(dir) === dir) throw new Error(`no package.json of ${PACKAGE_NAME} above ${start}`);
	}
}

export const REPO_DIR = findRepoDir(__dirname);
export const N8N_SCRIPT = path.join(REPO_DIR, 'scripts', 'n8n.sh');
export const QUEUE_SCRIPT = path.join(REPO_DIR, 'scripts', 'queue.sh');
export const CHROMIUM_SCRIPT = path.join(REPO_DIR, 'scripts', 'chromium.sh');
