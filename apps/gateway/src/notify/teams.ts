// Microsoft Teams incoming webhook (a Workflows "post to a channel when a webhook request is received" URL,
// or a legacy connector): a `message` whose attachment is an Adaptive Card
// (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using).
import { postJson } from './http.ts';
import { factsOf, SEVERITY_LABEL } from './format.ts';
import type { Notification, NotificationSeverity, Sink } from './types.ts';

const CARD_COLOR: Readonly<Record<NotificationSeverity, string>> = { critical: 'Attention', warning: 'Warning', info: 'Accent' };

export function teamsMessage(n: Notification): object {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: `${SEVERITY_LABEL[n.severity]}: ${n.title}`, weight: 'Bolder', size: 'Medium', color: CARD_COLOR[n.severity], wrap: true },
            { type: 'TextBlock', text: n.message, wrap: true },
            { type: 'FactSet', facts: factsOf(n).map(([title, value]) => ({ title, value })) },
          ],
        },
      },
    ],
  };
}

export function teamsSink(name: string, url: string): Sink {
  return { name, type: 'teams', send: (n, signal) => postJson(url, teamsMessage(n), signal) };
}
