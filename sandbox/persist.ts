/**
 * `--data FILE`: the state as JSON, reloaded on start and written after each
 * mutation (debounced) atomically: a temporary file, then rename.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StateSnapshot } from './model';

export function loadSnapshot(file: string): StateSnapshot | undefined {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
	let snapshot: StateSnapshot;
	try {
		snapshot = JSON.parse(text) as StateSnapshot;
	} catch (error) {
		throw new Error(`Sandbox data file ${file} is not valid JSON (${(error as Error).message}); move it away to start fresh`);
	}
	if (snapshot?.version !== 1 || !Array.isArray(snapshot.inboxes)) {
		throw new Error(`Sandbox data file ${file} is not a sandbox state file (version 1)`);
	}
	return snapshot;
}

export function writeSnapshot(file: string, snapshot: StateSnapshot): void {
	mkdirSync(dirname(file), { recursive: true });
	const tmp = `${file}.${process.pid}.tmp`;
	writeFileSync(tmp, JSON.stringify(snapshot, null, 1));
	renameSync(tmp, file);
}

export class Persister {
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly file: string,
		private readonly snapshot: () => StateSnapshot,
		private readonly debounceMs = 100,
	) {}

	/** Called on every change; writes once things settle. */
	schedule(): void {
		if (this.timer) return;
		this.timer = setTimeout(() => this.flush(), this.debounceMs);
	}

	/** Writes now if a write is pending. */
	flush(): void {
		if (!this.timer) return;
		clearTimeout(this.timer);
		this.timer = undefined;
		writeSnapshot(this.file, this.snapshot());
	}
}
