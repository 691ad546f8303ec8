/**
 * Node options a service runs with, where its defaults cost it: the same in `npm start`, the
 * benchmarks and the Helm chart (`NODE_OPTIONS` in deploy/helm/mamori/values.yaml).
 *
 * - audit: a larger young generation. Ingest allocates a few MB per batch of 1,000 events (the
 *   messages, their parsed payloads, the canonical JSON, the insert's text), all short-lived; with
 *   Node's default semi-space (16 MB) garbage collection was a quarter of the replica's CPU, and at
 *   64 MB the replica used 15–30% less CPU per event (bench/README.md).
 */
export const SERVICE_NODE_ARGS = Object.freeze({
  audit: Object.freeze(['--max-semi-space-size=64']),
});

/** The Node options of one service (none for most). */
export function serviceNodeArgs(name) {
  return SERVICE_NODE_ARGS[name] ?? [];
}
