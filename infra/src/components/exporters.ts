// The host's exporters, on its private address only (scraped through the tunnel): node-exporter on every
// host, and NVIDIA's DCGM exporter on the GPU host.
import type * as pulumi from '@pulumi/pulumi';
import type { Bootstrap } from './bootstrap.ts';
import type { Host } from './host.ts';
import { ContainerService } from './services.ts';

export const NODE_EXPORTER_PORT = 9100;
export const DCGM_EXPORTER_PORT = 9400;
/** Published images, pinned to one release; the unit runs the digest pulled on the host. */
export const NODE_EXPORTER_IMAGE = 'quay.io/prometheus/node-exporter:v1.8.2';
export const DCGM_EXPORTER_IMAGE = 'nvcr.io/nvidia/k8s/dcgm-exporter:3.3.8-3.6.0-ubuntu22.04';

export function nodeExporter(name: string, host: Host, bootstrap: Bootstrap, opts: pulumi.ComponentResourceOptions): ContainerService {
  return new ContainerService(
    name,
    {
      host,
      bootstrap,
      source: { kind: 'pull', name: NODE_EXPORTER_IMAGE },
      unit: {
        name: 'node-exporter',
        description: 'Prometheus node exporter (host metrics)',
        gpu: false,
        network: 'host',
        user: '65534:65534',
        extraFlags: ['--pid host', '-v /:/host:ro,rslave'],
        // The textfile collector publishes drift-check.sh's and pg-backup.sh's metrics.
        args: ['--path.rootfs=/host', '--collector.textfile.directory=/host/var/lib/bascule/metrics', `--web.listen-address=${host.privateAddress}:${NODE_EXPORTER_PORT}`],
        memory: '128m',
        cpus: '0.5',
      },
    },
    opts,
  );
}

export function dcgmExporter(name: string, host: Host, bootstrap: Bootstrap, opts: pulumi.ComponentResourceOptions): ContainerService {
  return new ContainerService(
    name,
    {
      host,
      bootstrap,
      source: { kind: 'pull', name: DCGM_EXPORTER_IMAGE },
      unit: {
        name: 'dcgm-exporter',
        description: 'NVIDIA DCGM exporter (GPU metrics)',
        gpu: true,
        network: 'bascule',
        publish: [`${host.privateAddress}:${DCGM_EXPORTER_PORT}:${DCGM_EXPORTER_PORT}`],
        memory: '512m',
        cpus: '0.5',
      },
    },
    opts,
  );
}
