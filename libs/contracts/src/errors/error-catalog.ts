import { ErrorCode } from './error-code.enum';
import { Language } from '../dto/language';

interface ErrorEntry {
  status: number;
  en: string;
  ja: string;
}

/** HTTP status and user-facing messages per error code: the only place this mapping is written. */
export const ERROR_CATALOG: Record<ErrorCode, ErrorEntry> = {
  [ErrorCode.ValidationFailed]: {
    status: 400,
    en: 'The request is not valid.',
    ja: '入力内容に誤りがあります。',
  },
  [ErrorCode.PayloadTooLarge]: {
    status: 413,
    en: 'The request is too large.',
    ja: 'リクエストが大きすぎます。',
  },
  [ErrorCode.NotFound]: { status: 404, en: 'Not found.', ja: '見つかりません。' },
  [ErrorCode.Unauthorized]: { status: 401, en: 'Please log in.', ja: 'ログインしてください。' },
  [ErrorCode.Forbidden]: { status: 403, en: 'You may not do this.', ja: 'この操作は許可されていません。' },
  [ErrorCode.RateLimited]: {
    status: 429,
    en: 'Too many requests. Try again later.',
    ja: 'リクエストが多すぎます。しばらくしてから再度お試しください。',
  },
  [ErrorCode.ServiceUnavailable]: {
    status: 503,
    en: 'The service is unavailable. Try again later.',
    ja: 'サービスが利用できません。しばらくしてから再度お試しください。',
  },
  [ErrorCode.InternalError]: { status: 500, en: 'Something went wrong.', ja: 'エラーが発生しました。' },
  [ErrorCode.InvalidCredentials]: {
    status: 401,
    en: 'The user ID or password is incorrect.',
    ja: 'ユーザーIDまたはパスワードが正しくありません。',
  },
  [ErrorCode.AccountLocked]: {
    status: 423,
    en: 'This user ID is locked. Try again later.',
    ja: 'このユーザーIDはロックされています。しばらくしてから再度お試しください。',
  },
  [ErrorCode.LoginDisabled]: {
    status: 403,
    en: 'Login is disabled for this user.',
    ja: 'このユーザーのログインは無効になっています。',
  },
  [ErrorCode.ResendTooSoon]: {
    status: 429,
    en: 'Please wait before requesting a new code.',
    ja: '新しいコードを送信するまでお待ちください。',
  },
  [ErrorCode.SmsUnavailable]: {
    status: 422,
    en: 'SMS cannot be used for this user.',
    ja: 'このユーザーはSMSを利用できません。',
  },
  [ErrorCode.EmailUnavailable]: {
    status: 422,
    en: 'E-mail cannot be used for this user.',
    ja: 'このユーザーはメールを利用できません。',
  },
  [ErrorCode.FlowExpired]: {
    status: 410,
    en: 'This login has expired. Please start again.',
    ja: 'ログインの有効期限が切れました。最初からやり直してください。',
  },
  [ErrorCode.InvalidCode]: {
    status: 401,
    en: 'The security code is incorrect.',
    ja: 'セキュリティコードが正しくありません。',
  },
  [ErrorCode.CodeExpired]: {
    status: 410,
    en: 'The security code is no longer valid. Request a new one.',
    ja: 'セキュリティコードは無効です。新しいコードを取得してください。',
  },
  [ErrorCode.MethodNotAvailable]: {
    status: 422,
    en: 'This method cannot be used.',
    ja: 'この方法は利用できません。',
  },
  [ErrorCode.TenantSelectionRequired]: {
    status: 409,
    en: 'Select a tenant first.',
    ja: '先に契約を選択してください。',
  },
  [ErrorCode.RefreshTokenReused]: {
    status: 401,
    en: 'This session has ended. Please log in again.',
    ja: 'セッションは終了しました。再度ログインしてください。',
  },
  [ErrorCode.RefreshTokenInvalid]: {
    status: 401,
    en: 'Please log in again.',
    ja: '再度ログインしてください。',
  },
  [ErrorCode.SessionEnded]: {
    status: 401,
    en: 'This session has ended. Please log in again.',
    ja: 'セッションは終了しました。再度ログインしてください。',
  },
  [ErrorCode.StepUpRequired]: {
    status: 403,
    en: 'Please verify it is you to continue.',
    ja: '続行するには本人確認を行ってください。',
  },
  [ErrorCode.PasswordPolicy]: {
    status: 422,
    en: 'The password does not meet the policy.',
    ja: 'パスワードがポリシーを満たしていません。',
  },
  [ErrorCode.ResetTokenInvalid]: {
    status: 410,
    en: 'This reset link is no longer valid.',
    ja: 'このリセットリンクは無効です。',
  },
  [ErrorCode.UserIdTaken]: {
    status: 409,
    en: 'This user ID is already in use.',
    ja: 'このユーザーIDは既に使用されています。',
  },
  [ErrorCode.TenantExists]: {
    status: 409,
    en: 'This customer number already exists.',
    ja: 'このお客さま番号は既に存在します。',
  },
  [ErrorCode.InitialPasswordRequired]: {
    status: 403,
    en: 'Enter the initial authentication password.',
    ja: '初期認証パスワードを入力してください。',
  },
  [ErrorCode.OpenInquiryExists]: {
    status: 409,
    en: 'An open inquiry already exists.',
    ja: '未完了のお問い合わせが既にあります。',
  },
  [ErrorCode.InvalidTransition]: {
    status: 409,
    en: 'This change of status is not allowed.',
    ja: 'このステータス変更はできません。',
  },
  [ErrorCode.QueryTooShort]: {
    status: 400,
    en: 'Enter at least 3 characters.',
    ja: '3文字以上入力してください。',
  },
  [ErrorCode.LoginDenied]: {
    status: 403,
    en: 'This login was refused for security reasons. Contact your administrator.',
    ja: 'セキュリティ上の理由によりログインできませんでした。管理者にお問い合わせください。',
  },
  [ErrorCode.PasskeyInvalid]: {
    status: 401,
    en: 'The passkey could not be verified.',
    ja: 'パスキーを確認できませんでした。',
  },
  [ErrorCode.ApprovalPending]: {
    status: 409,
    en: 'The approval request has not been answered yet.',
    ja: '承認リクエストはまだ応答されていません。',
  },
  [ErrorCode.ApprovalDenied]: {
    status: 403,
    en: 'The approval request was denied.',
    ja: '承認リクエストは拒否されました。',
  },
  [ErrorCode.Conflict]: {
    status: 409,
    en: 'This cannot be done in the current state.',
    ja: '現在の状態ではこの操作はできません。',
  },
  [ErrorCode.IdentityCheckFailed]: {
    status: 422,
    en: 'The identity check did not match.',
    ja: '本人確認の情報が一致しません。',
  },
  [ErrorCode.AccountShared]: {
    status: 409,
    en: 'This user also belongs to another customer. Ask the provider to change this setting.',
    ja: 'このユーザーは他のお客さまにも所属しているため、この項目は変更できません。当センターへご依頼ください。',
  },
  [ErrorCode.TooManyMessages]: {
    status: 429,
    en: 'Too many messages were sent. Please try again later.',
    ja: '送信回数が上限に達しました。しばらくしてから再度お試しください。',
  },
  [ErrorCode.ServiceNotContracted]: {
    status: 422,
    en: 'Your organisation has no contract for this service.',
    ja: 'このサービスはご契約がありません。',
  },
  [ErrorCode.CategoryNotSelectable]: {
    status: 422,
    en: 'This category cannot be chosen for an inquiry.',
    ja: 'このカテゴリーはお問い合わせでは選択できません。',
  },
  [ErrorCode.CaseClosed]: {
    status: 409,
    en: 'This case is closed.',
    ja: 'このケースはクローズされています。',
  },
  [ErrorCode.AttachmentTooLarge]: {
    status: 413,
    en: 'The file is too large.',
    ja: 'ファイルが大きすぎます。',
  },
  [ErrorCode.AttachmentTypeRefused]: {
    status: 415,
    en: 'This type of file cannot be attached.',
    ja: 'この種類のファイルは添付できません。',
  },
  [ErrorCode.RangeNotSatisfiable]: {
    status: 416,
    en: 'The requested range is outside the file.',
    ja: '指定された範囲がファイルの外にあります。',
  },
  [ErrorCode.WorkRequestDecided]: {
    status: 409,
    en: 'This work request has already been accepted or rejected.',
    ja: 'この作業依頼は既に受理または却下されています。',
  },
};

export function errorMessage(code: ErrorCode, language: Language = 'en'): string {
  return ERROR_CATALOG[code][language];
}
