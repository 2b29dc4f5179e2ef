/** Errors of the spreadsheet reader, kept apart from it so the main bundle does not pull ExcelJS in (only the worker does). */
export type SheetErrorCode = 'xls' | 'unknown_format' | 'unreadable' | 'empty';

/** A file the device cannot read; `code` picks the sentence shown (i18n `bo.sheets.errors.<code>`). */
export class SheetFileError extends Error {
  constructor(
    readonly code: SheetErrorCode,
    message: string,
  ) {
    super(message);
  }
}

