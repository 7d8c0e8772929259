// The config tests' one way to read a rejection: every issue of a GatewayConfigError as `path: message`.
import { expect } from 'vitest';
import { GatewayConfigError, parseGatewayConfig } from '../../src/index.ts';

/** The issues parseGatewayConfig reports for `input`; fails the test if the config is accepted. */
export function issuesOf(input: unknown): string[] {
  try {
    parseGatewayConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayConfigError);
    return (error as GatewayConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the config to be rejected');
}
