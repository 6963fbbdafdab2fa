/**
 * The harness's own start node, modelled on n8n-nodes-base's ManualTrigger v1
 * (packages/nodes-base/nodes/ManualTrigger/ManualTrigger.node.ts): no inputs, one
 * `main` output, a `trigger()` whose `manualTriggerFunction` emits the items.
 *
 * Difference to the real node: it emits the items passed to `runWorkflow({ items })`
 * (n8n's emits a single empty item, which is also what this one does when no
 * items are given). It is registered under n8n's own type name
 * `n8n-nodes-base.manualTrigger` so workflows exported from the n8n editor that
 * start with "When clicking 'Execute workflow'" run unchanged.
 */
import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';

/** executionId -> items the trigger must emit (set by runWorkflow right before the run). */
const pendingItems = new Map<string, IDataObject[]>();

export function setTriggerItems(executionId: string, items: IDataObject[]): void {
	pendingItems.set(executionId, items);
}

export function clearTriggerItems(executionId: string): void {
	pendingItems.delete(executionId);
}

export class HarnessManualTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		icon: 'fa:mouse-pointer',
		group: ['trigger'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n (harness: emits the given items)',
		eventTriggerDescription: '',
		maxNodes: 1,
		defaults: { name: "When clicking 'Execute workflow'", color: '#909298' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName:
					'This node is where the workflow execution starts (when you click the ‘test’ button on the canvas).',
				name: 'notice',
				type: 'notice',
				default: '',
			},
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const executionId = this.getExecutionId();
		const items = pendingItems.get(executionId) ?? [{}];
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray(items)]);
		};
		return { manualTriggerFunction };
	}
}
