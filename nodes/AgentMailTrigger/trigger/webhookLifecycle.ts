import { createHash } from 'node:crypto';
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { agentMailRequest, apiPath, toNodeError, validId } from '../../shared/transport';
import { readSettings, type TriggerSettings } from './settings';

/**
 * The AgentMail webhook behind a webhook-mode trigger. Its id, URL and
 * `whsec_` secret live in the node's static data; `create` sends a `client_id`
 * derived from workflow, node, URL and a generation counter, so a retried
 * activation returns the webhook made before instead of a second one; a
 * changed event or inbox selection is PATCHed onto the existing webhook.
 */
export interface WebhookState extends IDataObject {
	webhookId?: string;
	webhookUrl?: string;
	secret?: string;
	/** Bumped on delete so the next activation gets a fresh client_id. */
	generation?: number;
}

interface Webhook extends IDataObject {
	webhook_id: string;
	url: string;
	secret: string;
	event_types?: string[];
	inbox_ids?: string[];
	pod_ids?: string[];
}

/**
 * The webhook state of this mode: the editor's "listen for test event"
 * (mode `manual`, n8n's test URL) keeps its own, so testing never replaces or
 * deletes the webhook of the active workflow.
 */
export function webhookState(ctx: IHookFunctions | IWebhookFunctions): WebhookState {
	const data = ctx.getWorkflowStaticData('node');
	if (ctx.getMode() !== 'manual') return data as WebhookState;
	if (!data.test || typeof data.test !== 'object') data.test = {};
	return data.test as WebhookState;
}

const statusOf = (error: unknown): number | undefined =>
	(error as { context?: { agentMail?: { status?: number } } })?.context?.agentMail?.status;

function same(a: string[] | undefined, b: string[]): boolean {
	const left = new Set((a ?? []).map((v) => v.toLowerCase()));
	return left.size === b.length && b.every((v) => left.has(v.toLowerCase()));
}

function remember(state: WebhookState, webhook: Webhook): void {
	state.webhookId = webhook.webhook_id;
	state.webhookUrl = webhook.url;
	state.secret = webhook.secret;
}

function forget(state: WebhookState): void {
	delete state.webhookId;
	delete state.webhookUrl;
	delete state.secret;
}

export function clientIdFor(ctx: IHookFunctions, url: string, generation: number): string {
	const workflowId = ctx.getWorkflow().id ?? '';
	const hash = createHash('sha256').update(`${workflowId}\n${ctx.getNode().id}\n${url}\n${generation}`).digest('hex');
	return `n8n-trigger-${hash.slice(0, 40)}`;
}

const webhookPath = (ctx: IHookFunctions, id: string) => apiPath('webhooks', validId(ctx.getNode(), 'Webhook ID', id));

/** PATCH body that turns `webhook` into the selection, or undefined when it already matches. */
function patchFor(webhook: Webhook, settings: TriggerSettings): IDataObject | undefined {
	const body: IDataObject = {};
	if (!same(webhook.event_types, settings.events)) body.event_types = settings.events;
	const current = (webhook.inbox_ids ?? []).map((v) => v.toLowerCase());
	const add = settings.inboxIds.filter((id) => !current.includes(id));
	const remove = current.filter((id) => !settings.inboxIds.includes(id));
	if (add.length) body.add_inbox_ids = add;
	if (remove.length) body.remove_inbox_ids = remove;
	const pods = webhook.pod_ids ?? [];
	const addPods = settings.podIds.filter((id) => !pods.includes(id));
	const removePods = pods.filter((id) => !settings.podIds.includes(id));
	if (addPods.length) body.add_pod_ids = addPods;
	if (removePods.length) body.remove_pod_ids = removePods;
	return Object.keys(body).length ? body : undefined;
}

async function syncSelection(ctx: IHookFunctions, state: WebhookState, webhook: Webhook): Promise<void> {
	const body = patchFor(webhook, readSettings(ctx));
	const updated = body
		? await agentMailRequest<Webhook>(ctx, { method: 'PATCH', path: webhookPath(ctx, webhook.webhook_id), body })
		: webhook;
	remember(state, { ...updated, secret: updated.secret ?? webhook.secret });
}

export async function checkExists(this: IHookFunctions): Promise<boolean> {
	const state = webhookState(this);
	const url = this.getNodeWebhookUrl('default');
	if (!state.webhookId || !url) return false;
	let webhook: Webhook;
	try {
		webhook = await agentMailRequest<Webhook>(this, { method: 'GET', path: webhookPath(this, state.webhookId) });
	} catch (error) {
		if (statusOf(error) === 404) {
			forget(state);
			return false;
		}
		throw toNodeError(this.getNode(), error);
	}
	if (webhook.url !== url) return false;
	await syncSelection(this, state, webhook);
	return true;
}

export async function create(this: IHookFunctions): Promise<boolean> {
	const state = webhookState(this);
	const url = this.getNodeWebhookUrl('default');
	if (!url) return false;
	if (state.webhookId && state.webhookUrl !== url) {
		// The n8n URL changed (e.g. WEBHOOK_URL): the old webhook would deliver nowhere.
		await deleteWebhook(this, state);
	}
	const settings = readSettings(this);
	const body: IDataObject = {
		url,
		event_types: settings.events,
		client_id: clientIdFor(this, url, Number(state.generation ?? 0)),
	};
	if (settings.inboxIds.length) body.inbox_ids = settings.inboxIds;
	if (settings.podIds.length) body.pod_ids = settings.podIds;
	const webhook = await agentMailRequest<Webhook>(this, {
		method: 'POST',
		path: apiPath('webhooks'),
		body,
		idempotent: true,
	});
	// A client_id hit returns the webhook of an earlier attempt, possibly with an older selection.
	await syncSelection(this, state, webhook);
	return true;
}

async function deleteWebhook(ctx: IHookFunctions, state: WebhookState): Promise<void> {
	if (state.webhookId) {
		try {
			await agentMailRequest(ctx, { method: 'DELETE', path: webhookPath(ctx, state.webhookId) });
		} catch (error) {
			if (statusOf(error) !== 404) throw toNodeError(ctx.getNode(), error);
		}
	}
	forget(state);
	state.generation = Number(state.generation ?? 0) + 1;
}

export async function remove(this: IHookFunctions): Promise<boolean> {
	const state = webhookState(this);
	await deleteWebhook(this, state);
	return true;
}
