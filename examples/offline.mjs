// Stores, reads and lists a secret on the embedded offline default: a local master key
// and a file table in ./.credstash. No AWS account or network is needed.
//
//   npm run example:offline
import { Credstash, offlineProviders } from '../dist/index.js';

const credstash = new Credstash(offlineProviders({ directory: '.credstash' }));

await credstash.setup();
const { version } = await credstash.putSecret('example/api-token', 'tok_3xAmpl3', { autoVersion: true, comment: 'demo' });
console.log(`stored example/api-token version ${version}`);

const token = await credstash.getSecret('example/api-token');
console.log(`read back ${token.length} characters, equal to what was stored: ${token === 'tok_3xAmpl3'}`);

for (const { name, version: stored, comment } of await credstash.listSecrets()) {
  console.log(`${name} -- version ${stored} -- comment ${comment ?? ''}`);
}
