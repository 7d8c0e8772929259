// `npx nx serve lab`: the lab on its own. Control API on BASCULE_LAB_PORT (default 4010).
import { startLab } from './index.ts';

const port = Number(process.env.BASCULE_LAB_PORT ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`BASCULE_LAB_PORT: expected a port number, got "${process.env.BASCULE_LAB_PORT}"`);
  process.exit(2);
}
const latencyScale = Number(process.env.BASCULE_LAB_LATENCY_SCALE ?? 1);
const lab = await startLab({ controlPort: port, latencyScale: Number.isFinite(latencyScale) && latencyScale >= 0 ? latencyScale : 1 });
console.log(`lab control API  ${lab.controlUrl}/lab/v1/upstreams`);
for (const upstream of Object.values(lab.upstreams)) console.log(`  ${upstream.name.padEnd(15)} ${upstream.baseUrl}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await lab.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
