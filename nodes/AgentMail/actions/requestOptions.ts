import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_RETRY_BUDGET_MS } from '../../shared/transport';

/**
 * Items worked on at once by default, from `npm run bench` (Get Draft, 100
 * items, 20 ms round trip, wall against n8n's HTTP Request node, which starts
 * every item's request at once): Concurrency 1 ≈ 2.3–6.9×, 5 ≈ 1.0–2.6×,
 * 10 ≈ 1.1–2.2×, 20 ≈ 0.85–1.7×, 50 ≈ 0.75× (noisy shared machine). 20 hides
 * most of the round trips; more gains little and puts more requests in
 * flight at once against AgentMail's per-key rate limit, and on a failure
 * with On Error = Stop more items are already running.
 */
export const DEFAULT_CONCURRENCY = 20;
export const MAX_CONCURRENCY = 50;

/** How the node makes its requests; the same for every operation. */
export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
			default: DEFAULT_CONCURRENCY,
			description:
				'How many input items to work on at once. Output keeps the input order. 1 works on one item after another.',
		},
		{
			displayName: 'Rate Limit Retry Time (Seconds)',
			name: 'retryBudget',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 120,
			description:
				'How long a request that AgentMail answers with 429 (rate limited) keeps being retried, after Retry-After plus a random delay, before it fails',
		},
	],
};

export interface RequestSettings {
	concurrency: number;
	retryBudgetMs: number;
}

/** Request Options, read once per execution (they hold no per-item expressions worth evaluating per item). */
export function requestSettings(ctx: IExecuteFunctions): RequestSettings {
	const options = ctx.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	const concurrency = Math.floor(Number(options.concurrency ?? DEFAULT_CONCURRENCY));
	const budget = Number(options.retryBudget ?? DEFAULT_RETRY_BUDGET_MS / 1000);
	return {
		concurrency: Number.isFinite(concurrency) ? Math.min(Math.max(concurrency, 1), MAX_CONCURRENCY) : DEFAULT_CONCURRENCY,
		retryBudgetMs: Number.isFinite(budget) && budget >= 0 ? budget * 1000 : DEFAULT_RETRY_BUDGET_MS,
	};
}
