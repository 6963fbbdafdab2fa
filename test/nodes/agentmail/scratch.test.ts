import { useNodeEnv } from '../setup';
import { am, byId, inbound } from './helpers';
const getEnv = useNodeEnv();
it('x', async () => {
	const env = getEnv();
	const message = await inbound(env, { from: 'Customer <customer@example.com>', subject: 'Question', text: 'Hi?' });
	const run = await env.run([am('Create', { resource: 'draft', operation: 'create', inboxId: byId(env.inbox), text: 'Answer', additionalFields: { inReplyTo: message.message_id as string } })]);
	console.log(run.error?.message, JSON.stringify(await env.requests()));
	const r2 = await env.run([am('Get', { resource: 'draft', operation: 'get', inboxId: byId(env.inbox), draftId: byId('') })]);
	console.log(r2.status, r2.error?.name, r2.error?.message);
});
