/**
 * The review page and the decision read the credential once per webhook call
 * (n8n 2.41 builds a workflow and an expression sandbox for every read in a
 * webhook context), however many AgentMail requests the call makes.
 */
import type { IDataObject } from 'n8n-workflow';

import { TestCredentialsHelper } from '../../harness';
import { useNodeEnv } from '../setup';
import { createDraft, formFields, openPage, startApproval, submit } from './helpers';

const getEnv = useNodeEnv();

afterEach(() => jest.restoreAllMocks());

describe('Wait for Approval: credential reads', () => {
	it('one per webhook call: the page (GET) and the Send Now decision (POST)', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		const reads = jest.spyOn(TestCredentialsHelper.prototype, 'getDecrypted');

		const page = await openPage(state);
		expect(page.result.statusCode).toBe(200);
		expect(reads).toHaveBeenCalledTimes(1);

		await env.clearRequests();
		const result = await submit(state, { ...formFields(page.html), decision: 'approve' });
		expect(result.run?.status).toBe('success');
		expect(await env.outbox()).toHaveLength(1);
		// The decision made several AgentMail requests (load, claim, send, read back) with that one read.
		expect((await env.requests()).length).toBeGreaterThan(1);
		expect(reads).toHaveBeenCalledTimes(2);
	});
});

describe('Wait for Approval: requests of a Send Now decision', () => {
	const summary = (requests: IDataObject[]) =>
		requests.map((request) => `${String(request.method)} ${String(request.path).replace(/\/v0\/inboxes\/[^/]+/, '')}`);

	it('unedited: load, claim, send (which moves the labels), read back; the draft is not written first', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		const page = await openPage(state);
		await env.clearRequests();
		const result = await submit(state, { ...formFields(page.html), decision: 'approve' });
		expect(result.run?.status).toBe('success');
		const id = encodeURIComponent(String(draft.draft_id));
		const requests = await env.requests();
		const [item] = result.run!.output('Approval', 0);
		expect(summary(requests)).toEqual([
			`GET /drafts/${id}`,
			'POST /drafts',
			`POST /drafts/${id}/send`,
			`GET /messages/${encodeURIComponent(String(item.json.message_id))}`,
		]);
		expect(requests[2].body).toEqual({ add_labels: ['approved'], remove_labels: ['pending-approval'] });
		const labels = (item.json.result as { labels: string[] }).labels;
		expect(labels).toContain('approved');
		expect(labels).not.toContain('pending-approval');
		expect(await env.outbox()).toHaveLength(1);
	});

	it('edited: the edits are written before the send', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		const page = await openPage(state);
		await env.clearRequests();
		const result = await submit(state, { ...formFields(page.html), decision: 'approve', subject_0: 'About your refund (edited)' });
		expect(result.run?.status).toBe('success');
		const methods = summary(await env.requests()).map((line) => line.split(' ')[0]);
		expect(methods).toEqual(['GET', 'POST', 'PATCH', 'POST', 'GET']);
		const [sent] = await env.outbox();
		expect(sent.subject).toBe('About your refund (edited)');
	});
});
