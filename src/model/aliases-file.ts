// The --aliases file: extra variant → canonical names per table. Unknown tables are an error.
import { z } from 'zod';

const table = z.record(z.string(), z.string().min(1));

export const AliasFileSchema = z.strictObject({
  categories: table.optional(),
  departments: table.optional(),
  statuses: table.optional(),
  headers: table.optional(),
});
export type AliasFile = z.infer<typeof AliasFileSchema>;
