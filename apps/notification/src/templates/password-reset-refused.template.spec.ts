import { describeTemplate } from './template-test.util';

describeTemplate('password-reset-refused', { until: '2026-12-03T06:20:00Z' }, [{ until: 'soon' }]);
