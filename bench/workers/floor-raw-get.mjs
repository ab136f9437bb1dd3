// Lower bound of a cold `get` without the AWS SDK: the same Query and Decrypt, signed with
// Signature Version 4 by hand and sent over node:http with keep-alive. Only for the
// benchmarks, and only to a moto server or proxy on 127.0.0.1.
import { createHash, createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';

const endpoint = new URL(process.env.AWS_ENDPOINT_URL ?? '');
if (endpoint.protocol !== 'http:' || endpoint.hostname !== '127.0.0.1') {
  throw new Error('AWS_ENDPOINT_URL must be a moto server or proxy on 127.0.0.1');
}
const region = process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
const agent = new Agent({ keepAlive: true });
const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

function signedHeaders(service, target, body) {
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const headers = {
    'content-type': service === 'kms' ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0',
    host: endpoint.host,
    'x-amz-date': amzDate,
    'x-amz-target': target,
  };
  const names = Object.keys(headers).sort();
  const canonicalRequest = ['POST', '/', '', ...names.map((header) => `${header}:${headers[header]}`), '', names.join(';'), sha256(body)].join('\n');
  const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${process.env.AWS_SECRET_ACCESS_KEY}`, amzDate.slice(0, 8));
  for (const part of [region, service, 'aws4_request']) {
    key = hmac(key, part);
  }
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${process.env.AWS_ACCESS_KEY_ID}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

function call(service, target, payload) {
  const body = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: endpoint.hostname, port: endpoint.port, method: 'POST', path: '/', agent, headers: signedHeaders(service, target, body) }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => (response.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString())) : reject(new Error(Buffer.concat(chunks).toString()))));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const [table, name] = process.argv.slice(2);
const query = await call('dynamodb', 'DynamoDB_20120810.Query', {
  TableName: table,
  KeyConditionExpression: '#name = :name',
  ExpressionAttributeNames: { '#name': 'name' },
  ExpressionAttributeValues: { ':name': { S: name } },
  ScanIndexForward: false,
  Limit: 1,
  ConsistentRead: true,
});
const decrypted = await call('kms', 'TrentService.Decrypt', { CiphertextBlob: query.Items[0].key.S });
process.stdout.write(`${Buffer.from(decrypted.Plaintext, 'base64').length}\n`);
agent.destroy();
