/**
 * Credential tests ("Test" button in the credential modal).
 *
 * packages/cli/src/services/credentials-tester.service.ts is cli-only code, so it
 * is reimplemented here, following the source:
 *   - getCredentialTestFunction(): the credential type's own `test`
 *     (ICredentialTestRequest), else `testedBy` on a supported node of the package
 *     (function name in `methods.credentialTest`, or a request object), else the
 *     OAuth2 "has access_token" check.
 *   - data = applyDefaultsAndOverwrites(data, type, 'internal')
 *   - function tests: called with n8n-core's `CredentialTestContext`.
 *   - request tests: a temp workflow with one node of a copy of the (noOp or
 *     testing) node type whose only property `temp` routes `test.request`, run with
 *     n8n-core's `ExecuteContext` + `RoutingNode(context, nodeType, credentialsDecrypted)`
 *     -> `httpRequestWithAuthentication` (credential's `authenticate` applied) -> real HTTP.
 *   - errors with a response: `rules` of type responseCode, then non-2xx -> Error with
 *     statusText; `error.cause.code` (e.g. ECONNREFUSED); success + `responseSuccessBody` rules.
 * Difference: the temp workflow's expression isolate is acquired around the
 * request (the cli tester runs with its own isolate handling); secrets redaction
 * of error messages is not reproduced.
 */
import { CredentialTestContext, ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialTestFunctions,
	ICredentialTestRequest,
	ICredentialsDecrypted,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRunExecutionData,
	ITaskDataConnections,
	IWorkflowBase,
} from 'n8n-workflow';
import { NodeHelpers, VersionedNodeType, Workflow } from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { ensureHarnessReady } from './container';
import { CredentialStore, TestCredentialsHelper, credentialIdFor } from './credentials-helper';
import type { LoadedPackage } from './load-package';

export type CredentialTestResult = INodeCredentialTestResult;

type TestTarget =
	| ICredentialTestFunction
	| { nodeType?: INodeType; testRequest: ICredentialTestRequest };

/** stand-in for n8n-nodes-base.noOp (only its description is used by the tester) */
const NO_OP_NODE_TYPE: INodeType = {
	description: {
		displayName: 'No Operation, do nothing',
		name: 'n8n-nodes-base.noOp',
		group: ['organization'],
		version: 1,
		description: 'No Operation',
		defaults: { name: 'No Operation, do nothing' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as never,
};

function getCredentialTestFunction(pkg: LoadedPackage, credentialType: string): TestTarget | undefined {
	const type = pkg.credentialTypes.getByName(credentialType);
	if (type.test) return { testRequest: type.test };

	for (const nodeName of pkg.credentialTypes.getSupportedNodes(credentialType)) {
		const node = pkg.nodeTypes.getByName(nodeName);
		const allNodeTypes: INodeType[] =
			node instanceof VersionedNodeType || 'nodeVersions' in node
				? Object.values((node as VersionedNodeType).nodeVersions)
				: [node as INodeType];
		for (const nodeType of allNodeTypes) {
			for (const { name, testedBy } of nodeType.description.credentials ?? []) {
				if (
					name === credentialType &&
					(pkg.credentialTypes.getParentTypes(name).includes('oAuth2Api') || name === 'oAuth2Api')
				) {
					return async function oauth2CredTest(
						this: ICredentialTestFunctions,
						cred: ICredentialsDecrypted,
					): Promise<INodeCredentialTestResult> {
						const tokenData = cred?.data?.oauthTokenData;
						return tokenData && typeof tokenData === 'object' && 'access_token' in tokenData
							? { status: 'OK', message: 'Connection Successful!' }
							: { status: 'Error', message: 'Not Connected' };
					};
				}
				if (name === credentialType && !!testedBy) {
					if (typeof testedBy === 'string') {
						if ('nodeVersions' in node) {
							const versions = Object.keys(node.nodeVersions).sort().reverse();
							for (const version of versions) {
								const credentialTest = node.nodeVersions[parseInt(version, 10)].methods?.credentialTest;
								if (credentialTest && testedBy in credentialTest) return credentialTest[testedBy];
							}
						}
						return (node as INodeType).methods?.credentialTest?.[testedBy];
					}
					return { nodeType, testRequest: testedBy };
				}
			}
		}
	}
	return undefined;
}

/**
 * Tests `data` for credential type `credentialType` of the loaded package, like
 * n8n's credential "Test" button, with real HTTP.
 */
export async function testCredential(
	pkg: LoadedPackage,
	credentialType: string,
	data: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	await ensureHarnessReady();
	const target = getCredentialTestFunction(pkg, credentialType);
	if (target === undefined) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}

	const store = new CredentialStore({ [credentialType]: data });
	const credentialsHelper = new TestCredentialsHelper(pkg.credentialTypes, store);
	const tempWorkflowData = { id: 'credential-test', name: 'Credential test', nodes: [], connections: {} } as unknown as IWorkflowBase;
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: credentialIdFor(credentialType),
		name: credentialType,
		type: credentialType,
		data: structuredClone(data),
	};

	try {
		credentialsDecrypted.data = await credentialsHelper.applyDefaultsAndOverwrites(
			buildAdditionalData({ credentialsHelper, workflowData: tempWorkflowData, mode: 'internal' }),
			credentialsDecrypted.data!,
			credentialType,
			'internal',
		);
	} catch (error) {
		return { status: 'Error', message: String((error as Error).message) };
	}

	if (typeof target === 'function') {
		const context = new CredentialTestContext();
		return await target.call(context, credentialsDecrypted);
	}

	const nodeType = target.nodeType ?? NO_OP_NODE_TYPE;
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: nodeType.description.name,
		typeVersion: Array.isArray(nodeType.description.version)
			? nodeType.description.version.slice(-1)[0]
			: nodeType.description.version,
		position: [0, 0],
		credentials: {
			[credentialType]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name },
		},
	};
	const nodeTypeCopy: INodeType = {
		description: {
			...nodeType.description,
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: target.testRequest.request },
					default: '',
				} as INodeProperties,
			],
		},
	};
	const mockNodeTypes: INodeTypes = {
		getKnownTypes: () => ({}),
		getByName: () => nodeTypeCopy,
		getByNameAndVersion: (_type: string, version?: number) =>
			NodeHelpers.getVersionedNodeType(nodeTypeCopy, version),
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: mockNodeTypes,
	});

	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const connectionInputData: INodeExecutionData[] = [];
	const runExecutionData = { resultData: { runData: {} } } as IRunExecutionData;
	const additionalData = buildAdditionalData({
		credentialsHelper,
		workflowData: tempWorkflowData,
		mode: 'internal',
	});
	const executeData: IExecuteData = { node, data: {}, source: null };
	const executeFunctions = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		connectionInputData,
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);

	let response: INodeExecutionData[][] | null | undefined;
	await workflow.expression.acquireIsolate();
	try {
		response = await routingNode.runNode();
	} catch (e) {
		const error = e as Error & { cause?: { response?: { status: number; statusText?: string }; code?: string } };
		if (error.cause?.response) {
			const errorResponseData = {
				statusCode: error.cause.response.status,
				statusMessage: error.cause.response.statusText,
			};
			for (const rule of target.testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && errorResponseData.statusCode === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (errorResponseData.statusCode < 199 || errorResponseData.statusCode > 299) {
				return {
					status: 'Error',
					message:
						errorResponseData.statusMessage ||
						`Received HTTP status code: ${errorResponseData.statusCode}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	} finally {
		await workflow.expression.releaseIsolate();
	}

	for (const rule of target.testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const responseData = response![0][0].json;
			const value = rule.properties.key
				.split('.')
				.reduce<unknown>((acc, key) => (acc as Record<string, unknown>)?.[key], responseData);
			if (value === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
