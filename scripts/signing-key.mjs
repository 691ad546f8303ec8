// Prints a new access token signing key (a private EC P-256 JWK with a kid) for
// ACCESS_TOKEN_SIGNING_KEYS. To rotate without downtime, see "Access token keys" in deploy/README.md:
//   node scripts/signing-key.mjs                  one key:   [{...}]
//   node scripts/signing-key.mjs --prepend "$OLD"  the new key first, then the keys of $OLD
import { newSigningKeyJwk } from './lib/signing-keys.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--prepend');
let older = [];
if (at !== -1) {
  const parsed = JSON.parse(args[at + 1] ?? '[]');
  older = Array.isArray(parsed) ? parsed : parsed.keys;
}
console.log(JSON.stringify([newSigningKeyJwk(), ...older]));
