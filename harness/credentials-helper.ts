/**
 * In-memory replacement for n8n's `CredentialsHelper`
 * (packages/cli/src/credentials-helper.ts), the `ICredentialsHelper` the server
 * puts into `additionalData.credentialsHelper`.
 *
 * Followed line by line from the cli source:
 *   - authenticate(): function-style `authenticate` is called as-is; the
 *     declarative `{ type: 'generic', properties: { headers|qs|body|auth: {...} } }`
 *     resolves every key and value with `workflow.expression.getSimpleParameterValue(
 *     node, value, 'internal', { $credentials }, undefined, '')` and writes it into
 *     `requestOptions[outerKey][key]`.
 *   - preAuthentication()/runPreAuthentication(): same guards (hidden expirable
 *     property, `credentialsExpired`, credential-test detection), persistence goes
 *     to the in-memory store instead of the DB. The request helper handed to
 *     `preAuthentication` is restricted to the credential's allowed domains like
 *     `restrictToCredentialDomains`.
 *   - getDecrypted() -> applyDefaultsAndOverwrites(): defaults via
 *     `NodeHelpers.getNodeParameters(props, data, true, false, null, null)`, keeps
 *     `oauthTokenData` / `allowedHttpRequestDomains` / `allowedDomains`, parses
 *     `resolveCredentialJsonLeaves` fields, resolves expressions in credential
 *     values (`={{ ... }}`) with `getAdditionalKeys(..., { isCredential: true })`
 *     either against the running node (`expressionResolveValues`) or a mock workflow.
 *   - getCredentialsProperties(): `extends` merging + the special `oauthTokenData`.
 *   - isCredentialUsableByNode(): `restrictToSupportedNodes`.
 * Not mirrored (no DB / EE features): credential overwrites (none configured),
 * dynamic (per-user) credentials, external secrets (`$secrets` resolves to an empty
 * proxy), AI-gateway managed credentials, project policy enforcement, the
 * OAuth "pinned"/DCR fields.
 */
import { getAdditionalKeys } from 'n8n-core';
import type {
	CredentialInformation,
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentials,
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
	getCredentialOwnRequestAllowedDomains,
	isExpression,
	jsonParse,
} from 'n8n-workflow';

import type { HarnessCredentialTypes } from './load-package';

/** What the test provides per credential type. */
export type CredentialsInput = Record<string, ICredentialDataDecryptedObject>;

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** Stable id the harness uses for the credential of a given type. */
export const credentialIdFor = (type: string) => `harness-${type}`;

/** The in-memory "credentials table". */
export class CredentialStore {
	private readonly byId = new Map<string, StoredCredential>();

	constructor(input: CredentialsInput = {}) {
		for (const [type, data] of Object.entries(input)) {
			this.set(type, data);
		}
	}

	set(type: string, data: ICredentialDataDecryptedObject, id = credentialIdFor(type), name = type) {
		this.byId.set(id, { id, name, type, data: structuredClone(data) });
	}

	/** Like `credentialsRepository.findOneByOrFail({ id, type })`, falling back to the type. */
	find(nodeCredentials: INodeCredentialsDetails | undefined, type: string): StoredCredential {
		const byId = nodeCredentials?.id ? this.byId.get(nodeCredentials.id) : undefined;
		if (byId && byId.type === type) return byId;
		const byType = [...this.byId.values()].find((c) => c.type === type);
		if (byType) return byType;
		throw new UserError(
			`Credential with ID "${nodeCredentials?.id ?? ''}" does not exist for type "${type}".`,
		);
	}

	has(type: string): boolean {
		return [...this.byId.values()].some((c) => c.type === type);
	}

	types(): string[] {
		return [...new Set([...this.byId.values()].map((c) => c.type))];
	}

	/** Snapshot (decrypted) for assertions, e.g. after preAuthentication persisted a token. */
	get(type: string): ICredentialDataDecryptedObject | undefined {
		const found = [...this.byId.values()].find((c) => c.type === type);
		return found ? structuredClone(found.data) : undefined;
	}

	clone(): CredentialStore {
		const copy = new CredentialStore();
		for (const c of this.byId.values()) copy.set(c.type, c.data, c.id, c.name);
		return copy;
	}
}

/** In-memory `ICredentials` (n8n-core's `Credentials` encrypts with the instance key; not needed here). */
class MemoryCredentials extends ICredentials {
	constructor(
		private readonly store: CredentialStore,
		private readonly stored: StoredCredential,
	) {
		super({ id: stored.id, name: stored.name }, stored.type, undefined);
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		return structuredClone(this.stored.data);
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: JSON.stringify(this.stored.data) };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.store.set(this.type, data, this.stored.id, this.stored.name);
	}

	async updateData(
		toUpdate: Partial<ICredentialDataDecryptedObject>,
		toDelete: string[] = [],
	): Promise<void> {
		const updated = { ...(await this.getData()), ...toUpdate } as ICredentialDataDecryptedObject;
		for (const key of toDelete) delete updated[key];
		await this.setData(updated);
	}
}

const mockNode: INode = {
	id: 'mock',
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
};

/** packages/cli/src/credentials/mock-node-types.ts equivalent: a node type registry with one empty 'mock' node. */
const mockNodeTypes: INodeTypes = {
	getKnownTypes: () => ({}),
	getByName: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as unknown as INodeType,
};

const INVALID_JSON_VALUE = Symbol('invalidJsonValue');

/** cli `restrictToCredentialDomains` */
function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions): Promise<unknown> => {
				const allowedDomains = getCredentialOwnRequestAllowedDomains(credentials);
				if (allowedDomains === undefined) {
					return await helpers.helpers.httpRequest(requestOptions);
				}
				if (requestOptions.allowedDomains !== undefined) {
					throw new UserError(
						'This credential restricts requests to specific domains, which cannot be combined with the domains its authentication step asks for.',
					);
				}
				return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains });
			},
		},
	};
}

export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		readonly credentialTypes: HarnessCredentialTypes,
		readonly store: CredentialStore,
	) {
		super();
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions;
		const credentialType = this.credentialTypes.getByName(typeName);

		if (credentialType.authenticate) {
			if (typeof credentialType.authenticate === 'function') {
				return await credentialType.authenticate(credentials, requestOptions as IHttpRequestOptions);
			}

			if (typeof credentialType.authenticate === 'object') {
				if (!workflow || !node) {
					throw new UnexpectedError(
						'Workflow and node are required for declarative credential authentication',
					);
				}
				const { authenticate } = credentialType;
				if (requestOptions.headers === undefined) {
					requestOptions.headers = {};
				}
				if (authenticate.type === 'generic') {
					Object.entries(authenticate.properties).forEach(([outerKey, outerValue]) => {
						Object.entries(outerValue as Record<string, string>).forEach(([key, value]) => {
							const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
							const valueResolved = this.resolveValue(
								value,
								{ $credentials: credentials },
								workflow,
								node,
							);
							const target = requestOptions as unknown as Record<string, Record<string, string>>;
							if (!target[outerKey]) target[outerKey] = {};
							target[outerKey][keyResolved] = valueResolved;
						});
					});
				}
			}
		}

		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);

		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property?.typeOptions?.expirable === true,
		);
		if (expirableProperty?.name === undefined) {
			return undefined;
		}

		// check if the node is the mockup node used for testing
		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';

		if (credentialType.preAuthentication) {
			if (typeof credentialType.preAuthentication === 'function') {
				if (
					credentials[expirableProperty?.name] === '' ||
					credentialsExpired ||
					isTestingCredentials
				) {
					const output = await credentialType.preAuthentication.call(
						restrictToCredentialDomains(helpers, credentials),
						credentials,
					);

					if (output[expirableProperty.name] === undefined) {
						return undefined;
					}

					if (node.credentials) {
						const nodeCredentials = node.credentials[credentialType.name];
						const storedData = await (
							await this.getCredentials(nodeCredentials, credentialType.name)
						).getData();
						const dataToPersist: ICredentialDataDecryptedObject = { ...storedData };
						for (const [key, value] of Object.entries(output)) {
							if (key === expirableProperty.name || !isExpression(storedData[key])) {
								dataToPersist[key] = value as CredentialInformation;
							}
						}
						await this.updateCredentials(nodeCredentials, credentialType.name, dataToPersist);
						return Object.assign(credentials, output);
					}
				}
			}
		}
		return undefined;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		if (typeof credentialType.preAuthentication !== 'function') {
			return undefined;
		}
		const output = await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		return (output as ICredentialDataDecryptedObject) ?? undefined;
	}

	/** cli `resolveValue` */
	private resolveValue(
		parameterValue: string,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(parameterValue)) {
			return parameterValue;
		}
		const returnValue = workflow.expression.getSimpleParameterValue(
			node,
			parameterValue,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		if (!returnValue) {
			return '';
		}
		return returnValue.toString();
	}

	getParentTypes(typeName: string): string[] {
		return this.credentialTypes.getParentTypes(typeName);
	}

	async getCredentials(nodeCredential: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		return new MemoryCredentials(this.store, this.store.find(nodeCredential, type));
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.credentialTypes.recognizes(credentialType)) return true;
		const typeDef = this.credentialTypes.getByName(credentialType);
		if (!typeDef.restrictToSupportedNodes) return true;
		return this.credentialTypes.getSupportedNodes(credentialType).includes(nodeType);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialTypeData = this.credentialTypes.getByName(type);

		if (credentialTypeData === undefined) {
			throw new UnexpectedError('Unknown credential type', { tags: { credentialType: type } });
		}

		if (credentialTypeData.extends === undefined) {
			if (['oAuth1Api', 'oAuth2Api'].includes(type)) {
				return [
					...credentialTypeData.properties,
					{
						displayName: 'oauthTokenData',
						name: 'oauthTokenData',
						type: 'json',
						required: false,
						default: {},
					},
				];
			}
			return credentialTypeData.properties;
		}

		const combineProperties = [] as INodeProperties[];
		for (const credentialsTypeName of credentialTypeData.extends) {
			const mergeCredentialProperties = this.getCredentialsProperties(credentialsTypeName);
			NodeHelpers.mergeNodeProperties(combineProperties, mergeCredentialProperties);
		}
		NodeHelpers.mergeNodeProperties(combineProperties, credentialTypeData.properties);
		return combineProperties;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.store.find(nodeCredentials, type);
		const decryptedDataOriginal = structuredClone(stored.data);
		if (raw === true) {
			return decryptedDataOriginal;
		}
		return await this.applyDefaultsAndOverwrites(
			additionalData,
			decryptedDataOriginal,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		decryptedDataOriginal: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const credentialsProperties = this.getCredentialsProperties(type);

		// No credential overwrites are configured in the harness.
		const dataWithOverwrites = { ...decryptedDataOriginal };

		let decryptedData = NodeHelpers.getNodeParameters(
			credentialsProperties,
			dataWithOverwrites as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;

		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}
		if (
			decryptedData.allowedHttpRequestDomains === undefined &&
			decryptedDataOriginal.allowedHttpRequestDomains !== undefined
		) {
			decryptedData.allowedHttpRequestDomains = decryptedDataOriginal.allowedHttpRequestDomains;
		}
		if (
			decryptedData.allowedDomains === undefined &&
			decryptedDataOriginal.allowedDomains !== undefined
		) {
			decryptedData.allowedDomains = decryptedDataOriginal.allowedDomains;
		}

		const parsedJsonLeafExpressionFields = new Map<string, string>();
		for (const property of credentialsProperties) {
			if (!property.typeOptions?.resolveCredentialJsonLeaves) continue;
			const value = decryptedData[property.name];
			if (typeof value !== 'string' || value === '') continue;
			const parsed = jsonParse<CredentialInformation | typeof INVALID_JSON_VALUE>(value, {
				fallbackValue: INVALID_JSON_VALUE,
			});
			if (parsed === INVALID_JSON_VALUE) continue;
			parsedJsonLeafExpressionFields.set(property.name, value);
			decryptedData[property.name] = parsed;
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });

		if (expressionResolveValues) {
			try {
				decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
					decryptedData as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decryptedData,
				) as ICredentialDataDecryptedObject;
			} catch (e) {
				(e as Error).message += ' [Error resolving credentials]';
				throw e;
			}
		} else {
			const workflow = new Workflow({
				nodes: [mockNode],
				connections: {},
				active: false,
				nodeTypes: mockNodeTypes,
			});
			await workflow.expression.acquireIsolate();
			try {
				decryptedData = this.resolveCredentialExpressions(
					workflow,
					credentialsProperties,
					decryptedData,
					mode,
					additionalKeys,
				);
			} finally {
				await workflow.expression.releaseIsolate();
			}
		}

		for (const [propertyName, originalValue] of parsedJsonLeafExpressionFields) {
			const serializedValue = JSON.stringify(decryptedData[propertyName]);
			decryptedData[propertyName] = serializedValue ?? originalValue;
		}

		return decryptedData;
	}

	/** cli `resolveCredentialExpressions` + `resolveCredentialExpressionsByProperty` */
	private resolveCredentialExpressions(
		workflow: Workflow,
		credentialsProperties: INodeProperties[],
		decryptedData: ICredentialDataDecryptedObject,
		mode: WorkflowExecuteMode,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
	): ICredentialDataDecryptedObject {
		try {
			return workflow.expression.getComplexParameterValue(
				mockNode,
				decryptedData as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				decryptedData,
			) as ICredentialDataDecryptedObject;
		} catch (originalError) {
			const propertiesByName = new Map(credentialsProperties.map((p) => [p.name, p]));
			const resolvedData: ICredentialDataDecryptedObject = {};
			for (const [propertyName, propertyValue] of Object.entries(decryptedData)) {
				try {
					const resolvedProperty = workflow.expression.getComplexParameterValue(
						mockNode,
						{ [propertyName]: propertyValue } as INodeParameters,
						mode,
						additionalKeys,
						undefined,
						undefined,
						decryptedData,
					) as ICredentialDataDecryptedObject;
					if (Object.prototype.hasOwnProperty.call(resolvedProperty, propertyName)) {
						resolvedData[propertyName] = resolvedProperty[propertyName];
					}
				} catch {
					const property = propertiesByName.get(propertyName);
					if (property?.typeOptions?.ignoreCredentialExpressionResolveError === true) continue;
					throw originalError;
				}
			}
			return resolvedData;
		}
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const stored = this.store.find(nodeCredentials, type);
		this.store.set(type, data, stored.id, stored.name);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const stored = this.store.find(nodeCredentials, type);
		this.store.set(type, { ...stored.data, oauthTokenData: data.oauthTokenData }, stored.id, stored.name);
	}
}
