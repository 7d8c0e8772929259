// E-mail over SMTP with nodemailer: a plain-text message (subject "[Bascule] [SEVERITY] title"), STARTTLS
// when the server offers it or TLS from the start (`secure`), every socket step bounded by the timeout.
import type { Transporter } from 'nodemailer';
import { factsOf, subjectOf } from './format.ts';
import type { Notification, Sink } from './types.ts';

export interface EmailSinkOptions {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  to: readonly string[];
  timeoutMs: number;
}

export function emailText(n: Notification): string {
  return [n.message, '', ...factsOf(n).map(([k, v]) => `${k}: ${v}`), '', '— Bascule'].join('\n');
}

export function emailSink(name: string, o: EmailSinkOptions): Sink {
  // nodemailer is loaded on the first message: a gateway without e-mail never pays for it at start-up.
  let transport: Promise<Transporter> | null = null;
  const open = () =>
    (transport ??= import('nodemailer').then(({ createTransport }) =>
      createTransport({
        host: o.host,
        port: o.port,
        secure: o.secure,
        ...(o.user !== undefined ? { auth: { user: o.user, pass: o.password ?? '' } } : {}),
        connectionTimeout: o.timeoutMs,
        greetingTimeout: o.timeoutMs,
        socketTimeout: o.timeoutMs,
      }),
    ));
  return {
    name,
    type: 'email',
    async send(n, signal) {
      signal.throwIfAborted();
      const sent = (await open()).sendMail({ from: o.from, to: [...o.to], subject: subjectOf(n), text: emailText(n) });
      // nodemailer takes no signal: the notifier's timeout abandons the attempt, the socket timeouts end it.
      await new Promise<void>((resolve, reject) => {
        const abort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        signal.addEventListener('abort', abort, { once: true });
        sent.then(
          () => {
            signal.removeEventListener('abort', abort);
            resolve();
          },
          (error: unknown) => {
            signal.removeEventListener('abort', abort);
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      });
    },
    close: () => void transport?.then((t) => t.close()),
  };
}
