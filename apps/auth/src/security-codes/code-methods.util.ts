import { MethodOption } from '@app/contracts';
import { User } from '../users/user.entity';
import { maskEmail, maskPhone } from './mask-destination.util';

/**
 * The code channels offered after a right password (AUTH-6): SMS is the default when a phone is
 * registered, otherwise e-mail; the other one stays available as "try another method".
 */
export function codeMethods(user: User): MethodOption[] {
  const methods: MethodOption[] = [];
  if (user.phone) {
    methods.push({ type: 'sms', destination: maskPhone(user.phone), default: true });
  }
  methods.push({ type: 'email', destination: maskEmail(user.email), default: !user.phone });
  return methods;
}
