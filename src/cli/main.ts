#!/usr/bin/env node
import { run } from './run.js';

// The environment as the caller set it, which `exec` passes on to its command.
const inherited = { ...process.env };

// AWS SDK releases after 2026 print a Node.js support notice on every run under Node 20,
// which would clutter standard error of every command.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

// A reader that stops early, as `credstash-ts getall | head -1` does, closes the pipe. That
// ends the output and is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') {
    throw error;
  }
});

process.exitCode = await run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: inherited,
});
