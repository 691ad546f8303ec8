import { execFileSync } from 'node:child_process';
import path from 'node:path';

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, '..', '..', '..');
const script = (name: string) => JSON.stringify(path.join(ROOT, 'scripts', name));
const asRoot = process.getuid?.() === 0;

/** Runs an ESM snippet against the scripts (plain Node ESM) and returns the JSON its last line prints. */
function runEsm(body: string): any {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', body], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('the private folders and files of local servers (scripts/lib/private-fs.mjs)', () => {
  it('refuses a symbolic link planted at a folder name and writes no file through one', () => {
    const result = runEsm(`
      import { makePrivateDir, makePrivateTempDir, writePrivateFile } from ${script('lib/private-fs.mjs')};
      import fs from 'node:fs';
      const base = fs.mkdtempSync('/tmp/mamori-private-fs-test-');
      try {
        // Another user's idea: a link where Mamori will make its socket folder, pointing at a folder of theirs.
        const target = base + '/target';
        fs.mkdirSync(target);
        fs.chmodSync(target, 0o777);
        fs.symlinkSync(target, base + '/run');
        let refused;
        try { makePrivateDir(base + '/run'); } catch (e) { refused = e.message; }
        // A link where a secret file goes, pointing at a file the attacker would like overwritten.
        fs.writeFileSync(base + '/victim', 'untouched');
        fs.symlinkSync(base + '/victim', base + '/password');
        writePrivateFile(base + '/password', 'secret');
        const made = makePrivateDir(base + '/fresh');
        const temp = makePrivateTempDir('mamori-x-', undefined, base);
        let otherUser = 'skipped (not root)';
        if (process.getuid() === 0) {
          fs.mkdirSync(base + '/theirs');
          fs.chownSync(base + '/theirs', 65534, 65534);
          try { makePrivateDir(base + '/theirs'); otherUser = 'accepted'; } catch (e) { otherUser = e.message; }
        }
        const mode = (p) => (fs.lstatSync(p).mode & 0o777).toString(8);
        console.log(JSON.stringify({
          refused,
          targetMode: mode(target),
          stillALink: fs.lstatSync(base + '/run').isSymbolicLink(),
          victim: fs.readFileSync(base + '/victim', 'utf8'),
          secretIsLink: fs.lstatSync(base + '/password').isSymbolicLink(),
          secretMode: mode(base + '/password'),
          secret: fs.readFileSync(base + '/password', 'utf8'),
          freshMode: mode(made),
          tempMode: mode(temp),
          tempName: temp.startsWith(base + '/mamori-x-') && temp.length > (base + '/mamori-x-').length,
          otherUser,
        }));
      } finally {
        fs.rmSync(base, { recursive: true, force: true });
      }
    `);
    expect(result).toEqual({
      refused: expect.stringMatching(/refusing to use .*\/run: it is a symbolic link/),
      targetMode: '777',
      stillALink: true,
      victim: 'untouched',
      secretIsLink: false,
      secretMode: '600',
      secret: 'secret',
      freshMode: '700',
      tempMode: '700',
      tempName: true,
      otherUser: asRoot ? expect.stringMatching(/belongs to another user/) : 'skipped (not root)',
    });
  });
});

/**
 * The PostgreSQL and Redis that `npm start` runs when none answers (scripts/infra.mjs, started in a
 * child process on free ports with a temporary state folder): not as root, only with the passwords
 * generated for them, which are in 0600 files and on no command line.
 */
it('the PostgreSQL and Redis npm start runs ask for generated passwords, run unprivileged, keep files private; an earlier trust cluster gets a password', () => {
  const result = runEsm(`
    import { startInfra } from ${script('infra.mjs')};
    import { execFileSync } from 'node:child_process';
    import net from 'node:net';
    import fs from 'node:fs';
    import pg from 'pg';
    const getPort = () => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
    const stateDir = fs.mkdtempSync('/tmp/mamori-infra-test-');
    // As the checkout's .mamori/ would be: reachable (not listable) for the servers' OS user.
    fs.chmodSync(stateDir, 0o711);
    const started = Date.now();
    let infra = await startInfra({ components: ['postgres', 'redis'], env: {}, ports: { postgres: await getPort(), redis: await getPort() }, stateDir, log: () => {} });
    const startMs = Date.now() - started;
    const login = async (password) => {
      const url = new URL(infra.postgresUrl);
      url.password = password;
      const client = new pg.Client({ connectionString: url.toString() });
      try { await client.connect(); await client.query('SELECT 1'); return 'accepted'; } catch (e) { return e.code ?? e.message; } finally { await client.end().catch(() => {}); }
    };
    const hbaRules = () => fs.readFileSync(stateDir + '/postgres/data/pg_hba.conf', 'utf8').split('\\n').filter((line) => line && !line.startsWith('#')).map((line) => line.split(/\\s+/).pop());
    let first;
    try {
      const redisUrl = new URL(infra.redisUrl);
      const pgUrl = new URL(infra.postgresUrl);
      const ask = (auth) => new Promise((resolve) => {
        const socket = net.connect(Number(redisUrl.port), redisUrl.hostname, () => socket.write((auth ? 'AUTH ' + decodeURIComponent(redisUrl.password) + '\\r\\n' : '') + 'PING\\r\\n'));
        let text = ''; socket.on('data', (d) => { text += d; if (text.includes('PONG') || text.includes('NOAUTH')) { socket.destroy(); resolve(text.trim().split('\\r\\n').pop()); } });
      });
      const mode = (p) => (fs.statSync(p).mode & 0o777).toString(8);
      const conf = fs.readdirSync(stateDir + '/redis').find((f) => f.endsWith('.conf'));
      const ps = execFileSync('ps', ['-eo', 'user:32,args']).toString().split('\\n');
      const ownerOf = (needle) => ps.find((line) => line.includes(needle))?.trim().split(/\\s+/)[0];
      first = {
        startMs,
        redisPassword: redisUrl.password.length,
        withoutPassword: await ask(false),
        withPassword: await ask(true),
        pgPassword: decodeURIComponent(pgUrl.password).length,
        pgWrongPassword: await login('not-the-password'),
        pgRightPassword: await login(decodeURIComponent(pgUrl.password)),
        passwordFile: fs.readFileSync(stateDir + '/postgres/password', 'utf8').trim() === decodeURIComponent(pgUrl.password),
        onCommandLine: ps.some((line) => line.includes(redisUrl.password) || line.includes(pgUrl.password)),
        hbaRules: hbaRules(),
        modes: {
          redisConf: mode(stateDir + '/redis/' + conf),
          pgPasswordFile: mode(stateDir + '/postgres/password'),
          pgHba: mode(stateDir + '/postgres/data/pg_hba.conf'),
          pgHome: mode(stateDir + '/postgres'),
          redisDir: mode(stateDir + '/redis'),
          logs: mode(stateDir + '/logs'),
          postgresLog: mode(stateDir + '/logs/postgres.log'),
        },
        postgresUser: ownerOf('-D ' + stateDir + '/postgres/data'),
        redisUser: ownerOf('redis-server 127.0.0.1:' + redisUrl.port),
      };
    } finally {
      await infra.stop();
    }
    // The cluster of an earlier Mamori: created with trust, no password file, owned by the
    // postgres OS user (as root): it is taken over and gets a password at the next start.
    let legacy;
    try {
      fs.rmSync(stateDir + '/postgres/password');
      fs.writeFileSync(stateDir + '/postgres/data/pg_hba.conf', 'local all all trust\\nhost all all 127.0.0.1/32 trust\\n', { mode: 0o600 });
      const postgresUid = process.getuid() === 0 ? Number(execFileSync('id', ['-u', 'postgres']).toString()) : -1;
      if (process.getuid() === 0) {
        execFileSync('chown', ['-R', 'postgres:postgres', stateDir + '/postgres']);
      }
      infra = await startInfra({ components: ['postgres'], env: {}, ports: { postgres: await getPort() }, stateDir, log: () => {} });
      const password = decodeURIComponent(new URL(infra.postgresUrl).password);
      const dataUid = fs.statSync(stateDir + '/postgres/data').uid;
      legacy = {
        pgPassword: password.length,
        pgNoPassword: await login(''),
        pgWrongPassword: await login('not-the-password'),
        pgRightPassword: await login(password),
        passwordFile: fs.readFileSync(stateDir + '/postgres/password', 'utf8').trim() === password,
        hbaRules: hbaRules(),
        takenOver: dataUid !== postgresUid && dataUid === fs.statSync(stateDir + '/postgres/password').uid,
      };
    } finally {
      await infra.stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
    console.log(JSON.stringify({ ...first, legacy }));
  `);
  const me = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
  const serverUser = asRoot ? 'mamori' : me;
  expect(result).toEqual({
    startMs: expect.any(Number),
    redisPassword: 48,
    withoutPassword: expect.stringMatching(/^-NOAUTH/),
    withPassword: '+PONG',
    pgPassword: 48,
    // 28P01: invalid_password.
    pgWrongPassword: '28P01',
    pgRightPassword: 'accepted',
    passwordFile: true,
    onCommandLine: false,
    hbaRules: ['scram-sha-256', 'scram-sha-256', 'scram-sha-256'],
    modes: {
      redisConf: '600',
      pgPasswordFile: '600',
      pgHba: '600',
      pgHome: '700',
      redisDir: '700',
      logs: '700',
      postgresLog: '600',
    },
    postgresUser: serverUser,
    redisUser: serverUser,
    legacy: {
      pgPassword: 48,
      pgNoPassword: expect.stringMatching(/28P01|password/),
      pgWrongPassword: '28P01',
      pgRightPassword: 'accepted',
      passwordFile: true,
      hbaRules: ['scram-sha-256', 'scram-sha-256', 'scram-sha-256'],
      takenOver: true,
    },
  });
  process.stdout.write(`local PostgreSQL and Redis started in ${result.startMs} ms\n`);
});
