// Local receivers for the notification channels: an HTTP server that records each JSON POST and answers
// as told (Slack answers 200 "ok", Discord 204, Teams' Workflows 202), and a real SMTP server (smtp-server)
// that takes mail with a login and records what it received.
import { createServer, type Server } from 'node:http';
import { SMTPServer } from 'smtp-server';

export interface Received {
  path: string;
  contentType: string | undefined;
  body: unknown;
}

export interface HttpReceiver {
  url: string;
  received: Received[];
  /** Answers, in order, for the next requests; then `fallback`. `hang` never answers. */
  script: Array<number | 'hang'>;
  close(): Promise<void>;
}

export async function httpReceiver(fallback: { status: number; body?: string } = { status: 200, body: 'ok' }): Promise<HttpReceiver> {
  const received: Received[] = [];
  const script: Array<number | 'hang'> = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: text ? JSON.parse(text) : null });
      const next = script.shift();
      if (next === 'hang') return;
      const status = next ?? fallback.status;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(next === undefined ? (fallback.body ?? '') : status >= 400 ? 'try again' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface Mail {
  from: string;
  to: string[];
  user: string | undefined;
  data: string;
}

export interface SmtpReceiver {
  port: number;
  mails: Mail[];
  close(): Promise<void>;
}

/** A local SMTP server (no TLS: loopback only) that requires the login `user` / `password`. */
export async function smtpReceiver(user: string, password: string): Promise<SmtpReceiver> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: false,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user });
      else callback(new Error('invalid login'));
    },
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString()));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          data,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
