/**
 * Build + `npm pack` this package, as a publish would (for `npm start` and
 * the e2e suites), and running steps side by side.
 */
import * as fs from 'fs';
import * as path from 'path';

import { REPO_DIR } from './repo';
import { run } from './run';

/** `npm run build`, then `npm pack` into RUN_DIR/packages; returns the .tgz path. */
export async function buildAndPack(runDir: string): Promise<string> {
	await run('npm', ['run', 'build', '--silent'], { label: 'build', cwd: REPO_DIR });
	const dest = path.join(runDir, 'packages');
	fs.rmSync(dest, { recursive: true, force: true });
	fs.mkdirSync(dest, { recursive: true });
	// --ignore-scripts: prepack would build a second time.
	const out = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], {
		label: 'pack',
		cwd: REPO_DIR,
		quietStdout: true,
	});
	const [packed] = JSON.parse(out) as Array<{ filename: string; entryCount: number }>;
	return path.join(dest, packed.filename);
}

/** Like Promise.all, but lets every step finish before failing, so nothing keeps running unnoticed. */
export async function allSteps<T extends readonly unknown[]>(steps: readonly [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
	const settled = await Promise.allSettled(steps);
	const failed = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
	if (failed.length > 0) {
		throw new Error(failed.map((f) => (f.reason instanceof Error ? f.reason.message : String(f.reason))).join('\n---\n'));
	}
	return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
