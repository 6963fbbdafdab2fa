/**
 * The AI Agent's "Human review" tool variants, generated the way n8n 2.41
 * does it (packages/cli/src/tool-generation/hitl-tools.ts and node-types.ts
 * `getByNameAndVersion` for `…HitlTool` names): every node with webhooks, a
 * name not ending in `Tool` and an `operation` option `sendAndWait` gets a
 * `<name>HitlTool` twin whose properties are n8n's `message`, the operation
 * fixed to `sendAndWait` and the node's other properties; its execute() marks
 * the node's output as the agent's tool output (`rewireOutputLogTo`).
 */
import type { IExecuteFunctions, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { deepCopy, NodeConnectionTypes, SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

/** hitl-tools.ts `hasSendAndWaitOperation` */
export function hasSendAndWaitOperation(description: INodeTypeDescription): boolean {
	if (description.name.endsWith('Tool')) return false;
	if (!description.webhooks?.length) return false;
	return description.properties.some(
		(property) =>
			property.name === 'operation' &&
			Array.isArray(property.options) &&
			property.options.some((option) => typeof option === 'object' && 'value' in option && option.value === SEND_AND_WAIT_OPERATION),
	);
}

/** hitl-tools.ts `filterHitlToolProperties` (for nodes without a `resource`). */
function hitlProperties(properties: INodeProperties[]): INodeProperties[] {
	const filtered: INodeProperties[] = [
		{
			displayName: 'Message',
			name: 'message',
			type: 'string',
			default: '=The agent wants to run this tool: {{ $tool.name }}\n\nInput:\n{{ $tool.parameters }}',
			required: true,
			typeOptions: { rows: 3 },
		},
	];
	for (const property of properties) {
		if (property.name === 'message') continue;
		if (property.name === 'operation') {
			filtered.push({ displayName: 'Operation', name: 'operation', type: 'hidden', default: SEND_AND_WAIT_OPERATION });
			continue;
		}
		if (property.name === 'responseType') {
			filtered.push({ displayName: 'Response Type', name: 'responseType', type: 'hidden', default: 'approval' });
			continue;
		}
		filtered.push(deepCopy(property));
	}
	return filtered;
}

/** node-types.ts (clone by prototype) + hitl-tools.ts `convertNodeToHitlTool` */
export function hitlToolVariant(nodeType: INodeType): INodeType {
	const base = nodeType.description;
	const description: INodeTypeDescription = Object.create(base, {
		name: { value: `${base.name}HitlTool`, enumerable: true },
		subtitle: { value: 'Send and wait', enumerable: true },
		description: { value: 'Request human approval for tools', enumerable: true },
		defaults: { value: { ...base.defaults, name: base.displayName }, enumerable: true },
		inputs: { value: [{ displayName: 'Tool', type: NodeConnectionTypes.AiTool, required: true }], enumerable: true },
		outputs: {
			value: [
				{
					displayName: 'Human review',
					type: NodeConnectionTypes.AiTool,
					filter: { nodes: ['@n8n/n8n-nodes-langchain.agent', '@n8n/n8n-nodes-langchain.agentTool'] },
				},
			],
			enumerable: true,
		},
		properties: { value: hitlProperties(base.properties), enumerable: true },
	});
	const variant: INodeType = Object.create(nodeType, { description: { value: description } });
	const originalExecute = nodeType.execute;
	if (originalExecute) {
		variant.execute = async function (this: IExecuteFunctions) {
			const node = this.getNode();
			node.rewireOutputLogTo = NodeConnectionTypes.AiTool;
			return await originalExecute.call(this);
		};
	}
	return variant;
}
