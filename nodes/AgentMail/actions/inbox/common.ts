import { NodeOperationError, type IDataObject, type INode, type INodeProperties } from 'n8n-workflow';

import { textValue } from '../../../shared/helpers/values';

/** What every inbox operation outputs. */
export const inboxOutput = (inbox: IDataObject): IDataObject => ({
	inbox_id: inbox.inbox_id,
	email: inbox.email,
	result: inbox,
});

/** The name recipients see next to the address; it goes into the From header. */
export const displayNameField: INodeProperties = {
	displayName: 'Display Name',
	name: 'displayName',
	type: 'string',
	default: '',
	placeholder: 'Support Agent',
	description: 'Shown as the sender name, e.g. "Support Agent" before the address',
};

/** At most 256 characters, no line breaks (it becomes part of the From header). */
export function displayNameValue(node: INode, value: unknown, itemIndex: number): string {
	const name = textValue(node, 'Display Name', value, itemIndex, { header: true }).trim();
	if (name.length > 256) {
		throw new NodeOperationError(node, 'Display Name: at most 256 characters', { itemIndex });
	}
	return name;
}
