import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import zhCn from 'element-plus/es/locale/lang/zh-cn.mjs';
import en from 'element-plus/es/locale/lang/en.mjs';
import { i18n, kLocaleStorageKey, type AppLocale } from '@/locales';

/** The UI language: vue-i18n, Element Plus and <html lang> follow it; it is remembered per browser. */
export const useLocaleStore = defineStore('locale', () => {
  const locale = ref<AppLocale>(i18n.global.locale.value as AppLocale);
  const elementLocale = computed(() => (locale.value === 'en' ? en : zhCn));

  function setLocale(next: AppLocale): void {
    locale.value = next;
    i18n.global.locale.value = next;
    document.documentElement.lang = next;
    try {
      localStorage.setItem(kLocaleStorageKey, next);
    } catch {
      // storage disabled: the choice lasts for this page only
    }
  }

  return { locale, elementLocale, setLocale };
});
