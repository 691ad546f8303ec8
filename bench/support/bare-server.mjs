// The bare handler of bench/me.mjs: NestJS on Express, as the gateway, with one route that answers
// `GET /api/v1/me` with a fixed body (the real answer, passed in BARE_BODY) and nothing around it: no
// middleware, guards, validation, logging, Redis, NATS or database. It prints its port on stdout.
import 'reflect-metadata';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');

const body = JSON.parse(process.env.BARE_BODY ?? '{}');

class BareController {
  me() {
    return body;
  }
}
Get('me')(BareController.prototype, 'me', Object.getOwnPropertyDescriptor(BareController.prototype, 'me'));
Controller('api/v1')(BareController);

class BareModule {}
Module({ controllers: [BareController] })(BareModule);

const app = await NestFactory.create(BareModule, { logger: false });
await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
console.log(JSON.stringify({ port: app.getHttpServer().address().port }));
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
