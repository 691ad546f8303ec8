// Renders deploy/nats/permissions.json into the NATS configuration files Mamori ships:
//   node scripts/nats-auth.mjs            write deploy/nats/auth.conf and the Helm chart's copy
//   node scripts/nats-auth.mjs --check    fail when either is not what the permission map gives
//   node scripts/nats-auth.mjs --passwords   print a new password for every user (for an .env file)
import fs from 'node:fs';
import path from 'node:path';
import {
  AUTH_CONF_FILE,
  HELM_AUTH_CONF_FILE,
  natsUsers,
  newNatsPassword,
  passwordVariable,
  renderNatsAuthConfig,
} from './lib/nats-auth.mjs';

const args = process.argv.slice(2);
if (args.includes('--passwords')) {
  for (const user of natsUsers()) {
    console.log(`${passwordVariable(user)}=${newNatsPassword()}`);
  }
  process.exit(0);
}
const wanted = renderNatsAuthConfig();
let stale = false;
for (const file of [AUTH_CONF_FILE, HELM_AUTH_CONF_FILE]) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (current === wanted) {
    continue;
  }
  if (args.includes('--check')) {
    console.error(`${path.relative(process.cwd(), file)} is out of date: run \`node scripts/nats-auth.mjs\``);
    stale = true;
  } else {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, wanted);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
process.exit(stale ? 1 : 0);
