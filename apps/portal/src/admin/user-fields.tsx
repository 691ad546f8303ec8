import type { ReactNode } from 'react';
import type { FieldErrors, UseFormRegister } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n/i18n';
import { Field } from '../ui/field';
import type { EditUserForm } from './user-form';

/** The fields a user has on both the create and the edit form (AUTH-21). */
export function UserFields({
  register,
  errors,
  idPrefix,
  onEmailBlur,
  afterEmail,
}: {
  register: UseFormRegister<EditUserForm>;
  errors: FieldErrors<EditUserForm>;
  idPrefix: string;
  onEmailBlur?: (email: string) => void;
  /** What belongs right under the address (the create form's ID and its suggestion). */
  afterEmail?: ReactNode;
}) {
  const { t } = useTranslation();
  const email = register('email');
  return (
    <>
      <div className="field-pair">
        <Field
          label={t('admin.form.familyName')}
          autoComplete="off"
          required
          error={errors.familyName?.message}
          {...register('familyName')}
        />
        <Field
          label={t('admin.form.givenName')}
          autoComplete="off"
          error={errors.givenName?.message}
          {...register('givenName')}
        />
      </div>
      <Field
        label={t('admin.form.email')}
        type="email"
        autoComplete="off"
        required
        error={errors.email?.message}
        {...email}
        onBlur={(e) => {
          void email.onBlur(e);
          onEmailBlur?.(e.target.value);
        }}
      />
      {afterEmail}
      <Field label={t('admin.form.title')} error={errors.title?.message} {...register('title')} />
      <Field
        label={t('admin.form.phone')}
        type="tel"
        autoComplete="off"
        error={errors.phone?.message}
        {...register('phone')}
      />
      <Field
        label={t('admin.form.officePhone')}
        type="tel"
        autoComplete="off"
        error={errors.officePhone?.message}
        {...register('officePhone')}
      />
      <div className="field">
        <label htmlFor={`${idPrefix}-language`}>{t('admin.form.language')}</label>
        <select id={`${idPrefix}-language`} {...register('language')}>
          {LANGUAGES.map((language) => (
            <option key={language} value={language}>
              {t(`languages.${language}`)}
            </option>
          ))}
        </select>
      </div>
      <Field label={t('admin.form.timezone')} error={errors.timezone?.message} {...register('timezone')} />
      <label className="checkbox">
        <input type="checkbox" {...register('admin')} />
        {t('admin.form.admin')}
      </label>
      <label className="checkbox">
        <input type="checkbox" {...register('mfaRequired')} />
        {t('admin.form.mfaRequired')}
      </label>
    </>
  );
}
