/**
 * The n8n of `npm start`, run by scripts/n8n.sh with this run dir and port:
 * calling the script, what the run dir says about the instance (URL, owner,
 * API key, PID), and whether it loaded this package.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { loadedNodeTypes } from '../lib/n8nApi';
import { cmdline, isAlive } from '../lib/processes';
import { run } from '../lib/run';
import { N8N_SCRIPT, PACKAGE_NAME, REPO_DIR, n8nScriptEnv, type StartSettings } from './settings';

export interface N8nInstance {
	url: string;
	apiKey: string;
	/** The owner n8n.sh created (owner.json). */
	owner: { email: string; password: string };
	pid: number;
	logFile: string;
}

export function readN8nInstance(runDir: string): N8nInstance {
	const read = (name: string) => fs.readFileSync(path.join(runDir, name), 'utf8').trim();
	return {
		url: read('url'),
		apiKey: read('api-key'),
		owner: JSON.parse(read('owner.json')) as N8nInstance['owner'],
		pid: Number(read('n8n.pid')),
		logFile: path.join(runDir, 'n8n.log'),
	};
}

/** Same test as n8n.sh's n8n_alive: the PID lives and is an n8n process. */
export function n8nAlive(pid: number): boolean {
	return isAlive(pid) && cmdline(pid).includes('n8n');
}

/** scripts/n8n.sh SUBCOMMAND against this instance (port, run dir); resolves with its stdout. */
export function n8nScript(settings: StartSettings, args: string[], label = 'n8n'): Promise<string> {
	return run('bash', [N8N_SCRIPT, ...args], { label, cwd: REPO_DIR, env: n8nScriptEnv(settings) });
}

/**
 * `scripts/n8n.sh stop` for this run dir, in a process group of its own: a
 * second Ctrl-C in the terminal must not kill the stop half-way.
 */
export function stopN8n(settings: StartSettings): Promise<void> {
	return new Promise((resolve) => {
		const child = spawn('bash', [N8N_SCRIPT, 'stop'], {
			cwd: REPO_DIR,
			env: n8nScriptEnv(settings),
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const forward = (chunk: Buffer) =>
			process.stderr.write(
				chunk
					.toString()
					.trimEnd()
					.split('\n')
					.map((line) => `[n8n] ${line}\n`)
					.join(''),
			);
		child.stdout.on('data', forward);
		child.stderr.on('data', forward);
		child.on('error', (error) => {
			process.stderr.write(`[n8n] could not run ${N8N_SCRIPT} stop: ${error.message}\n`);
			resolve();
		});
		child.on('close', () => resolve());
	});
}

/** This package's node types as n8n lists them; throws with the relevant log lines when there are none (a package n8n cannot load is only a log line there). */
export async function checkNodeTypes(n8n: N8nInstance): Promise<string[]> {
	const mine = (await loadedNodeTypes(n8n)).map((t) => t.name).filter((name) => name.startsWith(`${PACKAGE_NAME}.`));
	if (mine.length === 0) {
		const hints = fs
			.readFileSync(n8n.logFile, 'utf8')
			.split('\n')
			.filter((line) => line.includes(PACKAGE_NAME) || /error/i.test(line))
			.slice(-20)
			.join('\n');
		throw new Error(`n8n loaded no node type of ${PACKAGE_NAME}. Relevant lines of ${n8n.logFile}:\n${hints}`);
	}
	return mine;
}
