// The gateway config's channels as sinks: each channel's URL or SMTP account read from the secrets the
// config names, plus the older `webhook.url` as a generic JSON channel for rollbacks (as it always was).
import type { GatewayConfig } from '@bascule/contracts';
import { discordSink } from './discord.ts';
import { emailSink } from './email.ts';
import { Notifier, type NotifierLogger, type Route } from './notifier.ts';
import { slackSink } from './slack.ts';
import { teamsSink } from './teams.ts';
import { webhookSink } from './webhook.ts';

export interface NotifierFromConfigOptions {
  /** Values of the variables the channels name (GatewaySecrets.notificationEnv). */
  env: Readonly<Record<string, string>>;
  log: NotifierLogger;
  isLeader?: () => boolean;
  now?: () => number;
}

export function routesFromConfig(config: Pick<GatewayConfig, 'notifications' | 'webhook'>, env: Readonly<Record<string, string>>): Route[] {
  const n = config.notifications;
  const secret = (name: string) => {
    const value = env[name];
    if (value === undefined) throw new RangeError(`notifications: environment variable ${name} was not read`);
    return value;
  };
  const routes: Route[] = n.channels.map((c, i) => {
    const name = c.name ?? `${c.type}-${i + 1}`;
    const common = { minSeverity: c.minSeverity, ...(c.events ? { events: c.events } : {}) };
    switch (c.type) {
      case 'slack':
        return { sink: slackSink(name, secret(c.urlEnv)), ...common };
      case 'discord':
        return { sink: discordSink(name, secret(c.urlEnv)), ...common };
      case 'teams':
        return { sink: teamsSink(name, secret(c.urlEnv)), ...common };
      case 'webhook':
        return { sink: webhookSink(name, c.url ?? secret(c.urlEnv!)), ...common };
      case 'email':
        return {
          sink: emailSink(name, {
            host: c.smtp.host,
            port: c.smtp.port,
            secure: c.smtp.secure,
            ...(c.smtp.userEnv ? { user: secret(c.smtp.userEnv) } : {}),
            ...(c.smtp.passwordEnv ? { password: secret(c.smtp.passwordEnv) } : {}),
            from: c.from,
            to: c.to,
            timeoutMs: n.timeoutMs,
          }),
          ...common,
        };
    }
  });
  if (config.webhook.url !== undefined) routes.push({ sink: webhookSink('webhook', config.webhook.url), minSeverity: 'info', events: ['rollback', 'test'] });
  return routes;
}

export function notifierFromConfig(config: Pick<GatewayConfig, 'notifications' | 'webhook'>, o: NotifierFromConfigOptions): Notifier {
  const n = config.notifications;
  return new Notifier({
    routes: routesFromConfig(config, o.env),
    // The older webhook's own timeout when it is the only channel.
    timeoutMs: n.channels.length === 0 && config.webhook.url !== undefined ? config.webhook.timeoutMs : n.timeoutMs,
    retries: n.retries,
    backoffMs: n.backoffMs,
    criticalDebounceMs: n.criticalDebounceMs,
    log: o.log,
    ...(o.isLeader ? { isLeader: o.isLeader } : {}),
    ...(o.now ? { now: o.now } : {}),
  });
}
