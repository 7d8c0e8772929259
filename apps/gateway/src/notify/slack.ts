// Slack incoming webhook (https://api.slack.com/messaging/webhooks): a JSON body with `text` (the
// notification's fallback, shown in alerts and by clients without blocks) and Block Kit `blocks`.
import { postJson } from './http.ts';
import { factsOf, SEVERITY_LABEL } from './format.ts';
import type { Notification, Sink } from './types.ts';

/** Slack's mrkdwn treats &, < and > as control characters. */
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackMessage(n: Notification): object {
  return {
    text: `[${SEVERITY_LABEL[n.severity]}] ${n.title}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `${SEVERITY_LABEL[n.severity]}: ${n.title}`.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: escape(n.message) } },
      { type: 'context', elements: factsOf(n).map(([k, v]) => ({ type: 'mrkdwn', text: `*${escape(k)}:* ${escape(v)}` })).slice(0, 10) },
    ],
  };
}

export function slackSink(name: string, url: string): Sink {
  return { name, type: 'slack', send: (n, signal) => postJson(url, slackMessage(n), signal) };
}
