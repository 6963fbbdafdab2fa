import { NodeOperationError, type INode } from 'n8n-workflow';

import { textValue } from './values';

/** AgentMail's client_id charset and length (AGENTMAIL_API.md §7.4). */
const CLIENT_ID = /^[A-Za-z0-9._~-]{1,256}$/;

/** A typed Client ID, trimmed and checked; '' when none was given. */
export function clientIdValue(node: INode, value: unknown, itemIndex: number, field = 'Client ID'): string {
	const clientId = textValue(node, field, value, itemIndex).trim();
	if (clientId && !CLIENT_ID.test(clientId)) {
		throw new NodeOperationError(node, `${field} may hold only letters, digits and - . _ ~ (1–256)`, { itemIndex });
	}
	return clientId;
}
