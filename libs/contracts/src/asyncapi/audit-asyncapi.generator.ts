import path from 'node:path';
import ts from 'typescript';

/**
 * Generates the AsyncAPI 3 document of the `AUDIT` stream from the TypeScript of
 * `libs/contracts/src/events/audit-event.ts`: the event types (AUDIT_EVENT_TYPES, with their JSDoc)
 * and the payload (the AuditEvent interface, with its JSDoc and `@format` tags), read through the
 * TypeScript compiler. The document is therefore the types, not a description of them; the spec
 * beside this file regenerates it and compares it with the committed docs/asyncapi.json.
 *
 * Development only: nothing at run time imports this file (the gateway serves the committed JSON).
 */

const EVENTS_FILE = path.resolve(__dirname, '../events/audit-event.ts');

type JsonSchema = Record<string, unknown>;

interface EventTypeDoc {
  type: string;
  description?: string;
}

export function generateAuditAsyncApi(): Record<string, unknown> {
  const program = ts.createProgram([EVENTS_FILE], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    noEmit: true,
    // The contracts' own types only: no DOM, no @types packages (seconds instead of tens of them).
    lib: ['lib.es5.d.ts'],
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(EVENTS_FILE);
  if (!source) {
    throw new Error(`cannot read ${EVENTS_FILE}`);
  }
  const types = eventTypes(source);
  const payload = interfaceSchema(source, checker, 'AuditEvent');

  const schemas: Record<string, JsonSchema> = { AuditEvent: payload };
  const messages: Record<string, unknown> = {};
  const channels: Record<string, unknown> = {};
  for (const { type, description } of types) {
    const id = componentId(type);
    schemas[id] = {
      title: type,
      ...(description ? { description } : {}),
      allOf: [{ $ref: '#/components/schemas/AuditEvent' }],
      properties: { type: { type: 'string', const: type } },
    };
    messages[id] = {
      name: type,
      title: type,
      ...(description ? { summary: description } : {}),
      contentType: 'application/json',
      headers: { $ref: '#/components/schemas/headers' },
      payload: { $ref: `#/components/schemas/${id}` },
    };
    channels[id] = {
      address: `audit.${type}`,
      messages: { [id]: { $ref: `#/components/messages/${id}` } },
    };
  }
  channels.all = {
    address: 'audit.>',
    description: 'Every subject of the stream: what a consumer of the whole trail filters on.',
    messages: Object.fromEntries(
      types.map(({ type }) => [componentId(type), { $ref: `#/components/messages/${componentId(type)}` }]),
    ),
  };
  schemas.headers = {
    type: 'object',
    properties: {
      'Nats-Msg-Id': {
        type: 'string',
        format: 'uuid',
        description: 'The event id: JetStream drops a second publish of it within the duplicate window.',
      },
    },
  };

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Mamori audit stream',
      version: '1.0.0',
      description: [
        "Facts of every Mamori service, published through each service's transactional outbox into the",
        'NATS JetStream stream `AUDIT` on the subject `audit.<service>.<event-type>` (the event `type`',
        'prefixed with `audit.`). Delivery is at least once: consumers de-duplicate on `id`. Messages of',
        'one subject are stored in publish order. See "Consuming audit events" in the README.',
        'Generated from libs/contracts/src/events/audit-event.ts; do not edit by hand.',
      ].join(' '),
    },
    defaultContentType: 'application/json',
    channels,
    operations: {
      receiveAuditEvents: {
        action: 'receive',
        summary: 'Consume the trail with a durable (or ephemeral) JetStream consumer of the AUDIT stream',
        channel: { $ref: '#/channels/all' },
      },
    },
    components: { schemas, messages },
  };
}

/** The document as committed: two-space JSON with a final newline. */
export function auditAsyncApiText(): string {
  return `${JSON.stringify(generateAuditAsyncApi(), null, 2)}\n`;
}

/** AsyncAPI component keys allow `[A-Za-z0-9._-]`; `auth.login.succeeded` is one as it is. */
function componentId(type: string): string {
  return type.replace(/[^A-Za-z0-9._-]/g, '_');
}

function eventTypes(source: ts.SourceFile): EventTypeDoc[] {
  let list: ts.ArrayLiteralExpression | undefined;
  source.forEachChild((node) => {
    if (!ts.isVariableStatement(node)) {
      return;
    }
    for (const decl of node.declarationList.declarations) {
      if (ts.isIdentifier(decl.name) && decl.name.text === 'AUDIT_EVENT_TYPES' && decl.initializer) {
        const init = ts.isAsExpression(decl.initializer) ? decl.initializer.expression : decl.initializer;
        if (ts.isArrayLiteralExpression(init)) {
          list = init;
        }
      }
    }
  });
  if (!list) {
    throw new Error('AUDIT_EVENT_TYPES is not an array literal any more');
  }
  return list.elements.map((element) => {
    if (!ts.isStringLiteral(element)) {
      throw new Error(`AUDIT_EVENT_TYPES holds a ${ts.SyntaxKind[element.kind]}, not a string`);
    }
    const description = leadingJsDoc(source, element);
    return { type: element.text, ...(description ? { description } : {}) };
  });
}

/** The text of a `/** … *\/` comment right before `node` (array elements have no JSDoc of their own). */
function leadingJsDoc(source: ts.SourceFile, node: ts.Node): string | undefined {
  const ranges = ts.getLeadingCommentRanges(source.text, node.pos) ?? [];
  const docs = ranges
    .map((r) => source.text.slice(r.pos, r.end))
    .filter((text) => text.startsWith('/**'))
    .map((text) =>
      text
        .replace(/^\/\*\*|\*\/$/g, '')
        .split('\n')
        .map((line) => line.replace(/^\s*\* ?/, '').trim())
        .filter((line) => line.length > 0)
        .join(' '),
    );
  return docs.length > 0 ? docs[docs.length - 1] : undefined;
}

function interfaceSchema(source: ts.SourceFile, checker: ts.TypeChecker, name: string): JsonSchema {
  const declaration = source.statements.find(
    (node): node is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(node) && node.name.text === name,
  );
  const symbol = declaration && checker.getSymbolAtLocation(declaration.name);
  if (!declaration || !symbol) {
    throw new Error(`interface ${name} not found`);
  }
  return objectSchema(checker.getTypeAtLocation(declaration.name), checker, symbol);
}

function objectSchema(type: ts.Type, checker: ts.TypeChecker, owner?: ts.Symbol): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const property of checker.getPropertiesOfType(type)) {
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    if (!declaration) {
      continue;
    }
    const propertyType = checker.getTypeOfSymbolAtLocation(property, declaration);
    const schema = typeSchema(propertyType, checker);
    const description = ts.displayPartsToString(property.getDocumentationComment(checker)).trim();
    const format = property
      .getJsDocTags(checker)
      .find((tag) => tag.name === 'format')
      ?.text?.map((part) => part.text)
      .join('')
      .trim();
    properties[property.name] = {
      ...schema,
      ...(format ? { format } : {}),
      ...(description ? { description: description.replace(/\s+/g, ' ') } : {}),
    };
    if (!(property.flags & ts.SymbolFlags.Optional)) {
      required.push(property.name);
    }
  }
  const description = owner ? ts.displayPartsToString(owner.getDocumentationComment(checker)).trim() : '';
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties,
    required,
  };
}

function typeSchema(type: ts.Type, checker: ts.TypeChecker): JsonSchema {
  if (type.isUnion()) {
    const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    if (members.length === 1) {
      return typeSchema(members[0], checker);
    }
    if (members.every((t) => t.isStringLiteral())) {
      return { type: 'string', enum: members.map((t) => (t as ts.StringLiteralType).value) };
    }
    if (members.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) {
      return { type: 'boolean' };
    }
    return { anyOf: members.map((t) => typeSchema(t, checker)) };
  }
  if (type.isStringLiteral()) {
    return { type: 'string', const: type.value };
  }
  if (type.flags & ts.TypeFlags.String) {
    return { type: 'string' };
  }
  if (type.flags & ts.TypeFlags.Number) {
    return { type: 'number' };
  }
  if (type.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) {
    return { type: 'boolean' };
  }
  if (checker.isArrayType(type)) {
    const [item] = checker.getTypeArguments(type as ts.TypeReference);
    return { type: 'array', items: typeSchema(item, checker) };
  }
  if (type.flags & ts.TypeFlags.Object) {
    return objectSchema(
      type,
      checker,
      type.aliasSymbol ?? (type.symbol?.name === '__type' ? undefined : type.symbol),
    );
  }
  throw new Error(`no JSON Schema for the type ${checker.typeToString(type)}`);
}
