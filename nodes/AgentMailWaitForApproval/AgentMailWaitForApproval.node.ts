import {
	NodeConnectionTypes,
	SEND_AND_WAIT_OPERATION,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { draftLocator, inboxLocator } from '../shared/locators';
import { listSearch } from './methods';
import { prepareApproval } from './review/prepare';
import { handleReview } from './review/respond';

/**
 * The review page's GET and POST, on two URLs: the signed per-node link the
 * notification carries (`/webhook-waiting/<execution>/<node id>`, checked by
 * n8n's HMAC, and answered by n8n's own "no action required" page once the
 * execution is over, because the node's operation is `sendAndWait`) and the
 * plain `$execution.resumeUrl` that earlier nodes can post to Slack & co.
 * These are restart webhooks: n8n serves them only while this node waits and
 * registers nothing with a third party, so the node has no webhookMethods.
 */
const reviewWebhooks: IWebhookDescription[] = (['GET', 'POST'] as const).flatMap((httpMethod) =>
	['={{ $nodeId }}', ''].map((path) => ({
		name: 'default' as const,
		httpMethod,
		responseMode: 'onReceived',
		path,
		restartWebhook: true,
		isFullPath: true,
	})),
);

export class AgentMailWaitForApproval implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AgentMail Wait for Approval',
		name: 'agentMailWaitForApproval',
		icon: { light: 'file:../../icons/agentmailApproval.svg', dark: 'file:../../icons/agentmailApproval.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ "on approval: " + $parameter["onApproval"] }}',
		description:
			'Holds an AgentMail draft until a person approves, edits or rejects it on a review page, then continues on Approved or Rejected',
		defaults: { name: 'Wait for Approval' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Approved', 'Rejected'],
		credentials: [{ name: 'agentMailApi', required: true }],
		// Not an AI tool: it parks the whole execution until a person decides.
		usableAsTool: undefined,
		webhooks: reviewWebhooks,
		properties: [
			{
				displayName:
					'The review link is {{ $execution.resumeUrl }}. Anyone with the link can decide, so send it only to approvers. Opening it never decides anything; only the form\'s buttons do.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				// Marks the node as a send-and-wait node for n8n's waiting-webhook handling.
				displayName: 'Operation',
				name: 'operation',
				type: 'hidden',
				default: SEND_AND_WAIT_OPERATION,
			},
			inboxLocator,
			draftLocator,
			{
				displayName: 'Time Limit',
				name: 'limitAmount',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 24,
				description: 'How long to wait for a decision (at most 7 days)',
			},
			{
				displayName: 'Time Limit Unit',
				name: 'limitUnit',
				type: 'options',
				options: [
					{ name: 'Minutes', value: 'minutes' },
					{ name: 'Hours', value: 'hours' },
					{ name: 'Days', value: 'days' },
				],
				default: 'hours',
			},
			{
				displayName: 'On Timeout',
				name: 'onTimeout',
				type: 'options',
				options: [
					{
						name: 'Reject',
						value: 'reject',
						description: 'Nothing is sent; the item leaves on Rejected with decision.status "expired"',
					},
					{
						name: 'Approve',
						value: 'approve',
						description:
							'AgentMail sends the draft at the time limit (scheduled now, so it works even if n8n is down); the item leaves on Approved with decision.status "expired"',
					},
				],
				default: 'reject',
			},
			{
				displayName: 'On Approval',
				name: 'onApproval',
				type: 'options',
				options: [
					{ name: 'Send Now', value: 'send', description: 'Send the draft as soon as it is approved' },
					{
						name: 'Keep and Label "Approved"',
						value: 'keep',
						description: 'Keep the draft, with its scheduled send time if it has one',
					},
				],
				default: 'send',
			},
			{
				displayName: 'On Rejection',
				name: 'onRejection',
				type: 'options',
				options: [
					{ name: 'Keep and Label "Rejected"', value: 'label', description: 'The agent can see the outcome on the draft' },
					{ name: 'Delete the Draft', value: 'delete' },
				],
				default: 'label',
			},
			{
				displayName: 'Notify Approvers',
				name: 'notification',
				type: 'options',
				options: [
					{
						name: 'By Email (via AgentMail)',
						value: 'email',
						description: 'Email the review link, subject and recipients (never the body) to the approvers',
					},
					{
						name: 'No Notification',
						value: 'none',
						description: 'Send {{ $execution.resumeUrl }} yourself from an earlier node (Slack, Telegram, …)',
					},
				],
				default: 'email',
			},
			{
				displayName: 'Approvers',
				name: 'approvers',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'ops@example.com, lead@example.com',
				description: 'Who gets the review link, comma-separated',
				displayOptions: { show: { notification: ['email'] } },
			},
			{
				...inboxLocator,
				displayName: 'Send Notification From',
				name: 'notifyInbox',
				required: false,
				description: 'Inbox the notification is sent from; empty = the draft\'s inbox',
				displayOptions: { show: { notification: ['email'] } },
			},
			{
				displayName: 'Requested By',
				name: 'requestedBy',
				type: 'string',
				default: '={{ $workflow.name }}',
				description: 'Shown to approvers as who asks for the approval',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Allow Edits',
						name: 'allowEdits',
						type: 'boolean',
						default: true,
						description: 'Whether the reviewer may edit subject, recipients, bodies and send time before approving',
					},
					{
						displayName: 'Require Reason on Reject',
						name: 'requireReason',
						type: 'boolean',
						default: true,
						description: 'Whether a rejection needs a reason',
					},
					{
						displayName: 'Require Reviewer Name',
						name: 'requireReviewer',
						type: 'boolean',
						default: false,
						description: 'Whether the reviewer must enter their name or email address',
					},
					{
						displayName: 'Skip Review for Allowlisted Recipients',
						name: 'skipAllowlisted',
						type: 'boolean',
						default: false,
						description:
							'Whether to approve at once, without waiting, when every recipient is on the inbox\'s or organization\'s send allow list',
					},
				],
			},
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await prepareApproval.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleReview.call(this);
	}
}
