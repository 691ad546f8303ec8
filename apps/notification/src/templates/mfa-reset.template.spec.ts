import { describeTemplate } from './template-test.util';

describeTemplate('mfa-reset', { caseNumber: 'CS0001234' }, [{ caseNumber: 'https://evil.example' }]);
