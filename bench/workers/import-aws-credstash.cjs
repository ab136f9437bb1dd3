// Requires aws-credstash 3.0.1 and prints the time and how many aws-sdk v2 modules are loaded.
'use strict';

const start = process.hrtime.bigint();
require('aws-credstash');
const importMs = Number(process.hrtime.bigint() - start) / 1e6;
const afterImport = Object.keys(require.cache).filter((path) => /node_modules[\\/]aws-sdk[\\/]/.test(path)).length;
process.stdout.write(`${JSON.stringify({ importMs, afterImport })}\n`);
