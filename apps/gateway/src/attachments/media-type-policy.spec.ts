import { MediaTypePolicy } from './media-type-policy';

describe(MediaTypePolicy.name, () => {
  it('accepts any type not denied when everything is allowed', () => {
    const sut = new MediaTypePolicy('*', 'application/x-msdownload, application/x-elf');
    expect(sut.accepts('application/pdf')).toBe(true);
    expect(sut.accepts('application/x-msdownload')).toBe(false);
    expect(sut.accepts('APPLICATION/X-ELF')).toBe(false);
  });

  it('accepts only allowed families, and denied types win over them', () => {
    const sut = new MediaTypePolicy('image/*, application/pdf', 'image/svg+xml');
    expect(sut.accepts('image/png')).toBe(true);
    expect(sut.accepts('application/pdf')).toBe(true);
    expect(sut.accepts('image/svg+xml')).toBe(false);
    expect(sut.accepts('text/plain')).toBe(false);
    expect(sut.accepts('imagex/png')).toBe(false);
  });
});
