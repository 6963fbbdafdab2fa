/**
 * The draft's attachments open from the review page through the signed
 * review link (`?draft=...&attachment=...`, signed by n8n): a download with
 * Content-Disposition: attachment and nosniff, byte for byte what was
 * attached, fetched from AgentMail's presigned link without the API key, and
 * deciding nothing.
 */
import type { IDataObject } from 'n8n-workflow';

import { callWaitingWebhook, type HarnessExecutionState } from '../../harness';
import { useNodeEnv, type NodeEnv } from '../setup';
import { contentDisposition } from '../../../nodes/AgentMailWaitForApproval/review/attachment';
import { approvalNode, createDraft, getDraft, openPage, startApproval, USER_AGENTS } from './helpers';

const getEnv = useNodeEnv();

/** Bytes that are not valid UTF-8 or text: a real binary file. */
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from([0, 255, 254, 128, 10, 13, 0x1b]), Buffer.alloc(3000, 0xab)]);

/** The signed download links on the page, by file name. */
function downloadLinks(html: string): Record<string, string> {
	const links: Record<string, string> = {};
	for (const match of html.matchAll(/<a href="([^"]+)" download>([^<]+)<\/a>/g)) {
		links[match[2].replace(/&amp;/g, '&')] = match[1].replace(/&amp;/g, '&');
	}
	return links;
}

/** Starts an approval with the email notification, so the page is opened through the signed link as an approver would. */
async function startWithLink(env: NodeEnv, drafts: IDataObject[]): Promise<{ state: HarnessExecutionState; link: string }> {
	const run = await env.run([approvalNode(env, { notification: 'email', approvers: 'ops@example.com' })], {
		items: drafts.map((draft) => ({ draft_id: draft.draft_id })),
	});
	expect(run.status).toBe('waiting');
	const mail = (await env.outbox()).at(-1)!;
	const link = /(http:\/\/\S+\/webhook-waiting\/\S+)/.exec(String(mail.text))![1];
	return { state: run.state, link };
}

async function get(state: HarnessExecutionState, url: string) {
	return await callWaitingWebhook(state, { method: 'GET', url, signature: false, headers: { 'user-agent': USER_AGENTS.browser } });
}

describe('Wait for Approval: attachments from the review page', () => {
	it('downloads each attachment byte for byte, as an attachment, never sniffed, deciding nothing', async () => {
		const env = getEnv();
		const draft = await createDraft(env, {
			attachments: [
				{ filename: 'invoice.pdf', content_type: 'application/pdf', content: PDF.toString('base64') },
				{ filename: 'notes.txt', content_type: 'text/html', content: Buffer.from('<script>alert(1)</script>').toString('base64') },
			],
		});
		const { state, link } = await startWithLink(env, [draft]);
		const page = await get(state, link);
		expect(page.statusCode).toBe(200);
		const links = downloadLinks(page.rawBody);
		expect(Object.keys(links)).toEqual(['invoice.pdf', 'notes.txt']);
		expect(page.rawBody).toContain('invoice.pdf</a> (2.9 KB)');
		const ids = (draft.attachments as Array<{ attachment_id: string }>).map((attachment) => attachment.attachment_id);
		expect(new URL(links['invoice.pdf']).searchParams.get('attachment')).toBe(ids[0]);
		expect(new URL(links['invoice.pdf']).searchParams.get('draft')).toBe(draft.draft_id);

		const before = (await getDraft(env, String(draft.draft_id))).data;
		await env.clearRequests();
		const pdf = await get(state, links['invoice.pdf']);
		expect(pdf.statusCode).toBe(200);
		expect(pdf.resumed).toBe(false);
		expect(pdf.bytes.equals(PDF)).toBe(true);
		expect(pdf.headers).toMatchObject({
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="invoice.pdf"; filename*=UTF-8''invoice.pdf`,
			'x-content-type-options': 'nosniff',
			'content-security-policy': "default-src 'none'; sandbox",
			'cache-control': 'no-store',
		});
		// Declared as HTML, still only a download: never rendered, never sniffed.
		const text = await get(state, links['notes.txt']);
		expect(text.statusCode).toBe(200);
		expect(text.rawBody).toBe('<script>alert(1)</script>');
		expect(text.headers['content-disposition']).toMatch(/^attachment; /);
		expect(text.headers['x-content-type-options']).toBe('nosniff');

		// Only reads: the attachment from the API, then the file from its presigned link (which refuses an API key).
		const requests = await env.requests();
		expect(requests.every((request) => request.method === 'GET')).toBe(true);
		expect(requests.filter((request) => String(request.decoded_path).includes('/attachments/'))).toHaveLength(2);
		expect((await getDraft(env, String(draft.draft_id))).data).toEqual(before);
		expect((await env.outbox()).filter((message) => message.draft_id === draft.draft_id)).toEqual([]);
		// Still waiting: the page opens as before.
		expect((await openPage(state)).result.statusCode).toBe(200);
	});

	it('a 20 MB attachment arrives whole, streamed through the review link', async () => {
		const env = getEnv();
		const big = Buffer.alloc(20 * 1024 * 1024);
		for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i); // not all the same byte
		const draft = await createDraft(env, { attachments: [{ filename: 'big.bin', content: big.toString('base64') }] });
		const state = await startApproval(env, [draft]);
		const id = (draft.attachments as Array<{ attachment_id: string }>)[0].attachment_id;
		const result = await callWaitingWebhook(state, { method: 'GET', query: { attachment: id } });
		expect(result.statusCode).toBe(200);
		expect(result.bytes.length).toBe(big.length);
		expect(result.bytes.equals(big)).toBe(true);
		expect(result.resumed).toBe(false);
	}, 60_000);

	it('a link edited to name another attachment fails n8n\'s signature check', async () => {
		const env = getEnv();
		const draft = await createDraft(env, { attachments: [{ filename: 'a.pdf', content: PDF.toString('base64') }] });
		const { state, link } = await startWithLink(env, [draft]);
		const url = new URL(downloadLinks((await get(state, link)).rawBody)['a.pdf']);
		url.searchParams.set('attachment', `${url.searchParams.get('attachment')}x`);
		await env.clearRequests();
		const tampered = await get(state, url.toString());
		expect(tampered.statusCode).toBe(401);
		expect(await env.requests()).toEqual([]);
	});

	it('only attachments of the drafts under review: another draft\'s or an unknown one is a 404 page', async () => {
		const env = getEnv();
		const draft = await createDraft(env, { attachments: [{ filename: 'mine.pdf', content: PDF.toString('base64') }] });
		const other = await createDraft(env, { attachments: [{ filename: 'other.pdf', content: PDF.toString('base64') }] });
		const state = await startApproval(env, [draft]);
		const otherId = (other.attachments as Array<{ attachment_id: string }>)[0].attachment_id;
		// The plain $execution.resumeUrl (token, not HMAC) takes any query, so the node checks.
		const foreign = await callWaitingWebhook(state, { method: 'GET', query: { attachment: otherId } });
		expect(foreign.statusCode).toBe(404);
		expect(foreign.rawBody).toContain('This attachment is no longer on the draft');
		expect(foreign.headers['content-security-policy']).toContain("default-src 'none'");
		const otherDraft = await callWaitingWebhook(state, { method: 'GET', query: { attachment: otherId, draft: String(other.draft_id) } });
		expect(otherDraft.statusCode).toBe(404);
		expect(otherDraft.rawBody).toContain('This review has no such draft.');
		await env.clearRequests();
		const invalid = await callWaitingWebhook(state, { method: 'GET', query: { attachment: '..' } });
		expect(invalid.statusCode).toBe(400);
		expect(await env.requests()).toEqual([]);
		expect(invalid.resumed || foreign.resumed || otherDraft.resumed).toBe(false);
	});

	it('file names that could break the header are cleaned; the exact name travels UTF-8 encoded', async () => {
		const env = getEnv();
		const draft = await createDraft(env, {
			attachments: [{ filename: 'Rechnung "März"; x=1 \\ ../ü.pdf', content_type: 'text/html; x="a"', content: PDF.toString('base64') }],
		});
		const state = await startApproval(env, [draft]);
		const id = (draft.attachments as Array<{ attachment_id: string }>)[0].attachment_id;
		const result = await callWaitingWebhook(state, { method: 'GET', query: { attachment: id } });
		expect(result.statusCode).toBe(200);
		expect(result.headers['content-disposition']).toBe(
			`attachment; filename="Rechnung _M_rz_; x=1 _ ..__.pdf"; filename*=UTF-8''Rechnung%20_M%C3%A4rz_%3B%20x%3D1%20_%20.._%C3%BC.pdf`,
		);
		expect(result.headers['content-type']).toBe('text/html');
		expect(result.bytes.equals(PDF)).toBe(true);
	});

	it('contentDisposition drops control characters (no header injection) and never yields an empty name', () => {
		expect(contentDisposition('a\r\nSet-Cookie: x=1\u0000.pdf')).toBe(
			`attachment; filename="aSet-Cookie: x=1.pdf"; filename*=UTF-8''aSet-Cookie%3A%20x%3D1.pdf`,
		);
		expect(contentDisposition('\r\n')).toBe(`attachment; filename="attachment"; filename*=UTF-8''attachment`);
		expect(contentDisposition("it's (1)*.txt")).toBe(`attachment; filename="it's (1)*.txt"; filename*=UTF-8''it%27s%20%281%29%2A.txt`);
	});

	it('after the time limit a download is refused like the page', async () => {
		const env = getEnv();
		const draft = await createDraft(env, { attachments: [{ filename: 'late.pdf', content: PDF.toString('base64') }] });
		const state = await startApproval(env, [draft], { limitAmount: 1, limitUnit: 'minutes' });
		const id = (draft.attachments as Array<{ attachment_id: string }>)[0].attachment_id;
		jest.spyOn(Date, 'now').mockReturnValue(Date.parse(new Date(state.waitTill as Date).toISOString()) + 1000);
		try {
			await env.clearRequests();
			const result = await callWaitingWebhook(state, { method: 'GET', query: { attachment: id } });
			expect(result.statusCode).toBe(410);
			expect(result.rawBody).toContain('Approval expired');
			expect(await env.requests()).toEqual([]);
		} finally {
			jest.restoreAllMocks();
		}
	});
});
