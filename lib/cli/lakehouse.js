#!/usr/bin/env node
// `npx lakehouse …`: runs lib/cli/main.ts through tsx (a dependency), from the project root.
const path = require('path');
// The printed JSON line is the result: function logs go to stderr at WARN, metrics are not emitted locally.
process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL || 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED = process.env.POWERTOOLS_METRICS_DISABLED || 'true';
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
require('tsx/cjs');
const { main } = require(path.join(__dirname, 'main.ts'));
main(process.argv.slice(2), { root: process.cwd(), stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`${(e && e.stack) || String(e)}\n`);
    process.exitCode = 1;
  },
);
