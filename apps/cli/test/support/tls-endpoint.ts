// A self-signed TLS endpoint on loopback for the gateway's name: a certificate made with openssl for the
// test (a throwaway key), served by node:https answering /readyz as the gateway does.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsEndpoint {
  port: number;
  /** The certificate (PEM), to trust with --ca. */
  caFile: string;
  close(): Promise<void>;
}

export async function startTlsEndpoint(name: string, days = 30): Promise<TlsEndpoint> {
  const dir = mkdtempSync(join(tmpdir(), 'bascule-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', String(days), '-subj', `/O=Bascule test/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`], { stdio: 'ignore' });
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    caFile: cert,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
