import { describeTemplate } from './template-test.util';

describeTemplate('password-reset-completed', {}, []);
