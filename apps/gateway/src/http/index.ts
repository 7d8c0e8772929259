export * from './errors.ts';
export * from './auth.ts';
export * from './student.ts';
export * from './media.ts';
export * from './multipart.ts';
export * from './redact.ts';
