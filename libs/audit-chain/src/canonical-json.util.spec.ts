import { canonicalJson } from './canonical-json.util';

describe(canonicalJson.name, () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives the same text whatever order the keys came in (jsonb reorders them)', () => {
    expect(canonicalJson({ userId: 'u', tenant: 't', ip: '1' })).toBe(
      canonicalJson({ ip: '1', tenant: 't', userId: 'u' }),
    );
  });

  it('leaves out undefined members and escapes strings as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 'quote " and \u2028' })).toBe('{"b":"quote \\" and \u2028"}');
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
  });
});
