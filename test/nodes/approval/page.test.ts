import { useNodeEnv } from '../setup';
import { callWaitingWebhook } from '../../harness';
import { approvalNode, createDraft, formFields, getDraft, openPage, startApproval, USER_AGENTS } from './helpers';

const getEnv = useNodeEnv();

describe('Wait for Approval: review page (GET)', () => {
	it('shows the draft as it is now: from, recipients, subject, schedule, attachments and bodies', async () => {
		const env = getEnv();
		const draft = await createDraft(env, {
			to: ['Jane Doe <jane@example.com>'],
			cc: ['billing@example.com'],
			bcc: ['audit@example.com'],
			subject: 'Refund for order 1042',
			text: 'Plain text body here',
			html: '<p>HTML <b>body</b> here</p>',
			send_at: new Date(Date.now() + 3600_000).toISOString(),
			attachments: [{ filename: 'invoice.pdf', content_type: 'application/pdf', content: Buffer.from('%PDF-1.4 test').toString('base64') }],
		});
		const state = await startApproval(env, [draft]);
		const { result, html } = await openPage(state);
		expect(result.statusCode).toBe(200);
		expect(result.resumed).toBe(false);
		expect(result.headers['content-type']).toMatch(/text\/html/);
		expect(String(result.headers['content-security-policy'])).toContain("default-src 'none'");
		for (const text of [env.inbox, 'Jane Doe &lt;jane@example.com&gt;', 'billing@example.com', 'audit@example.com', 'Refund for order 1042', 'Plain text body here', 'invoice.pdf', '(13 bytes)', 'Refund agent']) {
			expect(html).toContain(text);
		}
		expect(html).toMatch(/Scheduled<\/dt><dd>\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
		expect(html).toContain('<iframe sandbox=""');
		expect(html).toContain('srcdoc="&lt;meta http-equiv=&quot;Content-Security-Policy&quot;');
		expect(html).toContain('<button type="submit" class="approve" name="decision" value="approve">Approve</button>');
		expect(html).toContain('<button type="submit" class="reject" name="decision" value="reject">Reject</button>');
	});

	it('never changes anything on GET or HEAD, whoever asks, however often', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		const before = (await getDraft(env, String(draft.draft_id))).data;
		await env.clearRequests();
		for (const [name, userAgent] of Object.entries(USER_AGENTS)) {
			for (let round = 0; round < 3; round++) {
				const page = await openPage(state, userAgent);
				expect({ name, status: page.result.statusCode, resumed: page.result.resumed }).toEqual({ name, status: 200, resumed: false });
				const head = await openPage(state, userAgent, 'HEAD');
				expect(head.result.resumed).toBe(false);
				expect(head.result.run).toBeUndefined();
			}
		}
		const requests = await env.requests();
		expect(requests.length).toBeGreaterThan(0);
		expect(requests.every((request) => request.method === 'GET')).toBe(true);
		const after = (await getDraft(env, String(draft.draft_id))).data;
		expect(after).toEqual(before);
		expect(await env.outbox()).toHaveLength(0);
	});

	it('escapes script payloads in subject, bodies, addresses and labels', async () => {
		const env = getEnv();
		const draft = await createDraft(env, {
			to: ['"<script>alert(1)</script>" <victim@example.com>'],
			subject: '<script>alert("subject")</script><img src=x onerror=alert(2)>',
			text: '</pre><script>alert("text")</script>',
			html: '<img src="https://canary.invalid/pixel.png" onerror="alert(3)"><script>alert("html")</script>',
			labels: ['<b onmouseover=alert(4)>label</b>'],
		});
		const state = await startApproval(env, [draft]);
		const { html } = await openPage(state);
		// No executable markup from the draft reaches the page: only escaped text.
		expect(html).not.toMatch(/<script/i);
		expect(html).not.toMatch(/<img/i);
		expect(html).not.toMatch(/<b onmouseover/i);
		expect(html).toContain('&lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt;');
		expect(html).toContain('&lt;/pre&gt;&lt;script&gt;alert(&quot;text&quot;)&lt;/script&gt;');
		expect(html).toContain('&lt;b onmouseover=alert(4)&gt;label&lt;/b&gt;');
		// The HTML body only exists inside the sandboxed iframe's srcdoc attribute, escaped.
		const iframe = /<iframe sandbox="" [^>]*srcdoc="([^"]*)"><\/iframe>/.exec(html);
		expect(iframe).not.toBeNull();
		expect(iframe![1]).toContain('&lt;script&gt;alert(&quot;html&quot;)&lt;/script&gt;');
		expect(html.split('canary.invalid').length - 1).toBe(2); // the srcdoc preview and the escaped source textarea
	});

	it('answers "already decided" and changes nothing when the draft was sent elsewhere', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		const sent = await env.api.post(`/v0/inboxes/${encodeURIComponent(env.inbox)}/drafts/${encodeURIComponent(String(draft.draft_id))}/send`, {});
		expect(sent.status).toBe(200);
		const page = await openPage(state);
		expect(page.result.statusCode).toBe(409);
		expect(page.html).toContain('Already decided');
		expect(page.result.resumed).toBe(false);
		expect(await env.outbox()).toHaveLength(1);
	});
});

describe('Wait for Approval: the notification link', () => {
	it('opens the review page, decides, and afterwards shows n8n\'s "no action required" page', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const run = await env.run(
			[approvalNode(env, { notification: 'email', approvers: 'ops@example.com' })],
			{ items: [{ draft_id: draft.draft_id }] },
		);
		expect(run.status).toBe('waiting');
		const [mail] = await env.outbox();
		const link = /(http:\/\/\S+\/webhook-waiting\/\S+)/.exec(String(mail.text))![1];
		expect(link).toMatch(new RegExp(`/webhook-waiting/${run.executionId}/[0-9a-f-]{36}\\?signature=[0-9a-f]{64}$`));
		const page = await callWaitingWebhook(run.state, { method: 'GET', url: link, signature: false });
		expect(page.statusCode).toBe(200);
		expect(page.rawBody).toContain('About your refund');
		const tampered = await callWaitingWebhook(run.state, { method: 'GET', url: link.replace(/signature=(.)/, (_, first: string) => `signature=${first === '0' ? '1' : '0'}`), signature: false });
		expect(tampered.statusCode).toBe(401);
		const fields = { ...formFields(page.rawBody), decision: 'approve' };
		const done = await callWaitingWebhook(run.state, {
			method: 'POST',
			url: link,
			signature: false,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(fields).toString(),
		});
		expect(done.run?.status).toBe('success');
		expect(await env.outbox()).toHaveLength(2);
		const late = await callWaitingWebhook(done.state, {
			method: 'POST',
			url: link,
			signature: false,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(fields).toString(),
		});
		expect(late.resumed).toBe(false);
		expect(late.renders.map((render) => render.view)).toEqual(['send-and-wait-no-action-required']);
		expect(await env.outbox()).toHaveLength(2);
	});
});
