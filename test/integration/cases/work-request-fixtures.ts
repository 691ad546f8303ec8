import { OpsWorkRequestItemView, WorkRequestFieldDto, WorkRequestView } from '@app/contracts';
import { expectStatus } from '@app/testing';
import { CasePlatform, Customer, randomCode } from './case-platform';

/** A small form of every kind of field, as an operator would define one. */
export const SAMPLE_FIELDS: WorkRequestFieldDto[] = [
  { key: 'target', label: { ja: '対象URL', en: 'Target URL' }, type: 'text', required: true },
  { key: 'notes', label: { ja: '備考', en: 'Notes' }, type: 'textarea', required: false },
  {
    key: 'priority',
    label: { ja: '優先度', en: 'Priority' },
    type: 'select',
    required: true,
    options: [
      { value: 'high', label: { ja: '高', en: 'High' } },
      { value: 'low', label: { ja: '低', en: 'Low' } },
    ],
  },
  { key: 'when', label: { ja: '希望日', en: 'Preferred date' }, type: 'date', required: false },
  { key: 'count', label: { ja: '件数', en: 'Count' }, type: 'number', required: false },
];

export const SAMPLE_ANSWERS = {
  target: 'https://bad.example/',
  notes: '至急\nお願いします',
  priority: 'high',
  when: '2026-12-24',
  count: 3,
};

/** An operator's catalogue item of `service` (the sample form unless `fields` is given). */
export async function newItem(
  platform: CasePlatform,
  ops: string,
  service: string,
  fields: WorkRequestFieldDto[] = SAMPLE_FIELDS,
): Promise<OpsWorkRequestItemView> {
  const code = `WR-${randomCode('')}`;
  const created = await platform.api('POST', '/ops/work-request-items', {
    token: ops,
    body: {
      code,
      name: { ja: `ブロックリスト追加${code}`, en: `Block list entry ${code}` },
      description: { ja: 'URLをブロックします。', en: 'Blocks URLs.' },
      service,
      fields,
    },
  });
  expectStatus(created, 201);
  return created.body as OpsWorkRequestItemView;
}

export async function submit(
  platform: CasePlatform,
  customer: Customer,
  itemId: string,
  fields: Record<string, unknown> = SAMPLE_ANSWERS,
): Promise<WorkRequestView> {
  const answer = await platform.api('POST', '/work-requests', {
    token: customer.token,
    body: { itemId, fields },
  });
  expectStatus(answer, 201);
  return answer.body as WorkRequestView;
}
