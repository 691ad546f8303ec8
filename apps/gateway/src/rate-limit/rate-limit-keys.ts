import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { MAX_USER_ID_INPUT, normalizeUserId } from '@app/contracts';
import { AccountSource } from './rate-limit.decorator';

/** Longest value taken as an account, flow, token or key; anything longer is malformed and refused by validation. */
const MAX_KEY_INPUT = 512;

/** A short hash, so user IDs, reset tokens and API keys never sit in Redis in clear. */
export function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 22);
}

function stringField(source: unknown, name: string, max: number): string | undefined {
  if (typeof source !== 'object' || source === null) {
    return undefined;
  }
  const value = (source as Record<string, unknown>)[name];
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
}

/**
 * The account a credential request acts on, as a counter key, or undefined when the request names
 * none (only the address limit applies then; validation refuses the request anyway). A user ID is
 * taken as the auth service compares it, so case, width and spaces do not make a new bucket.
 */
export function accountKey(req: Pick<Request, 'body' | 'params'>, source: AccountSource): string | undefined {
  switch (source) {
    case 'body.userId': {
      const userId = stringField(req.body, 'userId', MAX_USER_ID_INPUT);
      return userId === undefined ? undefined : `user:${digest(normalizeUserId(userId))}`;
    }
    case 'body.flowId': {
      const flowId = stringField(req.body, 'flowId', MAX_KEY_INPUT);
      return flowId === undefined ? undefined : `flow:${digest(flowId)}`;
    }
    case 'param.flowId': {
      const flowId = stringField(req.params, 'flowId', MAX_KEY_INPUT);
      return flowId === undefined ? undefined : `flow:${digest(flowId)}`;
    }
    case 'param.token': {
      const token = stringField(req.params, 'token', MAX_KEY_INPUT);
      return token === undefined ? undefined : `reset:${digest(token)}`;
    }
  }
}

/** The integration a call comes from: a hash of its `X-Api-Key`, or undefined without one. */
export function apiKeyKey(req: Pick<Request, 'headers'>): string | undefined {
  const key = req.headers['x-api-key'];
  return typeof key === 'string' && key.length > 0 && key.length <= MAX_KEY_INPUT ? digest(key) : undefined;
}
