import { describeTemplate } from './template-test.util';

describeTemplate('contact-changed', { field: 'email' }, [{ field: 'password' }]);
