/**
 * The demo inside n8n, through the public API: an "AgentMail API" credential
 * pointing at the sandbox, examples/approval.json and
 * examples/draft-lifecycle.json using it, and the approval demo published.
 *
 * Re-runs reuse what an earlier run made (found by name): the credential is
 * updated to the current sandbox URL and key, workflows are kept as they are
 * (with your edits) and only re-pointed if they reference another credential;
 * the approval demo is published again if it was unpublished. To start over,
 * stop `npm start` and delete .n8n-run/start.
 */
import * as fs from 'fs';
import * as path from 'path';

import { AGENTMAIL_CREDENTIAL_TYPE, createAgentMailCredential } from '../lib/agentmail';
import type { N8nApi, Workflow, WorkflowInput, WorkflowNode } from '../lib/n8nApi';
import { EXAMPLES_DIR } from './settings';

export const CREDENTIAL_NAME = 'AgentMail sandbox';
export const APPROVAL_WEBHOOK_PATH = 'agentmail-approval-demo';
const APPROVAL_FILE = path.join(EXAMPLES_DIR, 'approval.json');
const LIFECYCLE_FILE = path.join(EXAMPLES_DIR, 'draft-lifecycle.json');

export interface DemoWorkflow {
	id: string;
	name: string;
	active: boolean;
	/** What this run did with it. */
	action: 'imported' | 'reused' | 're-pointed to the credential';
}

export interface Demo {
	credential: { id: string; name: string; action: 'created' | 'updated' };
	approval: DemoWorkflow;
	lifecycle: DemoWorkflow;
}

async function ensureCredential(api: N8nApi, sandbox: { url: string; apiKey: string }): Promise<Demo['credential']> {
	const { data } = await api.request<{ data: Array<{ id: string; name: string; type: string }> }>('GET', '/credentials', {
		query: { limit: 250 },
	});
	const existing = data.find((c) => c.name === CREDENTIAL_NAME && c.type === AGENTMAIL_CREDENTIAL_TYPE);
	if (existing) {
		// The sandbox port or key may differ from the last run.
		await api.request('PATCH', `/credentials/${existing.id}`, {
			body: { data: { apiKey: sandbox.apiKey, region: 'custom', baseUrl: sandbox.url } },
		});
		return { id: existing.id, name: existing.name, action: 'updated' };
	}
	const created = await createAgentMailCredential(api, { name: CREDENTIAL_NAME, apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	return { id: created.id, name: created.name, action: 'created' };
}

/** The nodes with every AgentMail credential reference replaced by `credential`; null when nothing changes. */
function repointed(nodes: WorkflowNode[], credential: { id: string; name: string }): WorkflowNode[] | null {
	let changed = false;
	const result = nodes.map((node) => {
		const ref = node.credentials?.[AGENTMAIL_CREDENTIAL_TYPE];
		if (!ref || ref.id === credential.id) return node;
		changed = true;
		return { ...node, credentials: { ...node.credentials, [AGENTMAIL_CREDENTIAL_TYPE]: { ...credential } } };
	});
	return changed ? result : null;
}

export async function ensureWorkflow(api: N8nApi, file: string, credential: { id: string; name: string }): Promise<DemoWorkflow> {
	const example = JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowInput;
	const existing = (await api.listWorkflows({ name: example.name })).find((w) => w.name === example.name);
	if (!existing) {
		const created = await api.createWorkflow({ ...example, nodes: repointed(example.nodes, credential) ?? example.nodes });
		return { id: created.id, name: created.name, active: created.active, action: 'imported' };
	}
	const nodes = repointed(existing.nodes, credential);
	if (!nodes) return { id: existing.id, name: existing.name, active: existing.active, action: 'reused' };
	const { name, connections, settings } = existing;
	const updated = await api.request<Workflow>('PUT', `/workflows/${existing.id}`, { body: { name, nodes, connections, settings } });
	return { id: updated.id, name: updated.name, active: updated.active, action: 're-pointed to the credential' };
}

export async function setUpDemo(api: N8nApi, sandbox: { url: string; apiKey: string }): Promise<Demo> {
	const credential = await ensureCredential(api, sandbox);
	const approval = await ensureWorkflow(api, APPROVAL_FILE, credential);
	const lifecycle = await ensureWorkflow(api, LIFECYCLE_FILE, credential);
	if (!approval.active || approval.action === 're-pointed to the credential') {
		await api.activateWorkflow(approval.id);
		approval.active = (await api.getWorkflow(approval.id)).active;
	}
	return { credential, approval, lifecycle };
}
