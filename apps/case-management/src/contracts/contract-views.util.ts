import {
  ContractView,
  Language,
  ServiceSettingDetailView,
  ServiceSettingView,
  ServiceView,
} from '@app/contracts';
import { Contract } from './contract.entity';
import { ServiceDefinition } from './service-definition.entity';

export function serviceView(s: ServiceDefinition): ServiceView {
  return {
    code: s.code,
    name: { ja: s.nameJa, en: s.nameEn },
    settingsSchema: s.settingsSchema,
    createdAt: new Date(s.createdAt).toISOString(),
  };
}

export function contractView(c: Contract, s: ServiceDefinition): ContractView {
  return {
    id: c.id,
    tenant: c.tenantNumber,
    contractor: c.contractor,
    service: c.serviceCode,
    serviceName: { ja: s.nameJa, en: s.nameEn },
    startDate: c.startDate,
    licenceType: c.licenceType,
    idCount: c.idCount,
    settings: c.settings,
    createdAt: new Date(c.createdAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}

export function serviceSettingView(
  c: Contract,
  s: ServiceDefinition,
  language: Language,
): ServiceSettingView {
  return {
    id: c.id,
    contractor: c.contractor,
    customerNumber: c.tenantNumber,
    service: language === 'ja' ? s.nameJa : s.nameEn,
    serviceCode: s.code,
    startDate: c.startDate,
  };
}

interface SettingsField {
  key: string;
  label?: { ja?: unknown; en?: unknown };
}

/**
 * The contract's settings as the customer reads them: the fields the service defines, in its order,
 * labelled in the customer's language; values of keys the schema does not name follow, under
 * their key, so nothing the operator recorded is hidden.
 */
export function serviceSettingDetailView(
  c: Contract,
  s: ServiceDefinition,
  language: Language,
): ServiceSettingDetailView {
  const fields = schemaFields(s.settingsSchema);
  const named = new Set(fields.map((f) => f.key));
  const settings = [
    ...fields.map((f) => {
      const label = f.label?.[language];
      return {
        key: f.key,
        label: typeof label === 'string' ? label : f.key,
        value: c.settings[f.key] ?? null,
      };
    }),
    ...Object.keys(c.settings)
      .filter((key) => !named.has(key))
      .map((key) => ({ key, label: key, value: c.settings[key] })),
  ];
  return {
    ...serviceSettingView(c, s, language),
    licenceType: c.licenceType,
    idCount: c.idCount,
    settings,
  };
}

function schemaFields(schema: Record<string, unknown> | null): SettingsField[] {
  const fields = schema?.fields;
  if (!Array.isArray(fields)) {
    return [];
  }
  return fields.filter(
    (f): f is SettingsField =>
      typeof f === 'object' && f !== null && typeof (f as SettingsField).key === 'string',
  );
}
