import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { RpcSubject } from './rpc-map';
import { RPC_REQUEST_CLASSES } from './rpc-request-classes';
import { EmptyRequest, RpcRequestClasses } from './rpc-request-class';

const ROOT = join(__dirname, '../../../..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(join(dir, entry.name))
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Subjects as the RpcMap declarations (the interface and its per-area augmentations) name them. */
function declaredSubjects(): string[] {
  const subjects = new Set<string>();
  for (const file of filesUnder(__dirname)) {
    const text = readFileSync(file, 'utf8');
    for (const block of text.matchAll(/interface RpcMap \{([\s\S]*?)\n\s*\}/g)) {
      for (const entry of block[1].matchAll(/^\s+'([a-z_-]+(?:\.[a-z_-]+)+)': \[/gm)) {
        subjects.add(entry[1]);
      }
    }
  }
  return [...subjects].sort();
}

/** Subjects some service answers (`@RpcHandler('...')`). */
function handledSubjects(): string[] {
  const subjects = new Set<string>();
  for (const file of filesUnder(join(ROOT, 'apps'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/@RpcHandler\('([^']+)'\)/g)) {
      subjects.add(match[1]);
    }
  }
  return [...subjects].sort();
}

function validatedProperties(cls: new () => object): Set<string> {
  return new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(cls, '', true, false)
      .map((m) => m.propertyName),
  );
}

describe('RPC_REQUEST_CLASSES', () => {
  // A compile-time check too: the map's type names every subject, so leaving one out fails typecheck.
  const classes: RpcRequestClasses = RPC_REQUEST_CLASSES;

  it('has a request class for every subject of RpcMap and nothing else', () => {
    const declared = declaredSubjects();
    expect(declared.length).toBeGreaterThan(100);
    expect(Object.keys(classes).sort()).toEqual(declared);
  });

  it('has a request class for every subject a service handles', () => {
    const handled = handledSubjects();
    expect(handled.length).toBeGreaterThan(100);
    const missing = handled.filter((subject) => !(subject in classes));
    expect(missing).toEqual([]);
  });

  it('validates every documented field, so stripping unknown fields never drops a documented one', () => {
    const unvalidated: string[] = [];
    for (const [subject, cls] of Object.entries(classes) as [RpcSubject, new () => object][]) {
      const documented = (Reflect.getMetadata('swagger/apiModelPropertiesArray', cls.prototype) ??
        []) as string[];
      const validated = validatedProperties(cls);
      for (const name of documented.map((p) => p.replace(/^:/, ''))) {
        if (!validated.has(name)) {
          unvalidated.push(`${subject} ${cls.name}.${name}`);
        }
      }
    }
    expect(unvalidated).toEqual([]);
  });

  it('gives field-less subjects a class with no fields, so whatever a peer sends is dropped', () => {
    expect(classes['auth.health']).toBe(EmptyRequest);
    expect(validatedProperties(EmptyRequest).size).toBe(0);
  });
});
