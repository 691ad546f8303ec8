import { describeTemplate } from './template-test.util';

describeTemplate('security-code', { code: '004271', expiresInMinutes: 10 }, [
  { code: '12345' },
  { code: '1234567' },
  { expiresInMinutes: 'ten' },
]);
