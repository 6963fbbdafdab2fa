/**
 * The review page of a reply draft shows the conversation it answers: the
 * thread's messages newest first after the form, older ones collapsed, all
 * escaped and inert like the draft, loaded with GETs only; a conversation
 * that cannot be loaded is a notice, never a blocked review.
 */
import { useNodeEnv } from '../setup';
import { createDraft, formFields, getDraft, openPage, startApproval, submit } from './helpers';
import { CUSTOMER, customerThread, draftReply, getThread, inbound } from './threads';

const getEnv = useNodeEnv();

/** The page's HTML outside every srcdoc attribute (where the inert HTML bodies live). */
function outsideFrames(html: string): string {
	return html.replace(/srcdoc="[^"]*"/g, 'srcdoc=""');
}

function messageCards(html: string): string[] {
	return [...html.matchAll(/<details class="message"[^>]*>[\s\S]*?<\/summary>/g)].map((match) => match[0]);
}

describe('Wait for Approval: the conversation on the review page', () => {
	it('shows the thread of a reply draft after the form: newest first, older messages collapsed, attachments by name and size', async () => {
		const env = getEnv();
		const thread = await customerThread(env);
		const state = await startApproval(env, [thread.draft]);
		await env.clearRequests();
		const { result, html } = await openPage(state);
		expect(result.statusCode).toBe(200);
		expect(result.resumed).toBe(false);

		// The draft comes first, then Approve/Reject, then the conversation.
		const draftAt = html.indexOf('DRAFT-TEXT');
		const approveAt = html.indexOf('value="approve">Approve</button>');
		const conversationAt = html.indexOf('id="conversation-0"');
		expect(draftAt).toBeGreaterThan(0);
		expect(approveAt).toBeGreaterThan(draftAt);
		expect(conversationAt).toBeGreaterThan(html.indexOf('</form>'));
		expect(html).toContain('Conversation <span class="hint">(3 messages, newest first)</span>');

		// Newest first; only the newest (the message replied to) open.
		const conversation = html.slice(conversationAt);
		const order = ['LATEST-MESSAGE', 'AGENT-REPLY', 'FIRST-MESSAGE'].map((text) => conversation.indexOf(text));
		expect(order.every((at) => at > 0)).toBe(true);
		expect([...order].sort((a, b) => a - b)).toEqual(order);
		const cards = messageCards(conversation);
		expect(cards).toHaveLength(3);
		expect(cards.map((card) => card.startsWith('<details class="message" open>'))).toEqual([true, false, false]);
		expect(cards[0]).toContain('replied to');
		expect(cards[0]).toContain('Jane Customer &lt;jane@example.com&gt;');
		expect(cards[0]).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
		expect(cards[0]).toContain('Re: Order 1042 arrived broken');
		expect(cards[1]).toContain(env.inbox);
		expect(conversation).toContain('<dt>Attachments</dt><dd>photo.jpg (2.0 KB)</dd>');

		// The draft's summary names the message it answers and links down to the conversation.
		const summary = html.slice(0, approveAt);
		expect(summary).toContain('<dt>In reply to</dt><dd><strong>Jane Customer &lt;jane@example.com&gt;</strong>');
		expect(summary).toContain('<q>LATEST-MESSAGE: it is order 1042, thanks!</q>');
		expect(summary).toContain('<a href="#conversation-0">See the conversation below</a>');

		// Showing it read the message replied to and the thread, and changed nothing.
		const requests = await env.requests();
		expect(requests.every((request) => request.method === 'GET')).toBe(true);
		const paths = requests.map((request) => String(request.decoded_path));
		expect(paths.filter((p) => p.includes(`/messages/${String(thread.latest.message_id)}`))).toHaveLength(1);
		expect(paths.filter((p) => p.includes(`/threads/${thread.threadId}`))).toHaveLength(1);
		expect(await env.outbox()).toHaveLength(1); // the agent's earlier reply only
	});

	it('escapes and neutralises script in every field of earlier messages, exactly like the draft', async () => {
		const env = getEnv();
		const payload = {
			from: '"<script>alert(\'from\')</script>" <evil@example.com>',
			subject: '<script>alert("subject")</script><img src=x onerror=alert(1)>',
			text: '</pre></details></section><script>alert("text")</script>',
			html: '<img src="https://canary.invalid/pixel.png" onerror="alert(2)"><script>alert("html")</script>"></iframe><script>alert("break")</script>',
			attachments: [{ filename: '<img src=x onerror=alert(3)>.pdf', content: Buffer.from('x').toString('base64') }],
		};
		const thread = await customerThread(env, { earlier: payload });
		const state = await startApproval(env, [thread.draft]);
		const { html } = await openPage(state);
		const page = outsideFrames(html);
		expect(page).not.toMatch(/<script|<img|<svg/i);
		expect(page).not.toMatch(/<[a-z][^>]*\son\w+=/i); // no event handler attribute on any real tag
		expect(page).toContain('&lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
		expect(page).toContain('&lt;/pre&gt;&lt;/details&gt;&lt;/section&gt;&lt;script&gt;alert(&quot;text&quot;)&lt;/script&gt;');
		expect(page).toContain('&quot;&lt;script&gt;alert(&#39;from&#39;)&lt;/script&gt;&quot; &lt;evil@example.com&gt;');
		expect(page).toContain('&lt;img src=x onerror=alert(3)&gt;.pdf (1 bytes)');
		// The earlier message's HTML only inside a sandboxed frame, behind the frame policy, escaped.
		const frames = [...html.matchAll(/<iframe ([^>]*)><\/iframe>/g)].map((match) => match[1]);
		expect(frames.length).toBeGreaterThanOrEqual(1);
		for (const frame of frames) {
			expect(frame).toMatch(/^sandbox="" referrerpolicy="no-referrer" title="[^"]*" srcdoc="&lt;meta http-equiv=&quot;Content-Security-Policy&quot; content=&quot;default-src &#39;none&#39;;/);
		}
		expect(frames.some((frame) => frame.includes('&lt;script&gt;alert(&quot;html&quot;)&lt;/script&gt;&quot;&gt;&lt;/iframe&gt;'))).toBe(true);
		expect(html.split('canary.invalid')).toHaveLength(2); // once, in that srcdoc
	});

	it('a conversation AgentMail fails to return is a notice: the review and the decision go on', async () => {
		const env = getEnv();
		const thread = await customerThread(env);
		const state = await startApproval(env, [thread.draft]);
		await env.fault({ method: 'GET', path: '/threads/', status: 503, count: 3 });
		const page = await openPage(state);
		expect(page.result.statusCode).toBe(200);
		expect(page.html).toContain('<div class="notice" role="status">The conversation could not be loaded (AgentMail 503');
		expect(page.html).toContain('<dt>In reply to</dt>');
		expect(page.html).not.toContain('LATEST-MESSAGE');
		const result = await submit(state, { ...formFields(page.html), decision: 'approve' });
		expect(result.run?.status).toBe('success');
		expect((await env.outbox()).filter((message) => message.draft_id === thread.draft.draft_id)).toHaveLength(1);
	});

	it('a message replied to that is gone from AgentMail is a notice as well', async () => {
		const env = getEnv();
		const thread = await customerThread(env);
		const state = await startApproval(env, [thread.draft]);
		const deleted = await env.api.delete(
			`/v0/inboxes/${encodeURIComponent(env.inbox)}/messages/${encodeURIComponent(String(thread.latest.message_id))}`,
		);
		expect(deleted.status).toBe(204);
		const page = await openPage(state);
		expect(page.result.statusCode).toBe(200);
		expect(page.html).toContain('The message this draft replies to is no longer in AgentMail, so its conversation cannot be shown.');
		expect(page.html).toContain('value="approve">Approve</button>');
	});

	it('a long thread: the 20 newest messages, and how many older ones are not shown', async () => {
		const env = getEnv();
		let message = await inbound(env, { subject: 'Long thread', text: 'MESSAGE-0' });
		for (let n = 1; n < 23; n++) {
			message = await inbound(env, { subject: 'Re: Long thread', text: `MESSAGE-${n}`, in_reply_to: message.message_id });
		}
		const draft = await draftReply(env, String(message.message_id), { text: 'Answer to the last one' });
		const state = await startApproval(env, [draft]);
		await env.clearRequests();
		const { html } = await openPage(state);
		expect(html).toContain('(23 messages, newest first)');
		expect(messageCards(html)).toHaveLength(20);
		expect(html).toContain('MESSAGE-22');
		expect(html).toContain('MESSAGE-3<');
		expect(html).not.toContain('MESSAGE-2<');
		expect(html).toContain('3 older messages are not shown.');
		const [threadRead] = (await env.requests()).filter((request) => String(request.decoded_path).includes('/threads/'));
		expect(threadRead.query).toEqual({ limit: '20' });
	});

	it('a rate-limited thread read does not hold the page: it gives up within the conversation time and shows a notice', async () => {
		const env = getEnv();
		const thread = await customerThread(env);
		const state = await startApproval(env, [thread.draft]);
		await env.fault({ method: 'GET', path: '/threads/', status: 429, retry_after: 60, count: 1 });
		const started = Date.now();
		const page = await openPage(state);
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(page.result.statusCode).toBe(200);
		expect(page.html).toContain('The conversation could not be loaded (AgentMail 429');
		expect(page.html).toContain('value="approve">Approve</button>');
	});

	it('a refused submission shows the form again with the conversation, and decides nothing', async () => {
		const env = getEnv();
		const thread = await customerThread(env);
		const state = await startApproval(env, [thread.draft]);
		const page = await openPage(state);
		const refused = await submit(state, { ...formFields(page.html), decision: 'reject', reason: '' });
		expect(refused.statusCode).toBe(400);
		expect(refused.resumed).toBe(false);
		expect(refused.rawBody).toContain('Nothing was decided.');
		expect(refused.rawBody).toContain('id="conversation-0"');
		expect(refused.rawBody).toContain('LATEST-MESSAGE');
		expect((await getDraft(env, String(thread.draft.draft_id))).data.labels).toEqual(['pending-approval']);
	});

	it('a draft that answers nothing makes no conversation request and shows no conversation', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		await env.clearRequests();
		const { html } = await openPage(state);
		expect(html).not.toContain('Conversation');
		expect(html).not.toContain('In reply to');
		const requests = await env.requests();
		expect(requests.map((request) => `${request.method} ${String(request.decoded_path)}`)).toEqual([
			`GET /v0/inboxes/${env.inbox}/drafts/${String(draft.draft_id)}`,
		]);
	});

	it('two reply drafts in one thread: the thread is read once and shown for each draft', async () => {
		const env = getEnv();
		const thread = await customerThread(env);
		const second = await draftReply(env, String(thread.first.message_id), { text: 'SECOND-DRAFT' });
		const state = await startApproval(env, [thread.draft, second]);
		await env.clearRequests();
		const { html } = await openPage(state);
		expect(html).toContain('id="conversation-0"');
		expect(html).toContain('id="conversation-1"');
		expect(html).toContain('Conversation of draft 2');
		// The second draft answers the first message: that one is open too, and marked.
		const cards = messageCards(html.slice(html.indexOf('id="conversation-1"')));
		expect(cards.map((card) => card.startsWith('<details class="message" open>'))).toEqual([true, false, true]);
		expect(cards[2]).toContain('replied to');
		const threadReads = (await env.requests()).filter((request) => String(request.decoded_path).includes('/threads/'));
		expect(threadReads).toHaveLength(1);
	});

	it('approving the reply sends exactly one message, in the same thread, as a reply to the customer', async () => {
		const env = getEnv();
		const thread = await customerThread(env);
		const state = await startApproval(env, [thread.draft]);
		const page = await openPage(state);
		const before = (await getDraft(env, String(thread.draft.draft_id))).data;
		expect(page.versions).toEqual([before.updated_at]);
		const result = await submit(state, { ...formFields(page.html), decision: 'approve' });
		expect(result.run?.status).toBe('success');
		const sent = (await env.outbox()).filter((message) => message.draft_id === thread.draft.draft_id);
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({ thread_id: thread.threadId, in_reply_to: thread.latest.message_id, to: [CUSTOMER] });
		const after = await getThread(env, thread.threadId);
		expect(after.message_count).toBe(4);
		expect((after.messages as Array<{ text?: string }>).at(-1)?.text).toBe('DRAFT-TEXT: we refund $42 today.');
	});

	it('a forward draft shows the conversation of the message it forwards', async () => {
		const env = getEnv();
		const message = await inbound(env, { subject: 'Invoice question', text: 'FORWARDED-SOURCE' });
		const response = await env.api.post(
			`/v0/inboxes/${encodeURIComponent(env.inbox)}/messages/${encodeURIComponent(String(message.message_id))}/draft-forward`,
			{ to: ['billing@example.com'], text: 'Please have a look.' },
		);
		expect(response.status).toBe(200);
		const state = await startApproval(env, [response.data]);
		const { html } = await openPage(state);
		expect(html).toContain('<dt>Forwards</dt><dd><strong>Jane Customer &lt;jane@example.com&gt;</strong>');
		expect(html).toContain('<span class="badge">forwarded</span>');
		expect(html.slice(html.indexOf('id="conversation-0"'))).toContain('FORWARDED-SOURCE');
	});
});
