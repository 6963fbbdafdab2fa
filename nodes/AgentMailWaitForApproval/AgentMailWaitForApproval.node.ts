import {
	NodeConnectionTypes,
	SEND_AND_WAIT_OPERATION,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
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
import { prepareToolReview } from './review/toolCallPrepare';
import { handleToolReview } from './review/toolCallRespond';

/**
 * The Human review variant runs this node's code under the type name
 * `…agentMailWaitForApprovalHitlTool` (n8n's isHitlToolType, which older
 * n8n-workflow versions do not export).
 */
function isToolReview(nodeType: string): boolean {
	return nodeType.endsWith('HitlTool');
}

/** Shown only on the node itself (reviewing a draft), not on its Human review tool variant. */
const DRAFT_MODE = { '@tool': [false] };
/** Shown only on the `…HitlTool` variant n8n generates for the AI Agent's Human review. */
const TOOL_MODE = { '@tool': [true] };

const reviewerOptions: INodeProperties[] = [
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
];

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
		// Not a tool itself: n8n generates its Human review variant
		// (`agentMailWaitForApprovalHitlTool`) from the sendAndWait operation.
		usableAsTool: undefined,
		webhooks: reviewWebhooks,
		properties: [
			{
				displayName:
					'The review link is {{ $execution.resumeUrl }}. Anyone with the link can decide, so send it only to approvers. Opening it never decides anything; only the form\'s buttons do.',
				name: 'notice',
				type: 'notice',
				default: '',
				displayOptions: { show: DRAFT_MODE },
			},
			{
				displayName:
					'Approvers get an email with a review link showing the tool call (and the email, for AgentMail tools). Opening it never decides anything. Approve runs the tool with the agent\'s input; Reject tells the agent the reason.',
				name: 'toolNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: TOOL_MODE },
			},
			{
				// `sendAndWait` marks the node for n8n's waiting-webhook handling
				// (signed links, "no action required" once decided) and makes n8n
				// generate the AI Agent's Human review variant of it.
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Approve a Draft',
						value: SEND_AND_WAIT_OPERATION,
						action: 'Wait for approval of a draft',
						description: 'Hold an AgentMail draft until a person approves, edits or rejects it',
					},
				],
				default: SEND_AND_WAIT_OPERATION,
			},
			{ ...inboxLocator, displayOptions: { show: DRAFT_MODE } },
			{ ...draftLocator, displayOptions: { show: DRAFT_MODE } },
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
				displayOptions: { show: DRAFT_MODE },
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
				displayOptions: { show: DRAFT_MODE },
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
				displayOptions: { show: DRAFT_MODE },
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
				displayOptions: { show: DRAFT_MODE },
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
				displayOptions: { show: { ...DRAFT_MODE, notification: ['email'] } },
			},
			{
				displayName: 'Approvers',
				name: 'approvers',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'ops@example.com, lead@example.com',
				description: 'Who gets the review link, comma-separated',
				displayOptions: { show: TOOL_MODE },
			},
			{
				...inboxLocator,
				displayName: 'Send Notification From',
				name: 'notifyInbox',
				required: false,
				description: 'Inbox the notification is sent from; empty = the draft\'s inbox',
				displayOptions: { show: { ...DRAFT_MODE, notification: ['email'] } },
			},
			{
				...inboxLocator,
				displayName: 'Send Notification From',
				name: 'notifyInbox',
				description: 'Inbox that emails the review link to the approvers; it also keeps the decision record',
				displayOptions: { show: TOOL_MODE },
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
				displayOptions: { show: DRAFT_MODE },
				options: [
					{
						displayName: 'Allow Edits',
						name: 'allowEdits',
						type: 'boolean',
						default: true,
						description: 'Whether the reviewer may edit subject, recipients, bodies and send time before approving',
					},
					...reviewerOptions,
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
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: TOOL_MODE },
				options: reviewerOptions,
			},
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (isToolReview(this.getNode().type)) return await prepareToolReview.call(this);
		return await prepareApproval.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (isToolReview(this.getNode().type)) return await handleToolReview.call(this);
		return await handleReview.call(this);
	}
}
