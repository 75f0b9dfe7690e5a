import { createI18n } from 'vue-i18n';

export const kLocales = ['zh-CN', 'en'] as const;
export type AppLocale = (typeof kLocales)[number];
export const kDefaultLocale: AppLocale = 'zh-CN';

export interface MessageTree {
  [key: string]: string | MessageTree;
}

// locales/<lang>/<module>.json → messages[lang][module]
const files = import.meta.glob<MessageTree>('./*/*.json', { eager: true, import: 'default' });

export const messages: Record<AppLocale, MessageTree> = { 'zh-CN': {}, en: {} };
for (const [path, tree] of Object.entries(files)) {
  const match = /^\.\/([^/]+)\/([^/]+)\.json$/.exec(path);
  if (!match) continue;
  const lang = match[1] as AppLocale;
  if (!(lang in messages)) continue;
  messages[lang][match[2]] = tree;
}

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (kLocales as readonly string[]).includes(value);
}

export const kLocaleStorageKey = 'xiaoan.locale';

export function initialLocale(): AppLocale {
  try {
    const saved = globalThis.localStorage?.getItem(kLocaleStorageKey);
    if (isAppLocale(saved)) return saved;
  } catch {
    // storage disabled: fall through to the default
  }
  return kDefaultLocale;
}

export function createAppI18n(locale: AppLocale = initialLocale()) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: kDefaultLocale,
    messages,
    missingWarn: false,
    fallbackWarn: false,
  });
}

export type AppI18n = ReturnType<typeof createAppI18n>;

export const i18n = createAppI18n();
