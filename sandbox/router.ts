/**
 * Route table: patterns like `/v0/inboxes/:inbox_id/drafts/:draft_id`,
 * matched on path segments that are decoded one by one (ids such as
 * `agent%40agentmail.to` or `%3Cabc%40agentmail.to%3E` stay one segment).
 */
import type { Handler } from './context';

export interface Route {
	method: string;
	pattern: string;
	handler: Handler;
	/** Send endpoints: honour `Idempotency-Key` (idempotency.ts). */
	idempotent?: boolean;
}

interface CompiledRoute extends Route {
	segments: string[];
	literals: number;
}

export type Match =
	| { kind: 'found'; route: Route; params: Record<string, string> }
	| { kind: 'wrong-method'; allowed: string[] }
	| { kind: 'none' };

export class Router {
	private readonly routes: CompiledRoute[];

	constructor(routes: Route[]) {
		this.routes = routes.map((route) => {
			const segments = route.pattern.split('/').filter(Boolean);
			return { ...route, segments, literals: segments.filter((s) => !s.startsWith(':')).length };
		});
	}

	/** Every route, in table order. */
	list(): Route[] {
		return this.routes.map(({ method, pattern, handler, idempotent }) => ({ method, pattern, handler, idempotent }));
	}

	match(method: string, segments: string[]): Match {
		let best: { route: CompiledRoute; params: Record<string, string> } | undefined;
		const allowed = new Set<string>();
		for (const route of this.routes) {
			const params = matchSegments(route.segments, segments);
			if (!params) continue;
			if (route.method !== method) {
				allowed.add(route.method);
				continue;
			}
			if (!best || route.literals > best.route.literals) best = { route, params };
		}
		if (best) return { kind: 'found', route: best.route, params: best.params };
		if (allowed.size > 0) return { kind: 'wrong-method', allowed: [...allowed] };
		return { kind: 'none' };
	}
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | undefined {
	if (pattern.length !== segments.length) return undefined;
	const params: Record<string, string> = {};
	for (let i = 0; i < pattern.length; i++) {
		if (pattern[i].startsWith(':')) params[pattern[i].slice(1)] = segments[i];
		else if (pattern[i] !== segments[i]) return undefined;
	}
	return params;
}
