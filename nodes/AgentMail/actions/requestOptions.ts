import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_RETRY_BUDGET_MS } from '../../shared/transport';

/**
 * Items worked on at once by default, from `npm run bench` (Get Draft, 100
 * items, 20 ms round trip, wall against n8n's HTTP Request node, which starts
 * every item's request at once), on a noisy 2-core machine: Concurrency 1 ≈
 * 15–22×, 5 ≈ 4.0–5.3×, 10 ≈ 2.5–3.4×, 20 ≈ 1.58–1.97×, 50 ≈ 0.97–1.21×. Only 50 comes
 * near the HTTP Request node, so it is the default. It costs nothing against
 * AgentMail's per-key rate limit that a lower number would save: a 429 pauses
 * every request of the execution until Retry-After (transport/rateLimit.ts), and
 * the requests already in flight when it came wait out that same pause
 * instead of retrying on their own, so 50 in flight meet the limit once, as
 * 20 do. Lower it to spread a key's budget across workflows, or to have
 * fewer items already running when one fails with On Error = Stop.
 *
 * Concurrency bounds the items with requests in flight, not the items whose
 * parameters are being read: the router reads and checks items in batches
 * of 1, 2, 4, … up to 1,000 before each batch's requests go out (see
 * actions/router.ts and transport/itemSlots.ts).
 */
export const DEFAULT_CONCURRENCY = 50;
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
				'How many input items may have requests in flight at once. Output keeps the input order. 1 works on one item after another. The default, 50, keeps round trips from adding up; a rate limit (429) pauses all of them together, so lower it only to leave part of the API key rate limit to other workflows.',
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
