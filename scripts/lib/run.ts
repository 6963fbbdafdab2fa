/**
 * Running the project's scripts from TypeScript, with their output shown live
 * (prefixed with a label, so parallel steps stay readable in CI logs). Used
 * by `npm start` and by the e2e suites' global set-ups.
 */
import { spawn } from 'child_process';

import { REPO_DIR } from './repo';

export interface RunOptions {
	/** Prefix of every output line, e.g. "n8n". */
	label: string;
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Kill the command after this long (default: no limit). */
	timeoutMs?: number;
	/** Collect stdout without showing it (e.g. JSON meant for the caller). */
	quietStdout?: boolean;
}

/** Forward a stream line by line to stderr with a prefix (unless quiet); returns a flush function. */
function forwardLines(stream: NodeJS.ReadableStream, prefix: string, collect: string[], quiet = false): () => void {
	let pending = '';
	stream.setEncoding('utf8');
	stream.on('data', (chunk: string) => {
		collect.push(chunk);
		if (quiet) return;
		pending += chunk;
		const lines = pending.split('\n');
		pending = lines.pop() ?? '';
		for (const line of lines) process.stderr.write(`${prefix}${line}\n`);
	});
	return () => {
		if (pending) process.stderr.write(`${prefix}${pending}\n`);
		pending = '';
	};
}

/**
 * Run a command; resolves with its stdout, rejects (with the output tail) on
 * a non-zero exit. stdin is closed: nothing may wait for a keypress in CI.
 */
export function run(command: string, args: string[], options: RunOptions): Promise<string> {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(command, args, {
			cwd: options.cwd ?? REPO_DIR,
			env: options.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const stdout: string[] = [];
		const all: string[] = [];
		const prefix = `[${options.label}] `;
		const flushOut = forwardLines(child.stdout, prefix, stdout, options.quietStdout);
		const flushErr = forwardLines(child.stderr, prefix, all);
		child.stdout.on('data', (c: string) => all.push(c));
		let timer: NodeJS.Timeout | undefined;
		if (options.timeoutMs) {
			timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs);
		}
		child.on('error', (error) => {
			if (timer) clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			flushOut();
			flushErr();
			const seconds = ((Date.now() - started) / 1000).toFixed(1);
			if (code === 0) {
				resolve(stdout.join(''));
			} else {
				const tail = all.join('').split('\n').slice(-30).join('\n');
				reject(
					new Error(
						`${command} ${args.join(' ')} failed after ${seconds}s (${signal ?? `exit ${code}`}):\n${tail}`,
					),
				);
			}
		});
	});
}
