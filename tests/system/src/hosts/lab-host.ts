// Entry of a host that runs lab upstreams: `node --import tsx lab-host.ts <host ip> <name>=<port> ...`.
// Only the upstreams named are the ones the gateways are pointed at on this host. SIGTERM closes the lab.
import { startLab, isUpstreamName, type UpstreamName } from '@bascule/lab';

const [host, ...assignments] = process.argv.slice(2);
if (!host || assignments.length === 0) {
  console.error('usage: lab-host.ts <host ip> <upstream>=<port> ...');
  process.exit(2);
}
const ports: Partial<Record<UpstreamName, number>> = {};
for (const assignment of assignments) {
  const [name, port] = assignment.split('=');
  if (!name || !isUpstreamName(name) || !Number.isInteger(Number(port))) {
    console.error(`lab-host: expected <upstream>=<port>, got "${assignment}"`);
    process.exit(2);
  }
  ports[name] = Number(port);
}
const latencyScale = Number(process.env.BASCULE_LAB_LATENCY_SCALE ?? 1);
// The lab starts every stand-in; those not named listen on free ports nobody is told about.
const lab = await startLab({ host, ports, latencyScale, controlPort: 0 });
console.log(JSON.stringify({ ready: true, control: lab.controlUrl, upstreams: Object.keys(ports) }));

const stop = async () => {
  await lab.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
