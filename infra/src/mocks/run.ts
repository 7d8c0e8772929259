// Runs the program in-process with Pulumi's mocks: no CLI, no cloud. The one place where the cloud is
// faked (Cloudflare's zone and IP ranges invokes, providers' outputs), reused by the tests and the plan CLI.
import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import { program } from '../program.ts';

export interface MockedResource {
  urn: string;
  type: string;
  name: string;
  /** Inputs as the engine would receive them: secret values stay wrapped ({ 4dabf18193072939515e22adb298388d: ..., value }). */
  inputs: Record<string, unknown>;
  /** The URNs this resource was known by before (its `aliases` option), as the engine receives them. */
  aliases: string[];
  /** The URN the engine gives it (its parent's type included). */
  engineUrn: string;
  /** The URNs of the resources it depends on (`dependsOn` and the resources its inputs come from). */
  dependencies: string[];
}

export interface MockRun {
  resources: MockedResource[];
  outputs: Record<string, unknown>;
}

/** Cloudflare's published ranges (https://www.cloudflare.com/ips/), as the getIpRanges invoke answers. */
export const CLOUDFLARE_IPV4 = [
  '173.245.48.0/20', '103.21.244.0/22', '103.22.200.0/22', '103.31.4.0/22', '141.101.64.0/18', '108.162.192.0/18',
  '190.93.240.0/20', '188.114.96.0/20', '197.234.240.0/22', '198.41.128.0/17', '162.158.0.0/15', '104.16.0.0/13',
  '104.24.0.0/14', '172.64.0.0/13', '131.0.72.0/22',
];
export const CLOUDFLARE_IPV6 = ['2400:cb00::/32', '2606:4700::/32', '2803:f800::/32', '2405:b500::/32', '2405:8100::/32', '2a06:98c0::/29', '2c0f:f248::/32'];
export const MOCK_ZONE_ID = '023e105f4ecef8ad9ca31a8372d0c353';
export const MOCK_CONTABO_IPV4 = '203.0.113.10';
/** The Access application's AUD tag, as Cloudflare answers it. */
export const MOCK_ACCESS_AUD = '4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2';

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getAliasesList(): { getUrn(): string }[];
  getDependenciesList(): string[];
}
interface RegisterResponse {
  getUrn(): string;
}

export interface MockOptions {
  /**
   * Stands for the source tree the images are built from: the same value gives the same digests (an unchanged
   * build), another value gives every built image a new digest, as a rebuild after a code change does.
   */
  sourceRevision?: string;
}

const digest = (...parts: string[]) => `sha256:${createHash('sha256').update(parts.join('\0')).digest('hex')}`;

function outputsFor(type: string, name: string, inputs: Record<string, unknown>, options: MockOptions): Record<string, unknown> {
  // Each adopted instance has its own address: 203.0.113.10 for the GPU host's fixture id, then by id.
  if (type === 'pulumi-nodejs:dynamic/contabo:Instance') return { ...inputs, ipv4: inputs.instanceId === 202611240 ? MOCK_CONTABO_IPV4 : `203.0.113.${10 + (Number(inputs.instanceId) % 100)}`, status: 'running' };
  if (type === 'tls:index/privateKey:PrivateKey') return { ...inputs, privateKeyPem: 'mock-private-key-pem' };
  if (type === 'tls:index/certRequest:CertRequest') return { ...inputs, certRequestPem: 'mock-csr-pem' };
  if (type === 'cloudflare:index/originCaCertificate:OriginCaCertificate') return { ...inputs, certificate: 'mock-origin-certificate-pem' };
  if (type === 'tls:index/selfSignedCert:SelfSignedCert') return { ...inputs, certPem: `mock-ca-certificate-pem` };
  if (type === 'tls:index/locallySignedCert:LocallySignedCert') return { ...inputs, certPem: `mock-client-certificate-pem` };
  if (type === 'cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication') return { ...inputs, aud: MOCK_ACCESS_AUD };
  // Each host's WireGuard public key, as 05-wireguard-key.sh prints it.
  if (type === 'command:remote:Command' && name.endsWith('-wireguard-key')) return { ...inputs, stdout: `${Buffer.from(digest(name).slice(7, 39)).toString('base64').slice(0, 43)}=\n` };
  // A local build's repoDigest is its image id (sha256:…), new for every build of other sources.
  if (type === 'docker:index/image:Image') return { ...inputs, imageName: inputs.imageName, repoDigest: digest(String(inputs.imageName), options.sourceRevision ?? 'r1') };
  if (type === 'docker:index/remoteImage:RemoteImage') {
    const name = String(inputs.name);
    const repo = name.includes('@') ? name.slice(0, name.indexOf('@')) : name.replace(/:[^/:]+$/, '');
    const pinned = /@(sha256:[0-9a-f]{64})$/.exec(name)?.[1];
    const id = pinned ?? digest(name);
    return { ...inputs, imageId: id, repoDigest: `${repo}@${id}` };
  }
  return inputs;
}

/**
 * Runs the program once with `config` (`bascule:phase` → value; objects are JSON-encoded as the CLI stores
 * them) and `secretKeys` (keys set with --secret). Resolves when every registration has completed.
 */
export async function runWithMocks(config: Record<string, unknown>, secretKeys: readonly string[], stack = 'staging', options: MockOptions = {}): Promise<MockRun> {
  const resources: MockedResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        resources.push({ urn: `urn:pulumi:${stack}::bascule::${args.type}::${args.name}`, type: args.type, name: args.name, inputs: args.inputs, aliases: [], engineUrn: '', dependencies: [] });
        return { id: args.custom ? `${args.name}-id` : undefined, state: outputsFor(args.type, args.name, args.inputs, options) };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        if (args.token === 'cloudflare:index/getZone:getZone') return { id: MOCK_ZONE_ID, name: String((args.inputs.filter as { name?: string } | undefined)?.name) };
        if (args.token === 'cloudflare:index/getIpRanges:getIpRanges') return { ipv4Cidrs: CLOUDFLARE_IPV4, ipv6Cidrs: CLOUDFLARE_IPV6, etag: 'mock', jdcloudCidrs: [] };
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    'bascule',
    stack,
    true,
  );
  // The engine's view of each registration (aliases, URN), read from the request the SDK sends.
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (req: RegisterRequest, callback: (err: unknown, res?: RegisterResponse) => void) => void };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, res) => {
      const resource = resources.find((r) => r.type === req.getType() && r.name === req.getName() && r.engineUrn === '');
      if (resource && res) {
        resource.engineUrn = res.getUrn();
        resource.aliases = req.getAliasesList().map((a) => a.getUrn()).filter((u) => u !== '');
        resource.dependencies = req.getDependenciesList();
      }
      callback(err, res);
    });
  const encoded: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) encoded[key] = typeof value === 'string' ? value : JSON.stringify(value);
  pulumi.runtime.setAllConfig(encoded, [...secretKeys]);

  const outputs = program();
  // An output that stays unknown (a mock left a value out) would never resolve: fail with its name instead.
  const resolved = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the program outputs did not resolve under mocks (an unknown output?)')), 20_000);
    pulumi.output(outputs).apply((v) => {
      clearTimeout(timer);
      resolve(v as Record<string, unknown>);
    });
  });
  await pulumi.runtime.disconnect();
  return { resources, outputs: resolved };
}
