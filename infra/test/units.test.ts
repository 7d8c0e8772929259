import { describe, expect, it } from 'vitest';
import { q, renderContainerUnit } from '../src/units.ts';

const unit = { name: 'x', image: 'i', description: 'd', gpu: false, network: 'bascule', memory: '1g', cpus: '1' };

describe('systemd container units', () => {
  it('escapes systemd specifiers, variables and quotes in arguments', () => {
    expect(q('plain-arg_1.0')).toBe('plain-arg_1.0');
    expect(q('100%')).toBe('"100%%"');
    expect(q('$HOME')).toBe('"$$HOME"');
    expect(q('say "hi"')).toBe('"say \\"hi\\""');
  });

  it('refuses a port published on a public interface; loopback and the private network are fine', () => {
    expect(() => renderContainerUnit({ ...unit, publish: ['8080:8080'] })).toThrow(/must be bound to 127\.0\.0\.1 or to the host's private address/);
    expect(() => renderContainerUnit({ ...unit, publish: ['0.0.0.0:8080:8080'] })).toThrow(/must be bound/);
    expect(() => renderContainerUnit({ ...unit, publish: ['203.0.113.10:8080:8080'] })).toThrow(/must be bound/);
    expect(renderContainerUnit({ ...unit, publish: ['127.0.0.1:8080:8080'] })).toContain('-p 127.0.0.1:8080:8080');
    expect(renderContainerUnit({ ...unit, publish: ['10.77.0.1:8001:8001'] })).toContain('-p 10.77.0.1:8001:8001');
  });

  it('limits memory (no swap beyond it), CPU and processes, drops every capability and forbids new privileges', () => {
    const text = renderContainerUnit({ ...unit, capAdd: ['NET_BIND_SERVICE'] });
    expect(text).toContain('--memory 1g --memory-swap 1g --cpus 1 --pids-limit 4096');
    expect(text).toContain('--security-opt no-new-privileges --cap-drop ALL');
    expect(text).toContain('--cap-add NET_BIND_SERVICE');
  });

  it('logs once: through Docker\'s journald driver, not also through the attached client', () => {
    const text = renderContainerUnit(unit);
    expect(text).toContain('--log-driver journald');
    expect(text).toContain('StandardOutput=null');
    expect(text).not.toContain('StandardOutput=journal');
  });
});
