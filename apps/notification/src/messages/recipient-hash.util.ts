// Shared with auth, which matches a bounced hash against a user's address (NOTIF-6).
export { recipientHash, recipientHashes } from '@app/contracts';
