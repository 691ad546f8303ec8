import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AlertSeverity, IntegrationScope } from '@app/contracts';

const S = 'case_management';

/** An integration's API key as stored: the key itself never is, only its SHA-256. */
export interface IntegrationKey {
  id: string;
  name: string;
  prefix: string;
  keyHash: string;
  scopes: IntegrationScope[];
  tenants: string[];
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** The case an external id opened, per tenant (CASE-9 de-duplication). */
export interface AlertLink {
  caseId: string;
  caseNumber: string;
  severity: AlertSeverity | null;
  lastReceivedAt: Date;
}

/** What became of one alert the gateway took: `created`, `updated`, `unchanged`, `case_closed` or `refused`. */
export interface AlertReceipt {
  caseId: string | null;
  outcome: string;
}

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: IntegrationScope[];
  tenants: string[];
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}

/** All I/O of integrations and alerts (CASE-9). */
@Injectable()
export class IntegrationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insertKey(manager: EntityManager, key: IntegrationKey): Promise<void> {
    await manager.query(
      `INSERT INTO ${S}.integration_key (id, name, prefix, key_hash, scopes, tenants, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [key.id, key.name, key.prefix, key.keyHash, key.scopes, key.tenants, key.createdBy, key.createdAt],
    );
  }

  async listKeys(): Promise<IntegrationKey[]> {
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT * FROM ${S}.integration_key ORDER BY created_at DESC, id`,
    );
    return rows.map(toKey);
  }

  async keyByPrefix(prefix: string): Promise<IntegrationKey | null> {
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT * FROM ${S}.integration_key WHERE prefix = $1`,
      [prefix],
    );
    return rows.length > 0 ? toKey(rows[0]) : null;
  }

  async keyById(id: string, manager?: EntityManager): Promise<IntegrationKey | null> {
    const rows: KeyRow[] = await (manager ?? this.dataSource.manager).query(
      `SELECT * FROM ${S}.integration_key WHERE id = $1 ${manager ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows.length > 0 ? toKey(rows[0]) : null;
  }

  async revokeKey(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE ${S}.integration_key SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`,
      [id, at],
    );
  }

  /**
   * Holds, until the transaction ends, the lock of one tenant's external id: alerts with the same
   * external id are applied one after the other, so two identical posts make one case, and the second
   * finds the first's case. Different external ids never wait for each other (short of a hash clash).
   */
  async lockExternalId(manager: EntityManager, tenant: string, externalId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `case-alert:${tenant}:${externalId}`,
    ]);
  }

  async receipt(manager: EntityManager, alertId: string): Promise<AlertReceipt | null> {
    const rows: { case_id: string | null; outcome: string }[] = await manager.query(
      `SELECT case_id, outcome FROM ${S}.integration_alert_receipt WHERE alert_id = $1`,
      [alertId],
    );
    return rows.length > 0 ? { caseId: rows[0].case_id, outcome: rows[0].outcome } : null;
  }

  /** Records what became of an alert; a second receipt of the same alert changes nothing. */
  async insertReceipt(
    manager: EntityManager,
    r: { alertId: string; keyId: string; caseId: string | null; outcome: string; receivedAt: Date; at: Date },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO ${S}.integration_alert_receipt (alert_id, key_id, case_id, outcome, received_at, applied_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (alert_id) DO NOTHING`,
      [r.alertId, r.keyId, r.caseId, r.outcome, r.receivedAt, r.at],
    );
  }

  async alertLink(manager: EntityManager, tenant: string, externalId: string): Promise<AlertLink | null> {
    const rows: {
      case_id: string;
      case_number: string;
      severity: AlertSeverity | null;
      last_received_at: Date;
    }[] = await manager.query(
      `SELECT case_id, case_number, severity, last_received_at FROM ${S}.integration_alert
        WHERE tenant_number = $1 AND external_id = $2`,
      [tenant, externalId],
    );
    if (rows.length === 0) {
      return null;
    }
    const r = rows[0];
    return {
      caseId: r.case_id,
      caseNumber: r.case_number,
      severity: r.severity,
      lastReceivedAt: r.last_received_at,
    };
  }

  async insertAlertLink(
    manager: EntityManager,
    tenant: string,
    externalId: string,
    link: AlertLink,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO ${S}.integration_alert (tenant_number, external_id, case_id, case_number, severity, last_received_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [tenant, externalId, link.caseId, link.caseNumber, link.severity, link.lastReceivedAt],
    );
  }

  async updateAlertLink(
    manager: EntityManager,
    tenant: string,
    externalId: string,
    severity: AlertSeverity | null,
    lastReceivedAt: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE ${S}.integration_alert SET severity = $3, last_received_at = $4
        WHERE tenant_number = $1 AND external_id = $2`,
      [tenant, externalId, severity, lastReceivedAt],
    );
  }

  /** A newer alert's description replaces the case's (the case row is locked by the caller). */
  async setDescription(manager: EntityManager, caseId: string, description: string): Promise<void> {
    await manager.query(`UPDATE ${S}.case_record SET description = $2 WHERE id = $1`, [caseId, description]);
  }
}

function toKey(r: KeyRow): IntegrationKey {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    keyHash: r.key_hash,
    scopes: r.scopes,
    tenants: r.tenants,
    createdBy: r.created_by,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}
