import { RequestMethod, ValidationPipe } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { json, NextFunction, Request, Response, urlencoded } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { APP_CONFIG, GatewayEnv, parseTrustProxy } from '@app/config';
import { Metrics } from '@app/observability';
import { BodyParserErrorHandler } from '../errors/body-parser-error.handler';
import { JSON_BODY_LIMIT_BYTES } from '../errors/body-parser-error.util';
import { ErrorEnvelopeFilter } from '../errors/error-envelope.filter';
import { InputTextPipe } from '../errors/input-text.pipe';
import { ApiErrorEnvelopeDto } from '../errors/api-error-envelope.dto';
import { validationFailed } from '../errors/validation-errors.util';
import { DEFAULT_PORTAL_DIR, servePortal } from '../portal/portal-static';
import { HttpMetricsMiddleware } from '../metrics/http-metrics.middleware';
import { SMS_STATUS_PATH } from '../messages/sms-status.controller';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { GatewayRequest } from '../request-context/gateway-request';
import { RequestContextMiddleware } from '../request-context/request-context.middleware';
import { REQUEST_ID_HEADER, RequestIdMiddleware } from '../request-context/request-id.middleware';

export const API_PREFIX = 'api/v1';
export const DOCS_PATH = 'api/docs';

function corsOrigins(value: string): string[] {
  return value
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o.length > 0);
}

/**
 * Everything around the controllers, in the order a request meets it: request id, metrics, security
 * headers, CORS, cookies, the JSON body (100 kB at most), the call context; then Nest's guards, the
 * validation pipe and the one error filter. Shared by main.ts and the tests, so both see one gateway.
 * The app must be created with `bodyParser: false` so the parser sits after the request id.
 */
export function configureApp(app: NestExpressApplication, logger: Logger): void {
  const config = app.get<GatewayEnv>(APP_CONFIG);

  // req.ip and req.secure come from X-Forwarded-* only when the hop that sent them is a trusted
  // proxy (TRUST_PROXY, validated at start; loopback by default): from anyone else those headers are
  // ignored, so a client cannot choose its rate-limit bucket or the address in its login history.
  app.set('trust proxy', parseTrustProxy(config.TRUST_PROXY));
  app.disable('x-powered-by');

  const requestId = new RequestIdMiddleware();
  const httpMetrics = new HttpMetricsMiddleware(app.get(Metrics), logger);
  const bodyErrors = new BodyParserErrorHandler();
  const requestContext = new RequestContextMiddleware();

  app.use((req: Request, res: Response, next: NextFunction) => requestId.use(req, res, next));
  app.use((req: Request, res: Response, next: NextFunction) => httpMetrics.use(req, res, next));
  app.use(
    helmet({
      // TLS ends at the proxy in front; upgrading here would break the docs page on plain local HTTP.
      // The portal (apps/portal) and the docs load scripts only from files of this origin: no
      // 'unsafe-inline' for scripts, and the portal talks to nothing but this origin's API.
      contentSecurityPolicy: {
        directives: { upgradeInsecureRequests: null, scriptSrc: ["'self'"], connectSrc: ["'self'"] },
      },
    }),
  );
  const origins = corsOrigins(config.CORS_ORIGINS);
  if (origins.length > 0) {
    app.enableCors({
      origin: origins,
      credentials: true,
      allowedHeaders: ['Content-Type', 'Authorization', REQUEST_ID_HEADER, 'Accept-Language'],
      exposedHeaders: [
        REQUEST_ID_HEADER,
        'Retry-After',
        'RateLimit-Limit',
        'RateLimit-Remaining',
        'RateLimit-Reset',
        // The next page of the audit events (AUDIT-4).
        'X-Next-Cursor',
        'Link',
      ],
      maxAge: 600,
    });
  }
  app.use(cookieParser());
  app.use(json({ limit: JSON_BODY_LIMIT_BYTES, strict: true }));
  // SMS delivery receipts are HTML forms (Twilio's StatusCallback); no other route takes one.
  app.use(
    `/${API_PREFIX}/${SMS_STATUS_PATH}`,
    urlencoded({ extended: false, limit: JSON_BODY_LIMIT_BYTES, parameterLimit: 100 }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => bodyErrors.requireObject(req, res, next));
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) =>
    bodyErrors.handle(error, req, res, next),
  );
  app.use((req: Request, res: Response, next: NextFunction) => requestContext.use(req, res, next));
  app.use(`/${API_PREFIX}`, (_req: Request, res: Response, next: NextFunction) => {
    // Answers carry tokens and personal data: no cache may keep them.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  // The portal at `/` (issue 14): static files and the SPA fallback, outside the API's paths.
  const portalDir = config.PORTAL_DIR ?? DEFAULT_PORTAL_DIR;
  if (servePortal((handler) => app.use(handler), portalDir)) {
    logger.info({ portalDir }, 'serving the portal at /');
  }

  // The API docs are Express routes, outside Nest's guards: the anonymous limit per address here.
  const rateLimit = app.get(RateLimitGuard);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!req.path.startsWith(`/${DOCS_PATH}`)) {
      next();
      return;
    }
    rateLimit
      .check('anonymous', rateLimit.countersFor('anonymous', undefined, req as GatewayRequest), res)
      .then(() => next(), next);
  });

  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: '.well-known/jwks.json', method: RequestMethod.GET },
      { path: 'api/asyncapi.json', method: RequestMethod.GET },
    ],
  });
  app.useGlobalFilters(new ErrorEnvelopeFilter(logger));
  app.useGlobalPipes(
    // The text rule first, so no validator meets a lone surrogate or a NUL.
    new InputTextPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      validationError: { target: false, value: false },
      exceptionFactory: validationFailed,
    }),
  );

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Mamori API')
      .setDescription(
        'Login security, cases and audit behind business customer portals. Every error is ' +
          '`{"error": {code, message, details?, requestId}}`; messages follow Accept-Language (ja or en).',
      )
      .setVersion('1')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
      .build(),
    { extraModels: [ApiErrorEnvelopeDto] },
  );
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    yamlDocumentUrl: `${DOCS_PATH}-yaml`,
  });
  // No enableShutdownHooks: main.ts stops the gateway on signals itself (GracefulHttpShutdown).
}
