// Runs sandbox/cli.ts in a child process for cli.test.ts, transpiling the
// TypeScript sources on the fly (no type check; `tsc -p tsconfig.sandbox.json`
// does that), so the test needs no build step.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
	const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
		fileName: filename,
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
	});
	module._compile(outputText, filename);
};

require(path.join(__dirname, '..', '..', 'sandbox', 'cli.ts'));
