/** The log behind `GET /_sandbox/requests`: every API request, newest last. */

export interface LoggedRequest {
	seq: number;
	received_at: string;
	method: string;
	/** Request target exactly as received, query string included. */
	url: string;
	/** Path as received (still percent-encoded), without the query string. */
	path: string;
	/** Path with each segment percent-decoded. */
	decoded_path: string;
	query: Record<string, string | string[]>;
	/** Request headers; the Authorization value is redacted. */
	headers: Record<string, string | string[]>;
	/** Parsed JSON body, the raw text if it was not JSON, or null when empty. */
	body: unknown;
	/** Response status; null while pending or when the connection was dropped. */
	status: number | null;
	/** Name of the injected fault that hit this request, if any. */
	fault_id?: string;
	/** With an `after` fault: the status the request really had before the fault replaced the answer. */
	processed_status?: number;
	dropped?: boolean;
	duration_ms?: number;
}

export const REQUEST_LOG_LIMIT = 2000;

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		if (name.toLowerCase() === 'authorization') {
			const text = Array.isArray(value) ? value.join(',') : value;
			out[name] = text.startsWith('Bearer ') ? 'Bearer [redacted]' : '[redacted]';
		} else out[name] = value;
	}
	return out;
}

export class RequestLog {
	private entries: LoggedRequest[] = [];
	private seq = 0;

	add(entry: Omit<LoggedRequest, 'seq'>): LoggedRequest {
		const logged: LoggedRequest = { seq: ++this.seq, ...entry };
		this.entries.push(logged);
		if (this.entries.length > REQUEST_LOG_LIMIT) this.entries.shift();
		return logged;
	}

	list(): LoggedRequest[] {
		return [...this.entries];
	}

	clear(): void {
		this.entries = [];
	}
}
