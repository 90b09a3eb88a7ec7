// The .xlsx submission template: build it (optionally pre-filled), read a filled one back into submission JSON.

export { submissionFromWorkbook, type WorkbookSubmission, workbookErrors } from './parse.ts';
export { buildTemplate, type TemplateOptions, type TemplatePrefill } from './template.ts';
export { checkXlsx, UnsafeWorkbook, XLSX_LIMITS } from './zip-guard.ts';
