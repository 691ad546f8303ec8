import { neutralizeFormula } from './csv-injection.util';

describe('neutralizeFormula', () => {
  it.each([
    ['=HYPERLINK("http://evil.test","x")', `'=HYPERLINK("http://evil.test","x")`],
    ['+1+cmd|/C calc!A0', `'+1+cmd|/C calc!A0`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
  ])('prefixes %p so it stays text', (cell, expected) => {
    expect(neutralizeFormula(cell)).toBe(expected);
  });

  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) a=b'],
    ['2025-04-01T09:30:15+09:00'],
    ['198.51.100.7'],
    ['::1'],
    ['password'],
    [''],
    ['a-b+c=d@e'],
  ])('leaves %p as it is', (cell) => {
    expect(neutralizeFormula(cell)).toBe(cell);
  });
});
