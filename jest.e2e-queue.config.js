/**
 * Queue-mode suite: n8n 2.41.1 with Postgres, Redis, one main, one worker
 * and two webhook processes (scripts/queue.sh), the packed package, and the
 * AgentMail sandbox. Run with `npm run test:e2e:queue`; see test-e2e/README.md.
 *
 * @type {import('jest').Config}
 */
const path = require('path');

// The e2e helpers read <N8N_E2E_RUN_DIR>/e2e-state.json; the queue suite's is
// in the queue run dir (set here so that jest's workers inherit it).
process.env.N8N_E2E_RUN_DIR = path.resolve(process.env.N8N_QUEUE_RUN_DIR || path.join(__dirname, '.n8n-run', 'queue'));

module.exports = {
	rootDir: __dirname,
	testEnvironment: 'node',
	roots: ['<rootDir>/test-e2e/queue'],
	testMatch: ['**/*.test.ts'],
	modulePathIgnorePatterns: ['<rootDir>/test-e2e/fixtures/', '<rootDir>/.n8n-run/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test-e2e/tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test-e2e/queue/globalSetup.ts',
	globalTeardown: '<rootDir>/test-e2e/queue/globalTeardown.ts',
	maxWorkers: 1,
	// A deadline round waits for n8n's wait tracker (polls once a minute).
	testTimeout: 900_000,
	slowTestThreshold: 120,
};
