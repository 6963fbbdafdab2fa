/** Small process helpers: liveness by PID, a process's command line, stopping one PID, log tails. */
import * as fs from 'fs';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** The command line of PID ('' when it is gone). */
export function cmdline(pid: number): string {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
	} catch {
		return '';
	}
}

/** SIGTERM, then SIGKILL if PID is still there after `graceMs`. */
export async function terminate(pid: number, graceMs = 10_000): Promise<void> {
	if (!isAlive(pid)) return;
	process.kill(pid, 'SIGTERM');
	for (const deadline = Date.now() + graceMs; isAlive(pid) && Date.now() < deadline; ) await sleep(100);
	if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

export function logTail(file: string, lines = 20): string {
	if (!fs.existsSync(file)) return `(no ${file})`;
	return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
