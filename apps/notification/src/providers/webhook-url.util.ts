/** The webhook carries codes and numbers: HTTPS, except to this machine or by explicit test setting. */
export function webhookUrlAllowed(url: string, allowHttp: boolean): boolean {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') {
    return true;
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(parsed.hostname);
  return parsed.protocol === 'http:' && (loopback || allowHttp);
}
