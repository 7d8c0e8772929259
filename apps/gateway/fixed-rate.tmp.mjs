// temp harness (not committed): fixed-rate CPU/request of several gateway trees, alternating.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
const trees = process.argv.slice(2);
const rate = Number(process.env.RATE ?? 1000), seconds = Number(process.env.SECS ?? 8), rounds = Number(process.env.ROUNDS ?? 3), conns = Number(process.env.CONNS ?? 100);
const flags = (process.env.NODE_FLAGS ?? '--max-semi-space-size=64').split(' ').filter(Boolean);
const kids = [];
async function start(cwd, file, env) {
  const c = spawn(process.execPath, [...flags, '--import', 'tsx', file], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  kids.push(c);
  for await (const line of createInterface({ input: c.stdout })) if (line.startsWith('{')) return { url: JSON.parse(line).url, pid: c.pid };
}
const cpu = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const body = JSON.stringify({ model: 'llama-3.1-8b-instant', messages: [{ role: 'user', content: 'Écris une phrase avec le mot « chat ».' }], max_tokens: 32 });
const headers = { 'content-type': 'application/json', authorization: 'Bearer bench-client-key', 'x-student-id': 'bench-student-1' };
const up = await start(`${trees[0]}/apps/gateway`, 'bench/upstream.ts', { LATENCY_MS: '20' });
const servers = [];
for (const t of trees) servers.push({ t, ...(await start(`${t}/apps/gateway`, 'bench/bascule-server.ts', { UPSTREAM_URL: up.url })) });
const go = (s, secs) => autocannon({ url: `${s.url}/v1/chat/completions`, method: 'POST', connections: conns, overallRate: rate, duration: secs, headers, body, timeout: 10 });
const res = new Map(servers.map((s) => [s.t, []]));
for (let r = 0; r < rounds; r++) for (const s of (r % 2 ? [...servers].reverse() : servers)) {
  await go(s, 2);
  await new Promise((ok) => setTimeout(ok, 500));
  const before = cpu(s.pid);
  const out = await go(s, seconds);
  const per = (cpu(s.pid) - before) / out.requests.total;
  res.get(s.t).push(per);
  console.log(`${s.t.padEnd(22)} round ${r} ${out.requests.average.toFixed(0)} req/s p99 ${out.latency.p99} ms errors ${out.errors + out.non2xx} cpu ${per.toFixed(4)} ms/req load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`);
}
for (const [t, v] of res) { const s = [...v].sort((a, b) => a - b); console.log(`${t}: min ${s[0].toFixed(4)} median ${s[Math.floor(s.length / 2)].toFixed(4)} max ${s.at(-1).toFixed(4)} ms/req`); }
for (const k of kids) k.kill('SIGKILL');
process.exit(0);
