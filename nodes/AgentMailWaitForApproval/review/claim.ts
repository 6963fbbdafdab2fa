import { createHash, randomUUID } from 'crypto';
import { sleep, type IDataObject } from 'n8n-workflow';

import {
	agentMailRequest,
	apiPath,
	failureOf,
	toNodeError,
	validId,
	type AgentMailContext,
} from '../../shared/transport';
import type { ApprovalState } from './types';

/** What a decision is claimed for: the wait's key and the inbox that holds the record. */
export type ClaimScope = Pick<ApprovalState, 'key'> & { entries: Array<{ inboxId: string }> };

/**
 * One decision per approval, arbitrated by AgentMail.
 *
 * n8n resumes a waiting execution only once (it claims it atomically), but it
 * does so after webhook() returned, so two webhook processes, or a webhook
 * process and the main, would both act on the draft before n8n picks one of
 * them. Every decision therefore first creates the approval's decision record:
 * a draft with a client_id derived from the wait. AgentMail keeps one draft
 * per client_id and answers every later create with that first draft
 * (AGENTMAIL_API.md §7.4), so of any number of concurrent submissions,
 * wherever they run, exactly one finds its own token in the record: that one
 * acts, every other one changes nothing and is told what was decided.
 *
 * The record stays in the inbox (label `approval-decision`, no recipients):
 * it is the audit trail and keeps a late request from claiming a second time.
 */
export const DECISION_LABEL = 'approval-decision';

/** What the record holds: who won, and what they decided (shown to the others). */
export interface DecisionRecord {
	version: 1;
	/**
	 * Unique to one POST. Not to one page: two submissions of the same page
	 * (a double click reaching two processes) are two submissions, and only
	 * one of them may act.
	 */
	token: string;
	verdicts: Array<'approve' | 'reject'>;
	reviewer: string | null;
	reason: string | null;
	at: string;
}

export interface ClaimResult {
	won: boolean;
	record: DecisionRecord | undefined;
}

export function newToken(): string {
	return randomUUID();
}

/** AgentMail's client_id characters (A-Z a-z 0-9 - . _ ~), derived from the wait's key. */
export function decisionClientId(state: Pick<ApprovalState, 'key'>): string {
	return `n8n-approval-decision-${createHash('sha256').update(state.key).digest('hex').slice(0, 40)}`;
}

function parseRecord(draft: IDataObject): DecisionRecord | undefined {
	try {
		const record = JSON.parse(String(draft.text ?? '')) as DecisionRecord;
		return record?.version === 1 && typeof record.token === 'string' ? record : undefined;
	} catch {
		return undefined;
	}
}

/** Concurrent creates with one client_id may be answered 409 while the first is in progress. */
const CLAIM_ATTEMPTS = 5;

/**
 * Creates (or finds) the approval's decision record. `won` is true only for
 * the submission whose token is in it. The transport retries the create after
 * a 5xx or a dropped connection with the same body: if AgentMail had stored
 * it, the retry finds this submission's own token and it still wins.
 */
export async function claimDecision(
	ctx: AgentMailContext,
	state: ClaimScope,
	record: DecisionRecord,
	deadline?: number,
): Promise<ClaimResult> {
	const node = ctx.getNode();
	const inbox = validId(node, 'Inbox', state.entries.find((entry) => entry.inboxId)?.inboxId);
	const body: IDataObject = {
		client_id: decisionClientId(state),
		labels: [DECISION_LABEL],
		subject: `Approval decision (${record.verdicts.join(', ')})`,
		text: JSON.stringify(record),
	};
	for (let attempt = 1; ; attempt++) {
		try {
			const draft = await agentMailRequest<IDataObject>(ctx, {
				method: 'POST',
				path: apiPath('inboxes', inbox, 'drafts'),
				body,
				idempotent: true,
				deadline,
			});
			const stored = parseRecord(draft);
			return { won: stored?.token === record.token, record: stored };
		} catch (error) {
			if (failureOf(error).status !== 409 || attempt >= CLAIM_ATTEMPTS) throw toNodeError(node, error);
			await sleep(100 * attempt);
		}
	}
}
