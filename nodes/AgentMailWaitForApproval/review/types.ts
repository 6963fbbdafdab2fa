import type { IDataObject } from 'n8n-workflow';

export type OnTimeout = 'reject' | 'approve';
export type OnApproval = 'send' | 'keep';
export type OnRejection = 'label' | 'delete';

/** What the node was configured with when it started waiting. */
export interface ApprovalSettings {
	onTimeout: OnTimeout;
	onApproval: OnApproval;
	onRejection: OnRejection;
	allowEdits: boolean;
	requireReviewer: boolean;
	requireReason: boolean;
	/** Shown to the reviewer: who or what asks for the approval. */
	requestedBy: string;
	/** When the approval expires (ISO). */
	expiresAt: string;
}

/** One draft under review: one per input item. */
export interface ReviewEntry {
	/** Index of the input item, for pairedItem. */
	itemIndex: number;
	inboxId: string;
	draftId: string;
	/** The draft's own send_at, suspended while it is under review. */
	originalSendAt: string | null;
	/** Set when the entry was decided without a review (allowlist). */
	decided?: DecidedItem;
}

/** Everything the webhook needs, saved while the execution waits. */
export interface ApprovalState {
	version: 1;
	/** Identifies this wait (execution, node, run) in the sends' Idempotency-Keys. */
	key: string;
	settings: ApprovalSettings;
	entries: ReviewEntry[];
}

export type DecisionStatus = 'approved' | 'rejected' | 'expired' | 'failed';
export type DecisionVia = 'form' | 'allowlist' | 'timeout';

export interface Decision {
	status: DecisionStatus;
	by: string | null;
	via: DecisionVia;
	at: string;
	reason: string | null;
	edited: boolean;
	changes: Record<string, { from: unknown; to: unknown }>;
}

/** An output item's json and the output it belongs on. */
export interface DecidedItem {
	output: 'approved' | 'rejected';
	json: IDataObject;
}

/** The fields a reviewer may edit. */
export const EDITABLE_FIELDS = ['subject', 'to', 'cc', 'bcc', 'text', 'html', 'send_at'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

export const PENDING_LABEL = 'pending-approval';
export const APPROVED_LABEL = 'approved';
export const REJECTED_LABEL = 'rejected';
