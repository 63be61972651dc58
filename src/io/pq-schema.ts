// The UK Parliament Written Questions API's responses, as far as assetloss reads them: a question
// (`GET /api/writtenquestions/questions/{id}` → `{value, links}`) and a list (`GET …/questions` →
// `{totalResults, results: [{value, links}]}`). Unknown fields are kept (the saved file is the
// API's own document); fields the API leaves null are allowed to be null.
import { z } from 'zod';

const text = z.string().nullish();
const int = z.number().int().nullish();

export const MemberSchema = z.looseObject({
  id: int,
  name: text,
  listAs: text,
  party: text,
  memberFrom: text,
});

export const AttachmentSchema = z.looseObject({
  url: text,
  title: text,
  fileName: text,
  fileType: text,
  fileSizeBytes: z.number().nullish(),
});

export const QuestionSchema = z.looseObject({
  id: z.number().int(),
  uin: z.union([z.string(), z.number()]).nullish(),
  house: text,
  dateTabled: text,
  dateForAnswer: text,
  dateAnswered: text,
  dateHoldingAnswer: text,
  askingMemberId: int,
  askingMember: MemberSchema.nullish(),
  answeringMemberId: int,
  answeringMember: MemberSchema.nullish(),
  answeringBodyId: int,
  answeringBodyName: text,
  heading: text,
  questionText: text,
  answerText: text,
  answerIsHolding: z.boolean().nullish(),
  answerIsCorrection: z.boolean().nullish(),
  dateAnswerCorrected: text,
  isWithdrawn: z.boolean().nullish(),
  attachmentCount: int,
  attachments: z.array(AttachmentSchema).nullish(),
  groupedQuestions: z.array(z.union([z.string(), z.number()])).nullish(),
});
export type Question = z.infer<typeof QuestionSchema>;

export const QuestionItemSchema = z.looseObject({
  value: QuestionSchema,
  links: z.array(z.unknown()).nullish(),
});
export type QuestionItem = z.infer<typeof QuestionItemSchema>;

export const QuestionListSchema = z.looseObject({
  totalResults: z.number().int().nonnegative(),
  results: z.array(QuestionItemSchema),
});
export type QuestionList = z.infer<typeof QuestionListSchema>;

/** `2025-03-10T00:00:00`: a calendar day as published (no time zone, so no conversion). */
export function calendarDay(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:$|T)/.exec(value.trim());
  return m ? m[1] : undefined;
}

/** The question's page on questions-statements.parliament.uk. */
export function questionUrl(q: Pick<Question, 'dateTabled' | 'uin'>): string | undefined {
  const tabled = calendarDay(q.dateTabled);
  if (!tabled || q.uin === null || q.uin === undefined || q.uin === '') return undefined;
  return `https://questions-statements.parliament.uk/written-questions/detail/${tabled}/${encodeURIComponent(String(q.uin))}`;
}
