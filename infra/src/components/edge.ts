// Cloudflare in front of the host: proxied DNS records, SSL "strict" with an Origin CA certificate for the
// host, TLS 1.2 at least, HTTPS always, and Cloudflare Access in front of the dashboard.
import * as pulumi from '@pulumi/pulumi';
import * as cloudflare from '@pulumi/cloudflare';
import * as tls from '@pulumi/tls';
import type { StackConfig } from '../config.ts';

export interface EdgeArgs {
  config: StackConfig;
  zoneId: pulumi.Input<string>;
  originAddress: pulumi.Input<string>;
}

/** The zone settings the edge enforces (Cloudflare's setting ids and values). */
export const ZONE_SETTINGS = { ssl: 'strict', min_tls_version: '1.2', always_use_https: 'on' } as const;

export class Edge extends pulumi.ComponentResource {
  readonly gatewayHostname: string;
  readonly dashboardHostname: string;
  readonly originCertificatePem: pulumi.Output<string>;
  readonly originPrivateKeyPem: pulumi.Output<string>;

  constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('bascule:infra:Edge', name, {}, opts);
    const { config, zoneId } = args;
    this.gatewayHostname = `${config.dns.gateway}.${config.dns.zone}`;
    this.dashboardHostname = `${config.dns.dashboard}.${config.dns.zone}`;
    const child = { parent: this };

    for (const [id, hostname] of [['gateway', this.gatewayHostname], ['dashboard', this.dashboardHostname]] as const) {
      new cloudflare.DnsRecord(`${name}-dns-${id}`, { zoneId, name: hostname, type: 'A', content: args.originAddress, proxied: true, ttl: 1, comment: 'bascule (managed by Pulumi)' }, child);
    }
    for (const [settingId, value] of Object.entries(ZONE_SETTINGS)) {
      new cloudflare.ZoneSetting(`${name}-setting-${settingId}`, { zoneId, settingId, value }, child);
    }

    // The key never leaves the state (where it is a secret) and the host.
    const key = new tls.PrivateKey(`${name}-origin-key`, { algorithm: 'ECDSA', ecdsaCurve: 'P256' }, child);
    const csr = new tls.CertRequest(
      `${name}-origin-csr`,
      { privateKeyPem: key.privateKeyPem, subject: { commonName: this.gatewayHostname, organization: 'Bascule' }, dnsNames: [this.gatewayHostname, this.dashboardHostname] },
      child,
    );
    const certificate = new cloudflare.OriginCaCertificate(
      `${name}-origin-cert`,
      { csr: csr.certRequestPem, hostnames: [this.gatewayHostname, this.dashboardHostname], requestType: 'origin-ecc', requestedValidity: 5475 },
      child,
    );
    this.originCertificatePem = certificate.certificate;
    this.originPrivateKeyPem = pulumi.secret(key.privateKeyPem);

    const includes = [
      ...config.cloudflare.accessEmails.map((email) => ({ email: { email } })),
      ...(config.cloudflare.accessEmailDomain ? [{ emailDomain: { domain: config.cloudflare.accessEmailDomain } }] : []),
    ];
    const policy = new cloudflare.ZeroTrustAccessPolicy(
      `${name}-dashboard-policy`,
      { accountId: config.cloudflare.accountId, name: 'Bascule dashboard operators', decision: 'allow', includes, sessionDuration: '12h' },
      child,
    );
    new cloudflare.ZeroTrustAccessApplication(
      `${name}-dashboard-access`,
      {
        zoneId,
        name: 'Bascule dashboard',
        type: 'self_hosted',
        domain: this.dashboardHostname,
        sessionDuration: '12h',
        appLauncherVisible: false,
        policies: [{ id: policy.id, precedence: 1 }],
      },
      child,
    );
    this.registerOutputs({ gatewayHostname: this.gatewayHostname, dashboardHostname: this.dashboardHostname });
  }
}
