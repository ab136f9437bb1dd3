#!/usr/bin/node
// Prints the TLS key passphrase for Apache httpd, read from credstash, and one LF.
//
//   credstash-apache-passphrase.mjs CONFIG SERVERNAME:PORT LABEL
//
// On failure it prints nothing on standard output and exits 1; the reason is already in
// the log file or syslog that CONFIG names, because Apache discards standard error.
import { runApacheHook } from 'credstash-ts/hooks';

const [configPath = '', server, label] = process.argv.slice(2);
const result = await runApacheHook({ configPath, server, label });

// process.exit() also ends a request to a provider that is still open after a timeout.
if (result.ok) {
  process.stdout.write(result.output.reveal(), () => process.exit(0));
} else {
  process.stderr.write(`${result.message}\n`, () => process.exit(1));
}
