// `npx nx serve lab`: the lab on its own. Control API on BASCULE_LAB_PORT (default 4010). With a gateway
// running (`npx nx serve gateway`, BASCULE_GATEWAY_URL, default http://127.0.0.1:4000), a simulated class of
// BASCULE_STUDENTS students (default 30; 0 turns it off) uses it with BASCULE_CLIENT_KEY, as `npm start` does,
// so the development dashboard has traffic to show.
import { createRng, startLab, startTraffic, type Traffic } from './index.ts';

function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`${name}: expected a whole number from ${min} to ${max}, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

const port = intFromEnv('BASCULE_LAB_PORT', 4010, 0, 65535);
const students = intFromEnv('BASCULE_STUDENTS', 30, 0, 100_000);
const gatewayUrl = process.env.BASCULE_GATEWAY_URL ?? `http://127.0.0.1:${process.env.BASCULE_PORT ?? '4000'}`;
const clientKey = process.env.BASCULE_CLIENT_KEY ?? 'local-client-key';
const latencyScale = Number(process.env.BASCULE_LAB_LATENCY_SCALE ?? 1);
const lab = await startLab({ controlPort: port, latencyScale: Number.isFinite(latencyScale) && latencyScale >= 0 ? latencyScale : 1 });
console.log(`lab control API  ${lab.controlUrl}/lab/v1/upstreams`);
for (const upstream of Object.values(lab.upstreams)) console.log(`  ${upstream.name.padEnd(15)} ${upstream.baseUrl}`);
let traffic: Traffic | null = null;
if (students > 0) {
  traffic = startTraffic({ gatewayUrl, clientKey, students, rng: createRng(Date.now() % 2 ** 31) });
  console.log(`simulated class  ${students} students against ${gatewayUrl} (BASCULE_STUDENTS=0 turns it off)`);
}

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await traffic?.stop();
  await lab.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
