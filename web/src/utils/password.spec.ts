import { describe, expect, it } from 'vitest';
import { characterClasses, checkPassword, isPasswordAcceptable } from './password';

describe('password rule', () => {
  it.each([
    ['Abcdefgh1!', 'zhang', true],
    ['Abcdefg1!', 'zhang', false], // 9 characters
    ['abcdefghij1', 'zhang', false], // two classes
    ['abcdefghi1!', 'zhang', true], // lower + digit + symbol
    ['ABCDEFGHI1', 'zhang', false],
    ['Zhang2026!x', 'zhang', false], // contains the username, any case
    ['校安校安校安校安aA', 'zhang', true], // non-ASCII counts as a symbol
  ])('%s for %s → %s', (password, username, ok) => {
    expect(isPasswordAcceptable(password, username)).toBe(ok);
  });

  it('reports each rule separately', () => {
    expect(checkPassword('short', 'bob')).toEqual({ length: false, classes: false, noUsername: true });
    expect(checkPassword('bob-Bob-bob-1', 'bob')).toEqual({ length: true, classes: true, noUsername: false });
  });

  it('counts character classes', () => {
    expect(characterClasses('')).toBe(0);
    expect(characterClasses('aA1-')).toBe(4);
    expect(characterClasses('aaaa')).toBe(1);
  });
});
