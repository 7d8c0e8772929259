// Pino redaction for the gateway's logger: credentials and the raw student id never reach a log line,
// even when a request's headers are logged (errors, debug serializers).
// @fastify/multipart logs its busboy options (the request's headers) at trace level: `*.headers` covers it.
export const LOG_REDACT_PATHS = [
  '*.headers.authorization',
  '*.headers["x-student-id"]',
  '*.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-student-id"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-student-id"]',
  'headers.cookie',
  'request.headers.authorization',
  'request.headers["x-student-id"]',
];

export const LOG_REDACT = { paths: LOG_REDACT_PATHS, censor: '[redacted]' };
