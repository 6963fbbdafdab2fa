/**
 * The AgentMail sandbox as a child process (sandbox/cli.ts, what `npm run
 * sandbox` runs, compiled to .build/scripts/sandbox), persisting to a data file. It gets a process
 * group of its own, so a Ctrl-C in the terminal reaches `npm start` only and
 * the sandbox is stopped by PID. PID in RUN_DIR/sandbox.pid, output
 * in RUN_DIR/sandbox.log.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

import { AGENT_PERMISSIONS, APPROVER_PERMISSIONS, TRIGGER_PERMISSIONS } from '../lib/keyRoles';
import { cmdline, isAlive, logTail, sleep, terminate } from '../lib/processes';
import { REPO_DIR, SANDBOX_CLI, type StartSettings } from './settings';

/** The two keys of README "Keep the agent from sending", fixed so that the demo credentials stay valid across runs. */
export interface DemoKeys {
	/** Drafts (and runs the AgentMail Trigger), cannot send. */
	agent: string;
	/** Used by Wait for Approval: sends. */
	approver: string;
}

export const DEMO_KEYS: DemoKeys = { agent: 'am_sandbox_agent_draft_only', approver: 'am_sandbox_approver_can_send' };

export interface SandboxProcess {
	url: string;
	/** The key with every permission (curl, scripts). */
	apiKey: string;
	keys: DemoKeys;
	inboxId: string;
	pid: number;
	logFile: string;
	/** Resolves when the process ends, with how it ended. */
	exited: Promise<string>;
	/** SIGTERM (the sandbox writes its data file), SIGKILL after 10 s; false if it had already ended. */
	stop(): Promise<boolean>;
}

function portBusy(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host: '127.0.0.1' });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/** A sandbox an earlier `npm start` left behind (killed with SIGKILL): stop it, but only if that PID still is our sandbox. */
export async function stopLeftoverSandbox(settings: StartSettings): Promise<void> {
	const pidFile = path.join(settings.runDir, 'sandbox.pid');
	if (!fs.existsSync(pidFile)) return;
	const pid = Number(fs.readFileSync(pidFile, 'utf8'));
	if (pid > 0 && isAlive(pid) && cmdline(pid).includes(SANDBOX_CLI)) {
		process.stderr.write(`[sandbox] stopping the sandbox left over from an earlier run (pid ${pid})\n`);
		await terminate(pid);
	}
	fs.rmSync(pidFile, { force: true });
}

export async function startSandboxProcess(settings: StartSettings): Promise<SandboxProcess> {
	const { sandboxPort: port, sandboxApiKey: apiKey, runDir } = settings;
	if (await portBusy(port)) {
		throw new Error(`port ${port} is already in use (another \`npm run sandbox\`?); set SANDBOX_PORT to another port`);
	}
	const logFile = path.join(runDir, 'sandbox.log');
	const out = fs.openSync(logFile, 'w');
	const args = ['--host', '127.0.0.1', '--port', String(port), '--data', settings.sandboxDataFile, '--api-key', apiKey];
	args.push('--key', `${DEMO_KEYS.agent}=${[...AGENT_PERMISSIONS, ...TRIGGER_PERMISSIONS].join(',')}`);
	args.push('--key', `${DEMO_KEYS.approver}=${APPROVER_PERMISSIONS.join(',')}`);
	const child = spawn(process.execPath, [SANDBOX_CLI, ...args], {
		cwd: REPO_DIR,
		detached: true,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	const pid = child.pid;
	if (!pid) throw new Error(`could not start ${SANDBOX_CLI}`);
	fs.writeFileSync(path.join(runDir, 'sandbox.pid'), `${pid}\n`);
	let ended: string | undefined;
	const exited = new Promise<string>((resolve) =>
		child.once('exit', (code, signal) => {
			ended = signal ? `killed by ${signal}` : `exit code ${code}`;
			resolve(ended);
		}),
	);

	const url = `http://127.0.0.1:${port}`;
	let inboxId: string | undefined;
	for (const deadline = Date.now() + 20_000; !inboxId; await sleep(100)) {
		if (ended) throw new Error(`the sandbox stopped during start-up (${ended}):\n${logTail(logFile)}`);
		if (Date.now() > deadline) {
			await terminate(pid);
			throw new Error(`the sandbox did not answer ${url}/_sandbox/health within 20 s:\n${logTail(logFile)}`);
		}
		try {
			const response = await fetch(`${url}/_sandbox/health`);
			if (response.ok) inboxId = ((await response.json()) as { seed_inbox: string }).seed_inbox;
		} catch {
			// not listening yet
		}
	}

	return {
		url,
		apiKey,
		keys: DEMO_KEYS,
		inboxId,
		pid,
		logFile,
		exited,
		async stop() {
			const wasRunning = !ended;
			await terminate(pid);
			if (!ended) await Promise.race([exited, sleep(2_000)]);
			fs.rmSync(path.join(runDir, 'sandbox.pid'), { force: true });
			return wasRunning;
		},
	};
}
