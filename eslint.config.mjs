// Lints what ships (package.json, nodes/, credentials/) with the same rules as
// n8n's community package scanner (@n8n/scan-community-package buildScanConfig)
// and `n8n-node lint`: @n8n/eslint-plugin-community-nodes' recommended set plus
// eslint-plugin-n8n-nodes-base's `community`, `credentials` and `nodes` sets.
import { defineConfig } from 'eslint/config';
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

export default defineConfig(
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'.build/**',
			'.n8n-run/**',
			'test-artifacts/**',
			'coverage/**',
			'sandbox/**',
			'test/**',
			'harness/**',
			'bench/**',
			'test-e2e/**',
			'scripts/**',
			'examples/**',
			'*.config.js',
			'*.config.mjs',
			'gulpfile.js',
			'tsconfig*.json',
			'package-lock.json',
		],
	},
	{
		files: ['package.json', 'nodes/**/*.ts', 'credentials/**/*.ts'],
		extends: [n8nCommunityNodesPlugin.configs.recommended],
		rules: { 'no-console': 'error' },
	},
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{ files: ['package.json'], rules: { ...n8nNodesBase.configs.community.rules } },
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{ files: ['**/*.json'], languageOptions: { parser: tsParser } },
	{ files: ['**/*.ts'], languageOptions: { parser: tsParser } },
);
