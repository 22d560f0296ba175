export { type ContentFailure, contentError, contentFailureOf } from './content-error';
export { type ImageSize, readImageSize } from './image-size';
export { type ImageText, readImageText } from './image-text';
export { fetchLoopback, isLoopbackUrl } from './loopback-fetch';
export { releaseOcr, stopOcr } from './ocr';
export { openDocument } from './open-document';
export { embedSimText, readSimText, SIM_TEXT_KEY } from './sim-text';
export { imageFormats, sniffFormat } from './sniff';
export type * from './types';
