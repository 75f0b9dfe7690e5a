import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messages, type MessageTree } from './index';

function flatten(tree: MessageTree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(vue|ts)$/.test(name) && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

const zh = flatten(messages['zh-CN']);
const en = flatten(messages.en);

describe('locales', () => {
  it('loads every module of both languages', () => {
    expect(Object.keys(messages['zh-CN']).sort()).toEqual(Object.keys(messages.en).sort());
    expect(zh.size).toBeGreaterThan(100);
  });

  it('has the same keys in zh-CN and en', () => {
    const onlyZh = [...zh.keys()].filter((k) => !en.has(k));
    const onlyEn = [...en.keys()].filter((k) => !zh.has(k));
    expect(onlyZh).toEqual([]);
    expect(onlyEn).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    const differ = [...zh.keys()].filter((k) => en.has(k) && placeholders(zh.get(k)!).join() !== placeholders(en.get(k)!).join());
    expect(differ).toEqual([]);
  });

  it('has no empty message', () => {
    expect([...zh, ...en].filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([]);
  });

  it('defines every literal key the source code uses', () => {
    const src = join(__dirname, '..');
    const used = new Set<string>();
    for (const file of sourceFiles(src)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z_]+(?:\.[a-zA-Z0-9_]+)+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(/title: '([a-z]+\.[a-zA-Z.]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !zh.has(k))).toEqual([]);
  });

  it('names every role, school type and locality', async () => {
    const { kAllRoles } = await import('@/api/auth');
    const { kSchoolTypes, kLocalities } = await import('@/api/org');
    const keys = [
      ...kAllRoles.map((r) => `role.${r}`),
      ...kSchoolTypes.map((s) => `org.schoolType.${s}`),
      ...kLocalities.map((l) => `org.locality.${l}`),
    ];
    expect(keys.filter((k) => !zh.has(k) || !en.has(k))).toEqual([]);
  });
});
