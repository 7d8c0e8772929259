import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVICE_BUSY_HEADER, SERVICE_CAPACITY_METRICS, SERVICE_DEADLINE_HEADER } from '../src/services.ts';

describe('the deadline header shared with the images', () => {
  it('is the name the images read', () => {
    const app = readFileSync(new URL('../../../gpu-images/common/bascule_common/app.py', import.meta.url), 'utf8');
    expect(app).toContain(`DEADLINE_HEADER = "${SERVICE_DEADLINE_HEADER}"`);
  });
});

describe('the busy time shared with the images', () => {
  const read = (path: string) => readFileSync(new URL(`../../../gpu-images/${path}`, import.meta.url), 'utf8');

  it('is the header name the images send and their shared checks expect', () => {
    expect(read('common/bascule_common/busy.py')).toContain(`BUSY_HEADER = "${SERVICE_BUSY_HEADER}"`);
    expect(read('common/bascule_testkit/service_behaviour.py')).toContain(`BUSY_HEADER = "${SERVICE_BUSY_HEADER.toLowerCase()}"`);
  });

  it('are the metric names the images expose (prometheus_client adds _total to a counter)', () => {
    const busy = read('common/bascule_common/busy.py');
    expect(busy).toContain(`"${SERVICE_CAPACITY_METRICS.busySecondsTotal.replace(/_total$/, '')}"`);
    expect(busy).toContain(`"${SERVICE_CAPACITY_METRICS.utilisation}"`);
    const checks = read('common/bascule_testkit/service_behaviour.py');
    expect(checks).toContain(`"${SERVICE_CAPACITY_METRICS.busySecondsTotal}"`);
    expect(checks).toContain(`"${SERVICE_CAPACITY_METRICS.utilisation}"`);
  });
});
