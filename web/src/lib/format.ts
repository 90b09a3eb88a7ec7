// The dashboard's formatting is the product's one formatter (data-contracts/src/format.ts), shared with the
// charts and the meeting packs.
export * from '@scorecard/data-contracts';
