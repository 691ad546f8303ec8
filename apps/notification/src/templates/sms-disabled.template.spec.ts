import { describeTemplate } from './template-test.util';

describeTemplate('sms-disabled', { reason: 'line_cancelled' }, [{ reason: 'other' }]);
