// Discord incoming webhook (Execute Webhook, https://discord.com/developers/docs/resources/webhook): a JSON
// body with `username` and one embed (title, description, colour as an integer, ISO timestamp, fields).
import { postJson } from './http.ts';
import { factsOf, SEVERITY_COLOR, SEVERITY_LABEL } from './format.ts';
import type { Notification, Sink } from './types.ts';

export function discordMessage(n: Notification): object {
  return {
    username: 'Bascule',
    // Discord pings nobody from a webhook message unless asked: alerts stay quiet in the channel.
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: `${SEVERITY_LABEL[n.severity]}: ${n.title}`.slice(0, 256),
        description: n.message.slice(0, 4096),
        color: SEVERITY_COLOR[n.severity],
        timestamp: new Date(n.at).toISOString(),
        fields: factsOf(n)
          .filter(([k]) => k !== 'at')
          .map(([name, value]) => ({ name, value: value.slice(0, 1024), inline: true }))
          .slice(0, 25),
      },
    ],
  };
}

export function discordSink(name: string, url: string): Sink {
  return { name, type: 'discord', send: (n, signal) => postJson(url, discordMessage(n), signal) };
}
