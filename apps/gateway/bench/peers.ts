// Peers that are not Node packages: nginx, the native floor of a reverse proxy, and the LiteLLM proxy, the
// Python gateway most often compared with Bascule. Neither is a dependency of the project: each is used when
// it is installed and skipped, with the reason printed, when it is not.
//   nginx:   Debian's `nginx-light` (apt-get install -y nginx-light), or NGINX=/path/to/nginx.
//   LiteLLM: LITELLM=/path/to/litellm, from a venv of its own outside the repository (docs/benchmarks.md).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StartedPeer {
  url: string;
  pid: number;
  headers: Record<string, string>;
}

async function waitFor(url: string, seconds: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < seconds * 5; i++) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(() => true, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not answering at ${url} after ${seconds} s`);
}

/**
 * nginx as one process (`master_process off`: the process that does the work is the one whose CPU the bench
 * reads) and one worker, like every Node target, with keep-alive connections to the upstream and the same
 * accept queue. A dev-mode setting, and the fair one here.
 */
export async function startNginx(upstream: string, port: number, backlog: number, children: ChildProcess[]): Promise<StartedPeer> {
  const binary = process.env.NGINX ?? '/usr/sbin/nginx';
  if (!existsSync(binary)) throw new Error(`${binary} not found (apt-get install -y nginx-light, or NGINX=/path/to/nginx)`);
  const dir = mkdtempSync(join(tmpdir(), 'bascule-bench-nginx-'));
  const up = new URL(upstream);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
master_process off;
worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  keepalive_timeout 65s;
  keepalive_requests 1000000;
  upstream target { server ${up.hostname}:${up.port}; keepalive 1024; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:${port} backlog=${backlog};
    location / {
      proxy_pass http://target;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
`,
  );
  const child = spawn(binary, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(url, 10, child);
  return { url, pid: child.pid!, headers: {} };
}

/**
 * The LiteLLM proxy with one model on its OpenAI-compatible route (`openai/<model>` with `api_base`) to the
 * bench's upstream, one worker, no database, no master key, logging at its quietest.
 */
export async function startLitellm(upstream: string, port: number, children: ChildProcess[]): Promise<StartedPeer> {
  const binary = process.env.LITELLM;
  if (!binary) throw new Error('LITELLM is not set (the path of the litellm command, from its own venv: docs/benchmarks.md)');
  if (!existsSync(binary)) throw new Error(`LITELLM=${binary} not found`);
  const dir = mkdtempSync(join(tmpdir(), 'bascule-bench-litellm-'));
  writeFileSync(
    join(dir, 'config.yaml'),
    `model_list:
  - model_name: llama-3.1-8b-instant
    litellm_params:
      model: openai/llama-3.1-8b-instant
      api_base: ${upstream}/v1
      api_key: bench-upstream-key
litellm_settings:
  set_verbose: false
  json_logs: false
  telemetry: false
general_settings:
  disable_spend_logs: true
`,
  );
  const child = spawn(binary, ['--config', join(dir, 'config.yaml'), '--host', '127.0.0.1', '--port', String(port), '--num_workers', '1'], {
    env: { ...process.env, LITELLM_LOG: 'ERROR', LITELLM_TELEMETRY: 'False', NO_DOCS: 'True' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health/liveliness`, 120, child);
  return { url, pid: child.pid!, headers: {} };
}
