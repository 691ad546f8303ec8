import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';

/** Where `npm run build` puts the portal, from this file's place in dist/apps/gateway/src/portal/. */
export const DEFAULT_PORTAL_DIR = path.resolve(__dirname, '../../../../portal');

/** Paths that belong to the API and the operations endpoints, never to the portal's routes. */
const NOT_PORTAL = /^\/(api|health|metrics|\.well-known)(\/|$)/;
/** Vite names every built asset after its content hash: a new build means a new name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The portal's static files and its SPA fallback: `/assets/*` cached for a year (hashed names),
 * any other GET outside the API that looks like a page (no file extension) answers index.html,
 * revalidated on every load so a new build is picked up. Everything else goes on to Nest, so API
 * paths keep their JSON 404 and error envelope. Returns false when no built portal is there.
 */
export function servePortal(
  use: (handler: (req: Request, res: Response, next: NextFunction) => void) => void,
  dir: string,
): boolean {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) {
    return false;
  }
  const files = express.static(dir, {
    index: false,
    fallthrough: true,
    redirect: false,
    setHeaders: (res, file) => {
      res.setHeader(
        'Cache-Control',
        path.relative(dir, file).startsWith(`assets${path.sep}`) ? IMMUTABLE : 'no-cache',
      );
    },
  });
  use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_PORTAL.test(req.path)) {
      next();
      return;
    }
    files(req, res, () => {
      if (path.extname(req.path) !== '' || req.path.startsWith('/assets/')) {
        next();
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index, (error?: Error) => {
        if (error && !res.headersSent) {
          next(error);
        }
      });
    });
  });
  return true;
}
