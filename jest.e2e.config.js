/**
 * End-to-end suite: a real n8n (scripts/n8n.sh) with this package installed
 * as a community package, the AgentMail sandbox, and headless Chromium.
 * Run with `npm run test:e2e`; see test-e2e/README.md.
 *
 * @type {import('jest').Config}
 */
module.exports = {
	rootDir: __dirname,
	testEnvironment: 'node',
	roots: ['<rootDir>/test-e2e'],
	testMatch: ['**/*.test.ts'],
	// The queue-mode suite has its own set-up (jest.e2e-queue.config.js).
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test-e2e/queue/'],
	modulePathIgnorePatterns: ['<rootDir>/test-e2e/fixtures/', '<rootDir>/.n8n-run/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test-e2e/tsconfig.json' }],
	},
	// Installs n8n if needed (minutes on a cold cache), builds + packs +
	// installs the package, starts the AgentMail sandbox and n8n.
	globalSetup: '<rootDir>/test-e2e/globalSetup.ts',
	globalTeardown: '<rootDir>/test-e2e/globalTeardown.ts',
	// One n8n instance is shared: test files run one after another.
	maxWorkers: 1,
	testTimeout: 180_000,
	slowTestThreshold: 60,
};
