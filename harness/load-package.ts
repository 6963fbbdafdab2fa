/**
 * Loads a community-node package the way n8n loads community packages.
 *
 * - `PackageDirectoryLoader` (n8n-core) reads package.json's `n8n` block and
 *   loads every listed node/credential file (in jest, `loadClassInIsolation`
 *   uses plain `require`, as it does in n8n's own tests).
 * - Type names are then registered the way packages/cli/src/load-nodes-and-credentials.ts
 *   `postProcessLoaders()` does: nodes as `${packageName}.${nodeName}`,
 *   credentials unprefixed, `supportedNodes` of a credential prefixed too.
 * - `HarnessNodeTypes.getByNameAndVersion` follows packages/cli/src/node-types.ts:
 *   `NodeHelpers.getVersionedNodeType`, plus the `execute` method that runs
 *   `RoutingNode` for declarative nodes (`shouldAssignExecuteMethod`).
 *   Synthetic `…Tool` variants (usableAsTool for AI agents) are NOT generated;
 *   the `…HitlTool` variants of send-and-wait nodes (the AI Agent's Human
 *   review) are (hitl-tool.ts).
 */
import './env';

import { PackageDirectoryLoader, RoutingNode } from 'n8n-core';
import type { ExecuteContext } from 'n8n-core';
import type {
	ICredentialType,
	ICredentialTypes,
	IDataObject,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
	LoadedClass,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';
import { resolve } from 'node:path';

import { ensureHarnessReady } from './container';
import { hasSendAndWaitOperation, hitlToolVariant } from './hitl-tool';
import { HarnessManualTrigger, MANUAL_TRIGGER_TYPE } from './manual-trigger';

/** packages/cli/src/utils.ts `shouldAssignExecuteMethod` */
function shouldAssignExecuteMethod(nodeType: INodeType): boolean {
	const isDeclarativeNode = nodeType?.description?.requestDefaults !== undefined;
	return (
		!nodeType.execute &&
		!nodeType.poll &&
		!nodeType.trigger &&
		(!nodeType.webhook || isDeclarativeNode) &&
		(!nodeType.methods || isDeclarativeNode)
	);
}

export class HarnessNodeTypes implements INodeTypes {
	constructor(readonly nodes: Record<string, LoadedClass<INodeType | IVersionedNodeType>>) {}

	private get(nodeType: string) {
		const loaded = this.nodes[nodeType];
		if (!loaded) {
			throw new UnexpectedError(`Unrecognized node type: ${nodeType}`, {
				extra: { known: Object.keys(this.nodes) },
			});
		}
		return loaded;
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.get(nodeType).type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const versionedNodeType = NodeHelpers.getVersionedNodeType(this.get(nodeType).type, version);
		if (shouldAssignExecuteMethod(versionedNodeType)) {
			versionedNodeType.execute = async function (this: ExecuteContext) {
				const routingNode = new RoutingNode(this, versionedNodeType);
				const data = await routingNode.runNode();
				return data ?? [];
			};
		}
		return versionedNodeType;
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries(
			Object.entries(this.nodes).map(([name, { sourcePath }]) => [name, { sourcePath }]),
		);
	}
}

export class HarnessCredentialTypes implements ICredentialTypes {
	constructor(
		readonly credentials: Record<string, LoadedClass<ICredentialType>>,
		/** credential type name -> fully qualified node type names (cli `getSupportedNodes`) */
		readonly supportedNodes: Record<string, string[]>,
	) {}

	recognizes(type: string): boolean {
		return type in this.credentials;
	}

	getByName(type: string): ICredentialType {
		const loaded = this.credentials[type];
		if (!loaded) throw new UnexpectedError(`Unrecognized credential type: ${type}`);
		return loaded.type;
	}

	getSupportedNodes(type: string): string[] {
		return this.supportedNodes[type] ?? [];
	}

	/** packages/cli/src/credential-types.ts `getParentTypes` (walks `extends`) */
	getParentTypes(typeName: string): string[] {
		const extendsArr = this.credentials[typeName]?.type.extends ?? [];
		if (extendsArr.length === 0) return [];
		const extendsArrCopy = [...extendsArr];
		for (const type of extendsArr) {
			extendsArrCopy.push(...this.getParentTypes(type));
		}
		return extendsArrCopy;
	}
}

export interface LoadedPackage {
	packageDir: string;
	packageName: string;
	packageVersion: string;
	loader: PackageDirectoryLoader;
	nodeTypes: HarnessNodeTypes;
	credentialTypes: HarnessCredentialTypes;
	/** Fully qualified node type names of the package (`${packageName}.${name}`). */
	nodeTypeNames: string[];
	credentialTypeNames: string[];
	/** `${packageName}.${shortName}` */
	nodeType(shortName: string): string;
}

/**
 * Loads the package in `packageDir` (a directory with a package.json that has an
 * `n8n` block; for this repo: the repository root after `npm run build`), plus the
 * harness's manual trigger (`n8n-nodes-base.manualTrigger`).
 */
let lastLoaded: LoadedPackage | undefined;

/** The package returned by the most recent `loadPackage()` call. */
export function lastLoadedPackage(): LoadedPackage {
	if (!lastLoaded) throw new Error('No package loaded: call loadPackage(dir) first (or pass `package`).');
	return lastLoaded;
}

export async function loadPackage(packageDir: string): Promise<LoadedPackage> {
	await ensureHarnessReady();

	const loader = new PackageDirectoryLoader(resolve(packageDir));
	await loader.loadAll();
	const { packageName } = loader;

	const nodes: Record<string, LoadedClass<INodeType | IVersionedNodeType>> = {
		[MANUAL_TRIGGER_TYPE]: { type: new HarnessManualTrigger(), sourcePath: __filename },
	};
	const nodeTypeNames: string[] = [];
	const hitlTools: Record<string, string> = {};
	for (const [name, loaded] of Object.entries(loader.nodeTypes)) {
		nodes[`${packageName}.${name}`] = loaded;
		nodeTypeNames.push(`${packageName}.${name}`);
		const type = loaded.type as INodeType;
		if (!('nodeVersions' in loaded.type) && hasSendAndWaitOperation(type.description)) {
			nodes[`${packageName}.${name}HitlTool`] = { type: hitlToolVariant(type), sourcePath: loaded.sourcePath };
			nodeTypeNames.push(`${packageName}.${name}HitlTool`);
			hitlTools[name] = `${name}HitlTool`;
		}
	}

	const credentials: Record<string, LoadedClass<ICredentialType>> = {};
	const supportedNodes: Record<string, string[]> = {};
	for (const [name, loaded] of Object.entries(loader.credentialTypes)) {
		credentials[name] = loaded;
		// hitl-tools.ts `copyCredentialSupport`: the variant may use the node's credentials.
		supportedNodes[name] = (loader.known.credentials[name]?.supportedNodes ?? [])
			.flatMap((nodeName) => (hitlTools[nodeName] ? [nodeName, hitlTools[nodeName]] : [nodeName]))
			.map((nodeName) => `${packageName}.${nodeName}`);
	}

	lastLoaded = {
		packageDir: loader.directory,
		packageName,
		packageVersion: String(loader.packageJson.version ?? ''),
		loader,
		nodeTypes: new HarnessNodeTypes(nodes),
		credentialTypes: new HarnessCredentialTypes(credentials, supportedNodes),
		nodeTypeNames,
		credentialTypeNames: Object.keys(credentials),
		nodeType: (shortName: string) => `${packageName}.${shortName}`,
	};
	return lastLoaded;
}
