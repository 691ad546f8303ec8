import type { UseFormRegisterReturn } from 'react-hook-form';
import type { PasswordPolicyView } from '../api/types';
import { Field } from '../ui/field';
import { PasswordChecklist } from './password-checklist';
import { checkPassword } from './password-rules';

/** New password, its confirmation and the live checklist under them. */
export function NewPasswordFields(props: {
  policy: PasswordPolicyView;
  password: string;
  confirmation: string;
  serverViolations: string[];
  register: { password: UseFormRegisterReturn; confirmation: UseFormRegisterReturn };
  labels: { password: string; confirmation: string };
  errors: { password?: string; confirmation?: string };
}) {
  const checks = checkPassword(props.policy, props.password, props.confirmation, props.serverViolations);
  return (
    <>
      <Field
        label={props.labels.password}
        type="password"
        autoComplete="new-password"
        maxLength={props.policy.maxLength + 10}
        error={props.errors.password}
        {...props.register.password}
      />
      <Field
        label={props.labels.confirmation}
        type="password"
        autoComplete="new-password"
        error={props.errors.confirmation}
        {...props.register.confirmation}
      />
      <PasswordChecklist policy={props.policy} checks={checks} />
    </>
  );
}
