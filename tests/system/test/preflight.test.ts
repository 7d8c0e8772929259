// The failure test needs root and a few Debian packages; without them it must fail and say why.
import { describe, expect, it } from 'vitest';
import { preflight } from '../src/preflight.ts';

describe('preflight', () => {
  it('refuses a non-root user, naming what is needed and how to run it', async () => {
    await expect(preflight({ uid: 1000 })).rejects.toThrow(/root is needed to create network namespaces \(ip netns add\); running as uid 1000: run as root \(CI does\) or with sudo/);
  });

  it('lists a missing PostgreSQL with the package to install', async () => {
    await expect(preflight({ uid: 1000, postgresBin: '/nonexistent/postgresql/bin' })).rejects.toThrow(
      /\/nonexistent\/postgresql\/bin\/initdb is missing: install Debian's postgresql-15 \(or set BASCULE_SYSTEM_PG_BIN/,
    );
  });
});
