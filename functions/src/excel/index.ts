// The .xlsx submission template: build it (optionally pre-filled), read a filled one back into submission JSON
// (in a worker with a time and memory cap: isolated.ts).

export { submissionFromWorkbook, WORKBOOK_WORKER_LIMITS } from './isolated.ts';
export {
  locator,
  type ParsedWorkbook,
  parseWorkbook,
  type WorkbookSubmission,
  workbookErrors,
} from './parse.ts';
export { buildTemplate, type TemplateOptions, type TemplatePrefill } from './template.ts';
export { checkXlsx, rangeArea, UnsafeWorkbook, XLSX_LIMITS } from './zip-guard.ts';
