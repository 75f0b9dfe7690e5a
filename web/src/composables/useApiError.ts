import { reactive } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import { isApiError } from '@/api/http';

/** Turns API failures into words in the UI language: `errors.<code>` first, else the server's detail. */
export function useApiError() {
  const { t, te } = useI18n();

  function message(e: unknown): string {
    if (isApiError(e)) {
      if (e.code === 'account_locked') {
        return t('errors.account_locked', { minutes: e.retry_after_minutes ?? '?' });
      }
      const key = `errors.${e.code}`;
      if (te(key)) return t(key);
      return e.detail || t('errors.unknown');
    }
    return e instanceof Error ? e.message : t('errors.unknown');
  }

  /** Shows `e` as an error toast. */
  function notify(e: unknown): void {
    ElMessage({ type: 'error', message: message(e), grouping: true });
  }

  return { message, notify };
}

/**
 * Server-side field errors for an el-form: bind `:error="fieldErrors.<name>"`
 * on each el-form-item. `attributes.day_students` is shown on `day_students`.
 */
export function useFieldErrors() {
  const fieldErrors = reactive<Record<string, string>>({});

  function clearFieldErrors(): void {
    for (const key of Object.keys(fieldErrors)) delete fieldErrors[key];
  }

  /** Copies the field errors of `e`; returns true when there were any. */
  function applyFieldErrors(e: unknown): boolean {
    clearFieldErrors();
    if (!isApiError(e) || e.errors.length === 0) return false;
    for (const err of e.errors) {
      const name = err.field.split('.').pop() ?? err.field;
      fieldErrors[name] = fieldErrors[name] ? `${fieldErrors[name]}; ${err.message}` : err.message;
    }
    return true;
  }

  return { fieldErrors, clearFieldErrors, applyFieldErrors };
}
