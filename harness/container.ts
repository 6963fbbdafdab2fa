/**
 * n8n-core DI container bootstrap for headless runs in jest.
 *
 * Mirrors the parts of packages/cli/src/commands/base-command.ts `init()` that
 * n8n-core's execution code depends on:
 *   - InstanceSettings (encryption key, HMAC secret used by getSignedResumeUrl)
 *   - BinaryDataService.init() (default 'filesystem' mode, under the temp
 *     N8N_USER_FOLDER set in ./env)
 *   - Expression.initExpressionEngine(globalConfig.expressionEngine): 'vm'
 *     (isolated-vm) by default in 2.41, exactly like the server; set
 *     N8N_EXPRESSION_ENGINE=legacy to use the in-process evaluator instead.
 *     n8n-workflow's initExpressionEngine() loads @n8n/expression-runtime with a
 *     dynamic `import()`, which jest (CommonJS, no --experimental-vm-modules)
 *     cannot execute; `initVmEngine()` below performs the same steps with `require`.
 * Everything else (DB, license, telemetry, push, task runners, event bus) is not
 * started.
 */
import './env';

import { rmSync } from 'node:fs';

import { GlobalConfig } from '@n8n/config';
import { Container } from '@n8n/di';
import { BinaryDataService, InstanceSettings } from 'n8n-core';
import { Expression, LoggerProxy } from 'n8n-workflow';

import { HARNESS_USER_FOLDER } from './env';

let ready: Promise<void> | undefined;

interface ExpressionStatics {
	expressionEngine: string;
	vmEvaluator?: { initialize(): Promise<void>; dispose(): Promise<void> };
}

/** n8n-workflow `Expression.initExpressionEngine({ engine: 'vm', ... })`, with require() instead of import(). */
async function initVmEngine(options: {
	poolSize?: number;
	maxCodeCacheSize?: number;
	bridgeTimeout?: number;
	bridgeMemoryLimit?: number;
	idleTimeoutMs?: number;
}) {
	const statics = Expression as unknown as ExpressionStatics;
	statics.expressionEngine = 'vm';
	if (statics.vmEvaluator) return;
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const runtime = require('@n8n/expression-runtime');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { expressionSandboxHooks } = require('n8n-workflow/expression-sandboxing');
	const createBridge = () =>
		new runtime.IsolatedVmBridge({
			timeout: options.bridgeTimeout,
			memoryLimit: options.bridgeMemoryLimit,
			logger: LoggerProxy,
			compileCache: undefined,
		});
	const evaluator = new runtime.ExpressionEvaluator({
		createBridge,
		maxCodeCacheSize: options.maxCodeCacheSize,
		poolSize: options.poolSize,
		idleTimeoutMs: options.idleTimeoutMs,
		lazyAcquire: undefined,
		hooks: expressionSandboxHooks,
		logger: LoggerProxy,
		observability: undefined,
	});
	try {
		await evaluator.initialize();
		statics.vmEvaluator = evaluator;
	} catch (error) {
		await evaluator.dispose().catch(() => {});
		throw error;
	}
}

async function init(): Promise<void> {
	Container.get(InstanceSettings);
	await Container.get(BinaryDataService).init();

	const { engine, poolSize, maxCodeCacheSize, bridgeTimeout, bridgeMemoryLimit, idleTimeout } =
		Container.get(GlobalConfig).expressionEngine;
	const idleTimeoutMs = idleTimeout === undefined ? undefined : idleTimeout * 1000;
	if (engine === 'vm') {
		await initVmEngine({ poolSize, maxCodeCacheSize, bridgeTimeout, bridgeMemoryLimit, idleTimeoutMs });
	} else {
		await Expression.initExpressionEngine({
			engine,
			poolSize,
			maxCodeCacheSize,
			bridgeTimeout,
			bridgeMemoryLimit,
			idleTimeoutMs,
		});
	}
}

/** Idempotent; every public harness entry point awaits it. */
export async function ensureHarnessReady(): Promise<void> {
	ready ??= init().catch((error: unknown) => {
		ready = undefined;
		throw error;
	});
	await ready;
}

/** The expression engine in use: 'vm' (isolated-vm, server default) or 'legacy'. */
export function activeExpressionEngine(): string {
	return Expression.getActiveImplementation();
}

/**
 * Disposes the expression isolate pool and removes the temp N8N_USER_FOLDER
 * (settings file, binary data). Call it in `afterAll` of every test file that
 * uses the harness (jest does not run process 'exit' handlers of test files).
 */
export async function shutdownHarness(): Promise<void> {
	if (ready) {
		await ready.catch(() => undefined);
		await Expression.disposeExpressionEngine();
		ready = undefined;
	}
	try {
		rmSync(HARNESS_USER_FOLDER, { recursive: true, force: true });
	} catch {
		// best effort
	}
}
