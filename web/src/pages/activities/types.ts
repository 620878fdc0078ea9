// Types of the activities endpoints, from the OpenAPI document (npm run gen:api).
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export type VisitPlan = Schemas['VisitPlan'];
export type VisitPlanCreate = Schemas['VisitPlanCreate'];
export type Visit = Schemas['Visit'];
export type VisitCreate = Schemas['VisitCreate'];
export type ContactLog = Schemas['ContactLog'];
export type ContactLogCreate = Schemas['ContactLogCreate'];
export type Task = Schemas['Task'];
export type TaskCreate = Schemas['TaskCreate'];
export type TaskComplete = Schemas['TaskComplete'];
export type WeeklyReport = Schemas['WeeklyReport'];
export type WeeklyContent = Schemas['WeeklyContent'];
export type TimelineItem = Schemas['TimelineItem'];
export type Timeline = Schemas['Timeline'];
export type OverdueFollowUps = Schemas['OverdueFollowUps'];
export type FollowUpCompliance = Schemas['FollowUpCompliance'];
export type RelationshipStageRequest = Schemas['RelationshipStageRequest'];
export type Event = Schemas['Event'];
export type EventCreate = Schemas['EventCreate'];
export type EventInvitation = Schemas['EventInvitation'];
