// The .xlsx submission template: build it (optionally pre-filled), read a filled one back into submission JSON
// (in a worker with a time and memory cap: isolated.ts).

export { submissionFromWorkbook } from './isolated.ts';
export { workbookErrors } from './parse.ts';
export { buildTemplate, type TemplatePrefill } from './template.ts';
export { checkXlsx, UnsafeWorkbook, XLSX_LIMITS } from './zip-guard.ts';
