import { readFile } from 'node:fs/promises';
import mammoth from 'mammoth';
import { QuarryError } from '../../../contract';
import { DOCX_MIME_TYPE } from '../../pipeline/mime';
import type { ExtractedDocument } from '../../types';
import { htmlToBlocks } from './html-extractor';

const OLE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** Office stores an encrypted .docx inside an OLE container with this stream. */
const ENCRYPTED_PACKAGE_STREAM = Buffer.from('EncryptedPackage', 'utf16le');

/** Images carry no text for the index; dropping them avoids base64-inlining every picture. */
const dropImages = mammoth.images.imgElement(async () => ({ src: '' }));

function rejectOleContainer(bytes: Buffer, fileName: string): void {
  if (!bytes.subarray(0, OLE_SIGNATURE.length).equals(OLE_SIGNATURE)) return;
  if (bytes.includes(ENCRYPTED_PACKAGE_STREAM)) {
    throw new QuarryError(
      'unsupported',
      `Word document is password-protected and cannot be read: ${fileName}`,
      {
        reason: 'encrypted',
      },
    );
  }
  throw new QuarryError('unsupported', `Legacy Word format (.doc) is not supported: ${fileName}`, {
    reason: 'unsupported_type',
  });
}

/** DOCX via mammoth's HTML, so headings, paragraphs, lists and tables stay separate blocks. No pages. */
export async function extractDocxFile(diskPath: string, fileName: string): Promise<ExtractedDocument> {
  const bytes = await readFile(diskPath);
  rejectOleContainer(bytes, fileName);
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: bytes },
      { convertImage: dropImages, externalFileAccess: false, ignoreEmptyParagraphs: true },
    );
    html = result.value;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new QuarryError('invalid_input', `Not a valid DOCX file: ${fileName} (${detail})`, {
      reason: 'corrupt',
      cause: error,
    });
  }
  const { blocks } = htmlToBlocks(html);
  const title = blocks.find((block) => block.kind === 'heading')?.text;
  return { mimeType: DOCX_MIME_TYPE, ...(title ? { title } : {}), pages: [{ page: null, blocks }] };
}
