// Monitoring, on one gateway host: Prometheus scrapes every host's exporters, the gateways' /metrics and the
// model services' /metrics through the tunnel, evaluates the alert rules, and Alertmanager sends the alerts
// to the stack's webhook (bascule:monitoring.alertWebhookUrl). Both listen on the private address only.
import * as pulumi from '@pulumi/pulumi';
import * as command from '@pulumi/command';
import type { Bootstrap } from './bootstrap.ts';
import type { Host } from './host.ts';
import { ContainerService } from './services.ts';
import { REMOTE_SCRIPTS, shellQuote } from '../remote.ts';
import { SERVICE_USER } from '../units.ts';

export const PROMETHEUS_IMAGE = 'quay.io/prometheus/prometheus:v2.53.2';
export const ALERTMANAGER_IMAGE = 'quay.io/prometheus/alertmanager:v0.27.0';

export interface ScrapeTargets {
  /** host name → private address (node-exporter). */
  nodes: Record<string, string>;
  /** gateway host name → its /metrics listener (address:port). */
  gateways: Record<string, string>;
  /** GPU host name → its DCGM exporter (address:port). */
  gpus: Record<string, string>;
  /** model service → address:port (its /metrics). */
  models: Record<string, string>;
}

const staticConfigs = (targets: Record<string, string>) => Object.entries(targets).map(([instance, target]) => ({ targets: [target], labels: { instance } }));

export function renderPrometheusConfig(t: ScrapeTargets, alertmanager: string): string {
  const config = {
    global: { scrape_interval: '15s', evaluation_interval: '15s' },
    rule_files: ['/etc/prometheus/rules.yml'],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [alertmanager] }] }] },
    scrape_configs: [
      { job_name: 'node', static_configs: staticConfigs(Object.fromEntries(Object.entries(t.nodes).map(([n, a]) => [n, `${a}:9100`]))) },
      { job_name: 'gateway', static_configs: staticConfigs(t.gateways) },
      { job_name: 'gpu', static_configs: staticConfigs(t.gpus) },
      ...(Object.keys(t.models).length > 0 ? [{ job_name: 'models', static_configs: staticConfigs(t.models) }] : []),
    ],
  };
  // JSON is YAML: Prometheus reads it as such.
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** The alert rules, each with what to do in its description (the runbooks). */
export const ALERT_RULES = `groups:
  - name: bascule
    rules:
      - alert: HostDown
        expr: up{job="node"} == 0
        for: 2m
        labels: { severity: critical }
        annotations:
          summary: "{{ $labels.instance }} does not answer"
          description: "GPU host: docs/runbooks/gpu-host-down.md; gateway host: docs/runbooks/gateway-host-down.md"
      - alert: GatewayDown
        expr: up{job="gateway"} == 0
        for: 2m
        labels: { severity: critical }
        annotations:
          summary: "the gateway on {{ $labels.instance }} does not answer /metrics"
          description: "docs/runbooks/gateway-host-down.md"
      - alert: GpuMemoryHigh
        expr: max by (instance, gpu) (DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE)) > 0.95
        for: 5m
        labels: { severity: warning }
        annotations:
          summary: "GPU memory over 95 % on {{ $labels.instance }}"
          description: "a model may fail to load or be killed; see the GPU budget in infra:plan"
      - alert: DiskAlmostFull
        expr: node_filesystem_avail_bytes{mountpoint="/host", fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes{mountpoint="/host", fstype!~"tmpfs|overlay"} < 0.10
        for: 10m
        labels: { severity: warning }
        annotations:
          summary: "less than 10 % disk left on {{ $labels.instance }}"
          description: "docker system df; the weekly prune (bascule-docker-prune.timer) removes unused images"
      - alert: ComponentRolledBack
        expr: max by (component) (bascule_rollout_status{status="rollback"}) == 1
        labels: { severity: critical }
        annotations:
          summary: "{{ $labels.component }} was rolled back to its MVP provider"
          description: "docs/runbooks/rollback.md"
      - alert: HostDrift
        expr: max by (instance) (bascule_host_drift_files) > 0
        for: 1h
        labels: { severity: warning }
        annotations:
          summary: "{{ $value }} file(s) Bascule installed on {{ $labels.instance }} were changed by hand"
          description: "journalctl -u bascule-drift shows which; pulumi up cannot see it: put the change in the program, or restore the files"
      - alert: BackupMissing
        expr: (time() - max(bascule_backup_last_success_timestamp_seconds) > 2 * 3600) or absent(bascule_backup_last_success_timestamp_seconds)
        for: 30m
        labels: { severity: warning }
        annotations:
          summary: "no database backup succeeded in the last two hours"
          description: "docs/runbooks/backups-and-restore.md"
`;

export function renderAlertmanagerConfig(webhookUrl: string): string {
  const config = {
    route: { receiver: 'webhook', group_by: ['alertname', 'instance', 'component'], group_wait: '30s', group_interval: '5m', repeat_interval: '4h' },
    receivers: [{ name: 'webhook', webhook_configs: [{ url: webhookUrl, send_resolved: true }] }],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export interface MonitoringArgs {
  host: Host;
  bootstrap: Bootstrap;
  targets: pulumi.Input<ScrapeTargets>;
  alertWebhookUrl: string;
}

export class Monitoring extends pulumi.ComponentResource {
  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('bascule:infra:Monitoring', name, {}, opts);
    const { host, bootstrap } = args;
    const address = host.privateAddress;
    const install = (id: string, path: string, stdin: pulumi.Input<string>, unit: string) =>
      new command.remote.Command(
        `${name}-${id}`,
        { connection: host.connection, create: `sudo -n bash ${REMOTE_SCRIPTS}/install-file.sh ${[path, '0644', SERVICE_USER, unit].map(shellQuote).join(' ')}`, stdin },
        { parent: this, dependsOn: [bootstrap.ready] },
      );
    const prometheusConfig = install('prometheus-config', '/etc/bascule/prometheus.yml', pulumi.output(args.targets).apply((t) => renderPrometheusConfig(t, `${address}:9093`)), 'bascule-prometheus.service');
    const rules = install('alert-rules', '/etc/bascule/alert-rules.yml', ALERT_RULES, 'bascule-prometheus.service');
    const alertmanagerConfig = install('alertmanager-config', '/etc/bascule/alertmanager.yml', renderAlertmanagerConfig(args.alertWebhookUrl), 'bascule-alertmanager.service');

    new ContainerService(
      `${name}-prometheus`,
      {
        host,
        bootstrap,
        source: { kind: 'pull', name: PROMETHEUS_IMAGE },
        unit: {
          name: 'prometheus',
          description: 'Prometheus (Bascule monitoring)',
          gpu: false,
          network: 'host',
          user: '65534:65534',
          volumes: ['/etc/bascule/prometheus.yml:/etc/prometheus/prometheus.yml:ro', '/etc/bascule/alert-rules.yml:/etc/prometheus/rules.yml:ro', 'bascule-prometheus:/prometheus'],
          args: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', '--storage.tsdb.retention.time=30d', `--web.listen-address=${address}:9090`],
          healthCmd: `wget -q -O /dev/null http://${address}:9090/-/healthy`,
          healthStartPeriodS: 60,
          memory: '1g',
          cpus: '1',
        },
        dependsOn: [prometheusConfig, rules],
      },
      { parent: this },
    );
    new ContainerService(
      `${name}-alertmanager`,
      {
        host,
        bootstrap,
        source: { kind: 'pull', name: ALERTMANAGER_IMAGE },
        unit: {
          name: 'alertmanager',
          description: 'Alertmanager (Bascule alerts → webhook)',
          gpu: false,
          network: 'host',
          user: '65534:65534',
          volumes: ['/etc/bascule/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro', 'bascule-alertmanager:/alertmanager'],
          args: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager', `--web.listen-address=${address}:9093`, '--cluster.listen-address='],
          healthCmd: `wget -q -O /dev/null http://${address}:9093/-/healthy`,
          healthStartPeriodS: 30,
          memory: '256m',
          cpus: '0.5',
        },
        dependsOn: [alertmanagerConfig],
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
