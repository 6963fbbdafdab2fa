/**
 * AgentMail Trigger options "Fetch Full Message" and "Download Attachments",
 * through n8n-core in both connection modes against the sandbox: the sandbox
 * leaves text/html out of events over 1 MB as AgentMail does, and serves the
 * attachments behind presigned download URLs; binary data goes through
 * n8n-core's prepareBinaryData into its BinaryDataService.
 */
import { randomBytes } from 'node:crypto';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, IDataObject, INodeParameters } from 'n8n-workflow';

import { useTriggerEnv } from './setup';

const env = useTriggerEnv();
const NODE = 'AgentMail Trigger';

async function until(predicate: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!(await predicate())) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

const bytesOf = async (binary: IBinaryData): Promise<Buffer> => await Container.get(BinaryDataService).getAsBuffer(binary);

/** Two attachments whose bytes are not text (a PDF name, random bytes) and one whose name needs care. */
function attachments() {
	const pdf = randomBytes(70_000);
	const png = randomBytes(1_234);
	return {
		pdf,
		png,
		input: [
			{ filename: 'Invoice 2026-07.pdf', content_type: 'application/pdf', content: pdf.toString('base64') },
			{ filename: 'screen shot "1".png', content_type: 'image/png', content: png.toString('base64') },
		],
	};
}

const params = (inbox: string, connection: string, options: IDataObject): INodeParameters => ({
	connection,
	events: ['message.received'],
	scope: 'inboxes',
	inboxIds: [inbox],
	options: options as INodeParameters,
});

describe.each(['webhook', 'websocket'])('received mail options, connection %s', (connection) => {
	async function start(options: IDataObject) {
		const { inbox } = env();
		const trigger = env().trigger(params(inbox, connection, options));
		if (connection === 'webhook') {
			await trigger.listen();
			await trigger.activate();
		} else {
			await trigger.startTrigger();
			await until(async () => ((await env().admin.get('/_sandbox/websockets')).data.connections as IDataObject[]).some((c) => c.subscribed));
		}
		return trigger;
	}

	it('Download Attachments puts each attachment into binary data with its bytes, file name and MIME type', async () => {
		const { inbox, inbound, sandbox } = env();
		const trigger = await start({ downloadAttachments: true });
		const files = attachments();
		const mail = await inbound({ inbox_id: inbox, from: 'customer@example.com', subject: 'Files', text: 'see attached', attachments: files.input });
		await sandbox.webhooksIdle();
		const [run] = await trigger.waitForExecutions(1);
		const [item] = run.output(NODE);
		expect(item.json).toMatchObject({ message_id: mail.message_id, message: { subject: 'Files' } });
		expect(item.json.error).toBeUndefined();
		expect(Object.keys(item.binary ?? {}).sort()).toEqual(['attachment_0', 'attachment_1']);
		const [pdf, png] = [item.binary!.attachment_0, item.binary!.attachment_1];
		expect(pdf).toMatchObject({ fileName: 'Invoice 2026-07.pdf', mimeType: 'application/pdf' });
		expect(png).toMatchObject({ fileName: 'screen shot "1".png', mimeType: 'image/png' });
		expect((await bytesOf(pdf)).equals(files.pdf)).toBe(true);
		expect((await bytesOf(png)).equals(files.png)).toBe(true);
		// one AttachmentResponse per attachment, then its presigned download_url (fetched without the API key)
		const requests = (await env().admin.get('/_sandbox/requests')).data.requests as Array<{ method: string; decoded_path: string }>;
		expect(requests.filter((r) => /\/attachments\//.test(r.decoded_path)).map((r) => r.decoded_path).sort()).toEqual(
			(mail.attachments as IDataObject[]).map((a) => `/v0/inboxes/${inbox}/messages/${String(mail.message_id)}/attachments/${String(a.attachment_id)}`).sort(),
		);
		expect(trigger.executions).toHaveLength(1);
	});

	it('Fetch Full Message gets the text and HTML that AgentMail left out of an event over 1 MB; without it they are missing', async () => {
		const { inbox, inbound, sandbox } = env();
		const text = `Long mail ${'x'.repeat(1024 * 1024)}`;
		const html = `<p>${'y'.repeat(1000)}</p>`;

		const plain = await start({});
		await inbound({ inbox_id: inbox, from: 'customer@example.com', subject: 'Huge 1', text, html });
		await sandbox.webhooksIdle();
		const [cut] = (await plain.waitForExecutions(1))[0].json(NODE);
		expect(cut.message).toMatchObject({ subject: 'Huge 1' });
		expect((cut.message as IDataObject).text).toBeUndefined();
		expect((cut.message as IDataObject).html).toBeUndefined();
		await (connection === 'webhook' ? plain.deactivate() : plain.close());

		const full = await start({ fetchFullMessage: true });
		const small = await inbound({ inbox_id: inbox, from: 'customer@example.com', subject: 'Small', text: 'short' });
		const huge = await inbound({ inbox_id: inbox, from: 'customer@example.com', subject: 'Huge 2', text, html });
		await sandbox.webhooksIdle();
		const runs = await full.waitForExecutions(2);
		const byId = new Map(runs.map((run) => [run.json(NODE)[0].message_id, run.json(NODE)[0]]));
		expect((byId.get(huge.message_id)!.message as IDataObject).text).toBe(text);
		expect((byId.get(huge.message_id)!.message as IDataObject).html).toBe(html);
		expect(byId.get(small.message_id)!.message).toMatchObject({ text: 'short' });
		// only the cut message was fetched
		const requests = (await env().admin.get('/_sandbox/requests')).data.requests as Array<{ method: string; decoded_path: string }>;
		expect(requests.filter((r) => r.method === 'GET' && /\/messages\//.test(r.decoded_path)).map((r) => r.decoded_path)).toEqual([
			`/v0/inboxes/${inbox}/messages/${String(huge.message_id)}`,
		]);
	});

	it('a download that fails still starts the one execution, with the event and an error', async () => {
		const { inbox, inbound, sandbox, admin } = env();
		const trigger = await start({ downloadAttachments: true });
		await admin.post('/_sandbox/faults', { method: 'GET', path: '/attachments/', status: 500, count: 10 });
		const files = attachments();
		const mail = await inbound({ inbox_id: inbox, from: 'customer@example.com', subject: 'Files', attachments: files.input });
		await sandbox.webhooksIdle();
		const [run] = await trigger.waitForExecutions(1, 20_000);
		const [item] = run.output(NODE);
		expect(item.json).toMatchObject({ message_id: mail.message_id, error: expect.stringMatching(/500|AgentMail/) });
		expect(item.binary).toBeUndefined();
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(trigger.executions).toHaveLength(1);
	}, 30_000);
});
