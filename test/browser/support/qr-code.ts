import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** The text of the QR code in a PNG data URL, as a phone's camera would read it. */
export function readQrCode(dataUrl: string): string {
  const match = /^data:image\/png;base64,(.+)$/.exec(dataUrl);
  if (!match) {
    throw new Error(`not a PNG data URL: ${dataUrl.slice(0, 40)}…`);
  }
  const png = PNG.sync.read(Buffer.from(match[1], 'base64'));
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!code) {
    throw new Error('no QR code found in the image');
  }
  return code.data;
}
