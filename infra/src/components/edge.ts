// Cloudflare in front of the gateway hosts: a load balancer on each of Bascule's host names (the public API
// and the admin host) over one pool of gateway origins, checked on /readyz; an Origin CA certificate for
// the origins; Authenticated Origin Pulls with Bascule's own client certificate, per host name, so that only
// this zone's traffic through Cloudflare reaches an origin; SSL strict, TLS 1.2 at least and HTTPS always
// for Bascule's host names only (configuration and redirect rules, per-hostname TLS setting), never the
// zone's other names; Cloudflare Access in front of the whole admin host.
import * as pulumi from '@pulumi/pulumi';
import * as cloudflare from '@pulumi/cloudflare';
import * as tls from '@pulumi/tls';
import type { StackConfig } from '../config.ts';
import { adminHostname } from '../gateway-config.ts';

export interface EdgeOrigin {
  name: string;
  address: pulumi.Input<string>;
}

export interface EdgeArgs {
  config: StackConfig;
  zoneId: pulumi.Input<string>;
  /** The gateway hosts, by public address. */
  origins: EdgeOrigin[];
}

/** How the load balancer checks a gateway: GET /readyz every 15 s, down after 2 failures, up after 2 successes. */
export const MONITOR = { path: '/readyz', intervalS: 15, consecutiveDown: 2, consecutiveUp: 2, timeoutS: 5 } as const;

/** Cloudflare's rules language: `(http.host in {"a" "b"})`. */
export function hostsExpression(hostnames: readonly string[]): string {
  return `(http.host in {${hostnames.map((h) => JSON.stringify(h)).join(' ')}})`;
}

export class Edge extends pulumi.ComponentResource {
  readonly gatewayHostname: string;
  readonly adminHostname: string;
  readonly originCertificatePem: pulumi.Output<string>;
  readonly originPrivateKeyPem: pulumi.Output<string>;
  /** The CA of the client certificate Cloudflare presents to the origins (nginx verifies it). */
  readonly originPullCaPem: pulumi.Output<string>;
  /** The Access application's AUD tag: the gateway checks the Access JWT's audience against it. */
  readonly accessAudience: pulumi.Output<string>;

  constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('bascule:infra:Edge', name, {}, opts);
    const { config, zoneId } = args;
    const accountId = config.cloudflare.accountId;
    this.gatewayHostname = `${config.dns.gateway}.${config.dns.zone}`;
    this.adminHostname = adminHostname(config);
    const hostnames = [this.gatewayHostname, this.adminHostname];
    const child = { parent: this };
    const stack = pulumi.getStack();

    // The origin's certificate: Cloudflare's Origin CA; the key never leaves the state (a secret) and the hosts.
    const key = new tls.PrivateKey(`${name}-origin-key`, { algorithm: 'ECDSA', ecdsaCurve: 'P256' }, child);
    const csr = new tls.CertRequest(
      `${name}-origin-csr`,
      { privateKeyPem: key.privateKeyPem, subject: { commonName: this.gatewayHostname, organization: 'Bascule' }, dnsNames: hostnames },
      child,
    );
    const certificate = new cloudflare.OriginCaCertificate(`${name}-origin-cert`, { csr: csr.certRequestPem, hostnames, requestType: 'origin-ecc', requestedValidity: 5475 }, child);
    this.originCertificatePem = certificate.certificate;
    this.originPrivateKeyPem = pulumi.secret(key.privateKeyPem);

    // Authenticated Origin Pulls, per host name, with Bascule's own CA (Cloudflare's shared certificate would
    // let any Cloudflare zone pointed at these addresses through).
    const caKey = new tls.PrivateKey(`${name}-pull-ca-key`, { algorithm: 'ECDSA', ecdsaCurve: 'P256' }, child);
    const ca = new tls.SelfSignedCert(
      `${name}-pull-ca`,
      { privateKeyPem: caKey.privateKeyPem, isCaCertificate: true, validityPeriodHours: 10 * 365 * 24, allowedUses: ['cert_signing', 'crl_signing'], subject: { commonName: `Bascule ${stack} origin pull CA`, organization: 'Bascule' } },
      child,
    );
    const clientKey = new tls.PrivateKey(`${name}-pull-client-key`, { algorithm: 'ECDSA', ecdsaCurve: 'P256' }, child);
    const clientCsr = new tls.CertRequest(`${name}-pull-client-csr`, { privateKeyPem: clientKey.privateKeyPem, subject: { commonName: `Cloudflare → Bascule ${stack}`, organization: 'Bascule' } }, child);
    const clientCert = new tls.LocallySignedCert(
      `${name}-pull-client-cert`,
      { certRequestPem: clientCsr.certRequestPem, caPrivateKeyPem: caKey.privateKeyPem, caCertPem: ca.certPem, validityPeriodHours: 2 * 365 * 24, earlyRenewalHours: 30 * 24, allowedUses: ['client_auth', 'digital_signature'] },
      child,
    );
    const pullCertificate = new cloudflare.AuthenticatedOriginPullsHostnameCertificate(
      `${name}-pull-cert`,
      { zoneId, certificate: clientCert.certPem, privateKey: pulumi.secret(clientKey.privateKeyPem) },
      child,
    );
    new cloudflare.AuthenticatedOriginPulls(`${name}-pull`, { zoneId, configs: hostnames.map((hostname) => ({ hostname, certId: pullCertificate.id, enabled: true })) }, child);
    this.originPullCaPem = ca.certPem;

    // The load balancer: one pool of gateway origins, checked on /readyz with the API's Host header.
    const monitor = new cloudflare.LoadBalancerMonitor(
      `${name}-monitor`,
      {
        accountId,
        description: `bascule ${stack}: gateway /readyz`,
        type: 'https',
        method: 'GET',
        path: MONITOR.path,
        port: 443,
        expectedCodes: '200',
        header: { Host: [this.gatewayHostname] },
        interval: MONITOR.intervalS,
        timeout: MONITOR.timeoutS,
        retries: 1,
        consecutiveDown: MONITOR.consecutiveDown,
        consecutiveUp: MONITOR.consecutiveUp,
        followRedirects: false,
        allowInsecure: false,
      },
      child,
    );
    const pool = new cloudflare.LoadBalancerPool(
      `${name}-pool`,
      {
        accountId,
        name: `bascule-${stack}-gateways`,
        description: 'Bascule gateway hosts (managed by Pulumi)',
        monitor: monitor.id,
        minimumOrigins: 1,
        origins: args.origins.map((o) => ({ name: o.name, address: o.address, enabled: true, weight: 1 })),
        ...(config.cloudflare.notificationEmail ? { notificationEmail: config.cloudflare.notificationEmail } : {}),
      },
      child,
    );
    for (const [id, hostname] of [['api', this.gatewayHostname], ['admin', this.adminHostname]] as const) {
      new cloudflare.LoadBalancer(
        `${name}-lb-${id}`,
        { zoneId, name: hostname, description: 'bascule (managed by Pulumi)', defaultPools: [pool.id], fallbackPool: pool.id, proxied: true, steeringPolicy: 'off', sessionAffinity: 'none' },
        child,
      );
    }

    // TLS for Bascule's names only: the zone's other host names keep their own settings.
    for (const [id, hostname] of [['api', this.gatewayHostname], ['admin', this.adminHostname]] as const) {
      new cloudflare.HostnameTlsSetting(`${name}-min-tls-${id}`, { zoneId, hostname, settingId: 'min_tls_version', value: '1.2' }, child);
    }
    if (config.dns.zoneRules.manage) {
      const all = [...hostnames, ...config.dns.zoneRules.otherHostnames];
      new cloudflare.Ruleset(
        `${name}-config-rules`,
        {
          zoneId,
          kind: 'zone',
          phase: 'http_config_settings',
          name: 'bascule: SSL strict',
          description: "Bascule's host names: SSL strict to the origins (managed by Pulumi)",
          rules: [{ ref: 'bascule_ssl_strict', description: 'bascule: SSL strict', expression: hostsExpression(all), action: 'set_config', actionParameters: { ssl: 'strict', automaticHttpsRewrites: true }, enabled: true }],
        },
        child,
      );
      new cloudflare.Ruleset(
        `${name}-redirect-rules`,
        {
          zoneId,
          kind: 'zone',
          phase: 'http_request_dynamic_redirect',
          name: 'bascule: HTTPS always',
          description: "Bascule's host names: HTTP is redirected to HTTPS (managed by Pulumi)",
          rules: [
            {
              ref: 'bascule_https_always',
              description: 'bascule: HTTPS always',
              expression: `${hostsExpression(all)} and not ssl`,
              action: 'redirect',
              actionParameters: { fromValue: { statusCode: 301, preserveQueryString: true, targetUrl: { expression: 'concat("https://", http.host, http.request.uri.path)' } } },
              enabled: true,
            },
          ],
        },
        child,
      );
    }

    // Cloudflare Access in front of the whole admin host (the admin API and the dashboard live there only).
    const includes = [
      ...config.cloudflare.accessEmails.map((email) => ({ email: { email } })),
      ...(config.cloudflare.accessEmailDomain ? [{ emailDomain: { domain: config.cloudflare.accessEmailDomain } }] : []),
    ];
    const policy = new cloudflare.ZeroTrustAccessPolicy(`${name}-admin-policy`, { accountId, name: 'Bascule operators', decision: 'allow', includes, sessionDuration: '12h' }, child);
    const application = new cloudflare.ZeroTrustAccessApplication(
      `${name}-admin-access`,
      { zoneId, name: `Bascule admin (${stack})`, type: 'self_hosted', domain: this.adminHostname, sessionDuration: '12h', appLauncherVisible: false, policies: [{ id: policy.id, precedence: 1 }] },
      child,
    );
    this.accessAudience = application.aud;
    this.registerOutputs({ gatewayHostname: this.gatewayHostname, adminHostname: this.adminHostname });
  }
}
