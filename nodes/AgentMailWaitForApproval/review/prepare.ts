import {
	NodeOperationError,
	type NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type ITaskMetadata,
} from 'n8n-workflow';

import { MAX_RECIPIENTS, parseAddresses } from '../../shared/helpers/addresses';
import { draftId, inboxId } from '../../shared/params';
import {
	agentMailRequest,
	apiPath,
	failedItem,
	failureOf,
	idempotencyKeyFor,
	toNodeError,
	validId,
	type ValidId,
} from '../../shared/transport';
import { allRecipientsAllowlisted } from './allowlist';
import { approveDraft, expiredItem } from './decide';
import { notificationContent, sendNotification } from './notify';
import { DECISION_GRACE_MS, heldSendAt, readSettings } from './settings';
import { saveState } from './state';
import { PENDING_LABEL, type DecidedItem, type ReviewEntry } from './types';

/**
 * The key that makes this wait's sends idempotent: execution, node and run
 * (the same on n8n's Retry On Fail). Saved with the state for the webhook.
 */
export function approvalKey(ctx: IExecuteFunctions): string {
	const node = ctx.getNode();
	const runIndex = ctx.getWorkflowDataProxy(0).$runIndex ?? 0;
	return [ctx.getExecutionId() ?? '', node.id ?? node.name, String(runIndex)].join(':');
}

export function readApprovers(ctx: IExecuteFunctions): string[] {
	const node = ctx.getNode();
	const approvers = parseAddresses(node, 'Approvers', ctx.getNodeParameter('approvers', 0, ''), 0, { required: true });
	if (approvers.length > MAX_RECIPIENTS) {
		throw new NodeOperationError(node, `Approvers: at most ${MAX_RECIPIENTS} addresses, got ${approvers.length}`, {
			itemIndex: 0,
			description: `AgentMail sends one email to at most ${MAX_RECIPIENTS} recipients. Use a mailing list address for larger groups.`,
		});
	}
	return approvers;
}

export function notificationInbox(ctx: IExecuteFunctions): ValidId | undefined {
	const value = ctx.getNodeParameter('notifyInbox', 0, '', { extractValue: true }) as string;
	return value ? validId(ctx.getNode(), 'Send Notification From', value, 0) : undefined;
}

/** Puts every held draft back as it was before the hold (labels and schedule); returns what failed. */
async function restoreHeld(ctx: IExecuteFunctions, waiting: ReviewEntry[], restores: IDataObject[]): Promise<string[]> {
	const problems: string[] = [];
	for (const [position, entry] of waiting.entries()) {
		const body = restores[position];
		if (!Object.keys(body).length) continue;
		try {
			const path = apiPath('inboxes', entry.inboxId as ValidId, 'drafts', entry.draftId as ValidId);
			await agentMailRequest(ctx, { method: 'PATCH', path, body, itemIndex: entry.itemIndex });
		} catch (error) {
			problems.push(`${entry.draftId}: ${failureOf(error).error}`);
		}
	}
	return problems;
}

function notificationError(ctx: IExecuteFunctions, error: unknown, restoreProblems: string[]): NodeApiError | NodeOperationError {
	const failure = toNodeError(ctx.getNode(), error, 0);
	const restored = restoreProblems.length
		? `Some drafts could not be restored and may still carry "${PENDING_LABEL}" or a changed send time: ${restoreProblems.join('; ')}.`
		: 'Every draft was restored as it was (labels and send time); nothing waits for a decision.';
	failure.message = `Could not notify the approvers: ${failure.message}`;
	failure.description = [failure.description, restored].filter(Boolean).join(' ');
	return failure;
}

function asItem(decided: DecidedItem, itemIndex: number): INodeExecutionData {
	return { json: decided.json, pairedItem: { item: itemIndex } };
}

/**
 * execute(): loads each input item's draft, approves allowlisted ones at once
 * (if enabled), holds the others for review (label, schedule), notifies the
 * approvers and parks the execution until the time limit.
 *
 * Expiry: n8n then resumes the execution without calling this node again and
 * forwards the node's stack input as its output. That input is replaced here
 * by the expired items, on the Rejected output unless "On Timeout" approves,
 * so an expired approval can never come out of Approved by accident.
 */
export async function prepareApproval(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const settings = readSettings(this);
	const notification = this.getNodeParameter('notification', 0, 'none') as string;
	// Everything the notification needs is checked before any draft is touched.
	const approvers = notification === 'email' ? readApprovers(this) : [];
	const notifyFrom = notification === 'email' ? notificationInbox(this) : undefined;
	const key = approvalKey(this);
	const approved: INodeExecutionData[] = [];
	const rejected: INodeExecutionData[] = [];
	const entries: ReviewEntry[] = [];
	const held: IDataObject[] = [];
	/** How to put each held draft back exactly as it was, should notifying fail. */
	const restores: IDataObject[] = [];
	const allowlists = new Map<string, Set<string>>();
	const skipAllowlisted = (this.getNodeParameter('options', 0, {}) as IDataObject).skipAllowlisted === true;

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const inbox = inboxId(this, itemIndex);
			const draft = draftId(this, itemIndex);
			const path = apiPath('inboxes', inbox, 'drafts', draft);
			const current = await agentMailRequest<IDataObject>(this, { method: 'GET', path, itemIndex });
			const entry: ReviewEntry = {
				itemIndex,
				inboxId: inbox,
				draftId: draft,
				originalSendAt: (current.send_at as string | undefined) ?? null,
			};
			if (skipAllowlisted && (await allRecipientsAllowlisted(this, inbox, current, allowlists))) {
				const decided = await approveDraft(
					{ ctx: this, via: 'allowlist', settings, reviewer: 'allowlist', reason: '', at: new Date().toISOString() },
					entry,
					current,
					{ verdict: 'approve', version: String(current.updated_at ?? ''), values: {} },
					key,
				);
				(decided.output === 'approved' ? approved : rejected).push(asItem(decided, itemIndex));
				entries.push({ ...entry, decided });
				continue;
			}
			const patch: IDataObject = { add_labels: [PENDING_LABEL] };
			const restore: IDataObject = {};
			const labels = Array.isArray(current.labels) ? (current.labels as string[]) : [];
			if (!labels.includes(PENDING_LABEL)) restore.remove_labels = [PENDING_LABEL];
			const sendAt = heldSendAt(settings, entry.originalSendAt);
			if (sendAt !== entry.originalSendAt) {
				patch.send_at = sendAt;
				restore.send_at = entry.originalSendAt;
			}
			held.push(await agentMailRequest<IDataObject>(this, { method: 'PATCH', path, body: patch, itemIndex }));
			restores.push(restore);
			entries.push(entry);
		} catch (error) {
			if (!this.continueOnFail()) throw toNodeError(this.getNode(), error, itemIndex);
			const failed = failedItem(this, error, itemIndex);
			rejected.push(failed);
			entries.push({
				itemIndex,
				inboxId: '',
				draftId: '',
				originalSendAt: null,
				decided: { output: 'rejected', json: failed.json },
			});
		}
	}

	const waiting = entries.filter((entry) => !entry.decided);
	if (waiting.length === 0) return [approved, rejected];

	if (notification === 'email') {
		try {
			await sendNotification(
				this,
				notifyFrom ?? (waiting[0].inboxId as ValidId),
				approvers,
				notificationContent(held, settings, this.getSignedResumeUrl()),
				idempotencyKeyFor('approval-notify', key),
			);
		} catch (error) {
			// All or nothing: without a notification nobody can decide, so
			// nothing may stay held. The execution then fails (or its items
			// leave on Rejected with the error), and n8n answers a link that
			// reached an approver anyway with "finished with error".
			const restoreProblems = await restoreHeld(this, waiting, restores);
			const failure = notificationError(this, error, restoreProblems);
			if (!this.continueOnFail()) throw failure;
			for (const entry of waiting) rejected.push(failedItem(this, failure, entry.itemIndex));
			return [approved, rejected];
		}
	}

	const expired = waiting.map((entry, position) => asItem(expiredItem(settings, entry, held[position]), entry.itemIndex));
	const executeData = this.getExecuteData();
	executeData.data.main =
		settings.onTimeout === 'approve' ? [[...approved, ...expired], rejected] : [approved, [...rejected, ...expired]];
	executeData.metadata = { ...executeData.metadata, forwardAllOutputs: true } as ITaskMetadata;
	// On resume n8n re-derives each item's lineage from the stack entry: item n
	// of output k becomes { item: n, input: k }. Give "input 1" the same source
	// as input 0 so that expressions such as $('Trigger').item still resolve on
	// the Rejected branch.
	const source = executeData.source?.main;
	if (source?.[0] && !source[1]) source[1] = source[0];

	saveState(this, { version: 1, key, settings, entries });
	// Decisions are accepted until the time limit; n8n's own wait ends a grace
	// period later, so a decision accepted just before the limit finishes (its
	// lease ends before the grace does) before n8n could resume on timeout.
	await this.putExecutionToWait(new Date(Date.parse(settings.expiresAt) + DECISION_GRACE_MS));
	return [[], []];
}
