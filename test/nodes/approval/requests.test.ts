/**
 * The review page and the decision read the credential once per webhook call
 * (n8n 2.41 builds a workflow and an expression sandbox for every read in a
 * webhook context), however many AgentMail requests the call makes.
 */
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
		// The decision made several AgentMail requests (load, claim, label, send, read back) with that one read.
		expect((await env.requests()).length).toBeGreaterThan(1);
		expect(reads).toHaveBeenCalledTimes(2);
	});
});
