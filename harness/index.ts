/**
 * Test harness: runs this repo's n8n nodes through n8n's own execution code
 * (n8n-core 2.41 WorkflowExecute / WebhookContext / request helpers) in jest.
 * See README.md in this folder.
 */
import './env';

export { ensureHarnessReady, shutdownHarness, activeExpressionEngine } from './container';
export { loadPackage, lastLoadedPackage, HarnessNodeTypes, HarnessCredentialTypes } from './load-package';
export type { LoadedPackage } from './load-package';
export { MANUAL_TRIGGER_TYPE, HarnessManualTrigger } from './manual-trigger';
export {
	TestCredentialsHelper,
	CredentialStore,
	credentialIdFor,
} from './credentials-helper';
export type { CredentialsInput } from './credentials-helper';
export { testCredential } from './credential-test';
export type { CredentialTestResult } from './credential-test';
export {
	HARNESS_BASE_URL,
	ENDPOINTS,
	HookRecorder,
	buildAdditionalData,
} from './additional-data';
export type { HookEvent, HookName } from './additional-data';
export { runWorkflow, loadRunExecutionData, normalizeWorkflow } from './execution';
export type {
	HarnessExecutionState,
	HarnessRun,
	RunWorkflowOptions,
	WorkflowInput,
} from './execution';
export { callWaitingWebhook, expireWait } from './waiting';
export type { WaitingWebhookRequest, WaitingWebhookResult, ExpireWaitOptions } from './waiting';
export { createFakeRequest, FakeResponse } from './http';
export { TriggerHarness } from './trigger';
export type { TriggerHarnessOptions, DeliveryResult } from './trigger';
