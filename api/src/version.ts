// The release version, shown in the start banner and the OpenAPI document.
export const VERSION = '0.1.0';
