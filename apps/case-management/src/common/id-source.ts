import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** Where new record ids come from, injected like the clock so tests can name what they expect. */
export abstract class IdSource {
  abstract uuid(): string;
}

@Injectable()
export class RandomIdSource extends IdSource {
  uuid(): string {
    return randomUUID();
  }
}
