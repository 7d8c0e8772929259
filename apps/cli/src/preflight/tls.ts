// The certificate a host presents: trusted (the system's CAs, plus --ca), for the name asked, and how long
// it remains valid. `connect` reaches another address with the same name (an origin behind the edge, a test).
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import { rootCertificates } from 'node:tls';

export interface TlsProbe {
  authorized: boolean;
  error?: string;
  validTo?: Date;
  issuer?: string;
  subjectAltName?: string;
}

export function probeTls(o: { host: string; port: number; servername: string; ca?: readonly string[]; timeoutMs: number }): Promise<TlsProbe> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: o.host,
      port: o.port,
      servername: o.servername,
      ca: o.ca && o.ca.length > 0 ? [...rootCertificates, ...o.ca] : undefined,
      // Judged below, so an untrusted certificate still reports its dates and issuer.
      rejectUnauthorized: false,
      timeout: o.timeoutMs,
    });
    const done = (r: TlsProbe) => {
      socket.destroy();
      resolve(r);
    };
    socket.once('secureConnect', () => {
      const cert: PeerCertificate = socket.getPeerCertificate();
      done({
        authorized: socket.authorized,
        ...(socket.authorizationError ? { error: String(socket.authorizationError) } : {}),
        ...(cert.valid_to ? { validTo: new Date(cert.valid_to) } : {}),
        issuer: [cert.issuer?.O ?? cert.issuer?.CN].flat()[0],
        subjectAltName: cert.subjectaltname,
      });
    });
    socket.once('timeout', () => done({ authorized: false, error: `no TLS handshake within ${o.timeoutMs} ms` }));
    socket.once('error', (error) => done({ authorized: false, error: error.message }));
  });
}
