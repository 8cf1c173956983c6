/** Time for boards: reset schedules, open windows and service hours, across daylight-saving changes. */
export {
  INSTANT_PATTERN,
  LOCAL_TIME_PATTERN,
  instantAt,
  isTimeZone,
  isoOf,
  localDate,
  parseInstant,
} from './local-time.js';
export { nextBoundary, periodAt, type CalendarSchedule, type ResetSchedule } from './schedule.js';
export { isOpen, nextChange, nextOpening, type OpenWindow, type ServiceHours } from './open-window.js';
