// One HTTP request over a fresh loopback connection, answered as the server wrote it: status, header pairs in the
// order sent (without those of the connection itself: date, connection, keep-alive) and the body. The cache tests
// compare the fast paths' answers with Fastify's byte for byte with it.
import { request as httpRequest } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/** `path` is sent as given, unnormalized (a URL would drop an empty query). */
export function rawRequest(baseUrl: string, method: string, path: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    const req = httpRequest({ hostname, port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const pairs: Array<[string, string]> = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        resolve({ status: res.statusCode!, headers: pairs.filter(([n]) => !['date', 'connection', 'keep-alive'].includes(n)), body: Buffer.concat(chunks).toString() });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
