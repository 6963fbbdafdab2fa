import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type ITaskMetadata,
} from 'n8n-workflow';

import { parseAddresses } from '../../AgentMail/helpers/addresses';
import { draftId, inboxId } from '../../AgentMail/actions/params';
import {
	agentMailRequest,
	apiPath,
	failedItem,
	idempotencyKeyFor,
	toNodeError,
	validId,
	type ValidId,
} from '../../AgentMail/transport';
import { allRecipientsAllowlisted } from './allowlist';
import { approveDraft } from './decide';
import { notificationContent, sendNotification } from './notify';
import { readSettings } from './settings';
import { saveState } from './state';
import { PENDING_LABEL, type ApprovalSettings, type DecidedItem, type ReviewEntry } from './types';

/**
 * The key that makes this wait's sends idempotent: execution, node and run
 * (the same on n8n's Retry On Fail). Saved with the state for the webhook.
 */
function approvalKey(ctx: IExecuteFunctions): string {
	const node = ctx.getNode();
	const runIndex = ctx.getWorkflowDataProxy(0).$runIndex ?? 0;
	return [ctx.getExecutionId() ?? '', node.id ?? node.name, String(runIndex)].join(':');
}

/**
 * While a draft is under review AgentMail must not send it: its own schedule
 * is suspended, or, with "approve on timeout", replaced by the expiry time so
 * that AgentMail sends it then even if n8n is down.
 */
function heldSendAt(settings: ApprovalSettings, originalSendAt: string | null): string | null {
	if (settings.onTimeout !== 'approve') return null;
	if (settings.onApproval === 'keep' && originalSendAt && originalSendAt > settings.expiresAt) {
		return originalSendAt;
	}
	return settings.expiresAt;
}

/** The item a draft ends up as if nobody decides before the time limit. */
function expiredItem(settings: ApprovalSettings, entry: ReviewEntry, held: IDataObject): INodeExecutionData {
	const approve = settings.onTimeout === 'approve';
	return {
		json: {
			draft_id: entry.draftId,
			inbox_id: entry.inboxId,
			message_id: null,
			thread_id: null,
			send_status: approve ? 'scheduled' : '',
			decision: {
				status: 'expired',
				by: null,
				via: 'timeout',
				at: settings.expiresAt,
				reason: `No decision before ${settings.expiresAt}`,
				edited: false,
				changes: {},
			},
			result: held,
		},
		pairedItem: { item: entry.itemIndex },
	};
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
	const approvers =
		notification === 'email'
			? parseAddresses(this.getNode(), 'Approvers', this.getNodeParameter('approvers', 0, ''), 0, { required: true })
			: [];
	const key = approvalKey(this);
	const approved: INodeExecutionData[] = [];
	const rejected: INodeExecutionData[] = [];
	const entries: ReviewEntry[] = [];
	const held: IDataObject[] = [];
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
			const sendAt = heldSendAt(settings, entry.originalSendAt);
			if (sendAt !== entry.originalSendAt) patch.send_at = sendAt;
			held.push(await agentMailRequest<IDataObject>(this, { method: 'PATCH', path, body: patch, itemIndex }));
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
		const fromParameter = this.getNodeParameter('notifyInbox', 0, '', { extractValue: true }) as string;
		const from: ValidId = fromParameter
			? validId(this.getNode(), 'Send Notification From', fromParameter)
			: (waiting[0].inboxId as ValidId);
		const reviewUrl = this.getSignedResumeUrl();
		await sendNotification(
			this,
			from,
			approvers,
			notificationContent(held, settings, reviewUrl),
			idempotencyKeyFor('approval-notify', key),
		);
	}

	const expired = waiting.map((entry, position) => expiredItem(settings, entry, held[position]));
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
	await this.putExecutionToWait(new Date(settings.expiresAt));
	return [[], []];
}
