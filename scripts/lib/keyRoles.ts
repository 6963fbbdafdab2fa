/**
 * The two AgentMail keys of README "Keep the agent from sending": the agent's
 * key drafts but cannot send, the approver's key (used only by AgentMail Wait
 * for Approval) sends. Used by `npm start`, the tests and the e2e suite.
 */
import type { Permission } from '../../sandbox/permissions';

/** Everything the AgentMail node needs to read mail and draft replies; no draft_send, no message_send. */
export const AGENT_PERMISSIONS: readonly Permission[] = [
	'inbox_read',
	'message_read',
	'message_update',
	'draft_read',
	'draft_create',
	'draft_update',
	'draft_delete',
];

/** For an agent credential that also runs the AgentMail Trigger (it registers its webhook). */
export const TRIGGER_PERMISSIONS: readonly Permission[] = ['webhook_read', 'webhook_create', 'webhook_update', 'webhook_delete'];

/**
 * What Wait for Approval does: reads and holds the draft (draft_read,
 * draft_update; a held send time is a schedule, so draft_send), records the
 * decision as a draft (draft_create), emails the approvers (message_send),
 * sends or deletes the draft (draft_send, draft_delete), reads the sent
 * message (message_read), checks the allow list for "Skip Allowlisted"
 * (list_entry_read) and lists inboxes in its pickers (inbox_read).
 */
export const APPROVER_PERMISSIONS: readonly Permission[] = [
	'inbox_read',
	'message_read',
	'message_send',
	'draft_read',
	'draft_create',
	'draft_update',
	'draft_delete',
	'draft_send',
	'list_entry_read',
];

export const AGENT_CREDENTIAL_NAME = 'AgentMail agent (draft only)';
export const APPROVER_CREDENTIAL_NAME = 'AgentMail approver (can send)';
