import { Injectable, OnModuleInit } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';

/** OWASP's argon2id parameters (AUTH-2): m=19 MiB, t=2, p=1. */
export const ARGON2_PARAMS = {
  algorithm: Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * argon2id hashing. `verify` takes the same time whether or not there is a hash to check, so an
 * unknown user ID cannot be told from a wrong password by timing (AUTH-3). The dummy hash is made at
 * start, not on first use: otherwise the first unknown ID after a restart would take a hash longer.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash?: Promise<string>;

  async onModuleInit(): Promise<void> {
    await this.dummyPasswordHash();
  }

  async hash(password: string): Promise<string> {
    return hash(password, ARGON2_PARAMS);
  }

  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    if (passwordHash === null) {
      await verify(await this.dummyPasswordHash(), password);
      return false;
    }
    return verify(passwordHash, password);
  }

  private dummyPasswordHash(): Promise<string> {
    this.dummyHash ??= hash('mamori-dummy-password-for-timing', ARGON2_PARAMS);
    return this.dummyHash;
  }
}
