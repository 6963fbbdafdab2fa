import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { callWaitingWebhook, type HarnessExecutionState, type WaitingWebhookResult } from '../../harness';
import { draftVersions, formFields } from '../../../scripts/lib/review-form';
import { byId, node, type NodeEnv } from '../setup';

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export const USER_AGENTS: Record<string, string> = {
	browser:
		'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
	outlookSafeLinks: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17126; Pro) SafeLinks',
	slack: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
	teams: 'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) SkypeUriPreview Preview/0.5',
	genericBot: 'Mozilla/5.0 (compatible; ExampleBot/2.1; +http://www.example.com/bot.html)',
	curl: 'curl/8.5.0',
};

export async function createDraft(env: NodeEnv, body: IDataObject = {}, inbox = env.inbox): Promise<IDataObject> {
	const response = await env.api.post(`/v0/inboxes/${encodeURIComponent(inbox)}/drafts`, {
		to: ['customer@example.com'],
		subject: 'About your refund',
		text: 'Your refund of $42 is approved.',
		...body,
	});
	if (response.status !== 200) throw new Error(`draft create failed: ${JSON.stringify(response.data)}`);
	return response.data;
}

export async function getDraft(env: NodeEnv, draftId: string, inbox = env.inbox) {
	return await env.api.get(`/v0/inboxes/${encodeURIComponent(inbox)}/drafts/${encodeURIComponent(draftId)}`);
}

export function approvalNode(env: NodeEnv, parameters: INodeParameters = {}, extra = {}) {
	return node(
		'Approval',
		'agentMailWaitForApproval',
		{
			inboxId: byId(env.inbox),
			draftId: byId('={{ $json.draft_id }}'),
			limitAmount: 1,
			limitUnit: 'hours',
			onTimeout: 'reject',
			onApproval: 'send',
			onRejection: 'label',
			notification: 'none',
			requestedBy: 'Refund agent',
			options: {},
			...parameters,
		},
		extra,
	);
}

/** Starts a workflow Start -> Approval for these drafts and expects it to wait. */
export async function startApproval(
	env: NodeEnv,
	drafts: IDataObject[],
	parameters: INodeParameters = {},
): Promise<HarnessExecutionState> {
	const run = await env.run([approvalNode(env, parameters)], {
		items: drafts.map((draft) => ({ draft_id: draft.draft_id })),
	});
	if (run.status !== 'waiting') throw new Error(`expected waiting, got ${run.status}: ${run.error?.message}`);
	return run.state;
}

export interface Page {
	result: WaitingWebhookResult;
	html: string;
	/** Hidden `version_<n>` values, in order. */
	versions: string[];
}

export async function openPage(state: HarnessExecutionState, userAgent = USER_AGENTS.browser, method: 'GET' | 'HEAD' = 'GET'): Promise<Page> {
	const result = await callWaitingWebhook(state, { method, headers: { 'user-agent': userAgent } });
	const html = String(result.rawBody ?? '');
	return { result, html, versions: draftVersions(html) };
}

export { formFields };

export async function submit(
	state: HarnessExecutionState,
	fields: Record<string, string>,
): Promise<WaitingWebhookResult> {
	return await callWaitingWebhook(state, {
		method: 'POST',
		headers: { ...FORM, 'user-agent': USER_AGENTS.browser },
		body: new URLSearchParams(fields).toString(),
	});
}

/** Opens the page, fills the form like a reviewer (changes applied on top) and submits it. */
export async function decide(
	state: HarnessExecutionState,
	changes: Record<string, string>,
): Promise<{ page: Page; result: WaitingWebhookResult }> {
	const page = await openPage(state);
	const result = await submit(state, { ...formFields(page.html), ...changes });
	return { page, result };
}
