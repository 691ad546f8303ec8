import { describeTemplate } from './template-test.util';

describeTemplate('password-changed', {}, []);
