import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { S3AttachmentStore } from '@app/attachment-store';
import { CaseSummaryView } from '@app/contracts';
import { expectStatus, FakeS3Server } from '@app/testing';
import { OrphanAttachmentsSweeper } from '@app/case-management/attachments/orphan-attachments.sweeper';
import { download, generatedBytes, sha256, uploadFile } from './attachment-client';
import { CasePlatform, Customer } from './case-platform';

const MAX_BYTES = 24 * 1024 * 1024;
const GRACE_SECONDS = 3600;

function pdf(size: number): Buffer {
  const bytes = randomBytes(size);
  Buffer.from('%PDF-1.7\n').copy(bytes, 0);
  return bytes;
}

/**
 * The S3 adapter of the attachment store (ATTACHMENT_STORE=s3) through the gateway, against a local
 * server speaking the S3 protocol: small files as one PutObject, large ones as a multipart upload,
 * ranged reads, an upload over the limit aborted with nothing left in the bucket, the orphan sweep.
 */
describe('case attachments (CASE-6), S3 store', () => {
  const s3 = new FakeS3Server();
  let platform: CasePlatform;
  let ops: string;
  let customer: Customer;
  let number: string;
  let endpoint: string;

  beforeAll(async () => {
    ({ endpoint } = await s3.start());
    const store = {
      ATTACHMENT_STORE: 's3' as const,
      ATTACHMENT_S3_ENDPOINT: endpoint,
      ATTACHMENT_S3_BUCKET: s3.bucket,
      ATTACHMENT_S3_REGION: 'ap-northeast-1',
      ATTACHMENT_S3_ACCESS_KEY_ID: s3.accessKeyId,
      ATTACHMENT_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      ATTACHMENT_S3_FORCE_PATH_STYLE: 'true' as const,
    };
    platform = await CasePlatform.create(
      { ...store, ATTACHMENT_ORPHAN_GRACE_SECONDS: GRACE_SECONDS, ATTACHMENT_SWEEP_INTERVAL_SECONDS: 0 },
      { ...store, ATTACHMENT_MAX_BYTES: MAX_BYTES },
    );
    ops = await platform.operator();
    customer = await platform.customer();
    const service = await platform.contract(ops, customer.tenant);
    const created = await platform.api('POST', '/cases', {
      token: customer.token,
      body: { service, category: 'fault', subject: 'Logs', description: '<p>Logs attached.</p>' },
    });
    expectStatus(created, 201);
    number = (created.body as CaseSummaryView).number;
  });

  afterAll(async () => {
    await platform?.close();
    await s3.stop();
  });

  it('stores a small file with one PutObject and serves it whole and by range', async () => {
    const bytes = pdf(200_000);
    const uploaded = await uploadFile(platform.url, `/cases/${number}/attachments`, bytes, {
      token: customer.token,
      fileName: 'small.pdf',
    });
    expect(uploaded.status).toBe(201);
    const id = uploaded.body.id as string;
    const key = s3.calls.find((c) => c.operation === 'PutObject' && c.key.endsWith(id))?.key;
    expect(key).toMatch(new RegExp(`^${customer.tenant.number}/[0-9a-f-]{36}/${id}$`));
    expect(await s3.sha256Of(key!)).toBe(sha256(bytes));

    const whole = await download(platform.url, `/cases/${number}/attachments/${id}`, customer.token);
    expect(whole.status).toBe(200);
    expect(whole.bytes.equals(bytes)).toBe(true);
    const part = await download(platform.url, `/cases/${number}/attachments/${id}`, customer.token, {
      range: 'bytes=150000-150099',
    });
    expect(part.status).toBe(206);
    expect(part.bytes.equals(bytes.subarray(150_000, 150_100))).toBe(true);
    expect(s3.calls.filter((c) => c.operation === 'GetObject' && c.key === key).map((c) => c.range)).toEqual([
      undefined,
      'bytes=150000-150099',
    ]);
  });

  it('stores a large file as a multipart upload whose bytes match the SHA-256 the client computed', async () => {
    const size = 20 * 1024 * 1024;
    const generated = generatedBytes(size);
    const uploaded = await uploadFile(platform.url, `/cases/${number}/attachments`, generated.chunks, {
      token: customer.token,
      fileName: 'capture.pcap',
    });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ size, sha256: generated.sha256() });
    const id = uploaded.body.id as string;
    const ops = s3.calls.filter((c) => c.key.endsWith(id)).map((c) => c.operation);
    expect(ops[0]).toBe('CreateMultipartUpload');
    expect(ops.filter((o) => o === 'UploadPart')).toHaveLength(3);
    expect(ops.at(-1)).toBe('CompleteMultipartUpload');
    const key = s3.calls.find((c) => c.key.endsWith(id))!.key;
    expect(await s3.sha256Of(key)).toBe(generated.sha256());

    const tail = await download(platform.url, `/cases/${number}/attachments/${id}`, customer.token, {
      range: `bytes=${size - 1000}-`,
    });
    expect(tail.status).toBe(206);
    expect(tail.bytes.length).toBe(1000);
    expect(tail.headers.get('content-range')).toBe(`bytes ${size - 1000}-${size - 1}/${size}`);
  });

  it('aborts the multipart upload of a file over the limit (413) and leaves nothing in the bucket', async () => {
    const keysBefore = s3.keys().sort();
    const callsBefore = s3.calls.length;
    const generated = generatedBytes(MAX_BYTES + 8 * 1024 * 1024);
    const cut = await uploadFile(platform.url, `/cases/${number}/attachments`, generated.chunks, {
      token: customer.token,
    });
    expect(cut.status).toBe(413);
    expect(cut.body.error.code).toBe('attachment_too_large');
    const made = s3.calls.slice(callsBefore).map((c) => c.operation);
    expect(made).toContain('CreateMultipartUpload');
    expect(made).toContain('UploadPart');
    expect(made).not.toContain('CompleteMultipartUpload');
    // The abort may land just after the answer: wait for it rather than assume its timing.
    const deadline = Date.now() + 10_000;
    while (s3.pendingUploads() > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(s3.pendingUploads()).toBe(0);
    expect(s3.operations()).toContain('AbortMultipartUpload');
    expect(s3.keys().sort()).toEqual(keysBefore);
  });

  it('sweeps orphaned bytes from the bucket', async () => {
    const [{ id: caseId }]: { id: string }[] = await platform.dataSource.query(
      `SELECT id FROM case_management.case_record WHERE number = $1`,
      [number],
    );
    const id = randomUUID();
    const key = `${customer.tenant.number}/${caseId}/${id}`;
    await platform.dataSource.query(
      `INSERT INTO case_management.case_attachment (id, case_id, tenant_number, storage_key, uploaded_by_id,
         uploaded_by_name, uploaded_by_role, created_at) VALUES ($1, $2, $3, $4, $5, 'x', 'customer', $6)`,
      [id, caseId, customer.tenant.number, key, customer.user.id, platform.clock.now()],
    );
    const store = new S3AttachmentStore({
      bucket: s3.bucket,
      region: 'ap-northeast-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    await store.put(key, Readable.from([randomBytes(1000)]), 'application/octet-stream');
    store.destroy();
    expect(s3.keys()).toContain(key);

    await platform.cases.get(OrphanAttachmentsSweeper).sweepOnce(customer.tenant.number);
    expect(s3.keys()).toContain(key);
    // The row is aged rather than the clock advanced: the sweep is database-wide, and other files'
    // uploads may be in flight.
    await platform.dataSource.query(
      `UPDATE case_management.case_attachment SET created_at = created_at - interval '2 hours' WHERE id = $1`,
      [id],
    );
    const counts = await platform.cases.get(OrphanAttachmentsSweeper).sweepOnce(customer.tenant.number);
    expect(counts.orphans).toBeGreaterThanOrEqual(1);
    expect(s3.keys()).not.toContain(key);
    expect(s3.calls.filter((c) => c.operation === 'DeleteObject').map((c) => c.key)).toContain(key);
  });
});
