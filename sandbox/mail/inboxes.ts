/** Inbox creation rules (AGENTMAIL_API.md §5). */
import { isDomain } from '../addresses';
import { nowIso } from '../clock';
import { apiError, invalidField } from '../errors';
import { newUsername } from '../ids';
import type { InboxRecord } from '../model';
import type { CreateInboxInput } from '../schemas';
import type { Store } from '../store';

export const DEFAULT_DOMAIN = 'agentmail.to';
const USERNAME = /^[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?$/;

/** Creates an inbox, or returns the existing one for a repeated `client_id`. */
export function createInbox(store: Store, input: CreateInboxInput): { inbox: InboxRecord; created: boolean } {
	if (input.client_id !== undefined) {
		const existing = [...store.inboxes.values()].find((inbox) => inbox.client_id === input.client_id);
		if (existing) return { inbox: existing, created: false };
	}
	const username = (input.username ?? newUsername()).toLowerCase();
	const domain = (input.domain ?? DEFAULT_DOMAIN).toLowerCase();
	if (!USERNAME.test(username)) {
		throw invalidField(['username'], 'username may hold a-z, 0-9, ".", "_", "+" and "-", starting and ending with a letter or digit');
	}
	if (!isDomain(domain)) throw invalidField(['domain'], `"${domain}" is not a domain name`);
	const email = `${username}@${domain}`;
	if (store.getInbox(email)) {
		throw apiError(403, `Inbox ${email} already exists`, {
			name: 'IsTakenError',
			code: 'resource_taken',
			fix: 'Choose another username, or use the existing inbox.',
		});
	}
	const now = nowIso();
	const inbox: InboxRecord = { inbox_id: email, email, pod_id: store.podId, created_at: now, updated_at: now };
	if (input.display_name !== undefined) inbox.display_name = input.display_name;
	if (input.client_id !== undefined) inbox.client_id = input.client_id;
	if (input.metadata !== undefined) inbox.metadata = input.metadata;
	store.putInbox(inbox);
	return { inbox, created: true };
}
