import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVICE_DEADLINE_HEADER } from '../src/services.ts';

describe('the deadline header shared with the images', () => {
  it('is the name the images read', () => {
    const app = readFileSync(new URL('../../../gpu-images/common/bascule_common/app.py', import.meta.url), 'utf8');
    expect(app).toContain(`DEADLINE_HEADER = "${SERVICE_DEADLINE_HEADER}"`);
  });
});
