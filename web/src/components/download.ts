// Downloads a file answer of the API (exports, printable forms) with the session cookie: the
// answer is fetched as a blob and handed to the browser under the server's file name, so an
// error (403, 422) becomes an ApiError with a message instead of a saved problem+json file.
import { buildUrl, parseErrorResponse, ApiError, type Query } from '../api/client';

/** The file name of a Content-Disposition header (RFC 6266 filename*= wins over filename=). */
export function fileNameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[2].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  const name = plain ? (plain[2] ?? plain[1]).trim() : '';
  return name || fallback;
}

/** GETs `path` (under /api/v1) and saves the answer as a file. Throws ApiError on failure. */
export async function downloadFile(path: string, query: Query | undefined, fallbackName: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(buildUrl(path, query), { credentials: 'same-origin' });
  } catch (cause) {
    throw new ApiError({ status: 0, title: 'Network error', detail: cause instanceof Error ? cause.message : undefined });
  }
  if (!res.ok) throw await parseErrorResponse(res);
  const blob = await res.blob();
  const name = fileNameFromDisposition(res.headers.get('content-disposition'), fallbackName);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
