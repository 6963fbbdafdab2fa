#!/usr/bin/env node
// Runs n8n's community package scanner (@n8n/scan-community-package) on this
// package without publishing it: both of its lint legs, on the tarball that
// `npm pack` produces (compiled .js and package.json, as published) and on the
// sources (nodes/, credentials/, package.json, as the provenance leg does).
// The registry legs (provenance attestation, download) need a published
// version and are not run. Exit code 1 on any violation.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import('@n8n/scan-community-package/scanner/scanner.mjs');

const work = mkdtempSync(path.join(tmpdir(), 'scan-'));
try {
	execFileSync('npm', ['pack', '--pack-destination', work, '--loglevel=error'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'));
	const unpacked = path.join(work, 'package');
	execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', work]);
	const legs = [
		['tarball (dist, package.json)', await analyzePackage(unpacked)],
		['sources (nodes, credentials, package.json)', await analyzePackage(root, SOURCE_FILE_PATTERNS)],
	];
	let failed = false;
	for (const [name, result] of legs) {
		console.log(`${result.passed ? 'PASS' : 'FAIL'} ${name}${result.message ? `: ${result.message}` : ''}`);
		if (result.details) console.log(result.details);
		failed ||= !result.passed;
	}
	process.exitCode = failed ? 1 : 0;
} finally {
	rmSync(work, { recursive: true, force: true });
}
