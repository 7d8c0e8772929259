import { describe, expect, it } from 'vitest';
import { q, renderContainerUnit } from '../src/units.ts';

describe('systemd container units', () => {
  it('escapes systemd specifiers, variables and quotes in arguments', () => {
    expect(q('plain-arg_1.0')).toBe('plain-arg_1.0');
    expect(q('100%')).toBe('"100%%"');
    expect(q('$HOME')).toBe('"$$HOME"');
    expect(q('say "hi"')).toBe('"say \\"hi\\""');
  });

  it('refuses a port published on a public interface', () => {
    const unit = { name: 'x', image: 'i', description: 'd', gpu: false, network: 'bascule' };
    expect(() => renderContainerUnit({ ...unit, publish: ['8080:8080'] })).toThrow(/must be bound to 127\.0\.0\.1/);
    expect(renderContainerUnit({ ...unit, publish: ['127.0.0.1:8080:8080'] })).toContain('-p 127.0.0.1:8080:8080');
  });
});
