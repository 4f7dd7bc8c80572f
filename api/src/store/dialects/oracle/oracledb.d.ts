// node-oracledb ships no type declarations (and @types/oracledb would be a dependency for four calls): the driver
// describes the part it uses in driver.ts (OracleDbModule).
declare module 'oracledb';
