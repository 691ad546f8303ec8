import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ApiError } from '../api/api-error';
import { useApi } from '../session/services';
import { useStepUp } from '../step-up/step-up';
import { ErrorAlert, Notice } from '../ui/error-alert';
import { Field } from '../ui/field';
import { ConfirmButton } from './confirm-button';
import type { TotpEnrolment } from './types';

const codeSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'validation.code'),
});
type CodeForm = z.infer<typeof codeSchema>;

/** Only a PNG data URL is shown as the QR code: an answer of any other kind is not an image of ours. */
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/=]+$/;

/** The secret in groups of four, as authenticator apps show a key typed by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * AUTH-8: set up an authenticator app. Starting needs a fresh second step (step-up); the QR code
 * and the key are shown once, and the app counts only after one of its codes is confirmed.
 */
export function TotpSection({ enabled }: { enabled: boolean }) {
  const { t } = useTranslation();
  const api = useApi();
  const withStepUp = useStepUp();
  const queryClient = useQueryClient();
  const [enrolment, setEnrolment] = useState<TotpEnrolment>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['me', 'security'] });
  const form = useForm<CodeForm>({ resolver: zodResolver(codeSchema), defaultValues: { code: '' } });

  const start = useMutation({
    mutationFn: () => withStepUp(() => api.post<TotpEnrolment>('/me/mfa/totp')),
    onSuccess: (started) => {
      confirm.reset();
      remove.reset();
      form.reset();
      setEnrolment(started);
    },
    // Enabled in another tab meanwhile: show the state as it is.
    onError: (error) => error instanceof ApiError && error.code === 'conflict' && void refresh(),
  });
  const confirm = useMutation({
    mutationFn: (values: CodeForm) => api.post<void>('/me/mfa/totp/confirm', { code: values.code.trim() }),
    onSuccess: async () => {
      setEnrolment(undefined);
      await refresh();
    },
    onError: () => form.setValue('code', ''),
  });
  const remove = useMutation({
    mutationFn: () => withStepUp(() => api.delete<void>('/me/mfa/totp')),
    onSuccess: async () => {
      confirm.reset();
      await refresh();
    },
  });

  return (
    <section aria-labelledby="totp-title" className="card">
      <h2 id="totp-title">{t('security.totp.title')}</h2>
      <ErrorAlert error={start.error ?? remove.error} />
      {confirm.isSuccess && enabled && <Notice>{t('security.totp.confirmed')}</Notice>}
      {remove.isSuccess && !enabled && <Notice>{t('security.removed')}</Notice>}
      {enrolment ? (
        <div className="enrolment">
          <p>{t('security.totp.scan')}</p>
          {PNG_DATA_URL.test(enrolment.qrCode) && (
            <img
              className="qr"
              src={enrolment.qrCode}
              alt={t('security.totp.qrAlt')}
              width={200}
              height={200}
            />
          )}
          <p>{t('security.totp.manual')}</p>
          <p>
            <code className="secret" data-secret={enrolment.secret}>
              {groupSecret(enrolment.secret)}
            </code>
          </p>
          <form onSubmit={(e) => void form.handleSubmit((values) => confirm.mutate(values))(e)} noValidate>
            <ErrorAlert error={confirm.error} />
            <Field
              label={t('security.totp.code')}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              error={form.formState.errors.code?.message}
              {...form.register('code')}
            />
            <button type="submit" className="primary" disabled={confirm.isPending}>
              {t('security.totp.confirm')}
            </button>
          </form>
          <button type="button" onClick={() => setEnrolment(undefined)}>
            {t('common.cancel')}
          </button>
        </div>
      ) : enabled ? (
        <>
          <p>{t('security.totp.enabled')}</p>
          <ConfirmButton
            label={t('security.totp.remove')}
            question={t('security.totp.removeConfirm')}
            disabled={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        </>
      ) : (
        <>
          <p>{t('security.totp.disabled')}</p>
          <button type="button" disabled={start.isPending} onClick={() => start.mutate()}>
            {t('security.totp.start')}
          </button>
        </>
      )}
    </section>
  );
}
