/**
 * Attachments out of AgentMail into n8n binary data (issue 12): Message →
 * Get Attachment (one, all), Get Message → Download Attachments, Draft → Get
 * Attachment, and Draft → Update add / remove attachments. The bytes, file
 * name and MIME type of every downloaded file are compared with what was
 * sent; a 20 MB attachment runs with the process's memory sampled.
 */
import { Container } from '@n8n/di';
import v8 from 'node:v8';
import vm from 'node:vm';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { useNodeEnv, type NodeEnv } from '../setup';
import {
	am,
	byId,
	createDraft,
	expectApiError,
	expectNoRequests,
	expectOperationError,
	inbound,
	itemWithFiles,
	readDraft,
	runWith,
} from './helpers';

const getEnv = useNodeEnv();

const bytesOf = async (binary: IBinaryData): Promise<Buffer> => await Container.get(BinaryDataService).getAsBuffer(binary);

/** Deterministic binary content (every byte value), so text decoding or base64 slips show. */
function pattern(size: number, seed = 7): Buffer {
	const out = Buffer.alloc(size);
	for (let i = 0; i < size; i++) out[i] = (i * 131 + seed) % 256;
	return out;
}

interface Sent {
	filename: string;
	content_type: string;
	bytes: Buffer;
}

const FILES: Sent[] = [
	{ filename: 'invoice 2026-11.pdf', content_type: 'application/pdf', bytes: pattern(70_001) },
	{ filename: 'photo.png', content_type: 'image/png', bytes: pattern(4096, 3) },
	{ filename: 'notes.txt', content_type: 'text/plain', bytes: Buffer.from('plain text, ünïcode ✓\n') },
];

const asSend = (files: Sent[]) =>
	files.map((file) => ({ filename: file.filename, content_type: file.content_type, content: file.bytes.toString('base64') }));

/** A received message carrying `files`; returns it with its attachment ids. */
async function mailWithFiles(env: NodeEnv, files = FILES) {
	const message = await inbound(env, { from: 'customer@example.com', subject: 'files', text: 'see attached', attachments: asSend(files) });
	const stored = (await env.api.get(`/v0/inboxes/${encodeURIComponent(env.inbox)}/messages/${encodeURIComponent(message.message_id as string)}`)).data;
	await env.clearRequests();
	return { messageId: message.message_id as string, ids: ((stored.attachments ?? []) as IDataObject[]).map((a) => a.attachment_id as string) };
}

async function expectFile(binary: IBinaryData | undefined, file: Sent): Promise<void> {
	expect(binary).toBeDefined();
	expect(binary!.fileName).toBe(file.filename);
	expect(binary!.mimeType).toBe(file.content_type);
	const bytes = await bytesOf(binary!);
	expect(bytes.length).toBe(file.bytes.length);
	expect(bytes.equals(file.bytes)).toBe(true);
}

const message = (operation: string, params: INodeParameters): INodeParameters => ({ resource: 'message', operation, ...params });
const draft = (operation: string, params: INodeParameters): INodeParameters => ({ resource: 'draft', operation, ...params });

describe('message: get attachment', () => {
	it('downloads one attachment into the named binary property: bytes, file name, MIME type as sent; no base64 in JSON', async () => {
		const env = getEnv();
		const { messageId, ids } = await mailWithFiles(env);
		const run = await runWith(env, [
			am('Get', message('getAttachment', { inboxId: byId(env.inbox), messageId, attachmentId: ids[0], binaryPropertyName: 'invoice' })),
		]);
		expect(run.status).toBe('success');
		const [item] = run.output('Get');
		expect(Object.keys(item.binary ?? {})).toEqual(['invoice']);
		await expectFile(item.binary!.invoice, FILES[0]);
		expect(item.json).toMatchObject({
			message_id: messageId,
			attachment_id: ids[0],
			filename: FILES[0].filename,
			content_type: 'application/pdf',
			size: FILES[0].bytes.length,
			binary_property: 'invoice',
			result: { attachment_id: ids[0], download_url: expect.stringContaining('/_sandbox/attachments/') },
		});
		expect(JSON.stringify(item.json).length).toBeLessThan(2000);
		// One API request (the AttachmentResponse); the download went to the presigned link, which the
		// sandbox refuses (400) when it carries an Authorization header: the API key did not travel.
		const logged = await env.requests();
		expect(logged.map((r) => r.decoded_path)).toEqual([`/v0/inboxes/${env.inbox}/messages/${messageId}/attachments/${ids[0]}`]);
	});

	it('downloads all attachments into attachment_0, attachment_1, ... in the order of the message', async () => {
		const env = getEnv();
		const { messageId, ids } = await mailWithFiles(env);
		const run = await runWith(env, [am('Get', message('getAttachment', { inboxId: byId(env.inbox), messageId, attachmentMode: 'all' }))]);
		expect(run.status).toBe('success');
		const [item] = run.output('Get');
		expect(Object.keys(item.binary ?? {})).toEqual(['attachment_0', 'attachment_1', 'attachment_2']);
		for (const [index, file] of FILES.entries()) await expectFile(item.binary![`attachment_${index}`], file);
		expect((item.json.attachments as IDataObject[]).map((a) => [a.binary_property, a.attachment_id, a.filename])).toEqual(
			FILES.map((file, index) => [`attachment_${index}`, ids[index], file.filename]),
		);
		expect((item.json.result as IDataObject).message_id).toBe(messageId);
	});

	it('a message without attachments gives an item without binary data in "all" mode', async () => {
		const env = getEnv();
		const { messageId } = await mailWithFiles(env, []);
		const run = await runWith(env, [am('Get', message('getAttachment', { inboxId: byId(env.inbox), messageId, attachmentMode: 'all' }))]);
		expect(run.status).toBe('success');
		expect(run.output('Get')[0].binary ?? {}).toEqual({});
		expect(run.json('Get')[0].attachments).toEqual([]);
	});

	it('refuses a missing or bad attachment id and a bad property name before any request', async () => {
		const env = getEnv();
		const { messageId } = await mailWithFiles(env);
		const cases: Array<[INodeParameters, RegExp]> = [
			[{ attachmentId: '={{ "" }}' }, /^Attachment ID is required$/],
			[{ attachmentId: 'att\r\nx' }, /^Attachment ID is not a valid id/],
			[{ attachmentId: 'att_1', binaryPropertyName: 'my file' }, /^Put Output File in Field: use letters/],
			[{ attachmentId: 'att_1', messageId: '..' }, /^Message ID is not a valid id/],
		];
		for (const [params, error] of cases) {
			const run = await runWith(env, [am('Get', message('getAttachment', { inboxId: byId(env.inbox), messageId, ...params }))]);
			expectOperationError(run, 'Get', error);
		}
		await expectNoRequests(env);
	});

	it('an unknown attachment is AgentMail\'s 404; with On Error = Continue the item carries it and others go on', async () => {
		const env = getEnv();
		const { messageId, ids } = await mailWithFiles(env);
		const params = message('getAttachment', { inboxId: byId(env.inbox), messageId, attachmentId: '={{ $json.id }}' });
		const stop = await runWith(env, [am('Get', { ...params, attachmentId: 'att_missing' })]);
		expectApiError(stop, 'Get', 404, 'not_found');
		const run = await env.run([am('Get', params, { onError: 'continueRegularOutput' })], { items: [{ id: 'att_missing' }, { id: ids[2] }] });
		expect(run.status).toBe('success');
		const [missing, found] = run.output('Get');
		expect(missing.json).toMatchObject({ status: 404, code: 'not_found', error: expect.stringContaining('Attachment not found') });
		expect(missing.binary).toBeUndefined();
		await expectFile(found.binary!.data, FILES[2]);
	});
});

describe('message: get with Download Attachments', () => {
	it('outputs the message and every attachment as binary attachment_0…', async () => {
		const env = getEnv();
		const { messageId } = await mailWithFiles(env, FILES.slice(0, 2));
		const run = await runWith(env, [
			am('Get', message('get', { inboxId: byId(env.inbox), messageId, options: { downloadAttachments: true } })),
		]);
		expect(run.status).toBe('success');
		const [item] = run.output('Get');
		expect(item.json).toMatchObject({ message_id: messageId, result: { subject: 'files', text: 'see attached' } });
		await expectFile(item.binary!.attachment_0, FILES[0]);
		await expectFile(item.binary!.attachment_1, FILES[1]);
		const plain = await runWith(env, [am('Get', message('get', { inboxId: byId(env.inbox), messageId }))]);
		expect(plain.output('Get')[0].binary).toBeUndefined();
	});

	it('refuses a non-boolean Download Attachments before any request', async () => {
		const env = getEnv();
		const { messageId } = await mailWithFiles(env, []);
		const run = await runWith(env, [
			am('Get', message('get', { inboxId: byId(env.inbox), messageId, options: { downloadAttachments: '={{ "maybe" }}' } })),
		]);
		expectOperationError(run, 'Get', /^Download Attachments/);
		await expectNoRequests(env);
	});
});

describe('draft: get attachment, update add / remove attachments', () => {
	async function draftWithFiles(env: NodeEnv) {
		const created = await createDraft(env, { to: ['a@example.com'], subject: 'files', attachments: asSend(FILES.slice(0, 2)) });
		await env.clearRequests();
		return { draftId: created.draft_id as string, ids: (created.attachments as IDataObject[]).map((a) => a.attachment_id as string) };
	}

	it('downloads one or all attachments of a draft', async () => {
		const env = getEnv();
		const { draftId, ids } = await draftWithFiles(env);
		const one = await runWith(env, [am('Get', draft('getAttachment', { inboxId: byId(env.inbox), draftId: byId(draftId), attachmentId: ids[1] }))]);
		expect(one.status).toBe('success');
		await expectFile(one.output('Get')[0].binary!.data, FILES[1]);
		expect(one.json('Get')[0]).toMatchObject({ draft_id: draftId, attachment_id: ids[1], filename: 'photo.png' });
		const all = await runWith(env, [am('Get', draft('getAttachment', { inboxId: byId(env.inbox), draftId: byId(draftId), attachmentMode: 'all' }))]);
		await expectFile(all.output('Get')[0].binary!.attachment_0, FILES[0]);
		await expectFile(all.output('Get')[0].binary!.attachment_1, FILES[1]);
	});

	it('adds binary properties of the input item and removes attachments by id in one update', async () => {
		const env = getEnv();
		const { draftId, ids } = await draftWithFiles(env);
		const run = await runWith(
			env,
			[
				am(
					'Update',
					draft('update', {
						inboxId: byId(env.inbox),
						draftId: byId(draftId),
						updateFields: { addAttachments: 'data', removeAttachments: ids[0] },
					}),
				),
			],
			{ startItems: [itemWithFiles({ data: ['added.csv', 'text/csv', 'a,b\n1,2\n'] })] },
		);
		expect(run.status).toBe('success');
		const [request] = await env.requests();
		expect(request.body).toEqual({
			remove_attachments: [ids[0]],
			add_attachments: [{ filename: 'added.csv', content_type: 'text/csv', content: Buffer.from('a,b\n1,2\n').toString('base64') }],
		});
		const stored = (await readDraft(env, draftId)).data;
		expect((stored.attachments as IDataObject[]).map((a) => a.filename)).toEqual(['photo.png', 'added.csv']);
		expect(run.json('Update')[0]).toMatchObject({ draft_id: draftId, result: { attachments: stored.attachments } });
	});

	it('refuses a missing binary property or a bad attachment id before any request', async () => {
		const env = getEnv();
		const { draftId } = await draftWithFiles(env);
		const cases: Array<[INodeParameters, RegExp]> = [
			[{ addAttachments: 'nope' }, /^Attachments: the input item has no binary property "nope"$/],
			[{ removeAttachments: '={{ { id: 1 } }}' }, /^Remove Attachments: expected attachment ids as text, got an object$/],
			[{ removeAttachments: 'att_1, ..' }, /^Remove Attachments is not a valid id/],
		];
		for (const [updateFields, error] of cases) {
			const run = await runWith(env, [am('Update', draft('update', { inboxId: byId(env.inbox), draftId: byId(draftId), updateFields }))]);
			expectOperationError(run, 'Update', error);
		}
		await expectNoRequests(env);
	});

	it('an unknown draft is a 404; continue-on-fail keeps going', async () => {
		const env = getEnv();
		const { draftId } = await draftWithFiles(env);
		const run = await env.run(
			[am('Get', draft('getAttachment', { inboxId: byId(env.inbox), draftId: byId('={{ $json.id }}'), attachmentMode: 'all' }), { onError: 'continueRegularOutput' })],
			{ items: [{ id: 'drf_missing' }, { id: draftId }] },
		);
		const [missing, found] = run.output('Get');
		expect(missing.json).toMatchObject({ status: 404, code: 'not_found' });
		expect(Object.keys(found.binary ?? {})).toEqual(['attachment_0', 'attachment_1']);
	});
});

describe('a 20 MB attachment', () => {
	/** A full garbage collection between measurements (jest runs without --expose-gc). */
	function collector(): () => void {
		v8.setFlagsFromString('--expose-gc');
		return vm.runInNewContext('gc') as () => void;
	}

	interface Peak {
		/** heapUsed + arrayBuffers (Buffers live outside the heap) above the level before, at the peak. */
		js: number;
		rss: number;
	}

	async function measured(gc: () => void, work: () => Promise<unknown>): Promise<Peak> {
		gc();
		const before = process.memoryUsage();
		const base = before.heapUsed + before.arrayBuffers;
		const peak = { js: 0, rss: 0 };
		const sample = () => {
			const now = process.memoryUsage();
			peak.js = Math.max(peak.js, now.heapUsed + now.arrayBuffers - base);
			peak.rss = Math.max(peak.rss, now.rss - before.rss);
		};
		const sampler = setInterval(sample, 2);
		try {
			await work();
		} finally {
			sample();
			clearInterval(sampler);
		}
		return peak;
	}

	const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
	const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
	const signed = (n: number) => `${n >= 0 ? '+' : ''}${mb(n)}`;
	const spread = (values: number[]) => `median ${mb(median(values))} MB (${mb(Math.min(...values))}–${mb(Math.max(...values))})`;

	it('arrives byte for byte as binary data; memory is measured against a buffered download and printed (no memory assertion)', async () => {
		const env = getEnv();
		const gc = collector();
		const big: Sent = { filename: 'big.bin', content_type: 'application/octet-stream', bytes: pattern(20 * 1024 * 1024, 11) };
		const { messageId, ids } = await mailWithFiles(env, [big]);
		const params = message('getAttachment', { inboxId: byId(env.inbox), messageId, attachmentId: ids[0] });

		const first = await runWith(env, [am('Get', params)]);
		expect(first.status).toBe('success');
		const [item] = first.output('Get') as INodeExecutionData[];
		const binary = item.binary!.data;
		// Stored by n8n's binary data service (filesystem mode here), not as base64 inside the item.
		expect(binary.id).toEqual(expect.stringMatching(/^filesystem/));
		expect(binary.data.length).toBeLessThan(100);
		expect(JSON.stringify(item.json).length).toBeLessThan(2000);
		await expectFile(binary, big);

		// Side by side, interleaved, 3 rounds: the node vs. the same two requests with the file
		// buffered and base64-encoded into JSON (what a node without binary streaming holds).
		// Both include the sandbox's own 20 MB copy of the file while it answers (same process).
		const node: Peak[] = [];
		const buffered: Peak[] = [];
		const drained: Peak[] = [];
		for (let round = 0; round < 3; round++) {
			// The floor: the same two requests, the file read as a stream and thrown away (the sandbox's share).
			drained.push(
				await measured(gc, async () => {
					const meta = await env.api.get(`/v0/inboxes/${encodeURIComponent(env.inbox)}/messages/${encodeURIComponent(messageId)}/attachments/${ids[0]}`);
					const file = await env.admin.get(meta.data.download_url, { responseType: 'stream' });
					let size = 0;
					for await (const chunk of file.data as AsyncIterable<Buffer>) size += chunk.length;
					expect(size).toBe(big.bytes.length);
				}),
			);
			node.push(await measured(gc, async () => expect((await runWith(env, [am('Get', params)])).status).toBe('success')));
			buffered.push(
				await measured(gc, async () => {
					const meta = await env.api.get(`/v0/inboxes/${encodeURIComponent(env.inbox)}/messages/${encodeURIComponent(messageId)}/attachments/${ids[0]}`);
					const file = await env.admin.get(meta.data.download_url, { responseType: 'arraybuffer' });
					const json = { ...meta.data, data: Buffer.from(file.data).toString('base64') };
					expect(json.data.length).toBeGreaterThan(big.bytes.length);
				}),
			);
		}
		const ratio = median(node.map((p) => p.js)) / median(buffered.map((p) => p.js));
		// eslint-disable-next-line no-console
		console.log(
			`20 MB attachment, peak memory above the level before (heap + Buffers), 3 interleaved rounds:\n` +
				`  node (stream -> binary store): ${spread(node.map((p) => p.js))}; rss ${spread(node.map((p) => p.rss))}\n` +
				`  buffered + base64 in JSON:     ${spread(buffered.map((p) => p.js))}; rss ${spread(buffered.map((p) => p.rss))}\n` +
				`  streamed and discarded (floor: the sandbox's share): ${spread(drained.map((p) => p.js))}\n` +
				`  above the floor (medians): node ${signed(median(node.map((p) => p.js)) - median(drained.map((p) => p.js)))} MB, ` +
				`buffered ${signed(median(buffered.map((p) => p.js)) - median(drained.map((p) => p.js)))} MB\n` +
				`  ratio node / buffered (median heap + Buffers): ${ratio.toFixed(2)}`,
		);
	}, 180_000);
});

describe('attachments of many items', () => {
	it('are read only when the item may send: at most Concurrency items hold their files at once', async () => {
		const env = getEnv();
		const items = Array.from({ length: 6 }, (_, index) => {
			const item = itemWithFiles({ data: [`f${index}.txt`, 'text/plain', `file ${index}`] });
			item.json = { to: `r${index}@example.com` };
			return item;
		});
		const service = Container.get(BinaryDataService);
		const read = service.getAsBuffer.bind(service);
		// For each file read: how many sends the server had received by then.
		const sentAtRead: number[] = [];
		const spy = jest.spyOn(service, 'getAsBuffer').mockImplementation(async (binary) => {
			sentAtRead.push((await env.requests()).filter((request) => request.method === 'POST').length);
			return await read(binary);
		});
		try {
			const run = await runWith(
				env,
				[
					am('Send', {
						resource: 'message',
						operation: 'send',
						inboxId: byId(env.inbox),
						to: '={{ $json.to }}',
						subject: 'files',
						text: 'x',
						additionalFields: { attachments: 'data' },
						requestOptions: { concurrency: 2 },
					}),
				],
				{ startItems: items },
			);
			expect(run.status).toBe('success');
		} finally {
			spy.mockRestore();
		}
		expect(await env.outbox()).toHaveLength(6);
		// Two items read theirs and send; each further item reads its file only after an earlier one was sent.
		expect(sentAtRead).toHaveLength(6);
		sentAtRead.forEach((sent, read) => expect(sent).toBeGreaterThanOrEqual(read - 1));
	});
});
