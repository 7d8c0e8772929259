// The hosts of the test, as Linux network namespaces on one private bridge. The subnet exists only inside
// them: the bridge lives in a namespace of its own (the "switch"), each host has one veth into it, and
// nothing is added to the machine's own network. The test process reaches the load balancer and the
// gateways through HAProxy's Unix sockets (files, not addresses).
import { sh } from './shell.ts';

export const PREFIX = 'bsft-';
export const SUBNET = '10.213.0';

export const HOSTS = {
  /** The GPU VPS: the self-hosted model services (and the stand-in of Groq, the llm's production provider). */
  gpu: { ns: `${PREFIX}gpu`, ip: `${SUBNET}.10` },
  /** The paid APIs of the MVP. */
  mvp: { ns: `${PREFIX}mvp`, ip: `${SUBNET}.11` },
  gatewayA: { ns: `${PREFIX}gwa`, ip: `${SUBNET}.21` },
  gatewayB: { ns: `${PREFIX}gwb`, ip: `${SUBNET}.22` },
  db: { ns: `${PREFIX}db`, ip: `${SUBNET}.30` },
  /** HAProxy, standing in for Cloudflare's load balancer. */
  lb: { ns: `${PREFIX}lb`, ip: `${SUBNET}.40` },
} as const;
export type HostName = keyof typeof HOSTS;

const SWITCH = `${PREFIX}switch`;
const BRIDGE = 'br0';

/** The veth end in the switch namespace for a host: cutting it cuts the host off the network. */
const switchPort = (host: HostName) => `p-${host}`;

export async function namespaces(): Promise<string[]> {
  const { stdout } = await sh('ip', ['netns', 'list']);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name.startsWith(PREFIX));
}

/** Pids of every process inside a namespace. */
export async function pidsIn(ns: string): Promise<number[]> {
  const { stdout } = await sh('ip', ['netns', 'pids', ns], { allowFailure: true });
  return stdout.split('\n').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
}

/**
 * Kills every process in this test's namespaces and deletes them: run before a start (what a crashed run
 * left) and at the end (even on failure). Returns what it found, for the log.
 */
export async function sweep(): Promise<{ namespaces: number; processes: number }> {
  const found = await namespaces();
  let processes = 0;
  for (const ns of found) {
    const pids = await pidsIn(ns);
    processes += pids.length;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  for (const ns of found) await sh('ip', ['netns', 'del', ns], { allowFailure: true });
  return { namespaces: found.length, processes };
}

export async function createTopology(): Promise<void> {
  await sh('ip', ['netns', 'add', SWITCH]);
  await sh('ip', ['-n', SWITCH, 'link', 'set', 'lo', 'up']);
  await sh('ip', ['-n', SWITCH, 'link', 'add', BRIDGE, 'type', 'bridge']);
  await sh('ip', ['-n', SWITCH, 'link', 'set', BRIDGE, 'up']);
  for (const [name, host] of Object.entries(HOSTS) as [HostName, (typeof HOSTS)[HostName]][]) {
    await sh('ip', ['netns', 'add', host.ns]);
    await sh('ip', ['-n', host.ns, 'link', 'set', 'lo', 'up']);
    // Both ends are created directly in their namespaces: the machine's own namespace never sees them.
    await sh('ip', ['link', 'add', switchPort(name), 'netns', SWITCH, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.ns]);
    await sh('ip', ['-n', SWITCH, 'link', 'set', switchPort(name), 'master', BRIDGE]);
    await sh('ip', ['-n', SWITCH, 'link', 'set', switchPort(name), 'up']);
    await sh('ip', ['-n', host.ns, 'addr', 'add', `${host.ip}/24`, 'dev', 'eth0']);
    await sh('ip', ['-n', host.ns, 'link', 'set', 'eth0', 'up']);
  }
}

/** Cuts (down) or restores (up) a host's link: packets to and from it are dropped, no connection is refused. */
export async function setLink(host: HostName, state: 'up' | 'down'): Promise<void> {
  await sh('ip', ['-n', SWITCH, 'link', 'set', switchPort(host), state]);
}
