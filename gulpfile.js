// Copies the SVG icons next to the compiled nodes and credentials, the way
// n8n's community node starter does: n8n resolves `icon: 'file:x.svg'`
// relative to the .node.js / .credentials.js file that declares it.
const path = require('path');
const { task, src, dest, series } = require('gulp');

const ICON_TARGETS = ['nodes/AgentMail', 'nodes/AgentMailWaitForApproval', 'credentials'];

function copyIconsTo(target) {
	const copy = () => src('icons/*.svg').pipe(dest(path.join('dist', target)));
	copy.displayName = `icons -> dist/${target}`;
	return copy;
}

task('build:icons', series(...ICON_TARGETS.map(copyIconsTo)));
