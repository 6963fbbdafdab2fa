/**
 * List enforcement (AGENTMAIL_API.md §4.2, §4.3). For each address the
 * narrowest scope with a matching entry decides (inbox, then organization);
 * broader scopes are not consulted. An address matched nowhere is rejected
 * when some scope's allow list is active (non-empty).
 */
import { apiError } from '../errors';
import type { Direction, ListEntryRecord } from '../model';
import { ORG_SCOPE } from '../model';
import type { Store } from '../store';
import { collectionPath, describeScope, entryPath, matchingEntry } from './lists';

export type Verdict =
	| { allowed: true }
	| { allowed: false; address: string; reason: 'blocked'; entry: ListEntryRecord }
	| { allowed: false; address: string; reason: 'not_allowed'; scope: string };

export type Rejection = Exclude<Verdict, { allowed: true }>;

/** Email entries are more specific than domain entries; on a tie, block wins. */
function specificity(entry: ListEntryRecord): number {
	return entry.entry_type === 'email' ? 2 : 1;
}

export function evaluate(store: Store, inboxId: string, direction: Direction, email: string): Verdict {
	const scopes = [inboxId.toLowerCase(), ORG_SCOPE];
	for (const scope of scopes) {
		const block = matchingEntry(store, scope, direction, 'block', email);
		const allow = matchingEntry(store, scope, direction, 'allow', email);
		if (block && (!allow || specificity(block) >= specificity(allow))) {
			return { allowed: false, address: email, reason: 'blocked', entry: block };
		}
		if (allow) return { allowed: true };
	}
	const activeAllow = scopes.find((scope) => store.listEntriesOf(scope, direction, 'allow').length > 0);
	if (activeAllow !== undefined) return { allowed: false, address: email, reason: 'not_allowed', scope: activeAllow };
	return { allowed: true };
}

function explain(rejection: Rejection): { message: string; fix: string } {
	if (rejection.reason === 'blocked') {
		const { entry } = rejection;
		const via = entry.entry_type === 'domain' ? ` (domain entry "${entry.entry}")` : '';
		return {
			message: `Recipient ${rejection.address} is on the send block list of ${describeScope(entry.scope)}${via}`,
			fix: `Remove the block entry "${entry.entry}" with DELETE ${entryPath(entry)}, or send to another recipient.`,
		};
	}
	return {
		message: `Recipient ${rejection.address} is not on the send allow list of ${describeScope(rejection.scope)}, which is active, so unlisted recipients are rejected`,
		fix: `Add the recipient (or its domain) with POST ${collectionPath(rejection.scope, 'send', 'allow')} {"entry":"${rejection.address}"}, or send to an allowed recipient.`,
	};
}

/** Throws 403 MessageRejectedError when any recipient is blocked by the send lists. Nothing is sent. */
export function enforceSendLists(store: Store, inboxId: string, emails: string[]): void {
	const rejections = emails
		.map((email) => evaluate(store, inboxId, 'send', email))
		.filter((verdict): verdict is Rejection => !verdict.allowed);
	if (rejections.length === 0) return;
	const { message, fix } = explain(rejections[0]);
	const others = rejections.slice(1).map((r) => r.address);
	const more = others.length ? ` (also rejected: ${others.join(', ')})` : '';
	throw apiError(403, `Message rejected: ${message}${more}. Nothing was sent.`, {
		name: 'MessageRejectedError',
		code: 'message_rejected',
		fix,
	});
}
