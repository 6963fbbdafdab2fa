import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { ApprovalSettings, OnApproval, OnRejection, OnTimeout } from './types';

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };
export const MAX_WAIT_MS = 7 * UNIT_MS.days;

/**
 * The deadline, in three steps. Decisions are accepted until the time limit
 * (expiresAt). One accepted just before it may go on acting for
 * DECISION_LEASE_MS past the limit (no AgentMail request starts or is awaited
 * after that), and n8n's own wait ends DECISION_GRACE_MS past the limit, so
 * n8n never resumes on timeout while an accepted decision is still acting.
 */
export const DECISION_LEASE_MS = 30_000;
export const DECISION_GRACE_MS = 60_000;

function oneOf<T extends string>(ctx: IExecuteFunctions, name: string, allowed: T[]): T {
	const value = ctx.getNodeParameter(name, 0) as T;
	if (!allowed.includes(value)) {
		throw new NodeOperationError(ctx.getNode(), `${name} must be one of ${allowed.join(', ')}`);
	}
	return value;
}

/** How long to wait, checked: more than nothing, at most 7 days. */
export function waitMilliseconds(ctx: IExecuteFunctions): number {
	const amount = Number(ctx.getNodeParameter('limitAmount', 0, 24));
	const unit = String(ctx.getNodeParameter('limitUnit', 0, 'hours'));
	const ms = amount * (UNIT_MS[unit] ?? NaN);
	if (!Number.isFinite(ms) || ms <= 0) {
		throw new NodeOperationError(ctx.getNode(), 'Time Limit must be a positive amount of minutes, hours or days');
	}
	if (ms > MAX_WAIT_MS) {
		throw new NodeOperationError(ctx.getNode(), 'Time Limit can be at most 7 days', {
			description: 'Approvals that wait longer are better handled by a scheduled workflow.',
		});
	}
	return ms;
}

/** The node's settings for this run, read once (item 0) before anything is sent. */
export function readSettings(ctx: IExecuteFunctions, now = Date.now()): ApprovalSettings {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const requestedBy = String(ctx.getNodeParameter('requestedBy', 0, '') ?? '').trim();
	return {
		onTimeout: oneOf<OnTimeout>(ctx, 'onTimeout', ['reject', 'approve']),
		onApproval: oneOf<OnApproval>(ctx, 'onApproval', ['send', 'keep']),
		onRejection: oneOf<OnRejection>(ctx, 'onRejection', ['label', 'delete']),
		allowEdits: options.allowEdits !== false,
		requireReviewer: options.requireReviewer === true,
		requireReason: options.requireReason !== false,
		requestedBy: requestedBy || ctx.getWorkflow().name || 'An n8n workflow',
		expiresAt: new Date(now + waitMilliseconds(ctx)).toISOString(),
	};
}

/**
 * While a draft is under review AgentMail must not send it: its own schedule
 * is suspended, or, with "approve on timeout", replaced by the expiry time so
 * that AgentMail sends it then even if n8n is down.
 */
export function heldSendAt(settings: ApprovalSettings, originalSendAt: string | null): string | null {
	if (settings.onTimeout !== 'approve') return null;
	if (settings.onApproval === 'keep' && originalSendAt && originalSendAt > settings.expiresAt) {
		return originalSendAt;
	}
	return settings.expiresAt;
}
