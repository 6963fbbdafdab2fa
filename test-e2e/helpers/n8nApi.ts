/**
 * The n8n API client of scripts/lib/n8nApi.ts with defaults for the n8n that
 * the suite's globalSetup started (e2e-state.json).
 */
import {
	N8nApi as BaseN8nApi,
	loadedNodeTypes as loadedNodeTypesOf,
	ownerCookie as ownerCookieOf,
	type N8nOwnerAccess,
	type NodeTypeDescription,
} from '../../scripts/lib/n8nApi';
import { e2eState } from './env';

export {
	N8nApiError,
	executionError,
	nodeOutput,
	type Credential,
	type Execution,
	type ExecutionStatus,
	type N8nOwnerAccess,
	type NodeRun,
	type NodeTypeDescription,
	type Workflow,
	type WorkflowInput,
	type WorkflowNode,
} from '../../scripts/lib/n8nApi';

export class N8nApi extends BaseN8nApi {
	/** A client for the n8n that globalSetup started. */
	static fromE2eState(): N8nApi {
		const { url, apiKey } = e2eState().n8n;
		return new N8nApi(url, apiKey);
	}
}

/** Owner session cookie (default: the e2e n8n). */
export function ownerCookie(n8n: N8nOwnerAccess = e2eState().n8n): Promise<string> {
	return ownerCookieOf(n8n);
}

/** Every node type the running n8n has loaded (default: the e2e n8n). */
export function loadedNodeTypes(n8n: N8nOwnerAccess = e2eState().n8n): Promise<NodeTypeDescription[]> {
	return loadedNodeTypesOf(n8n);
}
