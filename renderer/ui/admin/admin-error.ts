import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../sync/client/api-error.ts';
import { CoreError, coreErrorCode } from '../../core/errors.ts';

/** The server's error code and message behind a failed core.request (null when nothing answered). */
export function serverProblem(error: unknown): { code: string; status: number; message: string } | null {
  const cause = error instanceof CoreError ? error.cause : error;
  return cause instanceof ApiError && cause.status > 0 ? { code: cause.code, status: cause.status, message: cause.message } : null;
}

/**
 * Error text for the admin screens: the app's sentence for what every screen meets (offline, session,
 * forbidden, server down), and for a refusal of these routes (a URL the server will not call, a key
 * without a passing run) the server's own explanation, which says what to change.
 */
export function useAdminErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => {
    const code = coreErrorCode(error);
    const problem = serverProblem(error);
    if (code === 'unexpected' && problem && problem.status < 500) return t('admin.serverRefused', { message: problem.message });
    return t(`errors.${code}`);
  };
}
