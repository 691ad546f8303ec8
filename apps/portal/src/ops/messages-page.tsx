import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApi } from '../session/services';
import { ErrorAlert, Loading } from '../ui/error-alert';
import { Field } from '../ui/field';
import { SelectField, useDateTime } from './fields';
import {
  MESSAGE_TYPES,
  messageQuery,
  NO_MESSAGE_FILTERS,
  rangeIsValid,
  type MessageFilters,
  type MessageQuery,
} from './message-query';
import { MESSAGE_STATUSES, type Message, type MessageList } from './types';

/** When a message was queued: the first entry of its history. */
function queuedAt(message: Message): string | undefined {
  return message.history[0]?.at;
}

/**
 * NOTIF-5: "I never got my code". Messages newest first, by recipient (matched by the API on a keyed
 * hash; shown masked), type, status and time; never a body.
 */
export function MessagesPage() {
  const { t } = useTranslation();
  const api = useApi();
  const when = useDateTime();
  const [query, setQuery] = useState<MessageQuery>({});
  const form = useForm<MessageFilters>({ defaultValues: NO_MESSAGE_FILTERS });
  const messages = useInfiniteQuery({
    queryKey: ['ops', 'messages', query],
    queryFn: ({ pageParam }) =>
      api.get<MessageList>('/ops/messages', { query: { ...query, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = messages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <h1>{t('ops.messages.title')}</h1>
      <section className="card" aria-labelledby="message-filters">
        <h2 id="message-filters">{t('ops.common.filters')}</h2>
        <form
          noValidate
          role="search"
          aria-labelledby="message-filters"
          onSubmit={(e) =>
            void form.handleSubmit((values) => {
              if (!rangeIsValid(values)) {
                form.setError('to', { message: 'ops.validation.toAfterFrom' });
                return;
              }
              setQuery(messageQuery(values));
            })(e)
          }
        >
          <div className="ops-filters">
            <Field
              label={t('ops.messages.recipient')}
              hint={t('ops.messages.recipientHint')}
              autoComplete="off"
              {...form.register('recipient')}
            />
            <Field label={t('ops.messages.type')} list="ops-message-types" {...form.register('type')} />
            <datalist id="ops-message-types">
              {MESSAGE_TYPES.map((type) => (
                <option key={type} value={type} />
              ))}
            </datalist>
            <SelectField label={t('ops.messages.status')} {...form.register('status')}>
              <option value="">{t('ops.messages.allStatuses')}</option>
              {MESSAGE_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`ops.messageStatus.${status}`)}
                </option>
              ))}
            </SelectField>
            <Field label={t('ops.messages.from')} type="datetime-local" {...form.register('from')} />
            <Field
              label={t('ops.messages.to')}
              type="datetime-local"
              error={form.formState.errors.to?.message}
              {...form.register('to')}
            />
          </div>
          <button type="submit">{t('ops.common.search')}</button>
        </form>
      </section>
      <section className="card" aria-labelledby="message-results">
        <h2 id="message-results">{t('ops.messages.results')}</h2>
        <ErrorAlert error={messages.error} />
        {messages.isPending ? (
          <Loading />
        ) : items.length === 0 ? (
          <p>{t('ops.messages.none')}</p>
        ) : (
          <ul className="ops-list">
            {items.map((message) => (
              <li key={message.id}>
                <div className="ops-row">
                  <Link to={`/ops/messages/${encodeURIComponent(message.id)}`}>
                    {t(`ops.messageTypes.${message.type}`, { defaultValue: message.type })}
                  </Link>
                  <span className="ops-status" data-status={message.status}>
                    {t(`ops.messageStatus.${message.status}`)}
                  </span>
                </div>
                <div className="ops-muted">
                  {t(`ops.channels.${message.channel}`)} · {message.recipient} · {when(queuedAt(message))}
                </div>
              </li>
            ))}
          </ul>
        )}
        {messages.hasNextPage && (
          <button
            type="button"
            disabled={messages.isFetchingNextPage}
            onClick={() => void messages.fetchNextPage()}
          >
            {t('ops.messages.more')}
          </button>
        )}
      </section>
    </>
  );
}

/** One message with its status history. */
export function MessagePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const api = useApi();
  const when = useDateTime();
  const message = useQuery({
    queryKey: ['ops', 'message', id],
    queryFn: () => api.get<Message>(`/ops/messages/${encodeURIComponent(id)}`),
  });
  return (
    <>
      <p>
        <Link to="/ops/messages">{t('ops.messages.back')}</Link>
      </p>
      <h1>{t('ops.messages.detail')}</h1>
      <ErrorAlert error={message.error} />
      {message.isPending ? (
        <Loading />
      ) : message.data ? (
        <>
          <section className="card" aria-labelledby="message-facts">
            <h2 id="message-facts">
              {t(`ops.messageTypes.${message.data.type}`, { defaultValue: message.data.type })}
            </h2>
            <dl className="facts">
              <dt>{t('ops.messages.id')}</dt>
              <dd>{message.data.id}</dd>
              <dt>{t('ops.messages.channel')}</dt>
              <dd>{t(`ops.channels.${message.data.channel}`)}</dd>
              <dt>{t('ops.messages.recipient')}</dt>
              <dd>{message.data.recipient}</dd>
              <dt>{t('ops.messages.status')}</dt>
              <dd>{t(`ops.messageStatus.${message.data.status}`)}</dd>
              {message.data.providerMessageId && (
                <>
                  <dt>{t('ops.messages.providerId')}</dt>
                  <dd>{message.data.providerMessageId}</dd>
                </>
              )}
            </dl>
          </section>
          <section className="card" aria-labelledby="message-history">
            <h2 id="message-history">{t('ops.messages.history')}</h2>
            <ol className="ops-activity">
              {message.data.history.map((entry, index) => (
                <li key={`${entry.status}-${index}`}>
                  <strong>{t(`ops.messageStatus.${entry.status}`)}</strong>{' '}
                  <span className="ops-muted">{when(entry.at)}</span>
                  {entry.detail && <div className="ops-muted">{entry.detail}</div>}
                </li>
              ))}
            </ol>
          </section>
        </>
      ) : null}
    </>
  );
}
