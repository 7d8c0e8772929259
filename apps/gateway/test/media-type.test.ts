// The JSON endpoints' Content-Type check: what clients send is accepted at once, anything else as before.
import { describe, expect, it } from 'vitest';
import { jsonContentTypeProblem } from '../src/http/media.ts';

describe('jsonContentTypeProblem', () => {
  it('accepts application/json in UTF-8, however it is spelled', () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON; Charset="UTF-8"', 'application/json;charset=utf8', ' application/json ']) {
      expect(jsonContentTypeProblem(type)).toBeNull();
    }
  });

  it('names what was expected for any other type or charset', () => {
    expect(jsonContentTypeProblem('application/json; charset=utf-16')).toBe('Content-Type: expected a UTF-8 JSON body (charset=utf-8 or none), got charset=utf-16');
    expect(jsonContentTypeProblem('text/plain')).toBe('Content-Type: expected application/json, got text/plain');
    expect(jsonContentTypeProblem('application/vnd.api+json')).toBe('Content-Type: expected application/json, got application/vnd.api+json');
    expect(jsonContentTypeProblem(undefined)).toBe('Content-Type: expected application/json, got none');
  });
});
