export * from './csv-injection.util';
export * from './export-table';
export * from './json-array-writer';
export * from './table-writer';
