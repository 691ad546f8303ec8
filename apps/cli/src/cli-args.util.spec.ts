import { parseCliArgs } from './cli-args.util';

describe(parseCliArgs.name, () => {
  it('reads the command, valued options in both spellings and boolean flags', () => {
    const sut = parseCliArgs([
      'operator:create',
      '--user-id',
      'ops-1',
      '--email=ops@example.com',
      '--password-stdin',
    ]);
    expect(sut).toEqual({
      command: 'operator:create',
      options: { 'user-id': 'ops-1', email: 'ops@example.com', 'password-stdin': true },
      positionals: [],
    });
  });

  it('keeps values that contain "=" and stray words', () => {
    const sut = parseCliArgs(['x', '--password=a=b', 'extra']);
    expect(sut.options.password).toBe('a=b');
    expect(sut.positionals).toEqual(['extra']);
  });

  it('has no command when called without arguments', () => {
    expect(parseCliArgs([]).command).toBeUndefined();
  });
});
