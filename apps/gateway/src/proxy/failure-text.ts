// What a client is told about a failed upstream attempt: the provider id and the kind of failure, never the
// upstream's own message (undici's and Node's name the address: "connect ECONNREFUSED 10.8.0.3:8001"), nor
// its error body. The full message stays in the gateway's logs and the attempt records.
import type { Failure, ProviderId } from '@bascule/routing';

const CONNECTION_KINDS: readonly [RegExp, string][] = [
  [/ECONNREFUSED/, 'connection refused'],
  [/ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED|other side closed/i, 'connection reset'],
  [/UND_ERR_CONNECT_TIMEOUT/, 'connection timed out'],
  [/ENOTFOUND|EAI_AGAIN/, 'host name not found'],
  [/EHOSTUNREACH|ENETUNREACH/, 'host unreachable'],
];

export function failureKindText(failure: Failure | undefined): string {
  if (failure === undefined) return 'failed';
  switch (failure.kind) {
    case 'timeout':
      return 'timed out';
    case 'connection':
      return CONNECTION_KINDS.find(([pattern]) => pattern.test(failure.message))?.[1] ?? 'connection failed';
    case 'rate-limited':
      return 'rate limited (429)';
    case 'server':
    case 'client':
      return `answered ${failure.status ?? 'an error'}`;
    default:
      return failure.status !== undefined ? `answered ${failure.status}` : 'gave an unreadable answer';
  }
}

/** `groq: timed out; huggingface: connection refused`, or `no attempt in time`. */
export function attemptsText(attempts: readonly { provider: ProviderId; failure?: Failure | undefined }[]): string {
  return attempts.map((a) => `${a.provider}: ${failureKindText(a.failure)}`).join('; ') || 'no attempt in time';
}
