// Notifications to a person: one file per channel, the notifier that routes and retries, and the events.
export * from './types.ts';
export * from './notifier.ts';
export * from './channels.ts';
export * from './events.ts';
export { slackMessage, slackSink } from './slack.ts';
export { discordMessage, discordSink } from './discord.ts';
export { teamsMessage, teamsSink } from './teams.ts';
export { webhookPayload, webhookSink } from './webhook.ts';
export { emailSink, emailText } from './email.ts';
export { webhookOnly } from './legacy-webhook.ts';
