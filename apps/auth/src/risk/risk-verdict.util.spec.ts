import { RiskFinding } from './risk-signal';
import { RISK_DENY_SCORE, RISK_SECOND_STEP_SCORE, riskVerdict } from './risk-verdict.util';
import { IMPOSSIBLE_TRAVEL_WEIGHT } from './signals/impossible-travel.signal';
import { NEW_DEVICE_WEIGHT } from './signals/new-device.signal';
import { NEW_NETWORK_WEIGHT } from './signals/new-network.signal';
import { RECENT_FAILURES_WEIGHT } from './signals/recent-failures.signal';
import { UNUSUAL_HOUR_WEIGHT } from './signals/unusual-hour.signal';

const newDevice: RiskFinding = { reason: 'new_device', weight: NEW_DEVICE_WEIGHT };
const newNetwork: RiskFinding = { reason: 'new_network', weight: NEW_NETWORK_WEIGHT };
const failures: RiskFinding = { reason: 'recent_failures', weight: RECENT_FAILURES_WEIGHT };
const night: RiskFinding = { reason: 'unusual_hour', weight: UNUSUAL_HOUR_WEIGHT };
const travel: RiskFinding = { reason: 'impossible_travel', weight: IMPOSSIBLE_TRAVEL_WEIGHT };

describe(riskVerdict.name, () => {
  it('allows a login nothing was found about', () => {
    expect(riskVerdict([])).toEqual({ outcome: 'allow', score: 0, reasons: [] });
  });

  it('allows one weak hint alone, keeping its reason code for the audit trail', () => {
    expect(riskVerdict([newNetwork])).toMatchObject({ outcome: 'allow', reasons: ['new_network'] });
    expect(riskVerdict([newDevice])).toMatchObject({ outcome: 'allow' });
    expect(riskVerdict([newNetwork, night])).toMatchObject({ outcome: 'allow' });
  });

  it('asks for a second step for a new device on a new network, or for recent failures', () => {
    expect(riskVerdict([newDevice, newNetwork])).toEqual({
      outcome: 'second_factor',
      score: RISK_SECOND_STEP_SCORE,
      reasons: ['new_device', 'new_network'],
    });
    expect(riskVerdict([failures]).outcome).toBe('second_factor');
    expect(riskVerdict([travel]).outcome).toBe('second_factor');
  });

  it('never denies without impossible travel, however many other signals fire', () => {
    expect(riskVerdict([newDevice, newNetwork, failures, night])).toMatchObject({
      outcome: 'second_factor',
      score: RISK_DENY_SCORE - 1,
    });
  });

  it('denies impossible travel with recent failures, or from a new device on a new network', () => {
    expect(riskVerdict([travel, failures]).outcome).toBe('deny');
    expect(riskVerdict([travel, newDevice, newNetwork]).outcome).toBe('deny');
  });
});
