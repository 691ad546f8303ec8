import { randomUUID } from 'node:crypto';
import { CanActivate, Controller, INestMicroservice, Injectable, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { connect, NatsConnection, StringCodec } from 'nats';
import { DrainingNatsServer, InFlightRequests, natsConnectionOptions } from '@app/messaging';
import { natsSettingsAs } from '@app/testing';

jest.setTimeout(60_000);

const codec = StringCodec();
// Subjects of this file's own: runs in parallel never share a queue group.
const run = randomUUID().slice(0, 8);
const GATED = `test.draining.${run}.gated`;
const ECHO = `test.draining.${run}.echo`;
const QUEUE = `test-draining-${run}`;

/** Holds every request of the gated subject in a guard, before its handler and interceptors. */
class Gate {
  private release!: () => void;
  private readonly opened = new Promise<void>((resolve) => (this.release = resolve));
  private notifyEntered!: () => void;
  readonly entered = new Promise<void>((resolve) => (this.notifyEntered = resolve));

  async pass(): Promise<boolean> {
    this.notifyEntered();
    await this.opened;
    return true;
  }

  open(): void {
    this.release();
  }
}

const gate = new Gate();

@Injectable()
class GateGuard implements CanActivate {
  canActivate(): Promise<boolean> {
    return gate.pass();
  }
}

@Controller()
class TestController {
  @UseGuards(GateGuard)
  @MessagePattern(GATED)
  gated(@Payload() n: number): number {
    return n * 2;
  }

  @MessagePattern(ECHO)
  async echo(@Payload() n: number): Promise<number> {
    // A little work, so several requests are in hand when the replica stops.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 8));
    return n;
  }
}

@Module({ controllers: [TestController], providers: [GateGuard] })
class TestModule {}

interface Replica {
  app: INestMicroservice;
  server: DrainingNatsServer;
}

async function startReplica(): Promise<Replica> {
  const server = new DrainingNatsServer(
    { ...natsConnectionOptions(natsSettingsAs('test-harness'), 'draining-test'), queue: QUEUE },
    new InFlightRequests(),
  );
  const app = await NestFactory.createMicroservice(TestModule, { strategy: server, logger: false });
  await app.listen();
  return { app, server };
}

/** A request in Nest's packet format; resolves to the reply's value or rejects with its error. */
async function ask(nc: NatsConnection, subject: string, n: number): Promise<number> {
  const msg = await nc.request(
    subject,
    codec.encode(JSON.stringify({ pattern: subject, data: n, id: randomUUID() })),
    {
      timeout: 5_000,
    },
  );
  const packet = JSON.parse(codec.decode(msg.data)) as { response?: number; err?: unknown };
  if (packet.err !== undefined) {
    throw new Error(`replied with an error: ${JSON.stringify(packet.err)}`);
  }
  return packet.response as number;
}

describe('DrainingNatsServer: a replica that stops answers every request it took', () => {
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect(natsConnectionOptions(natsSettingsAs('test-harness'), 'draining-test-client'));
  });

  afterAll(async () => {
    await nc?.close();
  });

  it('counts a request from its arrival: one still in a guard holds the stop until it is answered', async () => {
    const { app, server } = await startReplica();
    const reply = ask(nc, GATED, 21);
    await gate.entered;
    let stopped = false;
    const stopping = server.stopTaking(10_000).then((drained) => {
      stopped = true;
      return drained;
    });
    // The request has not reached its handler yet; the stop must still wait for it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stopped).toBe(false);
    gate.open();
    await expect(stopping).resolves.toBe(true);
    await app.close();
    await expect(reply).resolves.toBe(42);
  });

  it('two replicas in a queue group, one stopped mid-burst: every request answered, none lost', async () => {
    const a = await startReplica();
    const b = await startReplica();
    const TOTAL = 600;
    let sent = 0;
    const answers: number[] = [];
    const failures: string[] = [];
    const worker = async (): Promise<void> => {
      while (sent < TOTAL) {
        const n = sent++;
        try {
          answers.push(await ask(nc, ECHO, n));
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const workers = Array.from({ length: 24 }, () => worker());
    while (sent < TOTAL / 3) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const drained = await a.server.stopTaking(10_000);
    await a.app.close();
    await Promise.all(workers);
    await b.app.close();
    expect(drained).toBe(true);
    expect(failures).toEqual([]);
    expect(answers.sort((x, y) => x - y)).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
  });
});
