import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CaseSummaryView } from '@app/contracts';
import { expectStatus, fullGc, rssPeakSampler } from '@app/testing';
import { generatedBytes, uploadFile } from './attachment-client';
import { CasePlatform, Customer } from './case-platform';

/** 200 MiB: large enough that buffering it anywhere would show, small enough for CI (2 GiB is the bench's). */
const SIZE = 200 * 1024 * 1024;
const RSS_GROWTH_LIMIT = 64 * 1024 * 1024;

/**
 * An attachment streams end to end (CASE-6): 200 MiB made on the fly by the client go through the
 * gateway's multipart parser, hashing and type sniffing into the local store, and back out, while the
 * process that runs the gateway and the case service grows by less than 64 MiB — nothing holds the file.
 */
describe('case attachments stream end to end (CASE-6)', () => {
  let platform: CasePlatform;
  let root: string;
  let customer: Customer;
  let number: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'mamori-attachments-stream-'));
    platform = await CasePlatform.create(
      { ATTACHMENT_DIR: root, ATTACHMENT_SWEEP_INTERVAL_SECONDS: 0 },
      { ATTACHMENT_DIR: root, ATTACHMENT_MAX_BYTES: 256 * 1024 * 1024 },
    );
    const ops = await platform.operator();
    customer = await platform.customer();
    const service = await platform.contract(ops, customer.tenant);
    const created = await platform.api('POST', '/cases', {
      token: customer.token,
      body: { service, category: 'fault', subject: 'Full packet capture', description: '<p>Attached.</p>' },
    });
    expectStatus(created, 201);
    number = (created.body as CaseSummaryView).number;
    // A first small upload, so what is loaded and compiled once is not counted as growth below.
    const warm = generatedBytes(4 * 1024 * 1024);
    expect(
      (await uploadFile(platform.url, `/cases/${number}/attachments`, warm.chunks, { token: customer.token }))
        .status,
    ).toBe(201);
  });

  afterAll(async () => {
    await platform?.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('uploads 200 MiB with bounded memory and stores exactly the bytes sent, then streams them back', async () => {
    const generated = generatedBytes(SIZE);
    fullGc();
    const baseline = process.memoryUsage.rss();
    const sampler = rssPeakSampler();
    const started = Date.now();
    const uploaded = await uploadFile(platform.url, `/cases/${number}/attachments`, generated.chunks, {
      token: customer.token,
      fileName: 'capture.pcap',
    });
    const seconds = (Date.now() - started) / 1000;
    const uploadPeak = sampler.stop();
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ size: SIZE, sha256: generated.sha256() });

    const id = uploaded.body.id as string;
    const [{ storage_key: key }]: { storage_key: string }[] = await platform.dataSource.query(
      `SELECT storage_key FROM case_management.case_attachment WHERE id = $1`,
      [id],
    );
    const onDisk = createHash('sha256');
    await pipeline(createReadStream(path.join(root, 'objects', ...key.split('/'))), onDisk);
    expect(onDisk.digest('hex')).toBe(generated.sha256());

    const downloadSampler = rssPeakSampler();
    const res = await fetch(`${platform.url}/api/v1/cases/${number}/attachments/${id}`, {
      headers: { authorization: `Bearer ${customer.token}` },
    });
    expect(res.status).toBe(200);
    const back = createHash('sha256');
    let received = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      back.update(chunk);
      received += chunk.length;
    }
    const downloadPeak = downloadSampler.stop();
    const collections = [sampler.collections(), downloadSampler.collections()];
    expect(received).toBe(SIZE);
    expect(back.digest('hex')).toBe(generated.sha256());

    const growth = { upload: uploadPeak - baseline, download: downloadPeak - baseline };
    // The measured figures, for the record (docs cite them).
    process.stdout.write(
      `attachments: 200 MiB upload in ${seconds.toFixed(1)} s (${(SIZE / 1024 / 1024 / seconds).toFixed(0)} MiB/s); ` +
        `RSS growth upload ${(growth.upload / 1024 / 1024).toFixed(1)} MiB, download ${(growth.download / 1024 / 1024).toFixed(1)} MiB ` +
        `(${collections.map((c) => `${c.count} full GCs, longest ${c.longestMs.toFixed(0)} ms`).join('; ')})\n`,
    );
    expect(growth.upload).toBeLessThan(RSS_GROWTH_LIMIT);
    expect(growth.download).toBeLessThan(RSS_GROWTH_LIMIT);
  });
});
