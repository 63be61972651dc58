// The output formats of `check`, apart from their renderers so the CLI can list them cheaply.
export const CHECK_FORMATS = ['text', 'json', 'junit', 'tap', 'github'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];
