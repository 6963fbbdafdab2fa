/**
 * The operations of the AgentMail node, run by a real n8n 2.41.1 (the
 * packed package installed as a community package) in webhook-triggered
 * workflows against the AgentMail sandbox. Each test reads the execution
 * back through n8n's public API (with data) and checks both the node outputs
 * and what the sandbox holds afterwards.
 *
 *   drafts:    create -> update -> get -> list -> list org -> send; create (scheduled) -> delete
 *   messages:  get (inbound) -> reply -> label; send -> get -> list
 *   allowlist: add/get/list at organization and inbox scope; remove
 *   conversations: thread list/get/label; message get attachment (binary) and forward; reply draft;
 *              inbox create -> update -> get -> delete, inbox list
 *   errors:    an invalid address fails before any request; a send refused by a block list
 */
import {
	N8nApi,
	agentMailSandbox,
	createAgentMailCredential,
	executionError,
	nodeOutput,
	type Credential,
	type Execution,
} from './helpers';
import {
	clearSandboxRequests,
	inboxPath,
	resetSandbox,
	sandboxApi,
	sandboxDraft,
	sandboxInbound,
	sandboxOutbox,
	sandboxRequests,
} from './helpers/sandboxAdmin';
import {
	agentMailNode,
	chain,
	connect,
	createWebhookWorkflow,
	layout,
	nodeError,
	ranNodes,
	sandboxInbox,
} from './helpers/workflows';

const api = N8nApi.fromE2eState();
let credential: Credential;
const workflows: string[] = [];

beforeAll(async () => {
	await resetSandbox();
	credential = await createAgentMailCredential(api);
});

afterAll(async () => {
	for (const id of workflows) await api.deleteWorkflow(id).catch(() => undefined);
	if (credential) await api.deleteCredential(credential.id).catch(() => undefined);
});

function one(execution: Execution, node: string): Record<string, unknown> {
	const items = nodeOutput(execution, node);
	expect(items).toHaveLength(1);
	return items[0];
}

describe('AgentMail drafts in a real n8n', () => {
	let execution: Execution;
	const inbox = () => agentMailSandbox().inboxId;
	const input = {
		to: 'Customer One <customer@example.com>',
		cc: 'billing@example.com',
		bcc: 'audit@example.com',
		subject: 'Your order #1042',
		text: 'Hi! Your order has shipped.',
		html: '<p>Hi! Your order has <b>shipped</b>.</p>',
		label: `e2e-run-${Date.now().toString(36)}`,
		sendAt: new Date(Date.now() + 3600_000).toISOString(),
	};

	beforeAll(async () => {
		const wf = await createWebhookWorkflow(api, 'e2e drafts', (webhook) => ({
			nodes: layout([
				webhook,
				agentMailNode('Create Draft', credential, {
					resource: 'draft',
					operation: 'create',
					inboxId: sandboxInbox(),
					to: '={{ $json.body.to }}',
					subject: '={{ $json.body.subject }}',
					text: '={{ $json.body.text }}',
					additionalFields: {
						cc: '={{ $json.body.cc }}',
						bcc: '={{ $json.body.bcc }}',
						html: '={{ $json.body.html }}',
						labels: '={{ $json.body.label }}, needs-review',
					},
				}),
				agentMailNode('Update Draft', credential, {
					resource: 'draft',
					operation: 'update',
					inboxId: sandboxInbox(),
					draftId: { __rl: true, mode: 'id', value: '={{ $json.draft_id }}' },
					updateFields: {
						subject: "={{ $('Webhook').item.json.body.subject }} has shipped",
						addLabels: 'reviewed',
						removeLabels: 'needs-review',
					},
				}),
				agentMailNode('Get Draft', credential, {
					resource: 'draft',
					operation: 'get',
					inboxId: sandboxInbox(),
					draftId: { __rl: true, mode: 'id', value: '={{ $json.draft_id }}' },
				}),
				agentMailNode('List Drafts', credential, {
					resource: 'draft',
					operation: 'list',
					inboxId: sandboxInbox(),
					returnAll: false,
					limit: 10,
					filters: { labels: "={{ $('Webhook').item.json.body.label }}" },
					options: {},
				}),
				agentMailNode('List Org Drafts', credential, {
					resource: 'draft',
					operation: 'listOrg',
					returnAll: true,
					filters: { labels: "={{ $('Webhook').item.json.body.label }}, reviewed" },
					options: { singleItem: true },
				}),
				agentMailNode('Send Draft', credential, {
					resource: 'draft',
					operation: 'send',
					inboxId: sandboxInbox(),
					draftId: { __rl: true, mode: 'id', value: "={{ $('Create Draft').item.json.draft_id }}" },
					options: { addLabels: 'sent-by-n8n' },
				}),
				agentMailNode('Create Scheduled Draft', credential, {
					resource: 'draft',
					operation: 'create',
					inboxId: sandboxInbox(),
					to: 'later@example.com',
					subject: 'Scheduled, then cancelled',
					text: 'This must never be sent.',
					additionalFields: { sendAt: '={{ $json.body.sendAt }}' },
				}),
				agentMailNode('Delete Draft', credential, {
					resource: 'draft',
					operation: 'delete',
					inboxId: sandboxInbox(),
					draftId: { __rl: true, mode: 'id', value: '={{ $json.draft_id }}' },
				}),
			]),
			connections: connect([
				...chain('Webhook', 'Create Draft', 'Update Draft', 'Get Draft', 'List Drafts', 'List Org Drafts', 'Send Draft'),
				...chain('Webhook', 'Create Scheduled Draft', 'Delete Draft'),
			]),
		}));
		workflows.push(wf.workflow.id);
		await clearSandboxRequests();
		({ execution } = await wf.run(input, 'success'));
	});

	it('runs every draft operation in one execution', () => {
		expect(execution.status).toBe('success');
		expect(ranNodes(execution).sort()).toEqual(
			[
				'Webhook',
				'Create Draft',
				'Update Draft',
				'Get Draft',
				'List Drafts',
				'List Org Drafts',
				'Send Draft',
				'Create Scheduled Draft',
				'Delete Draft',
			].sort(),
		);
	});

	it('create: returns draft_id, an empty send_status and the stored draft', () => {
		const created = one(execution, 'Create Draft');
		expect(created.draft_id).toEqual(expect.any(String));
		expect(created.send_status).toBe('');
		expect(created.result).toMatchObject({
			draft_id: created.draft_id,
			inbox_id: inbox(),
			to: [input.to],
			cc: [input.cc],
			bcc: [input.bcc],
			subject: input.subject,
			text: input.text,
			html: input.html,
			labels: expect.arrayContaining([input.label, 'needs-review']),
		});
	});

	it('create with Send At: schedules the draft (send_status "scheduled")', () => {
		const scheduled = one(execution, 'Create Scheduled Draft');
		expect(scheduled.send_status).toBe('scheduled');
		expect((scheduled.result as { send_at: string }).send_at).toBe(input.sendAt);
		expect((scheduled.result as { labels: string[] }).labels).toContain('scheduled');
	});

	it('update: sends only the added fields and returns the changed draft', async () => {
		const created = one(execution, 'Create Draft');
		const updated = one(execution, 'Update Draft');
		expect(updated.draft_id).toBe(created.draft_id);
		const result = updated.result as { subject: string; labels: string[]; text: string; to: string[] };
		expect(result.subject).toBe(`${input.subject} has shipped`);
		expect(result.labels).toEqual(expect.arrayContaining([input.label, 'reviewed']));
		expect(result.labels).not.toContain('needs-review');
		// Untouched fields stay as they were.
		expect(result.text).toBe(input.text);
		expect(result.to).toEqual([input.to]);
		const patches = (await sandboxRequests()).filter((r) => r.method === 'PATCH' && r.decoded_path.includes(String(created.draft_id)));
		expect(patches).toHaveLength(1);
		expect(patches[0].body).toEqual({
			subject: `${input.subject} has shipped`,
			add_labels: ['reviewed'],
			remove_labels: ['needs-review'],
		});
	});

	it('get: returns subject, send_status, send_at and the full draft', () => {
		const got = one(execution, 'Get Draft');
		expect(got).toMatchObject({
			draft_id: one(execution, 'Create Draft').draft_id,
			subject: `${input.subject} has shipped`,
			send_status: '',
			send_at: null,
		});
		expect(got.result).toMatchObject({ text: input.text, html: input.html, cc: [input.cc], bcc: [input.bcc] });
	});

	it('list: one item per draft summary, filtered by label', () => {
		const listed = nodeOutput(execution, 'List Drafts');
		expect(listed).toHaveLength(1);
		expect(listed[0]).toMatchObject({
			draft_id: one(execution, 'Create Draft').draft_id,
			inbox_id: inbox(),
			subject: `${input.subject} has shipped`,
			labels: expect.arrayContaining([input.label, 'reviewed']),
		});
		// A summary has no body.
		expect(listed[0]).not.toHaveProperty('text');
	});

	it('list org drafts: with "Output a Single Item", one page item with count and next_page_token', () => {
		const page = one(execution, 'List Org Drafts') as { drafts: Array<Record<string, unknown>>; count: number; next_page_token: unknown };
		expect(page.count).toBe(1);
		expect(page.next_page_token).toBeNull();
		expect(page.drafts).toHaveLength(1);
		expect(page.drafts[0]).toMatchObject({ draft_id: one(execution, 'Create Draft').draft_id, inbox_id: inbox() });
	});

	it('send: sends the updated draft once; AgentMail deletes the draft', async () => {
		const draftId = String(one(execution, 'Create Draft').draft_id);
		const sent = one(execution, 'Send Draft');
		expect(sent).toMatchObject({ draft_id: draftId, message_id: expect.stringMatching(/^<.+@.+>$/), thread_id: expect.any(String) });
		const outbox = await sandboxOutbox();
		expect(outbox).toHaveLength(1);
		expect(outbox[0]).toMatchObject({
			via: 'draft',
			draft_id: draftId,
			message_id: sent.message_id,
			thread_id: sent.thread_id,
			to: [input.to],
			cc: [input.cc],
			bcc: [input.bcc],
			subject: `${input.subject} has shipped`,
			text: input.text,
			html: input.html,
		});
		expect(outbox[0].labels).toEqual(expect.arrayContaining(['sent', 'sent-by-n8n', 'reviewed']));
		expect(outbox[0].idempotency_key).toEqual(expect.any(String));
		expect((await sandboxDraft(draftId)).status).toBe(404);
	});

	it('delete: removes the scheduled draft, so it is never sent', async () => {
		const scheduledId = String(one(execution, 'Create Scheduled Draft').draft_id);
		expect(one(execution, 'Delete Draft')).toEqual({ draft_id: scheduledId, success: true });
		expect((await sandboxDraft(scheduledId)).status).toBe(404);
		const remaining = await sandboxApi<{ drafts: unknown[] }>('GET', `${inboxPath()}/drafts`);
		expect(remaining.data.drafts).toEqual([]);
		expect((await sandboxOutbox()).map((m) => m.subject)).not.toContain('Scheduled, then cancelled');
	});
});

describe('AgentMail messages in a real n8n', () => {
	let execution: Execution;
	let inbound: Record<string, unknown>;
	let outboxBefore: number;
	const input = {
		to: 'customer@example.com',
		cc: 'Support Lead <lead@example.com>',
		subject: 'Your refund',
		text: 'We have refunded $42.',
		html: '<p>We have refunded <b>$42</b>.</p>',
		replyTo: 'support@example.com',
		label: `e2e-out-${Date.now().toString(36)}`,
	};

	beforeAll(async () => {
		inbound = await sandboxInbound({
			from: 'Customer <customer@example.com>',
			subject: 'Where is my order?',
			text: 'Hello, order 1042 has not arrived yet.',
		});
		outboxBefore = (await sandboxOutbox()).length;
		const wf = await createWebhookWorkflow(api, 'e2e messages', (webhook) => ({
			nodes: layout([
				webhook,
				agentMailNode('Get Inbound', credential, {
					resource: 'message',
					operation: 'get',
					inboxId: sandboxInbox(),
					messageId: '={{ $json.body.inboundId }}',
				}),
				agentMailNode('Reply', credential, {
					resource: 'message',
					operation: 'reply',
					inboxId: sandboxInbox(),
					messageId: '={{ $json.message_id }}',
					replyAll: false,
					text: 'Sorry for the delay: it ships today.',
					additionalFields: { labels: 'e2e-reply' },
				}),
				agentMailNode('Label Inbound', credential, {
					resource: 'message',
					operation: 'label',
					inboxId: sandboxInbox(),
					messageId: "={{ $('Get Inbound').item.json.message_id }}",
					addLabels: 'answered',
					removeLabels: 'unread',
				}),
				agentMailNode('Send Message', credential, {
					resource: 'message',
					operation: 'send',
					inboxId: sandboxInbox(),
					to: "={{ $('Webhook').item.json.body.to }}",
					subject: "={{ $('Webhook').item.json.body.subject }}",
					text: "={{ $('Webhook').item.json.body.text }}",
					additionalFields: {
						cc: "={{ $('Webhook').item.json.body.cc }}",
						html: "={{ $('Webhook').item.json.body.html }}",
						replyTo: "={{ $('Webhook').item.json.body.replyTo }}",
						labels: "={{ $('Webhook').item.json.body.label }}",
						headers: { header: [{ name: 'X-Ticket-ID', value: 'T-1042' }] },
					},
				}),
				agentMailNode('Get Sent', credential, {
					resource: 'message',
					operation: 'get',
					inboxId: sandboxInbox(),
					messageId: '={{ $json.message_id }}',
				}),
				agentMailNode('List Messages', credential, {
					resource: 'message',
					operation: 'list',
					inboxId: sandboxInbox(),
					returnAll: true,
					filters: { labels: "={{ $('Webhook').item.json.body.label }}" },
					options: {},
				}),
			]),
			connections: connect(chain('Webhook', 'Get Inbound', 'Reply', 'Label Inbound', 'Send Message', 'Get Sent', 'List Messages')),
		}));
		workflows.push(wf.workflow.id);
		({ execution } = await wf.run({ ...input, inboundId: inbound.message_id }, 'success'));
	});

	it('get: returns the inbound message with its body', () => {
		const got = one(execution, 'Get Inbound');
		expect(got).toMatchObject({ message_id: inbound.message_id, thread_id: inbound.thread_id });
		expect(got.result).toMatchObject({
			from: 'Customer <customer@example.com>',
			subject: 'Where is my order?',
			text: 'Hello, order 1042 has not arrived yet.',
			labels: expect.arrayContaining(['received', 'unread']),
		});
	});

	it('reply: answers the sender in the same thread', async () => {
		const reply = one(execution, 'Reply');
		expect(reply.message_id).toEqual(expect.stringMatching(/^<.+>$/));
		expect(reply.thread_id).toBe(inbound.thread_id);
		const sent = (await sandboxOutbox()).find((m) => m.message_id === reply.message_id);
		expect(sent).toMatchObject({
			via: 'reply',
			to: ['Customer <customer@example.com>'],
			in_reply_to: inbound.message_id,
			subject: 'Re: Where is my order?',
			text: 'Sorry for the delay: it ships today.',
		});
		expect(sent?.labels).toEqual(expect.arrayContaining(['sent', 'e2e-reply']));
	});

	it('label: adds and removes labels on the inbound message', async () => {
		const labelled = one(execution, 'Label Inbound');
		expect(labelled.message_id).toBe(inbound.message_id);
		expect(labelled.labels).toEqual(expect.arrayContaining(['received', 'answered']));
		expect(labelled.labels).not.toContain('unread');
		const stored = await sandboxApi<{ labels: string[] }>(
			'GET',
			`${inboxPath()}/messages/${encodeURIComponent(String(inbound.message_id))}`,
		);
		expect(stored.data.labels).toEqual(expect.arrayContaining(['received', 'answered']));
		expect(stored.data.labels).not.toContain('unread');
	});

	it('send: sends a new message with cc, reply-to, html, labels and custom headers', async () => {
		const sent = one(execution, 'Send Message');
		expect(sent.message_id).toEqual(expect.stringMatching(/^<.+>$/));
		expect(sent.thread_id).not.toBe(inbound.thread_id);
		const outbox = await sandboxOutbox();
		// Exactly the reply and this message were sent by this workflow.
		expect(outbox).toHaveLength(outboxBefore + 2);
		expect(outbox.find((m) => m.message_id === sent.message_id)).toMatchObject({
			via: 'send',
			to: [input.to],
			cc: [input.cc],
			reply_to: [input.replyTo],
			subject: input.subject,
			text: input.text,
			html: input.html,
			headers: { 'X-Ticket-ID': 'T-1042' },
			labels: expect.arrayContaining(['sent', input.label]),
			idempotency_key: expect.any(String),
		});
	});

	it('get: reads the sent message back with its bodies', () => {
		const got = one(execution, 'Get Sent');
		expect(got.message_id).toBe(one(execution, 'Send Message').message_id);
		expect(got.result).toMatchObject({ subject: input.subject, text: input.text, html: input.html, to: [input.to] });
	});

	it('list: one item per message summary, filtered by label', () => {
		const listed = nodeOutput(execution, 'List Messages');
		expect(listed).toHaveLength(1);
		expect(listed[0]).toMatchObject({
			message_id: one(execution, 'Send Message').message_id,
			subject: input.subject,
			labels: expect.arrayContaining([input.label]),
		});
		expect(listed[0]).not.toHaveProperty('text');
	});
});

describe('AgentMail threads, inboxes, attachments and forwards in a real n8n', () => {
	let execution: Execution;
	let inbound: Record<string, unknown>;
	const pdf = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));
	const username = `e2e-${Date.now().toString(36)}`;

	beforeAll(async () => {
		inbound = await sandboxInbound({
			from: 'Customer <customer@example.com>',
			subject: 'Invoice question',
			text: 'Please check the attached invoice.',
			attachments: [{ filename: 'invoice.pdf', content_type: 'application/pdf', content: pdf.toString('base64') }],
		});
		const wf = await createWebhookWorkflow(api, 'e2e conversations', (webhook) => ({
			nodes: layout([
				webhook,
				agentMailNode('Get Thread', credential, {
					resource: 'thread',
					operation: 'get',
					inboxId: sandboxInbox(),
					threadId: { __rl: true, mode: 'id', value: '={{ $json.body.threadId }}' },
				}),
				agentMailNode('Label Thread', credential, {
					resource: 'thread',
					operation: 'updateLabels',
					inboxId: sandboxInbox(),
					threadId: { __rl: true, mode: 'id', value: '={{ $json.thread_id }}' },
					addLabels: 'e2e-thread',
				}),
				agentMailNode('Get Attachments', credential, {
					resource: 'message',
					operation: 'getAttachment',
					inboxId: sandboxInbox(),
					messageId: "={{ $('Webhook').item.json.body.messageId }}",
					attachmentMode: 'all',
				}),
				agentMailNode('Reply Draft', credential, {
					resource: 'draft',
					operation: 'createReply',
					inboxId: sandboxInbox(),
					messageId: "={{ $('Webhook').item.json.body.messageId }}",
					text: 'We are checking the invoice.',
				}),
				agentMailNode('Forward', credential, {
					resource: 'message',
					operation: 'forward',
					inboxId: sandboxInbox(),
					messageId: "={{ $('Webhook').item.json.body.messageId }}",
					to: 'accounting@example.com',
					text: 'Can you check this?',
				}),
				agentMailNode('List Threads', credential, {
					resource: 'thread',
					operation: 'list',
					scope: 'organization',
					returnAll: true,
					filters: { labels: 'e2e-thread' },
					options: {},
				}),
				agentMailNode('Create Inbox', credential, {
					resource: 'inbox',
					operation: 'create',
					username: '={{ $json.body.username }}',
					displayName: 'E2E Inbox',
				}),
				agentMailNode('Update Inbox', credential, {
					resource: 'inbox',
					operation: 'update',
					inboxId: { __rl: true, mode: 'id', value: '={{ $json.inbox_id }}' },
					displayName: 'E2E Inbox Renamed',
				}),
				agentMailNode('Delete Inbox', credential, {
					resource: 'inbox',
					operation: 'delete',
					inboxId: { __rl: true, mode: 'id', value: '={{ $json.inbox_id }}' },
				}),
			]),
			connections: connect([
				...chain('Webhook', 'Get Thread', 'Label Thread', 'Get Attachments', 'Reply Draft', 'Forward', 'List Threads'),
				...chain('Webhook', 'Create Inbox', 'Update Inbox', 'Delete Inbox'),
			]),
		}));
		workflows.push(wf.workflow.id);
		({ execution } = await wf.run({ threadId: inbound.thread_id, messageId: inbound.message_id, username }, 'success'));
	});

	it('thread get and update labels: the conversation with its messages; the label lands on them', async () => {
		expect(one(execution, 'Get Thread')).toMatchObject({
			thread_id: inbound.thread_id,
			message_count: 1,
			subject: 'Invoice question',
			result: { messages: [expect.objectContaining({ message_id: inbound.message_id, text: 'Please check the attached invoice.' })] },
		});
		expect(one(execution, 'Label Thread').labels).toEqual(expect.arrayContaining(['e2e-thread', 'received']));
		const listed = nodeOutput(execution, 'List Threads');
		expect(listed.map((t) => t.thread_id)).toContain(inbound.thread_id);
	});

	it('get attachment: the file as n8n binary data with its name, MIME type and size', () => {
		const run = execution.data?.resultData.runData['Get Attachments'][0];
		const item = run?.data?.main?.[0]?.[0] as { json: Record<string, unknown>; binary?: Record<string, Record<string, unknown>> };
		expect(item.json.attachments).toEqual([expect.objectContaining({ binary_property: 'attachment_0', filename: 'invoice.pdf', size: pdf.length })]);
		expect(item.binary?.attachment_0).toMatchObject({ fileName: 'invoice.pdf', mimeType: 'application/pdf' });
		// Not base64 in the execution data: n8n's binary data store holds it.
		expect(String(item.binary?.attachment_0.data ?? '').length).toBeLessThan(pdf.length);
	});

	it('reply draft and forward: a draft in the thread (nothing sent for it) and one forward sent', async () => {
		const draft = one(execution, 'Reply Draft');
		expect(draft.result).toMatchObject({ in_reply_to: inbound.message_id, subject: 'Re: Invoice question', to: ['Customer <customer@example.com>'] });
		const forward = one(execution, 'Forward');
		const outbox = await sandboxOutbox();
		const sent = outbox.filter((m) => m.in_reply_to === inbound.message_id);
		expect(sent.map((m) => m.via)).toEqual(['forward']);
		expect(sent[0]).toMatchObject({ message_id: forward.message_id, to: ['accounting@example.com'], subject: 'Fwd: Invoice question' });
		expect((sent[0].attachments as Array<{ filename: string }>).map((a) => a.filename)).toEqual(['invoice.pdf']);
	});

	it('inbox create -> update -> delete', async () => {
		expect(one(execution, 'Create Inbox')).toMatchObject({ inbox_id: `${username}@agentmail.to`, result: { display_name: 'E2E Inbox' } });
		expect(one(execution, 'Update Inbox').result).toMatchObject({ display_name: 'E2E Inbox Renamed' });
		expect(one(execution, 'Delete Inbox')).toEqual({ inbox_id: `${username}@agentmail.to`, email: `${username}@agentmail.to`, success: true });
		expect((await sandboxApi('GET', `/inboxes/${encodeURIComponent(`${username}@agentmail.to`)}`)).status).toBe(404);
	});
});

describe('AgentMail allow and block lists in a real n8n', () => {
	const domain = 'spam-sender.example';
	const blocked = 'blocked@example.com';
	let added: Execution;

	const orgEntry = { scope: 'organization', direction: 'receive', listType: 'block' };
	const inboxEntry = { scope: 'inbox', inboxId: sandboxInbox(), direction: 'send', listType: 'block' };

	beforeAll(async () => {
		const wf = await createWebhookWorkflow(api, 'e2e allowlist add', (webhook) => ({
			nodes: layout([
				webhook,
				agentMailNode('Block Domain (org)', credential, {
					resource: 'allowlist',
					operation: 'add',
					...orgEntry,
					entry: '={{ $json.body.domain }}',
					reason: 'Sends spam',
				}),
				agentMailNode('Block Recipient (inbox)', credential, {
					resource: 'allowlist',
					operation: 'add',
					...inboxEntry,
					// Upper case on purpose: entries are stored lower-cased.
					entry: "={{ $('Webhook').item.json.body.blocked.toUpperCase() }}",
					reason: 'Asked not to be contacted',
				}),
				agentMailNode('Get Org Entry', credential, {
					resource: 'allowlist',
					operation: 'get',
					...orgEntry,
					entry: "={{ $('Webhook').item.json.body.domain }}",
				}),
				agentMailNode('Get Inbox Entry', credential, {
					resource: 'allowlist',
					operation: 'get',
					...inboxEntry,
					entry: "={{ $('Webhook').item.json.body.blocked }}",
				}),
				agentMailNode('List Org Entries', credential, {
					resource: 'allowlist',
					operation: 'list',
					...orgEntry,
					returnAll: true,
				}),
				agentMailNode(
					'List Inbox Entries',
					credential,
					{ resource: 'allowlist', operation: 'list', ...inboxEntry, returnAll: false, limit: 10 },
					{ executeOnce: true },
				),
			]),
			connections: connect(
				chain(
					'Webhook',
					'Block Domain (org)',
					'Block Recipient (inbox)',
					'Get Org Entry',
					'Get Inbox Entry',
					'List Org Entries',
					'List Inbox Entries',
				),
			),
		}));
		workflows.push(wf.workflow.id);
		({ execution: added } = await wf.run({ domain, blocked }, 'success'));
	});

	it('add: creates an organization entry and an inbox entry (lower-cased)', async () => {
		expect(one(added, 'Block Domain (org)')).toMatchObject({
			entry: domain,
			direction: 'receive',
			list_type: 'block',
			entry_type: 'domain',
			result: { reason: 'Sends spam' },
		});
		expect(one(added, 'Block Recipient (inbox)')).toMatchObject({
			entry: blocked,
			direction: 'send',
			list_type: 'block',
			entry_type: 'email',
			result: { reason: 'Asked not to be contacted', inbox_id: agentMailSandbox().inboxId },
		});
		const org = await sandboxApi<{ entries: Array<{ entry: string }> }>('GET', '/lists/receive/block');
		expect(org.data.entries.map((e) => e.entry)).toEqual([domain]);
		const inInbox = await sandboxApi<{ entries: Array<{ entry: string }> }>('GET', `${inboxPath()}/lists/send/block`);
		expect(inInbox.data.entries.map((e) => e.entry)).toEqual([blocked]);
	});

	it('get: reads each entry back at its scope', () => {
		expect(one(added, 'Get Org Entry')).toMatchObject({ entry: domain, direction: 'receive', list_type: 'block', entry_type: 'domain' });
		expect(one(added, 'Get Inbox Entry')).toMatchObject({ entry: blocked, direction: 'send', list_type: 'block', entry_type: 'email' });
	});

	it('list: one item per entry of the chosen list', () => {
		expect(nodeOutput(added, 'List Org Entries')).toEqual([
			expect.objectContaining({ entry: domain, list_type: 'block', direction: 'receive' }),
		]);
		expect(nodeOutput(added, 'List Inbox Entries')).toEqual([
			expect.objectContaining({ entry: blocked, list_type: 'block', direction: 'send' }),
		]);
	});

	describe('errors show in the execution', () => {
		let send: Awaited<ReturnType<typeof createWebhookWorkflow>>;

		beforeAll(async () => {
			send = await createWebhookWorkflow(api, 'e2e send errors', (webhook) => ({
				nodes: layout([
					webhook,
					agentMailNode('Send Message', credential, {
						resource: 'message',
						operation: 'send',
						inboxId: sandboxInbox(),
						to: '={{ $json.body.to }}',
						subject: 'Hello',
						text: 'Hello there',
						additionalFields: {},
					}),
				]),
				connections: connect(chain('Webhook', 'Send Message')),
			}));
			workflows.push(send.workflow.id);
		});

		it('an invalid address fails the node before any request is made', async () => {
			await clearSandboxRequests();
			const outboxBefore = (await sandboxOutbox()).length;
			const { execution } = await send.run({ to: 'not-an-address' }, 'error');
			expect(executionError(execution)).toBe('To: "not-an-address" is not a valid email address');
			expect(nodeError(execution, 'Send Message')).toMatchObject({
				message: 'To: "not-an-address" is not a valid email address',
				description: 'Use user@example.com or Name <user@example.com>, separated by commas.',
			});
			expect(await sandboxRequests()).toEqual([]);
			expect(await sandboxOutbox()).toHaveLength(outboxBefore);
		});

		it("a recipient on the inbox's block list: AgentMail's 403 message_rejected, nothing sent", async () => {
			const outboxBefore = (await sandboxOutbox()).length;
			const { execution } = await send.run({ to: blocked }, 'error');
			const error = nodeError(execution, 'Send Message');
			expect(error?.message).toMatch(/403/);
			expect(error?.message).toMatch(/message_rejected/);
			expect(`${error?.message} ${String(error?.description)}`).toContain(blocked);
			expect(await sandboxOutbox()).toHaveLength(outboxBefore);
		});
	});

	it('remove: deletes both entries', async () => {
		const wf = await createWebhookWorkflow(api, 'e2e allowlist remove', (webhook) => ({
			nodes: layout([
				webhook,
				agentMailNode('Unblock Domain (org)', credential, {
					resource: 'allowlist',
					operation: 'remove',
					...orgEntry,
					entry: '={{ $json.body.domain }}',
				}),
				agentMailNode('Unblock Recipient (inbox)', credential, {
					resource: 'allowlist',
					operation: 'remove',
					...inboxEntry,
					entry: "={{ $('Webhook').item.json.body.blocked }}",
				}),
			]),
			connections: connect(chain('Webhook', 'Unblock Domain (org)', 'Unblock Recipient (inbox)')),
		}));
		workflows.push(wf.workflow.id);
		const { execution } = await wf.run({ domain, blocked }, 'success');
		expect(one(execution, 'Unblock Domain (org)')).toEqual({ entry: domain, success: true });
		expect(one(execution, 'Unblock Recipient (inbox)')).toEqual({ entry: blocked, success: true });
		expect((await sandboxApi<{ entries: unknown[] }>('GET', '/lists/receive/block')).data.entries).toEqual([]);
		expect((await sandboxApi<{ entries: unknown[] }>('GET', `${inboxPath()}/lists/send/block`)).data.entries).toEqual([]);
		expect((await sandboxApi('GET', `${inboxPath()}/lists/send/block/${encodeURIComponent(blocked)}`)).status).toBe(404);
	});
});
