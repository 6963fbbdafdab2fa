import {
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type ITriggerFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { readEnrichOptions, type EnrichOptions } from './enrich';
import { bareAddress } from './events';

/** AgentMail accepts at most 10 inbox (and pod) ids per webhook or subscription. */
export const MAX_IDS = 10;

export interface TriggerSettings {
	events: string[];
	scope: 'inboxes' | 'pod' | 'organization';
	/** Lower-case inbox ids (email addresses) for scope `inboxes`. */
	inboxIds: string[];
	podIds: string[];
	/** Senders whose received mail starts nothing (loop guard). */
	ignoreSenders: Set<string>;
	/** Fetch full message / download attachments. */
	enrich: EnrichOptions;
}

type Ctx = IHookFunctions | IWebhookFunctions | ITriggerFunctions;

function list(value: unknown): string[] {
	const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return [...new Set(raw.map((v) => String(v).trim()).filter(Boolean))];
}

export function readSettings(ctx: Ctx): TriggerSettings {
	const node = ctx.getNode();
	const events = list(ctx.getNodeParameter('events', []));
	if (events.length === 0) throw new NodeOperationError(node, 'Choose at least one event');
	const scope = ctx.getNodeParameter('scope', 'inboxes') as TriggerSettings['scope'];
	const inboxIds = scope === 'inboxes' ? list(ctx.getNodeParameter('inboxIds', [])).map((id) => id.toLowerCase()) : [];
	const podIds = scope === 'pod' ? list(ctx.getNodeParameter('podId', '')) : [];
	if (scope === 'inboxes' && inboxIds.length === 0) {
		throw new NodeOperationError(node, 'Choose at least one inbox, or set Scope to Organization');
	}
	if (inboxIds.length > MAX_IDS) {
		throw new NodeOperationError(node, `At most ${MAX_IDS} inboxes per trigger (AgentMail's limit per webhook)`, {
			description: `${inboxIds.length} are selected. Use Scope "Organization" or a pod, or split the workflow.`,
		});
	}
	if (scope === 'pod' && podIds.length === 0) throw new NodeOperationError(node, 'Pod ID is required');
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const ignoreSenders = new Set<string>();
	if (options.ignoreWatchedInboxes !== false) for (const id of inboxIds) ignoreSenders.add(id);
	for (const address of list(options.ignoreSenders)) {
		const bare = bareAddress(address);
		if (bare) ignoreSenders.add(bare);
	}
	return { events, scope, inboxIds, podIds, ignoreSenders, enrich: readEnrichOptions(options) };
}
