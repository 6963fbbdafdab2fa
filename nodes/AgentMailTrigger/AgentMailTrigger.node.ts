import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type ILoadOptionsFunctions,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { apiPath, fetchAll } from '../shared/transport';
import { acceptEvent, RECENT_SVIX_IDS } from './trigger/accept';
import { firstTime, seen } from './trigger/dedupe';
import { enrichItem } from './trigger/enrich';
import { EVENT_OPTIONS, isEvent, type AgentMailEvent } from './trigger/events';
import { MAX_IDS, readSettings } from './trigger/settings';
import { verifySvix } from './trigger/svix';
import { handOver, takeOver } from './trigger/testHandoff';
import { checkExists, create, remove, webhookState } from './trigger/webhookLifecycle';
import { openEventStream } from './trigger/websocket';

/** Inboxes offered by the picker (first pages; more can be given by expression). */
const MAX_PICKER_INBOXES = 1000;

/** Whose recent ids a delivery is checked against: this node of this workflow. */
const dedupeScope = (ctx: IWebhookFunctions | ITriggerFunctions): string => `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`;

function reply(ctx: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	ctx.getResponseObject().status(status).json({ message });
	return { noWebhookResponse: true };
}

export class AgentMailTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AgentMail Trigger',
		name: 'agentMailTrigger',
		icon: { light: 'file:../../icons/agentmail.svg', dark: 'file:../../icons/agentmail.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when AgentMail receives mail or reports a delivery event',
		eventTriggerDescription: 'Waiting for an AgentMail event',
		activationMessage: 'AgentMail now sends the selected events to this workflow.',
		defaults: { name: 'AgentMail Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'agentMailApi', required: true }],
		// A trigger starts workflows; it is not a tool an AI agent calls.
		usableAsTool: undefined,
		webhooks: [
			{
				name: 'default',
				// No webhook at all in WebSocket mode (an empty method list registers none).
				httpMethod: '={{ $parameter["connection"] === "websocket" ? "" : "POST" }}',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName: 'Connection',
				name: 'connection',
				type: 'options',
				options: [
					{
						name: 'Webhook',
						value: 'webhook',
						description: 'AgentMail POSTs each event to this workflow (n8n needs a URL AgentMail can reach)',
					},
					{
						name: 'WebSocket',
						value: 'websocket',
						description: 'The connection goes out from n8n to AgentMail, so no public URL is needed',
					},
				],
				default: 'webhook',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: EVENT_OPTIONS,
				default: ['message.received'],
				required: true,
				description: 'The AgentMail events that start the workflow',
			},
			{
				displayName: 'Scope',
				name: 'scope',
				type: 'options',
				options: [
					{ name: 'Chosen Inboxes', value: 'inboxes', description: `Up to ${MAX_IDS} inboxes` },
					{ name: 'Pod', value: 'pod', description: 'Every inbox of one pod' },
					{ name: 'Organization', value: 'organization', description: 'Every inbox of the organization' },
				],
				default: 'inboxes',
				description: 'Whose events start the workflow; AgentMail filters them before sending',
			},
			{
				displayName: 'Inbox Names or IDs',
				name: 'inboxIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getInboxes' },
				default: [],
				required: true,
				description:
					'Up to 10 inboxes. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { scope: ['inboxes'] } },
			},
			{
				displayName: 'Pod ID',
				name: 'podId',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'pod_...',
				displayOptions: { show: { scope: ['pod'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Attachment Property Prefix',
						name: 'attachmentPrefix',
						type: 'string',
						default: 'attachment_',
						description: 'Binary property names of downloaded attachments: this prefix followed by the position, starting at 0',
						displayOptions: { show: { downloadAttachments: [true] } },
					},
					{
						displayName: 'Download Attachments',
						name: 'downloadAttachments',
						type: 'boolean',
						default: false,
						description:
							'Whether to put the attachments of received mail into binary properties (attachment_0, attachment_1 and so on) with their file names and MIME types',
					},
					{
						displayName: 'Fetch Full Message',
						name: 'fetchFullMessage',
						type: 'boolean',
						default: false,
						description:
							'Whether to get the message from AgentMail when the event left its text and HTML out (AgentMail does so for events over 1 MB)',
					},
					{
						displayName: 'Ignore Mail From Watched Inboxes',
						name: 'ignoreWatchedInboxes',
						type: 'boolean',
						default: true,
						description:
							'Whether mail sent by one of the chosen inboxes starts nothing, so an agent that replies does not trigger itself',
					},
					{
						displayName: 'Ignore Mail Sent by These Inboxes',
						name: 'ignoreSenders',
						type: 'string',
						default: '',
						placeholder: 'agent@agentmail.to, support@agentmail.to',
						description: 'Comma-separated addresses whose mail starts nothing (loop guard for other agents)',
					},
				],
			},
		],
	};

	methods = {
		loadOptions: {
			async getInboxes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const inboxes = await fetchAll(this, { path: apiPath('inboxes'), itemsKey: 'inboxes' }, MAX_PICKER_INBOXES);
				return inboxes.map((inbox) => ({
					name: inbox.display_name ? `${String(inbox.display_name)} <${String(inbox.inbox_id)}>` : String(inbox.inbox_id),
					value: String(inbox.inbox_id),
				}));
			},
		},
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await remove.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const state = webhookState(this);
		if (!state.secret) {
			return reply(this, 401, 'No AgentMail webhook secret is stored for this trigger; deactivate and activate the workflow');
		}
		const raw = req.rawBody;
		if (!Buffer.isBuffer(raw)) return reply(this, 401, 'No raw request body to verify');
		const verdict = verifySvix([state.secret], req.headers as IDataObject, raw);
		if (!verdict.ok) return reply(this, 401, `Invalid AgentMail signature: ${verdict.reason}`);

		const data = this.getWorkflowStaticData('node');
		const scope = dedupeScope(this);
		const svixId = String(req.headers['svix-id']);
		// Svix retries carry the same svix-id: answer 200 so it stops, start nothing.
		if (seen(data, scope, RECENT_SVIX_IDS, svixId)) return reply(this, 200, 'Duplicate delivery ignored');
		let event: unknown;
		try {
			event = JSON.parse(raw.toString('utf8'));
		} catch {
			return reply(this, 400, 'The body is not JSON');
		}
		firstTime(data, scope, RECENT_SVIX_IDS, svixId);
		if (!isEvent(event)) return reply(this, 200, 'Not an AgentMail event; ignored');
		const settings = readSettings(this);
		const item = acceptEvent(settings, data, scope, event);
		if (!item) return reply(this, 200, 'Event ignored (filtered or already processed)');
		const items = [await enrichItem(this, settings.enrich, item)];
		if (this.getMode() === 'manual') handOver(this.getWorkflow().id, this.getNode().name, items);
		return { workflowData: [items] };
	}

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		if (this.getNodeParameter('connection', 'webhook') !== 'websocket') {
			// Webhook mode: webhook() does the work. n8n still calls trigger(): when activating (nothing to
			// do) and, for a test webhook's manual execution, to get the start node's items (testHandoff.ts).
			if (this.getMode() !== 'manual') return {};
			const items = takeOver(this.getWorkflow().id, this.getNode().name);
			return { manualTriggerFunction: async () => this.emit([items]) };
		}
		const settings = readSettings(this);
		const data = this.getWorkflowStaticData('node');
		const scope = dedupeScope(this);
		const onEvent = (event: AgentMailEvent) => {
			const item = acceptEvent(settings, data, scope, event);
			if (!item) return;
			// `this.emit` is looked up per event: in manual mode n8n replaces it after trigger() returns.
			void enrichItem(this, settings.enrich, item).then((enriched) => this.emit([[enriched]]));
		};
		const stream = await openEventStream(this, settings, onEvent);
		return { closeFunction: async () => await stream.close() };
	}
}
