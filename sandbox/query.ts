/** Typed access to query parameters; bad values become 400 validation errors. */
import { invalidField } from './errors';

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export class Query {
	constructor(private readonly params: URLSearchParams) {}

	string(name: string): string | undefined {
		return this.params.get(name) ?? undefined;
	}

	int(name: string, min = 1): number | undefined {
		const raw = this.string(name);
		if (raw === undefined || raw === '') return undefined;
		if (!/^\d+$/.test(raw) || Number(raw) < min) {
			throw invalidField([name], `query parameter ${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
		}
		return Number(raw);
	}

	bool(name: string): boolean | undefined {
		const raw = this.string(name);
		if (raw === undefined || raw === '') return undefined;
		if (raw === 'true') return true;
		if (raw === 'false') return false;
		throw invalidField([name], `query parameter ${name} must be true or false, got ${JSON.stringify(raw)}`);
	}

	/** ISO-8601 datetime, returned as epoch milliseconds. */
	datetime(name: string): number | undefined {
		const raw = this.string(name);
		if (raw === undefined || raw === '') return undefined;
		const ms = Date.parse(raw);
		if (!ISO_DATETIME.test(raw) || Number.isNaN(ms)) {
			throw invalidField([name], `query parameter ${name} must be an ISO-8601 datetime, got ${JSON.stringify(raw)}`);
		}
		return ms;
	}

	/**
	 * A string[] parameter in any of the encodings clients use: one JSON array
	 * (`labels=["a","b"]`, the TypeScript SDK), the parameter repeated
	 * (`labels=a&labels=b`, the Python SDK) or indexed (`labels[0]=a`).
	 */
	list(name: string): string[] | undefined {
		const values: string[] = [...this.params.getAll(name)];
		const indexed = [...this.params.keys()]
			.filter((k, i, all) => all.indexOf(k) === i && new RegExp(`^${name}\\[\\d*\\]$`).test(k))
			.sort((a, b) => Number(a.slice(name.length + 1, -1)) - Number(b.slice(name.length + 1, -1)));
		for (const k of indexed) values.push(...this.params.getAll(k));
		if (values.length === 0) return undefined;
		const out: string[] = [];
		for (const value of values) {
			if (!value.trimStart().startsWith('[')) {
				out.push(value);
				continue;
			}
			let parsed: unknown;
			try {
				parsed = JSON.parse(value);
			} catch {
				throw invalidField([name], `query parameter ${name} looks like a JSON array but does not parse: ${value}`);
			}
			if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
				throw invalidField([name], `query parameter ${name} must be a JSON array of strings`);
			}
			out.push(...parsed);
		}
		return out;
	}

	/** Everything except the paging parameters, canonically ordered (binds page tokens to a query). */
	canonicalFilters(): string {
		return [...this.params.entries()]
			.filter(([k]) => k !== 'limit' && k !== 'page_token')
			.map(([k, v]) => `${k}=${v}`)
			.sort()
			.join('&');
	}

	toObject(): Record<string, string | string[]> {
		const out: Record<string, string | string[]> = {};
		for (const k of new Set(this.params.keys())) {
			const all = this.params.getAll(k);
			out[k] = all.length === 1 ? all[0] : all;
		}
		return out;
	}
}
