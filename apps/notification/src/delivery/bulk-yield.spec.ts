import { Queue, Worker } from 'bullmq';
import { createLogger } from '@app/observability';
import { BulkYield } from './bulk-yield';

describe(BulkYield.name, () => {
  let backlog = 0;
  const queue = {
    getJobCounts: async () => ({ waiting: 0, prioritized: backlog }),
    close: async () => undefined,
  } as unknown as Queue;
  const worker = {
    name: 'notification-email-bulk',
    pause: jest.fn(async () => undefined),
    resume: jest.fn(async () => undefined),
  };
  const sut = new BulkYield(queue, worker as unknown as Worker, 5, createLogger('bulk-yield-spec', 'silent'));

  it('holds the bulk worker while more codes wait than the code worker takes at once, then lets it go', async () => {
    backlog = 5;
    await sut.check();
    expect(worker.pause).not.toHaveBeenCalled();

    backlog = 6;
    await sut.check();
    await sut.check();
    expect(worker.pause).toHaveBeenCalledTimes(1);
    expect(worker.pause).toHaveBeenCalledWith(true);

    backlog = 2;
    await sut.check();
    expect(worker.resume).toHaveBeenCalledTimes(1);
  });
});
