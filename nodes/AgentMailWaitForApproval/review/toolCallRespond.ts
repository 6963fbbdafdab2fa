import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { claimDecision, newToken, type DecisionRecord } from './claim';
import { field } from './form';
import { oneAtATime } from './lock';
import { renderMessagePage } from './page';
import { describeRecord, failurePage, formBody } from './respond';
import { sendPage as respond } from './send';
import { DECISION_LEASE_MS } from './settings';
import { readNodeContext } from './state';
import { renderToolCallPage } from './toolCallPage';
import { TOOL_CALL_CONTEXT_KEY } from './toolCallPrepare';
import { approvedToolCall, rejectedToolCall } from './toolCallResult';
import type { ToolCallState } from './toolCallTypes';

function loadToolCall(ctx: IWebhookFunctions): ToolCallState | undefined {
	const state = readNodeContext(ctx, TOOL_CALL_CONTEXT_KEY) as ToolCallState | undefined;
	return state?.version === 1 && state.kind === 'toolCall' && typeof state.key === 'string' ? state : undefined;
}

function expiredPage(ctx: IWebhookFunctions, state: ToolCallState): IWebhookResponseData {
	return respond(
		ctx,
		410,
		renderMessagePage(
			'Review expired',
			`This review expired at ${state.expiresAt}. The tool was not run and the agent was told that the review expired.`,
		),
	);
}

/**
 * webhook() in tool mode. GET (and anything but POST) only shows the tool
 * call, whoever asks. POST decides once: the decision is claimed in AgentMail
 * (claim.ts), so of any number of submissions, in any n8n process, exactly one
 * resumes the execution; every other one is told what was decided.
 */
export async function handleToolReview(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	try {
		const state = loadToolCall(this);
		if (!state) {
			return respond(this, 410, renderMessagePage('Review not available', 'This review request no longer exists.'));
		}
		if (Date.now() >= Date.parse(state.expiresAt)) return expiredPage(this, state);
		const method = String(this.getRequestObject().method ?? 'GET').toUpperCase();
		if (method !== 'POST') return respond(this, 200, renderToolCallPage({ state }));
		return await oneAtATime(this.getExecutionId() ?? '', async () => await decideToolCall(this, state));
	} catch (error) {
		return failurePage(this, error);
	}
}

async function decideToolCall(ctx: IWebhookFunctions, state: ToolCallState): Promise<IWebhookResponseData> {
	const body = formBody(ctx);
	const verdict = field(body, 'decision');
	const reviewer = field(body, 'reviewer').trim().slice(0, 200);
	const reason = field(body, 'reason').trim().slice(0, 2000);
	const errors: string[] = [];
	if (field(body, 'tool_call') !== state.call.toolCallId) {
		errors.push('This form belongs to another tool call: reload the review link and decide again');
	}
	if (verdict !== 'approve' && verdict !== 'reject') errors.push('Choose Approve or Reject');
	if (state.requireReviewer && !reviewer) errors.push('Enter your name or email address as the reviewer');
	if (state.requireReason && verdict === 'reject' && !reason) errors.push('Enter a reason for the rejection: the agent receives it');
	if (errors.length) {
		return respond(ctx, 400, renderToolCallPage({ state, errors, submitted: { reviewer, reason } }));
	}

	const at = new Date().toISOString();
	const record: DecisionRecord = {
		version: 1,
		token: newToken(),
		verdicts: [verdict as 'approve' | 'reject'],
		reviewer: reviewer || null,
		reason: reason || null,
		at,
	};
	const deadline = Date.parse(state.expiresAt) + DECISION_LEASE_MS;
	const claim = await claimDecision(ctx, { key: state.key, entries: [{ inboxId: state.inboxId }] }, record, deadline);
	if (!claim.won) {
		return respond(
			ctx,
			409,
			renderMessagePage(
				'Already decided',
				'A decision on this tool call had already been made, so your submission changed nothing.',
				describeRecord(claim.record),
			),
		);
	}
	const json =
		verdict === 'approve'
			? approvedToolCall(state, record.reviewer, at)
			: rejectedToolCall(state, record.reviewer, reason, at);
	respond(
		ctx,
		200,
		renderMessagePage(
			'Decision recorded',
			verdict === 'approve'
				? `Approved. n8n now runs ${state.call.toolName} with the agent's input.`
				: `Rejected. ${state.call.toolName} does not run; the agent receives your reason.`,
			describeRecord(record),
		),
	);
	return { noWebhookResponse: true, workflowData: [[{ json, pairedItem: { item: 0 } }]] };
}
