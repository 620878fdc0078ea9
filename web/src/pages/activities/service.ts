// Activities endpoints (visits, plans, tasks, contact logs, weekly reports, timeline,
// calendar feed), one typed function each.
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import type {
  ContactLog, ContactLogCreate, FollowUpCompliance, OverdueFollowUps, RelationshipStageRequest, Task, TaskComplete,
  TaskCreate, Timeline, Visit, VisitCreate, VisitPlan, VisitPlanCreate, WeeklyReport, Event, EventCreate, EventInvitation,
} from './types';

type Query = Record<string, string | number | boolean | undefined>;

export const listVisitPlans = (query: Query, signal?: AbortSignal) =>
  api.get<Page<VisitPlan>>('/visit-plans', { query, signal });
export const createVisitPlan = (input: VisitPlanCreate) => api.post<VisitPlan>('/visit-plans', input);
export const cancelVisitPlan = (plan: VisitPlan) =>
  api.patch<VisitPlan>(`/visit-plans/${plan.id}`, { version: plan.version, status: 'cancelled' });
export const getVisitPlan = (id: number | string) => api.get<VisitPlan>(`/visit-plans/${id}`);

export const listVisits = (query: Query, signal?: AbortSignal) => api.get<Page<Visit>>('/visits', { query, signal });
export const createVisit = (input: VisitCreate) => api.post<Visit>('/visits', input);

export const createContactLog = (input: ContactLogCreate) => api.post<ContactLog>('/contact-logs', input);

export const listTasks = (query: Query, signal?: AbortSignal) => api.get<Page<Task>>('/tasks', { query, signal });
export const createTask = (input: TaskCreate) => api.post<Task>('/tasks', input);
export const completeTask = (id: number, input: TaskComplete) => api.post<Task>(`/tasks/${id}/complete`, input);
export const overdueFollowUps = () => api.get<OverdueFollowUps>('/follow-ups/overdue');
export const followUpCompliance = (month: string) =>
  api.get<FollowUpCompliance>('/follow-ups/compliance', { query: { month } });

export const getWeeklyReport = (userId: number, week: string) =>
  api.get<Page<WeeklyReport>>('/weekly-reports', { query: { user_id: userId, week } }).then((p) => p.items[0]);
export const listWeeklyReports = (query: Query) => api.get<Page<WeeklyReport>>('/weekly-reports', { query });
export const getWeeklyReportById = (id: number) => api.get<WeeklyReport>(`/weekly-reports/${id}`);
export const saveWeeklyReport = (week: string, summary: string) =>
  api.post<WeeklyReport>('/weekly-reports', { week, summary });
export const submitWeeklyReport = (id: number, summary: string) =>
  api.post<WeeklyReport>(`/weekly-reports/${id}/submit`, { summary });
export const reviewWeeklyReport = (id: number, comment: string) =>
  api.post<WeeklyReport>(`/weekly-reports/${id}/review`, { comment });

export const getTimeline = (accountId: number, before?: string | null) =>
  api.get<Timeline>(`/accounts/${accountId}/timeline`, { query: { limit: 20, before: before ?? undefined } });
export const changeStage = (accountId: number, input: RelationshipStageRequest) =>
  api.post<unknown>(`/accounts/${accountId}/relationship-stage`, input);

export const getCalendarFeed = () => api.get<{ url: string }>('/auth/me/calendar-feed');
export const rotateCalendarFeed = () => api.post<{ url: string }>('/auth/me/calendar-feed', {});
export const revokeCalendarFeed = () => api.del('/auth/me/calendar-feed');

export const searchAccounts = (q: string) =>
  api.get<Page<{ id: number; name: string }>>('/accounts', { query: { q: q || undefined, limit: 20 } });

// Events (产品介绍会 / 研讨会) and invitations.
export const listEvents = () => api.get<Page<Event>>('/events', { query: { limit: 100 } });
export const createEvent = (input: EventCreate) => api.post<Event>('/events', input);
export const listInvitations = (eventId: number) => api.get<Page<EventInvitation>>(`/events/${eventId}/invitations`);
export const inviteContact = (eventId: number, contactId: number) =>
  api.post<EventInvitation>(`/events/${eventId}/invitations`, { contact_id: contactId });
export const setInvitationStatus = (inv: EventInvitation, status: EventInvitation['status']) =>
  api.patch<EventInvitation>(`/event-invitations/${inv.id}`, { version: inv.version, status });
export const raiseLead = (id: number, note: string) => api.post<EventInvitation>(`/event-invitations/${id}/lead`, { note });
export const searchContacts = (q: string) =>
  api.get<Page<{ id: number; name: string; account_name?: string }>>('/contacts', { query: { q: q || undefined, limit: 20 } });
