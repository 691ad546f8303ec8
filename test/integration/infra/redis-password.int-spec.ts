import { execFileSync } from 'node:child_process';
import path from 'node:path';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * The Redis `npm start` runs (scripts/infra.mjs, an ESM script, driven in a child process): it
 * answers only with the password generated for it, which is on no command line and in a 0600 file.
 */
it('the Redis npm start runs requires a generated password that no command line shows', () => {
  const script = `
    import { startInfra } from ${JSON.stringify(path.join(ROOT, 'scripts', 'infra.mjs'))};
    import { execFileSync } from 'node:child_process';
    import net from 'node:net';
    import fs from 'node:fs';
    const getPort = () => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
    const stateDir = fs.mkdtempSync('/tmp/mamori-infra-test-');
    const infra = await startInfra({ components: ['redis'], env: {}, ports: { redis: await getPort() }, stateDir, log: () => {} });
    try {
      const url = new URL(infra.redisUrl);
      const ask = (auth) => new Promise((resolve) => {
        const socket = net.connect(Number(url.port), url.hostname, () => socket.write((auth ? 'AUTH ' + decodeURIComponent(url.password) + '\\r\\n' : '') + 'PING\\r\\n'));
        let text = ''; socket.on('data', (d) => { text += d; if (text.includes('PONG') || text.includes('NOAUTH')) { socket.destroy(); resolve(text.trim().split('\\r\\n').pop()); } });
      });
      const conf = fs.readdirSync(stateDir + '/redis').find((f) => f.endsWith('.conf'));
      console.log(JSON.stringify({
        password: url.password.length,
        withoutPassword: await ask(false),
        withPassword: await ask(true),
        onCommandLine: execFileSync('ps', ['-eo', 'args']).toString().includes(url.password),
        confMode: (fs.statSync(stateDir + '/redis/' + conf).mode & 0o777).toString(8),
      }));
    } finally {
      await infra.stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const result = JSON.parse(out.trim().split('\n').pop()!);
  expect(result).toEqual({
    password: 48,
    withoutPassword: expect.stringMatching(/^-NOAUTH/),
    withPassword: '+PONG',
    onCommandLine: false,
    confMode: '600',
  });
});
