import { AdminUserView } from '@app/contracts';
import { Membership } from './membership.entity';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';

/** What of a user's membership the admin's view shows: the role and the notification address there. */
export type MembershipFacts = Pick<Membership, 'role' | 'notificationEmail'>;

/** A user as the admin of one tenant sees them (AUTH-21): the account plus their settings in that tenant. */
export function adminUserView(user: User, membership: MembershipFacts, locked: boolean): AdminUserView {
  return {
    ...UsersService.view(user, membership.role, locked),
    displayName: user.displayName,
    title: user.title,
    officePhone: user.officePhone,
    emailUndeliverable: user.emailUndeliverable,
    notificationEmail: membership.notificationEmail,
  };
}
