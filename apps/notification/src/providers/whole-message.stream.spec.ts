import { PassThrough, Readable } from 'node:stream';
import { WholeMessage } from './whole-message.stream';

describe(WholeMessage.name, () => {
  it('passes the message on as one chunk, once all of it is in', async () => {
    const input = Readable.from(['Subject: x\r\n', '\r\n', Buffer.from('body '), 'line\r\n']);
    const chunks: Buffer[] = [];
    for await (const chunk of WholeMessage.of(input)) {
      chunks.push(chunk as Buffer);
    }
    expect(chunks).toHaveLength(1);
    expect(chunks[0].toString()).toBe('Subject: x\r\n\r\nbody line\r\n');
  });

  it("fails with its input's error, so a send does not wait for a message that never ends", async () => {
    const input = new PassThrough();
    const whole = WholeMessage.of(input);
    const failed = new Promise((resolve) => whole.once('error', resolve));
    input.write('Subject: x\r\n');
    input.destroy(new Error('build failed'));
    await expect(failed).resolves.toMatchObject({ message: 'build failed' });
  });
});
