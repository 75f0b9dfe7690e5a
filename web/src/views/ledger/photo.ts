// Photo evidence from a phone camera: large photos are scaled down in the
// browser (longest side ≤ 1600 px, JPEG) before POST /files, which takes
// JPEG, PNG or WebP up to 8 MiB. Re-encoding also drops EXIF data such as
// the GPS position.

export const kMaxSide = 1600;
/** Photos this small in an accepted format and size are sent as they are. */
export const kKeepBytes = 1536 * 1024;
/** The server's limit. */
export const kMaxUploadBytes = 8 * 1024 * 1024;
export const kUploadTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const kJpegQuality = 0.85;

export interface PhotoFacts {
  width: number;
  height: number;
  /** MIME type as the browser reports it ('' when unknown, e.g. HEIC on some systems). */
  type: string;
  size: number;
}

export interface DownscalePlan {
  /** Draw on a canvas and encode as JPEG; false: send the file unchanged. */
  reencode: boolean;
  width: number;
  height: number;
}

/** What to do with a photo: its target size, and whether it must be re-encoded. */
export function planDownscale(photo: PhotoFacts): DownscalePlan {
  const longest = Math.max(photo.width, photo.height);
  const scale = longest > kMaxSide ? kMaxSide / longest : 1;
  const width = Math.max(1, Math.round(photo.width * scale));
  const height = Math.max(1, Math.round(photo.height * scale));
  const accepted = (kUploadTypes as readonly string[]).includes(photo.type);
  return { reencode: scale < 1 || !accepted || photo.size > kKeepBytes, width, height };
}

export class PhotoError extends Error {
  constructor(readonly reason: 'unreadable' | 'too_large') {
    super(reason);
    this.name = 'PhotoError';
  }
}

function canvasToJpeg(canvas: HTMLCanvasElement | OffscreenCanvas): Promise<Blob> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type: 'image/jpeg', quality: kJpegQuality });
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new PhotoError('unreadable'))), 'image/jpeg', kJpegQuality),
  );
}

/**
 * The bytes to upload for `file`, with their content type: the file itself
 * when it is small enough, otherwise a scaled JPEG. The EXIF orientation is
 * applied before drawing. Rejects with PhotoError.
 */
export async function preparePhoto(file: Blob): Promise<{ blob: Blob; type: string }> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    // The browser cannot decode it; the server will say whether it takes it.
    if ((kUploadTypes as readonly string[]).includes(file.type) && file.size <= kMaxUploadBytes) return { blob: file, type: file.type };
    throw new PhotoError('unreadable');
  }
  const plan = planDownscale({ width: bitmap.width, height: bitmap.height, type: file.type, size: file.size });
  if (!plan.reencode) {
    bitmap.close();
    return { blob: file, type: file.type };
  }
  const canvas: HTMLCanvasElement | OffscreenCanvas =
    typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(plan.width, plan.height) : Object.assign(document.createElement('canvas'), { width: plan.width, height: plan.height });
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new PhotoError('unreadable');
  // JPEG has no transparency: a PNG's clear parts become white, not black.
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, plan.width, plan.height);
  ctx.drawImage(bitmap, 0, 0, plan.width, plan.height);
  bitmap.close();
  const blob = await canvasToJpeg(canvas);
  if (blob.size > kMaxUploadBytes) throw new PhotoError('too_large');
  return { blob, type: 'image/jpeg' };
}
