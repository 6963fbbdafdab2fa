// Copies the SVG icons into dist/icons. Nodes and credentials refer to them as
// `file:../../icons/<name>.svg` / `file:../icons/<name>.svg`, which n8n resolves
// relative to the compiled .node.js / .credentials.js file, and which lint
// resolves relative to the .ts source: both land on the one copy in icons/.
const { task, src, dest } = require('gulp');

task('build:icons', () => src('icons/*.svg').pipe(dest('dist/icons')));
