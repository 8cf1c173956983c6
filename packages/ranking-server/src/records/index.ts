/** The records of the log and of snapshots: one layout per record (layouts.ts), framed (codec.ts). */
export {
  RecordType,
  type ArchivedRow,
  type BatchRecord,
  type ChangeRecord,
  type EntryRun,
  type ImportRecord,
  type KeyAnswer,
  type KeyRef,
  type LogRecord,
  type ProfileRun,
  type RecordOfType,
  type RecordTypeValue,
  type ParticipantRun,
  type PlacementRun,
  type TierRun,
  type StoredHook,
  type StoredConfig,
  type StoredProfile,
  type StoredReset,
} from './layouts.js';
export { encodeRecord, readRecord, type ReadResult } from './codec.js';
