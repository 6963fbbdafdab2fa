/**
 * Fault injection for /v0 requests: the next `count` requests matching
 * `method` and `path` (substring of the decoded path, or `/regex/flags`)
 * get an error status, extra latency, or a dropped connection.
 */
import { nowIso } from './clock';
import { newFaultId } from './ids';
import { FAULT_PATH_REGEX, type FaultSpec } from './schemas';

export interface Fault extends FaultSpec {
	fault_id: string;
	/** Matching requests still to be affected. */
	remaining: number;
	created_at: string;
}

function matches(fault: Fault, method: string, path: string): boolean {
	if (fault.method && fault.method.toUpperCase() !== method) return false;
	if (fault.path === undefined) return true;
	const regex = FAULT_PATH_REGEX.exec(fault.path);
	return regex ? new RegExp(regex[1], regex[2].replace(/[gy]/g, '')).test(path) : path.includes(fault.path);
}

export class FaultInjector {
	private faults: Fault[] = [];

	add(spec: FaultSpec): Fault {
		const fault: Fault = { fault_id: newFaultId(), ...spec, remaining: spec.count, created_at: nowIso() };
		this.faults.push(fault);
		return fault;
	}

	list(): Fault[] {
		return [...this.faults];
	}

	clear(): void {
		this.faults = [];
	}

	/** The first armed fault for this request, counted down (and removed when spent). */
	take(method: string, path: string): Fault | undefined {
		const fault = this.faults.find((f) => matches(f, method, path));
		if (!fault) return undefined;
		fault.remaining -= 1;
		if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
		return fault;
	}
}
