/**
 * The conversation on the review page, in a real n8n 2.41.1 and headless
 * Chromium, at desktop width and on a phone (360 px). The workflows:
 *
 *   Webhook (the customer's message id) -> AgentMail Create Reply Draft
 *     -> Wait for Approval (email to the approver) -> Approved | Rejected
 *   Webhook (a reply draft the agent made itself) -> Wait for Approval -> ...
 *
 * The thread is built in the sandbox the way it happens: the customer writes
 * (inbound mail), the agent answers (a sent reply), the customer writes
 * again, and the agent drafts the reply (the AgentMail node's Create Reply
 * Draft, or AgentMail's draft-reply directly). The reviewer opens the link
 * from the notification email.
 *
 * Covered: the customer's message and the thread on the page (newest first,
 * older ones collapsed), Approve and Reject above the conversation, no
 * horizontal scrolling at 360 px, script payloads in the earlier messages
 * inert (no dialog, no console marker, no request to the canary server,
 * also with every message expanded), a draft attachment downloaded through
 * the signed link (deciding nothing), and approving sends exactly one reply
 * in the same thread. Screenshots: test-artifacts/conversation-*.png.
 */
import * as fs from 'fs';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';

import {
	N8nApi,
	agentMailSandbox,
	callWebhook,
	createAgentMailCredential,
	httpRequest,
	launchBrowser,
	nodeOutput,
	saveScreenshot,
	type Credential,
	type WorkflowNode,
} from './helpers';
import { startCanaryServer, type CanaryServer } from './helpers/canary';
import { eventually, inboxPath, sandboxApi, sandboxDraft, sandboxInbound, sandboxOutbox } from './helpers/sandboxAdmin';
import {
	agentMailNode,
	approvalNode,
	byId,
	connect,
	createWebhookWorkflow,
	layout,
	sandboxInbox,
	setNode,
	type WebhookWorkflow,
} from './helpers/workflows';
import { REVIEW_LINK } from './helpers/reviewLink';

const api = N8nApi.fromE2eState();
const APPROVER = 'ops@example.com';
const WAIT = 'Wait for Approval';
const CUSTOMER = 'Jane Customer <jane@example.com>';
const DESKTOP = { width: 1100, height: 900 };
const PHONE = { width: 360, height: 740 };

let credential: Credential;
let browser: Browser;
let canary: CanaryServer;
/** Webhook (body: message_id, text, approver) -> Create Reply Draft -> Wait for Approval -> Approved | Rejected. */
let replyWf: WebhookWorkflow;
/** Webhook (body: draft_id, approver) -> Wait for Approval -> Approved | Rejected. */
let agentWf: WebhookWorkflow;

function reviewWorkflow(
	webhook: WorkflowNode,
	createReply: boolean,
): { nodes: WorkflowNode[]; connections: Record<string, unknown> } {
	const draftNodes = createReply
		? [
				agentMailNode('Create Reply Draft', credential, {
					resource: 'draft',
					operation: 'createReply',
					inboxId: sandboxInbox(),
					messageId: '={{ $json.body.message_id }}',
					text: '={{ $json.body.text }}',
				}),
			]
		: [];
	const nodes = layout([
		webhook,
		...draftNodes,
		approvalNode(WAIT, credential, {
			draftId: byId(createReply ? '={{ $json.draft_id }}' : '={{ $json.body.draft_id }}'),
			notification: 'email',
			approvers: "={{ $('Webhook').item.json.body.approver }}",
			notifyInbox: byId(agentMailSandbox().inboxId),
			requestedBy: 'Support agent (e2e)',
		}),
		setNode('Approved', { status: '={{ $json.decision.status }}', message_id: '={{ $json.message_id }}', thread_id: '={{ $json.thread_id }}' }),
		setNode('Rejected', { status: '={{ $json.decision.status }}', reason: '={{ $json.decision.reason }}' }),
	]);
	const names = nodes.map((node) => node.name);
	const edges: Array<[string, number, string]> = [];
	for (let i = 0; i < names.indexOf(WAIT); i++) edges.push([names[i], 0, names[i + 1]]);
	edges.push([WAIT, 0, 'Approved'], [WAIT, 1, 'Rejected']);
	return { nodes, connections: connect(edges) };
}

const messagePath = (messageId: string, action: string) =>
	`${inboxPath()}/messages/${encodeURIComponent(messageId)}/${action}`;

interface Conversation {
	first: Record<string, unknown>;
	latest: Record<string, unknown>;
	draft: Record<string, unknown> & { draft_id: string; subject: string };
	threadId: string;
}

/** Customer -> agent reply -> customer -> the agent's reply draft. */
type Inbound = Partial<Parameters<typeof sandboxInbound>[0]>;

async function conversation(options: {
	subject: string;
	first: Inbound;
	agentText: string;
	latest: Inbound;
	/** The reply draft's body; without it the workflow's Create Reply Draft makes the draft. */
	draft?: Record<string, unknown>;
}): Promise<Omit<Conversation, 'draft'> & { draft?: Conversation['draft'] }> {
	const first = await sandboxInbound({ from: CUSTOMER, subject: options.subject, ...options.first });
	const reply = await sandboxApi<{ message_id: string }>('POST', messagePath(String(first.message_id), 'reply'), { text: options.agentText });
	expect(reply.status).toBe(200);
	const latest = await sandboxInbound({
		from: CUSTOMER,
		subject: `Re: ${options.subject}`,
		in_reply_to: reply.data.message_id,
		...options.latest,
	});
	expect(latest.thread_id).toBe(first.thread_id);
	const threadId = String(first.thread_id);
	if (!options.draft) return { first, latest, threadId };
	const draft = await sandboxApi<Conversation['draft']>('POST', messagePath(String(latest.message_id), 'draft-reply'), options.draft);
	expect(draft.status).toBe(200);
	return { first, latest, draft: draft.data, threadId };
}

interface Review {
	link: string;
	executionId: string;
	draftId: string;
}

/** Starts a workflow; returns the review link from the notification (found by the draft's subject), the waiting execution and its draft. */
async function startReview(wf: WebhookWorkflow, body: Record<string, unknown>, subject: string): Promise<Review> {
	const response = await callWebhook(wf.path, { body: { approver: APPROVER, ...body } });
	expect(response.status).toBe(200);
	const notification = await eventually(
		async () => (await sandboxOutbox()).find((m) => m.subject === `Approval needed: ${subject}`),
		{ what: `the notification for "${subject}"` },
	);
	const match = REVIEW_LINK.exec(String(notification.text))!;
	expect(match).not.toBeNull();
	const waiting = await api.waitForExecution(match[1], 'waiting', { timeoutMs: 30_000 });
	const draftId = wf === replyWf ? String(nodeOutput(waiting, 'Create Reply Draft')[0].draft_id) : String(body.draft_id);
	return { link: match[0], executionId: match[1], draftId };
}

/** A reply draft the agent made itself, reviewed through the agent workflow. */
async function startAgentReview(draft: Conversation['draft']): Promise<Review> {
	return await startReview(agentWf, { draft_id: draft.draft_id }, draft.subject);
}

interface Watch {
	dialogs: string[];
	console: string[];
	errors: string[];
}

async function open(context: BrowserContext, link: string): Promise<{ page: Page; watch: Watch }> {
	const page = await context.newPage();
	const watch: Watch = { dialogs: [], console: [], errors: [] };
	page.on('dialog', (dialog) => {
		watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
		void dialog.dismiss().catch(() => undefined);
	});
	page.on('console', (message) => watch.console.push(`${message.type()}: ${message.text()}`));
	page.on('pageerror', (error) => watch.errors.push(error.message));
	const response = await page.goto(link, { waitUntil: 'load' });
	expect(response?.status()).toBe(200);
	return { page, watch };
}

async function newContext(viewport: { width: number; height: number }): Promise<BrowserContext> {
	const phone = viewport.width < 500;
	return await browser.newContext({ viewport, isMobile: phone, hasTouch: phone, deviceScaleFactor: phone ? 2 : 1, acceptDownloads: true });
}

/** Layout facts the phone check needs: horizontal overflow, and where the buttons and the conversation are. */
async function layoutFacts(page: Page) {
	return await page.evaluate(() => {
		const top = (selector: string) => {
			const element = document.querySelector(selector);
			return element ? element.getBoundingClientRect().top + window.scrollY : null;
		};
		return {
			scrollWidth: document.documentElement.scrollWidth,
			viewportWidth: window.innerWidth,
			approveTop: top('button[value="approve"]'),
			rejectTop: top('button[value="reject"]'),
			conversationTop: top('#conversation-0'),
			draftTop: top('section.card'),
		};
	});
}

async function submit(page: Page, selector: string): Promise<Response> {
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
		page.click(selector),
	]);
	await page.waitForLoadState('domcontentloaded');
	return response;
}

beforeAll(async () => {
	credential = await createAgentMailCredential(api);
	[replyWf, agentWf] = await Promise.all([
		createWebhookWorkflow(api, 'e2e reply review', (webhook) => reviewWorkflow(webhook, true)),
		createWebhookWorkflow(api, 'e2e agent reply review', (webhook) => reviewWorkflow(webhook, false)),
	]);
	[browser, canary] = await Promise.all([launchBrowser(), startCanaryServer()]);
}, 120_000);

afterAll(async () => {
	await browser?.close();
	await canary?.close();
	for (const wf of [replyWf, agentWf]) if (wf) await api.deleteWorkflow(wf.workflow.id).catch(() => undefined);
	if (credential) await api.deleteCredential(credential.id).catch(() => undefined);
});

describe('a reply drafted by the workflow (Create Reply Draft), with its conversation', () => {
	const SUBJECT = 'Order 1042 arrived broken [conv]';
	const REPLY = 'Hi Jane, we refund the $42 to your card today. Sorry for the trouble!';
	let thread: Awaited<ReturnType<typeof conversation>>;
	let review: Review;

	beforeAll(async () => {
		thread = await conversation({
			subject: SUBJECT,
			first: {
				text: 'Hello, the mug I ordered arrived broken. A photo is attached. Can I get a refund?',
				attachments: [{ filename: 'broken-mug.jpg', content_type: 'image/jpeg', content: Buffer.alloc(5000, 1).toString('base64') }],
			},
			agentText: 'Sorry to hear that! Could you tell me the order number?',
			latest: { text: 'It is order 1042. Thank you for the quick answer!', html: '<p>It is order <b>1042</b>. Thank you for the quick answer!</p>' },
		});
		review = await startReview(replyWf, { message_id: thread.latest.message_id, text: REPLY }, `Re: ${SUBJECT}`);
	});

	it('desktop: the draft first, Approve and Reject before the conversation, the customer\'s message open and older ones collapsed', async () => {
		const context = await newContext(DESKTOP);
		try {
			const { page, watch } = await open(context, review.link);
			await expect(page.locator('dt:text-is("In reply to") + dd').textContent()).resolves.toContain('Jane Customer <jane@example.com>');
			const cards = page.locator('#conversation-0 details.message');
			await expect(cards.count()).resolves.toBe(3);
			await expect(cards.evaluateAll((all) => all.map((d) => (d as HTMLDetailsElement).open))).resolves.toEqual([true, false, false]);
			await expect(cards.nth(0).locator('summary').first().textContent()).resolves.toContain('Jane Customer <jane@example.com>');
			await expect(cards.nth(0).locator('pre').textContent()).resolves.toBe('It is order 1042. Thank you for the quick answer!');
			await expect(cards.nth(0).locator('iframe').getAttribute('sandbox')).resolves.toBe('');
			await expect(cards.nth(1).locator('summary').first().textContent()).resolves.toContain(agentMailSandbox().inboxId);
			await expect(cards.nth(2).locator('pre').isVisible()).resolves.toBe(false); // collapsed
			await expect(cards.nth(2).textContent()).resolves.toContain('broken-mug.jpg (4.9 KB)');
			const facts = await layoutFacts(page);
			expect(facts.approveTop!).toBeLessThan(facts.conversationTop!);
			expect(facts.rejectTop!).toBeLessThan(facts.conversationTop!);
			expect(facts.scrollWidth).toBeLessThanOrEqual(facts.viewportWidth);
			await saveScreenshot(page, 'conversation-review-desktop');
			expect(watch.dialogs).toEqual([]);
			expect(watch.errors).toEqual([]);
		} finally {
			await context.close();
		}
	});

	it('phone (360 px): no horizontal scrolling, Approve and Reject still before the conversation', async () => {
		const context = await newContext(PHONE);
		try {
			const { page } = await open(context, review.link);
			const facts = await layoutFacts(page);
			expect(facts.viewportWidth).toBe(360);
			expect(facts.scrollWidth).toBeLessThanOrEqual(360);
			expect(facts.approveTop!).toBeLessThan(facts.conversationTop!);
			// Every box fits the screen: nothing sticks out to the right.
			const widest = await page.evaluate(() =>
				Math.max(...Array.from(document.querySelectorAll('main *')).map((el) => el.getBoundingClientRect().right)),
			);
			expect(widest).toBeLessThanOrEqual(360);
			await expect(page.locator('#conversation-0 details.message').first().textContent()).resolves.toContain('It is order 1042');
			await saveScreenshot(page, 'conversation-review-phone');
		} finally {
			await context.close();
		}
	});

	it('approving sends exactly one reply, in the same thread, to the customer', async () => {
		const context = await newContext(PHONE);
		try {
			const { page } = await open(context, review.link);
			await page.fill('input[name="reviewer"]', 'Dana (support)');
			const decided = await submit(page, 'button[name="decision"][value="approve"]');
			expect(decided.status()).toBe(200);
			await expect(page.locator('h1').textContent()).resolves.toBe('Decision recorded');
		} finally {
			await context.close();
		}
		const execution = await api.waitForExecution(review.executionId, 'success', { timeoutMs: 30_000 });
		const [approved] = nodeOutput(execution, 'Approved');
		expect(approved).toMatchObject({ status: 'approved', thread_id: thread.threadId });
		const sent = (await sandboxOutbox()).filter((m) => m.draft_id === review.draftId);
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({ thread_id: thread.threadId, in_reply_to: thread.latest.message_id, to: [CUSTOMER], text: REPLY });
		const after = await sandboxApi<{ message_count: number; messages: Array<{ message_id: string }> }>(
			'GET',
			`${inboxPath()}/threads/${encodeURIComponent(thread.threadId)}`,
		);
		expect(after.data.message_count).toBe(4);
		expect(after.data.messages.at(-1)?.message_id).toBe(approved.message_id);
	});
});

describe('the attachment of an agent-made reply draft', () => {
	const INVOICE = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from([0, 255, 128, 10]), Buffer.alloc(4096, 0x42)]);
	let review: Review;

	beforeAll(async () => {
		const thread = await conversation({
			subject: 'Credit note please [att]',
			first: { text: 'Could you send me a credit note for order 1043?' },
			agentText: 'Of course, one moment.',
			latest: { text: 'Thanks, waiting for it.' },
			draft: {
				text: 'Here is your credit note.',
				attachments: [{ filename: 'credit-note-1043.pdf', content_type: 'application/pdf', content: INVOICE.toString('base64') }],
			},
		});
		review = await startAgentReview(thread.draft!);
	});

	it('the draft\'s attachment downloads through the signed link, as an attachment, and decides nothing', async () => {
		const context = await newContext(DESKTOP);
		try {
			const { page } = await open(context, review.link);
			const link = page.locator('a[download]', { hasText: 'credit-note-1043.pdf' });
			const href = await link.getAttribute('href');
			expect(href).toMatch(/\/webhook-waiting\/\d+\/[\w-]+\?draft=.+&attachment=.+&signature=/);
			const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
			expect(download.suggestedFilename()).toBe('credit-note-1043.pdf');
			expect(fs.readFileSync((await download.path())!).equals(INVOICE)).toBe(true);
			const direct = await httpRequest(href!);
			expect(direct.status).toBe(200);
			expect(direct.headers.get('content-disposition')).toBe(`attachment; filename="credit-note-1043.pdf"; filename*=UTF-8''credit-note-1043.pdf`);
			expect(direct.headers.get('x-content-type-options')).toBe('nosniff');
			expect(direct.headers.get('content-type')).toBe('application/pdf');
		} finally {
			await context.close();
		}
		const execution = await api.getExecution(review.executionId, { includeData: false });
		expect(execution.status).toBe('waiting');
		expect((await sandboxOutbox()).filter((m) => m.draft_id === review.draftId)).toEqual([]);
		expect((await sandboxDraft(review.draftId)).data.labels).toEqual(['pending-approval']);
		// Reject, so the execution ends; still nothing was sent.
		const done = await newContext(DESKTOP);
		try {
			const { page } = await open(done, review.link);
			await page.fill('textarea[name="reason"]', 'Wrong credit note');
			expect((await submit(page, 'button[name="decision"][value="reject"]')).status()).toBe(200);
		} finally {
			await done.close();
		}
		await api.waitForExecution(review.executionId, 'success', { timeoutMs: 30_000 });
		expect((await sandboxOutbox()).filter((m) => m.draft_id === review.draftId)).toEqual([]);
	});

});

describe('script payloads in the earlier messages of the conversation', () => {
	it('are inert at desktop and phone width, also with every message expanded: no dialog, no console marker, no request to the canary', async () => {
		const c = canary.url;
		const html = [
			`<script>console.log('XSS-MARKER-html');alert('html')</script>`,
			`<img src="${c}/html.gif">`,
			`<img src=x onerror="console.log('XSS-MARKER-img');alert('img')">`,
			`<link rel="stylesheet" href="${c}/html.css">`,
			`<div style="background:url(${c}/background.gif)">styled</div>`,
			`<iframe src="${c}/frame.html"></iframe>`,
			`<a href="javascript:console.log('XSS-MARKER-link')">link</a>`,
			`"></iframe></details></section><script>console.log('XSS-MARKER-srcdoc-break')</script>`,
			`<p>The earlier message</p>`,
		].join('\n');
		const thread = await conversation({
			subject: `Refund? [x]`,
			first: {
				from: `"<img src=x onerror=console.log('XSS-MARKER-from')>" <evil@example.com>`,
				text: `</pre></details></section><script>console.log('XSS-MARKER-text');alert('text')</script><img src="${c}/text.gif">`,
				html,
				attachments: [{ filename: `<img src="${c}/name.gif" onerror="console.log('XSS-MARKER-name')">.pdf`, content: Buffer.from('x').toString('base64') }],
			},
			agentText: `Quoting you: <script>console.log('XSS-MARKER-agent')</script>`,
			latest: {
				text: 'Plain follow-up from the customer.',
				html: `<p>Follow-up</p><img src="${c}/latest.gif"><script>console.log('XSS-MARKER-latest')</script>`,
			},
			draft: { text: 'We are looking into it.' },
		});
		const { link, executionId } = await startAgentReview(thread.draft!);
		for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
			const context = await newContext(viewport);
			try {
				const { page, watch } = await open(context, link);
				// Expand every message and every HTML version: collapsed content must be just as inert.
				for (const summary of await page.locator('#conversation-0 summary').all()) {
					const details = summary.locator('xpath=..');
					if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await summary.click();
				}
				await expect(page.locator('#conversation-0 details').evaluateAll((all) => all.every((d) => (d as HTMLDetailsElement).open))).resolves.toBe(true);
				await page.waitForTimeout(1000); // anything async (image errors, timers) would have happened by now
				await saveScreenshot(page, `conversation-xss-${name}`);
				expect(watch.dialogs).toEqual([]);
				expect(watch.console.filter((line) => line.includes('XSS-MARKER'))).toEqual([]);
				expect(watch.errors).toEqual([]);
				expect(canary.hits).toEqual([]);
				const dom = await page.evaluate(() => ({
					scripts: document.scripts.length,
					images: document.images.length,
					links: Array.from(document.querySelectorAll('a, link')).map((a) => a.getAttribute('href')),
					iframes: Array.from(document.querySelectorAll('iframe')).map((f) => ({ sandbox: f.getAttribute('sandbox'), srcdoc: f.getAttribute('srcdoc') ?? '' })),
					from: document.querySelector('#conversation-0 details.message:last-of-type summary strong')?.textContent,
				}));
				expect(dom.scripts).toBe(0);
				expect(dom.images).toBe(0);
				expect(dom.links).toEqual(['#conversation-0']);
				expect(dom.iframes.length).toBeGreaterThanOrEqual(2);
				for (const frame of dom.iframes) {
					expect(frame.sandbox).toBe('');
					expect(frame.srcdoc).toMatch(/^<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
				}
				expect(dom.iframes.some((frame) => frame.srcdoc.endsWith(html))).toBe(true);
				expect(dom.from).toBe(`"<img src=x onerror=console.log('XSS-MARKER-from')>" <evil@example.com>`);
				const facts = await layoutFacts(page);
				expect(facts.scrollWidth).toBeLessThanOrEqual(facts.viewportWidth);
			} finally {
				await context.close();
			}
		}
		// Reject, so the execution ends; nothing was sent for the draft.
		const context = await newContext(DESKTOP);
		try {
			const { page } = await open(context, link);
			await page.fill('textarea[name="reason"]', 'Needs a better answer');
			expect((await submit(page, 'button[name="decision"][value="reject"]')).status()).toBe(200);
		} finally {
			await context.close();
		}
		await api.waitForExecution(executionId, 'success', { timeoutMs: 30_000 });
		expect((await sandboxOutbox()).filter((m) => m.draft_id === thread.draft!.draft_id)).toEqual([]);
		expect(canary.hits).toEqual([]);
	});
});
