#!/usr/bin/node
// Prints the TLS key passphrase for Apache httpd, read from credstash, and one LF.
//
//   credstash-apache-passphrase.mjs CONFIG SERVERNAME:PORT LABEL
//
// On failure it prints nothing on standard output and exits 1; the reason is already in
// the log file or syslog that CONFIG names, because Apache discards standard error. A
// report that the log file or syslog did not take goes to standard error instead.
import { runApacheHook } from 'credstash-ts/hooks';

// On Node.js 20 the AWS SDK prints a NodeVersionSupportWarning of 9 lines on every run. The
// SDK is loaded at the first request, so setting this after the import is in time.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const [configPath = '', server, label] = process.argv.slice(2);
const result = await runApacheHook({ configPath, server, label, fallback: (line) => process.stderr.write(line) });

// process.exit() also ends a request to a provider that is still open after a timeout.
if (result.ok) {
  process.stdout.write(result.output.reveal(), () => process.exit(0));
} else {
  process.stderr.write(`${result.message}\n`, () => process.exit(1));
}
