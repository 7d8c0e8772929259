// systemd units that run containers: systemd is the supervisor (restart on failure and at boot), Docker
// logs to journald, and nothing listens on a public interface except the TLS proxy.
export interface ContainerUnit {
  /** Container and unit name without prefix, e.g. "whisper" → bascule-whisper.service. */
  name: string;
  image: string;
  description: string;
  gpu: boolean;
  /** `--network` value: the internal bridge ("bascule") or "host" for the TLS proxy. */
  network: string;
  /** `-p` values; only ever bound to 127.0.0.1 or to the host's private (WireGuard) address. */
  publish?: string[];
  volumes?: string[];
  env?: Record<string, string>;
  envFile?: string;
  healthCmd?: string;
  /** Arguments after the image (the container's command). */
  args?: string[];
  /** `--user uid:gid` (the image's runtime user, from its image.json). */
  user?: string;
  /** Seconds `docker stop` waits for a graceful shutdown (in-flight requests). */
  stopTimeoutS?: number;
  /** Seconds before a failing health check counts (a first start may download gigabytes of weights). */
  healthStartPeriodS?: number;
  /** `--memory` (e.g. "12g"): the kernel kills the container, not the host, when it is exceeded. */
  memory: string;
  /** `--cpus` (e.g. "4"). */
  cpus: string;
  /** Capabilities given back after `--cap-drop ALL` (none for most services). */
  capAdd?: string[];
  /** `--pid host` and the like, for the host's exporters only. */
  extraFlags?: string[];
}

export const SERVICE_USER = 'bascule';
/** Where a unit may publish a port: loopback, or the host's address on the private network (WireGuard). */
const PUBLISH = /^(?:127\.0\.0\.1|10\.77\.0\.\d{1,3}):\d+:\d+$/;
export const DOCKER_NETWORK = 'bascule';
export const MODEL_CACHE_VOLUME = 'bascule-models';
/**
 * uid:gid of the `bascule` user, the same on the host and in every Bascule container (the model images'
 * user, image.json `user`): the gateway container then reads its 0640 root:bascule config and writes its data
 * directory, and every model container writes the shared model cache.
 */
export const SERVICE_IDS = '10001:10001';

export function unitName(name: string): string {
  return `bascule-${name}.service`;
}

export function containerName(name: string): string {
  return `bascule-${name}`;
}

/**
 * One argument for systemd's ExecStart: `%` (specifiers) and `$` (variable expansion) are escaped, and the
 * argument is double-quoted with C-style escapes when it holds anything but plain characters.
 */
export function q(value: string): string {
  const escaped = value.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return /^[A-Za-z0-9_@+=:,./-]+$/.test(escaped) ? escaped : `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function renderContainerUnit(unit: ContainerUnit): string {
  const container = containerName(unit.name);
  for (const publish of unit.publish ?? []) {
    if (!PUBLISH.test(publish)) throw new Error(`unit ${unit.name}: published port "${publish}" must be bound to 127.0.0.1 or to the host's private address (10.77.0.x)`);
  }
  const run = [
    '/usr/bin/docker run --rm',
    `--name ${container}`,
    `--network ${unit.network}`,
    '--log-driver journald',
    unit.gpu ? '--gpus all' : '',
    unit.user ? `--user ${unit.user}` : '',
    // Limits, and no way to gain privileges inside the container.
    `--memory ${unit.memory} --memory-swap ${unit.memory} --cpus ${unit.cpus} --pids-limit 4096`,
    '--security-opt no-new-privileges --cap-drop ALL',
    ...(unit.capAdd ?? []).map((c) => `--cap-add ${c}`),
    ...(unit.extraFlags ?? []),
    ...(unit.publish ?? []).map((p) => `-p ${p}`),
    ...(unit.volumes ?? []).map((v) => `-v ${v}`),
    ...Object.entries(unit.env ?? {}).map(([k, v]) => `-e ${q(`${k}=${v}`)}`),
    unit.envFile ? `--env-file ${unit.envFile}` : '',
    // An unhealthy container is restarted by bascule-health-watch.timer (Docker only marks it).
    unit.healthCmd ? `--health-cmd ${q(unit.healthCmd)} --health-interval 30s --health-retries 3 --health-start-period ${unit.healthStartPeriodS ?? 300}s` : '',
    [unit.image, ...(unit.args ?? []).map(q)].join(' '),
  ].filter((part) => part !== '');
  return [
    '[Unit]',
    `Description=${unit.description}`,
    'Requires=docker.service',
    'After=docker.service network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    `User=${SERVICE_USER}`,
    `Group=${SERVICE_USER}`,
    `ExecStartPre=-/usr/bin/docker rm -f ${container}`,
    `ExecStart=${run.join(' \\\n  ')}`,
    `ExecStop=/usr/bin/docker stop -t ${unit.stopTimeoutS ?? 30} ${container}`,
    `TimeoutStopSec=${(unit.stopTimeoutS ?? 30) + 15}`,
    'Restart=always',
    'RestartSec=5',
    // Model downloads on a first start can take minutes.
    'TimeoutStartSec=0',
    // The container's output reaches journald once, through Docker's journald driver
    // (journalctl CONTAINER_NAME=<container>); the attached client's copy is dropped.
    'StandardOutput=null',
    'StandardError=journal',
    `SyslogIdentifier=${container}`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
